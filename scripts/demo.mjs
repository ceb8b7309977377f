// `npm run demo`: scans the bundled example projects with the built `lambda-rds` CLI, shows the findings, then
// checks what the examples promise: every handler file under a `before/` folder is reported at least once and
// every file under an `after/` folder is clean. Exits 0 when that holds (the scan itself exits 1 because the
// `before/` files have findings), 1 when it does not, 2 when the scan cannot run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'dist', 'cli', 'bin.js');
const examplesDir = path.join(root, 'examples');
const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', '.aws-sam', 'cdk.out', '.serverless', 'coverage']);

function fail(message, code = 1) {
  console.error(`\ndemo: ${message}`);
  process.exit(code);
}

if (!existsSync(bin)) fail(`${path.relative(root, bin)} is missing; build first (\`npm run build\`).`, 2);

// 1. The findings, as a user sees them: text format, the CLI's own colours and layout.
console.log(`$ lambda-rds scan examples\n`);
const shown = spawnSync(process.execPath, [bin, 'scan', 'examples'], { cwd: root, stdio: 'inherit' });
if (shown.error) fail(`could not run the CLI: ${shown.error.message}`, 2);
if (shown.status !== 0 && shown.status !== 1) fail(`\`lambda-rds scan examples\` exited with status ${shown.status}.`, 2);

// 2. The same scan as JSON, to check the expectations file by file.
const scan = spawnSync(process.execPath, [bin, 'scan', 'examples', '--format', 'json'], {
  cwd: root,
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
  stdio: ['ignore', 'pipe', 'inherit'],
});
if (scan.error) fail(`could not run the CLI: ${scan.error.message}`, 2);
if (scan.status !== 0 && scan.status !== 1) fail(`\`lambda-rds scan examples --format json\` exited with status ${scan.status}.`, 2);

let report;
try {
  report = JSON.parse(scan.stdout);
} catch (error) {
  fail(`the JSON report does not parse: ${error.message}`, 2);
}

// The JSON report (see `lambda-rds scan --help`): `files` lists each scanned file's findings; `skipped` files could
// not be parsed or read and `failed` ones hit an internal error. Paths are relative to the working directory.
const findings = new Map();
for (const file of report.files ?? []) findings.set(path.resolve(root, file.path), file.messages ?? []);
const notScanned = new Map();
for (const entry of [...(report.skipped ?? []), ...(report.failed ?? [])]) {
  notScanned.set(path.resolve(root, entry.path), entry.message ?? entry.reason ?? 'not scanned');
}

function sourceFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...sourceFiles(path.join(dir, entry.name)));
    } else if (SOURCE.test(entry.name) && !/\.d\.[cm]?ts$/.test(entry.name)) {
      out.push(path.join(dir, entry.name));
    }
  }
  return out;
}

const side = (file) => {
  const parts = path.relative(examplesDir, file).split(path.sep);
  return parts.includes('before') ? 'before' : parts.includes('after') ? 'after' : undefined;
};

const files = sourceFiles(examplesDir);
const before = files.filter((f) => side(f) === 'before');
const after = files.filter((f) => side(f) === 'after');
const problems = [];
if (before.length === 0) problems.push('no files found under examples/*/before/');
if (after.length === 0) problems.push('no files found under examples/*/after/');

for (const [file, why] of notScanned) problems.push(`${path.relative(root, file)}: not scanned: ${why}`);

let beforeCount = 0;
for (const file of before) {
  if (notScanned.has(file)) continue;
  const n = findings.get(file)?.length ?? 0;
  beforeCount += n;
  if (n === 0) problems.push(`${path.relative(root, file)}: expected at least one finding, got none`);
}
for (const file of after) {
  for (const m of findings.get(file) ?? []) {
    problems.push(`${path.relative(root, file)}:${m.line ?? '?'}:${m.column ?? '?'}: unexpected finding (${m.ruleId ?? 'no rule'}): ${m.message}`);
  }
}

const projects = new Set(files.map((f) => path.relative(examplesDir, f).split(path.sep)[0]));
console.log('');
if (problems.length > 0) {
  console.error(`demo: the examples do not behave as documented (${problems.length} problem${problems.length === 1 ? '' : 's'}):`);
  for (const p of problems) console.error(`  ✖ ${p}`);
  process.exit(1);
}
console.log(
  `examples: ${beforeCount} finding${beforeCount === 1 ? '' : 's'} in ${before.length} before/ files, ` +
    `${after.length} after/ files clean (${projects.size} projects)`,
);
