/**
 * Robustness: every rule of the plugin, all enabled, runs over real third-party code (the source files of the
 * project's own node_modules) and over a corpus of odd inputs without throwing.
 *
 * Most third-party files import no database module, so the rules take their early exit on them. To make the shared
 * analysis run on real code too, a second pass lints "handler variants" of the same files: the `pg` driver imported
 * at the top, and an exported Lambda handler at the end that creates a pool and calls the file's own top-level
 * functions. Each variant must be reported by `no-connection-in-handler`, which proves the analysis ran.
 *
 * A parse failure is not a rule failure: it is counted, and the tests require enough files to have been parsed
 * and linted for the run to mean something.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import {
  PROBE,
  handlerVariant,
  listSourceFiles,
  parseModes,
  readText,
  selectCorpus,
  spread,
  virtualFilename,
  type CorpusFile,
  type SourceType,
} from './helpers/corpus.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NAMESPACE = plugin.meta.namespace;
const CONNECTION_RULE = `${NAMESPACE}/no-connection-in-handler`;

/** How many node_modules files the first test lints at most (and at least 5,000 must parse). */
const FILE_LIMIT = 6_000;
const MIN_LINTED = 5_000;
/** How many handler variants the second test lints at most (and at least 2,000 must parse). */
const VARIANT_LIMIT = 2_400;
const MIN_VARIANTS = 2_000;

const allRules: Linter.RulesRecord = Object.fromEntries(
  Object.keys(plugin.rules).map((name) => [`${NAMESPACE}/${name}`, 'error' as const]),
);

function configFor(typescript: boolean, sourceType: SourceType): Linter.Config[] {
  return [
    {
      files: ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.ts', '**/*.mts', '**/*.cts'],
      plugins: { [NAMESPACE]: plugin as never },
      rules: allRules,
      languageOptions: {
        ecmaVersion: 'latest',
        sourceType,
        ...(typescript ? { parser: tsParser as Linter.Parser } : {}),
      },
    },
  ];
}

const configs = new Map<string, Linter.Config[]>();
const linter = new Linter({ configType: 'flat' });

interface Outcome {
  /** Parsed, and every rule ran (ESLint had a SourceCode for it). */
  linted: boolean;
  /** The parse error, when it did not parse. */
  fatal?: string | undefined;
  /** What ESLint threw, when it threw. */
  thrown?: string | undefined;
  messages: Linter.LintMessage[];
}

