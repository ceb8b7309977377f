/**
 * The real-server oracle: runs one SQL text on a fresh connection to a real PostgreSQL or MariaDB server and
 * reports the session state it leaves behind once any transaction it opened has ended (RDS Proxy multiplexes
 * at transaction boundaries, so state that ends with the transaction does not matter to it).
 *
 * Session state is read from the server, before and after the statement, on the same connection:
 * - PostgreSQL: `pg_settings` (every name, value and source), custom settings named in the statement
 *   (`current_setting(name, true)`), `pg_prepared_statements`, `pg_cursors`, objects in `pg_my_temp_schema()`,
 *   `pg_listening_channels()`, advisory locks held in `pg_locks` by `pg_backend_pid()`, and sequence state
 *   (`lastval()` and a `currval()` probe of every sequence).
 * - MariaDB: session variables (`information_schema.SESSION_VARIABLES`, per-statement results excluded), user
 *   variables (`information_schema.USER_VARIABLES`), the current database, temporary tables (`SHOW CREATE TABLE`
 *   of every word in the statement), named locks (`IS_USED_LOCK` of every string in the statement), live
 *   prepared statements (session status counters), tables locked by the session (`SHOW OPEN TABLES`), the
 *   characteristics the next transaction will get, and a global read lock (a write probe).
 */
import pg from 'pg';
import mysql from 'mysql2/promise';

export const PG_CONFIG = { host: '127.0.0.1', port: 5432, user: 'postgres' } as const;
/** The role the corpus switches to. */
export const PG_ROLE = 'lambda_rds_oracle';
export const MARIADB_CONFIG = { host: '127.0.0.1', port: 3306, user: 'root', password: '' } as const;

/** How the statement is sent. `params`: with a bound parameter (unnamed prepared statement on PostgreSQL). */
export type Via = 'query' | 'params' | 'named' | 'execute';

export type Snapshot = Record<string, string>;

/** Differences between two snapshots: `key: before → after`. */
export function diff(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (before[key] !== after[key]) out.push(`${key}: ${before[key] ?? '∅'} → ${after[key] ?? '∅'}`);
  }
  return out.sort();
}

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL

const PG_SETUP = [
  'CREATE TABLE orders (id serial PRIMARY KEY, status text, n int)',
  'CREATE TABLE t (a int PRIMARY KEY, b int)',
  'CREATE SEQUENCE order_seq',
  "INSERT INTO t VALUES (1, 1), (2, 2)",
  // A table whose name is a keyword the classifier must not mistake for TEMP.
  'CREATE TABLE temp (id int)',
  // A stored function that changes session state: the proxy cannot see it (AWS), the oracle can.
  "CREATE FUNCTION public.set_app_user() RETURNS text LANGUAGE sql AS $$ SELECT set_config('app.user', 'fn', false) $$",
  // Sequence state: lastval() and currval() of every sequence, NULL where the session has none.
  `CREATE FUNCTION public.oracle_sequence_state() RETURNS text LANGUAGE plpgsql AS $$
   DECLARE r record; state text := ''; v bigint;
   BEGIN
     BEGIN v := lastval(); state := 'lastval=' || v; EXCEPTION WHEN others THEN NULL; END;
     FOR r IN SELECT c.oid::regclass AS seq FROM pg_catalog.pg_class c WHERE c.relkind = 'S' ORDER BY 1 LOOP
       BEGIN v := currval(r.seq); state := state || ' ' || r.seq::text || '=' || v; EXCEPTION WHEN others THEN NULL; END;
     END LOOP;
     RETURN state;
   END $$`,
];

export async function createPostgresDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ ...PG_CONFIG, database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    // A role to switch to (`SET ROLE`, `SET SESSION AUTHORIZATION`): roles belong to the cluster.
    await admin.query(
      `DO $$ BEGIN CREATE ROLE ${PG_ROLE} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`,
    );
  } finally {
    await admin.end();
  }
  const client = new pg.Client({ ...PG_CONFIG, database: name });
  await client.connect();
  try {
    for (const statement of PG_SETUP) await client.query(statement);
  } finally {
    await client.end();
  }
}

