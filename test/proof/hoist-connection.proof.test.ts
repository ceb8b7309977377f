/**
 * Proof on real databases that `hoist-connection` does what it claims. Typical handlers for pg (`Client`, `Pool`),
 * mysql2, knex and postgres.js, as users write them (a connection per invocation, closed at the end), and the shapes
 * of real callback-style and setup-heavy code (a mysql2 connection connected with a callback, a pg `Client` in a
 * callback handler, both turned into a pool of one; a client connected after an awaited secret read, with
 * try/catch/finally; a factory helper the handler calls) are transformed by the codemod; both versions then run in the Lambda emulation (`test/harness/lambda.ts`) with
 * E execution environments serving M invocations, while the server counts the connections it accepts
 * (`test/harness/connections.ts`).
 *
 * - Before: every invocation opens its own connection, so the server accepts at least M.
 * - After: each environment connects once and reuses the connection, so the server accepts exactly E.
 * - Every invocation returns the same response before and after, and the right one for the seeded data.
 * - After, when the server ends the connections between invocations (an RDS Proxy idle timeout, a failover, a
 *   database restart), the next invocations succeed and each environment reconnects exactly once. Two timings:
 *   the environments are running and see the sockets close before the next request, or Lambda has them frozen and
 *   the next request arrives together with the closed sockets.
 *
 * Needs PostgreSQL at 127.0.0.1:5432 and MariaDB at 127.0.0.1:3306; fails when either is unreachable.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import transform from '../../src/codemods/hoist-connection/transform.js';
import { lintFindings } from '../../src/codemods/shared/lint.js';
import { MARIADB, mariadbCounter, POSTGRES, postgresCounter, type ConnectionCounter } from '../harness/connections.js';
import { httpApiEvent } from '../harness/events.js';
import { createTaskRoot, LambdaFunction, type Invocation } from '../harness/lambda.js';

/** Execution environments (the function's concurrency). */
const E = 4;
/** Invocations per run. */
const M = 40;

type Server = 'postgres' | 'mariadb';
type Drop = 'running' | 'frozen';

interface Driver {
  readonly name: string;
  readonly server: Server;
  /** A handler in `test/harness/fixtures/`. */
  readonly fixture: string;
  /** The deployment package's module type, which decides how a `.js` handler loads. */
  readonly type: 'module' | 'commonjs';
  /**
   * The driver's own behaviour, not the codemod's: when the server dropped the connection while the environment
   * was frozen, the first query after the thaw can run on the dropped connection and fail with this error; the
   * driver then replaces the connection, and the invocations after it succeed.
   */
  readonly firstQueryAfterFrozenDrop?: { readonly error: RegExp; readonly why: string };
  /** A non-async handler that answers through `callback`: Lambda waits for an empty event loop unless told not to. */
  readonly callbackHandler?: boolean;
}

const drivers: readonly Driver[] = [
  {
    name: 'pg Client',
    server: 'postgres',
    fixture: 'pg-client.mjs',
    type: 'module',
  },
  {
    name: 'pg Pool',
    server: 'postgres',
    fixture: 'pg-pool.cjs',
    type: 'commonjs',
  },
  {
    name: 'mysql2',
    server: 'mariadb',
    fixture: 'mysql2-connection.js',
    type: 'commonjs',
  },
  {
    name: 'knex (mysql2)',
    server: 'mariadb',
    fixture: 'knex-mysql2.js',
    type: 'module',
    firstQueryAfterFrozenDrop: {
      // Or the operating system's word for it, when the server has already answered the write with a reset.
      error: /This socket has been ended by the other party|ECONNRESET|EPIPE/,
      why:
        "knex's pool checks a mysql2 connection with flags mysql2 sets when the socket closes, which is after it " +
        'ends; a connection whose socket has just ended passes, the query fails, and knex discards the connection.',
    },
  },
  {
    name: 'postgres.js',
    server: 'postgres',
    fixture: 'postgres-js.mjs',
    type: 'module',
    firstQueryAfterFrozenDrop: {
      // Or the operating system's word for it, when the server has already answered the write with a reset.
      error: /CONNECTION_CLOSED|ECONNRESET|EPIPE/,
      why:
        'postgres.js sends the query on the connection whose socket the server has closed and rejects it with ' +
        'CONNECTION_CLOSED rather than retrying; the next query opens a new connection.',
    },
  },
  // Shapes of real callback-style code: the connection becomes a pool of one connection.
  {
    name: 'mysql2 callback API, connect(callback) (pool of one)',
    server: 'mariadb',
    fixture: 'mysql2-callback.cjs',
    type: 'commonjs',
    callbackHandler: true,
  },
  {
    name: 'pg Client in a callback handler (pool of one)',
    server: 'postgres',
    fixture: 'pg-client-callback.cjs',
    type: 'commonjs',
    callbackHandler: true,
  },
  // An awaited setup (a secret read) and try/catch/finally around connect and end: a memoised initialiser.
  { name: 'pg Client after an awaited secret (initialiser)', server: 'postgres', fixture: 'pg-client-secret.mjs', type: 'module' },
  // A factory helper the handler calls: the memo goes around the factory's body.
  { name: 'mysql2 factory helper (memoised factory)', server: 'mariadb', fixture: 'mysql2-factory.cjs', type: 'commonjs' },
];

