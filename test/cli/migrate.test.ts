import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateOptions } from '../../src/cli/commands/migrate.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'dist/cli/bin.js');
const JSCODESHIFT = path.join(ROOT, 'node_modules/.bin/jscodeshift');
const FIXTURES = path.join(ROOT, 'test/codemods/hoist-connection/fixtures');

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function lambdaRds(args: string[], cwd: string) {
  const { status, stdout, stderr } = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { status, stdout, stderr };
}

function git(cwd: string, ...args: string[]) {
  return execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd, encoding: 'utf8' });
}

/** A git repository holding some fixture inputs (handlers to fix, files to leave alone) and a broken file. */
function project(options: { git?: boolean; broken?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-rds-migrate-'));
  temps.push(dir);
  mkdirSync(path.join(dir, 'src'));
  for (const name of ['pg-pool-finally.input.ts', 'pg-client-cjs-no-semicolons.input.js', 'knex-destroy.input.js', 'no-change-depends-on-event.input.ts', 'no-change-not-lambda.input.js']) {
    cpSync(path.join(FIXTURES, name), path.join(dir, 'src', name.replace('.input', '')));
  }
  writeFileSync(path.join(dir, 'src', 'unrelated.js'), 'export const add = (a, b) => a + b;\n');
  if (options.broken) {
    writeFileSync(path.join(dir, 'src', 'broken.js'), "import { Pool } from 'pg';\nexport const handler = async () => { const p = new Pool( };\n");
  }
  mkdirSync(path.join(dir, 'node_modules', 'pg'), { recursive: true });
  cpSync(path.join(FIXTURES, 'knex-destroy.input.js'), path.join(dir, 'node_modules', 'pg', 'index.js'));
  if (options.git !== false) {
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'initial');
  }
  return dir;
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return out;
}

interface Report {
  codemod: string;
  summary: { files: number; changed: number; unchanged: number; skipped: number; failed: number };
  files: Array<{ file: string; status: string; changes: string[]; reasons: string[]; error?: string }>;
}

