/**
 * The user's path: the package as `npm pack` builds it, installed from the tarball into fresh projects, one with
 * ESLint 9 and one with ESLint 10, and used the way the README says: an `eslint.config.js` that spreads
 * `configs.recommended`, the project's own `npx eslint`, the `lambda-rds` command, `import()` and TypeScript types.
 *
 * Packs the `dist/` that is already built (`npm test` builds first) with `--ignore-scripts`: the `prepack` build
 * would otherwise clean `dist/` while other test files use it. Needs the npm registry (or a warm npm cache).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { explain, run } from './helpers/user-shell.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/pack-project/', import.meta.url));
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; files: string[] };
const NAMESPACE = plugin.meta.namespace;
const CONNECTION_RULE = `${NAMESPACE}/no-connection-in-handler`;
const INSTALL_TIMEOUT = 10 * 60_000;
const COMMAND_TIMEOUT = 3 * 60_000;

/** The 1-based line of the first line of a fixture file that contains `needle`. */
function lineWith(file: string, needle: string): number {
  const index = readFileSync(join(FIXTURE, file), 'utf8').split('\n').findIndex((line) => line.includes(needle));
  if (index === -1) throw new Error(`${needle} is not in ${file}`);
  return index + 1;
}

/** The bad handlers of the fixture project and where the pool is created in each. */
const BAD_HANDLERS = [
  { file: 'src/get-order.js', line: lineWith('src/get-order.js', 'new pg.Pool(') },
  { file: 'src/get-order.ts', line: lineWith('src/get-order.ts', 'new Pool(') },
];

