/**
 * Proof on a real MariaDB server that `iam-auth` wires a fresh token for each new connection of mysql2, of
 * serverless-mysql and of the mysql package (moved to mysql2), through mysql2's `mysql_clear_password` plugin, and
 * that this is what keeps a Lambda function working when tokens expire. The PostgreSQL counterpart is
 * `iam-auth.proof.test.ts`; this file follows it.
 *
 * Setup: a throwaway MariaDB server (`test/harness/mariadb-server.ts`): its own port and socket, no session without
 * TLS (`require_secure_transport`, which MariaDB checks after the authentication plugin: see the first test), a
 * certificate the clients verify against a certificate authority made for the run (handlers trust it through
 * `NODE_EXTRA_CA_CERTS`, so the `ssl: { rejectUnauthorized: true }` the codemod writes is exercised as written), and
 * users identified via PAM with `pam_use_cleartext_plugin`: the server asks the client for `mysql_clear_password`,
 * as RDS does for IAM logins, and a PAM service of the run accepts exactly the user's current token. AWS is not
 * reachable, so `@aws-sdk/rds-signer` is replaced by the stand-in of the PostgreSQL proof
 * (`test/harness/signer-stand-in.ts`), whose token is accepted only when the signer was built for the host, port and
 * user the driver connects with. It is the only fake: the handlers are the codemod's real output, run in the Lambda
 * emulation (`test/harness/lambda.ts`) with the installed drivers.
 *
 * For a mysql2 pool handler, a serverless-mysql handler and a `mysql` pool handler with the callback API, as users
 * write them (password from the environment):
 * - After the codemod, E environments serve invocations, the server ends every session of the user (as a failover
 *   or an idle timeout would), the token rotates, and the next invocations open new connections: all of them
 *   succeed, each environment logging in once more, over TLS, with a token fetched after the rotation.
 * - The same handler with the token fetched once when the environment starts (the pattern `no-static-iam-token`
 *   reports, with `enableCleartextPlugin: true` and `password: token`, mysql2's way of sending a fixed password in
 *   clear text): every invocation after the rotation fails to log in.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import jscodeshift from 'jscodeshift';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import transform from '../../src/codemods/iam-auth/transform.js';
import { lintFindings as lint } from '../../src/codemods/shared/lint.js';
import { httpApiEvent } from '../harness/events.js';
import { LambdaFunction, type Invocation } from '../harness/lambda.js';
import { startMariadbServer, type MariadbServer, type PamAttempt } from '../harness/mariadb-server.js';
import { createStandInTaskRoot, tokenFor, type SignerCall } from '../harness/signer-stand-in.js';

const lintFindings = (text: string, filePath: string, rules: readonly string[]) => lint({ text, filePath, rules });
/** The mysql package (no typings installed): only what the probe uses. */
const mysqlLegacy = createRequire(import.meta.url)('mysql') as {
  createConnection(options: object): {
    connect(callback: (error: (Error & { code?: string }) | null) => void): void;
    destroy(): void;
  };
};

/** Execution environments. */
const E = 2;
/** Invocations before and after the rotation. */
const BEFORE = 2 * E;
const AFTER = 3 * E;
/** The lifetime the stand-in writes into its tokens (nothing here renews by it). */
const LIFETIME = 900;
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

let server: MariadbServer;
let admin: mysql.Connection;

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await sleep(POLL_MS);
  }
}

async function sessionsOf(user: string): Promise<number[]> {
  const [rows] = await admin.query<mysql.RowDataPacket[]>('SELECT id FROM information_schema.processlist WHERE user = ?', [user]);
  return rows.map((row) => Number(row.id));
}

/** A user the PAM service checks, allowed to read the orders (TLS required for it too). */
async function createPamUser(user: string): Promise<void> {
  await admin.query(`CREATE USER ${user}@'%' IDENTIFIED VIA pam USING ? REQUIRE SSL`, [server.pamService]);
  await admin.query(`GRANT SELECT ON ${DATABASE}.orders TO ${user}@'%'`);
}

beforeAll(async () => {
  server = await startMariadbServer();
  admin = await mysql.createConnection({ socketPath: server.socketPath, user: 'root' });
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.query(
    `CREATE TABLE ${DATABASE}.orders (id INT AUTO_INCREMENT PRIMARY KEY, customer_id INT NOT NULL, amount_cents INT NOT NULL)`,
  );
  await admin.query(`INSERT INTO ${DATABASE}.orders (customer_id, amount_cents) VALUES ?`, [
    orders.map((o) => [o.customerId, o.amountCents]),
  ]);
}, 120_000);

