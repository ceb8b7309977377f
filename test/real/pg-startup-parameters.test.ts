/**
 * What the drivers really send, checked against the PostgreSQL 15 server at 127.0.0.1:5432 (user `postgres`, trust
 * authentication, database `test`). The tests fail when the server cannot be reached.
 *
 * `lambda-rds/no-proxy-incompatible-options` reports settings because the drivers put them in the startup message,
 * which RDS Proxy does not accept for these parameters. The proxy itself cannot be reached from here, so what is
 * checked is the driver side: PostgreSQL reports where a session's setting came from in `pg_settings.source`, and
 * `client` means "set by the client in its startup message" (a `SET` would read `session`, a role default `user`).
 *
 * It also checks what the rules recommend instead: role defaults (`ALTER ROLE ... SET`) reach every session without a
 * startup parameter; pg's `query_timeout` is a client-side limit that leaves the statement running on the server;
 * and knex needs `pool.min` lowered with `pool.max` (the `max-pool-size` suggestion does both).
 */
import { randomBytes } from 'node:crypto';
import knex from 'knex';
import pg from 'pg';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SERVER = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' } as const;
const URL = `postgres://${SERVER.user}@${SERVER.host}:${SERVER.port}/${SERVER.database}`;

interface Setting {
  setting: string;
  source: string;
}

const SETTING_SQL = 'SELECT setting, source FROM pg_settings WHERE name = $1';

/** A setting of a fresh pg client's session, and where it came from. */
async function pgSetting(config: pg.ClientConfig, name: string): Promise<Setting> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    const { rows } = await client.query<Setting>(SETTING_SQL, [name]);
    return rows[0]!;
  } finally {
    await client.end();
  }
}

describe('node-postgres puts these options in the startup message', () => {
  it.each([
    ['statement_timeout', 1234, '1234'],
    ['lock_timeout', 2345, '2345'],
    ['idle_in_transaction_session_timeout', 3456, '3456'],
  ] as const)('`%s` reaches the session as a client (startup) setting', async (name, value, expected) => {
    expect(await pgSetting({ ...SERVER, [name]: value }, name)).toEqual({ setting: expected, source: 'client' });
  });

  it('`options: "-c search_path=..."` sets the search path from the startup message', async () => {
    expect(await pgSetting({ ...SERVER, options: '-c search_path=lambda_rds_app' }, 'search_path')).toEqual({
      setting: 'lambda_rds_app',
      source: 'client',
    });
  });

  it('connection-string parameters are sent the same way', async () => {
    const connectionString = `${URL}?options=-c%20search_path%3Dlambda_rds_uri&statement_timeout=4567`;
    expect(await pgSetting({ connectionString }, 'search_path')).toEqual({ setting: 'lambda_rds_uri', source: 'client' });
    expect(await pgSetting({ connectionString }, 'statement_timeout')).toEqual({ setting: '4567', source: 'client' });
  });

  it('a falsy value (`0`, `undefined`) is not sent at all', async () => {
    expect((await pgSetting({ ...SERVER, statement_timeout: 0 }, 'statement_timeout')).source).toBe('default');
    expect((await pgSetting({ ...SERVER, lock_timeout: undefined }, 'lock_timeout')).source).toBe('default');
  });

  it('a pg `Pool` passes them on to every client it opens', async () => {
    const pool = new pg.Pool({ ...SERVER, max: 1, statement_timeout: 5678 });
    try {
      const { rows } = await pool.query<Setting>(SETTING_SQL, ['statement_timeout']);
      expect(rows[0]).toEqual({ setting: '5678', source: 'client' });
    } finally {
      await pool.end();
    }
  });

  it('knex hands `connection` to pg unchanged, so `connection.statement_timeout` is a startup parameter too', async () => {
    const db = knex({ client: 'pg', connection: { ...SERVER, statement_timeout: 6789 }, pool: { min: 0, max: 1 } });
    try {
      const { rows } = await db.raw<{ rows: Setting[] }>(SETTING_SQL.replace('$1', '?'), ['statement_timeout']);
      expect(rows[0]).toEqual({ setting: '6789', source: 'client' });
    } finally {
      await db.destroy();
    }
  });
});

