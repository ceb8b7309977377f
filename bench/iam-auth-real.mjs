// The iam-auth codemod on real public Lambda code: the labelled corpus at ~/.cache/lambda-rds-corpus (or
// $LAMBDA_RDS_CORPUS). Every labelled file is copied (with the package.json files above it, which decide how Node runs
// it) into a temporary directory, never changed in the cache, and transformed there in place, twice.
//
// Figures: passwords labelled (labels.json `passwords`, placeholders included), fixed (the file changed, its
// output no longer holds the password literal anywhere and signs tokens with `getAuthToken()`), left alone with
// the codemod's reason (grouped), failed files, outputs that do not parse, and files a second run changes.
//
//   npm run build && node bench/iam-auth-real.mjs [--json] [--keep]
//
// Exit status 1 when a target is missed: at least 60 % of the labelled passwords fixed, no failed file, every output
// parses, a second run changes nothing.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const TARGET_FIXED_SHARE = 0.6;

export function corpusDir() {
  return process.env.LAMBDA_RDS_CORPUS ?? path.join(homedir(), '.cache', 'lambda-rds-corpus');
}

/** The labelled files of the corpus: `{ repo, root, path, passwords }`. */
export function labelledFiles(corpus = corpusDir()) {
  const labels = JSON.parse(readFileSync(path.join(corpus, 'labels.json'), 'utf8'));
  return labels.repos.flatMap((repo) =>
    repo.files.map((file) => ({ repo: repo.repo, root: path.join(corpus, repo.root), path: file.path, passwords: file.passwords ?? [] })),
  );
}

/** Copies a labelled file and the package.json files of its directories into `into`; returns the copy's path. */
export function copyLabelled(file, into) {
  const target = path.join(into, file.repo.replace('/', '+'), file.path);
  mkdirSync(path.dirname(target), { recursive: true });
  cpSync(path.join(file.root, file.path), target);
  for (let dir = path.dirname(file.path); ; dir = path.dirname(dir)) {
    const manifest = path.join(file.root, dir, 'package.json');
    if (existsSync(manifest)) {
      const copy = path.join(into, file.repo.replace('/', '+'), dir, 'package.json');
      mkdirSync(path.dirname(copy), { recursive: true });
      cpSync(manifest, copy);
    }
    if (dir === '.' || dir === '' || dir === path.dirname(dir)) break;
  }
  return target;
}

/** The built codemod (`dist`, or another build's `dist` to compare, from $LAMBDA_RDS_BENCH_DIST). */
async function load(dist = path.join(ROOT, 'dist')) {
  const { default: transform } = await import(pathToFileURL(path.join(dist, 'codemods/iam-auth/transform.js')).href);
  const { lintFindings } = await import(pathToFileURL(path.join(ROOT, 'dist/codemods/shared/lint.js')).href);
  return { transform, lintFindings };
}

/**
 * ESLint's core scope rules on a text (`no-use-before-define` for variables and classes, `no-undef` with Node.js
 * globals), as `rule: message` lines, or `parse: ...` when it does not parse.
 */
export async function scopeProblems(text, file, sourceType) {
  const { Linter } = await import('eslint');
  const { default: globals } = await import('globals');
  const tsParser = await import('@typescript-eslint/parser');
  const typescript = /\.[cm]?tsx?$/.test(file);
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    text.replace(/^\uFEFF/, ''),
    [
      {
        files: ['**/*'],
        languageOptions: {
          ...(typescript ? { parser: tsParser } : {}),
          ecmaVersion: 'latest',
          sourceType,
          globals: { ...globals.builtin, ...globals.node, ...(sourceType === 'commonjs' ? globals.commonjs : {}) },
        },
        rules: {
          'no-use-before-define': ['error', { functions: false, classes: true, variables: true }],
          'no-undef': 'error',
        },
      },
    ],
    typescript ? 'file.ts' : 'file.js',
  );
  return messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

