#!/usr/bin/env node
/**
 * Detection on real code: lints every repository of the labelled Lambda corpus in place (read-only) with the built
 * plugin (dist/) and compares the findings with the labels, per rule: recall, precision, the labels missed and the
 * false alarms. Then times the lint of those whole repositories with the project knowledge (deployment
 * descriptors, imported modules, layers) on and off, and reports the overhead and the sizes of the plugin's caches.
 *
 * Corpus: the labels of bench/corpus/labels.json (see bench/corpus/labels.mjs); each repository's `root` is a
 * checkout relative to the corpus directory (`--corpus`, else `LAMBDA_RDS_CORPUS`, else `~/.cache/lambda-rds-corpus`). Nothing in it
 * is written.
 *
 * Matching (documented in the output too):
 * - A finding matches a label in the same file within ±1 line, or inside the call or `new` (at most 30 lines) that
 *   starts on the label's line (Sequelize's session SETs are reported at its `dialect` option).
 * - no-connection-in-handler: the labels are the connections with `perInvocation: true`. A per-invocation connection
 *   created in another file than its handler (`crossFile`) also counts as found when a finding at a call site listed
 *   in `crossFileCalls` (±1 line) names the called function and that call leads to the connection's helper file and
 *   line, directly or through the `crossFileCalls` of the helpers in between.
 * - no-direct-rds-endpoint: hosts that are not RDS Proxy endpoints; a finding on a proxy endpoint is a false alarm.
 * - no-hardcoded-credentials: passwords; no-session-pinning: pinning labels.
 * - Labels marked `uncertain` are left out of both sides: not counted as missed, and findings on them are neither
 *   right nor wrong. Precision counts the findings in labelled files only (other files have no labels to compare
 *   with); findings in unlabelled files are counted apart.
 *
 * Timing, with the project knowledge on and off, modes alternating, each repository counted with its fastest run per
 * mode: (1) the target: ESLint's own CLI run on each whole repository in a fresh process (bench/cli-run/), CPU time
 * of the whole process, `--cli-runs` times each; (2) the same CLI run once more per repository with the project
 * knowledge on and V8's sampling profiler, and the share of the samples whose stack passes through the project
 * knowledge's code (load from other processes moves it by tenths of a percent, where the difference of (1) swings
 * by a percent or more between runs on a shared machine); (3) the linting work alone: Linter.verify of the repository's
 * parsed files in this process with the project caches emptied first, `--runs` times each.
 *
 * Usage: node bench/real-detection.mjs [--corpus dir] [--runs n] [--cli-runs n] [--no-timing] [--json file] [--project off] [--verbose]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Linter } from 'eslint';
import { builtinRules } from 'eslint/use-at-your-own-risk';
import * as tsParser from '@typescript-eslint/parser';
import { corpusFolder, prepareCheckouts, readLabels } from './corpus/labels.mjs';
import { median } from './stats.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dist = (path) => import(pathToFileURL(join(ROOT, 'dist', path)).href);

export const RULES = ['no-connection-in-handler', 'no-hardcoded-credentials', 'no-direct-rds-endpoint', 'no-session-pinning'];
export const TARGETS = {
  'no-connection-in-handler': { recall: 0.9, precision: 0.97 },
  'no-hardcoded-credentials': { recall: 0.95, precision: 0.97 },
  'no-direct-rds-endpoint': { recall: 0.95, precision: 0.97 },
  'no-session-pinning': { recall: 0.95, precision: 0.97 },
};
export const TARGET_OVERHEAD = 0.01;

export function defaultCorpus() {
  return corpusFolder();
}

const toPosix = (p) => p.split(sep).join('/');

/** Labels of one repository, by file path relative to its root. */
function labelIndex(repo) {
  const files = new Map();
  for (const file of repo.files) files.set(file.path, file);
  return files;
}