describe('lambda-rds migrate', () => {
  it('--dry prints a unified diff and writes nothing', () => {
    const dir = project();
    const before = snapshot(dir);
    const run = lambdaRds(['migrate', 'hoist-connection', '--dry', 'src'], dir);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('--- a/src/pg-pool-finally.ts');
    expect(run.stdout).toContain('+++ b/src/pg-pool-finally.ts');
    expect(run.stdout).toMatch(/^-\s+const pool = new Pool/m);
    expect(run.stdout).toMatch(/^\+const pool = new Pool/m);
    expect(run.stderr).toMatch(/would change/);
    expect(snapshot(dir)).toEqual(before);
    // The diff applies cleanly with git and gives what a real run writes.
    writeFileSync(path.join(dir, 'change.diff'), run.stdout);
    git(dir, 'apply', '--check', 'change.diff');
  });

  it('applies the changes, reports each file, and leaves the rule silent; a second run changes nothing', () => {
    const dir = project();
    const run = lambdaRds(['migrate', 'hoist-connection', 'src', '--json', 'report.json'], dir);
    expect(run.status).toBe(0);
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as Report;
    const status = Object.fromEntries(report.files.map((f) => [f.file, f.status]));
    expect(status).toEqual({
      'src/knex-destroy.js': 'changed',
      'src/no-change-depends-on-event.ts': 'skipped',
      'src/no-change-not-lambda.js': 'unchanged',
      'src/pg-client-cjs-no-semicolons.js': 'changed',
      'src/pg-pool-finally.ts': 'changed',
      'src/unrelated.js': 'skipped',
    });
    const skipped = report.files.find((f) => f.file === 'src/no-change-depends-on-event.ts')!;
    expect(skipped.reasons.join('\n')).toMatch(/per-invocation value `event`/);
    expect(report.summary).toEqual({ files: 6, changed: 3, unchanged: 1, skipped: 2, failed: 0 });
    expect(run.stdout).toMatch(/6 files: 3 changed, 1 unchanged, 2 skipped, 0 failed/);
    // What was written equals the reviewed fixture outputs, byte for byte.
    expect(readFileSync(path.join(dir, 'src/pg-pool-finally.ts'), 'utf8')).toBe(
      readFileSync(path.join(FIXTURES, 'pg-pool-finally.output.ts'), 'utf8'),
    );
    // node_modules is never touched.
    expect(readFileSync(path.join(dir, 'node_modules/pg/index.js'), 'utf8')).toBe(
      readFileSync(path.join(FIXTURES, 'knex-destroy.input.js'), 'utf8'),
    );
    // The rule is silent on the changed files (only the file the codemod left alone is still reported).
    const scan = lambdaRds(['scan', 'src', '--rule', 'no-connection-in-handler', '--format', 'json'], dir);
    const findings = (JSON.parse(scan.stdout) as { files: Array<{ path: string; messages: unknown[] }> }).files
      .filter((f) => f.messages.length > 0)
      .map((f) => f.path);
    expect(findings).toEqual(['src/no-change-depends-on-event.ts']);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'migrated');
    const again = lambdaRds(['migrate', 'hoist-connection', 'src'], dir);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/0 changed/);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('refuses to write over uncommitted changes unless --force, and outside git', () => {
    const dir = project();
    writeFileSync(path.join(dir, 'src/unrelated.js'), 'export const add = (a, b) => b + a;\n');
    const refused = lambdaRds(['migrate', 'hoist-connection', 'src'], dir);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/uncommitted changes/);
    expect(refused.stderr).toContain('src/unrelated.js');
    expect(readFileSync(path.join(dir, 'src/pg-pool-finally.ts'), 'utf8')).toBe(
      readFileSync(path.join(FIXTURES, 'pg-pool-finally.input.ts'), 'utf8'),
    );
    const forced = lambdaRds(['migrate', 'hoist-connection', 'src', '--force'], dir);
    expect(forced.status).toBe(0);
    expect(forced.stdout).toMatch(/3 changed/);

    const noGit = project({ git: false });
    const outside = lambdaRds(['migrate', 'hoist-connection', 'src'], noGit);
    expect(outside.status).toBe(2);
    expect(outside.stderr).toMatch(/not inside a git working tree/);
  });

  it('--shard splits the files into disjoint, deterministic slices that cover them all', () => {
    const dir = project();
    const slices = [1, 2, 3].map((k) => {
      const run = lambdaRds(['migrate', 'hoist-connection', 'src', '--dry', '--shard', `${k}/3`, '--json', `shard-${k}.json`], dir);
      expect(run.status).toBe(0);
      return (JSON.parse(readFileSync(path.join(dir, `shard-${k}.json`), 'utf8')) as Report).files.map((f) => f.file);
    });
    const all = slices.flat().sort();
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(6);
    const repeat = lambdaRds(['migrate', 'hoist-connection', 'src', '--dry', '--shard', '2/3', '--json', 'again.json'], dir);
    expect(repeat.status).toBe(0);
    expect((JSON.parse(readFileSync(path.join(dir, 'again.json'), 'utf8')) as Report).files.map((f) => f.file)).toEqual(slices[1]);
    for (const bad of ['0/3', '4/3', '1/0', 'x', '1-3']) {
      const run = lambdaRds(['migrate', 'hoist-connection', 'src', '--shard', bad], dir);
      expect(run.status, bad).toBe(2);
      expect(run.stderr).toMatch(/--shard must be K\/N/);
    }
  });

  it('reports a file that does not parse as failed, leaves it byte for byte, still migrates the rest, exits 1', () => {
    const dir = project({ broken: true });
    const brokenBefore = readFileSync(path.join(dir, 'src/broken.js'), 'utf8');
    const run = lambdaRds(['migrate', 'hoist-connection', 'src', '--json', 'report.json'], dir);
    expect(run.status).toBe(1);
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as Report;
    const broken = report.files.find((f) => f.file === 'src/broken.js')!;
    expect(broken.status).toBe('failed');
    expect(broken.error).toMatch(/could not parse/);
    expect(readFileSync(path.join(dir, 'src/broken.js'), 'utf8')).toBe(brokenBefore);
    expect(report.summary.changed).toBe(3);
  });

  it('--annotate leaves a TODO where it could not change the code', () => {
    const dir = project();
    const run = lambdaRds(['migrate', 'hoist-connection', 'src/no-change-depends-on-event.ts', '--annotate'], dir);
    expect(run.status).toBe(0);
    expect(readFileSync(path.join(dir, 'src/no-change-depends-on-event.ts'), 'utf8')).toMatch(
      /\/\/ TODO\(lambda-rds\): the connection settings depend on the per-invocation value `event`\n\s+const pool = new Pool/,
    );
  });

  it('rejects usage errors with exit 2', () => {
    const dir = project();
    expect(lambdaRds(['migrate'], dir).status).toBe(2);
    const unknown = lambdaRds(['migrate', 'make-it-fast', 'src'], dir);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown codemod 'make-it-fast'. Codemods: hoist-connection, use-proxy-endpoint/);
    const missing = lambdaRds(['migrate', 'hoist-connection', 'nope'], dir);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nope: no such file or directory/);
    expect(lambdaRds(['migrate', 'hoist-connection', '--workers', '0'], dir).status).toBe(2);
  });

  it('documents every option it accepts in --help, dry run and diff first', () => {
    const help = lambdaRds(['migrate', '--help'], ROOT);
    expect(help.status).toBe(0);
    for (const name of Object.keys(migrateOptions)) expect(help.stdout).toContain(`--${name}`);
    expect(help.stdout.indexOf('--dry')).toBeLessThan(help.stdout.indexOf('--json'));
    expect(help.stdout).toContain('hoist-connection');
  });

  it.each([[[] as string[]], [['--no-babel']]])('the compiled transform also runs with plain jscodeshift -t %j', (flags) => {
    const dir = project();
    const run = spawnSync(
      JSCODESHIFT,
      [...flags, '-t', path.join(ROOT, 'dist/codemods/hoist-connection.js'), '--extensions=ts,js', 'src/pg-pool-finally.ts'],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/1 ok/);
    expect(readFileSync(path.join(dir, 'src/pg-pool-finally.ts'), 'utf8')).toBe(
      readFileSync(path.join(FIXTURES, 'pg-pool-finally.output.ts'), 'utf8'),
    );
  }, 300_000);
});