// Customer c (1..5) has c orders of 100·c + 7·j cents (j = 1..c); customers 6 and 7 have none.
const orders = Array.from({ length: 5 }, (_, c) =>
  Array.from({ length: c + 1 }, (_, j) => ({ customerId: c + 1, amountCents: 100 * (c + 1) + 7 * (j + 1) })),
).flat();
const values = orders.map((o) => `(${o.customerId}, ${o.amountCents})`).join(', ');
const schema: Record<Server, string[]> = {
  postgres: [
    'create table orders (id serial primary key, customer_id int not null, amount_cents int not null)',
    `insert into orders (customer_id, amount_cents) values ${values}`,
  ],
  mariadb: [
    'CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, customer_id INT NOT NULL, amount_cents INT NOT NULL)',
    `INSERT INTO orders (customer_id, amount_cents) VALUES ${values}`,
  ],
};

/** The i-th request of a run asks for customer (i mod 7) + 1. */
const event = (i: number) =>
  httpApiEvent('GET', '/customers/{customerId}/orders/summary', { customerId: String((i % 7) + 1) });
const events = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => event(from + k));

/** The response the handler must give, worked out from the seeded rows. */
function expectedResponse(request: unknown) {
  const id = Number((request as ReturnType<typeof event>).pathParameters.customerId);
  const mine = orders.filter((o) => o.customerId === id);
  return {
    statusCode: 200,
    body: { customerId: id, orders: mine.length, totalCents: mine.reduce((sum, o) => sum + o.amountCents, 0) },
  };
}

function expectCorrect(invocation: Invocation) {
  const label = `invocation ${invocation.index} in environment ${invocation.environment}`;
  expect(invocation.error, label).toBeUndefined();
  const response = invocation.result as { statusCode: number; body: string };
  expect({ ...response, body: JSON.parse(response.body) }, label).toEqual(expectedResponse(invocation.event));
}

const fixtureDir = fileURLToPath(new URL('../harness/fixtures/', import.meta.url));

function hoist(driver: Driver) {
  const path = fixtureDir + driver.fixture;
  const source = readFileSync(path, 'utf8');
  const api = { stats() {}, report() {} };
  const output = transform({ path, source }, api as never, {});
  return { path, source, output };
}

/** Deploys `source` as the function, lets `work` drive it, then kills every environment. */
async function withFunction<T>(
  driver: Driver,
  source: string,
  counter: ConnectionCounter,
  work: (fn: LambdaFunction) => Promise<T>,
  timeoutMs = 15_000,
) {
  const root = createTaskRoot({ [`index${extname(driver.fixture)}`]: source }, driver.type);
  const fn = new LambdaFunction({
    taskRoot: root.dir,
    handler: 'index.handler',
    environment: counter.handlerEnvironment,
    timeoutMs,
  });
  try {
    const measured = await counter.measure(async () => {
      try {
        return await work(fn);
      } finally {
        await fn.shutdown();
      }
    });
    return {
      ...measured,
      environments: fn.environments.length,
      crashes: fn.environments.flatMap((env) => (env.crashedWith ? [`environment ${env.id}: ${env.crashedWith}`] : [])),
    };
  } finally {
    await fn.shutdown();
    root.remove();
  }
}

interface Figures {
  driver: string;
  server: Server;
  before?: number;
  after?: number;
  /** Connections, then what went wrong if anything did. */
  dropRunning?: string;
  dropFrozen?: string;
  /** MariaDB's server-wide counter over the before and after runs (other clients of the server included). */
  serverCounter?: string;
}
const figures = new Map<string, Figures>(drivers.map((d) => [d.name, { driver: d.name, server: d.server }]));

