/**
 * Running the plugin under its two hosts, ESLint and oxlint (through oxlint's `jsPlugins`), over the same files,
 * with findings in one shape so that they can be compared: `{ file, ruleId, message, line, column, endLine,
 * endColumn }`, lines and columns 1-based, columns in UTF-16 code units as ESLint counts them. A file that does not
 * parse gives one finding with `ruleId: null` and no position. Plain JavaScript so that both vitest
 * (test/hosts/oxlint.test.ts) and `npm run bench` (bench/hosts.mjs) can import it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { parseFailure } from '../../dist/core/module-kind.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The built plugin both hosts load. */
export const PLUGIN_PATH = join(ROOT, 'dist', 'index.js');

/** The oxlint command line of node_modules, or of another install named by LAMBDA_RDS_OXLINT (its `bin/oxlint`). */
export const OXLINT_BIN = process.env.LAMBDA_RDS_OXLINT
  ? resolve(process.env.LAMBDA_RDS_OXLINT)
  : join(ROOT, 'node_modules', 'oxlint', 'bin', 'oxlint');

/** The extensions both hosts lint, as `lambda-rds scan` does. */
export const SOURCE_EXTENSIONS = ['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx'];
const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const DECLARATION = /\.d\.[cm]?ts$/;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', 'dist', 'build', 'cdk.out', '.aws-sam', '.serverless', 'coverage']);

/** The source files under `dir` (declaration files and dependency / build folders left out), sorted. */
export function sourceFilesUnder(dir) {
  const out = [];
  const visit = (path) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) visit(child);
      } else if (entry.isFile() && SOURCE.test(entry.name) && !DECLARATION.test(entry.name)) {
        out.push(child);
      }
    }
  };
  visit(dir);
  return out.sort();
}

/** `oxlint --version` of the oxlint that runs, e.g. `1.96.0`. */
export function oxlintVersion() {
  const { stdout, stderr, status } = spawnSync(process.execPath, [OXLINT_BIN, '--version'], { encoding: 'utf8' });
  const version = /(\d+\.\d+\.\d+\S*)/.exec(stdout)?.[1];
  if (status !== 0 || !version) throw new Error(`cannot run ${OXLINT_BIN}: ${stderr || stdout}`);
  return version;
}

/**
 * An `.oxlintrc.json` for the plugin's rules: the plugin as a JS plugin, oxlint's own rules off (no default
 * plugins, no categories), `rules` as given (ESLint rule entries: a severity or `[severity, ...options]`), and the
 * shared settings.
 */
export function oxlintConfig({ rules, settings = {}, pluginPath = PLUGIN_PATH }) {
  return { plugins: [], categories: { correctness: 'off' }, jsPlugins: [pluginPath], settings, rules };
}

/**
 * The ESLint flat config with the same setup as `lambda-rds scan` (src/cli/config.ts): every file through
 * `@typescript-eslint/parser` with JSX, `.cjs`/`.cts` as CommonJS, everything else as modules.
 */
export function eslintConfig({ plugin, rules, settings = {} }) {
  return [
    { ignores: ['!**/node_modules/'] },
    {
      files: SOURCE_EXTENSIONS.map((ext) => `**/*${ext}`),
      plugins: { [plugin.meta.namespace]: plugin },
      languageOptions: { parser: tsParser, ecmaVersion: 'latest', sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } },
      linterOptions: { reportUnusedDisableDirectives: 'off' },
      settings,
      rules,
    },
    { files: ['**/*.cjs', '**/*.cts'], languageOptions: { sourceType: 'commonjs' } },
  ];
}

const byPosition = (a, b) =>
  a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) ||
  String(a.ruleId).localeCompare(String(b.ruleId)) || (a.endLine ?? 0) - (b.endLine ?? 0) ||
  (a.endColumn ?? 0) - (b.endColumn ?? 0) || a.message.localeCompare(b.message);

/** ESLint's messages as findings, `file` relative to `cwd` with `/` separators. */
export function eslintFindings(results, cwd) {
  const findings = [];
  for (const result of results) {
    const file = relative(cwd, result.filePath).split(sep).join('/');
    const failure = parseFailure(result.messages);
    for (const m of result.messages) {
      if (m === failure) findings.push({ file, ruleId: null, message: 'parse error' });
      // ESLint's own messages about the file's inline configuration comments (ESLint 10 rejects `/* eslint-env */`
      // with a fatal message, oxlint ignores it): not the plugin's findings.
      else if (m.ruleId === null && m.fatal) continue;
      else findings.push({ file, ruleId: m.ruleId, message: m.message, line: m.line, column: m.column, endLine: m.endLine, endColumn: m.endColumn });
    }
  }
  return findings.sort(byPosition);
}

/** Lints `files` (absolute) with ESLint's `ESLint` class and `config`, from `cwd`: the findings and how many files it linted. */
export async function lintWithEslint({ cwd, files, config }) {
  const eslint = new ESLint({ cwd, overrideConfigFile: true, overrideConfig: config, warnIgnored: false, cache: false });
  const results = await eslint.lintFiles(files);
  return { findings: eslintFindings(results, cwd), filesLinted: results.length };
}