/** Positive and uncertain labels of a rule in a file: `{ line, uncertain, text }` each; negatives (false-alarm spots) too. */
function ruleLabels(rule, file) {
  const positives = [];
  const negatives = [];
  const add = (list, item, text) => list.push({ line: item.line, uncertain: Boolean(item.uncertain || file.uncertain), text, item });
  switch (rule) {
    case 'no-connection-in-handler':
      for (const c of file.connections) {
        add(c.perInvocation ? positives : negatives, c, `${c.driver} ${c.api}${c.crossFile ? ' (cross-file)' : ''}`);
      }
      break;
    case 'no-hardcoded-credentials':
      for (const p of file.passwords) add(positives, p, p.how);
      break;
    case 'no-direct-rds-endpoint':
      for (const h of file.hosts) add(h.isProxyEndpoint ? negatives : positives, h, h.how);
      break;
    case 'no-session-pinning':
      for (const p of file.pinning) add(positives, p, p.sql);
      break;
    default:
      break;
  }
  return { positives, negatives };
}

const near = (a, b) => Math.abs(a - b) <= 1;

/** A finding at `line` matches a label at `labelLine`: within ±1 line, or inside the call that starts there. */
const matchesLine = (spans, labelLine, line) => near(labelLine, line) || (line >= labelLine && line <= (spans?.get(labelLine) ?? 0));

/** The identifier a `crossFileCalls` callee is written with (`utils.createDbConnection` → `createDbConnection`). */
function calleeName(callee) {
  const name = String(callee).replace(/^new\s+/, '').replace(/\s*\(.*\)$/, '').trim();
  return name.split('.').at(-1);
}

/**
 * Whether the call `call` (an entry of `crossFileCalls`) leads to the connection at `target` (`{ path, line }`):
 * its helper and line, or, for a call into a helper with no line given (a router), through that helper's own calls
 * (at most `depth` files).
 */
function callLeadsTo(files, call, target, depth = 4) {
  if (!call.helper) return false;
  if (call.helper === target.path && (call.helperLine === undefined || near(call.helperLine, target.line))) return true;
  // A call into a helper without a line (a router) leads wherever that helper's own calls lead.
  if (depth === 0 || call.helperLine !== undefined) return false;
  const helper = files.get(call.helper);
  return Boolean(helper?.crossFileCalls.some((next) => callLeadsTo(files, next, target, depth - 1)));
}

/** Every labelled per-invocation connection a finding at a call site stands for (through `crossFileCalls`). */
function crossFileMatches(files, filePath, finding) {
  const file = files.get(filePath);
  const out = [];
  if (!file) return out;
  for (const call of file.crossFileCalls) {
    if (!near(call.line, finding.line)) continue;
    const name = calleeName(call.callee);
    if (!name || !finding.message.includes(name)) continue;
    for (const [path, helper] of files) {
      for (const connection of helper.connections) {
        if (!connection.perInvocation) continue;
        if (callLeadsTo(files, call, { path, line: connection.line })) out.push({ path, line: connection.line });
      }
    }
  }
  return out;
}

/** Longest span a labelled call may stretch a label's line over (a label is at the line a call starts on). */
const MAX_SPAN = 30;

/**
 * For each line, the last line of the outermost call or `new` that starts on it (at most MAX_SPAN lines long):
 * a finding inside a multi-line call matches a label at the call's first line (the option of a constructor call
 * that causes a problem, e.g. Sequelize's `dialect`).
 */
function callSpans(sourceCode) {
  const spans = new Map();
  const visit = (node) => {
    if (!node || typeof node.type !== 'string') return;
    if ((node.type === 'CallExpression' || node.type === 'NewExpression') && node.loc) {
      const { start, end } = node.loc;
      if (end.line - start.line <= MAX_SPAN && end.line > (spans.get(start.line) ?? 0)) spans.set(start.line, end.line);
    }
    for (const key of sourceCode.visitorKeys[node.type] ?? []) {
      const child = node[key];
      if (Array.isArray(child)) child.forEach(visit);
      else visit(child);
    }
  };
  visit(sourceCode.ast);
  return spans;
}

