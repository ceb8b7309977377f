/**
 * Counts the connections a database server accepts from the handlers of one run. Each counter creates a database
 * for the run (dropped by `close()`), and only connections to it are counted:
 *
 * - PostgreSQL: `pg_stat_database.sessions` of the run's database, the server's own count of the sessions it
 *   accepted there; clients of other databases do not change it. A backend adds its session to the shared
 *   statistics when it flushes them, at the latest when it exits, and it flushes before it leaves
 *   `pg_stat_activity` (the statistics shutdown hook runs before the backend-status one). So once no backend of the
 *   database is left, the counter is final: the reading waits (bounded) for that, then reads it twice to be sure.
 * - MariaDB: the server's only connection counter, `SHOW GLOBAL STATUS LIKE 'Connections'`, is server-wide, so any
 *   other client of the shared server would be counted with the run. The handlers therefore reach the server through
 *   a loopback TCP relay that forwards each connection unchanged to 127.0.0.1:3306 and counts the forwarded
 *   connections the server accepted. `measure` reports that count as `connections`, and the global counter's delta
 *   (read over one measuring connection opened beforehand, so counting none of its own) as `serverCounter`: at
 *   least `connections`, and equal to it when no other client connected meanwhile.
 *
 * Setup and measuring connections never count: PostgreSQL's use the `postgres` database, and the setup connections
 * to the run's database are closed and settled before the first reading.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import mysql from 'mysql2/promise';
import pg from 'pg';

const SETTLE_TIMEOUT_MS = 15_000;
const POLL_MS = 25;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, check: () => Promise<boolean>, timeoutMs = SETTLE_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}`);
    await sleep(POLL_MS);
  }
}

function runName(): string {
  return `lambda_proof_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export interface Measured<T> {
  readonly value: T;
  /** Connections the server accepted from the run's clients while the work ran. */
  readonly connections: number;
  /** MariaDB only: the server-wide counter's delta over the same time (other clients included). */
  readonly serverCounter?: number;
}

export interface ConnectionCounter {
  /** The server product and version, e.g. `PostgreSQL 15.20`. */
  readonly server: string;
  /** The run's database. */
  readonly database: string;
  /** Environment variables a handler needs to reach the run's database. */
  readonly handlerEnvironment: Record<string, string>;
  /** Runs statements in the run's database over a short-lived connection. */
  setup(statements: readonly string[]): Promise<void>;
  /** Counts the connections accepted while `work` runs. `work` must leave no connection open. */
  measure<T>(work: () => Promise<T>): Promise<Measured<T>>;
  /** How many server sessions are open on the run's database now. */
  open(): Promise<number>;
  /** Ends every server session on the run's database and waits until they are gone. Returns how many. */
  terminateAll(): Promise<number>;
  /** Drops the run's database and closes the measuring connection (and the relay). */
  close(): Promise<void>;
}

export const POSTGRES = { host: '127.0.0.1', port: 5432, user: 'postgres' } as const;
export const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', password: '' } as const;

