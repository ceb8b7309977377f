/**
 * The pre-commit framework's path (README, "pre-commit"): the real `pre-commit` command installs this repository
 * as a hook repository, from a commit of the working tree as it is now, with the `.pre-commit-config.yaml` the
 * README shows; then `git commit` runs the hook. A pg `Pool` created inside a Lambda handler blocks the commit and
 * the finding is printed; with the pool at module scope the commit goes through.
 *
 * pre-commit installs a `language: node` hook with the Node.js and npm on PATH: in its clone of the hook
 * repository it runs `npm install`, then `npm pack`, whose standard output it reads as the tarball's file name,
 * then `npm install -g <tarball>`. So this test needs the `pre-commit` command (Debian package `pre-commit`;
 * `.ci/run` installs it when missing) and the npm registry. Without them it fails; it never skips. The hook is
 * installed once, in `beforeAll`, into a temporary PRE_COMMIT_HOME, and serves every case.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOURCE_EXTENSIONS } from '../../src/cli/files.js';
import plugin from '../../src/index.js';
import { explain, run, userEnv, type Result } from '../helpers/user-shell.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HOOKS = readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const CONNECTION_RULE = `${plugin.meta.namespace}/no-connection-in-handler`;
const INSTALL_TIMEOUT = 10 * 60_000;
const COMMIT_TIMEOUT = 3 * 60_000;

/** The `.pre-commit-config.yaml` of the README's pre-commit section. */
function readmeConfig(): string {
  const section = README.slice(README.indexOf('\n### pre-commit\n'));
  const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error("README.md has no yaml block in its '### pre-commit' section");
  return block;
}

/** A top-level string setting of the hook in .pre-commit-hooks.yaml (single-quoted or plain). */
function hookSetting(key: string): string {
  const match = new RegExp(`^ {2}${key}: (?:'((?:[^']|'')*)'|(\\S.*))$`, 'm').exec(HOOKS);
  if (!match) throw new Error(`.pre-commit-hooks.yaml has no ${key}`);
  return match[1] !== undefined ? match[1].replaceAll("''", "'") : match[2]!;
}

/** `file:line:column rule` for each finding in `lambda-rds scan`'s text report (see src/cli/formats.ts). */
function findingsIn(output: string): string[] {
  const found: string[] = [];
  let file: string | undefined;
  for (const line of output.split('\n')) {
    const finding = /^ {2}(\d+):(\d+) +.*  (\S+)$/.exec(line);
    if (finding && file) found.push(`${file}:${finding[1]}:${finding[2]} ${finding[3]}`);
    else if (/^\S+\.[cm]?[jt]sx?$/.test(line)) file = line;
  }
  return found;
}