describe('postgres.js puts `connection` entries and unknown URL parameters in the startup message', () => {
  async function postgresJsSetting(sql: postgres.Sql, name: string): Promise<Setting> {
    try {
      const rows = await sql<Setting[]>`SELECT setting, source FROM pg_settings WHERE name = ${name}`;
      return { setting: rows[0]!.setting, source: rows[0]!.source };
    } finally {
      await sql.end();
    }
  }

  it('`connection: { statement_timeout }`', async () => {
    const sql = postgres({ ...SERVER, max: 1, connection: { statement_timeout: 1111 } });
    expect(await postgresJsSetting(sql, 'statement_timeout')).toEqual({ setting: '1111', source: 'client' });
  });

  it('`?idle_in_transaction_session_timeout=` in the URL', async () => {
    const sql = postgres(`${URL}?idle_in_transaction_session_timeout=2222`, { max: 1 });
    expect(await postgresJsSetting(sql, 'idle_in_transaction_session_timeout')).toEqual({ setting: '2222', source: 'client' });
  });

  it('`connection: { search_path }` (a startup parameter RDS Proxy lists as supported) works the same way', async () => {
    const sql = postgres({ ...SERVER, max: 1, connection: { search_path: 'lambda_rds_js' } });
    expect(await postgresJsSetting(sql, 'search_path')).toEqual({ setting: 'lambda_rds_js', source: 'client' });
  });
});

describe('the alternatives the rule recommends', () => {
  const role = `lambda_rds_role_${randomBytes(4).toString('hex')}`;
  let admin: pg.Client;

  beforeAll(async () => {
    admin = new pg.Client(SERVER);
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    await admin.query(`ALTER ROLE ${role} SET statement_timeout = '7s'`);
    await admin.query(`ALTER ROLE ${role} SET search_path = lambda_rds_role_path`);
  });

  afterAll(async () => {
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  });

  it('a role default applies to every session of the role, with no startup parameter', async () => {
    expect(await pgSetting({ ...SERVER, user: role }, 'statement_timeout')).toEqual({ setting: '7000', source: 'user' });
    expect(await pgSetting({ ...SERVER, user: role }, 'search_path')).toEqual({ setting: 'lambda_rds_role_path', source: 'user' });
  });

  it("pg's `query_timeout` fails the call on the client but leaves the statement running on the server", async () => {
    const client = new pg.Client({ ...SERVER, query_timeout: 300 });
    // Its backend is terminated below: the client reports that as an 'error' event, which must not go unheard
    // (the event can arrive before the test's next step runs).
    client.on('error', () => {});
    await client.connect();
    try {
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const pid = rows[0]!.pid;
      // No statement_timeout went to the server: query_timeout is not a startup parameter.
      const timeout = await client.query<Setting>(SETTING_SQL, ['statement_timeout']);
      expect(timeout.rows[0]!.source).toBe('default');
      await expect(client.query('SELECT pg_sleep(3)')).rejects.toThrow('Query read timeout');
      const activity = await admin.query<{ state: string; query: string }>(
        'SELECT state, query FROM pg_stat_activity WHERE pid = $1',
        [pid],
      );
      expect(activity.rows).toEqual([{ state: 'active', query: 'SELECT pg_sleep(3)' }]);
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    } finally {
      await client.end().catch(() => {});
    }
  });

  it('knex refuses `pool: { max: 1 }` alone (its `min` defaults to 2) and accepts it with `min: 0`', async () => {
    expect(() => knex({ client: 'pg', connection: SERVER, pool: { max: 1 } })).toThrow('Tarn: opt.max is smaller than opt.min');
    const db = knex({ client: 'pg', connection: SERVER, pool: { min: 0, max: 1 } });
    try {
      const { rows } = await db.raw<{ rows: Array<{ one: number }> }>('SELECT 1 AS one');
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await db.destroy();
    }
  });
});
