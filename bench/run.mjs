#!/usr/bin/env node
/**
 * Lint-time cost of the plugin (`npm run bench`, which builds first).
 *
 * Corpus (in memory, deterministic): real source files from this repository's node_modules, the node_modules files
 * that import a database driver, every file of examples/, and "handler variants" of further node_modules files
 * (the `pg` driver imported and a Lambda handler creating a pool appended, see test/helpers/corpus.mjs) so that the
 * rules' real work is measured and not only their early exit on files without a database import.
 *
 * Each round lints the whole corpus twice with ESLint's `ESLint` class: the baseline (ESLint's own recommended
 * rules) and the baseline plus the plugin's `recommended` config, interleaved in chunks of 20 files (each chunk
 * five times with each, in alternating order, keeping the fastest) so that load from other processes, which only
 * adds time, hits both alike and drops out. The overhead is the median over rounds of (plugin - baseline) /
 * baseline, in CPU time of the process (from the medians of the repetitions, and in wall-clock time, for
 * comparison). A third pass per round, with `stats: true` and every rule of the
 * plugin (`configs.all`), gives each rule's share of the total lint time (its `create()` and listeners, as ESLint
 * times them, over parse + rules + fix of every file; each chunk three times, the fastest repetition kept). The
 * per-file analysis the rules share is timed as a rule of its own, placed first (bench/shared-analysis.mjs).
 *
 * Targets: `recommended` adds at most 5 % to lint time; each rule, and the shared analysis, takes at most 1 % of it.
 * Prints a table, writes bench/RESULTS.md, and exits with 1 when a target is missed.
 *
 * Last, bench/hosts.mjs times ESLint and oxlint (the plugin in its `jsPlugins`) over the same real Lambda files: the
 * corpus of public Lambda projects when it is there (--corpus), else this corpus. Reported, with no target.
 *
 * Options: --rounds N (5), --plain N (1600 plain node_modules files), --variants N (450 handler variants),
 * --max-kb N (200: larger node_modules files, mostly bundles, are left out), --no-write (do not write RESULTS.md),
 * --only base|recommended|all (just lint the corpus --rounds times with that config and print the times: for
 * profiling, e.g. `node --cpu-prof bench/run.mjs --only recommended --rounds 2`), --only stats (only the `stats`
 * pass: each rule's share of lint time, per part of the corpus), --only adversarial (only the
 * linear-time check of bench/adversarial.mjs), --only hosts (only ESLint against oxlint), --corpus DIR (the
 * folder of real Lambda projects for that comparison; default `repos` under LAMBDA_RDS_CORPUS, else
 * ~/.cache/lambda-rds-corpus/repos).
 */
import { availableParallelism, cpus, totalmem } from 'node:os';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ESLint, Linter } from 'eslint';
import { builtinRules } from 'eslint/use-at-your-own-risk';
import tsParser from '@typescript-eslint/parser';
import plugin from '../dist/index.js';
import { codemodMarkdown, runCodemodBench } from './codemod.mjs';
import { adversarialMarkdown, runAdversarialBench, TARGET_RATIO } from './adversarial.mjs';
import { realFixesMarkdown, runRealFixes } from './real-fixes.mjs';
import { corpusPresent } from './corpus/labels.mjs';
import { defaultCorpus, realDetectionMarkdown, renderReport, runRealDetection, targetsMet } from './real-detection.mjs';
import { installMarkdown, runInstallBench } from './install.mjs';
import { hostsMarkdown, runHostsBench } from './hosts.mjs';
import { iacMarkdown, runIacBench } from './iac.mjs';
import {
  handlerVariant,
  importsDatabaseDriver,
  listSourceFiles,
  parseModes,
  readText,
  spread,
  virtualFilename,
} from '../test/helpers/corpus.mjs';
import { fastestOf, median } from './stats.mjs';
import { SHARED_RULE_ID, statsConfig, statsLabel } from './shared-analysis.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TARGET_OVERHEAD = 0.05;
const TARGET_RULE_SHARE = 0.01;
/** Files per chunk of the interleaved baseline / plugin passes (a fraction of a second of linting)... */
const CHUNK = 20;
/** ...and how many times each chunk is linted with each config (the fastest counts). */
const REPEATS = 5;
/** How many times each chunk is linted in the `stats` pass (the fastest repetition counts). */
const STATS_REPEATS = 3;

