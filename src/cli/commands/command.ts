import type { OptionTable } from '../args.js';

/** Where a command writes. `stderr.isTTY` decides whether progress is shown. */
export interface CommandIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly cwd: string;
}

/** A `lambda-rds` subcommand. Its `options` table is both what its parser accepts and what its help lists. */
export interface Command {
  readonly name: string;
  /** Arguments after the command name in the usage line, e.g. `[options] [paths..]`. */
  readonly usage: string;
  /** One line for the top-level help. */
  readonly summary: string;
  readonly options: OptionTable;
  help(): string;
  /** Runs the command; resolves to the exit status. Throws `UsageError` for bad arguments. */
  run(args: readonly string[], io: CommandIo): Promise<number>;
}
