// Adversarial inputs: the text scanners, the SQL lexer and the rules that read string contents must take time linear in the size
// of what they read. Each input is built at two sizes (the second twice the first) and timed at both in the same
// run (fastest of seven repetitions, alternating between the sizes, each after a full garbage collection); the ratio is about 2 for linear work and 4 for quadratic work. Target: at
// most 3. A ratio, not a time limit, so a slow or busy machine does not change the verdict. Exports
// `runAdversarialBench()` for bench/run.mjs.
import v8 from 'node:v8';
import vm from 'node:vm';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import plugin from '../dist/index.js';
import { lintBigLiteral } from '../test/helpers/big-literal.mjs';
import { findDatabaseUris, mayContainRdsHostname, parseConnectionString, scanHostnames } from '../dist/core/config/index.js';
import { analyseSqlText } from '../dist/core/sql/analysis.js';

export const TARGET_RATIO = 3;
const REPEATS = 7;

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

/** A full garbage collection before each timed run, so that none left over from earlier work lands in it. */
let collectGarbage;

/** The fastest run of `fn` on each of two inputs, alternating between them, each run after a full collection. */
function fastestPair(fn, small, large) {
  const best = [Infinity, Infinity];
  for (let i = 0; i < REPEATS; i++) {
    for (const [slot, input] of [small, large].entries()) {
      collectGarbage();
      const start = process.hrtime.bigint();
      fn(input);
      best[slot] = Math.min(best[slot], Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  return best;
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
    fn(small); // warm-up
    const [ms1, ms2] = fastestPair(fn, small, large);
    // Below a millisecond the ratio is timer noise: such work is fast at any size that fits in a file.
    const ratio = ms2 / Math.max(ms1, 1);
    const row = { name, chars: large.length, ms1, ms2, ratio, met: ratio <= TARGET_RATIO };
    rows.push(row);
    log(`  ${name}: ${ms1.toFixed(1)} ms -> ${ms2.toFixed(1)} ms at twice the size (x${ratio.toFixed(2)})${row.met ? '' : ' MISSED'}`);
  }
  return { rows, met: rows.every((r) => r.met) };
}

export function adversarialMarkdown({ rows, met }) {
  return `## Adversarial inputs

Each scanner, the SQL lexer and each rule that reads string contents, on inputs built to provoke super-linear work, at about half a
megabyte and at twice that; fastest of ${REPEATS} runs each, alternating between the sizes, each after a full garbage collection. Linear work doubles (ratio about 2), quadratic work
quadruples. Times under a millisecond count as one millisecond. The SQL lexer runs at 60 and 120 KB: it allocates
an object per token, and above about half a megabyte of SQL the garbage collection of that growing live set makes
each doubling cost about 3.3 times (measured from 0.5 to 1 MB and from 1.4 to 2.9 MB) however linear the lexing
is; SQL strings in code are a few kilobytes.

| Input | Characters (larger) | Time | Time at twice the size | Ratio | ≤ ${TARGET_RATIO} |
|---|---|---|---|---|---|
${rows.map((r) => `| ${r.name} | ${r.chars} | ${r.ms1.toFixed(1)} ms | ${r.ms2.toFixed(1)} ms | ${r.ratio.toFixed(2)} | ${r.met ? 'yes' : '**no**'} |`).join('\n')}

Target ≤ ${TARGET_RATIO}: **${met ? 'met' : 'missed'}**.
`;
}
