// Fix rates on real code: the codemods over a labelled set of real public Lambda repositories (see
// bench/corpus/labels.json for the repositories, paths, commits and labels; the checkouts live outside the
// repository, by default in ~/.cache/lambda-rds-corpus, or where LAMBDA_RDS_CORPUS says).
//
// For each codemod, over the labelled files: how many of the rule's findings that a careful reader confirms (a
// finding within a line of a label) the codemod fixes, and why it leaves the others. Then every JavaScript and
// TypeScript file of every repository goes through every codemod: no file may fail, every output must parse, a
// second run must change nothing, and no output may read a name before its declaration or leave a name undefined
// that the input defined.
//
// Exports `runRealFixes()` for bench/run.mjs; `node bench/real-fixes.mjs` runs it alone (after `npm run build`).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createLoadArea } from '../test/helpers/load-module.mjs';
import { addedProblems, scopeProblems } from '../test/helpers/scope-problems.mjs';
import path from 'node:path';
import { corpusFolder, corpusPresent, prepareCheckouts, readLabels } from './corpus/labels.mjs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = (p) => pathToFileURL(path.join(root, 'dist', p)).href;

export const CORPUS = corpusFolder();

/**
 * What is scored, and the fix targets: hoist-connection fixes 80 % of the per-invocation connections its rule
 * reports (confirmed findings), iam-auth 60 % of the labelled passwords, use-proxy-endpoint every direct hostname
 * its rule reports. A database endpoint wired into a function's environment in stack code is no hostname: the
 * codemod fixes it only when the stack has an RDS Proxy for that database, so that part is counted on its own row,
 * with the reasons, and has no target.
 */