export async function dropPostgresDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ ...PG_CONFIG, database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${PG_ROLE}`).catch(() => undefined);
  } finally {
    await admin.end();
  }
}

const TRANSACTION_SETTINGS = new Set(['transaction_isolation', 'transaction_read_only', 'transaction_deferrable']);

/** Custom settings the setup's routines set (`set_app_user()`). */
const ROUTINE_SETTINGS = ['app.user'];

/**
 * Custom settings (`app.user`) do not appear in pg_settings: probe the `a.b` names in the statement's text and
 * those the setup's routines set.
 */
function customSettingNames(sql: string): string[] {
  const names = [...sql.matchAll(/"?([A-Za-z_][A-Za-z0-9_]*)"?\."?([A-Za-z_][A-Za-z0-9_]*)"?/g)].map((m) => `${m[1]}.${m[2]}`);
  return [...new Set([...ROUTINE_SETTINGS, ...names])].slice(0, 50);
}

async function postgresSnapshot(client: pg.Client, sql: string): Promise<Snapshot> {
  const snapshot: Snapshot = {};
  const rows = async (text: string, values?: unknown[]) => (await client.query(text, values)).rows as Array<Record<string, unknown>>;
  // First, so that the settings PL/pgSQL registers when the probe loads it are there in both snapshots.
  const [sequences] = await rows('SELECT public.oracle_sequence_state() AS state');
  if (sequences?.state) snapshot['sequence state'] = String(sequences.state);
  for (const r of await rows('SELECT name, setting, source FROM pg_catalog.pg_settings')) {
    // These describe the current transaction, not the session (whose defaults are `default_transaction_*`).
    if (TRANSACTION_SETTINGS.has(String(r.name))) continue;
    snapshot[`setting ${r.name}`] = `${r.setting} (${r.source})`;
  }
  // Hidden from pg_settings: the role and the session user.
  const [who] = await rows("SELECT current_user AS cu, session_user AS su, pg_catalog.current_setting('role') AS role");
  snapshot['current user'] = String(who?.cu);
  snapshot['session user'] = String(who?.su);
  snapshot['role'] = String(who?.role);
  for (const name of customSettingNames(sql)) {
    const [r] = await rows('SELECT pg_catalog.current_setting($1, true) AS v', [name]);
    if (r?.v !== null && r?.v !== undefined && r.v !== '') snapshot[`custom setting ${name}`] = String(r.v);
  }
  for (const r of await rows('SELECT name FROM pg_catalog.pg_prepared_statements')) {
    snapshot[`prepared statement ${r.name}`] = 'present';
  }
  for (const r of await rows('SELECT name, is_holdable FROM pg_catalog.pg_cursors')) {
    snapshot[`cursor ${r.name}`] = r.is_holdable ? 'WITH HOLD' : 'present';
  }
  for (const r of await rows(
    'SELECT relname, relkind FROM pg_catalog.pg_class WHERE relnamespace = pg_catalog.pg_my_temp_schema()',
  )) {
    snapshot[`temporary ${r.relkind} ${r.relname}`] = 'present';
  }
  for (const r of await rows('SELECT pg_catalog.pg_listening_channels() AS channel')) {
    snapshot[`listening ${r.channel}`] = 'present';
  }
  for (const r of await rows(
    "SELECT classid, objid, objsubid, mode FROM pg_catalog.pg_locks WHERE pid = pg_catalog.pg_backend_pid() AND locktype = 'advisory'",
  )) {
    snapshot[`advisory lock ${r.classid}/${r.objid}/${r.objsubid}`] = String(r.mode);
  }
  return snapshot;
}

/** Run `sql` on a fresh PostgreSQL connection; returns the session state left behind (empty: none). */
export async function runPostgres(database: string, sql: string, via: Via): Promise<string[]> {
  const client = new pg.Client({ ...PG_CONFIG, database });
  await client.connect();
  client.on('notice', () => {});
  try {
    const before = await postgresSnapshot(client, sql);
    if (via === 'named') await client.query({ name: 'oracle_named', text: sql, values: [1] });
    else if (via === 'params') await client.query(sql, [1]);
    else await client.query(sql);
    // End any transaction the statement opened (outside one, COMMIT only warns).
    await client.query('COMMIT');
    const after = await postgresSnapshot(client, sql);
    return diff(before, after);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// MariaDB

/** Session variables that hold per-statement results or clocks, not settings. */
const VOLATILE_VARIABLES = new Set([
  'TIMESTAMP',
  'LAST_INSERT_ID',
  'INSERT_ID',
  'IDENTITY',
  'RAND_SEED1',
  'RAND_SEED2',
  'WARNING_COUNT',
  'ERROR_COUNT',
  'LAST_GTID',
  'GTID_SEQ_NO',
  'IN_TRANSACTION',
]);

const MARIADB_SETUP = [
  'CREATE TABLE orders (id int AUTO_INCREMENT PRIMARY KEY, status varchar(20), n int)',
  'CREATE TABLE t (a int PRIMARY KEY, b int)',
  'CREATE TABLE lock_probe (n int)',
  'CREATE TABLE isolation_probe (id int PRIMARY KEY, n int)',
  'INSERT INTO isolation_probe VALUES (1, 0)',
  'INSERT INTO t VALUES (1, 1), (2, 2)',
  // A stored procedure that changes session state: the proxy cannot see it (AWS), the oracle can.
  'CREATE PROCEDURE set_proc_var() SET @proc_var = 1',
];

type Connection = mysql.Connection;

export async function createMariadbDatabase(name: string): Promise<void> {
  const conn = await mysql.createConnection({ ...MARIADB_CONFIG, multipleStatements: true });
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await conn.query(`CREATE DATABASE \`${name}\``);
    await conn.query(`USE \`${name}\``);
    for (const statement of MARIADB_SETUP) await conn.query(statement);
  } finally {
    await conn.end();
  }
}