const { values: options } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    plain: { type: 'string', default: '1600' },
    variants: { type: 'string', default: '450' },
    'max-kb': { type: 'string', default: '200' },
    only: { type: 'string' },
    corpus: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(options.rounds);
const NAMESPACE = plugin.meta.namespace;

// ---------------------------------------------------------------------------------------------------------------
// Corpus

const SOURCE_GLOB = '**/*.{js,mjs,cjs,ts,mts,cts}';
const parseChecker = new Linter({ configType: 'flat' });

/** The source type a file parses with (module first), or undefined when it parses with none. */
function detectSourceType(code, path) {
  const { typescript, sourceTypes } = parseModes(path);
  for (const sourceType of sourceTypes) {
    const config = [
      {
        files: [SOURCE_GLOB],
        languageOptions: { ecmaVersion: 'latest', sourceType, ...(typescript ? { parser: tsParser } : {}) },
      },
    ];
    const messages = parseChecker.verify(code, config, { filename: `check/${path.split('/').pop()}` });
    if (!messages.some((m) => m.fatal)) return sourceType;
  }
  return undefined;
}

/** Where the corpus files are "linted from": a folder per source type, so that the config can set it. */
function corpusPath(kind, sourceType, name) {
  return join(ROOT, 'bench-corpus', sourceType === 'commonjs' ? 'cjs' : 'esm', kind, name);
}

function buildCorpus() {
  const all = listSourceFiles(join(ROOT, 'node_modules'), { maxBytes: Number(options['max-kb']) * 1024 });
  const entries = [];
  const used = new Set();
  const add = (kind, file, code, sourceType, name) =>
    entries.push({ kind, code, filePath: corpusPath(kind, sourceType, name), ext: /\.[cm]?[jt]s$/.exec(file)[0], imports: importsDatabaseDriver(code) });

  // node_modules files that import a database driver, as they are.
  for (const file of all) {
    const code = readText(file.path);
    if (!importsDatabaseDriver(code)) continue;
    const sourceType = detectSourceType(code, file.path);
    if (!sourceType) continue;
    used.add(file.path);
    add('driver-users', file.relative, code, sourceType, virtualFilename(file.relative).slice('corpus/'.length));
  }

  // examples/: realistic Lambda projects.
  const examples = join(ROOT, 'examples');
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(path);
      else if (entry.isFile() && /\.[cm]?[jt]s$/.test(entry.name) && !/\.d\.[cm]?ts$/.test(entry.name)) {
        const code = readText(path);
        const sourceType = detectSourceType(code, path);
        if (sourceType) add('examples', path, code, sourceType, relative(examples, path));
      }
    }
  };
  try {
    walk(examples);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }

  // Plain node_modules files and handler variants of others, spread over the sorted list.
  const rest = all.filter((f) => !used.has(f.path));
  const picked = spread(rest, Number(options.plain) + Number(options.variants));
  const variantEvery = picked.length / Number(options.variants);
  let nextVariant = 0;
  picked.forEach((file, index) => {
    const code = readText(file.path);
    const sourceType = detectSourceType(code, file.path);
    if (!sourceType) return;
    const name = virtualFilename(file.relative).slice('corpus/'.length);
    if (index >= nextVariant) {
      nextVariant += variantEvery;
      const variant = handlerVariant(code, sourceType);
      if (detectSourceType(variant, file.path) === sourceType) {
        add('handler-variants', file.relative, variant, sourceType, name);
        return;
      }
    }
    add('plain', file.relative, code, sourceType, name);
  });
  return entries;
}

// ---------------------------------------------------------------------------------------------------------------
// Configs

const baselineRules = Object.fromEntries(
  [...builtinRules]
    .filter(([, rule]) => rule.meta?.docs?.recommended === true && !rule.meta.deprecated)
    .map(([name]) => [name, 'error']),
);