let work: string;
let tarball: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lambda-rds-pack-'));
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT);
  expect(packed.code, explain('npm pack', packed)).toBe(0);
  const [info] = JSON.parse(packed.stdout) as Array<{ filename: string }>;
  tarball = join(work, info!.filename);
}, COMMAND_TIMEOUT);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds the built plugin, its types, the command and the docs, and no sources or tests', async () => {
    const listed = await run('tar', ['-tzf', tarball], work);
    expect(listed.code, explain('tar', listed)).toBe(0);
    const files = listed.stdout
      .split('\n')
      .filter(Boolean)
      .map((path) => path.replace(/^package\//, ''));

    for (const file of ['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/bin.js']) {
      expect(files, `${file} in the tarball`).toContain(file);
    }
    // Everything `files` lists that exists in the repository ships.
    for (const entry of PACKAGE.files) {
      if (!existsSync(join(ROOT, entry))) continue;
      expect(files.some((f) => f === entry || f.startsWith(`${entry}/`)), `${entry} in the tarball`).toBe(true);
    }
    expect(files.filter((f) => /^(?:src|test|bench|examples|scripts|node_modules|coverage)\//.test(f))).toEqual([]);
    expect(readFileSync(join(ROOT, 'dist/cli/bin.js'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\r?\n/);
  });
});

describe.each([{ eslint: '9' }, { eslint: '10' }])('installed from the tarball next to ESLint $eslint', ({ eslint }) => {
  let project: string;
  let installLog = '';

  beforeAll(async () => {
    project = join(work, `eslint-${eslint}`);
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'orders-service', private: true, type: 'module' }, null, 2)}\n`);
    for (const entry of readdirSync(FIXTURE)) cpSync(join(FIXTURE, entry), join(project, entry), { recursive: true });
    const installed = await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, `eslint@^${eslint}`, '@typescript-eslint/parser', 'typescript'],
      project,
    );
    expect(installed.code, explain('npm install', installed)).toBe(0);
    installLog = `${installed.stdout}\n${installed.stderr}`;
  }, INSTALL_TIMEOUT);

  it('installs no second ESLint and nothing deprecated', async () => {
    const listed = await run('npm', ['ls', 'eslint', '--all', '--parseable', '--long'], project);
    const versions = new Set([...listed.stdout.matchAll(/:eslint@([^:\s]+)/g)].map((m) => m[1]));
    expect([...versions]).toHaveLength(1);
    expect([...versions][0]).toMatch(new RegExp(`^${eslint}\\.`));
    // npm warns about every deprecated package it installs.
    expect(installLog.split('\n').filter((line) => /npm warn deprecated/i.test(line))).toEqual([]);
  }, COMMAND_TIMEOUT);

  it(`the project's own npx eslint reports the pool created in the handler, in JS and TS`, async () => {
    const version = await run('npx', ['--no', '--', 'eslint', '--version'], project);
    expect(version.stdout.trim()).toMatch(new RegExp(`^v${eslint}\\.`));

    const linted = await run('npx', ['--no', '--', 'eslint', '--format', 'json', 'src'], project);
    expect(linted.code, explain('eslint src', linted)).toBe(1);
    const results = JSON.parse(linted.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string | null; line: number; fatal?: boolean }> }>;
    for (const { file, line } of BAD_HANDLERS) {
      const result = results.find((r) => r.filePath === join(project, file));
      expect(result, `${file} was linted`).toBeDefined();
      expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
      expect(result!.messages.map((m) => `${m.ruleId}@${m.line}`), file).toContain(`${CONNECTION_RULE}@${line}`);
    }

    const clean = await run('npx', ['--no', '--', 'eslint', '--format', 'json', 'clean'], project);
    expect(clean.code, explain('eslint clean', clean)).toBe(0);
    expect((JSON.parse(clean.stdout) as Array<{ messages: unknown[] }>).flatMap((r) => r.messages)).toEqual([]);
  }, COMMAND_TIMEOUT);

  it('the installed lambda-rds command exits 1 with the finding, and 0 on clean code', async () => {
    const bin = join(project, 'node_modules', '.bin', 'lambda-rds');
    const scanned = await run(bin, ['scan', 'src', '--format', 'json'], project);
    expect(scanned.code, explain('lambda-rds scan src', scanned)).toBe(1);
    const report = JSON.parse(scanned.stdout) as {
      summary: { filesScanned: number; findings: number };
      files: Array<{ path: string; messages: Array<{ ruleId: string; line: number }> }>;
    };
    expect(report.summary.filesScanned).toBe(BAD_HANDLERS.length);
    for (const { file, line } of BAD_HANDLERS) {
      const entry = report.files.find((f) => f.path === file);
      expect(entry, `${file} in the report`).toBeDefined();
      expect(entry!.messages.map((m) => `${m.ruleId}@${m.line}`)).toContain(`${CONNECTION_RULE}@${line}`);
    }

    const clean = await run(bin, ['scan', 'clean', '--format', 'json'], project);
    expect(clean.code, explain('lambda-rds scan clean', clean)).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ summary: { filesScanned: 1, findings: 0 } });
  }, COMMAND_TIMEOUT);

  it('import() gives the plugin with its namespace, the three configs and every rule', async () => {
    const script = `
      const { default: plugin } = await import(${JSON.stringify(PACKAGE.name)});
      console.log(JSON.stringify({
        namespace: plugin.meta.namespace,
        name: plugin.meta.name,
        configs: Object.keys(plugin.configs).sort(),
        rules: Object.keys(plugin.rules).sort(),
        configsCarryThePlugin: Object.values(plugin.configs).every((c) => c.plugins[plugin.meta.namespace] === plugin),
      }));`;
    const imported = await run(process.execPath, ['--input-type=module', '--eval', script], project);
    expect(imported.code, explain('import()', imported)).toBe(0);
    expect(JSON.parse(imported.stdout)).toEqual({
      namespace: 'lambda-rds',
      name: PACKAGE.name,
      configs: ['all', 'recommended', 'strict'],
      rules: Object.keys(plugin.rules).sort(),
      configsCarryThePlugin: true,
    });
  }, COMMAND_TIMEOUT);

  it("the plugin's types resolve for a TypeScript config (tsc --noEmit, no skipLibCheck)", async () => {
    const checked = await run('npx', ['--no', '--', 'tsc', '-p', 'tsconfig.json'], project);
    expect(checked.code, explain('tsc', checked)).toBe(0);
  }, COMMAND_TIMEOUT);
});
