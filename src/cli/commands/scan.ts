/**
 * `lambda-rds scan [paths..]`: lint a project's Lambda code with the plugin's recommended rules, without any ESLint
 * setup in that project.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseCommandLine, renderOptions, renderTable, type OptionTable } from '../args.js';
import { recommendedRules, selectRules, selectableRules } from '../config.js';
import { UsageError } from '../errors.js';
import { IGNORED_DIRECTORIES, SOURCE_EXTENSIONS, displayPath, errorText, findSourceFiles } from '../files.js';
import { FORMATS, countFindings, renderReport, type Format } from '../formats.js';
import { lintFiles, type LintOutcome } from '../lint.js';
import { listHandlers, renderHandlerJson, renderHandlerText } from '../handlers.js';
import type { Command, CommandIo } from './command.js';

const NAME = 'scan';

export const scanOptions = {
  format: {
    type: 'string',
    short: 'f',
    value: 'format',
    description: `Report format: ${FORMATS.join(', ')} (default: text)`,
  },
  rule: {
    type: 'string',
    multiple: true,
    value: 'id',
    description: 'Run only this rule; repeat it or give a comma-separated list (the lambda-rds/ prefix is optional)',
  },
  'output-file': {
    type: 'string',
    short: 'o',
    value: 'path',
    description: 'Write the report to this file (directories are created) instead of standard output',
  },
  'list-handlers': {
    type: 'boolean',
    description:
      'List the Lambda handlers found in the scanned files and where each is declared (serverless.yml, SAM/CloudFormation, CDK, Amplify) instead of linting (formats: text, json)',
  },
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
} as const satisfies OptionTable;

/** Below this many files a scan is quick enough that a progress line would only flicker. */
const PROGRESS_MIN_FILES = 200;
const PROGRESS_INTERVAL_MS = 100;

function help(): string {
  const recommended = new Set<string>(recommendedRules());
  return `Usage: lambda-rds ${NAME} [options] [paths..]

Lints JavaScript and TypeScript AWS Lambda code for problems with Amazon RDS and RDS Proxy, using the
recommended rules of eslint-plugin-lambda-rds. The scanned project needs no ESLint setup: its
eslint.config.* files are not read. Paths are files or directories (default: the current directory).

Files scanned: ${SOURCE_EXTENSIONS.join(' ')}
  each is parsed as Node.js runs it: .cjs/.cts, and .js without import/export under a CommonJS
  package.json, are scripts (sloppy mode), the others modules. Declaration files (.d.ts) are not
  runtime code and are skipped. Directories named ${IGNORED_DIRECTORIES.join(' ')}
  are skipped below a scanned path (name one as a path to scan it).

Options:
${renderOptions(scanOptions)}

Rules (default: the recommended ones):
${renderTable(selectableRules().map((id) => [id, recommended.has(id) ? 'recommended' : '']))}

Handlers (--list-handlers):
  The rules read each file's deployment descriptors, from its folder up to the project root (the nearest
  folder with .git, else the highest with a package.json or descriptor): serverless.yml|ts, SAM and
  CloudFormation templates, CDK apps (cdk.json), Amplify function templates. An export a descriptor names
  is a handler whatever its name. --list-handlers prints, per file, each handler with the line of its
  export, why it is one, and the descriptor, line, function name and timeout that declare it. JSON:
  { "version": 1, "handlers": [{ "path", "export", "line", "reason",
      "declarations": [{ "path", "line", "kind", "function", "timeout", "timeoutDeclared" }] }],
    "summary": { "handlers", "filesScanned", "skipped" }, "skipped": [{ "path", "message" }] }

Exit status:
${renderTable([
  ['0', 'no findings'],
  ['1', 'findings'],
  ['2', 'usage error, path not found, no files to scan, or internal error'],
])}
  A file that cannot be parsed is listed as skipped, with the parser's message; the other files are
  still scanned, and skipped files do not change the exit status.

Text report (the default):
  Each file with findings, with one line per finding: line:column, the message (one sentence: the
  problem and the fix) and the rule id. Then skipped and failed files; then "Rule docs:", the page
  that explains each rule that reported, once per rule; then a summary line.

JSON report (--format json):
  { "version": 1, "tool": { "name", "version" }, "rules": [ids],
    "summary": { "filesScanned", "filesWithFindings", "findings", "skipped", "failed" },
    "files": [{ "path", "messages": [{ "ruleId", "message", "line", "column", "endLine", "endColumn" }] }],
    "skipped": [{ "path", "reason": "parse-error" | "read-error", "message", "line", "column" }],
    "failed": [{ "path", "message" }] }
  Paths are relative to the working directory; lines and columns start at 1.

Examples:
  lambda-rds scan
  lambda-rds scan functions/orders --rule no-connection-in-handler
  lambda-rds scan --format sarif --output-file reports/lambda-rds.sarif
  lambda-rds scan --list-handlers functions
`;
}