const languageConfigs = [
  { files: [SOURCE_GLOB], languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
  { files: ['**/*.{ts,mts,cts}'], languageOptions: { parser: tsParser } },
  { files: ['bench-corpus/cjs/**'], languageOptions: { sourceType: 'commonjs' } },
];
const baseline = [...languageConfigs, { files: [SOURCE_GLOB], rules: baselineRules }];
const withPlugin = (config) => [...baseline, { ...config, files: [SOURCE_GLOB] }];

const engine = (overrideConfig, stats = false) =>
  new ESLint({ cwd: ROOT, overrideConfigFile: true, overrideConfig, stats, warnIgnored: false, cache: false });

// ---------------------------------------------------------------------------------------------------------------
// Measuring

/**
 * One pass over the corpus with each of two engines, interleaved in small chunks of files: each chunk is linted
 * REPEATS times with each engine (order alternating) and the fastest time per engine is kept, so that both see the
 * same machine conditions and load from other processes, which only ever adds time, does not count. Garbage
 * collection of what the linting allocates happens in every repetition and stays in. CPU time of this process
 * (less disturbed by other load than wall-clock time), and wall-clock time, per engine; the sums of the per-chunk
 * medians are kept too, for comparison.
 */
async function pairedPass(base, plugin, corpus, round) {
  const t = { base: { ms: 0, cpuMs: 0, medianCpuMs: 0 }, plugin: { ms: 0, cpuMs: 0, medianCpuMs: 0 } };
  for (let start = 0, chunk = 0; start < corpus.length; start += CHUNK, chunk++) {
    const files = corpus.slice(start, start + CHUNK);
    const samples = { base: [], plugin: [] };
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      const order = (chunk + round + repeat) % 2 === 0 ? ['base', 'plugin'] : ['plugin', 'base'];
      for (const which of order) samples[which].push(await pass(which === 'base' ? base : plugin, files));
    }
    for (const which of ['base', 'plugin']) {
      t[which].ms += Math.min(...samples[which].map((s) => s.ms));
      t[which].cpuMs += Math.min(...samples[which].map((s) => s.cpuMs));
      t[which].medianCpuMs += median(samples[which].map((s) => s.cpuMs));
    }
  }
  return t;
}

/** One pass over some files: wall time, and CPU time of this process. */
async function pass(eslint, corpus) {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let fatal = 0;
  for (const file of corpus) {
    const [result] = await eslint.lintText(file.code, { filePath: file.filePath });
    fatal += result.fatalErrorCount;
  }
  const cpu = process.cpuUsage(cpuStart);
  return { ms: performance.now() - start, cpuMs: (cpu.user + cpu.system) / 1000, fatal };
}

/**
 * The `stats` pass: each chunk of CHUNK files linted STATS_REPEATS times with `stats`, and the fastest repetition of
 * the chunk (by its total time) kept with each rule's time in it, as the overhead passes keep the fastest. Findings
 * are counted once.
 */
async function statsPass(eslint, corpus, ruleIds) {
  const ruleMs = Object.fromEntries(ruleIds.map((id) => [id, 0]));
  const findings = Object.fromEntries(ruleIds.map((id) => [id, 0]));
  let totalMs = 0;
  let parseMs = 0;
  const byKind = {};
  const filesWithFindings = new Set();
  for (let start = 0; start < corpus.length; start += CHUNK) {
    const files = corpus.slice(start, start + CHUNK);
    const fastest = await fastestOf(STATS_REPEATS, async (repeat) => {
      const sample = { totalMs: 0, parseMs: 0, ruleMs: Object.fromEntries(ruleIds.map((id) => [id, 0])), byKind: {} };
      for (const file of files) {
        const [result] = await eslint.lintText(file.code, { filePath: file.filePath });
        const kind = (sample.byKind[file.kind] ??= { files: 0, totalMs: 0, pluginMs: 0, ruleMs: Object.fromEntries(ruleIds.map((id) => [id, 0])) });
        kind.files++;
        for (const p of result.stats?.times.passes ?? []) {
          sample.totalMs += p.total;
          sample.parseMs += p.parse?.total ?? 0;
          kind.totalMs += p.total;
          for (const id of ruleIds) {
            const ms = p.rules?.[id]?.total ?? 0;
            sample.ruleMs[id] += ms;
            kind.pluginMs += ms;
            kind.ruleMs[id] += ms;
          }
        }
        if (repeat > 0) continue;
        for (const m of result.messages) {
          if (m.ruleId in findings) {
            findings[m.ruleId]++;
            filesWithFindings.add(file.filePath);
          }
        }
      }
      return sample;
    });
    totalMs += fastest.totalMs;
    parseMs += fastest.parseMs;
    for (const id of ruleIds) ruleMs[id] += fastest.ruleMs[id];
    for (const [name, k] of Object.entries(fastest.byKind)) {
      const kind = (byKind[name] ??= { files: 0, totalMs: 0, pluginMs: 0, ruleMs: Object.fromEntries(ruleIds.map((id) => [id, 0])) });
      kind.files += k.files;
      kind.totalMs += k.totalMs;
      kind.pluginMs += k.pluginMs;
      for (const id of ruleIds) kind.ruleMs[id] += k.ruleMs[id];
    }
  }
  return { totalMs, parseMs, ruleMs, byKind, findings, filesWithFindings: filesWithFindings.size };
}

