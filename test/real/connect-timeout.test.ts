/**
 * `require-connect-timeout`'s suggestion, run: a handler whose function has a 2 s timeout (serverless.yml) gets the
 * suggested connect timeout (1 s), and then
 *
 * - against a listener that accepts TCP connections and never answers (a saturated proxy or database, as the
 *   client sees it), the handler fails within that second, with the driver's timeout error, before the function
 *   would time out; the handler as written is still waiting past the function's timeout;
 * - against the real servers (PostgreSQL at 127.0.0.1:5432, MariaDB at 127.0.0.1:3306) the fixed handler answers as
 *   before. These tests fail when a server cannot be reached.
 *
 * For pg (`connectionTimeoutMillis`, no limit by default) and mysql2 (`connectTimeout`, 10 s by default).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { Linter } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { emptyProject } from '../helpers/projects.js';

const requireHere = createRequire(import.meta.url);
const FUNCTION_TIMEOUT_MS = 2000;

interface Loaded {
  readonly handler: () => Promise<unknown>;
  readonly close: () => Promise<void>;
}

/** A CommonJS handler file loaded from its source with this repository's drivers and the given environment. */
function load(source: string, env: Record<string, string>): Loaded {
  const module = { exports: {} as Record<string, unknown> };
  new Function('require', 'module', 'exports', 'process', source)(requireHere, module, module.exports, { env });
  const pool = module.exports.pool as { end(): Promise<void> };
  return { handler: module.exports.handler as () => Promise<unknown>, close: () => pool.end().catch(() => undefined) };
}

/** The file as the rule's suggestion leaves it, linted in a project whose serverless.yml gives the function 2 s. */
function withSuggestion(source: string): string {
  const root = emptyProject();
  writeFileSync(
    path.join(root, 'serverless.yml'),
    `service: orders\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  orders:\n    handler: src/orders.handler\n    timeout: ${FUNCTION_TIMEOUT_MS / 1000}\n`,
  );
  mkdirSync(path.join(root, 'src'));
  const file = path.join(root, 'src/orders.js');
  writeFileSync(file, source);
  const messages = new Linter({ cwd: root }).verify(
    source,
    [
      {
        files: ['**/*.js'],
        languageOptions: { sourceType: 'commonjs' },
        plugins: { 'lambda-rds': plugin as never },
        rules: { 'lambda-rds/require-connect-timeout': 'error' },
      },
    ],
    file,
  );
  expect(messages.map((m) => m.ruleId)).toEqual(['lambda-rds/require-connect-timeout']);
  const fix = messages[0]!.suggestions?.[0]?.fix;
  expect(fix, 'a suggestion').toBeDefined();
  return source.slice(0, fix!.range[0]) + fix!.text + source.slice(fix!.range[1]);
}

/** A listener that accepts connections and never sends a byte. */
let silent: net.Server;
const sockets = new Set<net.Socket>();
let silentPort: number;

beforeAll(async () => {
  silent = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as net.AddressInfo).port;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

/** How the call ends: its error or value, and after how long; `pending` when it has not ended after `ms`. */
async function settle(call: () => Promise<unknown>, ms: number) {
  const start = performance.now();
  const outcome = await Promise.race([
    call().then(
      (value) => ({ state: 'resolved' as const, value }),
      (error: Error) => ({ state: 'rejected' as const, error }),
    ),
    new Promise<{ state: 'pending' }>((resolve) => setTimeout(() => resolve({ state: 'pending' }), ms)),
  ]);
  return { ...outcome, elapsed: performance.now() - start };
}

const DRIVERS = [
  {
    name: 'pg',
    source: `const { Pool } = require('pg');

const pool = new Pool({
  host: process.env.DB_HOST,
  port: Number(process.env.DB_PORT),
  user: 'postgres',
  database: 'test',
  max: 1,
});

exports.pool = pool;
exports.handler = async () => (await pool.query('SELECT 1 AS ok')).rows[0];
`,
    added: 'connectionTimeoutMillis: 1000',
    timeoutError: /Connection terminated due to connection timeout/,
    server: '5432',
  },
  {
    name: 'mysql2',
    source: `const mysql = require('mysql2/promise');

const pool = mysql.createPool({
  host: process.env.DB_HOST,
  port: Number(process.env.DB_PORT),
  user: 'root',
  database: 'test',
  connectionLimit: 1,
});

exports.pool = pool;
exports.handler = async () => (await pool.query('SELECT 1 AS ok'))[0][0];
`,
    added: 'connectTimeout: 1000',
    timeoutError: /ETIMEDOUT|connect ETIMEDOUT/,
    server: '3306',
  },
] as const;

describe.each(DRIVERS)('$name', ({ source, added, timeoutError, server }) => {
  const fixed = withSuggestion(source);

  it('gets a connect timeout below the function timeout from the suggestion', () => {
    expect(fixed).toContain(added);
    expect(fixed.replace(new RegExp(`\\n\\s*${added},?`), '')).toBe(source);
  });

  it('fails within the suggested timeout against a server that never answers, before the function times out', async () => {
    const handler = load(fixed, { DB_HOST: '127.0.0.1', DB_PORT: String(silentPort) });
    try {
      const outcome = await settle(handler.handler, FUNCTION_TIMEOUT_MS + 3000);
      expect(outcome.state).toBe('rejected');
      expect(outcome.state === 'rejected' && outcome.error.message).toMatch(timeoutError);
      expect(outcome.elapsed).toBeGreaterThanOrEqual(900);
      expect(outcome.elapsed).toBeLessThan(FUNCTION_TIMEOUT_MS);
    } finally {
      await handler.close();
    }
  });

  it('as written, is still waiting when the function would have timed out', async () => {
    const handler = load(source, { DB_HOST: '127.0.0.1', DB_PORT: String(silentPort) });
    const call = handler.handler();
    call.catch(() => undefined);
    const outcome = await settle(() => call, FUNCTION_TIMEOUT_MS + 500);
    expect(outcome.state).toBe('pending');
    // Let it go: the listener drops its connections, and the driver gives up.
    for (const socket of sockets) socket.destroy();
    await call.catch(() => undefined);
    await handler.close();
  });

  it('with the suggested timeout, still answers from the real server', async () => {
    const handler = load(fixed, { DB_HOST: '127.0.0.1', DB_PORT: server });
    try {
      expect(await handler.handler()).toEqual({ ok: 1 });
    } finally {
      await handler.close();
    }
  });
});
