// ESLint and oxlint, each running the plugin's `recommended` rules, over the same files: the wall time of each
// command line (a fresh process, as in CI or lint-staged), median of several rounds, and the ratio. Both hosts run
// only the plugin's rules: ESLint with the setup of `lambda-rds scan` (typescript-eslint's parser for every file,
// `.cjs`/`.cts` as CommonJS), oxlint with its own rules off and the plugin as a JS plugin. Their findings are
// compared too, so that the times are for the same work. No target: the figures are reported, not checked.
//
// Files: the corpus of real public Lambda projects when it is there (`--corpus <dir>`, else `repos` under
// LAMBDA_RDS_CORPUS, else ~/.cache/lambda-rds-corpus/repos): the labelled Lambda files of bench/corpus/labels.json,
// or every source file under it when there is no such list. Otherwise the corpus of bench/run.mjs (examples/ and
// node_modules files), written to a temporary folder with extensions that give both hosts the same source type.
//
// Exports `runHostsBench()` and `hostsMarkdown()` for bench/run.mjs; `node bench/hosts.mjs [--corpus <dir>]
// [--all-files] [--rounds N]` runs it alone (on the real corpus, or on examples/ when there is none).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { corpusFolder, labelsPath, prepareCheckouts, readLabels } from './corpus/labels.mjs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  OXLINT_BIN,
  PLUGIN_PATH,
  SOURCE_EXTENSIONS,
  eslintFindings,
  oxlintArgs,
  oxlintConfig,
  oxlintFindings,
  oxlintVersion,
  parseJsonReport,
  sourceFilesUnder,
} from '../test/helpers/hosts.mjs';
import { median } from './stats.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ESLINT_BIN = join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
const HOSTS_HELPER = join(ROOT, 'test', 'helpers', 'hosts.mjs');

/**
 * The corpus folder: the option, else `repos` under LAMBDA_RDS_CORPUS, else under the default cache location; through symbolic links,
 * as ESLint reports real paths.
 */
export function corpusDirectory(option) {
  const dir = resolve(option ?? join(corpusFolder(), 'repos'));
  return existsSync(dir) ? realpathSync(dir) : dir;
}

/** A path for the report, with the home folder as `~`. */
const display = (path) => (path.startsWith(homedir()) ? `~${path.slice(homedir().length)}` : path);

const isSource = (file) => SOURCE_EXTENSIONS.includes(extname(file)) && !/\.d\.[cm]?ts$/.test(file);

/**
 * The files of the real corpus at `dir`, or undefined when there are none. The corpus labels (bench/corpus/labels.mjs)
 * list `{ repos: [{ root, files: [{ path }] }] }`, `root` relative to the folder above `dir`.
 */
function realCorpus(dir, allFiles) {
  if (!existsSync(dir)) return undefined;
  const labelsFile = labelsPath(dirname(dir));
  if (!allFiles && existsSync(labelsFile)) {
    const labels = readLabels(dirname(dir));
    prepareCheckouts(dirname(dir));
    const base = dirname(dir);
    const repos = Array.isArray(labels.repos) ? labels.repos : [];
    const files = [
      ...new Set(repos.flatMap((repo) => (repo.files ?? []).map((file) => resolve(base, repo.root, file.path)))),
    ].filter((file) => isSource(file) && file.startsWith(dir) && existsSync(file));
    if (files.length > 0) {
      const withFiles = new Set(files.map((file) => relative(dir, file).split(/[\\/]/)[0]));
      return {
        name: 'real',
        description: `the Lambda files labelled in ${display(labelsFile)}: ${files.length} files of ${withFiles.size} public repositories under ${display(dir)}`,
        cwd: dir,
        files: files.sort(),
      };
    }
  }
  const files = sourceFilesUnder(dir);
  if (files.length === 0) return undefined;
  return { name: 'real', description: `every JavaScript and TypeScript source file under ${display(dir)}${allFiles ? '' : ' (no labels.json beside it)'}: ${files.length} files`, cwd: dir, files };
}

/**
 * The bench corpus of run.mjs (entries with `code` and a virtual `filePath` under bench-corpus/{cjs,esm}/),
 * written to `dir`. Extensions say the source type, so that both hosts parse each file alike: `.cjs`/`.cts` for
 * CommonJS, `.mjs`/`.mts` for modules (oxlint reads a `.js` file without `import` or `export` as a script).
 */
function writtenCorpus(entries, dir) {
  const files = [];
  for (const entry of entries) {
    const virtual = relative(join(ROOT, 'bench-corpus'), entry.filePath);
    const commonjs = virtual.startsWith('cjs');
    const ext = extname(virtual);
    const typescript = /ts$/.test(ext);
    const file = join(dir, `${virtual.slice(0, -ext.length)}${commonjs ? (typescript ? '.cts' : '.cjs') : typescript ? '.mts' : '.mjs'}`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, entry.code);
    files.push(file);
  }
  return files.sort();
}