function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

async function run(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandLine(args, scanOptions, NAME);
  if (values.help) {
    io.stdout.write(help());
    return 0;
  }
  const format = values.format ?? 'text';
  if (!isFormat(format)) {
    throw new UsageError(`Unknown format '${format}'. Formats: ${FORMATS.join(', ')}.`, NAME);
  }
  const rules = values.rule ? selectRules(values.rule, NAME) : recommendedRules();
  if (values['output-file'] === '') throw new UsageError('--output-file needs a path.', NAME);
  const outputFile = values['output-file'] === undefined ? undefined : path.resolve(io.cwd, values['output-file']);

  const paths = positionals.length > 0 ? positionals : ['.'];
  const { files, unreadable } = await findSourceFiles(paths, io.cwd);
  if (outputFile !== undefined && files.includes(outputFile)) {
    throw new UsageError(`--output-file ${values['output-file']} is one of the files being scanned.`, NAME);
  }
  if (files.length === 0 && unreadable.length === 0) {
    throw new UsageError(
      `No JavaScript or TypeScript files found in ${paths.join(', ')} (directories named ${IGNORED_DIRECTORIES.join(', ')} are skipped).`,
      NAME,
    );
  }

  if (values['list-handlers']) {
    if (format === 'sarif') throw new UsageError('--list-handlers writes text or json, not sarif.', NAME);
    const listing = await listHandlers(files);
    const text = format === 'json' ? renderHandlerJson(listing, io.cwd) : renderHandlerText(listing, io.cwd);
    if (outputFile === undefined) io.stdout.write(text);
    else {
      await mkdir(path.dirname(outputFile), { recursive: true });
      await writeFile(outputFile, text);
    }
    return 0;
  }

  const progress = progressLine(io, files.length);
  let outcome: LintOutcome;
  try {
    outcome = await lintFiles(files, unreadable, { rules, onProgress: progress.update });
  } finally {
    progress.clear();
  }

  const report = renderReport(format, outcome, io.cwd);
  if (outputFile === undefined) {
    io.stdout.write(report);
  } else {
    try {
      await mkdir(path.dirname(outputFile), { recursive: true });
      await writeFile(outputFile, report);
    } catch (error) {
      // The scan's results are not thrown away: they go to stdout instead.
      io.stdout.write(report);
      io.stderr.write(
        `lambda-rds: Cannot write the report to ${values['output-file']}: ${errorText(error)}. It was written to standard output instead.\n`,
      );
      return 2;
    }
  }

  // The report may be in a file or machine-readable: stderr says what happened and where it went.
  const problems = problemNote(outcome);
  if (outputFile !== undefined) {
    const findings = countFindings(outcome);
    io.stderr.write(
      `${findings} ${findings === 1 ? 'finding' : 'findings'} in ${outcome.filesLinted} ${outcome.filesLinted === 1 ? 'file' : 'files'} scanned.${problems} Report written to ${displayPath(outputFile, io.cwd)}.\n`,
    );
  } else if (format !== 'text' && problems) {
    io.stderr.write(`${problems.trim()}\n`);
  }

  if (outcome.failed.length > 0) return 2;
  return countFindings(outcome) > 0 ? 1 : 0;
}

/** ` n skipped (…). m failed (…).` with a leading space, or `''` when every file was scanned. */
function problemNote(outcome: LintOutcome): string {
  let note = '';
  if (outcome.skipped.length > 0) note += ` ${outcome.skipped.length} skipped (listed in the report).`;
  if (outcome.failed.length > 0) note += ` ${outcome.failed.length} failed with an internal error (listed in the report).`;
  return note;
}

/** A `Scanning n/total files` line on stderr, only when stderr is a terminal and the tree is large. */
function progressLine(io: CommandIo, total: number): { update: (done: number) => void; clear: () => void } {
  if (!io.stderr.isTTY || total < PROGRESS_MIN_FILES) return { update: () => {}, clear: () => {} };
  let last = 0;
  let shown = false;
  return {
    update(done) {
      const now = Date.now();
      if (now - last < PROGRESS_INTERVAL_MS && done < total) return;
      last = now;
      shown = true;
      io.stderr.write(`\rScanning ${done}/${total} files...`);
    },
    clear() {
      if (shown) io.stderr.write('\r\x1b[K');
    },
  };
}

export const scanCommand: Command = {
  name: NAME,
  usage: '[options] [paths..]',
  summary: 'Lint Lambda code for RDS / RDS Proxy problems with the recommended rules; no setup needed',
  options: scanOptions,
  help,
  run,
};