const counters: Partial<Record<Server, ConnectionCounter>> = {};

beforeAll(async () => {
  // Both servers must answer: the proof fails rather than skips without them.
  const [postgres, mariadb] = await Promise.allSettled([postgresCounter(), mariadbCounter()]);
  if (postgres.status === 'fulfilled') counters.postgres = postgres.value;
  if (mariadb.status === 'fulfilled') counters.mariadb = mariadb.value;
  if (postgres.status === 'rejected') {
    throw new Error(`PostgreSQL at ${POSTGRES.host}:${POSTGRES.port}: ${String(postgres.reason)}`);
  }
  if (mariadb.status === 'rejected') throw new Error(`MariaDB at ${MARIADB.host}:${MARIADB.port}: ${String(mariadb.reason)}`);
  await counters.postgres!.setup(schema.postgres);
  await counters.mariadb!.setup(schema.mariadb);
});

afterAll(async () => {
  await Promise.allSettled([counters.postgres?.close(), counters.mariadb?.close()]);
  const cell = (n?: number | string) => (n === undefined ? '–' : String(n));
  console.log(
    [
      `Connections the server accepted. E = ${E} environments, M = ${M} invocations. Dropped: after the codemod, ` +
        `${2 * E} invocations, then the server ends every session, then 2 invocations per environment, with the ` +
        `environments running or frozen when it does; ${2 * E} is one reconnection per environment.`,
      '',
      '| driver | server | E | M | before | after | dropped, running | dropped, frozen |',
      '|---|---|---|---|---|---|---|---|',
      ...[...figures.values()].map(
        (f) =>
          `| ${f.driver} | ${counters[f.server]?.server ?? f.server} | ${E} | ${M} | ` +
          `${cell(f.before)} | ${cell(f.after)} | ${cell(f.dropRunning)} | ${cell(f.dropFrozen)} |`,
      ),
      '',
      'MariaDB server-wide `Connections` delta (before / after; includes any other client of the server): ' +
        [...figures.values()]
          .filter((f) => f.server === 'mariadb')
          .map((f) => `${f.driver} ${cell(f.serverCounter)}`)
          .join(', '),
    ].join('\n'),
  );
});

describe('connection counting', () => {
  it('counts exactly the connections opened to the run database, on both servers', async () => {
    const postgres = await counters.postgres!.measure(async () => {
      for (let i = 0; i < 3; i++) {
        const client = new pg.Client({ connectionString: counters.postgres!.handlerEnvironment.DATABASE_URL });
        await client.connect();
        await client.query('select 1');
        await client.end();
      }
    });
    const env = counters.mariadb!.handlerEnvironment;
    const mariadb = await counters.mariadb!.measure(async () => {
      for (let i = 0; i < 3; i++) {
        const connection = await mysql.createConnection({
          host: env.DB_HOST,
          port: Number(env.DB_PORT),
          user: env.DB_USER,
          password: env.DB_PASSWORD,
          database: env.DB_NAME,
        });
        await connection.query('SELECT 1');
        await connection.end();
      }
    });
    expect(postgres.connections).toBe(3);
    expect(mariadb.connections).toBe(3);
    // The relayed connections reached the server: its own counter saw them (and any other client's).
    expect(mariadb.serverCounter).toBeGreaterThanOrEqual(3);
  });
});