/** Lints one file with the parse attempts Node.js would use (the first that parses). */
function lintFile(linter, moduleKind, text, filePath, configFor, attempt) {
  const attempts = attempt ? [attempt] : moduleKind.parseAttempts(filePath, text);
  let error;
  for (const a of attempts) {
    const messages = linter.verify(text, configFor(a), filePath);
    const fatal = messages.find((m) => m.fatal);
    if (fatal) {
      error ??= fatal.message;
      continue;
    }
    return { messages, attempt: a, spans: callSpans(linter.getSourceCode()) };
  }
  return { messages: [], attempt: undefined, error };
}

function configFactory(plugin, { project, rules, baseline }) {
  const cache = new Map();
  return (attempt) => {
    const key = `${attempt.parser}/${attempt.sourceType}/${attempt.jsx}`;
    let config = cache.get(key);
    if (!config) {
      const ruleEntries = {};
      if (baseline) Object.assign(ruleEntries, baseline);
      for (const rule of rules) ruleEntries[`lambda-rds/${rule}`] = 'error';
      config = [
        {
          files: ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.jsx', '**/*.ts', '**/*.mts', '**/*.cts', '**/*.tsx'],
          languageOptions: {
            ...(attempt.parser === 'typescript' ? { parser: tsParser } : {}),
            ecmaVersion: 'latest',
            sourceType: attempt.sourceType,
            parserOptions: { ecmaFeatures: { jsx: attempt.jsx } },
          },
          linterOptions: { reportUnusedDisableDirectives: 'off' },
          plugins: { 'lambda-rds': plugin },
          settings: project ? {} : { 'lambda-rds': { project: false } },
          rules: ruleEntries,
        },
      ];
      cache.set(key, config);
    }
    return config;
  };
}

async function repoFiles(files, root) {
  const { findSourceFiles } = await dist('cli/files.js');
  const { files: found } = await findSourceFiles(['.'], root);
  return found;
}

/**
 * Lints every labelled repository and scores the findings. Returns per-rule results and, unless `timing` is false,
 * the lint time of the whole repositories with the project knowledge on and off.
 */