/** How many files the `lambda-rds scan` runs in this output scanned (pre-commit may split a long list). */
function filesScanned(output: string): number {
  return [...output.matchAll(/\((\d+) files? scanned\b/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

describe('.pre-commit-hooks.yaml', () => {
  it('passes exactly the files lambda-rds scan accepts, without declaration files', () => {
    const files = new RegExp(hookSetting('files'));
    const exclude = new RegExp(hookSetting('exclude'));
    const passed = (name: string) => files.test(name) && !exclude.test(name);
    for (const ext of SOURCE_EXTENSIONS) expect(passed(`src/handler${ext}`), ext).toBe(true);
    const others = ['src/types.d.ts', 'src/types.d.mts', 'src/types.d.cts', 'bin/tool', 'README.md', 'package.json'];
    for (const name of [...others, 'src/handler.JS', 'src/handler.json', 'src/tsconfig.tsbuildinfo']) {
      expect(passed(name), name).toBe(false);
    }
    expect(hookSetting('language')).toBe('node');
    expect(hookSetting('entry')).toBe('lambda-rds scan');
  });

  it('is the hook the README configures', () => {
    const ids = (yaml: string) => [...yaml.matchAll(/^\s*- id: (\S+)/gm)].map((m) => m[1]);
    expect(ids(readmeConfig())).toEqual(ids(HOOKS));
  });
});

describe('installed by the real pre-commit from a commit of this repository', () => {
  let work: string;
  let project: string;
  let env: NodeJS.ProcessEnv;

  const inProject = (command: string, args: readonly string[]): Promise<Result> => run(command, args, project, env);
  const commits = async (): Promise<number> => {
    const counted = await inProject('git', ['rev-list', '--count', 'HEAD']);
    expect(counted.code, explain('git rev-list', counted)).toBe(0);
    return Number(counted.stdout.trim());
  };
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(project, file)), { recursive: true });
    writeFileSync(join(project, file), text);
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'lambda-rds-pre-commit-'));
    // A user's shell, with git and pre-commit kept away from the machine's own settings and caches (and from
    // GIT_DIR and friends, set when the tests themselves run inside a git hook).
    env = Object.fromEntries(Object.entries(userEnv()).filter(([key]) => !/^(?:GIT_|PRE_COMMIT)/.test(key)));
    Object.assign(env, {
      GIT_CONFIG_GLOBAL: join(work, 'gitconfig'),
      GIT_CONFIG_NOSYSTEM: '1',
      PRE_COMMIT_HOME: join(work, 'pre-commit-home'),
    });
    writeFileSync(
      join(work, 'gitconfig'),
      [
        '[user]',
        '\tname = lambda-rds test',
        '\temail = test@example.invalid',
        '[commit]',
        '\tgpgsign = false',
        '[init]',
        '\tdefaultBranch = main',
        '',
      ].join('\n'),
    );

    const version = await run('pre-commit', ['--version'], work, env).catch((error: Error) => {
      throw new Error(`cannot run pre-commit (Debian: apt-get install pre-commit; .ci/run installs it): ${error.message}`);
    });
    expect(version.code, explain('pre-commit --version', version)).toBe(0);

    // The hook repository: the files of the working tree that git would commit (tracked or not ignored, as they
    // are on disk now), committed in a fresh repository.
    const hookRepo = join(work, 'hook-repo');
    mkdirSync(hookRepo);
    const listed = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT, env);
    expect(listed.code, explain('git ls-files', listed)).toBe(0);
    for (const file of listed.stdout.split('\0').filter(Boolean)) {
      if (!existsSync(join(ROOT, file))) continue; // deleted in the working tree
      mkdirSync(dirname(join(hookRepo, file)), { recursive: true });
      cpSync(join(ROOT, file), join(hookRepo, file));
    }
    for (const args of [['init', '-q'], ['add', '-A'], ['commit', '-q', '-m', 'eslint-plugin-lambda-rds working tree']]) {
      const done = await run('git', args, hookRepo, env);
      expect(done.code, explain(`git ${args[0]}`, done)).toBe(0);
    }
    const rev = (await run('git', ['rev-parse', 'HEAD'], hookRepo, env)).stdout.trim();
    expect(rev).toMatch(/^[0-9a-f]{40}$/);

    // The user's project: the README's configuration, pointed at that commit, committed before the hook exists.
    const config = readmeConfig()
      .replace(/^(\s*- repo:) .*$/m, `$1 ${hookRepo}`)
      .replace(/^(\s*rev:) .*$/m, `$1 ${rev}`);
    expect(config).toContain(`repo: ${hookRepo}\n`);
    expect(config).toContain(`rev: ${rev}\n`);
    project = join(work, 'project');
    mkdirSync(project);
    write('.pre-commit-config.yaml', config);
    for (const args of [['init', '-q'], ['add', '-A'], ['commit', '-q', '-m', 'pre-commit configuration']]) {
      const done = await inProject('git', args);
      expect(done.code, explain(`git ${args[0]}`, done)).toBe(0);
    }

    const installed = await inProject('pre-commit', ['install']);
    expect(installed.code, explain('pre-commit install', installed)).toBe(0);
    const hooks = await inProject('pre-commit', ['install-hooks']);
    expect(hooks.code, explain('pre-commit install-hooks', hooks)).toBe(0);
  }, INSTALL_TIMEOUT);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('blocks a commit whose handler creates a pg Pool, and prints the finding', async () => {
    write(
      'src/get-order.mjs',
      `import { Pool } from 'pg';

export const handler = async (event) => {
  const pool = new Pool({ host: process.env.DB_PROXY_ENDPOINT });
  const { rows } = await pool.query('SELECT * FROM orders WHERE id = $1', [event.pathParameters.id]);
  await pool.end();
  return rows[0];
};
`,
    );
    write(
      'src/list-orders.mts',
      `import { Pool } from 'pg';
import type { APIGatewayProxyHandlerV2 } from 'aws-lambda';

export const handler: APIGatewayProxyHandlerV2 = async () => {
  const pool = new Pool({ host: process.env.DB_PROXY_ENDPOINT! });
  const { rows } = await pool.query('SELECT * FROM orders');
  await pool.end();
  return { statusCode: 200, body: JSON.stringify(rows) };
};
`,
    );
    const added = await inProject('git', ['add', 'src']);
    expect(added.code, explain('git add', added)).toBe(0);

    const committed = await inProject('git', ['commit', '-m', 'orders handlers']);
    const output = committed.stdout + committed.stderr;
    expect(committed.code, explain('git commit', committed)).toBe(1);
    expect(output, explain('git commit', committed)).toMatch(/^lambda-rds scan\.+Failed$/m);
    expect(output).toContain('- exit code: 1');
    expect(findingsIn(output), explain('git commit', committed)).toEqual(
      expect.arrayContaining([`src/get-order.mjs:4:16 ${CONNECTION_RULE}`, `src/list-orders.mts:5:16 ${CONNECTION_RULE}`]),
    );
    expect(await commits()).toBe(1);
  }, COMMIT_TIMEOUT);

  it('lets the commit through with the pool at module scope, and passes only JavaScript and TypeScript sources', async () => {
    write(
      'src/get-order.mjs',
      `import { Pool } from 'pg';

const pool = new Pool({ host: process.env.DB_PROXY_ENDPOINT, max: 1, connectionTimeoutMillis: 3000 });

export const handler = async (event) => {
  const { rows } = await pool.query('SELECT * FROM orders WHERE id = $1', [event.pathParameters.id]);
  return rows[0];
};
`,
    );
    write(
      'src/list-orders.mts',
      `import { Pool } from 'pg';
import type { APIGatewayProxyHandlerV2 } from 'aws-lambda';

const pool = new Pool({ host: process.env.DB_PROXY_ENDPOINT!, max: 1, connectionTimeoutMillis: 3000 });

export const handler: APIGatewayProxyHandlerV2 = async () => {
  const { rows } = await pool.query('SELECT * FROM orders');
  return { statusCode: 200, body: JSON.stringify(rows) };
};
`,
    );
    // Staged with them, and not for lambda-rds scan, which refuses (exit status 2) files it does not read: an
    // executable node script without an extension (identify tags it javascript), a declaration file, a README.
    write('bin/orders-admin', '#!/usr/bin/env node\nconsole.log("orders admin");\n');
    chmodSync(join(project, 'bin/orders-admin'), 0o755);
    write('src/orders.d.ts', 'export interface Order { id: string }\n');
    write('README.md', '# orders service\n');
    const added = await inProject('git', ['add', '-A']);
    expect(added.code, explain('git add', added)).toBe(0);

    const checked = await inProject('pre-commit', ['run', '--verbose']);
    expect(checked.code, explain('pre-commit run --verbose', checked)).toBe(0);
    expect(checked.stdout).toMatch(/^lambda-rds scan\.+Passed$/m);
    expect(checked.stdout).toMatch(/^No findings \(/m);
    expect(filesScanned(checked.stdout), explain('pre-commit run --verbose', checked)).toBe(2);

    const committed = await inProject('git', ['commit', '-m', 'orders handlers']);
    expect(committed.code, explain('git commit', committed)).toBe(0);
    expect(committed.stdout + committed.stderr).toMatch(/^lambda-rds scan\.+Passed$/m);
    expect(await commits()).toBe(2);
  }, COMMIT_TIMEOUT);
});