const ROWS = [
  {
    name: 'hoist-connection',
    rule: 'no-connection-in-handler',
    target: { share: 0.8, of: 'confirmed' },
    labels: (f) => (f.connections ?? []).filter((c) => c.perInvocation && !c.crossFile && !c.uncertain).map((c) => c.line),
  },
  {
    name: 'iam-auth',
    rule: 'no-hardcoded-credentials',
    target: { share: 0.6, of: 'labelled' },
    labels: (f) => (f.passwords ?? []).filter((p) => !p.uncertain).map((p) => p.line),
  },
  // The order the reasons give: a direct RDS endpoint without TLS goes through the proxy first, then IAM auth.
  {
    name: 'iam-auth',
    part: 'after use-proxy-endpoint',
    after: 'use-proxy-endpoint',
    rule: 'no-hardcoded-credentials',
    labels: (f) => (f.passwords ?? []).filter((p) => !p.uncertain).map((p) => p.line),
  },
  {
    name: 'use-proxy-endpoint',
    rule: 'no-direct-rds-endpoint',
    target: { share: 1, of: 'confirmed' },
    labels: (f) => (f.hosts ?? []).filter((h) => !h.isProxyEndpoint && !h.uncertain && !h.stack).map((h) => h.line),
  },
  {
    name: 'use-proxy-endpoint',
    part: 'stack code',
    rule: 'no-direct-rds-endpoint',
    labels: (f) => (f.hosts ?? []).filter((h) => !h.isProxyEndpoint && !h.uncertain && h.stack).map((h) => h.line),
  },
];
const CODEMODS = [...new Set(ROWS.map((r) => r.name))];

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
  if (!corpusPresent(CORPUS)) {
    log(`real-code fix rates: no corpus at ${CORPUS} (set LAMBDA_RDS_CORPUS); skipped`);
    return undefined;
  }
  const labels = readLabels(CORPUS);
  prepareCheckouts(CORPUS);
  const { lintFindings } = await import(dist('codemods/shared/lint.js'));
  const transforms = {};
  for (const name of CODEMODS) transforms[name] = (await import(dist(`codemods/${name}/transform.js`))).default;

  const run = (name, filePath, source) => {
    let outcome;
    const output = transforms[name]({ path: filePath, source }, { report() {} }, { lambdaRdsOnOutcome: (o) => (outcome = o) });
    return { output, outcome };
  };

  // 1. Fix rates over the labelled files.
  const rates = [];
  for (const codemod of ROWS) {
    let labelled = 0;
    let confirmed = 0;
    let fixed = 0;
    let fixedLabels = 0;
    const left = new Map();
    for (const repo of labels.repos) {
      for (const file of repo.files) {
        const truth = codemod.labels(file);
        if (truth.length === 0) continue;
        const filePath = path.join(CORPUS, repo.root, file.path);
        if (!existsSync(filePath)) continue;
        labelled += truth.length;
        const original = readFileSync(filePath, 'utf8');
        // A codemod run first replaces values in place, so the labels' lines still hold.
        const source = codemod.after ? (run(codemod.after, filePath, original).output ?? original) : original;
        const lint = lintFindings({ text: source.replace(/^\uFEFF/, ''), filePath, rules: [codemod.rule] });
        const found = lint.findings.filter((f) => f.ruleId === codemod.rule).map((f) => f.line);
        const { outcome } = run(codemod.name, filePath, source);
        const changedLines = (outcome?.changes ?? []).map((c) => Number.parseInt(c, 10));
        fixedLabels += truth.filter((t) => changedLines.some((l) => Math.abs(l - t) <= 1)).length;
        const real = found.filter((line) => truth.some((t) => Math.abs(t - line) <= 1));
        if (real.length === 0) continue;
        confirmed += real.length;
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
    const labelledRate = labelled ? fixedLabels / labelled : 1;
    const { target } = codemod;
    const measured = target?.of === 'labelled' ? labelledRate : rate;
    const name = codemod.part ? `${codemod.name} (${codemod.part})` : codemod.name;
    rates.push({ codemod: name, rule: codemod.rule, labelled, fixedLabels, labelledRate, confirmed, fixed, rate, target, met: !target || measured >= target.share, left });
    log(
      `${name}: fixes ${fixed} of ${confirmed} confirmed findings (${(rate * 100).toFixed(0)} %) and ${fixedLabels} of ${labelled} labelled cases (${(labelledRate * 100).toFixed(0)} %); ${target ? `target ≥ ${target.share * 100} % of the ${target.of}` : 'no target'}`,
    );
    for (const [reason, where] of left) log(`  left (${where.length}): ${reason} — ${where.join(', ')}`);
  }

  // 2. Every file of every repository through every codemod.
  const repos = labels.repos.map((r) => path.join(CORPUS, r.root)).filter((dir) => existsSync(dir));
  const files = repos.flatMap((dir) => sourceFiles(dir));
  const totals = { files: files.length, repos: repos.length };
  const safety = [];
  const { moduleKindFor } = await import(dist('core/module-kind.js'));
  const area = createLoadArea();
  for (const codemod of CODEMODS.map((name) => ({ name }))) {
    const counts = { changed: 0, unchanged: 0, skipped: 0, failed: 0, notParsing: 0, notIdempotent: 0, parseFailures: 0, scopeErrors: 0, notLoading: 0 };
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
      // No scope error the input did not have, and the output loads in Node.js as the input does.
      const kind = moduleKindFor(filePath, source);
      const added = addedProblems(scopeProblems(source, filePath, kind), scopeProblems(output, filePath, kind));
      if (added.length) {
        counts.scopeErrors++;
        problems.push(`${path.relative(CORPUS, filePath)}: ${added.join('; ')}`);
      }
      const loadedBefore = area.load(filePath, source, kind);
      const loadedAfter = area.load(filePath, output, kind);
      if (loadedBefore === 'loaded' ? loadedAfter !== 'loaded' : loadedAfter !== loadedBefore) {
        counts.notLoading++;
        problems.push(`${path.relative(CORPUS, filePath)}: input ${loadedBefore}, output ${loadedAfter}`);
      }
    }
    safety.push({ codemod: codemod.name, ...counts, problems });
    log(
      `${codemod.name} over ${files.length} files of ${repos.length} repositories: ${counts.changed} changed, ${counts.skipped} left with reasons, ${counts.failed} failed (${counts.parseFailures} that no parser reads), ${counts.notParsing} outputs not parsing, ${counts.notIdempotent} changed again by a second run, ${counts.scopeErrors} with a new scope error, ${counts.notLoading} not loading as the input does`,
    );
    for (const p of problems.slice(0, 10)) log(`  ${p}`);
  }
  // 3. hoist-connection and iam-auth on the same files, in both orders; use-proxy-endpoint, then iam-auth.
  const composition = { files: 0, problems: [] };
  const apply = (name, filePath, text) => run(name, filePath, text).output ?? text;
  for (const filePath of files) {
    const source = readFileSync(filePath, 'utf8');
    const orders = {
      'hoist-connection, then iam-auth': apply('iam-auth', filePath, apply('hoist-connection', filePath, source)),
      'iam-auth, then hoist-connection': apply('hoist-connection', filePath, apply('iam-auth', filePath, source)),
      'use-proxy-endpoint, then iam-auth': apply('iam-auth', filePath, apply('use-proxy-endpoint', filePath, source)),
    };
    if (Object.values(orders).every((out) => out === source)) continue;
    composition.files++;
    const kind = moduleKindFor(filePath, source);
    const before = scopeProblems(source, filePath, kind);
    for (const [order, output] of Object.entries(orders)) {
      const added = addedProblems(before, scopeProblems(output, filePath, kind));
      const loads = area.load(filePath, output, kind);
      if (added.length || (loads !== 'loaded' && area.load(filePath, source, kind) === 'loaded')) {
        composition.problems.push(`${path.relative(CORPUS, filePath)} (${order}): ${[...added, loads].join('; ')}`);
      }
    }
  }
  area.remove();
  log(`hoist-connection and iam-auth composed in both orders, and use-proxy-endpoint then iam-auth, on ${composition.files} files: ${composition.problems.length} problems`);
  for (const p of composition.problems) log(`  ${p}`);

  const met =
    rates.every((r) => r.met) &&
    composition.problems.length === 0 &&
    safety.every((s) => s.failed - s.parseFailures === 0 && s.notParsing === 0 && s.notIdempotent === 0 && s.scopeErrors === 0 && s.notLoading === 0);
  return { corpus: CORPUS, totals, rates, safety, composition, met };
}