describe('lambda-rds migrate use-proxy-endpoint', () => {
  it('replaces direct hostnames with the environment variable and lists each one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lambda-rds-migrate-'));
    temps.push(dir);
    const fixtures = path.join(ROOT, 'test/codemods/use-proxy-endpoint/fixtures');
    cpSync(path.join(fixtures, 'uri-in-string.input.js'), path.join(dir, 'billing.js'));
    cpSync(path.join(fixtures, 'pg-host.input.ts'), path.join(dir, 'orders.ts'));
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'initial');
    const run = lambdaRds(['migrate', 'use-proxy-endpoint', '.', '--env-var', 'BILLING_PROXY_HOST', '--json', 'report.json'], dir);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('replaced billing-instance-1.c9akciq32lce.us-east-1.rds.amazonaws.com with process.env.BILLING_PROXY_HOST');
    expect(run.stdout).toContain('replaced orders.cluster-c9akciq32lce.eu-west-1.rds.amazonaws.com with process.env.BILLING_PROXY_HOST');
    expect(readFileSync(path.join(dir, 'billing.js'), 'utf8')).toContain('uri: `mysql://billing_app@${process.env.BILLING_PROXY_HOST}:3306/billing`');
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as Report;
    expect(report.codemod).toBe('use-proxy-endpoint');
    expect(report.summary.changed).toBe(2);
    const bad = lambdaRds(['migrate', 'use-proxy-endpoint', '.', '--env-var', 'not a name'], dir);
    expect(bad.status).toBe(2);
    expect(lambdaRds(['migrate', 'hoist-connection', '.', '--env-var', 'X'], dir).status).toBe(2);
  });
});

