#!/usr/bin/env node
/**
 * The plugin on real infrastructure code: the AWS CDK and Pulumi files of the labelled corpus of public Lambda
 * repositories (`~/.cache/lambda-rds-corpus/repos`, or `--corpus <dir>`, or `repos` under `LAMBDA_RDS_CORPUS`), linted with the
 * built plugin (dist/: `npm run build` first).
 *
 * Stack files are found by import: a `.js/.mjs/.cjs/.ts/.mts/.cts` file (not `.d.ts`, not under node_modules,
 * cdk.out, dist, build, .git) that imports `aws-cdk-lib`, `@aws-cdk/*` or `@pulumi/*` in an `import`, `export ...
 * from`, `require()` or `import x = require()`.
 *
 * Reports:
 * - every finding of the plugin's rules (`configs.all`) in the stack files, by rule, with file, line and message, so
 *   that a reader can check each against the code;
 * - lint time with ESLint's own recommended rules (baseline) and with the plugin's `recommended` config added, as in
 *   bench/run.mjs: per round, chunks of files linted REPEATS times with each config (each first in turn, fastest
 *   kept), CPU time of the process (every thread: the garbage collector's and the compiler's helpers too), and
 *   wall-clock time for comparison; the overhead is the median over rounds. A control, a second engine with the
 *   baseline's own config timed the same way, gives the overhead of no change at all: how far this machine's
 *   figures move in the run, to read the overhead against. Each timed lint of a chunk starts with
 *   the young generation collected (untimed) and ends by collecting it (timed): it pays for collecting its own
 *   garbage and not for the garbage of the lint before it, which with TypeScript's parser is most of the
 *   round-to-round noise. And each rule's share of lint time, from
 *   ESLint's `stats` (each chunk STATS_REPEATS times, the fastest repetition kept; median over rounds), with the
 *   per-file analysis the rules share timed as a rule of its own (bench/shared-analysis.mjs). Twice: for the
 *   repositories that have stack files, every JS/TS file of them (what linting such a repository costs), and for
 *   their stack files alone (the worst case: the files where the stack analysis runs).
 * Targets (the budget of bench/run.mjs), on the repositories: `recommended` adds at most 5 % to lint time, each
 * rule (and the shared analysis) at most 1 %. The stack-files-only figures are reported beside them.
 *
 * `runIacBench(options)` returns the result (or `{ skipped }` when the corpus is not there); `iacMarkdown(result)`
 * renders it. As a command: `node bench/iac.mjs [--corpus DIR] [--rounds N] [--json]`; exit status 1 when a target
 * is missed.
 */
import { corpusFolder, prepareCheckouts } from './corpus/labels.mjs';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { ESLint, Linter } from 'eslint';
import { builtinRules } from 'eslint/use-at-your-own-risk';
import tsParser from '@typescript-eslint/parser';
import { fastestOf, median } from './stats.mjs';
import { statsConfig, statsLabel } from './shared-analysis.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc');
export const TARGET_OVERHEAD = 0.05;
export const TARGET_RULE_SHARE = 0.01;
const CHUNK = 8;
const REPEATS = 5;
/** How many times each chunk is linted for ESLint's `stats` (the fastest repetition counts). */
const STATS_REPEATS = 3;
const SOURCE = /\.[cm]?[jt]s$/;
const DECLARATION = /\.d\.[cm]?ts$/;
const SKIPPED_DIRS = new Set(['node_modules', 'cdk.out', 'dist', 'build', '.git', '.aws-sam', 'coverage', '.serverless']);
const STACK_IMPORT =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s*)['"](?:aws-cdk-lib(?:\/[\w-]+)?|@aws-cdk\/[\w-]+|@pulumi\/[\w-]+(?:\/[\w-]+)?)['"]/m;

export function defaultCorpus() {
  return join(corpusFolder(), 'repos');
}

/** Every JS/TS source file under `root` (not `.d.ts`, not under the skipped directories), sorted by path. */
function sourceFiles(corpus, root) {
  const out = [];
  const visit = (dir) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) visit(path);
      } else if (entry.isFile() && SOURCE.test(entry.name) && !DECLARATION.test(entry.name) && statSync(path).size < 512 * 1024) {
        out.push({ path, relative: relative(corpus, path).split('\\').join('/'), code: readFileSync(path, 'utf8') });
      }
    }
  };
  visit(root);
  return out;
}

/** The stack files of a corpus of repositories (one directory per repository), sorted by path. */
export function findStackFiles(corpus) {
  return sourceFiles(corpus, corpus).filter((file) => STACK_IMPORT.test(file.code));
}

const parseChecker = new Linter({ configType: 'flat' });

