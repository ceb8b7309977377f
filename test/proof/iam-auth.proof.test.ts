/**
 * Proof on a real PostgreSQL server that `iam-auth` wires a fresh token for each new connection, and that this is
 * what keeps a Lambda function working when tokens expire.
 *
 * Setup: a throwaway PostgreSQL cluster (`test/harness/postgres-cluster.ts`): its own port, `scram-sha-256`
 * passwords, TLS required and verified against a certificate authority made for the run (handlers trust it through
 * `NODE_EXTRA_CA_CERTS`, the way a Lambda function is given extra CAs, so the `ssl: { rejectUnauthorized: true }` the
 * codemod writes is exercised as written). AWS is not reachable, so `@aws-sdk/rds-signer` is replaced by a stand-in
 * (`test/harness/signer-stand-in.ts`) whose token is the role's current password when the signer was built for the
 * host, port and user the driver connects with. Rotating the role's password (and the stand-in's secret with it)
 * stands for the token expiring. The stand-in is the only fake: the handlers are the codemod's real output, run in
 * the Lambda emulation (`test/harness/lambda.ts`) with the installed drivers.
 *
 * For a pg `Pool` handler and a knex (pg) handler, as users write them (password from the environment):
 * - After the codemod, E environments serve invocations, their pools close idle connections, the password rotates,
 *   and the next invocations open new connections: all of them succeed, each new connection with a token fetched
 *   after the rotation, over TLS.
 * - The same run with the token fetched once when the environment starts (`const token = await
 *   signer.getAuthToken()` at module scope, `password: token`, the pattern `no-static-iam-token` reports): every
 *   invocation after the rotation fails to authenticate.
 *
 * knex keeps the settings its connection function returns until `expirationChecker` says they expired, which the
 * codemod bases on the token's lifetime (`X-Amz-Expires`, renewed a minute before its end). The stand-in signs for
 * LIFETIME seconds instead of 900, so that point comes within the test; both variants of each run wait for it
 * before the rotation, so they differ only in how the token is fetched.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import jscodeshift from 'jscodeshift';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import transform from '../../src/codemods/iam-auth/transform.js';
import { lintFindings as lint } from '../../src/codemods/shared/lint.js';

const lintFindings = (text: string, filePath: string, rules: readonly string[]) => lint({ text, filePath, rules });
import { httpApiEvent } from '../harness/events.js';
import { LambdaFunction, type Invocation } from '../harness/lambda.js';
import { startPostgresCluster, type PostgresCluster } from '../harness/postgres-cluster.js';
import { createStandInTaskRoot, tokenFor, type SignerCall } from '../harness/signer-stand-in.js';

/** Execution environments. */
const E = 2;
/** Invocations before and after the rotation. */
const BEFORE = 2 * E;
const AFTER = 3 * E;
/** The lifetime the stand-in signs tokens for, in seconds; knex renews its settings 60 s before it ends. */
const LIFETIME = 70;
const RENEW_AFTER_MS = (LIFETIME - 60) * 1000;
const DATABASE = 'orders';
const POLL_MS = 50;

const fixtures = fileURLToPath(new URL('./fixtures/iam-auth/', import.meta.url));
const read = (name: string) => readFileSync(fixtures + name, 'utf8');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Customer c (1..5) has c orders of 100·c + 7·j cents (j = 1..c); customers 6 and 7 have none.
const orders = Array.from({ length: 5 }, (_, c) =>
  Array.from({ length: c + 1 }, (_, j) => ({ customerId: c + 1, amountCents: 100 * (c + 1) + 7 * (j + 1) })),
).flat();
const event = (i: number) =>
  httpApiEvent('GET', '/customers/{customerId}/orders/summary', { customerId: String((i % 7) + 1) });
const events = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => event(from + k));

function expectCorrect(invocation: Invocation) {
  const label = `invocation ${invocation.index} in environment ${invocation.environment}`;
  expect(invocation.error, label).toBeUndefined();
  const id = Number((invocation.event as ReturnType<typeof event>).pathParameters.customerId);
  const mine = orders.filter((o) => o.customerId === id);
  const response = invocation.result as { statusCode: number; body: string };
  expect({ ...response, body: JSON.parse(response.body) }, label).toEqual({
    statusCode: 200,
    body: { customerId: id, orders: mine.length, totalCents: mine.reduce((sum, o) => sum + o.amountCents, 0) },
  });
}

let cluster: PostgresCluster;
let admin: pg.Client;

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await sleep(POLL_MS);
  }
}

async function sessionsOf(role: string): Promise<number> {
  const { rows } = await admin.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where usename = $1', [role]);
  return rows[0]!.n;
}

