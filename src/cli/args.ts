/**
 * Command-line parsing on top of `node:util` `parseArgs`. Every command declares its options once, in an
 * `OptionTable`; the same table drives the parser and the `--help` text, so the two cannot drift apart.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** The option may be given more than once; its values are collected in order. */
  readonly multiple?: boolean;
  /** The value's placeholder in `--help` (`format` → `--format <format>`). */
  readonly value?: string;
  /** One line for `--help`. */
  readonly description: string;
}

export type OptionTable = Readonly<Record<string, OptionSpec>>;

type OptionValue<S extends OptionSpec> = S['type'] extends 'string' ? string : boolean;

/** What the parser returns for a table: each option absent, or its value (an array for `multiple`). */
export type ParsedOptions<T extends OptionTable> = {
  -readonly [K in keyof T]?: T[K]['multiple'] extends true ? Array<OptionValue<T[K]>> : OptionValue<T[K]>;
};

/**
 * Parses `args` strictly against `options`: unknown options, missing values and values given to boolean options
 * are `UsageError`s that name the command whose `--help` explains it.
 */
export function parseCommandLine<const T extends OptionTable>(
  args: readonly string[],
  options: T,
  command?: string,
): { values: ParsedOptions<T>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
    return { values: values as ParsedOptions<T>, positionals };
  } catch (error) {
    throw new UsageError(parseErrorMessage(error), command);
  }
}

function parseErrorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  // Node adds a hint about `--` to unknown options; the option's name is what the user needs.
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `${error.message.split('. ')[0]}.`;
  return error.message.endsWith('.') ? error.message : `${error.message}.`;
}

/** `-f, --format <format>` */
export function optionSignature(name: string, spec: OptionSpec): string {
  const short = spec.short ? `-${spec.short}, ` : '    ';
  const value = spec.type === 'string' ? ` <${spec.value ?? 'value'}>` : '';
  return `${short}--${name}${value}`;
}

/** Two-column help lines: each signature padded to the widest, then its description. */
export function renderTable(rows: ReadonlyArray<readonly [string, string]>, indent = 2): string {
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `${' '.repeat(indent)}${left.padEnd(width)}  ${right}`.trimEnd()).join('\n');
}

export function renderOptions(options: OptionTable): string {
  return renderTable(Object.entries(options).map(([name, spec]) => [optionSignature(name, spec), spec.description]));
}