interface Figures {
  handler: string;
  variant: string;
  before: string;
  after: string;
  loginsAfter: number;
  refusedAfter: number;
  tokensAfter: number;
}
const figures: Figures[] = [];

afterAll(async () => {
  await admin?.end().catch(() => {});
  server?.stop();
  if (figures.length === 0) return;
  console.log(
    [
      `${server?.version ?? 'MariaDB'} (${server?.pamPlugin ?? 'pam'}, pam_use_cleartext_plugin), TLS required and verified; ` +
        `${E} environments; ${BEFORE} invocations, then the server ends the user's sessions and the token rotates, ` +
        `then ${AFTER} invocations.`,
      '',
      '| handler | token | succeeded before | succeeded after | new TLS logins after | refused logins after | tokens fetched after |',
      '|---|---|---|---|---|---|---|',
      ...figures.map(
        (f) =>
          `| ${f.handler} | ${f.variant} | ${f.before} | ${f.after} | ${f.loginsAfter} | ${f.refusedAfter} | ${f.tokensAfter} |`,
      ),
    ].join('\n'),
  );
});

describe('the throwaway server', () => {
  it('asks PAM users for mysql_clear_password, over verified TLS only, and accepts only the current token', async () => {
    const user = 'app_probe';
    await createPamUser(user);
    server.setToken(user, 'probe-token-1');
    const base = { host: server.host, port: server.port, user, database: DATABASE, connectTimeout: 10_000 };
    const tls = { ca: server.ca, rejectUnauthorized: true };
    /** Plugins the server asked for, per attempt. */
    const asked: string[] = [];
    const recording = (password: string) => ({
      mysql_clear_password: () => () => {
        asked.push('mysql_clear_password');
        return Buffer.from(`${password}\0`);
      },
    });
    const attempt = async (options: mysql.ConnectionOptions) => {
      try {
        const connection = await mysql.createConnection({ ...base, ...options });
        const [[row]] = await connection.query<mysql.RowDataPacket[]>(
          "SELECT CURRENT_USER() AS user, VARIABLE_VALUE AS tls FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'Ssl_version'",
        );
        await connection.end();
        return `connected as ${row!.user} over ${row!.tls}`;
      } catch (error) {
        return `${(error as { code?: string }).code}: ${(error as Error).message}`;
      }
    };
    const legacy = () =>
      new Promise<string>((resolve) => {
        const connection = mysqlLegacy.createConnection({ ...base, password: 'probe-token-1', ssl: tls });
        connection.connect((error) => {
          connection.destroy();
          resolve(error ? `${error.code}: ${error.message}` : 'connected');
        });
      });
    const checks = () => server.attempts().filter((a) => a.user === user);

    // The user is a PAM user, and the server hands PAM the password through the cleartext plugin.
    const [[account]] = await admin.query<mysql.RowDataPacket[]>(
      'SELECT plugin, authentication_string AS service FROM mysql.user WHERE user = ?',
      [user],
    );
    expect(account).toEqual({ plugin: 'pam', service: server.pamService });
    const [[variable]] = await admin.query<mysql.RowDataPacket[]>('SELECT @@pam_use_cleartext_plugin AS on_');
    expect(variable!.on_).toBe(1);

    // No session without TLS. MariaDB checks the transport after the authentication plugin: PAM sees the right
    // token (sent in clear text, as mysql2's enableCleartextPlugin allows without TLS), then the server refuses.
    expect(await attempt({ password: 'probe-token-1', enableCleartextPlugin: true })).toMatch(/^ER_ACCESS_DENIED_ERROR: Access denied/);
    expect(checks()).toEqual([{ user, accepted: true }]);
    // A certificate the client cannot verify ends the attempt before any password is sent.
    expect(await attempt({ password: 'probe-token-1', enableCleartextPlugin: true, ssl: { rejectUnauthorized: true } })).toMatch(
      /self[- ]signed|unable to (?:get|verify)/i,
    );
    // The server asks for mysql_clear_password: mysql2 refuses it unless enabled; the mysql package cannot switch
    // authentication plugins at all, and the server turns it away.
    expect(await attempt({ password: 'probe-token-1', ssl: tls })).toMatch(
      /^MYSQL_CLEAR_PASSWORD_NOT_ENABLED: Server requested authentication using mysql_clear_password/,
    );
    expect(await legacy()).toMatch(/^ER_NOT_SUPPORTED_AUTH_MODE: .*Client does not support authentication protocol requested by server/);
    // A plugin of one's own is asked once per login; PAM accepts the current token and nothing else.
    expect(await attempt({ authPlugins: recording('probe-token-0'), ssl: tls })).toMatch(/Access denied for user 'app_probe'/);
    expect(await attempt({ authPlugins: recording('probe-token-1'), ssl: tls })).toMatch(
      /^connected as app_probe@% over TLSv1\.[23]$/,
    );
    server.setToken(user, 'probe-token-2');
    expect(await attempt({ authPlugins: recording('probe-token-1'), ssl: tls })).toMatch(/Access denied for user 'app_probe'/);
    expect(asked).toEqual(['mysql_clear_password', 'mysql_clear_password', 'mysql_clear_password']);
    expect(checks()).toEqual<PamAttempt[]>([
      { user, accepted: true },
      { user, accepted: false },
      { user, accepted: true },
      { user, accepted: false },
    ]);
  });
});