export async function postgresCounter(): Promise<ConnectionCounter> {
  const database = runName();
  const admin = new pg.Client({ ...POSTGRES, database: 'postgres', connectionTimeoutMillis: 5_000 });
  admin.on('error', () => {}); // A lost connection fails the next query instead of crashing the run.
  await admin.connect();
  const backends = async () =>
    Number(
      (
        await admin.query<{ n: string }>(
          'select count(*) as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
          [database],
        )
      ).rows[0]?.n,
    );
  const sessions = async () => {
    await admin.query('select pg_stat_clear_snapshot()');
    const { rows } = await admin.query<{ sessions: string | null }>(
      'select (select sessions from pg_stat_database where datname = $1) as sessions',
      [database],
    );
    return Number(rows[0]?.sessions ?? 0);
  };
  /** The sessions counter once no backend of the database is left, and two readings in a row agree. */
  const settled = async () => {
    let last = -1;
    let value = -2;
    await until(`no session on ${database} is left`, async () => {
      last = value;
      value = (await backends()) === 0 ? await sessions() : -2;
      return value >= 0 && value === last;
    });
    return value;
  };
  let version: string;
  try {
    version = (await admin.query<{ server_version: string }>('show server_version')).rows[0]!.server_version;
    await admin.query(`create database ${database}`);
  } catch (error) {
    await admin.end();
    throw error;
  }
  return {
    server: `PostgreSQL ${version.split(' ')[0]}`,
    database,
    handlerEnvironment: {
      DATABASE_URL: `postgres://${POSTGRES.user}@${POSTGRES.host}:${POSTGRES.port}/${database}`,
    },
    async setup(statements) {
      const client = new pg.Client({ ...POSTGRES, database, connectionTimeoutMillis: 5_000 });
      await client.connect();
      try {
        for (const statement of statements) await client.query(statement);
      } finally {
        await client.end();
      }
    },
    async measure(work) {
      const before = await settled();
      const value = await work();
      return { value, connections: (await settled()) - before };
    },
    open: backends,
    async terminateAll() {
      // The fence (a materialised CTE) makes sure only this database's sessions reach pg_terminate_backend: in a
      // plain `where datname = $1 and pg_terminate_backend(pid)` the planner may call it for every backend of the
      // server before filtering on the database.
      const { rows } = await admin.query<{ pid: number }>(
        `with mine as materialized (
           select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()
         )
         select pid from mine where pg_terminate_backend(pid)`,
        [database],
      );
      await until(`the terminated sessions on ${database} are gone`, async () => (await backends()) === 0);
      return rows.length;
    },
    async close() {
      await admin.end().catch(() => {});
      // A new connection, in case the measuring one was lost.
      const client = new pg.Client({ ...POSTGRES, database: 'postgres', connectionTimeoutMillis: 5_000 });
      await client.connect();
      try {
        await client.query(`drop database if exists ${database} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Forwards loopback TCP connections to `target`, counting those the target accepted. */
class CountingRelay {
  /** Forwarded connections whose connection to the target was established. */
  accepted = 0;
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();

  constructor(target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      const upstream = net.connect({ host: target.host, port: target.port });
      upstream.once('connect', () => this.accepted++);
      for (const [socket, other] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        this.sockets.add(socket);
        socket.setNoDelay(true);
        // `pipe` passes each side's end of stream on to the other; an error or a reset ends both.
        socket.pipe(other);
        socket.on('error', () => other.destroy());
        socket.once('close', () => {
          this.sockets.delete(socket);
          other.destroy();
        });
      }
    });
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve((this.server.address() as net.AddressInfo).port));
    });
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export async function mariadbCounter(): Promise<ConnectionCounter> {
  const database = runName();
  const admin = await mysql.createConnection({ ...MARIADB, connectTimeout: 5_000 });
  admin.on('error', () => {}); // A lost connection fails the next query instead of crashing the run.
  const relay = new CountingRelay(MARIADB);
  const threads = async () => {
    const [rows] = await admin.query<mysql.RowDataPacket[]>(
      'SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()',
      [database],
    );
    return Number(rows[0]?.n);
  };
  const serverCounter = async () => {
    const [rows] = await admin.query<mysql.RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Connections'");
    return Number(rows[0]?.Value);
  };
  let port: number;
  let version: string;
  try {
    const [rows] = await admin.query<mysql.RowDataPacket[]>('SELECT VERSION() AS version');
    version = String(rows[0]?.version);
    await admin.query(`CREATE DATABASE ${database}`);
    port = await relay.listen();
  } catch (error) {
    await admin.end();
    await relay.close();
    throw error;
  }
  return {
    server: `${version.includes('MariaDB') ? 'MariaDB' : 'MySQL'} ${version.split('-')[0]}`,
    database,
    handlerEnvironment: {
      DB_HOST: '127.0.0.1',
      DB_PORT: String(port),
      DB_USER: MARIADB.user,
      DB_PASSWORD: MARIADB.password,
      DB_NAME: database,
    },
    async setup(statements) {
      const connection = await mysql.createConnection({ ...MARIADB, database, connectTimeout: 5_000 });
      try {
        for (const statement of statements) await connection.query(statement);
      } finally {
        await connection.end();
      }
    },
    async measure(work) {
      const gone = `no connection to ${database} is left`;
      await until(gone, async () => (await threads()) === 0);
      const [relayed, server] = [relay.accepted, await serverCounter()];
      const value = await work();
      await until(gone, async () => (await threads()) === 0);
      return { value, connections: relay.accepted - relayed, serverCounter: (await serverCounter()) - server };
    },
    open: threads,
    async terminateAll() {
      const [rows] = await admin.query<mysql.RowDataPacket[]>(
        'SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()',
        [database],
      );
      for (const { id } of rows) await admin.query(`KILL CONNECTION ${Number(id)}`);
      await until(`the killed connections to ${database} are gone`, async () => (await threads()) === 0);
      return rows.length;
    },
    async close() {
      await relay.close();
      await admin.end().catch(() => {});
      // A new connection, in case the measuring one was lost.
      const connection = await mysql.createConnection({ ...MARIADB, connectTimeout: 5_000 });
      try {
        await connection.query(`DROP DATABASE IF EXISTS ${database}`);
      } finally {
        await connection.end();
      }
    },
  };
}