export function realFixesMarkdown(result) {
  if (!result) return `## Fixes on real code\n\nNot measured: no corpus at \`${CORPUS}\` (set \`LAMBDA_RDS_CORPUS\`).\n`;
  const pct = (x) => `${(x * 100).toFixed(0)} %`;
  const rows = result.rates
    .map(
      (r) =>
        `| ${r.codemod} | \`${r.rule}\` | ${r.labelled} | ${r.fixedLabels} (${pct(r.labelledRate)}) | ${r.confirmed} | ${r.fixed} (${pct(r.rate)}) | ${r.target ? `≥ ${r.target.share * 100} % of the ${r.target.of} | ${r.met ? 'met' : 'missed'}` : 'none | counted'} |`,
    )
    .join('\n');
  const left = result.rates
    .flatMap((r) => [...r.left].map(([reason, where]) => `- ${r.codemod}, ${where.length}: ${reason} (${where.join(', ')})`))
    .join('\n');
  const safety = result.safety
    .map(
      (s) =>
        `| ${s.codemod} | ${s.changed} | ${s.skipped} | ${s.unchanged} | ${s.failed} (${s.parseFailures} unparseable inputs) | ${s.notParsing} | ${s.notIdempotent} | ${s.scopeErrors} | ${s.notLoading} |`,
    )
    .join('\n');
  return `## Fixes on real code

${result.totals.repos} public repositories of Lambda code that talks to a relational database (the list, with commits, is
bench/corpus/labels.json; the code itself is not in this repository). A finding counts as confirmed when a careful
reader's label is within one line of it; a fix counts when the codemod's report names a change at that line.

| Codemod | Rule | Labelled | Fixed | Confirmed findings | Fixed | Target | |
|---|---|---|---|---|---|---|---|
${rows}

Labelled: what the labels hold (per-invocation connections in the file itself, passwords, direct hostnames).
Confirmed findings: the rule's findings that match a label. Stack code: a database's own endpoint wired into a
function's environment by a CDK or Pulumi stack; the codemod points it at the stack's RDS Proxy for that database
when there is one, and otherwise says so (no target: creating a proxy is the stack author's decision). iam-auth
after use-proxy-endpoint: each labelled file through use-proxy-endpoint and then iam-auth, the order the reason
"connect through RDS Proxy first" gives (no target of its own).

Left as they are, with the codemod's reason:

${left || '- none'}

Every JavaScript and TypeScript file of those repositories (${result.totals.files} files) through each codemod:

| Codemod | Changed | Left with reasons | Unchanged | Failed | Outputs not parsing | Changed by a second run | New scope errors | Not loading as the input does |
|---|---|---|---|---|---|---|---|---|
${safety}

Scope errors: ESLint's \`no-use-before-define\` and \`no-undef\` on the output against the input. Loading: Node.js
loads the output as it loads the input (real drivers where installed, inert stand-ins otherwise, no network).

hoist-connection and iam-auth applied to the same files in both orders, and use-proxy-endpoint then iam-auth: ${result.composition.files} files, ${result.composition.problems.length} problems${result.composition.problems.length ? `:\n\n${result.composition.problems.map((p) => `- ${p}`).join('\n')}` : '.'}
`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runRealFixes();
  if (result) console.log(realFixesMarkdown(result));
  if (result && !result.met) process.exitCode = 1;
}