describe('lambda-rds migrate iam-auth', () => {
  const fixtures = path.join(ROOT, 'test/codemods/iam-auth/fixtures');
  const manifest = '{\n  "name": "orders",\n  "private": true,\n  "dependencies": {\n    "pg": "^8.23.1"\n  }\n}\n';

  function iamProject(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'lambda-rds-migrate-'));
    temps.push(dir);
    mkdirSync(path.join(dir, 'src'));
    cpSync(path.join(fixtures, 'pg-pool-literal-constant.input.mjs'), path.join(dir, 'src', 'orders.mjs'));
    cpSync(path.join(fixtures, 'no-change-mssql.input.js'), path.join(dir, 'src', 'legacy.js'));
    writeFileSync(path.join(dir, 'package.json'), manifest);
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'initial');
    return dir;
  }

  it('rewrites the config and adds @aws-sdk/rds-signer to the nearest package.json, once', () => {
    const dir = iamProject();
    const run = lambdaRds(['migrate', 'iam-auth', '.', '--json', 'report.json'], dir);
    expect(run.status).toBe(0);
    expect(readFileSync(path.join(dir, 'src/orders.mjs'), 'utf8')).toBe(
      readFileSync(path.join(fixtures, 'pg-pool-literal-constant.output.mjs'), 'utf8'),
    );
    expect(run.stdout).toContain('src/legacy.js:3: SQL Server has no RDS IAM database authentication');
    expect(run.stdout).toContain('package.json: added "@aws-sdk/rds-signer": "^3.1169.0" to its dependencies');
    expect(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies).toEqual({
      '@aws-sdk/rds-signer': '^3.1169.0',
      pg: '^8.23.1',
    });
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as Report & {
      packageJson: Array<{ file: string; action: string }>;
    };
    expect(report.packageJson).toEqual([expect.objectContaining({ file: 'package.json', action: 'add' })]);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'migrated');
    const again = lambdaRds(['migrate', 'iam-auth', '.'], dir);
    expect(again.status).toBe(0);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('--dry shows the package.json change too and writes nothing; --no-package-json only reports the need', () => {
    const dir = iamProject();
    const before = snapshot(dir);
    const dry = lambdaRds(['migrate', 'iam-auth', '--dry', '.'], dir);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('+++ b/package.json');
    expect(dry.stdout).toContain('+    "@aws-sdk/rds-signer": "^3.1169.0",');
    expect(dry.stderr).toContain('package.json: would add "@aws-sdk/rds-signer"');
    expect(snapshot(dir)).toEqual(before);

    const skip = lambdaRds(['migrate', 'iam-auth', '.', '--no-package-json'], dir);
    expect(skip.status).toBe(0);
    expect(skip.stdout).toContain('package.json: needs "@aws-sdk/rds-signer": "^3.1169.0" in its dependencies (not added: --no-package-json)');
    expect(readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe(manifest);
    expect(readFileSync(path.join(dir, 'src/orders.mjs'), 'utf8')).toContain('password: () => signer.getAuthToken()');

    expect(lambdaRds(['migrate', 'hoist-connection', '.', '--no-package-json'], dir).status).toBe(2);
  });

  function mysqlProject(withUnchangedMysqlFile: boolean): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'lambda-rds-migrate-'));
    temps.push(dir);
    mkdirSync(path.join(dir, 'src'));
    cpSync(path.join(fixtures, 'mysql-callback-handler.input.js'), path.join(dir, 'src', 'reports.js'));
    if (withUnchangedMysqlFile) {
      // A mysql file without a password (credentials from a secret): nothing to change, and it still needs mysql.
      writeFileSync(path.join(dir, 'src', 'audit.js'), "const mysql = require('mysql');\nmodule.exports = (secret) => mysql.createConnection({ host: secret.host, user: secret.user, password: secret.password });\n");
    }
    writeFileSync(path.join(dir, 'package.json'), '{\n  "name": "reports",\n  "dependencies": {\n    "mysql": "^2.18.1"\n  }\n}\n');
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'initial');
    return dir;
  }

  it('replaces mysql with mysql2 in package.json when no file of the run imports mysql any more, and prints the notes', () => {
    const dir = mysqlProject(false);
    const run = lambdaRds(['migrate', 'iam-auth', '.'], dir);
    expect(run.status).toBe(0);
    expect(readFileSync(path.join(dir, 'src/reports.js'), 'utf8')).toBe(readFileSync(path.join(fixtures, 'mysql-callback-handler.output.js'), 'utf8'));
    expect(run.stdout).toContain('package.json: replaced "mysql": "^2.18.1" with "mysql2": "^3.24.6" in its dependencies');
    expect(run.stdout).toContain('note: mysql2 replaced mysql: results of INSERT/UPDATE/DELETE are a `ResultSetHeader`');
    expect(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies).toEqual({
      '@aws-sdk/rds-signer': '^3.1169.0',
      mysql2: '^3.24.6',
    });
  });

  it('adds mysql2 but keeps mysql when another file still imports it', () => {
    const dir = mysqlProject(true);
    const run = lambdaRds(['migrate', 'iam-auth', '.'], dir);
    expect(run.status).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies).toEqual({
      '@aws-sdk/rds-signer': '^3.1169.0',
      mysql: '^2.18.1',
      mysql2: '^3.24.6',
    });
  });
});

