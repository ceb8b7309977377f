/**
 * What `iam-auth` promises beyond the shared fixture checks (`test/codemods/fixtures.test.ts`):
 * - on every file it changed and left nothing undone in, `no-hardcoded-credentials`, `no-static-iam-token` and
 *   `require-tls` are all silent;
 * - passwords read from the environment, which no rule reports, are rewritten too, and drivers that cannot take an
 *   IAM token are left alone with the reason even then;
 * - reports never contain a password;
 * - the dependency it adds to package.json keeps the manifest's layout, and its version is the one the outputs are
 *   type-checked and proven with.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import jscodeshift from 'jscodeshift';
import { afterEach, describe, expect, it } from 'vitest';
import transform from '../../../src/codemods/iam-auth/transform.js';
import { SIGNER_MODULE, SIGNER_VERSION } from '../../../src/codemods/iam-auth/meta.js';
import { lintFindings as lint } from '../../../src/codemods/shared/lint.js';

const lintFindings = (text: string, filePath: string, rules: readonly string[]) => lint({ text, filePath, rules });
import { nearestManifest, planDependency } from '../../../src/codemods/shared/packageJson.js';
import type { FileOutcome } from '../../../src/codemods/shared/report.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURES = path.join(ROOT, 'test/codemods/iam-auth/fixtures');
const RULES = ['no-hardcoded-credentials', 'no-static-iam-token', 'require-tls'];

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function run(file: string, source: string, options: Record<string, unknown> = {}) {
  const reports: string[] = [];
  const api = { jscodeshift, j: jscodeshift, stats: () => {}, report: (m: string) => reports.push(m) };
  const output = transform({ path: file, source }, api as never, options);
  return { output, reports };
}

/** The JSON outcome the migrate CLI collects. */
function outcome(file: string, source: string): FileOutcome {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-rds-iam-'));
  temps.push(dir);
  const report = path.join(dir, 'report.jsonl');
  run(file, source, { lambdaRdsReport: report });
  return JSON.parse(readFileSync(report, 'utf8').trim()) as FileOutcome;
}