export async function runRealDetection({ corpus = defaultCorpus(), runs = 3, timing = true, cliRuns = 3, project = true, log = () => {} } = {}) {
  const labels = readLabels(corpus);
  prepareCheckouts(corpus);
  const plugin = (await dist('index.js')).default;
  const moduleKind = await dist('core/module-kind.js');
  const projectModule = await dist('core/project/index.js').catch(() => undefined);
  const linter = new Linter({ configType: 'flat', cwd: '/' });
  const allRules = Object.keys(plugin.configs.recommended.rules).map((id) => id.slice('lambda-rds/'.length));
  const detectConfig = configFactory(plugin, { project, rules: allRules });

  const results = Object.fromEntries(
    RULES.map((rule) => [rule, { found: 0, missed: [], excluded: 0, truePositives: 0, falseAlarms: [], outside: 0, outsideFindings: [], uncertainFindings: 0 }]),
  );
  const parsed = []; // { repo, file, text, attempt } for timing
  const repoSources = []; // { repo, root, files }: what the CLI timing lints
  // Every finding of every rule, by rule and message id: the rules without labels are counted, not scored.
  const tally = {};
  const skipped = [];

  for (const repo of labels.repos) {
    const root = resolve(corpus, repo.root);
    const files = labelIndex(repo);
    const sources = await repoFiles(files, root);
    const labelled = new Set([...files.keys()].map((p) => join(root, p)));
    for (const p of labelled) if (!sources.includes(p) && /\.[cm]?[jt]sx?$/.test(p)) sources.push(p);
    const repoParsed = [];
    repoSources.push({ repo: repo.repo, root, files: repoParsed });
    const findings = new Map(); // relative path -> messages
    const spansOf = new Map(); // relative path -> call spans (labelled files)
    for (const file of sources) {
      let text;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      const { messages, attempt, error, spans } = lintFile(linter, moduleKind, text, file, detectConfig);
      const rel = toPosix(relative(root, file));
      if (!attempt) {
        if (files.has(rel)) skipped.push(`${repo.repo}:${rel} (${error})`);
        continue;
      }
      parsed.push({ text, file, attempt, repo: repo.repo });
      repoParsed.push(file);
      const own = messages.filter((m) => m.ruleId?.startsWith('lambda-rds/'));
      findings.set(rel, own);
      for (const m of own) {
        const rule = (tally[m.ruleId.slice('lambda-rds/'.length)] ??= { findings: 0, files: new Set(), byMessage: {} });
        rule.findings++;
        rule.files.add(`${repo.repo}:${rel}`);
        rule.byMessage[m.messageId] = (rule.byMessage[m.messageId] ?? 0) + 1;
      }
      if (files.has(rel)) spansOf.set(rel, spans);
    }

    for (const rule of RULES) {
      const r = results[rule];
      const id = `lambda-rds/${rule}`;
      // Labels of the rule in this repository.
      const positives = [];
      for (const [path, file] of files) {
        for (const label of ruleLabels(rule, file).positives) positives.push({ path, ...label, found: false });
      }
      for (const [path, messages] of findings) {
        const file = files.get(path);
        const own = messages.filter((m) => m.ruleId === id);
        if (!file) {
          r.outside += own.length;
          for (const m of own) r.outsideFindings.push({ repo: repo.repo, path, line: m.line, message: m.message });
          continue;
        }
        const { negatives } = ruleLabels(rule, file);
        for (const m of own) {
          const spans = spansOf.get(path);
          const direct = positives.filter((p) => p.path === path && matchesLine(spans, p.line, m.line));
          const cross =
            rule === 'no-connection-in-handler'
              ? crossFileMatches(files, path, m).flatMap((t) => positives.filter((p) => p.path === t.path && p.line === t.line))
              : [];
          const matched = [...direct, ...cross];
          const certain = matched.filter((p) => !p.uncertain);
          for (const p of matched) p.found = true;
          if (certain.length > 0) r.truePositives++;
          else if (matched.length > 0 || negatives.some((n) => n.uncertain && matchesLine(spans, n.line, m.line))) r.uncertainFindings++;
          else r.falseAlarms.push({ repo: repo.repo, path, line: m.line, message: m.message });
        }
      }
      for (const p of positives) {
        if (p.uncertain) {
          r.excluded++;
          continue;
        }
        if (p.found) r.found++;
        else r.missed.push({ repo: repo.repo, path: p.path, line: p.line, what: p.text, shape: p.item.shape });
      }
    }
    log(`${repo.repo}: ${sources.length} files`);
  }

  for (const rule of RULES) {
    const r = results[rule];
    const total = r.found + r.missed.length;
    r.recall = total === 0 ? 1 : r.found / total;
    const reported = r.truePositives + r.falseAlarms.length;
    r.precision = reported === 0 ? 1 : r.truePositives / reported;
    r.labels = total;
  }

  // Cache sizes after linting every repository in one process (the detection pass), before timing empties them.
  const caches = projectModule?.projectCacheStats?.();
  let time;
  let cli;
  if (timing) {
    time = await timeRepos({ plugin, parsed, runs, linter, projectModule, allRules });
    if (cliRuns > 0) cli = { ...timeCli(repoSources, cliRuns), sampled: sampleCli(repoSources) };
  }
  const counts = Object.fromEntries(
    Object.entries(tally)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([rule, t]) => [rule, { findings: t.findings, files: t.files.size, byMessage: t.byMessage }]),
  );
  return { corpus, repos: labels.repos.length, files: parsed.length, skipped, results, counts, time, cli, caches };
}

