import type { Command } from './command.js';
import { migrateCommand } from './migrate.js';
import { scanCommand } from './scan.js';

/** Every `lambda-rds` subcommand, in the order the top-level help lists them. */
export const commands: readonly Command[] = [scanCommand, migrateCommand];

export type { Command, CommandIo } from './command.js';
