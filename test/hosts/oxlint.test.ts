/**
 * oxlint is a supported host: the built plugin (dist/index.js) loaded through oxlint's `jsPlugins` must report
 * exactly what ESLint reports (same file, rule, message, start and end position) on examples/, the fixture projects
 * and files of the tests, and every valid and invalid case of the rule tests. Runs the real oxlint of node_modules
 * (or the install named by LAMBDA_RDS_OXLINT, to try another version). Needs `npm run build` first.
 *
 * Where the hosts differ, the difference is listed in KNOWN_DIFFERENCES with its reason, and the test asserts that
 * list: a new difference fails, and so does a listed one that went away.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as espree from 'espree';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFailure } from '../../src/core/module-kind.js';
import {
  OXLINT_BIN,
  SOURCE_EXTENSIONS,
  PLUGIN_PATH,
  eslintConfig,
  fixWithOxlint,
  lintWithEslint,
  lintWithOxlint,
  oxlintArgs,
  oxlintConfig,
  oxlintFindings,
  oxlintVersion,
  runOxlint,
  sourceFilesUnder,
  type Finding,
} from '../helpers/hosts.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const { default: plugin } = (await import(PLUGIN_PATH)) as { default: typeof import('../../src/index.js').default };
const NAMESPACE = plugin.meta.namespace;
type ConfigName = keyof typeof plugin.configs;

const MINIFIED =
  'oxlint does not lint a file whose name contains `.min.`, `-min.` or `_min.` (it takes it for minified code), even one named on its command line with --no-ignore; ESLint lints it';
const EARLY_ERROR =
  'oxlint reports an early error such as a redeclared `const` as a parse error and runs no rule on the file; `@typescript-eslint/parser` does not check redeclarations, so ESLint lints the file';

/**
 * Where oxlint and ESLint give different findings, and why. Each entry names the finding (`file`, `ruleId` or
 * `null` for a parse error, and which host reports it); the test asserts that the differences found are exactly
 * these. None is in the plugin's rules: all come from what oxlint lints and parses. The files are written by the
 * tests below; examples/, the fixtures and the rule cases have none.
 */
const KNOWN_DIFFERENCES: ReadonlyArray<{ file: string; ruleId: string | null; onlyIn: 'eslint' | 'oxlint'; reason: string }> = [
  { file: 'handler.min.js', ruleId: 'lambda-rds/no-connection-in-handler', onlyIn: 'eslint', reason: MINIFIED },
  { file: 'handler-min.mjs', ruleId: 'lambda-rds/no-connection-in-handler', onlyIn: 'eslint', reason: MINIFIED },
  { file: 'handler_min.cjs', ruleId: 'lambda-rds/no-connection-in-handler', onlyIn: 'eslint', reason: MINIFIED },
  { file: 'redeclared.mjs', ruleId: 'lambda-rds/no-connection-in-handler', onlyIn: 'eslint', reason: EARLY_ERROR },
  { file: 'redeclared.mjs', ruleId: null, onlyIn: 'oxlint', reason: EARLY_ERROR },
];