const baselineRules = Object.fromEntries(
  [...builtinRules]
    .filter(([, rule]) => rule.meta?.docs?.recommended === true && !rule.meta.deprecated)
    .map(([name]) => [name, 'error']),
);

/**
 * Lints each repository with ESLint's recommended rules plus the plugin's, once with the project knowledge and once
 * without, as a fresh process would (the plugin's project caches emptied before each lint of a repository), `runs`
 * times each in alternating order; a repository counts with its fastest time per mode (load from other processes
 * only adds time), and the totals over all repositories are compared. CPU time of this process; the medians of the
 * runs are reported beside it.
 */
async function timeRepos({ plugin, parsed, runs, linter, projectModule, allRules }) {
  const on = configFactory(plugin, { project: true, rules: allRules, baseline: baselineRules });
  const off = configFactory(plugin, { project: false, rules: allRules, baseline: baselineRules });
  const byRepo = new Map();
  for (const entry of parsed) {
    const list = byRepo.get(entry.repo);
    if (list) list.push(entry);
    else byRepo.set(entry.repo, [entry]);
  }
  const lint = (entries, configFor) => {
    projectModule?.clearProjectCaches?.();
    const start = process.cpuUsage();
    for (const { text, file, attempt } of entries) linter.verify(text, configFor(attempt), file);
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };
  // Warm-up: one pass of each.
  for (const entries of byRepo.values()) {
    lint(entries, on);
    lint(entries, off);
  }
  const total = { on: 0, off: 0, onMedian: 0, offMedian: 0 };
  let index = 0;
  const perRepo = [];
  for (const [repo, entries] of byRepo) {
    const samples = { on: [], off: [] };
    for (let i = 0; i < runs; i++) {
      const order = (i + index) % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
      for (const which of order) samples[which].push(lint(entries, which === 'on' ? on : off));
    }
    index++;
    total.on += Math.min(...samples.on);
    total.off += Math.min(...samples.off);
    total.onMedian += median(samples.on);
    total.offMedian += median(samples.off);
    perRepo.push({ repo, files: entries.length, addedMs: Math.min(...samples.on) - Math.min(...samples.off) });
  }
  return {
    runs,
    repos: byRepo.size,
    onMs: total.on,
    offMs: total.off,
    overhead: (total.on - total.off) / total.off,
    medianOverhead: (total.onMedian - total.offMedian) / total.offMedian,
    costliest: perRepo.sort((a, b) => b.addedMs - a.addedMs).slice(0, 5),
  };
}

const ESLINT_BIN = join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
const CLI_CONFIG = join(ROOT, 'bench', 'cli-run', 'config.mjs');
const CPU_AT_EXIT = pathToFileURL(join(ROOT, 'bench', 'cli-run', 'cpu-at-exit.mjs')).href;

/** One run of ESLint's CLI over `files` in `root`, as a user runs it: the whole process's CPU time and wall time. */
function cliRun(root, files, project) {
  const start = process.hrtime.bigint();
  const result = spawnSync(
    process.execPath,
    ['--import', CPU_AT_EXIT, ESLINT_BIN, '--config', CLI_CONFIG, '--no-warn-ignored', '--format', 'json', '--output-file', '/dev/null', ...files],
    { cwd: root, encoding: 'utf8', env: { ...process.env, LAMBDA_RDS_PROJECT: project ? 'on' : 'off' }, maxBuffer: 64 * 1024 * 1024 },
  );
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = /lambda-rds-bench-cpu-ms ([\d.]+)\s*$/.exec(result.stderr ?? '');
  if (!cpu || result.status === 2) throw new Error(`eslint in ${root} failed (exit ${result.status}): ${(result.stderr ?? '').slice(0, 400)}`);
  return { cpuMs: Number(cpu[1]), wallMs };
}