/**
 * Line and UTF-16 column (1-based) of a UTF-8 byte offset. oxlint reports spans as byte offsets, and the line and
 * column it prints count bytes too; ESLint counts UTF-16 code units. Line breaks as ESLint counts them.
 */
export function positionOfByteOffset(bytes, offset) {
  const before = bytes.subarray(0, offset).toString('utf8');
  const lines = before.split(/\r\n|[\r\n\u2028\u2029]/);
  return { line: lines.length, column: lines.at(-1).length + 1 };
}

/** Line and column (1-based) of a byte offset, the column counted in bytes, as oxlint prints them. */
function bytePositionOf(bytes, offset) {
  const lines = bytes.subarray(0, offset).toString('latin1').split(/\r\n|[\r\n]/);
  return { line: lines.length, column: lines.at(-1).length + 1 };
}

/**
 * oxlint's JSON report as findings. Its rule codes read `lambda-rds(rule)`; diagnostics without a code are parse
 * errors. Each finding also keeps oxlint's own printed `reportedLine`/`reportedColumn`, which must equal the
 * byte-counted position of the span's start (checked here, so that a change of unit in oxlint's output is noticed).
 */
export function oxlintFindings(report, cwd) {
  const findings = [];
  const texts = new Map();
  for (const d of report.diagnostics) {
    const file = d.filename.split(sep).join('/');
    if (!d.code) {
      findings.push({ file, ruleId: null, message: 'parse error' });
      continue;
    }
    const match = /^(.+)\((.+)\)$/.exec(d.code);
    const ruleId = match ? `${match[1]}/${match[2]}` : d.code;
    if (d.labels.length !== 1) throw new Error(`${file}: ${ruleId} has ${d.labels.length} labels`);
    const { span } = d.labels[0];
    if (!texts.has(file)) texts.set(file, readFileSync(join(cwd, d.filename)));
    const bytes = texts.get(file);
    const start = positionOfByteOffset(bytes, span.offset);
    const end = positionOfByteOffset(bytes, span.offset + span.length);
    const printed = bytePositionOf(bytes, span.offset);
    if (printed.line !== span.line || printed.column !== span.column) {
      throw new Error(`${file}: oxlint printed ${span.line}:${span.column} for byte offset ${span.offset} (${printed.line}:${printed.column} counted in bytes)`);
    }
    findings.push({
      file,
      ruleId,
      message: d.message,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      reportedLine: span.line,
      reportedColumn: span.column,
    });
  }
  return findings.sort(byPosition);
}

/** The command line that lints `files` (relative to the config's folder or absolute) with oxlint and a config file. */
export function oxlintArgs({ configPath, files, format = 'json', threads }) {
  return [
    OXLINT_BIN,
    '-c',
    configPath,
    '--format',
    format,
    '--no-ignore',
    '--disable-nested-config',
    ...(threads ? [`--threads=${threads}`] : []),
    ...files,
  ];
}

/** A host's JSON report; a run that printed none (a crash that exited with 1, say) throws with what it printed. */
export function parseJsonReport(stdout, stderr, host) {
  try {
    return JSON.parse(stdout);
  } catch {
    throw new Error(`${host} printed no JSON report: ${(stderr || stdout).slice(0, 2000)}`);
  }
}

/** Runs oxlint; resolves with its exit status and output. Status 0 or 1 (findings) is a run; anything else throws. */
export function runOxlint({ cwd, args }) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (status) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (status !== 0 && status !== 1) reject(new Error(`oxlint exited with ${status}: ${stderr || stdout.slice(0, 2000)}`));
      else resolvePromise({ status, stdout, stderr });
    });
  });
}

/**
 * Lints `files` (absolute paths under `cwd`) with oxlint: writes `config` (see `oxlintConfig`) to `configPath`
 * and names every file on the command line (oxlint lints what it is given, whatever its ignore files say). The
 * findings, and how many files oxlint says it linted.
 */
export async function lintWithOxlint({ cwd, files, config, configPath }) {
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  const relativeFiles = files.map((file) => relative(cwd, file));
  const { stdout, stderr } = await runOxlint({ cwd, args: oxlintArgs({ configPath, files: relativeFiles }) });
  const report = parseJsonReport(stdout, stderr, 'oxlint');
  return { findings: oxlintFindings(report, cwd), filesLinted: report.number_of_files };
}

/** Like `lintWithOxlint`, with a fix option (`--fix`, `--fix-suggestions`): oxlint rewrites the files; no findings. */
export async function fixWithOxlint({ cwd, files, config, configPath, fix }) {
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  const relativeFiles = files.map((file) => relative(cwd, file));
  await runOxlint({ cwd, args: [...oxlintArgs({ configPath, files: relativeFiles }), fix] });
}
