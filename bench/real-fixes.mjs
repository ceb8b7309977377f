// Fix rates on real code: the codemods over a labelled set of real public Lambda repositories (see
// bench/corpus/manifest.json for the list of repositories, paths and commits; the checkouts and the labels live
// outside the repository, by default in ~/.cache/lambda-rds-corpus, or where LAMBDA_RDS_CORPUS says).
//
// For each codemod, over the labelled files: how many of the rule's findings that a careful reader confirms (a
// finding within a line of a label) the codemod fixes, and why it leaves the others. Then every JavaScript and
// TypeScript file of every repository goes through every codemod: no file may fail, every output must parse, a
// second run must change nothing, and no output may read a name before its declaration or leave a name undefined
// that the input defined.
//
// Exports `runRealFixes()` for bench/run.mjs; `node bench/real-fixes.mjs` runs it alone (after `npm run build`).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = (p) => pathToFileURL(path.join(root, 'dist', p)).href;

export const CORPUS = process.env.LAMBDA_RDS_CORPUS ?? path.join(os.homedir(), '.cache', 'lambda-rds-corpus');

/** The fix targets of the issue: share of confirmed findings fixed. */
export const FIX_TARGETS = { 'hoist-connection': 0.8, 'iam-auth': 0.6, 'use-proxy-endpoint': 1 };

const CODEMODS = [
  { name: 'hoist-connection', rule: 'no-connection-in-handler', labels: (f) => (f.connections ?? []).filter((c) => c.perInvocation && !c.crossFile && !c.uncertain).map((c) => c.line) },
  { name: 'iam-auth', rule: 'no-hardcoded-credentials', labels: (f) => (f.passwords ?? []).filter((p) => !p.uncertain).map((p) => p.line) },
  { name: 'use-proxy-endpoint', rule: 'no-direct-rds-endpoint', labels: (f) => (f.hosts ?? []).filter((h) => !h.isProxyEndpoint && !h.uncertain).map((h) => h.line) },
];

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'cdk.out', '.aws-sam', '.serverless', 'coverage']);

function sourceFiles(dir, out = []) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) sourceFiles(full, out);
    } else if (/\.(?:[cm]?[jt]s|[jt]sx)$/.test(entry.name) && !/\.d\.[cm]?ts$/.test(entry.name)) {
      if (statSync(full).size <= 512 * 1024) out.push(full);
    }
  }
  return out;
}