/**
 * The time ESLint takes on each whole repository, as \`eslint <files>\` in the repository's folder in a fresh process
 * (start-up, configuration, file reading, parsing, every rule, formatting), with the project knowledge on and off,
 * \`runs\` runs of each in alternating order; each repository counts with its fastest CPU time per mode.
 */
function timeCli(repos, runs) {
  const total = { on: 0, off: 0, wallOn: 0, wallOff: 0 };
  const perRepo = [];
  let index = 0;
  for (const { repo, root, files } of repos) {
    if (files.length === 0) continue;
    const rel = files.map((f) => toPosix(relative(root, f)));
    const samples = { on: [], off: [] };
    for (let i = 0; i < runs; i++) {
      const order = (i + index) % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
      for (const which of order) samples[which].push(cliRun(root, rel, which === 'on'));
    }
    index++;
    const best = (list, key) => Math.min(...list.map((s) => s[key]));
    total.on += best(samples.on, 'cpuMs');
    total.off += best(samples.off, 'cpuMs');
    total.wallOn += best(samples.on, 'wallMs');
    total.wallOff += best(samples.off, 'wallMs');
    perRepo.push({ repo, files: files.length, addedMs: best(samples.on, 'cpuMs') - best(samples.off, 'cpuMs') });
  }
  return {
    runs,
    repos: perRepo.length,
    onMs: total.on,
    offMs: total.off,
    overhead: (total.on - total.off) / total.off,
    wallOverhead: (total.wallOn - total.wallOff) / total.wallOff,
    costliest: perRepo.sort((a, b) => b.addedMs - a.addedMs).slice(0, 5),
  };
}

/** Frames of the project knowledge: what the plugin reads beyond the linted file (descriptors, other modules). */
const PROJECT_FRAMES = /\/dist\/core\/(?:project\/|lambda\/cross-file\.js)/;

/**
 * The project knowledge's share of ESLint's CLI run on each whole repository, from V8's sampling profiler: one more
 * run per repository with the project knowledge on and \`--cpu-prof\` (a sample every 200 µs), counting the samples
 * whose stack passes through the project knowledge's code (what it calls included: file reads, YAML and module
 * parsing). Load from other processes moves it far less than the difference of two timed runs; it leaves out the
 * garbage collection of what the project knowledge allocated, which the profiler charges to no stack.
 */
function sampleCli(repos) {
  const total = { samplesMs: 0, projectMs: 0 };
  const perRepo = [];
  const dir = mkdtempSync(join(tmpdir(), 'lambda-rds-prof-'));
  try {
    for (const { repo, root, files } of repos) {
      if (files.length === 0) continue;
      const rel = files.map((f) => toPosix(relative(root, f)));
      const out = join(dir, String(perRepo.length));
      const result = spawnSync(
        process.execPath,
        ['--cpu-prof', '--cpu-prof-interval', '200', '--cpu-prof-dir', out, ESLINT_BIN, '--config', CLI_CONFIG, '--no-warn-ignored', '--format', 'json', '--output-file', '/dev/null', ...rel],
        { cwd: root, encoding: 'utf8', env: { ...process.env, LAMBDA_RDS_PROJECT: 'on' }, maxBuffer: 64 * 1024 * 1024 },
      );
      const [name] = result.status === 2 ? [] : readdirSync(out);
      if (!name) throw new Error(`eslint --cpu-prof in ${root} failed (exit ${result.status}): ${(result.stderr ?? '').slice(0, 400)}`);
      const { samplesMs, projectMs } = projectSamples(JSON.parse(readFileSync(join(out, name), 'utf8')));
      total.samplesMs += samplesMs;
      total.projectMs += projectMs;
      perRepo.push({ repo, files: files.length, projectMs });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    repos: perRepo.length,
    ...total,
    share: total.projectMs / total.samplesMs,
    costliest: perRepo.sort((a, b) => b.projectMs - a.projectMs).slice(0, 5),
  };
}

/** Sampled time of a \`.cpuprofile\`, and the part whose stack passes through the project knowledge. */
function projectSamples(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const inProject = new Map();
  const underProject = (id) => {
    const known = inProject.get(id);
    if (known !== undefined) return known;
    const up = parent.get(id);
    const value = PROJECT_FRAMES.test(nodes.get(id).callFrame.url) || (up !== undefined && underProject(up));
    inProject.set(id, value);
    return value;
  };
  let samplesMs = 0;
  let projectMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    samplesMs += ms;
    if (underProject(id)) projectMs += ms;
  });
  return { samplesMs, projectMs };
}