function addedProblems(before, after) {
  const left = [...before];
  return after.filter((m) => {
    const i = left.indexOf(m);
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}

/**
 * hoist-connection and iam-auth on the same files, in both orders: each result must parse and gain no scope error.
 * Returns the files where an order fails, with the problem.
 */
export async function composeWithHoist({ corpus = corpusDir() } = {}) {
  const { default: jscodeshift } = await import('jscodeshift');
  const { default: iam } = await import(pathToFileURL(path.join(ROOT, 'dist/codemods/iam-auth/transform.js')).href);
  const { default: hoist } = await import(pathToFileURL(path.join(ROOT, 'dist/codemods/hoist-connection/transform.js')).href);
  const { moduleKindFor } = await import(pathToFileURL(path.join(ROOT, 'dist/core/module-kind.js')).href);
  const api = { jscodeshift, j: jscodeshift, report() {}, stats() {} };
  const apply = async (transform, file, text) => (await transform({ path: file, source: text }, api, {})) ?? text;
  const work = mkdtempSync(path.join(tmpdir(), 'lambda-rds-compose-'));
  const problems = [];
  let both = 0;
  try {
    for (const labelled of labelledFiles(corpus)) {
      const file = copyLabelled(labelled, work);
      const input = readFileSync(file, 'utf8');
      const kind = moduleKindFor(file, input);
      const before = await scopeProblems(input, file, kind);
      if (before.some((m) => m.startsWith('parse'))) continue;
      const orders = {
        'hoist then iam-auth': await apply(iam, file, await apply(hoist, file, input)),
        'iam-auth then hoist': await apply(hoist, file, await apply(iam, file, input)),
      };
      if (Object.values(orders).some((out) => out !== input)) both++;
      for (const [order, output] of Object.entries(orders)) {
        const added = addedProblems(before, await scopeProblems(output, file, kind));
        if (added.length) problems.push(`${labelled.repo}:${labelled.path} (${order}): ${added.join('; ')}`);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { changed: both, problems };
}

/** Runs the transform on a file's text; the FileOutcome the migrate CLI would record. */
async function runOnce(transform, file, source, reportDir) {
  const report = path.join(reportDir, `report-${Math.random().toString(36).slice(2)}.jsonl`);
  const { default: jscodeshift } = await import('jscodeshift');
  // jscodeshift's API object, as its Runner gives it (an earlier codemod read it; the current one does not).
  await transform({ path: file, source }, { jscodeshift, j: jscodeshift, report() {}, stats() {} }, { lambdaRdsReport: report, lambdaRdsOutputs: true });
  const line = existsSync(report) ? readFileSync(report, 'utf8').trim().split('\n').pop() : undefined;
  rmSync(report, { force: true });
  return line ? JSON.parse(line) : { status: 'failed', error: 'no report', changes: [], reasons: [] };
}

/** The string literal(s) written on a labelled line (the password is one of them). */
function literalsOnLine(source, line) {
  const text = source.replace(/^\uFEFF/, '').split(/\r?\n/)[line - 1] ?? '';
  return [...text.matchAll(/(['"`])((?:(?!\1)[^\\\n]|\\.)+)\1/g)].map((m) => m[2]);
}

/** The password literal of a label: the last string on its line that the label's line holds after a password key or `||`. */
function passwordLiteral(source, line) {
  const text = source.replace(/^\uFEFF/, '').split(/\r?\n/)[line - 1] ?? '';
  const keyed = /(?:pass(?:word)?\w*|Pass)\s*[:=]\s*(?:[^'"`]*(?:\|\||\?\?)\s*)?(['"`])((?:(?!\1)[^\\\n]|\\.)+)\1/.exec(text);
  if (keyed) return keyed[2];
  const all = literalsOnLine(source, line);
  return all[all.length - 1];
}

function holdsLiteral(text, value) {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(['"\`])${escaped}\\1`).test(text);
}

/** Why the label's password was left: the codemod's reason for that line, else the file's. */
function reasonFor(outcome, line) {
  const forLine = outcome.reasons.find((r) => r.startsWith(`${line}:`));
  if (forLine) return forLine.slice(forLine.indexOf(':') + 1).trim();
  const numbered = outcome.reasons.find((r) => /^\d+:/.test(r));
  if (numbered) return `${numbered.slice(numbered.indexOf(':') + 1).trim()} (reported on another line)`;
  if (outcome.reasons.length) return outcome.reasons[0];
  if (outcome.status === 'failed') return `failed: ${outcome.error}`;
  return 'not reported: the password does not reach a driver configuration in this file';
}

/**
 * Runs the codemod over the corpus. `transform` and `lintFindings` default to the built ones (dist/); tests pass the
 * sources'. `keep` leaves the copies (and `workDir` in the figures) for the caller to inspect and remove.
 */
export async function iamAuthReal({ corpus = corpusDir(), keep = false, transform: given, lintFindings: givenLint } = {}) {
  if (!existsSync(path.join(corpus, 'labels.json'))) throw new Error(`no labelled corpus at ${corpus} (set LAMBDA_RDS_CORPUS)`);
  const built = given && givenLint ? undefined : await load(process.env.LAMBDA_RDS_BENCH_DIST);
  const transform = given ?? built.transform;
  const lintFindings = givenLint ?? built.lintFindings;
  const work = mkdtempSync(path.join(tmpdir(), 'lambda-rds-iam-real-'));
  const figures = {
    files: 0,
    changed: 0,
    passwords: 0,
    fixed: 0,
    left: {},
    failedFiles: [],
    unparsable: [],
    secondRunChanges: [],
    fixedPasswords: [],
    leftPasswords: [],
    outputs: [],
    workDir: work,
  };
  try {
    for (const file of labelledFiles(corpus)) {
      const copy = copyLabelled(file, work);
      const source = readFileSync(copy, 'utf8');
      figures.files++;
      const outcome = await runOnce(transform, copy, source, work);
      const label = `${file.repo}:${file.path}`;
      if (outcome.status === 'failed' && !/^could not parse/.test(outcome.error ?? '')) figures.failedFiles.push(`${label}: ${outcome.error}`);
      let output = source;
      if (outcome.status === 'changed') {
        output = outcome.output;
        writeFileSync(copy, output);
        figures.changed++;
        figures.outputs.push({ label, file: copy, input: source, output, outcome });
        const parsed = lintFindings({ text: output.replace(/^\uFEFF/, ''), filePath: copy, rules: ['no-hardcoded-credentials'] });
        if (parsed.parseError) figures.unparsable.push(`${label}: ${parsed.parseError}`);
        const again = await runOnce(transform, copy, output, work);
        if (again.status === 'changed' && again.output !== output) figures.secondRunChanges.push(label);
      }
      for (const password of file.passwords) {
        figures.passwords++;
        const literal = passwordLiteral(source, password.line);
        const fixed =
          outcome.status === 'changed' && literal !== undefined && !holdsLiteral(output, literal) && output.includes('.getAuthToken(');
        const entry = { file: label, line: password.line, how: password.how };
        if (fixed) {
          figures.fixed++;
          figures.fixedPasswords.push(entry);
        } else {
          const reason = reasonFor(outcome, password.line);
          figures.left[reason] = (figures.left[reason] ?? 0) + 1;
          figures.leftPasswords.push({ ...entry, reason });
        }
      }
    }
  } finally {
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
  figures.fixedShare = figures.passwords ? figures.fixed / figures.passwords : 0;
  figures.targetsMet =
    figures.fixedShare >= TARGET_FIXED_SHARE &&
    figures.failedFiles.length === 0 &&
    figures.unparsable.length === 0 &&
    figures.secondRunChanges.length === 0;
  return figures;
}

function render(f) {
  const pct = (x) => `${(100 * x).toFixed(0)} %`;
  const lines = [
    `iam-auth on real code: ${f.files} labelled files, ${f.changed} changed`,
    `passwords labelled: ${f.passwords}, fixed: ${f.fixed} (${pct(f.fixedShare)}; target ${pct(TARGET_FIXED_SHARE)})`,
    ...f.fixedPasswords.map((p) => `  fixed  ${p.file}:${p.line}`),
    'left, by reason:',
    ...Object.entries(f.left)
      .sort((a, b) => b[1] - a[1])
      .map(([reason, n]) => `  ${n} × ${reason}`),
    ...f.leftPasswords.map((p) => `  left   ${p.file}:${p.line}: ${p.reason}`),
    `failed files: ${f.failedFiles.length}${f.failedFiles.map((x) => `\n  ${x}`).join('')}`,
    `outputs that do not parse: ${f.unparsable.length}${f.unparsable.map((x) => `\n  ${x}`).join('')}`,
    `second-run changes: ${f.secondRunChanges.length}${f.secondRunChanges.map((x) => `\n  ${x}`).join('')}`,
    f.targetsMet ? 'targets met' : 'TARGETS MISSED',
  ];
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const json = process.argv.includes('--json');
  const figures = await iamAuthReal({ keep: process.argv.includes('--keep') });
  const composition = await composeWithHoist();
  const { outputs: _outputs, ...rest } = figures;
  process.stdout.write(
    json
      ? `${JSON.stringify({ ...rest, composition }, null, 2)}\n`
      : `${render(figures)}hoist-connection and iam-auth in both orders: ${composition.changed} files changed, ${composition.problems.length} with a new scope or parse error${composition.problems.map((p) => `\n  ${p}`).join('')}\n`,
  );
  process.exitCode = figures.targetsMet && composition.problems.length === 0 ? 0 : 1;
}