export async function runRealFixes({ log = console.log } = {}) {
  const labelsFile = path.join(CORPUS, 'labels.json');
  if (!existsSync(labelsFile)) {
    log(`real-code fix rates: no corpus at ${CORPUS} (set LAMBDA_RDS_CORPUS); skipped`);
    return undefined;
  }
  const labels = JSON.parse(readFileSync(labelsFile, 'utf8'));
  const { lintFindings } = await import(dist('codemods/shared/lint.js'));
  const transforms = {};
  for (const codemod of CODEMODS) transforms[codemod.name] = (await import(dist(`codemods/${codemod.name}/transform.js`))).default;

  const run = (name, filePath, source) => {
    let outcome;
    const output = transforms[name]({ path: filePath, source }, { report() {} }, { lambdaRdsOnOutcome: (o) => (outcome = o) });
    return { output, outcome };
  };

  // 1. Fix rates over the labelled files.
  const rates = [];
  for (const codemod of CODEMODS) {
    let confirmed = 0;
    let fixed = 0;
    const left = new Map();
    for (const repo of labels.repos) {
      for (const file of repo.files) {
        const truth = codemod.labels(file);
        if (truth.length === 0) continue;
        const filePath = path.join(CORPUS, repo.root, file.path);
        if (!existsSync(filePath)) continue;
        const source = readFileSync(filePath, 'utf8');
        const lint = lintFindings({ text: source.replace(/^\uFEFF/, ''), filePath, rules: [codemod.rule] });
        const found = lint.findings.filter((f) => f.ruleId === codemod.rule).map((f) => f.line);
        const real = found.filter((line) => truth.some((t) => Math.abs(t - line) <= 1));
        if (real.length === 0) continue;
        confirmed += real.length;
        const { outcome } = run(codemod.name, filePath, source);
        const changedLines = (outcome?.changes ?? []).map((c) => Number.parseInt(c, 10));
        for (const line of real) {
          if (changedLines.some((l) => Math.abs(l - line) <= 1)) {
            fixed++;
            continue;
          }
          const reason =
            outcome?.status === 'failed'
              ? `failed: ${outcome.error}`
              : ((outcome?.reasons ?? []).find((r) => Math.abs(Number.parseInt(r, 10) - line) <= 1) ?? 'no reason given').replace(/^\d+: /, '');
          const where = `${repo.repo}:${file.path}:${line}`;
          left.set(reason, [...(left.get(reason) ?? []), where]);
        }
      }
    }
    const rate = confirmed ? fixed / confirmed : 1;
    const target = FIX_TARGETS[codemod.name];
    rates.push({ codemod: codemod.name, rule: codemod.rule, confirmed, fixed, rate, target, met: rate >= target, left });
    log(`${codemod.name}: fixes ${fixed} of ${confirmed} confirmed findings (${(rate * 100).toFixed(0)} %, target ≥ ${target * 100} %)`);
    for (const [reason, where] of left) log(`  left (${where.length}): ${reason} — ${where.join(', ')}`);
  }

  // 2. Every file of every repository through every codemod.
  const repos = labels.repos.map((r) => path.join(CORPUS, r.root)).filter((dir) => existsSync(dir));
  const files = repos.flatMap((dir) => sourceFiles(dir));
  const totals = { files: files.length, repos: repos.length };
  const safety = [];
  for (const codemod of CODEMODS) {
    const counts = { changed: 0, unchanged: 0, skipped: 0, failed: 0, notParsing: 0, notIdempotent: 0, parseFailures: 0 };
    // A file the codemod skipped before parsing (it imports no database module) is "unchanged" here; "skipped"
    // counts the files it left with a reason for some finding.
    const problems = [];
    for (const filePath of files) {
      const source = readFileSync(filePath, 'utf8');
      const { output, outcome } = run(codemod.name, filePath, source);
      const findingReasons = (outcome?.reasons ?? []).some((r) => /^\d+: /.test(r));
      const status = outcome?.status === 'skipped' && !findingReasons ? 'unchanged' : (outcome?.status ?? 'unchanged');
      counts[status] = (counts[status] ?? 0) + 1;
      if (status === 'failed') {
        if (/could not parse/.test(outcome.error ?? '')) counts.parseFailures++;
        problems.push(`${path.relative(CORPUS, filePath)}: ${outcome.error}`);
      }
      if (typeof output !== 'string') continue;
      const lint = lintFindings({ text: output.replace(/^\uFEFF/, ''), filePath, rules: [] });
      if (lint.parseError) {
        counts.notParsing++;
        problems.push(`${path.relative(CORPUS, filePath)}: output does not parse: ${lint.parseError}`);
      }
      const again = run(codemod.name, filePath, output);
      if (typeof again.output === 'string' && again.output !== output) {
        counts.notIdempotent++;
        problems.push(`${path.relative(CORPUS, filePath)}: a second run changes the output`);
      }
    }
    safety.push({ codemod: codemod.name, ...counts, problems });
    log(
      `${codemod.name} over ${files.length} files of ${repos.length} repositories: ${counts.changed} changed, ${counts.skipped} left with reasons, ${counts.failed} failed (${counts.parseFailures} that no parser reads), ${counts.notParsing} outputs not parsing, ${counts.notIdempotent} changed again by a second run`,
    );
    for (const p of problems.slice(0, 10)) log(`  ${p}`);
  }
  const met =
    rates.every((r) => r.met) &&
    safety.every((s) => s.failed - s.parseFailures === 0 && s.notParsing === 0 && s.notIdempotent === 0);
  return { corpus: CORPUS, totals, rates, safety, met };
}

export function realFixesMarkdown(result) {
  if (!result) return `## Fixes on real code\n\nNot measured: no corpus at \`${CORPUS}\` (set \`LAMBDA_RDS_CORPUS\`).\n`;
  const rows = result.rates
    .map((r) => `| ${r.codemod} | \`${r.rule}\` | ${r.confirmed} | ${r.fixed} | **${(r.rate * 100).toFixed(0)} %** | ≥ ${r.target * 100} % | ${r.met ? 'met' : 'missed'} |`)
    .join('\n');
  const left = result.rates
    .flatMap((r) => [...r.left].map(([reason, where]) => `- ${r.codemod}, ${where.length}: ${reason} (${where.join(', ')})`))
    .join('\n');
  const safety = result.safety
    .map((s) => `| ${s.codemod} | ${s.changed} | ${s.skipped} | ${s.unchanged} | ${s.failed} (${s.parseFailures} unparseable inputs) | ${s.notParsing} | ${s.notIdempotent} |`)
    .join('\n');
  return `## Fixes on real code

${result.totals.repos} public repositories of Lambda code that talks to a relational database (the list, with commits, is
bench/corpus/manifest.json; the code itself is not in this repository). A finding counts as confirmed when a careful
reader's label is within one line of it; a fix counts when the codemod's report names a change at that line.

| Codemod | Rule | Confirmed findings | Fixed | Rate | Target | |
|---|---|---|---|---|---|---|
${rows}

Left as they are, with the codemod's reason:

${left || '- none'}

Every JavaScript and TypeScript file of those repositories (${result.totals.files} files) through each codemod:

| Codemod | Changed | Left with reasons | Unchanged | Failed | Outputs not parsing | Changed by a second run |
|---|---|---|---|---|---|---|
${safety}
`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runRealFixes();
  if (result) console.log(realFixesMarkdown(result));
  if (result && !result.met) process.exitCode = 1;
}