beforeAll(async () => {
  cluster = await startPostgresCluster();
  const connect = async (database: string) => {
    const client = new pg.Client({
      host: cluster.host,
      port: cluster.port,
      user: cluster.superuser.user,
      password: cluster.superuser.password,
      database,
      ssl: { ca: cluster.ca, rejectUnauthorized: true },
    });
    client.on('error', () => {}); // A lost connection fails the next query instead of crashing the run.
    await client.connect();
    return client;
  };
  const setup = await connect('postgres');
  try {
    await setup.query(`create database ${DATABASE}`);
  } finally {
    await setup.end();
  }
  admin = await connect(DATABASE);
  await admin.query('create table orders (id serial primary key, customer_id int not null, amount_cents int not null)');
  await admin.query(
    `insert into orders (customer_id, amount_cents) values ${orders.map((o) => `(${o.customerId}, ${o.amountCents})`).join(', ')}`,
  );
}, 120_000);

interface Figures {
  handler: string;
  variant: string;
  before: string;
  after: string;
  connectionsAfter: number;
  tokensAfter: number;
}
const figures: Figures[] = [];

afterAll(async () => {
  await admin?.end().catch(() => {});
  cluster?.stop();
  if (figures.length === 0) return;
  console.log(
    [
      `${cluster?.version ?? 'PostgreSQL'}, TLS required and verified; ${E} environments; ${BEFORE} invocations, ` +
        `then the pools close their idle connections, the password rotates, then ${AFTER} invocations.`,
      '',
      '| handler | token | succeeded before | succeeded after | new TLS connections after | tokens fetched after |',
      '|---|---|---|---|---|---|',
      ...figures.map(
        (f) => `| ${f.handler} | ${f.variant} | ${f.before} | ${f.after} | ${f.connectionsAfter} | ${f.tokensAfter} |`,
      ),
    ].join('\n'),
  );
});

describe('the throwaway cluster', () => {
  it('requires TLS with a certificate the run CA signed, and checks passwords', async () => {
    const attempt = async (options: pg.ClientConfig) => {
      const client = new pg.Client({ host: cluster.host, port: cluster.port, database: DATABASE, ...options });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.end();
        return 'connected';
      } catch (error) {
        return (error as Error).message;
      }
    };
    const { user, password } = cluster.superuser;
    expect(await attempt({ user, password, ssl: false })).toMatch(/no encryption|rejects connection/);
    expect(await attempt({ user, password, ssl: { rejectUnauthorized: true } })).toMatch(/self[- ]signed|unable to (?:get|verify)/i);
    expect(await attempt({ user, password: 'not-the-password', ssl: { ca: cluster.ca } })).toMatch(/password authentication failed/);
    expect(await attempt({ user, password, ssl: { ca: cluster.ca } })).toBe('connected');
  });
});

interface Run {
  readonly warm: Invocation[];
  readonly after: Invocation[];
  readonly environments: number;
  readonly crashes: string[];
  readonly calls: SignerCall[];
  readonly rotatedAt: number;
  /** The server log lines about the role after the rotation. */
  readonly authorized: string[];
  readonly failures: string[];
}

/** Deploys `source` with its own role, runs invocations, rotates the password, runs more. */
async function run(source: string, role: string, packages: readonly string[]): Promise<Run> {
  const secret = () => randomBytes(24).toString('base64url');
  const token = (s: string) => tokenFor(cluster.host, cluster.port, role, LIFETIME, s);
  const first = secret();
  await admin.query(`create role ${role} login password ${admin.escapeLiteral(token(first))}`);
  await admin.query(`grant select on orders to ${role}`);
  const root = createStandInTaskRoot({ 'index.mjs': source }, { type: 'module', packages, lifetimeSeconds: LIFETIME });
  root.setSecret(first);
  const fn = new LambdaFunction({
    taskRoot: root.dir,
    handler: 'index.handler',
    timeoutMs: 15_000,
    environment: {
      ...root.environment,
      DB_HOST: cluster.host,
      DB_PORT: String(cluster.port),
      DB_USER: role,
      DB_NAME: DATABASE,
      NODE_EXTRA_CA_CERTS: cluster.caFile,
    },
  });
  try {
    const warm = await fn.invokeAll(events(0, BEFORE), E);
    // The pools close their idle connections; the invocations after the rotation must open new ones.
    await until(`no session of ${role} is left`, async () => (await sessionsOf(role)) === 0);
    // knex renews its settings RENEW_AFTER_MS after fetching a token: wait for that point (both variants).
    const lastFetch = Math.max(0, ...root.calls().map((c) => c.at));
    await sleep(Math.max(0, lastFetch + RENEW_AFTER_MS + 500 - Date.now()));
    const next = secret();
    await admin.query(`alter role ${role} password ${admin.escapeLiteral(token(next))}`);
    root.setSecret(next);
    const rotatedAt = Date.now();
    const logFrom = cluster.log().length;
    const after = await fn.invokeAll(events(BEFORE, BEFORE + AFTER), E);
    // A backend logs that it authorized (or refused) a connection before it answers the client.
    const log = cluster.log().slice(logFrom).split('\n');
    return {
      warm,
      after,
      environments: fn.environments.length,
      crashes: fn.environments.flatMap((env) => (env.crashedWith ? [`environment ${env.id}: ${env.crashedWith}`] : [])),
      calls: root.calls(),
      rotatedAt,
      authorized: log.filter((l) => l.includes(`connection authorized: user=${role} `)),
      failures: log.filter((l) => l.includes(`password authentication failed for user "${role}"`)),
    };
  } finally {
    await fn.shutdown();
    root.remove();
  }
}

