// Adversarial inputs: the text scanners, the SQL lexer and the rules that read string contents must take time linear in the size
// of what they read. Each input is built at two sizes (the second twice the first) and timed at both in the same
// run; the ratio is about 2 for linear work and 4 for quadratic work. Target: at most 3. A ratio, not a time limit,
// so a slow or busy machine does not change the verdict.
//
// How a ratio is measured: a sample is a batch of calls on one input, enough calls that the batch at the smaller size
// takes at least MIN_SAMPLE_MS (the same count at both sizes), after a full garbage collection. Samples come in
// pairs, one per size, the order alternating from pair to pair; the ratio is the median over REPEATS pairs of
// (time at twice the size / time). Single calls of one to a few milliseconds, compared by their fastest run, gave
// ratios from 2.07 to 4.95 for the same input in runs of unchanged code on a shared virtual machine; a pair's two
// samples share the machine's state of the moment, and the median ignores the pairs that did not. Exports
// `runAdversarialBench()` for bench/run.mjs.
import v8 from 'node:v8';
import vm from 'node:vm';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import plugin from '../dist/index.js';
import { lintBigLiteral } from '../test/helpers/big-literal.mjs';
import { findDatabaseUris, mayContainRdsHostname, parseConnectionString, scanHostnames } from '../dist/core/config/index.js';
import { analyseSqlText } from '../dist/core/sql/analysis.js';
import { median } from './stats.mjs';

export const TARGET_RATIO = 3;
const REPEATS = 9;
const MIN_SAMPLE_MS = 25;

const linter = new Linter({ configType: 'flat' });
/** Lints a file that hands `payload` to a pool config and a query, with one rule of the plugin. */
const lintWith = (rule, poolConfig) => (payload) => {
  const messages = lintBigLiteral({ linter, plugin, parser: tsParser, rule, poolConfig, payload });
  if (messages.some((m) => m.fatal)) throw new Error(`${rule}: ${messages[0].message}`);
};
const scanHosts = (input) => {
  scanHostnames(input);
  mayContainRdsHostname(input);
};
const lexSql = (input) => {
  analyseSqlText(input, 'postgresql');
  analyseSqlText(input, 'mysql');
};
const scanUris = (input) => {
  findDatabaseUris(input);
  parseConnectionString(input);
};

/** [name, what runs, the input at scale k (k = 1: about half a megabyte)]. */
export const CASES = [
  ['hostnames: repeated RDS suffix', scanHosts, (k) => '.rds.amazonaws.com'.repeat(30_000 * k)],
  ['hostnames: one long label run', scanHosts, (k) => `${'a-'.repeat(250_000 * k)}.rds.amazonaws.com`],
  ['hostnames: many endpoints', scanHosts, (k) => 'a.b.us-east-1.rds.amazonaws.com '.repeat(15_000 * k)],
  ['hostnames: region-like repeats', scanHosts, (k) => 'us-east-east-east-'.repeat(30_000 * k)],
  ['URIs: repeated scheme', scanUris, (k) => 'postgres://'.repeat(50_000 * k)],
  ['URIs: long authority', scanUris, (k) => `postgres://${'a'.repeat(500_000 * k)}`],
  ['URIs: many @', scanUris, (k) => `postgres://a:${'@'.repeat(500_000 * k)}`],
  ['URIs: many parameters', scanUris, (k) => `postgres://h/db?${'host=a&'.repeat(75_000 * k)}`],
  ['URIs: unknown schemes', scanUris, (k) => 'x://'.repeat(125_000 * k)],
  ['URIs: long scheme', scanUris, (k) => `${'postgres'.repeat(60_000 * k)}://`],
  ['URIs: key=value string', scanUris, (k) => `Server=${'a;'.repeat(250_000 * k)}`],
  // The SQL lexer at 60 and 120 KB: it allocates a token object per token, and from a few hundred kilobytes of
  // tokens on, garbage collection of that growing live set costs more than linear time (see the table's notes), which
  // would hide what this checks (the lexing itself); SQL strings in code are a few kilobytes.
  ['SQL: unterminated quotes', lexSql, (k) => "'".repeat(60_000 * k)],
  ['SQL: dollar-quote openers', lexSql, (k) => '$a'.repeat(30_000 * k)],
  ['SQL: comment openers', lexSql, (k) => '/*'.repeat(30_000 * k)],
  ['SQL: repeated SET', lexSql, (k) => 'SET '.repeat(15_000 * k)],
  ['SQL: many literals', lexSql, (k) => "SELECT 'x', ".repeat(5_000 * k)],
  ...[
    ['no-hardcoded-credentials', '{ connectionString: big, password: big }', [(k) => 'postgres://'.repeat(47_000 * k), (k) => `postgres://a:${'b'.repeat(500_000 * k)}@h/db`, (k) => 'mysql://u:p@h '.repeat(35_000 * k)]],
    ['no-direct-rds-endpoint', '{ host: big, connectionString: big }', [(k) => '.rds.amazonaws.com'.repeat(27_000 * k), (k) => `${'a-'.repeat(250_000 * k)}.us-east-1.rds.amazonaws.com`, (k) => 'mydb.cluster-abc.us-east-1.rds.amazonaws.com '.repeat(9_000 * k)]],
    ['require-tls', '{ connectionString: big, host: big, ssl: { ca: big } }', [(k) => `postgres://h/db?${'sslmode=disable&'.repeat(30_000 * k)}`, (k) => `postgres://h/db?${'a'.repeat(500_000 * k)}`, (k) => `Server=h;${'Encrypt=false;'.repeat(35_000 * k)}`]],
  ].flatMap(([rule, config, inputs]) => inputs.map((input, i) => [`${rule}: 1 MB-class literal #${i + 1}`, lintWith(rule, config), input])),
];