describe.each(drivers)('hoist-connection on $name', (driver) => {
  const counter = () => counters[driver.server]!;

  it(`turns connections per invocation (≥ ${M}) into one per environment (${E}), with the same responses`, async () => {
    const { path, source, output } = hoist(driver);
    const findings = (text: string) => lintFindings({ text, filePath: path, rules: ['no-connection-in-handler'] }).findings;
    expect(findings(source).length).toBeGreaterThan(0);
    expect(output).toBeTypeOf('string');
    expect(output).not.toBe(source);
    expect(findings(output!)).toEqual([]);

    const before = await withFunction(driver, source, counter(), (fn) => fn.invokeAll(events(0, M), E));
    const after = await withFunction(driver, output!, counter(), (fn) => fn.invokeAll(events(0, M), E));
    const row = figures.get(driver.name)!;
    row.before = before.connections;
    row.after = after.connections;
    if (driver.server === 'mariadb') row.serverCounter = `${before.serverCounter} / ${after.serverCounter}`;

    before.value.forEach(expectCorrect);
    after.value.forEach(expectCorrect);
    expect(after.value.map((i) => i.result)).toEqual(before.value.map((i) => i.result));
    // E environments served the invocations in both runs, and none crashed.
    expect([...before.crashes, ...after.crashes]).toEqual([]);
    expect([before.environments, after.environments]).toEqual([E, E]);
    expect(new Set(after.value.map((i) => i.environment)).size).toBe(E);

    expect(before.connections).toBeGreaterThanOrEqual(M);
    expect(after.connections).toBe(E);
  });

  /**
   * After the codemod: 2E invocations warm the E environments, the server ends every session, then each environment
   * gets two more invocations. `running`: the environments see their sockets close before the next request.
   * `frozen`: Lambda has them frozen while the server ends the sessions, and each thaws with the next request
   * already waiting beside the closed socket.
   */
  async function dropBetweenInvocations(drop: Drop) {
    const { output } = hoist(driver);
    const run = await withFunction(driver, output!, counter(), async (fn) => {
      const warm = await fn.invokeAll(events(0, 2 * E), E);
      if (drop === 'frozen') fn.freeze();
      const killed = await counter().terminateAll();
      // The next request comes well after the drop (an idle timeout, a failover): give the environments' event loops
      // time to read the closed sockets, then make sure each has run.
      if (drop === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 250));
        await fn.ping();
      }
      const next = await fn.invokeEach(Array.from({ length: E }, (_, k) => events(2 * E + 2 * k, 2 * E + 2 * k + 2)));
      const held = await counter().open();
      return { warm, killed, next, held };
    });
    const failed = run.value.next.flat().filter((i) => i.error).length;
    const notes = [
      run.crashes.length && `${run.crashes.length} environments crashed`,
      failed && `${failed} invocations failed`,
      run.value.held !== E && `${run.value.held} connections held open`,
    ].filter(Boolean);
    figures.get(driver.name)![drop === 'running' ? 'dropRunning' : 'dropFrozen'] =
      `${run.connections}${notes.length ? ` (${notes.join(', ')})` : ''}`;

    expect(run.value.killed).toBe(E);
    run.value.warm.forEach(expectCorrect);
    for (const [first, ...later] of run.value.next) {
      const allowed = drop === 'frozen' ? driver.firstQueryAfterFrozenDrop : undefined;
      if (allowed && first?.error) expect(first.error.errorMessage).toMatch(allowed.error);
      else expectCorrect(first!);
      later.forEach(expectCorrect);
    }
    // No environment crashed or was replaced.
    expect(run.crashes).toEqual([]);
    expect(run.environments).toBe(E);
    // Each environment reconnected exactly once and holds one connection again.
    expect(run.value.held).toBe(E);
    expect(run.connections).toBe(2 * E);
  }

  for (const drop of ['running', 'frozen'] as const) {
    const title =
      drop === 'running'
        ? 'reconnects once per environment when the server ends the sessions between invocations'
        : 'reconnects once per environment when the server ends the sessions while the environments are frozen';
    it(title, () => dropBetweenInvocations(drop));
  }
});

/**
 * Lambda answers a callback handler only once its event loop is empty (the emulation does the same), and a shared
 * pool keeps its connection open: without `context.callbackWaitsForEmptyEventLoop = false` every invocation of the
 * transformed handler would wait until the function times out. The codemod sets it; this shows what it prevents.
 */
describe.each(drivers.filter((d) => d.callbackHandler))('the callbackWaitsForEmptyEventLoop line, $name', (driver) => {
  it('is what lets the transformed callback handler answer: without it the invocation times out', async () => {
    const { output } = hoist(driver);
    const flag = /^[ \t]*context\.callbackWaitsForEmptyEventLoop = false;\r?\n/m;
    expect(output).toMatch(flag);
    const withoutFlag = output!.replace(flag, '');
    const counter = counters[driver.server]!;
    const run = await withFunction(driver, withoutFlag, counter, (fn) => fn.invokeAll(events(0, 1), 1), 3_000);
    expect(run.value[0]!.error?.errorType).toBe('Sandbox.Timedout');
    const answered = await withFunction(driver, output!, counter, (fn) => fn.invokeAll(events(0, 2), 1), 3_000);
    answered.value.forEach(expectCorrect);
  });
});