interface Run {
  readonly warm: Invocation[];
  readonly after: Invocation[];
  readonly environments: number;
  readonly crashes: string[];
  readonly calls: SignerCall[];
  readonly rotatedAt: number;
  /** The PAM service's checks of the user's logins, before and after the rotation. */
  readonly loginsBefore: PamAttempt[];
  readonly loginsAfter: PamAttempt[];
}

/** Deploys `source` with its own user, runs invocations, ends the user's sessions, rotates the token, runs more. */
async function run(source: string, user: string, handler: (typeof handlers)[number]): Promise<Run> {
  const secret = () => randomBytes(24).toString('base64url');
  const token = (s: string) => tokenFor(server.host, server.port, user, LIFETIME, s);
  const first = secret();
  await createPamUser(user);
  server.setToken(user, token(first));
  const root = createStandInTaskRoot(
    { [handler.file]: source },
    { type: handler.type, packages: handler.packages, lifetimeSeconds: LIFETIME },
  );
  root.setSecret(first);
  const fn = new LambdaFunction({
    taskRoot: root.dir,
    handler: 'index.handler',
    timeoutMs: 15_000,
    environment: {
      ...root.environment,
      DB_HOST: server.host,
      DB_PORT: String(server.port),
      DB_USER: user,
      DB_NAME: DATABASE,
      NODE_EXTRA_CA_CERTS: server.caFile,
    },
  });
  const mine = (attempts: PamAttempt[]) => attempts.filter((a) => a.user === user);
  try {
    const warm = await fn.invokeAll(events(0, BEFORE), E);
    // The server ends every session of the user; the invocations after the rotation must open new connections.
    // The environments then handle the closed sockets before the next requests arrive.
    for (const id of await sessionsOf(user)) await admin.query(`KILL CONNECTION ${id}`).catch(() => {});
    await until(`no session of ${user} is left`, async () => (await sessionsOf(user)).length === 0);
    await fn.ping();
    const loginsBefore = mine(server.attempts());
    const next = secret();
    server.setToken(user, token(next));
    root.setSecret(next);
    const rotatedAt = Date.now();
    const from = server.attempts().length;
    const after = await fn.invokeAll(events(BEFORE, BEFORE + AFTER), E);
    return {
      warm,
      after,
      environments: fn.environments.length,
      crashes: fn.environments.flatMap((env) => (env.crashedWith ? [`environment ${env.id}: ${env.crashedWith}`] : [])),
      calls: root.calls(),
      rotatedAt,
      loginsBefore,
      loginsAfter: mine(server.attempts().slice(from)),
    };
  } finally {
    await fn.shutdown();
    root.remove();
  }
}

const handlers = [
  {
    name: 'mysql2 pool',
    fixture: 'mysql2-pool.mjs',
    once: 'mysql2-pool-token-once.mjs',
    file: 'index.mjs',
    type: 'module',
    packages: ['mysql2'],
    user: 'app_mysql2',
    /** What the codemod must have changed besides the token wiring and TLS. */
    moved: [],
  },
  {
    name: 'serverless-mysql',
    fixture: 'serverless-mysql.mjs',
    once: 'serverless-mysql-token-once.mjs',
    file: 'index.mjs',
    type: 'module',
    packages: ['serverless-mysql', 'mysql2'],
    user: 'app_serverless',
    moved: ["import mysql2 from 'mysql2';", 'library: mysql2,'],
  },
  {
    name: 'mysql pool (callbacks)',
    fixture: 'mysql-pool.js',
    once: 'mysql-pool-token-once.js',
    file: 'index.js',
    type: 'commonjs',
    packages: ['mysql2'],
    user: 'app_mysql',
    moved: ["const mysql = require('mysql2');", 'decimalNumbers: true,', 'jsonStrings: true,'],
  },
] as const;