const percent = (x, digits = 2) => `${(x * 100).toFixed(digits)} %`;

async function main() {
  if (options.only === 'adversarial') {
    const adversarial = runAdversarialBench();
    console.log(`adversarial inputs: ${adversarial.met ? 'met' : 'MISSED'} (target: ratio ≤ ${TARGET_RATIO})`);
    if (!adversarial.met) process.exitCode = 1;
    return;
  }
  if (options.only === 'hosts') {
    const hosts = await runHostsBench({ corpus: options.corpus, rounds: ROUNDS, fallback: buildCorpus });
    console.log(`\n${hostsMarkdown(hosts)}`);
    return;
  }
  const prepared = performance.now();
  const corpus = buildCorpus();
  const count = (predicate) => corpus.filter(predicate).length;
  const composition = {
    total: corpus.length,
    importsDriver: count((f) => f.imports),
    byKind: Object.fromEntries(['plain', 'driver-users', 'examples', 'handler-variants'].map((k) => [k, count((f) => f.kind === k)])),
    byExtension: Object.fromEntries([...new Set(corpus.map((f) => f.ext))].sort().map((e) => [e, count((f) => f.ext === e)])),
    commonjs: count((f) => f.filePath.includes(`${join('bench-corpus', 'cjs')}`)),
    megabytes: corpus.reduce((n, f) => n + f.code.length, 0) / 1e6,
  };
  console.log(`corpus: ${JSON.stringify(composition)} (prepared in ${((performance.now() - prepared) / 1000).toFixed(1)} s)`);

  const recommendedIds = Object.keys(plugin.configs.recommended.rules);
  const allIds = Object.keys(plugin.configs.all.rules);
  const base = engine(baseline);
  const recommended = engine(withPlugin(plugin.configs.recommended));
  // The `stats` passes: every rule of the plugin, after the shared per-file analysis as a rule of its own.
  const statsSetup = statsConfig(baseline, plugin, [SOURCE_GLOB]);
  const timed = engine(statsSetup.config, true);
  const statIds = statsSetup.ids;

  if (options.only === 'stats') {
    // Only the `stats` pass with `configs.all`: each rule's time per file of each part, for comparing changes.
    await statsPass(timed, corpus, statIds);
    for (let round = 0; round < ROUNDS; round++) {
      const stats = await statsPass(timed, corpus, statIds);
      const perKind = (id) =>
        Object.entries(stats.byKind)
          .map(([kind, k]) => `${kind} ${(k.ruleMs[id] / k.files).toFixed(4)}`)
          .join(', ');
      console.log(`stats pass ${round + 1}/${ROUNDS}: total ${stats.totalMs.toFixed(0)} ms`);
      for (const id of statIds) {
        console.log(`  ${id}: ${percent(stats.ruleMs[id] / stats.totalMs, 3)} (ms per file: ${perKind(id)})`);
      }
    }
    return;
  }
  if (options.only) {
    const configs = { base: baseline, recommended: withPlugin(plugin.configs.recommended), all: withPlugin(plugin.configs.all) };
    if (!configs[options.only]) throw new Error(`--only takes base, recommended, all, stats, adversarial or hosts, not ${options.only}`);
    const eslint = engine(configs[options.only]);
    for (let round = 0; round < ROUNDS; round++) {
      const t = await pass(eslint, corpus);
      console.log(`${options.only} pass ${round + 1}/${ROUNDS}: CPU ${t.cpuMs.toFixed(0)} ms, wall ${t.ms.toFixed(0)} ms`);
    }
    return;
  }

  // Warm-up: load parsers, JIT-compile rules.
  const warm = await pass(base, corpus);
  await pass(recommended, corpus);
  if (warm.fatal > 0) throw new Error(`${warm.fatal} corpus files do not parse under the bench config`);

  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const t = await pairedPass(base, recommended, corpus, round);
    const stats = await statsPass(timed, corpus, statIds);
    rounds.push({
      base: t.base.cpuMs,
      plugin: t.plugin.cpuMs,
      overhead: (t.plugin.cpuMs - t.base.cpuMs) / t.base.cpuMs,
      medianOverhead: (t.plugin.medianCpuMs - t.base.medianCpuMs) / t.base.medianCpuMs,
      wallOverhead: (t.plugin.ms - t.base.ms) / t.base.ms,
      stats,
    });
    console.log(
      `round ${round + 1}/${ROUNDS}: CPU baseline ${t.base.cpuMs.toFixed(0)} ms, +recommended ${t.plugin.cpuMs.toFixed(0)} ms, ` +
        `overhead ${percent(rounds.at(-1).overhead)} (medians of repeats ${percent(rounds.at(-1).medianOverhead)}; wall ${t.base.ms.toFixed(0)} / ${t.plugin.ms.toFixed(0)} ms, ${percent(rounds.at(-1).wallOverhead)}); ` +
        `plugin rules ${percent(statIds.reduce((n, id) => n + stats.ruleMs[id], 0) / stats.totalMs)} of stats time`,
    );
  }

  const overhead = median(rounds.map((r) => r.overhead));
  const wallOverhead = median(rounds.map((r) => r.wallOverhead));
  const medianOverhead = median(rounds.map((r) => r.medianOverhead));
  const ruleRows = statIds.map((id) => {
    const share = median(rounds.map((r) => r.stats.ruleMs[id] / r.stats.totalMs));
    const msPerFile = median(rounds.map((r) => r.stats.ruleMs[id])) / corpus.length;
    return { id, recommended: recommendedIds.includes(id), share, msPerFile, findings: rounds[0].stats.findings[id], met: share <= TARGET_RULE_SHARE };
  });
  const pluginShare = median(rounds.map((r) => statIds.reduce((n, id) => n + r.stats.ruleMs[id], 0) / r.stats.totalMs));
  const parseShare = median(rounds.map((r) => r.stats.parseMs / r.stats.totalMs));
  const overheadMet = overhead <= TARGET_OVERHEAD;
  let allMet = overheadMet && ruleRows.every((r) => r.met);

  const table = [
    '| Rule | In `recommended` | Share of lint time (median) | ms per file | Findings | ≤ 1 % |',
    '|---|---|---|---|---|---|',
    ...ruleRows.map(
      (r) => `| ${statsLabel(r.id)} | ${r.id === SHARED_RULE_ID ? '(all)' : r.recommended ? 'yes' : 'no'} | ${percent(r.share, 3)} | ${r.msPerFile.toFixed(4)} | ${r.findings} | ${r.met ? 'yes' : '**no**'} |`,
    ),
  ].join('\n');

  const kinds = Object.keys(rounds[0].stats.byKind);
  const kindTable = [
    '| Part | Files | Lint time per file | Plugin rules per file | Plugin share |',
    '|---|---|---|---|---|',
    ...kinds.map((kind) => {
      const k = (r) => r.stats.byKind[kind];
      const perFile = median(rounds.map((r) => k(r).totalMs / k(r).files));
      const pluginPerFile = median(rounds.map((r) => k(r).pluginMs / k(r).files));
      const share = median(rounds.map((r) => k(r).pluginMs / k(r).totalMs));
      return `| ${kind} | ${k(rounds[0]).files} | ${perFile.toFixed(2)} ms | ${pluginPerFile.toFixed(3)} ms | ${percent(share)} |`;
    }),
  ].join('\n');
  const ruleKindTable = [
    `| Rule | ${kinds.map((kind) => `${kind} (ms per file)`).join(' | ')} |`,
    `|---|${kinds.map(() => '---|').join('')}`,
    ...statIds.map(
      (id) =>
        `| ${statsLabel(id)} | ${kinds
          .map((kind) => median(rounds.map((r) => r.stats.byKind[kind].ruleMs[id] / r.stats.byKind[kind].files)).toFixed(4))
          .join(' | ')} |`,
    ),
  ].join('\n');
  const cpu = cpus()[0]?.model?.trim() ?? 'unknown CPU';
  let report = `# Benchmark results

Written by \`npm run bench\` (bench/run.mjs). Figures from one run on a shared machine (a virtual machine whose
host also runs others): single rounds vary by a few per cent when other processes load it, so the medians over
rounds are what count, and a figure within a per cent of its target can land on either side of it in another run.
Profile with
\`node --cpu-prof bench/run.mjs --only recommended --rounds 2\`.

- Date: ${new Date().toISOString()}
- Machine: ${availableParallelism()} CPUs (\`nproc\`), ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB
- Node.js ${process.version}, ESLint ${ESLint.version}, ${plugin.meta.name} ${plugin.meta.version}
- Rounds: ${ROUNDS}; in each, baseline and baseline + \`recommended\` interleaved in chunks of ${CHUNK} files, each chunk linted ${REPEATS} times with each (order alternating, fastest kept), then a \`stats\` pass (each chunk ${STATS_REPEATS} times, fastest kept); one untimed warm-up pass of each

## Corpus

${composition.total} files, ${composition.megabytes.toFixed(1)} MB, linted from memory; **${composition.importsDriver} import a database driver** (${percent(composition.importsDriver / composition.total, 0)}).

| Part | Files |
|---|---|
| Plain third-party files from node_modules | ${composition.byKind.plain} |
| node_modules files that import a database driver | ${composition.byKind['driver-users']} |
| examples/ (Lambda handlers, before and after fixes) | ${composition.byKind.examples} |
| Handler variants of node_modules files (\`pg\` imported, a pool created in an appended handler) | ${composition.byKind['handler-variants']} |

By extension: ${Object.entries(composition.byExtension).map(([e, n]) => `${e} ${n}`).join(', ')}; ${composition.commonjs} parsed as CommonJS.

## Overhead of \`recommended\`

Baseline: ESLint's own recommended rules (${Object.keys(baselineRules).length} core rules), TypeScript files through \`@typescript-eslint/parser\`.

Times are the CPU time (user + system) of the linting process, which other load on a shared machine disturbs
much less than wall-clock time. Each chunk of ${CHUNK} files counts with the fastest of its ${REPEATS} repetitions per config:
load from other processes only ever adds time, while the garbage collection of what the linting allocates recurs
in every repetition and stays in the figure. For comparison: the same overhead from the per-chunk medians of the
repetitions instead, and from wall-clock time.

| | Median | Min | Max |
|---|---|---|---|
| Baseline pass (CPU) | ${median(rounds.map((r) => r.base)).toFixed(0)} ms | ${Math.min(...rounds.map((r) => r.base)).toFixed(0)} ms | ${Math.max(...rounds.map((r) => r.base)).toFixed(0)} ms |
| Baseline + \`recommended\` pass (CPU) | ${median(rounds.map((r) => r.plugin)).toFixed(0)} ms | ${Math.min(...rounds.map((r) => r.plugin)).toFixed(0)} ms | ${Math.max(...rounds.map((r) => r.plugin)).toFixed(0)} ms |
| Overhead, CPU time (per round) | **${percent(overhead)}** | ${percent(Math.min(...rounds.map((r) => r.overhead)))} | ${percent(Math.max(...rounds.map((r) => r.overhead)))} |
| Overhead, CPU time, medians of the repetitions (per round) | ${percent(medianOverhead)} | ${percent(Math.min(...rounds.map((r) => r.medianOverhead)))} | ${percent(Math.max(...rounds.map((r) => r.medianOverhead)))} |
| Overhead, wall-clock time (per round) | ${percent(wallOverhead)} | ${percent(Math.min(...rounds.map((r) => r.wallOverhead)))} | ${percent(Math.max(...rounds.map((r) => r.wallOverhead)))} |

Target ≤ 5 %: **${overheadMet ? 'met' : 'missed'}**.

## Each rule's share of lint time

From ESLint's \`stats\` (baseline + \`configs.all\`): a rule's \`create()\` and listener time over the total time of
parse + rules + fix of every file. Each chunk of ${CHUNK} files is linted ${STATS_REPEATS} times and its fastest repetition
(by total time) counts, with the rules' times in that repetition; the figure is the median over rounds. Parsing is
${percent(parseShare, 1)} of the total; all of the plugin's rules together, with the shared analysis, ${percent(pluginShare)}.

The per-file analysis the rules share (driver instances, Lambda handlers and the deployment descriptors that name
them, connection configs, the host's parse kept for the project knowledge) is computed once per file. Whichever rule
asks first would pay for all of it, so a rule of the bench's own (bench/shared-analysis.mjs), placed before the
plugin's rules, asks for it as the rules do and has a row of its own, held to the same 1 % as a rule. What one rule
computes for itself (the invocation graph, the cross-file analysis, fix plans) stays in that rule's row.

${table}

Target ≤ 1 % per rule: **${ruleRows.every((r) => r.met) ? 'met' : 'missed'}**.

## Where the plugin's time goes, by part of the corpus

All of the plugin's rules together (\`stats\`, median over rounds), per file of each part:

${kindTable}

Each rule, per file of each part (the shared per-file analysis on a row of its own):

${ruleKindTable}

\`stats\` counts the time spent running the rules' code. The overhead measured above is larger than the rules'
share when garbage collection of what the rules allocated is paid later, outside them (while the next file is
parsed, for instance): that cost is real, and the CPU-time comparison includes it.
`;

  console.log(`\n${table}\n\n${kindTable}\n\n${ruleKindTable}\n`);
  console.log(
    `overhead of recommended (median of ${ROUNDS} rounds): CPU ${percent(overhead)} (target ≤ 5 %: ${overheadMet ? 'met' : 'MISSED'}), from medians of repetitions ${percent(medianOverhead)}, wall ${percent(wallOverhead)}`,
  );
  console.log(`all plugin rules together: ${percent(pluginShare)} of lint time; parsing ${percent(parseShare, 1)}`);
  // The codemods: files per second over the same kind of tree, with and without the text prefilter.
  console.log('\ncodemod throughput (hoist-connection):');
  const codemod = await runCodemodBench({ log: (line) => console.log(line) });
  const codemodMet = codemod.speedup >= 5;
  console.log(`prefilter speed-up: ${codemod.speedup.toFixed(1)}x (target ≥ 5x: ${codemodMet ? 'met' : 'MISSED'})`);
  allMet = allMet && codemodMet;
  report += `\n${codemodMarkdown(codemod)}`;
  // Scanners and rules on adversarial string contents: time at twice the size over time at the size.
  console.log('\nadversarial inputs (time at twice the size / time):');
  const adversarial = runAdversarialBench({ log: (line) => console.log(line) });
  console.log(`adversarial inputs: ${adversarial.met ? 'met' : 'MISSED'} (target: ratio ≤ ${TARGET_RATIO})`);
  allMet = allMet && adversarial.met;
  report += `\n${adversarialMarkdown(adversarial)}`;
  // Stack code (CDK, Pulumi) of the real-code corpus: findings and lint time.
  console.log('\nstack code (CDK and Pulumi) of the real-code corpus:');
  const iac = await runIacBench({ plugin });
  if (iac) {
    allMet = allMet && iac.met !== false;
    report += `\n${iacMarkdown(iac)}`;
  }
  // What installing and importing the plugin costs.
  console.log('\ninstall size and import time:');
  const install = await runInstallBench({ log: (line) => console.log(line) });
  allMet = allMet && install.met;
  report += `\n${installMarkdown(install)}`;
  // The codemods on real public Lambda code: fix rates and safety.
  console.log('\nfixes on real code:');
  const realFixes = await runRealFixes({ log: (line) => console.log(line) });
  if (realFixes) allMet = allMet && realFixes.met;
  report += `\n${realFixesMarkdown(realFixes)}`;
  // The rules on real public Lambda code: recall and precision against the labels, and what the project knowledge
  // costs.
  console.log('\ndetection on real code:');
  const detection = corpusPresent(defaultCorpus()) ? await runRealDetection({ runs: ROUNDS }) : undefined;
  if (detection) {
    console.log(renderReport(detection));
    allMet = allMet && targetsMet(detection);
  }
  report += `\n${realDetectionMarkdown(detection)}`;
  // The same rules under ESLint and under oxlint, over the same real files: wall time of each command line.
  console.log('\nESLint and oxlint (wall time of each command line):');
  const hosts = await runHostsBench({ corpus: options.corpus, rounds: ROUNDS, fallback: () => corpus });
  console.log(`ESLint / oxlint: ${hosts.ratio.toFixed(1)}x with each host's default threads, ${hosts.ratioOneThread.toFixed(1)}x on one thread (${hosts.set.name} files)`);
  report += `\n${hostsMarkdown(hosts)}`;
  if (!options['no-write']) {
    writeFileSync(join(ROOT, 'bench', 'RESULTS.md'), report);
    console.log('wrote bench/RESULTS.md');
  }
  if (!allMet) {
    console.log('A target was missed.');
    process.exitCode = 1;
  }
}

await main();