const handlers = [
  { name: 'pg Pool', fixture: 'pg-pool.mjs', once: 'pg-pool-token-once.mjs', packages: ['pg'], role: 'app_pg' },
  { name: 'knex (pg)', fixture: 'knex-pg.mjs', once: 'knex-pg-token-once.mjs', packages: ['knex', 'pg'], role: 'app_knex' },
] as const;

describe.each(handlers)('iam-auth on a $name handler', (handler) => {
  it('keeps connecting after the password rotates; the same handler with a token fetched once fails after it', async () => {
    const path = fixtures + handler.fixture;
    const source = read(handler.fixture);
    const output = transform({ path, source }, { jscodeshift, j: jscodeshift, stats() {}, report() {} } as never, {});
    expect(output).toBeTypeOf('string');
    const rules = ['no-hardcoded-credentials', 'no-static-iam-token', 'require-tls'];
    expect(lintFindings(output!, path, rules).findings).toEqual([]);
    expect(output).toContain("from '@aws-sdk/rds-signer'");
    const once = read(handler.once);
    // The fetched-once variant is the pattern `no-static-iam-token` reports.
    expect(lintFindings(once, fixtures + handler.once, ['no-static-iam-token']).findings.map((f) => f.messageId)).toEqual([
      'tokenInLongLivedPool',
    ]);

    const [fresh, fixed] = await Promise.all([
      run(output!, handler.role, handler.packages),
      run(once, `${handler.role}_once`, handler.packages),
    ]);
    const succeeded = (list: Invocation[]) => `${list.filter((i) => !i.error).length}/${list.length}`;
    for (const [variant, r] of [['fresh per connection (codemod)', fresh], ['fetched once', fixed]] as const) {
      figures.push({
        handler: handler.name,
        variant,
        before: succeeded(r.warm),
        after: succeeded(r.after),
        connectionsAfter: r.authorized.length,
        tokensAfter: r.calls.filter((c) => c.at >= r.rotatedAt).length,
      });
    }

    // After the codemod: every invocation succeeds, before and after the rotation, in the same E environments.
    fresh.warm.forEach(expectCorrect);
    fresh.after.forEach(expectCorrect);
    expect(fresh.crashes).toEqual([]);
    expect(fresh.environments).toBe(E);
    // Each environment opened a new connection after the rotation, over TLS, with a token fetched after it.
    expect(fresh.authorized.length).toBeGreaterThanOrEqual(E);
    for (const line of fresh.authorized) expect(line).toContain('SSL enabled');
    expect(fresh.failures).toEqual([]);
    const pidsAfter = new Set(fresh.calls.filter((c) => c.at >= fresh.rotatedAt).map((c) => c.pid));
    expect(pidsAfter.size).toBe(E);
    // The signer was built from the config's own host, port and user (the stand-in's token depends on them).
    for (const call of fresh.calls) {
      expect(call).toMatchObject({ hostname: cluster.host, port: cluster.port, username: handler.role, region: 'us-east-1' });
    }

    // Fetched once: the environments work until the rotation, then no new connection authenticates.
    fixed.warm.forEach(expectCorrect);
    expect(fixed.after.length).toBe(AFTER);
    for (const invocation of fixed.after) expect(invocation.error?.errorMessage).toMatch(/password authentication failed/);
    expect(fixed.authorized).toEqual([]);
    expect(fixed.failures.length).toBeGreaterThanOrEqual(E);
    expect(fixed.calls.length).toBe(E);
    expect(fixed.calls.every((c) => c.at < fixed.rotatedAt)).toBe(true);
  }, 120_000);
});