/** Runs a command line; resolves with its wall time, exit status and standard output. */
function timed(args, cwd) {
  return new Promise((resolvePromise, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (status) => {
      const ms = performance.now() - start;
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (status !== 0 && status !== 1) reject(new Error(`${args[0]} exited with ${status}: ${stderr.slice(0, 2000)}`));
      else resolvePromise({ ms, stdout, stderr });
    });
  });
}

const show = (f) => (f.ruleId === null ? `${f.file}: parse error` : `${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.ruleId}: ${f.message}`);

/**
 * Lints the corpus with each host configuration once untimed, then `rounds` times each (in rotating order), and
 * compares the findings of the untimed runs.
 *
 * `corpus`: the corpus folder (see `corpusDirectory`); `allFiles`: every source file under it, not only the
 * labelled ones; `fallback`: returns the entries of run.mjs's corpus, used when the folder has no files (without
 * it, examples/ are used).
 */
export async function runHostsBench({ corpus, allFiles = false, fallback, rounds = 5, log = console.log } = {}) {
  const { default: plugin } = await import(pathToFileURL(PLUGIN_PATH).href);
  const { ESLint } = await import('eslint');
  const oxlint = oxlintVersion(); // fails early, with the reason, when oxlint cannot run
  const work = mkdtempSync(join(tmpdir(), 'lambda-rds-bench-hosts-'));
  try {
    const dir = corpusDirectory(corpus);
    let set = realCorpus(dir, allFiles);
    if (!set && fallback) {
      const files = writtenCorpus(fallback(), join(work, 'corpus'));
      set = {
        name: 'fallback',
        description: `no corpus of real Lambda projects at ${display(dir)}; instead the corpus of the sections above (examples/ and node_modules files, with the handler variants): ${files.length} files`,
        cwd: join(work, 'corpus'),
        files,
      };
    }
    if (!set) {
      const files = sourceFilesUnder(join(ROOT, 'examples'));
      set = { name: 'fallback', description: `no corpus of real Lambda projects at ${display(dir)}; instead examples/: ${files.length} files`, cwd: join(ROOT, 'examples'), files };
    }
    log(`  files: ${set.description}`);

    const rules = plugin.configs.recommended.rules;
    const eslintConfigPath = join(work, 'eslint.config.mjs');
    writeFileSync(
      eslintConfigPath,
      `import plugin from ${JSON.stringify(pathToFileURL(PLUGIN_PATH).href)};
import { eslintConfig } from ${JSON.stringify(pathToFileURL(HOSTS_HELPER).href)};
export default eslintConfig({ plugin, rules: plugin.configs.recommended.rules });
`,
    );
    const oxlintConfigPath = join(work, '.oxlintrc.json');
    writeFileSync(oxlintConfigPath, JSON.stringify(oxlintConfig({ rules })));
    const files = set.files.map((file) => relative(set.cwd, file));
    const eslintArgs = (extra) => [ESLINT_BIN, '-c', eslintConfigPath, '--format', 'json', '--no-ignore', '--no-warn-ignored', ...extra, ...files];
    const hosts = [
      { id: 'eslint', label: 'ESLint (one thread, its default)', args: eslintArgs([]) },
      { id: 'eslint-auto', label: 'ESLint `--concurrency=auto`', args: eslintArgs(['--concurrency=auto']) },
      { id: 'oxlint', label: 'oxlint (all CPUs, its default)', args: oxlintArgs({ configPath: oxlintConfigPath, files }) },
      { id: 'oxlint-1', label: 'oxlint `--threads=1`', args: oxlintArgs({ configPath: oxlintConfigPath, files, threads: 1 }) },
    ];

    // Untimed first run of each: warms the file cache, and gives the findings to compare.
    // ESLint also reports rules named in disable comments that it has not loaded ("Definition for rule ... was not
    // found"): its own messages, not the plugin's, and left out of the comparison (counted).
    const ours = (f) => f.ruleId === null || f.ruleId.startsWith(`${plugin.meta.namespace}/`);
    const findings = {};
    let eslintOwn = 0;
    for (const host of hosts) {
      const { stdout, stderr } = await timed(host.args, set.cwd);
      const parsed = parseJsonReport(stdout, stderr, host.label);
      const all = host.id.startsWith('eslint') ? eslintFindings(parsed, set.cwd) : oxlintFindings(parsed, set.cwd);
      if (host.id === 'eslint') eslintOwn = all.filter((f) => !ours(f)).length;
      findings[host.id] = all.filter(ours);
    }
    const rulesOnly = (list) => list.filter((f) => f.ruleId !== null).map(show);
    const unparsed = (list) => list.filter((f) => f.ruleId === null).map((f) => f.file);
    const onlyIn = (a, b) => a.filter((x) => !new Set(b).has(x));
    const [eslintShown, oxlintShown] = [rulesOnly(findings.eslint), rulesOnly(findings.oxlint)];
    const [eslintUnparsed, oxlintUnparsed] = [unparsed(findings.eslint), unparsed(findings.oxlint)];
    const comparison = {
      eslint: eslintShown.length,
      oxlint: oxlintShown.length,
      eslintOwn,
      onlyEslint: onlyIn(eslintShown, oxlintShown),
      onlyOxlint: onlyIn(oxlintShown, eslintShown),
      unparsedBoth: eslintUnparsed.filter((file) => oxlintUnparsed.includes(file)).length,
      unparsedOnlyEslint: onlyIn(eslintUnparsed, oxlintUnparsed),
      unparsedOnlyOxlint: onlyIn(oxlintUnparsed, eslintUnparsed),
      sameWithinEslint: findings['eslint-auto'].map(show).join('\n') === findings.eslint.map(show).join('\n'),
      sameWithinOxlint: findings['oxlint-1'].map(show).join('\n') === findings.oxlint.map(show).join('\n'),
    };
    log(
      `  the plugin's findings: ESLint ${comparison.eslint}, oxlint ${comparison.oxlint}, only ESLint ${comparison.onlyEslint.length}, only oxlint ${comparison.onlyOxlint.length}; ` +
        `files not parsed: by both ${comparison.unparsedBoth}, only by ESLint ${comparison.unparsedOnlyEslint.length}, only by oxlint ${comparison.unparsedOnlyOxlint.length}; ` +
        `the same with more or fewer threads: ESLint ${comparison.sameWithinEslint ? 'yes' : 'NO'}, oxlint ${comparison.sameWithinOxlint ? 'yes' : 'NO'}`,
    );
    for (const line of [
      ...comparison.onlyEslint.map((s) => `only ESLint: ${s}`),
      ...comparison.onlyOxlint.map((s) => `only oxlint: ${s}`),
      ...comparison.unparsedOnlyEslint.map((file) => `not parsed by ESLint only: ${file}`),
      ...comparison.unparsedOnlyOxlint.map((file) => `not parsed by oxlint only: ${file}`),
    ].slice(0, 20)) {
      log(`    ${line.slice(0, 240)}`);
    }

    const times = Object.fromEntries(hosts.map((host) => [host.id, []]));
    for (let round = 0; round < rounds; round++) {
      const order = hosts.map((_, i) => hosts[(i + round) % hosts.length]);
      for (const host of order) times[host.id].push((await timed(host.args, set.cwd)).ms);
      log(`  round ${round + 1}/${rounds}: ${hosts.map((host) => `${host.id} ${times[host.id].at(-1).toFixed(0)} ms`).join(', ')}`);
    }
    const rows = hosts.map((host) => ({ ...host, median: median(times[host.id]), min: Math.min(...times[host.id]), max: Math.max(...times[host.id]) }));
    const byId = Object.fromEntries(rows.map((row) => [row.id, row]));
    return {
      set,
      rounds,
      rows,
      ratio: byId.eslint.median / byId.oxlint.median,
      ratioOneThread: byId.eslint.median / byId['oxlint-1'].median,
      comparison,
      eslintVersion: ESLint.version,
      oxlintVersion: oxlint,
      oxlintBin: OXLINT_BIN,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const listed = (what, files) => (files.length ? `; ${files.length} ${what} (${files.map((f) => `\`${f}\``).join(', ')})` : '');

export function hostsMarkdown(r) {
  const c = r.comparison;
  const same = c.onlyEslint.length === 0 && c.onlyOxlint.length === 0;
  return `## ESLint and oxlint

The plugin's \`recommended\` rules under each host, over the same files: the wall time of the whole command line
(a new process each time, as in CI or lint-staged: start-up, loading the plugin, parsing and the rules), median of
${r.rounds} rounds after one untimed run of each, the hosts in rotating order. Only the plugin's rules run: ESLint
${r.eslintVersion} with the setup of \`lambda-rds scan\` (\`@typescript-eslint/parser\` for every file), oxlint
${r.oxlintVersion} with its own rules off and the plugin in \`jsPlugins\`.

Files (${r.set.name === 'real' ? 'real public Lambda projects' : 'fallback'}): ${r.set.description}.

| Host | Median | Min | Max |
|---|---|---|---|
${r.rows.map((row) => `| ${row.label} | ${row.median.toFixed(0)} ms | ${row.min.toFixed(0)} ms | ${row.max.toFixed(0)} ms |`).join('\n')}

ESLint / oxlint, each with its default threads: **${r.ratio.toFixed(1)}x**; both on one thread: ${r.ratioOneThread.toFixed(1)}x.

The plugin's findings: ESLint ${c.eslint}, oxlint ${c.oxlint}${same ? ', the same (file, rule, message, start and end)' : `; ${c.onlyEslint.length} only from ESLint, ${c.onlyOxlint.length} only from oxlint`}.
Files that do not parse: ${c.unparsedBoth} under both hosts${listed('only under ESLint', c.unparsedOnlyEslint)}${listed('only under oxlint', c.unparsedOnlyOxlint)}.${
    c.eslintOwn ? ` ESLint's own messages, left out: ${c.eslintOwn} (disable comments naming rules it has not loaded).` : ''
  }
`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { corpus: { type: 'string' }, 'all-files': { type: 'boolean', default: false }, rounds: { type: 'string', default: '5' } },
  });
  const result = await runHostsBench({ corpus: values.corpus, allFiles: values['all-files'], rounds: Number(values.rounds) });
  console.log(`\n${hostsMarkdown(result)}`);
}
