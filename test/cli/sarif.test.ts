import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { afterAll, describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';

const require = createRequire(import.meta.url);
// CommonJS packages with a `default` export: loaded with require so that the types and the runtime agree.
const Ajv = (require('ajv-draft-04') as typeof import('ajv-draft-04')).default;
const addFormats = (require('ajv-formats') as typeof import('ajv-formats')).default;
const BIN = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const APP = fileURLToPath(new URL('fixtures/lambda-app/', import.meta.url));
const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** The official SARIF 2.1.0 schema (OASIS, rtm.5), as `@microsoft/jest-sarif` ships it. */
const schema = JSON.parse(
  readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
) as object;
// The schema's `language` pattern is not a valid Unicode-mode regular expression, hence `unicodeRegExp: false`.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

function sarifOf(cwd: string, ...args: string[]): { status: number | null; log: Sarif.Log; stdout: string } {
  const { status, stdout, stderr } = spawnSync(process.execPath, [BIN, 'scan', '--format', 'sarif', ...args], {
    cwd,
    encoding: 'utf8',
  });
  if (stdout === '') throw new Error(`no SARIF on stdout (exit ${status}): ${stderr}`);
  return { status, log: JSON.parse(stdout) as Sarif.Log, stdout };
}

function copyOfApp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-rds-sarif-'));
  temporary.push(dir);
  cpSync(APP, dir, { recursive: true });
  return dir;
}

const fingerprints = (log: Sarif.Log): Map<string, string> =>
  new Map(
    log.runs[0]!.results!.map((r) => [
      `${r.ruleId} ${r.locations![0]!.physicalLocation!.artifactLocation!.uri}`,
      r.partialFingerprints!['lambdaRds/v1']!,
    ]),
  );