function lint(code: string, filename: string, typescript: boolean, sourceType: SourceType): Outcome {
  const key = `${typescript}:${sourceType}`;
  let config = configs.get(key);
  if (!config) configs.set(key, (config = configFor(typescript, sourceType)));
  try {
    const messages = linter.verify(code, config, { filename });
    const fatal = messages.find((m) => m.fatal)?.message;
    return { linted: !fatal && Boolean(linter.getSourceCode()), fatal, messages };
  } catch (error) {
    return { linted: false, thrown: describeError(error), messages: [] };
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const frames = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')).slice(0, 5);
  return [error.message, ...frames].join('\n');
}

/** ESLint names the rule when a rule throws: `Rule: "id"` for listeners, `Error while loading rule 'id'` for create(). */
function isRuleCrash(thrown: string): boolean {
  return thrown.includes(`Rule: "${NAMESPACE}/`) || thrown.includes(`rule '${NAMESPACE}/`);
}

/** The 1-based line of a text offset, counting line breaks as ESLint does. */
function lineOf(code: string, offset: number): number {
  return code.slice(0, offset).split(/\r\n|[\r\n\u2028\u2029]/).length;
}

function extensionOf(path: string): string {
  return /(\.d)?\.[cm]?[jt]s$/.exec(path)?.[0] ?? '';
}

function corpus(): CorpusFile[] {
  return selectCorpus(listSourceFiles(join(ROOT, 'node_modules'), { declarations: true }), FILE_LIMIT);
}

function summarise(failures: readonly string[], what: string): string {
  if (failures.length === 0) return '';
  const shown = failures.slice(0, 5).map((f) => (f.length > 1500 ? `${f.slice(0, 1500)}…` : f));
  return `${failures.length} ${what}; the first ones:\n\n${shown.join('\n\n')}`;
}

/** A parse error or thrown message, cut short: a message can quote a whole 1 MB token. */
function short(text: string | undefined): string {
  const line = (text ?? '').split('\n')[0]!;
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

describe('every rule on real third-party code from node_modules', () => {
  it(`lints at least ${MIN_LINTED} files without a rule crash`, () => {
    const files = corpus();
    const crashes: string[] = [];
    const otherErrors: string[] = [];
    const parseFailures: string[] = [];
    const lintedByExtension = new Map<string, number>();
    const presentExtensions = new Set(files.map((f) => extensionOf(f.path)));
    let linted = 0;

    for (const file of files) {
      const { typescript, sourceTypes } = parseModes(file.path);
      const code = readText(file.path);
      let outcome: Outcome | undefined;
      for (const sourceType of sourceTypes) {
        outcome = lint(code, virtualFilename(file.relative), typescript, sourceType);
        if (outcome.linted || outcome.thrown) break;
      }
      if (outcome?.thrown) {
        (isRuleCrash(outcome.thrown) ? crashes : otherErrors).push(`${file.relative}\n${outcome.thrown}`);
      } else if (outcome?.linted) {
        linted++;
        const ext = extensionOf(file.path);
        lintedByExtension.set(ext, (lintedByExtension.get(ext) ?? 0) + 1);
      } else {
        parseFailures.push(`${file.relative}: ${short(outcome?.fatal)}`);
      }
    }

    console.log(
      `node_modules corpus: ${files.length} files selected, ${linted} linted, ${parseFailures.length} did not parse, ` +
        `${otherErrors.length} other ESLint errors; linted by extension: ${JSON.stringify(Object.fromEntries(lintedByExtension))}`,
    );
    if (otherErrors.length > 0) console.log(summarise(otherErrors, 'errors outside the plugin'));

    expect(crashes, summarise(crashes, 'rule crashes')).toEqual([]);
    expect(linted).toBeGreaterThanOrEqual(MIN_LINTED);
    // Every kind of file in the corpus was really linted (a wrong parser setup would make a whole kind fail).
    for (const ext of presentExtensions) expect(lintedByExtension.get(ext) ?? 0, `files ending in ${ext}`).toBeGreaterThan(0);
    // Parse failures are the odd file, not the norm.
    expect(parseFailures.length, summarise(parseFailures, 'parse failures')).toBeLessThan(files.length * 0.02);
  }, 600_000);

  it(`reports the pool created in a handler appended to at least ${MIN_VARIANTS} real files, and its suggestions parse`, () => {
    const files = spread(
      corpus().filter((f) => !parseModes(f.path).declaration),
      VARIANT_LIMIT,
    );
    const crashes: string[] = [];
    const otherErrors: string[] = [];
    const missed: string[] = [];
    const brokenFixes: string[] = [];
    let linted = 0;
    let fixesChecked = 0;
    const probe = `new ${PROBE.driver}.Pool(`;

    for (const file of files) {
      const { typescript, sourceTypes } = parseModes(file.path);
      const text = readText(file.path);
      const filename = virtualFilename(file.relative);
      for (const sourceType of sourceTypes) {
        const code = handlerVariant(text, sourceType);
        const outcome = lint(code, filename, typescript, sourceType);
        if (outcome.thrown) {
          (isRuleCrash(outcome.thrown) ? crashes : otherErrors).push(`${file.relative} (${sourceType})\n${outcome.thrown}`);
          break;
        }
        if (!outcome.linted) continue;
        linted++;
        const line = lineOf(code, code.lastIndexOf(probe));
        if (!outcome.messages.some((m) => m.ruleId === CONNECTION_RULE && m.line === line)) {
          missed.push(`${file.relative} (${sourceType}): expected ${CONNECTION_RULE} on line ${line}, got ${JSON.stringify(outcome.messages.map((m) => `${m.ruleId}@${m.line}`))}`);
        }
        // Every fix and suggestion the rules offer on real code must give code that still parses and lints.
        for (const message of outcome.messages) {
          const fixes = [...(message.fix ? [message.fix] : []), ...(message.suggestions ?? []).map((s) => s.fix)];
          for (const fix of fixes) {
            fixesChecked++;
            const fixed = code.slice(0, fix.range[0]) + fix.text + code.slice(fix.range[1]);
            const after = lint(fixed, filename, typescript, sourceType);
            if (after.thrown && isRuleCrash(after.thrown)) crashes.push(`${file.relative} (after a fix of ${message.ruleId})\n${after.thrown}`);
            else if (!after.linted) brokenFixes.push(`${file.relative}: a fix of ${message.ruleId} on line ${message.line} gives code that does not parse: ${short(after.fatal ?? after.thrown)}`);
          }
        }
        break;
      }
    }

    console.log(`handler variants: ${files.length} files, ${linted} linted, ${fixesChecked} fixes and suggestions applied`);
    if (otherErrors.length > 0) console.log(summarise(otherErrors, 'errors outside the plugin'));

    expect(crashes, summarise(crashes, 'rule crashes')).toEqual([]);
    expect(linted).toBeGreaterThanOrEqual(MIN_VARIANTS);
    expect(missed, summarise(missed, 'variants without the expected report')).toEqual([]);
    expect(brokenFixes, summarise(brokenFixes, 'fixes that break the code')).toEqual([]);
  }, 600_000);
});

// ---------------------------------------------------------------------------------------------------------------
// Odd inputs

interface OddCase {
  name: string;
  code: string;
  /** `no-connection-in-handler` must report it wherever it parses. */
  report?: boolean;
  /** Nested so deeply that the parsers need a larger stack than the main thread has: linted in a worker. */
  deep?: boolean;
  /** Deliberately invalid: must not parse anywhere. */
  invalid?: boolean;
  /** The parsers to lint it with (default: both). */
  parsers?: Parser[];
}

type Parser = 'espree' | 'typescript';
type Mode = { parser: Parser; sourceType: SourceType };

/** Each parser, with `module` for ESM code and both `module` and `commonjs` for the rest. */
function modesFor(c: OddCase): Mode[] {
  const esmSyntax = /^\s*(?:import\s*[\w*{'"]|export\s)/m.test(c.code);
  const sourceTypes: SourceType[] = esmSyntax ? ['module'] : ['module', 'commonjs'];
  return (c.parsers ?? ['espree', 'typescript']).flatMap((parser) => sourceTypes.map((sourceType) => ({ parser, sourceType })));
}

const MEGABYTE = 1024 * 1024;

/** An ESM file with a handler that creates a pool on every invocation, with `body` inside the handler. */
const esmHandler = (body: string): string =>
  `import pg from 'pg';\nexport const handler = async (event) => {\n  const pool = new pg.Pool();\n  ${body}\n  return pool.query('select 1');\n};\n`;
const cjsHandler = (body: string): string =>
  `const pg = require('pg');\nexports.handler = async (event) => {\n  const pool = new pg.Pool();\n  ${body}\n  return pool.query('select 1');\n};\n`;
const esm = (code: string): string => `import pg from 'pg';\n${code}\n`;
const cjs = (code: string): string => `const pg = require('pg');\n${code}\n`;

/** Expressions and statements nested `depth` levels deep, for one parser. */
function deepCases(depth: number, parser: Parser): OddCase[] {
  const sum = Array.from({ length: depth }, () => 'a').join(' + ');
  const sqlConcat = Array.from({ length: depth }, (_, i) => `'c${i}, '`).join(' + ');
  const cases: Array<Omit<OddCase, 'deep' | 'parsers'>> = [
    { name: `${depth}-term sum outside any handler`, code: `export const x = ${sum};\n` },
    { name: `${depth}-term sum in a handler`, code: esmHandler(`const x = ${sum};`), report: true },
    { name: `${depth}-term SQL concatenation`, code: esmHandler(`await pool.query('SELECT ' + ${sqlConcat});`), report: true },
    { name: `${depth} nested arrays`, code: esmHandler(`const x = ${'['.repeat(depth)}${']'.repeat(depth)};`), report: true },
    { name: `${depth} nested parentheses`, code: esmHandler(`const x = ${'('.repeat(depth)}a${')'.repeat(depth)};`), report: true },
    { name: `${depth} nested calls`, code: esmHandler(`const x = ${'f('.repeat(depth)}${')'.repeat(depth)};`), report: true },
    { name: `${depth} nested pool calls`, code: esmHandler(`const x = ${'pool.query('.repeat(depth)}${')'.repeat(depth)};`), report: true },
    { name: `${depth}-long member chain`, code: esmHandler(`const x = a${'.b'.repeat(depth)};`), report: true },
    { name: `${depth}-long call chain on the pool`, code: esmHandler(`const x = pool${'.query()'.repeat(depth)};`), report: true },
    { name: `${depth} nested objects`, code: esmHandler(`const x = ${'{ a: '.repeat(depth)}1${' }'.repeat(depth)};`), report: true },
    { name: `${depth} nested conditionals`, code: esmHandler(`const x = ${'c ? '.repeat(depth)}1${' : 0'.repeat(depth)};`), report: true },
    { name: `${depth} nested blocks`, code: esmHandler(`${'{ '.repeat(depth)}new pg.Client();${' }'.repeat(depth)}`), report: true },
    { name: `${depth} nested ifs`, code: esmHandler(`${'if (a) '.repeat(depth)}new pg.Client();`), report: true },
    // Every level is a function scope: a tenth of the depth.
    { name: `${depth / 10} nested arrow functions`, code: esm(`export const handler = async (event) => ${'() => '.repeat(depth / 10)}new pg.Pool();`) },
    { name: `${depth / 10} nested function declarations`, code: esm(`export async function handler(event) { ${'function f() { '.repeat(depth / 10)}new pg.Pool();${' }'.repeat(depth / 10)} }`) },
    { name: `${depth / 10} nested template literals`, code: esmHandler(`const q = ${'`${'.repeat(depth / 10)}x${'}`'.repeat(depth / 10)};`), report: true },
  ];
  return cases.map((c) => ({ ...c, name: `${c.name} (${parser})`, deep: true, parsers: [parser] }));
}

function oddCases(): OddCase[] {
  const megabyte = 'x'.repeat(MEGABYTE);
  const placeholders = Array.from({ length: 10_000 }, (_, i) => `col${i} = \${v${i % 10}}`).join(' AND ');
  return [
    // Files with nothing, or next to nothing, in them.
    { name: 'empty file', code: '' },
    { name: 'whitespace only', code: ' \n\t\r\n \u00a0\n' },
    { name: 'only comments', code: '// nothing here\n/* block */\n/** @type {import("pg").Pool} */\n' },
    { name: 'shebang only', code: '#!/usr/bin/env node\n' },
    { name: 'BOM only', code: '\uFEFF' },
    { name: 'directive only', code: "'use strict';\n" },
    { name: 'driver import only', code: "import pg from 'pg';\n" },
    { name: 'driver require only', code: "require('pg');\n" },
    // Byte-level oddities around a handler.
    { name: 'BOM, shebang and handler', code: `\uFEFF#!/usr/bin/env node\n${esmHandler('')}`, report: true },
    { name: 'shebang and CommonJS handler', code: `#!/usr/bin/env node\n${cjsHandler('')}`, report: true },
    { name: 'CRLF line endings', code: esmHandler('').replace(/\n/g, '\r\n'), report: true },
    { name: 'CR line endings', code: cjsHandler('').replace(/\n/g, '\r'), report: true },
    { name: 'line and paragraph separators in strings', code: esmHandler("const s = '\u2028\u2029'; const t = '\\uD800';"), report: true },
    // Deep nesting (thousands of levels).
    ...deepCases(20_000, 'espree'),
    // The TypeScript parser is much slower on deep input (seconds per case at 20,000 levels): fewer levels.
    ...deepCases(5_000, 'typescript'),
    // Big inputs.
    { name: '1 MB string literal', code: esmHandler(`const big = '${megabyte}';`), report: true },
    { name: '1 MB SQL string', code: esmHandler(`await pool.query("SELECT * FROM t WHERE a = '${megabyte}'");`), report: true },
    { name: '1 MB SQL template with 10,000 placeholders', code: esmHandler(`await pool.query(\`SELECT * FROM t WHERE ${placeholders}\`);`), report: true },
    { name: '1 MB comment', code: `/*${megabyte}*/\n${esmHandler('')}`, report: true },
    { name: '2000 handlers', code: esm(Array.from({ length: 2000 }, (_, i) => `export const h${i}Handler = async () => new pg.Pool();`).join('\n')), report: true },
    { name: '10,000-function call chain', code: esm(`${Array.from({ length: 10_000 }, (_, i) => `function f${i}() { return f${i + 1}(); }`).join('\n')}\nfunction f10000() { return new pg.Pool(); }\nexport const handler = async () => f0();`) },
    { name: '10,000 mutually recursive functions', code: esm(`${Array.from({ length: 10_000 }, (_, i) => `function f${i}() { f${(i * 7919) % 10_000}(); return f${(i + 1) % 10_000}(); }`).join('\n')}\nexport const handler = async () => { new pg.Pool(); f0(); };`), report: true },
    { name: '30,000 statements', code: esm(`${'x = 1;\n'.repeat(30_000)}export const handler = async () => new pg.Pool();`), report: true },
    { name: '2,000 pools in one handler', code: esmHandler(Array.from({ length: 2000 }, (_, i) => `const p${i} = new pg.Pool(); await p${i}.connect(); p${i}.end();`).join('\n')), report: true },
    // Default exports of non-functions, and module.exports of odd values.
    { name: 'export default number', code: esm('export default 5;') },
    { name: 'export default class', code: esm('export default class { handler() { return new pg.Pool(); } }') },
    { name: 'export default derived class', code: esm('export default class extends Base { static handler = async () => new pg.Pool(); }') },
    { name: 'export default pool', code: esm('export default new pg.Pool();') },
    { name: 'export default driver', code: esm('export default pg;') },
    { name: 'export default anonymous handler', code: esm('export default async function (event, context) { const p = new pg.Pool(); }') },
    { name: 'export default arrow', code: esm('export default (event, context) => new pg.Pool();') },
    { name: 'export default of an identifier', code: esm('const h = async (event, context) => new pg.Pool();\nexport default h;') },
    { name: 'export as default', code: esm('async function handler(event) { return new pg.Pool(); }\nexport { handler as default, handler as "string name" };') },
    { name: 'module.exports = 5', code: cjs('module.exports = 5;') },
    { name: 'module.exports = null', code: cjs('module.exports = null;') },
    { name: 'module.exports = undefined', code: cjs('module.exports = undefined;') },
    { name: 'module.exports = module.exports', code: cjs('module.exports = module.exports; exports = module.exports = {};') },
    { name: 'module.exports = string', code: cjs("module.exports = 'handler';") },
    { name: 'module.exports of an undefined name', code: cjs('module.exports = { handler };') },
    { name: 'module.exports = pool', code: cjs('module.exports = new pg.Pool();') },
    { name: 'module.exports function', code: cjs('module.exports = async function (event, context) { new pg.Pool(); };') },
    { name: 'computed keys in module.exports', code: cjs("module.exports = { ['handler']: async () => new pg.Pool(), [name]: async () => new pg.Pool(), [`x${1}Handler`]: 1 };") },
    { name: 'exports[name]', code: cjs("exports[name] = async () => new pg.Pool();\nexports['handler'] = async () => new pg.Pool();\nexports[`handler`] = 1;\nmodule.exports[0] = 2;") },
    { name: 'getters and setters in module.exports', code: cjs('module.exports = { get handler() { return async () => new pg.Pool(); }, set handler(v) {} };') },
    { name: 'Object.defineProperty on exports', code: cjs("Object.defineProperty(exports, 'handler', { get: () => async () => new pg.Pool() });") },
    { name: 'chained export assignments', code: cjs('module.exports.handler = exports.handler = async () => new pg.Pool();'), report: true },
    { name: 'this and globalThis at top level', code: cjs('this.handler = async () => new pg.Pool();\nglobalThis.handler = async () => new pg.Pool();') },
    // Handlers in every odd shape.
    { name: 'wrapper called without arguments', code: esm('export const handler = middy();\nexport const streamHandler = awslambda.streamifyResponse();') },
    { name: 'wrapper chain', code: esm('export const handler = middy(async () => new pg.Pool()).use(a()).use(b()).before(() => {});') },
    { name: 'streamified handler', code: esm('export const handler = awslambda.streamifyResponse(async (event, stream) => { new pg.Pool(); stream.end(); });') },
    { name: 'undefined and null handlers', code: esm('export const handler = undefined;\nexport var otherHandler = null;\nexport let thirdHandler;') },
    { name: 'handler assigned later', code: esm('export let handler;\nhandler = async () => new pg.Pool();') },
    { name: 'destructured handler exports', code: esm('export const { handler } = obj;\nexport const [otherHandler] = [async () => new pg.Pool()];\nexport const { a: { b: deepHandler = async () => new pg.Pool() } } = obj;') },
    { name: 're-exports', code: esm("export * from 'pg';\nexport * as handler from 'pg';\nexport { Pool as handler2Handler, default } from 'pg';") },
    { name: 'class handler with private fields and static blocks', code: esm('export const handler = class { static { new pg.Pool(); } #pool = new pg.Pool(); static #count = 0; get #x() { return this.#pool; } static async run() { return #count in this ? new pg.Pool() : null; } };') },
    { name: 'bound method of a class instance', code: esm('class Lambda { #pool; async handler(event) { this.#pool = new pg.Pool(); return this.#pool; } }\nconst instance = new Lambda();\nexport const handler = instance.handler.bind(instance);') },
    { name: 'class getters', code: esm('export class Api { get handler() { return new pg.Pool(); } set handler(v) {} static get otherHandler() { return async () => new pg.Pool(); } }') },
    { name: 'generator handlers', code: esm('export const handler = function* () { yield new pg.Pool(); };\nexport async function* streamHandler(event) { yield new pg.Pool(); }') },
    { name: 'recursive handler', code: esm('export const handler = async (event) => { new pg.Pool(); return handler(event); };'), report: true },
    { name: 'mutually recursive helpers', code: esm('function a() { return b(); }\nfunction b() { return a(); }\nexport const handler = async () => { a(); return new pg.Pool(); };'), report: true },
    { name: 'handler in its temporal dead zone', code: esm('export const handler = h;\nconst h = async () => new pg.Pool();') },
    { name: 'self-referencing handler', code: cjs('var handler = handler;\nexports.handler = handler;\nexports.other = exports.other;') },
    { name: 'sequence, conditional and logical handlers', code: esm('export const handler = (0, async () => new pg.Pool());\nexport const aHandler = cond ? async () => new pg.Pool() : async () => null;\nexport const bHandler = existing || (async () => new pg.Pool());\nexport const cHandler = existing ?? (() => new pg.Pool());') },
    { name: 'handler returned by an IIFE and a factory', code: esm('export const handler = (() => async () => new pg.Pool())();\nconst make = () => async () => new pg.Pool();\nexport const otherHandler = make();') },
    { name: 'Proxy and new-expression handlers', code: esm('export const handler = new Proxy(async () => new pg.Pool(), {});\nexport const otherHandler = new Function("return 1");') },
    { name: 'handler with destructured and rest parameters', code: esm('export const handler = async ({ body, headers: { a = new pg.Pool() } = {} }, ...rest) => { const [x = new pg.Pool()] = rest; };') },
    // Driver access in odd shapes.
    { name: 'computed member names', code: esm("export const handler = async (event) => { const p = new pg['Pool'](); const q = new pg[event.name](); await p[event.method](); const { ['Client']: C } = pg; new C(); };") },
    { name: 'require in odd shapes', code: "exports.handler = async (event) => {\n  new (require('pg').Pool)();\n  new (require('pg')).Client();\n  const { Pool: P = Default, ...rest } = require('pg');\n  new P(); new rest.Client();\n  require(); require('pg', 1); require(`pg`); require('p' + 'g'); require(event.name);\n  new require('pg').Pool();\n};\n" },
    { name: 'dynamic import in odd shapes', code: "export const handler = async (event) => {\n  new (await import('pg')).default.Pool();\n  const { default: { Pool } } = await import('pg');\n  new Pool();\n  import(event.name); import(`pg`); import('pg').then((m) => new m.default.Pool());\n};\n" },
    { name: 'constructor without parentheses, optional chaining, spread', code: esm('export const handler = async (...args) => { new pg.Pool; new (pg?.Pool)(); pg?.Pool?.(); new pg.Pool(...args); new pg.Pool({ ...config, host: process.env?.HOST }); };') },
    { name: 'shadowed require, exports and module', code: "function f(require) { return new (require('pg').Pool)(); }\n{ let exports = {}; exports.handler = async () => new f(); }\nfunction module() {}\nvar require = () => ({});\nconst pg = require('pg');\nexports.handler = async () => new pg.Pool();\n" },
    { name: 'namespace and named imports', code: "import * as ns from 'pg';\nimport { Pool as P, Client, default as d } from 'pg';\nexport const handler = async () => { new ns.default.Pool(); new ns.Pool(); new P(); const c = new Client(); await c.connect(); await c.connect(); await c.end(); new d.Pool(); };\n", report: true },
    { name: 'every catalogued driver at once', code: "import pg from 'pg'; import postgres from 'postgres'; import mysql from 'mysql2/promise'; import knex from 'knex'; import { Sequelize } from 'sequelize'; import { DataSource } from 'typeorm'; import { PrismaClient } from '@prisma/client'; import { Kysely } from 'kysely'; import { drizzle } from 'drizzle-orm/node-postgres'; import sql from 'mssql'; import serverlessMysql from 'serverless-mysql'; import pgp from 'pg-promise';\nexport const handler = async (event) => { new pg.Pool(); postgres(); await mysql.createConnection({}); mysql.createPool({}); knex({ client: 'pg' }); new Sequelize('postgres://u@h/d'); new DataSource({ type: 'postgres' }); new PrismaClient(); new Kysely({}); drizzle(process.env.DATABASE_URL); await sql.connect({}); serverlessMysql(); pgp()('postgres://u@h/d'); };\n", report: true },
    { name: 'import attributes and unicode escapes', code: "import pg from 'pg' with { type: 'json' };\nconst p2 = require('\\u0070g');\nexport const h\\u0061ndler = async () => { new pg.Pool(); new p2.Pool(); };\n" },
    { name: 'using declarations', code: esm('export const handler = async () => { using pool = new pg.Pool(); await using client = await pool.connect(); { using c = new pg.Client(); } };'), report: true },
    { name: 'top-level await and import.meta', code: esm('const pool = await new pg.Pool().connect();\nconsole.log(import.meta.url, 10n ** 3n, 1_000, /[\\p{L}--[a-z]]/v);\nexport const handler = async () => pool.query("select 1");') },
    { name: 'eval, arguments, labels', code: esm('export const handler = async function () { eval("new pg.Pool()"); outer: for (;;) { for (;;) { new pg.Pool(arguments[0]); break outer; } } };'), report: true },
    { name: 'with statement (sloppy script)', code: cjs('with (obj) { exports.handler = async () => new pg.Pool(); }\nexports.otherHandler = async function () { with (pg) { new Pool(); } };') },
    // TypeScript-only syntax.
    { name: 'TS import = require and export =', code: "import pg = require('pg');\nconst handler = async (event: unknown): Promise<void> => { new pg.Pool(); };\nexport = handler;\n" },
    { name: 'TS import = require with exports', code: "import pg = require('pg');\nexport const handler = async (event: unknown) => { const p = new pg.Pool(); };\n", report: true },
    { name: 'TS types, enums, namespaces, declarations', code: "import type { Pool } from 'pg';\nimport pg from 'pg';\nimport type { Handler } from 'aws-lambda';\ndeclare const existing: Handler;\nexport default interface X { a: 1 }\nexport enum E { A = 1, B = A << 1 }\nexport namespace N { export const handler = async () => new pg.Pool(); }\ndeclare module 'x' { export const handler: Handler; }\nexport declare function declaredHandler(): void;\nexport abstract class Base { abstract handler(): Pool; }\n" },
    { name: 'TS overloads, satisfies, as const, non-null, generics', code: "import pg from 'pg';\nimport type { Handler, APIGatewayProxyEvent } from 'aws-lambda';\nexport function handler(e: string): void;\nexport function handler(e: number): void;\nexport function handler(e: unknown) { new pg.Pool(); }\nexport const aHandler = (async (event) => { new pg!.Pool(); }) satisfies Handler;\nexport const bHandler: Handler<APIGatewayProxyEvent> = async <T,>(event: T) => { const p = new pg.Pool() as unknown as pg.Pool; const c = { x: 1 } as const; };\nexport const cHandler = <Handler>(async () => new pg.Pool());\n", report: true },
    { name: 'TS decorators, accessors, parameter properties', code: "import pg from 'pg';\n@decorate()\nexport class Lambda {\n  @field accessor pool = new pg.Pool();\n  constructor(private readonly p = new pg.Pool(), public q?: pg.Pool) {}\n  @method async handler(this: Lambda, event: unknown) { return new pg.Pool(); }\n}\nconst l = new Lambda();\nexport const handler = l.handler.bind(l);\n" },
    // Not valid code at all.
    { name: 'syntax error in a handler', code: "import pg from 'pg';\nexport const handler = async (event => { new pg.Pool(); };\n", invalid: true },
    { name: 'unterminated template literal', code: 'const pg = require(`pg);\n', invalid: true },
  ];
}

interface CaseResult {
  name: string;
  parser: string;
  sourceType: string;
  linted: boolean;
  fatal?: string | undefined;
  thrown?: string | undefined;
  ruleIds: string[];
  ms: number;
}

function lintCasesHere(cases: readonly OddCase[]): CaseResult[] {
  const results: CaseResult[] = [];
  for (const c of cases) {
    const { name, code } = c;
    for (const { parser, sourceType } of modesFor(c)) {
      const typescript = parser === 'typescript';
      const start = performance.now();
      const outcome = lint(code, `odd/${name.replace(/[^\w-]+/g, '-')}.${typescript ? 'ts' : 'js'}`, typescript, sourceType);
      results.push({
        name,
        parser,
        sourceType,
        linted: outcome.linted,
        fatal: outcome.fatal,
        thrown: outcome.thrown,
        ruleIds: outcome.messages.map((m) => m.ruleId).filter((id): id is string => Boolean(id)),
        ms: Math.round(performance.now() - start),
      });
    }
  }
  return results;
}

/** Lints the cases in a worker thread with a 64 MB stack (see `helpers/lint-worker.mjs`). */
function lintCasesInWorker(cases: readonly OddCase[]): Promise<CaseResult[]> {
  const worker = new Worker(new URL('./helpers/lint-worker.mjs', import.meta.url), {
    workerData: {
      pluginUrl: new URL('../src/index.ts', import.meta.url).href,
      cases: cases.map((c) => ({ name: c.name, code: c.code, modes: modesFor(c) })),
    },
    resourceLimits: { stackSizeMb: 64 },
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (results: CaseResult[]) => resolve(results));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the lint worker exited with code ${code} before answering`)));
  });
}

function checkCases(cases: readonly OddCase[], results: readonly CaseResult[], where: string): void {
  const crashes = results
    .filter((r) => r.thrown && isRuleCrash(r.thrown))
    .map((r) => `${r.name} [${r.parser}, ${r.sourceType}]\n${r.thrown}`);
  expect(crashes, summarise(crashes, `rule crashes ${where}`)).toEqual([]);

  const problems: string[] = [];
  for (const c of cases) {
    const mine = results.filter((r) => r.name === c.name);
    const linted = mine.filter((r) => r.linted);
    if (c.invalid && linted.length > 0) problems.push(`${c.name}: meant to be invalid, but it parsed`);
    if (!c.invalid && linted.length === 0) {
      problems.push(`${c.name}: linted in no mode (${mine.map((r) => short(r.thrown ?? r.fatal)).join('; ')})`);
    }
    if (c.report) {
      for (const r of linted) {
        if (!r.ruleIds.includes(CONNECTION_RULE)) problems.push(`${c.name} [${r.parser}, ${r.sourceType}]: no ${CONNECTION_RULE} report`);
      }
    }
  }
  expect(problems, summarise(problems, `unexpected outcomes ${where}`)).toEqual([]);
}

describe('every rule on odd inputs', () => {
  const cases = oddCases();

  it('never throws', () => {
    const flat = cases.filter((c) => !c.deep);
    const results = lintCasesHere(flat);
    checkCases(flat, results, 'in the main thread');
    console.log(`odd inputs: ${flat.length} cases; slowest: ${slowest(results)}`);
  }, 300_000);

  it('never throws on thousands of nesting levels (linted with a stack large enough for the parsers)', async () => {
    const deep = cases.filter((c) => c.deep);
    const results = await lintCasesInWorker(deep);
    expect(results).toHaveLength(deep.reduce((n, c) => n + modesFor(c).length, 0));
    checkCases(deep, results, 'in the worker');
    console.log(`deeply nested inputs: ${deep.length} cases; slowest: ${slowest(results)}`);
  }, 300_000);
});

function slowest(results: readonly CaseResult[]): string {
  return [...results]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5)
    .map((r) => `${r.name} [${r.parser}, ${r.sourceType}] ${r.ms} ms`)
    .join('; ');
}