export async function dropMariadbDatabase(name: string): Promise<void> {
  const conn = await mysql.createConnection({ ...MARIADB_CONFIG });
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await conn.end();
  }
}

/** Words of the statement (candidate temporary-table names) and its quoted strings (candidate lock names). */
function mariadbCandidates(sql: string): { words: string[]; strings: string[] } {
  const words = [...new Set(sql.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [])].slice(0, 60);
  const strings = [...new Set([...sql.matchAll(/'([^'\\]*)'/g)].map((m) => m[1]!))].slice(0, 20);
  return { words, strings };
}

async function mariadbSnapshot(conn: Connection, observer: Connection, database: string, sql: string): Promise<Snapshot> {
  const snapshot: Snapshot = {};
  const rows = async (c: Connection, text: string, values?: unknown[]) =>
    (await c.query(text, values))[0] as Array<Record<string, unknown>>;
  const { words, strings } = mariadbCandidates(sql);

  // Order matters. Almost any statement drops the characteristics `SET TRANSACTION` gave the next transaction,
  // and starting a transaction ends LOCK TABLES. So: first what another connection can see without touching this
  // session (tables in use in the run's own database, named locks), then the next transaction's
  // characteristics, then the rest.
  for (const r of await rows(observer, `SHOW OPEN TABLES FROM \`${database}\` WHERE In_use > 0`)) {
    snapshot[`locked table ${r.Table}`] = String(r.In_use);
  }
  const id = (conn as unknown as { connection: { threadId: number } }).connection.threadId;
  for (const name of strings) {
    const [r] = await rows(observer, 'SELECT IS_USED_LOCK(?) AS holder', [name]);
    if (Number(r?.holder) === id) snapshot[`named lock ${name}`] = 'held';
  }

  // The next transaction, observed by behaviour (information_schema.INNODB_TRX is a cache refreshed every 0.1 s):
  // read-only when a write fails; SERIALIZABLE when its plain read blocks a writer; READ COMMITTED (or lower) when
  // it sees a row another connection changed after its first read. Starting it also ends any transaction the
  // statement left open; a global read lock makes the write fail too.
  await conn.query('START TRANSACTION');
  try {
    await conn.query(`UPDATE \`${database}\`.lock_probe SET n = n WHERE 0`);
  } catch (error) {
    snapshot['write probe'] = `error ${(error as { errno?: number }).errno}`;
  }
  const read = async () => Number((await rows(conn, `SELECT n FROM \`${database}\`.isolation_probe WHERE id = 1`))[0]?.n);
  const first = await read();
  let isolation = 'REPEATABLE READ';
  try {
    await observer.query(`SELECT n FROM \`${database}\`.isolation_probe WHERE id = 1 FOR UPDATE NOWAIT`);
    await observer.query(`UPDATE \`${database}\`.isolation_probe SET n = n + 1 WHERE id = 1`);
    if ((await read()) !== first) isolation = 'READ COMMITTED or lower';
  } catch (error) {
    const errno = (error as { errno?: number }).errno;
    // 1205: lock wait timeout (a global read lock held by the session under test).
    isolation = errno === 1205 ? 'unknown (writes blocked)' : 'SERIALIZABLE';
  }
  await conn.query('COMMIT');
  snapshot['next transaction isolation'] = isolation;

  for (const r of await rows(conn, 'SELECT VARIABLE_NAME AS n, VARIABLE_VALUE AS v FROM information_schema.SESSION_VARIABLES')) {
    const name = String(r.n);
    if (!VOLATILE_VARIABLES.has(name)) snapshot[`variable ${name}`] = String(r.v);
  }
  for (const r of await rows(conn, 'SELECT VARIABLE_NAME AS n, VARIABLE_VALUE AS v FROM information_schema.USER_VARIABLES')) {
    snapshot[`user variable @${r.n}`] = String(r.v);
  }
  const [db] = await rows(conn, 'SELECT DATABASE() AS d');
  snapshot['database'] = String(db?.d);
  const status = Object.fromEntries(
    (await rows(
      conn,
      "SHOW SESSION STATUS WHERE Variable_name IN ('Com_stmt_prepare', 'Com_stmt_close', 'Com_prepare_sql', 'Com_dealloc_sql', 'Com_execute_immediate')",
    )).map((r) => [String(r.Variable_name), Number(r.Value)]),
  ) as Record<string, number>;
  const sqlPrepared = status.Com_prepare_sql! - status.Com_dealloc_sql!;
  const binaryPrepared =
    status.Com_stmt_prepare! - status.Com_prepare_sql! - status.Com_execute_immediate! - (status.Com_stmt_close! - status.Com_dealloc_sql!);
  if (sqlPrepared > 0) snapshot['SQL prepared statements'] = String(sqlPrepared);
  if (binaryPrepared > 0) snapshot['binary prepared statements'] = String(binaryPrepared);
  for (const word of words) {
    try {
      const [r] = await rows(conn, `SHOW CREATE TABLE \`${database}\`.\`${word}\``);
      const create = String(r?.['Create Table'] ?? '');
      if (create.startsWith('CREATE TEMPORARY TABLE')) snapshot[`temporary table ${word}`] = 'present';
    } catch {
      // Not a table.
    }
  }
  return snapshot;
}

/** Run `sql` on a fresh MariaDB connection; returns the session state left behind (empty: none). */
export async function runMariadb(database: string, sql: string, via: Via): Promise<string[]> {
  const observer = await mysql.createConnection({ ...MARIADB_CONFIG, database });
  // Never wait long on a lock the session under test holds.
  await observer.query('SET SESSION lock_wait_timeout = 1, innodb_lock_wait_timeout = 1');
  const conn = await mysql.createConnection({ ...MARIADB_CONFIG, database, multipleStatements: true });
  try {
    const before = await mariadbSnapshot(conn, observer, database, sql);
    if (via === 'execute') await conn.execute(sql, (sql.match(/\?/g) ?? []).map(() => 1));
    else await conn.query(sql);
    const after = await mariadbSnapshot(conn, observer, database, sql);
    return diff(before, after);
  } finally {
    await conn.end();
    await observer.end();
  }
}