describe('iam-auth', () => {
  const changed = readdirSync(FIXTURES).filter((f) => f.includes('.output.'));

  it.each(changed)('leaves every IAM-related rule silent on %s when it left nothing undone', (name) => {
    const input = name.replace('.output.', '.input.');
    const { reports } = run(path.join(FIXTURES, input), readFileSync(path.join(FIXTURES, input), 'utf8'));
    const output = readFileSync(path.join(FIXTURES, name), 'utf8').replace(/^\uFEFF/, '');
    const findings = lintFindings(output, path.join(FIXTURES, name), RULES).findings;
    if (reports.some((r) => r.startsWith('skipped:'))) {
      expect(findings.every((f) => f.ruleId === 'no-hardcoded-credentials')).toBe(true);
    } else {
      expect(findings).toEqual([]);
    }
  });

  it('rewrites passwords read from the environment, which no rule reports', () => {
    const source = [
      "import pg from 'pg';",
      '',
      'export const pool = new pg.Pool({ host: process.env.DB_HOST, user: process.env.DB_USER, password: process.env.DB_PASSWORD });',
      '',
    ].join('\n');
    expect(lintFindings(source, 'db.mjs', RULES).findings).toEqual([]);
    const { output } = run('db.mjs', source);
    expect(output).toContain('password: () => signer.getAuthToken()');
    expect(output).not.toContain('DB_PASSWORD');
    expect(outcome('db.mjs', source)).toMatchObject({ status: 'changed', dependencies: [SIGNER_MODULE] });
  });

  it('moves mysql to mysql2, which can send the token, even when the password comes from the environment', () => {
    const source = "const mysql = require('mysql');\nmodule.exports = mysql.createPool({ host: process.env.DB_HOST, user: 'app', password: process.env.DB_PASSWORD });\n";
    const { output } = run('db.js', source);
    expect(output).toContain("require('mysql2')");
    expect(output).not.toContain("require('mysql')");
    expect(output).toContain('mysql_clear_password');
    const report = outcome('db.js', source);
    expect(report).toMatchObject({ status: 'changed', dependencies: expect.arrayContaining(['mysql2', SIGNER_MODULE]) });
    expect(report.notes?.join('\n')).toMatch(/ResultSetHeader/);
  });

  it.each([
    ['tedious', "const { Connection } = require('tedious');\nmodule.exports = () => new Connection({ server: process.env.DB_HOST, authentication: { type: 'default', options: { userName: 'sa', password: process.env.DB_PASSWORD } } });\n", /SQL Server has no RDS IAM database authentication/],
    ['mariadb pool', "import mariadb from 'mariadb';\nexport const pool = mariadb.createPool({ host: process.env.DB_HOST, user: 'app', password: process.env.DB_PASSWORD });\n", /no hook to fetch a token for each new one/],
    ['TypeORM mysql', "import { DataSource } from 'typeorm';\nexport const ds = new DataSource({ type: 'mysql', host: process.env.DB_HOST, username: 'app', password: process.env.DB_PASSWORD });\n", /only for `type: 'postgres'`/],
  ])('leaves %s alone, with the reason, even when the password comes from the environment', (_, source, reason) => {
    const { output, reports } = run('db.mjs', source);
    expect(output).toBeUndefined();
    expect(reports.join('\n')).toMatch(reason);
  });

  it.each([
    ['the host depends on a per-invocation value', "import pg from 'pg';\nexport const handler = async (event) => {\n  const client = new pg.Client({ host: event.host, user: 'app', password: 'secret-1' });\n  await client.connect();\n};\n", /depends on `event`/],
    ['the config sets no host', "import pg from 'pg';\nexport const pool = new pg.Pool({ user: 'app', password: 'secret-1' });\n", /sets no host/],
    ['the host comes from a call', "import pg from 'pg';\nimport { hostFor } from './hosts.js';\nexport const pool = new pg.Pool({ host: hostFor('orders'), user: 'app', password: 'secret-1' });\n", /comes from a call/],
    ['the password is inside a connection URI', "import pg from 'pg';\nexport const pool = new pg.Pool({ connectionString: 'postgres://app:secret-1@db.internal/orders' });\n", /inside a connection URI/],
    ['knex `connection` is a shared constant', "import knex from 'knex';\nconst connection = { host: process.env.DB_HOST, user: 'app', password: 'secret-1' };\nexport const db = knex({ client: 'pg', connection });\n", /not an object written in the knex configuration/],
  ])('bails out when %s', (_, source, reason) => {
    const { output, reports } = run('db.mjs', source);
    expect(output).toBeUndefined();
    expect(reports.join('\n')).toMatch(reason);
  });

  it('never writes a password into its report', () => {
    let checked = 0;
    for (const name of readdirSync(FIXTURES).filter((f) => f.includes('.input.'))) {
      const source = readFileSync(path.join(FIXTURES, name), 'utf8');
      const secrets = [...source.matchAll(/(?:password|pass|DB_PASSWORD)\s*[:=]\s*["']([^"']+)["']/g)].map((m) => m[1]!);
      secrets.push(...[...source.matchAll(/new Sequelize\([^)]*?, ["']([^"']+)["'], \{/g)].map((m) => m[1]!));
      const text = JSON.stringify(outcome(path.join(FIXTURES, name), source));
      for (const secret of secrets) expect(text, name).not.toContain(secret);
      checked += secrets.length;
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it('shares one signer and one import between configs of the same endpoint', () => {
    const source = [
      "import pg from 'pg';",
      '',
      "const reader = new pg.Pool({ host: process.env.DB_HOST, user: 'app', password: process.env.DB_PASSWORD, max: 1 });",
      "const writer = new pg.Pool({ host: process.env.DB_HOST, user: 'app', password: process.env.DB_PASSWORD, max: 2 });",
      "const audit = new pg.Pool({ host: process.env.AUDIT_HOST, user: 'audit', password: 'audit-secret' });",
      '',
      'export { reader, writer, audit };',
      '',
    ].join('\n');
    const { output } = run('db.mjs', source);
    expect(output!.match(/import \{ Signer \}/g)).toHaveLength(1);
    expect(output!.match(/new Signer\(/g)).toHaveLength(2);
    // reader and writer (same host and user) share a signer; audit has its own.
    const signerOf = (name: string) => new RegExp(`const ${name} = new pg\\.Pool\\(\\{[^}]*password: \\(\\) => (\\w+)\\.getAuthToken\\(\\)`).exec(output!)?.[1];
    expect(signerOf('reader')).toBeDefined();
    expect(signerOf('writer')).toBe(signerOf('reader'));
    expect(signerOf('audit')).toBeDefined();
    expect(signerOf('audit')).not.toBe(signerOf('reader'));
    expect(lintFindings(output!, 'db.mjs', RULES).findings).toEqual([]);
  });
});

describe('adding @aws-sdk/rds-signer to package.json', () => {
  function project(manifest: string | undefined): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'lambda-rds-manifest-'));
    temps.push(dir);
    mkdirSync(path.join(dir, 'src'));
    if (manifest !== undefined) writeFileSync(path.join(dir, 'package.json'), manifest);
    return dir;
  }

  it('uses the version range the outputs are checked with (this package devDependency)', () => {
    const own = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(own.devDependencies[SIGNER_MODULE]).toBe(SIGNER_VERSION);
  });

  it('adds it in order, keeping indentation, line endings and the final newline', () => {
    const text = '{\r\n    "name": "fn",\r\n    "dependencies": {\r\n        "knex": "^3.3.0",\r\n        "pg": "^8.23.1"\r\n    }\r\n}\r\n';
    const dir = project(text);
    const manifest = nearestManifest(path.join(dir, 'src', 'index.js'));
    expect(manifest).toBe(path.join(dir, 'package.json'));
    const plan = planDependency(manifest, SIGNER_MODULE, SIGNER_VERSION);
    expect(plan.action).toBe('add');
    expect(plan.after).toBe(
      `{\r\n    "name": "fn",\r\n    "dependencies": {\r\n        "${SIGNER_MODULE}": "${SIGNER_VERSION}",\r\n        "knex": "^3.3.0",\r\n        "pg": "^8.23.1"\r\n    }\r\n}\r\n`,
    );
  });

  it('creates "dependencies" when there is none', () => {
    const dir = project('{\n  "name": "fn",\n  "private": true\n}\n');
    const plan = planDependency(path.join(dir, 'package.json'), SIGNER_MODULE, SIGNER_VERSION);
    expect(plan.after).toBe(`{\n  "name": "fn",\n  "private": true,\n  "dependencies": {\n    "${SIGNER_MODULE}": "${SIGNER_VERSION}"\n  }\n}\n`);
  });

  it.each([
    ['already listed', `{\n  "dependencies": {\n    "${SIGNER_MODULE}": "^3.0.0"\n  }\n}\n`, 'present', /already lists/],
    ['only in devDependencies', `{\n  "devDependencies": {\n    "${SIGNER_MODULE}": "^3.0.0"\n  }\n}\n`, 'left', /"devDependencies" only/],
    ['in a layout npm does not write', '{ "name": "fn", "dependencies": { "pg": "^8.23.1" } }\n', 'left', /layout/],
    ['not JSON', '{ name: fn }\n', 'left', /not valid JSON/],
  ])('leaves it alone when it is %s', (_, text, action, message) => {
    const dir = project(text);
    const plan = planDependency(path.join(dir, 'package.json'), SIGNER_MODULE, SIGNER_VERSION);
    expect(plan.action).toBe(action);
    expect(plan.message).toMatch(message);
    expect(plan.after).toBeUndefined();
  });
});