describe('lambda-rds scan --format sarif', () => {
  const { status, log, stdout } = sarifOf(APP);
  const run = log.runs[0]!;

  it('is valid against the SARIF 2.1.0 JSON schema', () => {
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(status).toBe(1);
  });

  it('names the tool and describes every rule that ran', () => {
    const { driver } = run.tool;
    expect(driver).toMatchObject({ name: 'lambda-rds', version: PACKAGE.version });
    expect(driver.informationUri).toMatch(/^https:\/\/github\.com\//);
    const ran = Object.entries(rules)
      .filter(([, rule]) => (rule.meta.docs as { recommended?: boolean }).recommended)
      .map(([name]) => `lambda-rds/${name}`);
    expect(driver.rules!.map((r) => r.id)).toEqual(ran);
    for (const rule of driver.rules!) {
      const name = rule.id.replace('lambda-rds/', '') as keyof typeof rules;
      expect(rule.shortDescription!.text).toBe(`${rules[name].meta.docs!.description}.`);
      // The full description is the doc page's opening paragraph: longer than the one-line description.
      expect(rule.fullDescription!.text.length).toBeGreaterThan(rule.shortDescription!.text.length);
      expect(rule.fullDescription!.text).not.toContain('\n');
      expect(rule.helpUri).toMatch(new RegExp(`/docs/rules/${name}\\.md$`));
      expect(rule.defaultConfiguration).toEqual({ level: 'error' });
    }
  });

  it('locates each result relative to %SRCROOT%, with a full region and a rule index', () => {
    expect(run.originalUriBaseIds!['%SRCROOT%']!.uri).toBe(pathToFileURL(APP).href);
    const orders = run.results!.find(
      (r) =>
        r.ruleId === 'lambda-rds/no-connection-in-handler' &&
        r.locations![0]!.physicalLocation!.artifactLocation!.uri === 'functions/orders/handler.ts',
    );
    expect(orders).toBeDefined();
    expect(orders!.locations![0]!.physicalLocation).toMatchObject({
      artifactLocation: { uri: 'functions/orders/handler.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: 10, startColumn: 16, endLine: 10, endColumn: 63 },
    });
    for (const result of run.results!) {
      expect(run.tool.driver.rules![result.ruleIndex!]!.id).toBe(result.ruleId);
      expect(result.level).toBe('error');
      expect(result.message.text).toMatch(/\S/);
      const { artifactLocation } = result.locations![0]!.physicalLocation!;
      expect(run.artifacts![artifactLocation!.index!]!.location!.uri).toBe(artifactLocation!.uri);
    }
  });

  it('reports the unparseable file as a tool execution notification, not a result, and the run as successful', () => {
    const [invocation] = run.invocations!;
    expect(invocation!.executionSuccessful).toBe(true);
    expect(
      invocation!.toolExecutionNotifications!.map((n) => [
        n.descriptor!.id,
        n.level,
        n.locations![0]!.physicalLocation!.artifactLocation!.uri,
      ]),
    ).toEqual([['parse-error', 'warning', 'functions/billing/handler.js']]);
    const uris = run.results!.map((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri);
    expect(uris).not.toContain('functions/billing/handler.js');
  });

  it('never copies source code into the log', () => {
    expect(stdout).not.toContain('SELECT id, total FROM orders');
    expect(stdout).not.toContain('event.pathParameters?.id');
    expect(stdout).not.toContain('process.env.DB_HOST, max: 1');
    for (const artifact of run.artifacts!) expect(Object.keys(artifact)).toEqual(['location']);
  });

  it('keeps every fingerprint when lines move, and changes only the edited finding’s', () => {
    const dir = copyOfApp();
    const before = fingerprints(sarifOf(dir).log);
    expect(new Set(before.values()).size).toBe(before.size);

    // Ten lines inserted at the top of every file with findings, and a new finding in one of them.
    for (const key of before.keys()) {
      const file = path.join(dir, key.split(' ')[1]!);
      const text = readFileSync(file, 'utf8');
      writeFileSync(file, `${'// moved down\n'.repeat(10)}${text}`);
    }
    const moved = sarifOf(dir).log;
    expect(moved.runs[0]!.results!.map((r) => r.locations![0]!.physicalLocation!.region!.startLine)).not.toContain(4);
    expect(fingerprints(moved)).toEqual(before);

    const orders = path.join(dir, 'functions/orders/handler.ts');
    writeFileSync(orders, readFileSync(orders, 'utf8').replace('max: 1', 'max: 2'));
    const edited = fingerprints(sarifOf(dir).log);
    for (const [key, value] of before) {
      // Both findings on the edited `new Pool(...)` call cover the edited text.
      if (key.includes('functions/orders/handler.ts') && /no-connection-in-handler|require-connect-timeout/.test(key)) {
        expect(edited.get(key)).not.toBe(value);
      } else {
        expect(edited.get(key)).toBe(value);
      }
    }
  });

  it('gives two identical findings in one file distinct fingerprints', () => {
    const dir = copyOfApp();
    const orders = path.join(dir, 'functions/orders/handler.ts');
    const text = readFileSync(orders, 'utf8');
    writeFileSync(orders, text.replace("  const pool = new Pool({ host: process.env.DB_HOST, max: 1 });\n", (line) => `${line}${line.replace('pool', 'pool2')}`.replace('const pool2', 'const pool')));
    const { log: twice } = sarifOf(dir, '--rule', 'no-connection-in-handler', 'functions/orders');
    const values = twice.runs[0]!.results!.map((r) => r.partialFingerprints!['lambdaRds/v1']!);
    expect(values).toHaveLength(2);
    expect(new Set(values).size).toBe(2);
    expect(values.map((v) => v.split(':')[0])).toEqual([values[0]!.split(':')[0], values[0]!.split(':')[0]]);
  });

  it('derives no fingerprint from a password’s value', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lambda-rds-sarif-'));
    temporary.push(dir);
    const handler = (password: string): string =>
      `const mysql = require('mysql2/promise');\nexports.handler = async () => {\n  const c = await mysql.createConnection({ host: 'h', user: 'u', password: '${password}' });\n  return c.query('SELECT 1');\n};\n`;
    const keys: string[] = [];
    for (const password of ['hunter2', 'correct-horse']) {
      writeFileSync(path.join(dir, 'handler.cjs'), handler(password));
      const { log: one, stdout: text } = sarifOf(dir, '--rule', 'no-hardcoded-credentials');
      expect(text).not.toContain(password);
      keys.push(one.runs[0]!.results![0]!.partialFingerprints!['lambdaRds/v1']!);
    }
    expect(keys[0]).toBe(keys[1]);
  });
});