const pct = (x) => `${(x * 100).toFixed(1)} %`;
/** A text length (UTF-16 code units, as the caches weigh text) in thousands of 1,024. */
const kb = (length) => `${Math.round(length / 1024)} KB`;

export function renderReport(report) {
  const lines = [];
  lines.push(`Real Lambda corpus: ${report.repos} repositories, ${report.files} files linted in place (${report.corpus})`);
  lines.push(
    'Matching: ±1 line (or inside the call that starts on the label line); cross-file connections also by a finding at a crossFileCalls call site naming the callee;',
    "labels marked 'uncertain' are excluded from both recall and precision; precision over labelled files only.",
    '',
  );
  for (const rule of RULES) {
    const r = report.results[rule];
    const target = TARGETS[rule];
    const ok = r.recall >= target.recall && r.precision >= target.precision;
    lines.push(
      `${rule}: recall ${r.found}/${r.labels} = ${r.recall.toFixed(3)} (target ${target.recall}), precision ${r.truePositives}/${r.truePositives + r.falseAlarms.length} = ${r.precision.toFixed(3)} (target ${target.precision}) ${ok ? 'OK' : 'MISSED'}`,
    );
    lines.push(`  uncertain labels excluded: ${r.excluded}; findings on uncertain labels: ${r.uncertainFindings}; findings in unlabelled files: ${r.outside}`);
    for (const m of r.missed) lines.push(`  missed      ${m.repo}:${m.path}:${m.line}  ${m.what}`);
    for (const f of r.falseAlarms) lines.push(`  false alarm ${f.repo}:${f.path}:${f.line}  ${f.message.slice(0, 140)}`);
    if (report.verbose) for (const f of r.outsideFindings) lines.push(`  unlabelled  ${f.repo}:${f.path}:${f.line}  ${f.message.slice(0, 140)}`);
  }
  if (report.counts) {
    lines.push('', 'Every finding on the corpus, per rule (the rules above are scored against the labels; the others are counted):');
    for (const [rule, c] of Object.entries(report.counts)) {
      const messages = Object.entries(c.byMessage)
        .map(([id, n]) => `${id} ${n}`)
        .join(', ');
      lines.push(`  ${rule}: ${c.findings} in ${c.files} files (${messages})`);
    }
  }
  if (report.skipped.length) {
    lines.push('', `Labelled files that do not parse (${report.skipped.length}):`);
    for (const s of report.skipped) lines.push(`  ${s}`);
  }
  if (report.cli) {
    const c = report.cli;
    lines.push(
      '',
      `ESLint time of the ${c.repos} whole repositories: \`eslint <every source file>\` in each repository's folder, a fresh`,
      `process each (start-up, configuration, reading, parsing, ESLint's recommended rules + the plugin's, formatting; CPU time`,
      `of the whole process), project knowledge on and off, each repository's fastest of ${c.runs} runs per mode, modes alternating:`,
      `  off ${c.offMs.toFixed(0)} ms, on ${c.onMs.toFixed(0)} ms: the project knowledge adds ${pct(c.overhead)} (target ≤ ${pct(TARGET_OVERHEAD)}) ${c.overhead <= TARGET_OVERHEAD ? 'OK' : 'MISSED'}`,
      `  (wall time: ${pct(c.wallOverhead)}); most added: ${c.costliest.map((r) => `${r.repo} (${r.files} files) ${r.addedMs >= 0 ? '+' : ''}${r.addedMs.toFixed(0)} ms`).join(', ')}`,
    );
    if (c.sampled) {
      const p = c.sampled;
      lines.push(
        `The same runs sampled (one more run per repository, project knowledge on, V8's profiler every 200 µs): of ${p.samplesMs.toFixed(0)} ms`,
        `sampled, ${p.projectMs.toFixed(0)} ms have the project knowledge's code on the stack: ${(p.share * 100).toFixed(2)} % (target ≤ ${pct(TARGET_OVERHEAD)}) ${p.share <= TARGET_OVERHEAD ? 'OK' : 'MISSED'}`,
        `  (garbage collection left out); most: ${p.costliest.map((r) => `${r.repo} (${r.files} files) ${r.projectMs.toFixed(0)} ms`).join(', ')}`,
      );
    }
  }
  if (report.time) {
    const t = report.time;
    lines.push(
      '',
      `Linting alone (Linter.verify of the parsed files in one process, the plugin's project caches emptied before each`,
      `repository, as in a fresh process; no start-up, no file reading; CPU, fastest of ${t.runs} runs per mode):`,
      `  off ${t.offMs.toFixed(0)} ms, on ${t.onMs.toFixed(0)} ms: the project knowledge adds ${pct(t.overhead)} of the linting work itself (medians: ${pct(t.medianOverhead)})`,
      `  most added: ${t.costliest.map((r) => `${r.repo} (${r.files} files) +${r.addedMs.toFixed(0)} ms`).join(', ')}`,
    );
  }
  if (report.caches) {
    lines.push('', 'Project caches after the detection pass over every repository in one process (entries / bound):');
    for (const [name, c] of Object.entries(report.caches)) {
      const weight = c.maxWeight === undefined ? '' : `; ${kb(c.weight)} / ${kb(c.maxWeight)} of text`;
      lines.push(`  ${name}: ${c.size} / ${c.max}${weight}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The section of bench/RESULTS.md: the report as text, or why it was not measured. */
export function realDetectionMarkdown(report) {
  if (!report) return `## Detection on real code\n\nNot measured: no corpus at \`${defaultCorpus()}\` (set \`LAMBDA_RDS_CORPUS\`).\n`;
  return `## Detection on real code

Every file of the labelled corpus linted in place with the recommended rules, findings compared with the labels
(\`node bench/real-detection.mjs --verbose\` lists each missed label and false alarm). Targets: recall and precision
per rule as listed, and the project knowledge (deployment descriptors, imported modules, layers) adding at most
${pct(TARGET_OVERHEAD)} to the lint time of whole repositories.

\`\`\`text
${renderReport(report).trimEnd()}
\`\`\`
`;
}

export function targetsMet(report) {
  const rules = RULES.every((rule) => {
    const r = report.results[rule];
    return r.recall >= TARGETS[rule].recall && r.precision >= TARGETS[rule].precision;
  });
  return rules && (!report.cli || report.cli.overhead <= TARGET_OVERHEAD);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      runs: { type: 'string', default: '5' },
      'cli-runs': { type: 'string', default: '3' },
      'no-timing': { type: 'boolean', default: false },
      json: { type: 'string' },
      project: { type: 'string', default: 'on' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const report = await runRealDetection({
    corpus: values.corpus ?? defaultCorpus(),
    runs: Number(values.runs),
    cliRuns: Number(values['cli-runs']),
    timing: !values['no-timing'],
    project: values.project !== 'off',
    log: values.verbose ? (s) => process.stderr.write(`${s}\n`) : () => {},
  });
  process.stdout.write(renderReport({ ...report, verbose: values.verbose }));
  if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  process.exitCode = targetsMet(report) ? 0 : 1;
}
