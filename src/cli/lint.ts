/**
 * Runs the plugin's rules over a list of files with ESLint's Node.js API and sorts what comes back into findings,
 * files that could not be read or parsed (skipped), and files the linter failed on (internal errors).
 */
import { readFile } from 'node:fs/promises';
import type { ESLint, Linter } from 'eslint';
import { scanConfig, type RuleId } from './config.js';
import { parseAttempts, parseFailure, type ParseAttempt } from '../core/module-kind.js';
import { commonDirectory, errorText, type UnreadablePath } from './files.js';

export interface Finding {
  readonly ruleId: RuleId;
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number | undefined;
  readonly endColumn: number | undefined;
}

export interface FileFindings {
  /** Absolute path. */
  readonly file: string;
  readonly findings: Finding[];
  /** The file's text as linted (for SARIF fingerprints; never written to a report). */
  readonly text: string;
}

export interface SkippedFile {
  /** Absolute path. */
  readonly file: string;
  /** `parse-error`: the parser rejected the file. `read-error`: the file or directory could not be read. */
  readonly reason: 'parse-error' | 'read-error';
  readonly message: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
}

export interface FailedFile {
  /** Absolute path. */
  readonly file: string;
  readonly message: string;
}

export interface LintOutcome {
  readonly rules: readonly RuleId[];
  /** Files linted to the end (skipped and failed files not included). */
  readonly filesLinted: number;
  /** Files with at least one finding, in path order. */
  readonly files: FileFindings[];
  readonly skipped: SkippedFile[];
  /** Files on which the linter or a rule threw: an internal error. */
  readonly failed: FailedFile[];
}

export interface LintOptions {
  readonly rules: readonly RuleId[];
  /** Config objects added after the scan's own (a collecting rule of `scan --list-handlers`). */
  readonly extraConfig?: readonly Linter.Config[];
  /** Called after each file with the number done so far. */
  readonly onProgress?: (done: number, total: number) => void;
}

async function loadESLint(): Promise<typeof ESLint> {
  try {
    return (await import('eslint')).ESLint;
  } catch (error) {
    throw new Error(
      `ESLint could not be loaded (${errorText(error)}). lambda-rds needs eslint 9 or 10 installed next to it: npm install --save-dev eslint`,
    );
  }
}

export async function lintFiles(
  files: readonly string[],
  unreadable: readonly UnreadablePath[],
  options: LintOptions,
): Promise<LintOutcome> {
  const ESLintClass = await loadESLint();
  // One ESLint per way of parsing (module or script, ESLint's own parser or TypeScript's), made on first use. The base
  // path must contain every file (ESLint ignores files outside it); `overrideConfigFile: true` so no config file of
  // the scanned project is loaded. The files were already chosen: the config un-ignores what ESLint ignores by default.
  const engines = new Map<string, InstanceType<typeof ESLint>>();
  const cwd = commonDirectory(files);
  const engine = (attempt: ParseAttempt): InstanceType<typeof ESLint> => {
    const key = `${attempt.parser}:${attempt.sourceType}:${attempt.jsx}`;
    let eslint = engines.get(key);
    if (!eslint) {
      eslint = withoutIgnoreFileWarning(
        () =>
          new ESLintClass({
            cwd,
            overrideConfigFile: true,
            overrideConfig: [...scanConfig(options.rules, attempt), ...(options.extraConfig ?? [])],
          }),
      );
      engines.set(key, eslint);
    }
    return eslint;
  };
  const selected: ReadonlySet<string> = new Set(options.rules);
  const isSelected = (message: Linter.LintMessage | Linter.SuppressedLintMessage): boolean =>
    message.ruleId !== null && selected.has(message.ruleId);

  const found: FileFindings[] = [];
  const skipped: SkippedFile[] = unreadable.map(({ path, message }) => ({
    file: path,
    reason: 'read-error',
    message,
    line: undefined,
    column: undefined,
  }));
  const failed: FailedFile[] = [];
  let filesLinted = 0;

  for (const [index, file] of files.entries()) {
    options.onProgress?.(index, files.length);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      skipped.push({ file, reason: 'read-error', message: errorText(error), line: undefined, column: undefined });
      continue;
    }

    // Parsed as Node.js runs it; when that fails (TypeScript-only or Flow syntax in a .js file, a script with
    // `import`), the other ways in turn.
    let result: ESLint.LintResult | undefined;
    let firstParseFailure: { result: ESLint.LintResult; attempt: ParseAttempt } | undefined;
    try {
      for (const attempt of parseAttempts(file, text)) {
        [result] = await engine(attempt).lintText(text, { filePath: file });
        if (!result || !parseFailure(result.messages)) break;
        // @typescript-eslint/parser's messages say more ("Merge conflict marker encountered"): its first one is kept.
        if (!firstParseFailure || (firstParseFailure.attempt.parser !== 'typescript' && attempt.parser === 'typescript')) {
          firstParseFailure = { result, attempt };
        }
      }
    } catch (error) {
      failed.push({ file, message: error instanceof Error ? error.message : String(error) });
      continue;
    }
    if (result && parseFailure(result.messages) && firstParseFailure) result = firstParseFailure.result;
    if (!result) {
      failed.push({ file, message: 'ESLint returned no result for this file.' });
      continue;
    }

    const fatal = parseFailure(result.messages);
    if (fatal) {
      // ESLint passes the parser's position through; @typescript-eslint/parser counts columns from 0, espree from 1.
      const zeroBased = firstParseFailure?.attempt.parser === 'typescript';
      const column = typeof fatal.column === 'number' ? fatal.column + (zeroBased ? 1 : 0) : undefined;
      skipped.push({ file, reason: 'parse-error', message: fatal.message, line: fatal.line, column });
      continue;
    }
    // A message without a rule id or a place in the file means it was not linted as configured (no configuration
    // matched it, or it is ignored). Messages about the file's own inline configuration comments have a place.
    const notLinted = result.messages.find((message) => message.ruleId === null && !message.line);
    if (notLinted) {
      failed.push({ file, message: notLinted.message });
      continue;
    }

    filesLinted++;
    // Only this scan's rules count: inline `/* eslint … */` comments in the scanned code may turn on others.
    const messages = result.messages.filter(isSelected);
    if (messages.length > 0) {
      found.push({
        file,
        text,
        findings: messages.map((message) => ({
          ruleId: message.ruleId as RuleId,
          message: message.message,
          line: message.line,
          column: message.column,
          endLine: message.endLine,
          endColumn: message.endColumn,
        })),
      });
    }
  }
  options.onProgress?.(files.length, files.length);

  const byFile = (a: { file: string }, b: { file: string }): number => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  return {
    rules: options.rules,
    filesLinted,
    files: found.sort(byFile),
    skipped: skipped.sort(byFile),
    failed: failed.sort(byFile),
  };
}

/**
 * ESLint warns, when it is made, that a `.eslintignore` in its folder is no longer read. A scan reads no ESLint
 * configuration or ignore file of the scanned project (it chooses the files itself), so that warning would only
 * mislead; every other warning goes through. ESLint keeps the function it is given for its later warnings.
 */
function withoutIgnoreFileWarning<T>(make: () => T): T {
  const emitWarning = process.emitWarning;
  process.emitWarning = function (this: unknown, warning: string | Error, ...rest: unknown[]): void {
    if (rest[0] === 'ESLintIgnoreWarning') return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    return make();
  } finally {
    process.emitWarning = emitWarning;
  }
}