describe('lambda-rds migrate over several repositories', () => {
  /** A folder of three checkouts, each its own git repository with handlers to fix. */
  function checkouts(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'lambda-rds-repos-'));
    temps.push(dir);
    const cases: Record<string, string[]> = {
      orders: ['pg-pool-finally.input.ts', 'no-change-not-lambda.input.js'],
      billing: ['knex-destroy.input.js'],
      reports: ['pg-client-cjs-no-semicolons.input.js', 'no-change-depends-on-event.input.ts'],
    };
    for (const [name, files] of Object.entries(cases)) {
      const repo = path.join(dir, name);
      mkdirSync(path.join(repo, 'src'), { recursive: true });
      for (const file of files) cpSync(path.join(FIXTURES, file), path.join(repo, 'src', file.replace('.input', '')));
      writeFileSync(path.join(repo, 'package.json'), `${JSON.stringify({ name, private: true }, null, 2)}\n`);
      git(repo, 'init', '-q');
      git(repo, 'add', '-A');
      git(repo, 'commit', '-qm', 'initial');
    }
    return dir;
  }

  interface ReposReport extends Report {
    repositories: Array<{ path: string; summary: Report['summary']; files: string[] }>;
    files: Array<Report['files'][number] & { repository: string }>;
  }

  it('migrates a folder of three repositories in one run, with totals per repository', () => {
    const dir = checkouts();
    const run = lambdaRds(['migrate', 'hoist-connection', '.', '--json', 'report.json'], dir);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as ReposReport;
    const byRepo = Object.fromEntries(report.repositories.map((r) => [r.path, r.summary]));
    expect(Object.keys(byRepo).sort()).toEqual(['billing', 'orders', 'reports']);
    expect(byRepo.orders).toMatchObject({ files: 2, changed: 1, failed: 0 });
    expect(byRepo.billing).toMatchObject({ files: 1, changed: 1, failed: 0 });
    expect(byRepo.reports).toMatchObject({ files: 2, changed: 1, skipped: 1, failed: 0 });
    expect(report.files.every((f) => f.file.startsWith(`${f.repository}/`))).toBe(true);
    expect(run.stdout).toMatch(/^orders: 2 files: 1 changed/m);
    expect(run.stdout).toMatch(/5 files in 3 repositories: 3 changed/);
    // Each repository got its own changes, and the rule is silent on what changed.
    for (const repo of ['orders', 'billing', 'reports']) expect(git(path.join(dir, repo), 'status', '--porcelain')).not.toBe('');
    expect(readFileSync(path.join(dir, 'billing/src/knex-destroy.js'), 'utf8')).toBe(
      readFileSync(path.join(FIXTURES, 'knex-destroy.output.js'), 'utf8'),
    );
  });

  it('checks every repository for a clean working tree, and names the one that is not', () => {
    const dir = checkouts();
    writeFileSync(path.join(dir, 'billing/src/notes.js'), 'export const draft = true;\n');
    const before = snapshot(dir);
    const run = lambdaRds(['migrate', 'hoist-connection', '.'], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('billing: the git working tree has uncommitted changes');
    expect(run.stderr).not.toContain('orders:');
    expect(snapshot(dir)).toEqual(before);
  });

  it('the multi-gitter / turbolift script migrates each clone it runs in', () => {
    const dir = checkouts();
    const script = path.join(ROOT, 'docs/codemods/recipes/migrate-repository.sh');
    for (const repo of ['orders', 'billing', 'reports']) {
      const cwd = path.join(dir, repo);
      const { status, stdout, stderr } = spawnSync('sh', [script], {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, LAMBDA_RDS: `${process.execPath} ${BIN}`, TMPDIR: dir },
      });
      expect(stderr).toBe('');
      expect(status).toBe(0);
      expect(stdout).toContain(`report in ${path.join(dir, `lambda-rds-${repo}-hoist-connection.json`)}`);
      const report = JSON.parse(readFileSync(path.join(dir, `lambda-rds-${repo}-hoist-connection.json`), 'utf8')) as ReposReport;
      expect(report.summary.changed).toBe(1);
      expect(report.summary.failed).toBe(0);
    }
  });
});