/** `module` or `commonjs`, whichever the file parses as (module first; `.cjs`/`.cts` CommonJS only). */
function sourceTypeOf(file) {
  const typescript = /\.[cm]?ts$/.test(file.path);
  const types = /\.c[jt]s$/.test(file.path) ? ['commonjs'] : /\.m[jt]s$/.test(file.path) ? ['module'] : ['module', 'commonjs'];
  for (const sourceType of types) {
    const config = [{ files: ['**/*'], languageOptions: { ecmaVersion: 'latest', sourceType, ...(typescript ? { parser: tsParser } : {}) } }];
    const messages = parseChecker.verify(file.code, config, { filename: `check/${file.path.split('/').pop()}` });
    if (!messages.some((m) => m.fatal)) return sourceType;
  }
  return undefined;
}

const percent = (x, digits = 2) => `${(x * 100).toFixed(digits)} %`;

/**
 * Lints the corpus's stack files and measures the plugin's cost on them.
 * Options: `corpus` (directory of repositories), `rounds` (7), `plugin` (the plugin object; default: dist/index.js).
 */
export async function runIacBench({ corpus = defaultCorpus(), rounds = 7, plugin } = {}) {
  if (!existsSync(corpus)) return { skipped: `no corpus at ${corpus}` };
  prepareCheckouts(dirname(corpus));
  plugin ??= (await import(pathToFileURL(join(ROOT, 'dist', 'index.js')).href)).default;
  const namespace = plugin.meta.namespace;

  const prepare = (list) => {
    const files = [];
    let unparsed = 0;
    for (const file of list) {
      const sourceType = sourceTypeOf(file);
      if (!sourceType) {
        unparsed++;
        continue;
      }
      const filePath = join(ROOT, 'bench-corpus', 'iac', sourceType === 'commonjs' ? 'cjs' : 'esm', file.relative);
      files.push({ ...file, sourceType, filePath });
    }
    return { files, unparsed };
  };
  const stack = prepare(findStackFiles(corpus));
  const repositories = [...new Set(stack.files.map((f) => f.relative.split('/')[0]))];
  const repo = prepare(repositories.flatMap((name) => sourceFiles(corpus, join(corpus, name))));

  const SOURCE_GLOB = '**/*.{js,mjs,cjs,ts,mts,cts}';
  const baselineRules = Object.fromEntries(
    [...builtinRules].filter(([, rule]) => rule.meta?.docs?.recommended === true && !rule.meta.deprecated).map(([name]) => [name, 'error']),
  );
  const languageConfigs = [
    { files: [SOURCE_GLOB], languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
    { files: ['**/*.{ts,mts,cts}'], languageOptions: { parser: tsParser } },
    { files: ['bench-corpus/iac/cjs/**'], languageOptions: { sourceType: 'commonjs' } },
    // Inline directives of the corpus name rules of plugins that are not loaded here.
    { linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' } },
  ];
  const baseline = [...languageConfigs, { files: [SOURCE_GLOB], rules: baselineRules }];
  const withPlugin = (config) => [...baseline, { ...config, files: [SOURCE_GLOB] }];
  const engine = (overrideConfig, stats = false) =>
    new ESLint({ cwd: ROOT, overrideConfigFile: true, overrideConfig, stats, warnIgnored: false, cache: false, ignore: false });

  const base = engine(baseline);
  // The control: a second engine with the baseline's config, timed like the plugin. Its "overhead" is what the
  // measurement gives for no change at all, the noise floor of this machine in this run.
  const control = engine(baseline);
  const recommended = engine(withPlugin(plugin.configs.recommended));
  // Every rule of the plugin, after the per-file analysis they share as a rule of its own (bench/shared-analysis.mjs).
  const statsSetup = statsConfig(baseline, plugin, [SOURCE_GLOB]);
  const all = engine(statsSetup.config, true);
  const recommendedIds = Object.keys(plugin.configs.recommended.rules ?? {});
  const allIds = Object.keys(plugin.configs.all.rules ?? {});
  const statIds = statsSetup.ids;

  // Findings in the stack files, with `configs.all`.
  const findings = Object.fromEntries(allIds.map((id) => [id, []]));
  for (const file of stack.files) {
    const [result] = await all.lintText(file.code, { filePath: file.filePath });
    for (const m of result.messages) {
      if (!m.ruleId?.startsWith(`${namespace}/`)) continue;
      findings[m.ruleId].push({
        file: file.relative,
        line: m.line,
        column: m.column,
        messageId: m.messageId,
        message: m.message,
        source: file.code.split('\n')[m.line - 1]?.trim(),
        suggestions: (m.suggestions ?? []).map((s) => s.desc),
      });
    }
  }

  // A minor collection before the timed lint (untimed) and after it (timed): see the module comment.
  const pass = async (eslint, chunk) => {
    collectGarbage({ type: 'minor' });
    const startWall = performance.now();
    const start = process.cpuUsage();
    for (const file of chunk) await eslint.lintText(file.code, { filePath: file.filePath });
    collectGarbage({ type: 'minor' });
    const cpu = process.cpuUsage(start);
    return { cpu: (cpu.user + cpu.system) / 1000, wall: performance.now() - startWall };
  };
  const measure = async (files) => {
    // Warm-up: JIT and module caches, untimed.
    for (const eslint of [base, control, recommended, all]) await pass(eslint, files);
    const engines = { base, control, plugin: recommended };
    const names = Object.keys(engines);
    const results = [];
    for (let round = 0; round < rounds; round++) {
      const t = { base: 0, control: 0, plugin: 0 };
      const wall = { base: 0, control: 0, plugin: 0 };
      for (let start = 0, chunk = 0; start < files.length; start += CHUNK, chunk++) {
        const slice = files.slice(start, start + CHUNK);
        const samples = { base: [], control: [], plugin: [] };
        for (let repeat = 0; repeat < REPEATS; repeat++) {
          // Each engine first, second and third in turn.
          const shift = (chunk + round + repeat) % names.length;
          for (const which of [...names.slice(shift), ...names.slice(0, shift)]) samples[which].push(await pass(engines[which], slice));
        }
        for (const which of names) {
          t[which] += Math.min(...samples[which].map((sample) => sample.cpu));
          wall[which] += Math.min(...samples[which].map((sample) => sample.wall));
        }
      }
      // Each rule's time: every chunk STATS_REPEATS times with `stats`, its fastest repetition (by total time) kept.
      const ruleMs = Object.fromEntries(statIds.map((id) => [id, 0]));
      let totalMs = 0;
      for (let start = 0; start < files.length; start += CHUNK) {
        const fastest = await fastestOf(STATS_REPEATS, async () => {
          const sample = { totalMs: 0, ruleMs: Object.fromEntries(statIds.map((id) => [id, 0])) };
          for (const file of files.slice(start, start + CHUNK)) {
            const [result] = await all.lintText(file.code, { filePath: file.filePath });
            for (const p of result.stats?.times.passes ?? []) {
              sample.totalMs += p.total;
              for (const id of statIds) sample.ruleMs[id] += p.rules?.[id]?.total ?? 0;
            }
          }
          return sample;
        });
        totalMs += fastest.totalMs;
        for (const id of statIds) ruleMs[id] += fastest.ruleMs[id];
      }
      results.push({ baseMs: t.base, pluginMs: t.plugin, overhead: (t.plugin - t.base) / t.base, control: (t.control - t.base) / t.base, wallOverhead: (wall.plugin - wall.base) / wall.base, ruleMs, totalMs });
    }
    const overhead = median(results.map((r) => r.overhead));
    const rules = statIds.map((id) => {
      const share = median(results.map((r) => r.ruleMs[id] / r.totalMs));
      return { id, recommended: recommendedIds.includes(id), share, met: share <= TARGET_RULE_SHARE };
    });
    return {
      files: files.length,
      baseMs: median(results.map((r) => r.baseMs)),
      pluginMs: median(results.map((r) => r.pluginMs)),
      overhead,
      overheadRange: [Math.min(...results.map((r) => r.overhead)), Math.max(...results.map((r) => r.overhead))],
      wallOverhead: median(results.map((r) => r.wallOverhead)),
      control: median(results.map((r) => r.control)),
      controlRange: [Math.min(...results.map((r) => r.control)), Math.max(...results.map((r) => r.control))],
      rules,
      met: overhead <= TARGET_OVERHEAD && rules.every((r) => r.met),
    };
  };

  const repositoryTiming = await measure(repo.files);
  const stackTiming = await measure(stack.files);
  return {
    corpus,
    files: stack.files.map((f) => f.relative),
    unparsed: stack.unparsed,
    repositories: repositories.length,
    repositoryFiles: repo.files.length,
    repositoryUnparsed: repo.unparsed,
    findings,
    rounds,
    timing: { repositories: repositoryTiming, stackFiles: stackTiming },
    // The budget applies to linting the repositories; the stack files alone are reported beside it.
    met: repositoryTiming.met,
  };
}

/** The result as Markdown: the findings to check one by one, then the timing tables. */
export function iacMarkdown(result) {
  if (result.skipped) return `## Stack code (CDK, Pulumi)\n\nSkipped: ${result.skipped}.\n`;
  const lines = [];
  lines.push('## Stack code (CDK, Pulumi)', '');
  lines.push(
    `${result.files.length} stack files of ${result.repositories} repositories (found by their \`aws-cdk-lib\`, \`@aws-cdk/*\` or \`@pulumi/*\` import)` +
      `${result.unparsed ? `, ${result.unparsed} more that parse neither as a module nor as CommonJS left out` : ''}.`,
    '',
  );
  lines.push('### Findings (`configs.all`)', '');
  const total = Object.values(result.findings).reduce((n, list) => n + list.length, 0);
  if (total === 0) lines.push('None.', '');
  for (const [rule, list] of Object.entries(result.findings)) {
    if (list.length === 0) continue;
    lines.push(`\`${rule}\` (${list.length}):`, '');
    for (const f of list) {
      const suggestion = f.suggestions.length ? ` Suggestion: ${f.suggestions.join('; ')}` : '';
      lines.push(`- \`${f.file}:${f.line}:${f.column}\` (${f.messageId}): ${f.message}${suggestion}`);
      if (f.source) lines.push(`  \`${f.source.length > 140 ? `${f.source.slice(0, 137)}...` : f.source}\``);
    }
    lines.push('');
  }
  lines.push('### Lint time', '');
  lines.push(
    `Baseline: ESLint's own recommended rules; then the baseline plus the plugin's \`recommended\` config. CPU time of the process, every thread (wall-clock time beside it), median over ${result.rounds} rounds; the control is a second engine with the baseline's config timed the same way; each timed chunk of files starts with the young generation collected and ends by collecting its own garbage. ` +
      `Shares of lint time from ESLint's \`stats\` with every rule of the plugin: each chunk linted ${STATS_REPEATS} times, its fastest repetition kept, median over rounds; the per-file analysis the rules share is timed as a rule of its own, placed first (bench/shared-analysis.mjs). ` +
      'The budget applies to linting the repositories (every JS/TS file of them); the stack files alone, where the stack analysis runs, are the worst case.',
    '',
  );
  const timing = [
    [`${result.repositories} repositories, ${result.timing.repositories.files} files`, result.timing.repositories],
    [`their ${result.timing.stackFiles.files} stack files`, result.timing.stackFiles],
  ];
  lines.push(`| | ${timing.map(([name]) => name).join(' | ')} |`, `|---|${timing.map(() => '---').join('|')}|`);
  lines.push(`| Baseline, CPU | ${timing.map(([, t]) => `${t.baseMs.toFixed(0)} ms`).join(' | ')} |`);
  lines.push(`| Baseline + \`recommended\`, CPU | ${timing.map(([, t]) => `${t.pluginMs.toFixed(0)} ms`).join(' | ')} |`);
  lines.push(`| Overhead | ${timing.map(([, t]) => `**${percent(t.overhead)}**`).join(' | ')} |`);
  lines.push(`| Overhead per round, min … max | ${timing.map(([, t]) => `${percent(t.overheadRange[0])} … ${percent(t.overheadRange[1])}`).join(' | ')} |`);
  lines.push(`| Overhead in wall-clock time (for comparison) | ${timing.map(([, t]) => percent(t.wallOverhead)).join(' | ')} |`);
  lines.push(`| Control (the baseline timed against itself) | ${timing.map(([, t]) => percent(t.control)).join(' | ')} |`);
  lines.push(`| Control per round, min … max | ${timing.map(([, t]) => `${percent(t.controlRange[0])} … ${percent(t.controlRange[1])}`).join(' | ')} |`);
  for (const rule of result.timing.repositories.rules) {
    const shares = timing.map(([, t]) => {
      const r = t.rules.find((x) => x.id === rule.id);
      return `${percent(r.share, 3)}${r.met ? '' : ' (over 1 %)'}`;
    });
    lines.push(`| ${statsLabel(rule.id)}: share of lint time | ${shares.join(' | ')} |`);
  }
  lines.push('');
  const repos = result.timing.repositories;
  lines.push(
    `Targets on the repositories (\`recommended\` adds ≤ ${percent(TARGET_OVERHEAD, 0)}, each rule ≤ ${percent(TARGET_RULE_SHARE, 0)}): **${repos.met ? 'met' : 'missed'}**.`,
  );
  lines.push('');
  return lines.join('\n');
}

async function main() {
  const { values } = parseArgs({
    options: { corpus: { type: 'string' }, rounds: { type: 'string', default: '7' }, json: { type: 'boolean', default: false } },
  });
  const result = await runIacBench({ corpus: values.corpus ?? defaultCorpus(), rounds: Number(values.rounds) });
  console.log(values.json ? JSON.stringify(result, null, 2) : iacMarkdown(result));
  if (!result.skipped && !result.met) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