describe.each(handlers)('iam-auth on a $name handler', (handler) => {
  it('keeps logging in after the token rotates; the same handler with a token fetched once fails after it', async () => {
    const path = fixtures + handler.fixture;
    const source = read(handler.fixture);
    const output = transform({ path, source }, { jscodeshift, j: jscodeshift, stats() {}, report() {} } as never, {});
    expect(output).toBeTypeOf('string');
    const rules = ['no-hardcoded-credentials', 'no-static-iam-token', 'require-tls'];
    expect(lintFindings(output!, path, rules).findings).toEqual([]);
    // The codemod's token wiring, TLS and moves, and no password left.
    expect(output).toContain('mysql_clear_password: () => async () => Buffer.from(`${await signer.getAuthToken()}\\0`),');
    expect(output).toContain('ssl: { rejectUnauthorized: true },');
    expect(output).toMatch(/^import \{ Signer \} from '@aws-sdk\/rds-signer';$|^const \{ Signer \} = require\('@aws-sdk\/rds-signer'\);$/m);
    for (const text of handler.moved) expect(output).toContain(text);
    expect(output).not.toMatch(/\bpassword:|require\('mysql'\)|from 'mysql'/);
    const once = read(handler.once);
    // The fetched-once variant is the pattern `no-static-iam-token` reports.
    expect(lintFindings(once, fixtures + handler.once, ['no-static-iam-token']).findings.map((f) => f.messageId)).toEqual([
      'tokenInLongLivedPool',
    ]);

    const [fresh, fixed] = await Promise.all([run(output!, handler.user, handler), run(once, `${handler.user}_once`, handler)]);
    const succeeded = (list: Invocation[]) => `${list.filter((i) => !i.error).length}/${list.length}`;
    const accepted = (list: PamAttempt[]) => list.filter((a) => a.accepted).length;
    const refused = (list: PamAttempt[]) => list.filter((a) => !a.accepted).length;
    for (const [variant, r] of [['fresh per connection (codemod)', fresh], ['fetched once', fixed]] as const) {
      figures.push({
        handler: handler.name,
        variant,
        before: succeeded(r.warm),
        after: succeeded(r.after),
        loginsAfter: accepted(r.loginsAfter),
        refusedAfter: refused(r.loginsAfter),
        tokensAfter: r.calls.filter((c) => c.at >= r.rotatedAt).length,
      });
    }

    // After the codemod: every invocation succeeds, before and after the rotation, in the same E environments.
    fresh.warm.forEach(expectCorrect);
    fresh.after.forEach(expectCorrect);
    expect(fresh.crashes).toEqual([]);
    expect(fresh.environments).toBe(E);
    // One login per environment before, and one more per environment after the rotation, each with a token fetched
    // for it (the plugin runs when a connection authenticates), none refused. Each of these logins gave the session
    // an invocation then used, and the server gives no session without TLS: all of them were over TLS.
    expect([accepted(fresh.loginsBefore), refused(fresh.loginsBefore)]).toEqual([E, 0]);
    expect([accepted(fresh.loginsAfter), refused(fresh.loginsAfter)]).toEqual([E, 0]);
    const tokensAfter = fresh.calls.filter((c) => c.at >= fresh.rotatedAt);
    expect([fresh.calls.length - tokensAfter.length, tokensAfter.length]).toEqual([E, E]);
    expect(new Set(tokensAfter.map((c) => c.pid)).size).toBe(E);
    // The signer was built from the config's own host, port and user (the stand-in's token depends on them).
    for (const call of fresh.calls) {
      expect(call).toMatchObject({ hostname: server.host, port: server.port, username: handler.user, region: 'us-east-1' });
    }

    // Fetched once: the environments work until the rotation, then every login is refused.
    fixed.warm.forEach(expectCorrect);
    expect(fixed.after.length).toBe(AFTER);
    for (const invocation of fixed.after) {
      expect(invocation.error?.errorMessage).toMatch(new RegExp(`Access denied for user '${handler.user}_once'`));
    }
    expect(fixed.crashes).toEqual([]);
    expect(fixed.environments).toBe(E);
    expect([accepted(fixed.loginsBefore), refused(fixed.loginsBefore)]).toEqual([E, 0]);
    expect([accepted(fixed.loginsAfter), refused(fixed.loginsAfter)]).toEqual([0, AFTER]);
    expect(fixed.calls.length).toBe(E);
    expect(fixed.calls.every((c) => c.at < fixed.rotatedAt)).toBe(true);
  }, 120_000);
});
