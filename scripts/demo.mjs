// `npm run demo`: the whole loop on the bundled example projects, with the built `lambda-rds` CLI.
//
// 1. Scan examples/ and show the findings; check what the examples promise: every handler file under a `before/`
//    folder is reported at least once and every file under an `after/` folder is clean.
// 2. Copy each project's `before/` files into a git repository of its own (in a temporary folder), and run the three
//    codemods over the folder of repositories in one run each, as a migration across many repositories would.
// 3. Scan the migrated copies and show what is left, each finding with the reason it was left: the codemod's own
//    reason, or that no codemod fixes that rule.
//
// Exits 0 when the examples behave as documented, 1 when they do not, 2 when the CLI cannot run.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

// 3. The fixes: the codemods over copies of the before/ files, one git repository per project.
const work = mkdtempSync(path.join(tmpdir(), 'lambda-rds-demo-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const git = (cwd, ...args) =>
  execFileSync('git', ['-c', 'user.email=demo@example.com', '-c', 'user.name=demo', ...args], { cwd, stdio: 'ignore' });
for (const project of [...projects].sort()) {
  const repo = path.join(work, project);
  mkdirSync(repo, { recursive: true });
  cpSync(path.join(examplesDir, project, 'before'), path.join(repo, 'before'), { recursive: true });
  for (const file of ['package.json', 'tsconfig.json']) {
    if (existsSync(path.join(examplesDir, project, file))) cpSync(path.join(examplesDir, project, file), path.join(repo, file));
  }
  git(repo, 'init', '-q');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'before');
}

// The order the docs recommend: connections once per environment, then through the proxy, then IAM tokens (which
// need TLS, which RDS Proxy gives).
const CODEMODS = [
  ['hoist-connection', 'lambda-rds/no-connection-in-handler'],
  ['use-proxy-endpoint', 'lambda-rds/no-direct-rds-endpoint'],
  ['iam-auth', 'lambda-rds/no-hardcoded-credentials'],
];
const cli = (args, options = {}) =>
  spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
for (const [codemod] of CODEMODS) {
  console.log(`\n$ lambda-rds migrate ${codemod} .   # ${projects.size} repositories, copies of the before/ files\n`);
  const run = cli(['migrate', codemod, '.'], { stdio: 'inherit' });
  if (run.status !== 0) fail(`\`lambda-rds migrate ${codemod}\` exited with status ${run.status}.`, run.status === 2 ? 2 : 1);
  for (const project of projects) {
    const repo = path.join(work, project);
    git(repo, 'add', '-A');
    try {
      git(repo, 'commit', '-qm', codemod);
    } catch {
      // nothing changed in this repository
    }
  }
}

// What is left, with reasons: the codemods run again (as a dry run, which changes nothing) say why they leave each
// finding of their rule; the other rules have no codemod.
const reasons = new Map();
for (const [codemod, rule] of CODEMODS) {
  const dry = cli(['migrate', codemod, '.', '--dry', '--json', path.join(work, `${codemod}.json`)]);
  if (dry.status !== 0) fail(`\`lambda-rds migrate ${codemod} --dry\` exited with status ${dry.status}.`, 2);
  const report = JSON.parse(readFileSync(path.join(work, `${codemod}.json`), 'utf8'));
  for (const file of report.files) {
    for (const reason of file.reasons) {
      const match = /^(\d+): (.*)$/.exec(reason);
      if (match) reasons.set(`${rule} ${file.file}:${match[1]}`, `${codemod} leaves it: ${match[2]}`);
    }
  }
}
const left = cli(['scan', '.', '--format', 'json']);
if (left.status !== 0 && left.status !== 1) fail(`the scan of the migrated copies exited with status ${left.status}.`, 2);
const remaining = JSON.parse(left.stdout);
const lines = [];
for (const file of remaining.files) {
  for (const m of file.messages) {
    const why = reasons.get(`${m.ruleId} ${file.path}:${m.line}`) ?? (CODEMODS.some(([, rule]) => rule === m.ruleId)
      ? 'left by its codemod (see the migrate output above)'
      : 'no codemod fixes this rule: see its documentation');
    lines.push(`  ${file.path}:${m.line}:${m.column}  ${m.ruleId}\n    ${m.message}\n    → ${why}`);
  }
}
console.log(`\nLeft after the codemods: ${lines.length} of ${beforeCount} findings${lines.length ? ':' : '.'}`);
if (lines.length) console.log(lines.join('\n'));
