/**
 * The `lambda-rds` command line: global options, then a subcommand. Exit status 2 for every usage or internal
 * error; each subcommand decides 0 and 1.
 */
import { PACKAGE_NAME, VERSION } from '../meta.js';
import { parseCommandLine, renderOptions, renderTable, type OptionTable } from './args.js';
import { commands, type CommandIo } from './commands/index.js';
import { UsageError } from './errors.js';

export const globalOptions = {
  help: { type: 'boolean', short: 'h', description: 'Show this help (`lambda-rds <command> --help` for a command)' },
  version: { type: 'boolean', short: 'v', description: 'Show the version' },
} as const satisfies OptionTable;

export function globalHelp(): string {
  return `Usage: lambda-rds <command> [options]

Checks Node.js AWS Lambda code for problems with Amazon RDS and RDS Proxy (${PACKAGE_NAME} ${VERSION}).

Commands:
${renderTable(commands.map((command) => [`${command.name} ${command.usage}`, command.summary]))}

Options:
${renderOptions(globalOptions)}
`;
}

export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  let running: string | undefined;
  try {
    // Options before the command name are global; everything after it belongs to the command.
    const commandAt = argv.findIndex((arg) => !arg.startsWith('-'));
    const globalArgs = commandAt === -1 ? argv : argv.slice(0, commandAt);
    const { values } = parseCommandLine(globalArgs, globalOptions);
    if (values.help) {
      io.stdout.write(globalHelp());
      return 0;
    }
    if (values.version) {
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (commandAt === -1) {
      throw new UsageError(`Missing command. Commands: ${commands.map((c) => c.name).join(', ')}.`);
    }
    const name = argv[commandAt]!;
    const command = commands.find((c) => c.name === name);
    if (!command) {
      throw new UsageError(`Unknown command '${name}'. Commands: ${commands.map((c) => c.name).join(', ')}.`);
    }
    running = command.name;
    return await command.run(argv.slice(commandAt + 1), io);
  } catch (error) {
    if (error instanceof UsageError) {
      const helpFor = error.command ?? running;
      const helpCommand = helpFor ? `lambda-rds ${helpFor} --help` : 'lambda-rds --help';
      io.stderr.write(`lambda-rds: ${error.message}\nRun '${helpCommand}' for usage.\n`);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      io.stderr.write(`lambda-rds: ${message}\n`);
    }
    return 2;
  }
}