let work: string;
beforeAll(() => {
  if (!existsSync(PLUGIN_PATH)) throw new Error('dist/index.js is missing: run `npm run build` first');
  work = mkdtempSync(join(tmpdir(), 'lambda-rds-oxlint-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A finding as a line of text, for assertions whose failure shows what differs. */
const show = (f: Finding) =>
  f.ruleId === null ? `${f.file}: parse error` : `${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.ruleId}: ${f.message}`;

/**
 * Both hosts' findings as sorted lines of text, less the known differences, and the known differences found
 * (`{ file, ruleId, onlyIn }`).
 */
function compare(eslint: Finding[], oxlint: Finding[]) {
  const inEslint = new Set(eslint.map(show));
  const inOxlint = new Set(oxlint.map(show));
  const known: Array<{ file: string; ruleId: string | null; onlyIn: 'eslint' | 'oxlint' }> = [];
  const keep = (onlyIn: 'eslint' | 'oxlint', other: Set<string>) => (f: Finding) => {
    if (other.has(show(f))) return true;
    if (!KNOWN_DIFFERENCES.some((d) => d.file === f.file && d.ruleId === f.ruleId && d.onlyIn === onlyIn)) return true;
    known.push({ file: f.file, ruleId: f.ruleId, onlyIn });
    return false;
  };
  return {
    eslint: eslint.filter(keep('eslint', inOxlint)).map(show).sort(),
    oxlint: oxlint.filter(keep('oxlint', inEslint)).map(show).sort(),
    known: known.sort(byDifference),
  };
}

const byDifference = (a: { file: string; ruleId: string | null; onlyIn: string }, b: typeof a) =>
  `${a.file} ${a.ruleId} ${a.onlyIn}`.localeCompare(`${b.file} ${b.ruleId} ${b.onlyIn}`);

/** The known differences expected among `files`. */
const knownIn = (files: ReadonlySet<string>) =>
  KNOWN_DIFFERENCES.filter((d) => files.has(d.file))
    .map(({ file, ruleId, onlyIn }) => ({ file, ruleId, onlyIn }))
    .sort(byDifference);

const relativeToRoot = (file: string) => file.slice(ROOT.length).split('\\').join('/');

it('runs the oxlint pinned in package.json, unless LAMBDA_RDS_OXLINT names another', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  expect(pkg.devDependencies.oxlint, 'an exact version').toMatch(/^\d+\.\d+\.\d+$/);
  if (process.env.LAMBDA_RDS_OXLINT) expect(OXLINT_BIN).not.toContain(join(ROOT, 'node_modules'));
  else expect(oxlintVersion()).toBe(pkg.devDependencies.oxlint);
});

const FILE_SETS: ReadonlyArray<{ name: string; dirs: string[] }> = [
  { name: 'examples/ (before/ and after/ of every project)', dirs: ['examples'] },
  { name: 'CLI fixture projects (test/cli/fixtures)', dirs: ['test/cli/fixtures'] },
  { name: 'test/fixtures', dirs: ['test/fixtures'] },
  {
    name: 'codemod fixtures (test/codemods/*/fixtures)',
    dirs: readdirSync(join(ROOT, 'test/codemods'))
      .filter((name) => existsSync(join(ROOT, 'test/codemods', name, 'fixtures')))
      .map((name) => `test/codemods/${name}/fixtures`),
  },
];

it('the file sets have files of every extension the plugin lints, so that oxlint is seen to lint each', () => {
  const files = FILE_SETS.flatMap(({ dirs }) => dirs.flatMap((dir) => sourceFilesUnder(join(ROOT, dir))));
  expect(SOURCE_EXTENSIONS.filter((ext) => !files.some((file) => file.endsWith(ext)))).toEqual([]);
});

describe.each(FILE_SETS)('$name', ({ dirs }) => {
  const files = dirs.flatMap((dir) => sourceFilesUnder(join(ROOT, dir)));

  it('has files to lint (in examples/, before/ and after/ of every project)', () => {
    expect(files.length).toBeGreaterThan(0);
    if (dirs[0] === 'examples') {
      for (const project of new Set(files.map((f) => relativeToRoot(f).split('/')[1]))) {
        expect(files.some((f) => relativeToRoot(f).startsWith(`examples/${project}/before/`)), `${project} before/`).toBe(true);
        expect(files.some((f) => relativeToRoot(f).startsWith(`examples/${project}/after/`)), `${project} after/`).toBe(true);
      }
    }
  });

  it.each(['all', 'strict'] as const)('gets the same findings from ESLint and oxlint with the `%s` rules', async (configName: ConfigName) => {
    const rules = plugin.configs[configName].rules ?? {};
    const eslint = await lintWithEslint({ cwd: ROOT, files, config: eslintConfig({ plugin, rules }) });
    const oxlint = await lintWithOxlint({
      cwd: ROOT,
      files,
      config: oxlintConfig({ rules }),
      configPath: join(work, `${configName}-${dirs[0]!.replaceAll('/', '-')}.oxlintrc.json`),
    });
    expect(eslint.filesLinted).toBe(files.length);
    expect(oxlint.filesLinted, 'oxlint lints every file it is given, whatever the extension').toBe(files.length);
    expect(eslint.findings.filter((f) => f.ruleId !== null).length, 'findings to compare').toBeGreaterThan(0);
    const { eslint: e, oxlint: o, known } = compare(eslint.findings, oxlint.findings);
    expect(o).toEqual(e);
    expect(known).toEqual(knownIn(new Set(files.map(relativeToRoot))));
  });
});

describe('what a user sees', () => {
  /** Both hosts on files written to a folder of their own, with the `all` rules. */
  async function bothOn(name: string, files: Record<string, string>) {
    const dir = join(work, name);
    mkdirSync(dir);
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    const paths = Object.keys(files).map((file) => join(dir, file));
    const rules = plugin.configs.all.rules ?? {};
    const eslint = await lintWithEslint({ cwd: dir, files: paths, config: eslintConfig({ plugin, rules }) });
    const oxlint = await lintWithOxlint({ cwd: dir, files: paths, config: oxlintConfig({ rules }), configPath: join(dir, '.oxlintrc.json') });
    return { eslint: eslint.findings, oxlint: oxlint.findings, eslintFiles: eslint.filesLinted, oxlintFiles: oxlint.filesLinted };
  }

  const POOL_PER_INVOCATION = `import { Pool } from 'pg';\nexport const handler = async () => new Pool({ max: 1, connectionTimeoutMillis: 3000 }).query('select 1');\n`;

  it('oxlint leaves out files it takes for minified code (the known differences say which)', async () => {
    const files = {
      'handler.min.js': POOL_PER_INVOCATION,
      'handler-min.mjs': POOL_PER_INVOCATION,
      'handler_min.cjs': POOL_PER_INVOCATION.replace("import { Pool } from 'pg';", "const { Pool } = require('pg');").replace('export const handler =', 'exports.handler ='),
      'admin.js': POOL_PER_INVOCATION,
    };
    const { eslint, oxlint, eslintFiles, oxlintFiles } = await bothOn('minified', files);
    expect([eslintFiles, oxlintFiles]).toEqual([4, 1]);
    expect(eslint.map((f) => f.file).sort()).toEqual(Object.keys(files).sort());
    const { eslint: e, oxlint: o, known } = compare(eslint, oxlint);
    expect(o).toEqual(e);
    expect(known).toEqual(knownIn(new Set(Object.keys(files))));
  });

  it('oxlint stops at an early error that ESLint’s parser lets through (the known differences say which)', async () => {
    const files = { 'redeclared.mjs': `${POOL_PER_INVOCATION}const query = 1;\nconst query = 2;\n` };
    const { eslint, oxlint } = await bothOn('early-error', files);
    expect(eslint.map((f) => f.ruleId)).toEqual([`${NAMESPACE}/no-connection-in-handler`]);
    expect(oxlint.map((f) => f.ruleId)).toEqual([null]);
    const { eslint: e, oxlint: o, known } = compare(eslint, oxlint);
    expect(o).toEqual(e);
    expect(known).toEqual(knownIn(new Set(Object.keys(files))));
  });

  it('the same ranges where a line has non-ASCII text, though oxlint prints columns counted in UTF-8 bytes', async () => {
    const prefix = "const label = 'Bestellübersicht 📦'; ";
    const { eslint, oxlint } = await bothOn('non-ascii', {
      'handler.mjs': `import { Pool } from 'pg';\nexport const handler = async () => { ${prefix}const pool = new Pool({ max: 1, connectionTimeoutMillis: 3000 }); return label; };\n`,
    });
    expect(eslint.map((f) => f.ruleId)).toEqual([`${NAMESPACE}/no-connection-in-handler`]);
    expect(oxlint.map(show)).toEqual(eslint.map(show));
    // ü takes 2 bytes and 1 UTF-16 unit; 📦 takes 4 bytes and 2 units.
    const extraBytes = Buffer.byteLength(prefix) - prefix.length;
    expect(extraBytes).toBe(3);
    expect(oxlint.map((f) => [f.reportedLine, f.reportedColumn])).toEqual(eslint.map((f) => [f.line, f.column! + extraBytes]));
  });

  it('eslint-disable comments for the plugin’s rules silence them under both hosts', async () => {
    const { eslint, oxlint } = await bothOn('disable-comments', {
      'handler.mjs': `import { Pool } from 'pg';
export const handler = async () => {
  // eslint-disable-next-line lambda-rds/no-connection-in-handler -- one pool per invocation, on purpose
  const a = new Pool({ max: 1, connectionTimeoutMillis: 3000 });
  const b = new Pool({ max: 1, connectionTimeoutMillis: 3000 }); // eslint-disable-line lambda-rds/no-connection-in-handler
  /* eslint-disable lambda-rds/no-connection-in-handler */
  const c = new Pool({ max: 1, connectionTimeoutMillis: 3000 });
  /* eslint-enable lambda-rds/no-connection-in-handler */
  const d = new Pool({ max: 1, connectionTimeoutMillis: 3000 });
  const e = new Pool({ max: 1, connectionTimeoutMillis: 3000 }); // eslint-disable-line lambda-rds/require-tls
  return [a, b, c, d, e];
};
`,
    });
    expect(eslint.map((f) => `${f.line} ${f.ruleId}`)).toEqual([`9 ${NAMESPACE}/no-connection-in-handler`, `10 ${NAMESPACE}/no-connection-in-handler`]);
    expect(oxlint.map(show)).toEqual(eslint.map(show));
  });
});

/** The `.oxlintrc.json` examples of the README, by config name: a ```json block after `<!-- oxlint config: name -->`. */
function readmeOxlintConfigs(): Map<string, { jsPlugins?: unknown; rules?: Record<string, unknown>; [key: string]: unknown }> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks = new Map();
  for (const [, name, json] of readme.matchAll(/<!-- oxlint config: ([\w-]+) -->\s*```json\n([\s\S]*?)```/g)) {
    blocks.set(name, JSON.parse(json!));
  }
  return blocks;
}

describe('the README’s .oxlintrc.json examples', () => {
  const blocks = readmeOxlintConfigs();

  it('are there for every config of the plugin', () => {
    expect([...blocks.keys()].sort()).toEqual(Object.keys(plugin.configs).sort());
  });

  it.each(Object.keys(plugin.configs) as ConfigName[])('`%s` turns on exactly the rules of the plugin’s config of that name, with its options', (name) => {
    const block = blocks.get(name)!;
    expect(Object.keys(block).sort()).toEqual(['jsPlugins', 'rules']);
    expect(block.jsPlugins).toEqual([plugin.meta.name]);
    expect(block.rules).toEqual(plugin.configs[name].rules);
  });

  it.each(Object.keys(plugin.configs) as ConfigName[])(
    '`%s` works as written, with the package installed beside it: ESLint’s findings on examples/',
    async (name) => {
      const project = join(work, `readme-${name}`);
      mkdirSync(join(project, 'node_modules'), { recursive: true });
      symlinkSync(ROOT, join(project, 'node_modules', plugin.meta.name), 'dir');
      const configPath = join(project, '.oxlintrc.json');
      writeFileSync(configPath, JSON.stringify(blocks.get(name)));
      const files = sourceFilesUnder(join(ROOT, 'examples'));
      const { stdout } = await runOxlint({ cwd: ROOT, args: oxlintArgs({ configPath, files: files.map(relativeToRoot) }) });
      // The README's config keeps oxlint's own default rules on; only the plugin's findings are compared.
      const oxlint = oxlintFindings(JSON.parse(stdout), ROOT).filter((f) => f.ruleId?.startsWith(`${NAMESPACE}/`));
      const eslint = await lintWithEslint({ cwd: ROOT, files, config: eslintConfig({ plugin, rules: plugin.configs[name].rules ?? {} }) });
      expect(oxlint.length).toBeGreaterThan(0);
      expect(oxlint.map(show)).toEqual(eslint.findings.map(show));
    },
  );
});

// ---------------------------------------------------------------------------------------------------------------
// The rule tests' own cases

interface RuleCase {
  rule: string;
  kind: 'valid' | 'invalid';
  index: number;
  code: string;
  errors: number;
  filename: string;
  /** A case on disk in a fixture project: the project (test/fixtures/projects/<fixture>) and the file's path in it. */
  project?: { fixture: string; file: string };
  options: unknown[];
  settings: Record<string, unknown>;
  parser: 'typescript-eslint' | 'espree';
  sourceType: 'module' | 'commonjs' | 'script';
  jsx: boolean;
  unsupported: string[];
}

const cases = JSON.parse(
  execFileSync(process.execPath, [fileURLToPath(new URL('rule-cases.mjs', import.meta.url))], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }),
) as RuleCase[];

/**
 * The extension of the file a case is written to. oxlint picks the language from the extension, so it must say
 * what the rule tester parses the case as: the case's own filename when it has an extension, else the tester's
 * default `react.tsx` for typescript-eslint's parser (TypeScript with JSX), `.cjs` for espree's CommonJS and `.js`
 * for espree's script (oxlint reads a `.js` file without `import`/`export` as a script). Undefined for a case oxlint
 * cannot be told how to parse.
 */
function extensionFor(c: RuleCase): string | undefined {
  // A name without an extension (`<input>`: text with no file on disk) says nothing of the language.
  if (c.filename !== 'react.tsx' && c.filename !== 'file.ts' && extname(c.filename)) return extname(c.filename);
  if (c.parser === 'typescript-eslint') return c.sourceType === 'module' ? (c.jsx ? '.tsx' : '.ts') : c.sourceType === 'commonjs' ? '.cts' : undefined;
  if (c.sourceType === 'commonjs') return '.cjs';
  if (c.sourceType === 'script') return /^\s*(?:import|export)\b/m.test(c.code) ? undefined : '.js';
  return '.mjs';
}

/** Each case runs with every rule of the plugin; its own rule gets the case's options. */
function caseRules(c: RuleCase): Record<string, unknown> {
  const rules: Record<string, unknown> = {};
  for (const id of Object.keys(plugin.configs.all.rules ?? {})) rules[id] = 'error';
  rules[`${NAMESPACE}/${c.rule}`] = ['error', ...c.options];
  return rules;
}

const caseName = (c: RuleCase) => `${c.rule}--${c.kind}-${c.index}${extensionFor(c)}`;

/**
 * Where a case of a fixture project is linted: a copy of the project of its own under `dir` (a project root, with
 * `.git`), the case's code written to its file, as the rule test lints it. Made once per case and folder.
 */
const projectCopies = new Map<string, string>();
function projectCase(dir: string, c: RuleCase): { root: string; file: string } {
  const project = c.project!;
  const key = `${dir}\0${caseName(c)}`;
  let root = projectCopies.get(key);
  if (!root) {
    root = join(dir, `project-${c.rule}--${c.kind}-${c.index}`, project.fixture);
    cpSync(join(ROOT, 'test/fixtures/projects', project.fixture), root, { recursive: true });
    mkdirSync(join(root, '.git'));
    writeFileSync(join(root, project.file), c.code);
    projectCopies.set(key, root);
  }
  return { root, file: join(root, project.file) };
}

describe('the rule tests’ valid and invalid cases', () => {
  const supported = cases.filter((c) => c.unsupported.length === 0 && extensionFor(c) !== undefined);

  it('are all read, each in a form both hosts can be given', () => {
    expect(new Set(cases.map((c) => c.rule))).toEqual(new Set(Object.keys(plugin.rules)));
    for (const name of Object.keys(plugin.rules)) {
      expect(cases.some((c) => c.rule === name && c.kind === 'valid'), `${name} valid`).toBe(true);
      expect(cases.some((c) => c.rule === name && c.kind === 'invalid'), `${name} invalid`).toBe(true);
    }
    // A case this test cannot reproduce (a parser or option it does not carry over) would be named here.
    expect(cases.filter((c) => !supported.includes(c)).map((c) => `${c.rule} ${c.kind} ${c.index}: ${c.unsupported.join(', ')}`)).toEqual([]);
  });

  /** ESLint's messages for a case, linted as the rule tester lints it (Linter, the case's own parser). */
  function eslintOnCase(linter: Linter, dir: string, c: RuleCase): Linter.LintMessage[] {
    const inProject = c.project ? projectCase(dir, c) : undefined;
    return (inProject ? new Linter({ cwd: inProject.root }) : linter).verify(
        c.code,
        {
          files: SOURCE_EXTENSIONS.map((ext) => `**/*${ext}`),
          plugins: { [NAMESPACE]: plugin as never },
          languageOptions: {
            parser: (c.parser === 'espree' ? espree : tsParser) as Linter.Parser,
            sourceType: c.sourceType,
            ecmaVersion: 'latest',
            parserOptions: { ecmaFeatures: { jsx: c.jsx } },
          },
          settings: c.settings,
          rules: caseRules(c) as Linter.RulesRecord,
        },
        inProject?.file ?? join(dir, caseName(c)),
      );
  }

  /** ESLint's findings for every case. */
  function eslintOnCases(dir: string): Finding[] {
    const linter = new Linter({ cwd: dir });
    const findings: Finding[] = [];
    for (const c of supported) {
      const file = caseName(c);
      const messages = eslintOnCase(linter, dir, c);
      const failure = parseFailure(messages);
      for (const m of messages) {
        if (m === failure) findings.push({ file, ruleId: null, message: 'parse error' });
        else if (m.ruleId === null && m.fatal) continue;
        else findings.push({ file, ruleId: m.ruleId, message: m.message, line: m.line, column: m.column, endLine: m.endLine, endColumn: m.endColumn });
      }
    }
    return findings;
  }

  /**
   * oxlint's findings for `cases` (all by default): one run per combination of settings and options, each with
   * its config. With `fix`, oxlint rewrites the files instead (and there are no findings).
   */
  async function oxlintOnCases(dir: string, cases = supported, fix?: '--fix-suggestions'): Promise<{ findings: Finding[]; filesLinted: number }> {
    const findings: Finding[] = [];
    let filesLinted = 0;
    // A case of a fixture project alone, in its copy of the project.
    for (const c of cases.filter((c) => c.project)) {
      const { root, file } = projectCase(dir, c);
      const run = {
        cwd: root,
        files: [file],
        config: oxlintConfig({ rules: caseRules(c), settings: c.settings }),
        configPath: join(dirname(root), '.oxlintrc.json'),
      };
      if (fix) {
        await fixWithOxlint({ ...run, fix });
        continue;
      }
      const result = await lintWithOxlint(run);
      findings.push(...result.findings.map((f) => ({ ...f, file: caseName(c) })));
      filesLinted += result.filesLinted;
    }
    const groups = new Map<string, RuleCase[]>();
    for (const c of cases.filter((c) => !c.project)) {
      const key = JSON.stringify([c.settings, c.options.length > 0 ? caseRules(c) : null]);
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    let group = 0;
    for (const members of groups.values()) {
      const groupDir = join(dir, `group-${group++}`);
      mkdirSync(groupDir);
      for (const c of members) writeFileSync(join(groupDir, caseName(c)), c.code);
      const run = {
        cwd: groupDir,
        files: members.map((c) => join(groupDir, caseName(c))),
        config: oxlintConfig({ rules: caseRules(members[0]!), settings: members[0]!.settings }),
        configPath: join(groupDir, '.oxlintrc.json'),
      };
      if (fix) {
        await fixWithOxlint({ ...run, fix });
        continue;
      }
      const result = await lintWithOxlint(run);
      findings.push(...result.findings);
      filesLinted += result.filesLinted;
    }
    return { findings, filesLinted };
  }

  it('get from ESLint what the rule tests expect of them, so that they are linted as the rule tests lint them', async () => {
    const dir = join(work, 'cases-eslint');
    mkdirSync(dir);
    const findings = await eslintOnCases(dir);
    const counts = supported.map((c) => {
      const own = findings.filter((f) => f.file === caseName(c) && f.ruleId === `${NAMESPACE}/${c.rule}`);
      return `${caseName(c)}: ${own.length}`;
    });
    expect(counts).toEqual(supported.map((c) => `${caseName(c)}: ${c.errors}`));
    expect(findings.filter((f) => f.ruleId === null).map(show)).toEqual([]);
  });

  it('get the same findings from ESLint and oxlint, every rule running on every case', async () => {
    const dir = join(work, 'cases');
    mkdirSync(dir);
    const eslint = await eslintOnCases(dir);
    const oxlint = await oxlintOnCases(dir);
    expect(oxlint.filesLinted).toBe(supported.length);
    expect(eslint.filter((f) => f.ruleId !== null).length).toBeGreaterThan(0);
    const { eslint: e, oxlint: o, known } = compare(eslint, oxlint.findings);
    expect(o).toEqual(e);
    expect(known).toEqual(knownIn(new Set(supported.map(caseName))));
  });

  it('get from oxlint --fix-suggestions the code that ESLint’s suggestions give, applied together', async () => {
    const dir = join(work, 'cases-suggestions');
    mkdirSync(dir);
    const linter = new Linter({ cwd: dir });
    const expected = new Map<RuleCase, string>();
    const suggestingRules = new Set<string | null>();
    for (const c of supported) {
      const suggesting = eslintOnCase(linter, dir, c).filter((m) => m.suggestions?.length);
      if (suggesting.length === 0) continue;
      // Every finding offers at most one suggestion (so there is no choice to make)...
      expect(suggesting.map((m) => m.suggestions!.length)).toEqual(suggesting.map(() => 1));
      // ...and oxlint applies them all in one pass, leaving out one that overlaps a change made before it, as
      // ESLint's --fix merges fixes.
      const fixes = suggesting.map((m) => m.suggestions![0]!.fix).sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
      // A fix that starts where the one before ends counts as overlapping it, as in ESLint's SourceCodeFixer.
      let output = '';
      let at = Number.NEGATIVE_INFINITY;
      for (const fix of fixes) {
        if (fix.range[0] <= at) continue;
        output += c.code.slice(Math.max(0, at), fix.range[0]) + fix.text;
        at = fix.range[1];
      }
      expected.set(c, output + c.code.slice(Math.max(0, at)));
      for (const m of suggesting) suggestingRules.add(m.ruleId);
    }
    expect([...suggestingRules].sort(), 'cases of every rule that has suggestions').toEqual(
      Object.entries(plugin.rules)
        .filter(([, rule]) => (rule as { meta?: { hasSuggestions?: boolean } }).meta?.hasSuggestions)
        .map(([name]) => `${NAMESPACE}/${name}`)
        .sort(),
    );
    const suggested = [...expected.keys()];
    await oxlintOnCases(dir, suggested, '--fix-suggestions');
    const fileOf = (c: RuleCase) =>
      c.project ? projectCase(dir, c).file : join(dir, readdirSync(dir).find((group) => existsSync(join(dir, group, caseName(c))))!, caseName(c));
    const actual = suggested.map((c) => `${caseName(c)}:\n${readFileSync(fileOf(c), 'utf8')}`);
    expect(actual).toEqual(suggested.map((c) => `${caseName(c)}:\n${expected.get(c)}`));
  });
});