/** A full garbage collection before each sample, so that none left over from earlier work lands in it. */
let collectGarbage;

/** Milliseconds per call of `fn(input)` over a batch of `calls` calls, after a full collection. */
function sample(fn, input, calls) {
  collectGarbage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) fn(input);
  return Number(process.hrtime.bigint() - start) / 1e6 / calls;
}

/** The median ratio of REPEATS pairs of samples (large / small), and each size's median time per call. */
function measurePair(fn, small, large) {
  fn(small); // warm-up (compilation)
  const once = Math.min(sample(fn, small, 1), sample(fn, small, 1), sample(fn, small, 1));
  const calls = Math.max(1, Math.ceil(MIN_SAMPLE_MS / Math.max(once, 0.01)));
  const times = [[], []];
  const ratios = [];
  for (let i = 0; i < REPEATS; i++) {
    const order = i % 2 === 0 ? [0, 1] : [1, 0];
    const pair = [];
    for (const slot of order) pair[slot] = sample(fn, slot === 0 ? small : large, calls);
    times[0].push(pair[0]);
    times[1].push(pair[1]);
    ratios.push(pair[1] / pair[0]);
  }
  return { ms1: median(times[0]), ms2: median(times[1]), ratio: median(ratios), calls };
}

export function runAdversarialBench({ log = console.log } = {}) {
  if (!collectGarbage) {
    v8.setFlagsFromString('--expose-gc');
    collectGarbage = vm.runInNewContext('gc');
  }
  const rows = [];
  for (const [name, fn, make] of CASES) {
    const small = make(1);
    const large = make(2);
    const { ms1, ms2, ratio, calls } = measurePair(fn, small, large);
    const row = { name, chars: large.length, ms1, ms2, ratio, calls, met: ratio <= TARGET_RATIO };
    rows.push(row);
    log(`  ${name}: ${ms1.toFixed(2)} ms -> ${ms2.toFixed(2)} ms at twice the size (x${ratio.toFixed(2)}, batches of ${calls})${row.met ? '' : ' MISSED'}`);
  }
  return { rows, met: rows.every((r) => r.met) };
}

export function adversarialMarkdown({ rows, met }) {
  return `## Adversarial inputs

Each scanner, the SQL lexer and each rule that reads string contents, on inputs built to provoke super-linear work, at about half a
megabyte and at twice that. A sample is a batch of calls on one input (enough that the smaller input's batch takes at
least ${MIN_SAMPLE_MS} ms; the same number of calls at both sizes), after a full garbage collection; ${REPEATS} pairs of samples,
the order alternating; the ratio is the median of the pairs' ratios, the times are medians per call. Linear work doubles
(ratio about 2), quadratic work quadruples. The SQL lexer runs at 60 and 120 KB: it allocates an object per token,
and above about half a megabyte of SQL the garbage collection of that growing live set makes each doubling cost
about 3.3 times (measured from 0.5 to 1 MB and from 1.4 to 2.9 MB) however linear the lexing is; SQL strings in
code are a few kilobytes.

| Input | Characters (larger) | Calls per sample | Time | Time at twice the size | Ratio | ≤ ${TARGET_RATIO} |
|---|---|---|---|---|---|---|
${rows.map((r) => `| ${r.name} | ${r.chars} | ${r.calls} | ${r.ms1.toFixed(2)} ms | ${r.ms2.toFixed(2)} ms | ${r.ratio.toFixed(2)} | ${r.met ? 'yes' : '**no**'} |`).join('\n')}

Target ≤ ${TARGET_RATIO}: **${met ? 'met' : 'missed'}**.
`;
}
