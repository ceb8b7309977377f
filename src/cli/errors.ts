/**
 * A problem with how the command was called (unknown option, bad value, missing path). The CLI prints the message
 * and a pointer to `--help`, and exits with status 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  /** The command whose `--help` the message points to (`undefined` for the top-level command). */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}
