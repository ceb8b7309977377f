/**
 * The oracle corpus: SQL statements for PostgreSQL and MariaDB, pinning and not, with the traps the rule must
 * get right. Each runs on a fresh connection to a real server (see `harness.ts`); the session state it leaves
 * behind is compared with the rule's verdict.
 *
 * `exemption` marks an expected disagreement between "leaves session state" and "pins behind RDS Proxy", with
 * its reason. The test fails when an entry without an exemption disagrees, and when an exemption no longer
 * disagrees (so the list stays true).
 */
import type { Via } from './harness.js';

export interface OracleEntry {
  readonly engine: 'postgresql' | 'mariadb';
  readonly sql: string;
  /** How the statement is sent (default `query`). */
  readonly via?: Via;
  readonly exemption?: string;
}

/** Documented reasons why session state and pinning differ. */
export const EXEMPTIONS = {
  tracked:
    'MySQL variable or statement RDS Proxy tracks: the session keeps the value, but the proxy does not pin; it reuses the connection only for sessions with the same value (AWS, "What RDS Proxy tracks").',
  mysqlSetLocal:
    "MySQL `SET LOCAL` is session scope on the server, but AWS documents that RDS Proxy does not pin on it.",
  routine:
    'Session state changed inside a stored procedure or function: AWS documents that RDS Proxy does not detect it and does not pin.',
  implicitSequence:
    "A column default calls nextval(): the session's sequence state changes, but no sequence function is in the SQL text the proxy sees.",
  pinsWithoutState:
    'AWS lists the command as pinning, but on a fresh connection it leaves nothing behind (it resets, removes or consumes state, or is never executed).',
  cursorInTransaction:
    'A cursor without HOLD closes at commit, but AWS lists declaring cursors as pinning.',
  tempOnCommitDrop:
    'A temporary table created ON COMMIT DROP is gone at commit, but AWS lists creating temporary tables as pinning.',
  executableComment:
    'AWS: RDS Proxy cannot parse SQL in executable comments and pins, whatever the comment contains.',
  mayPin: 'AWS: FOUND_ROWS() and ROW_COUNT() "sometimes" pin; the rule reports them as "may pin".',
  size: 'AWS: any statement over 16,384 bytes pins; its size leaves no state.',
  namedProtocolStatement:
    'A named protocol-level prepared statement stays in the PostgreSQL session; whether RDS Proxy pins on it since November 2023 is UNCONFIRMED, so the rule reports it only with `checkNamedPreparedStatements`.',
} as const;

const padding = (engine: 'postgresql' | 'mariadb') =>
  `SELECT 1 -- ${engine} ${'x'.repeat(16_400)}`;

const pg = (sql: string, extra: Omit<OracleEntry, 'engine' | 'sql'> = {}): OracleEntry => ({ engine: 'postgresql', sql, ...extra });
const my = (sql: string, extra: Omit<OracleEntry, 'engine' | 'sql'> = {}): OracleEntry => ({ engine: 'mariadb', sql, ...extra });

export const corpus: readonly OracleEntry[] = [
  // ---------------------------------------------------------------------------------------------------- PostgreSQL
  // Session settings.
  pg('SET search_path TO public, pg_catalog'),
  pg('set search_path = public'),
  pg('SET SESSION statement_timeout = 5000'),
  pg("SET TIME ZONE 'UTC'"),
  pg("SET timezone = 'Asia/Tokyo'"),
  pg('SET ROLE postgres'),
  pg('SET ROLE lambda_rds_oracle'),
  pg('SET SESSION AUTHORIZATION lambda_rds_oracle'),
  pg('SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE'),
  pg("SET application_name = 'oracle'"),
  pg("SET app.user_id = '42'"),
  pg('SET "app"."tenant" = \'acme\''),
  pg('SET client_min_messages TO warning'),
  pg("SET work_mem = '8MB'"),
  pg("SET datestyle TO 'ISO, DMY'"),
  pg('SET extra_float_digits = 2'),
  pg('SET default_transaction_read_only = on'),
  pg("SELECT set_config('app.user', 'a', false)"),
  pg("SELECT pg_catalog.set_config('search_path', 'public', false)"),
  pg("SELECT set_config('work_mem', '16MB', 'false')"),
  pg('SELECT 1; SET search_path TO public'),
  pg("BEGIN; SET work_mem = '32MB'; COMMIT"),
  pg('SET search_path TO public -- trailing comment'),
  pg("/* leading comment */ SET lock_timeout = '5s'"),
  // Prepared statements, cursors, notifications, libraries.
  pg('PREPARE q (int) AS SELECT $1'),
  pg('PREPARE q AS SELECT * FROM orders; EXECUTE q'),
  pg('DECLARE c CURSOR WITH HOLD FOR SELECT * FROM t'),
  pg('DECLARE c NO SCROLL CURSOR WITH HOLD FOR SELECT 1'),
  pg('LISTEN orders_channel'),
  pg('LISTEN "Mixed Case"'),
  pg("LOAD 'auto_explain'"),
  // Temporary objects.
  pg('CREATE TEMP TABLE scratch (id int)'),
  pg('CREATE TEMPORARY TABLE IF NOT EXISTS scratch (id int)'),
  pg('CREATE GLOBAL TEMPORARY TABLE scratch (id int)'),
  pg('CREATE LOCAL TEMP TABLE scratch AS SELECT 1 AS n'),
  pg('CREATE TEMP SEQUENCE tmp_seq'),
  pg('CREATE TEMP VIEW tmp_view AS SELECT 1 AS n'),
  pg('CREATE OR REPLACE TEMP VIEW tmp_view AS SELECT 1 AS n'),
  pg('CREATE TEMPORARY RECURSIVE VIEW tmp_rec (n) AS SELECT 1'),
  pg('CREATE TABLE pg_temp.scratch (id int)'),
  pg('SELECT * INTO TEMP scratch FROM orders'),
  pg('SELECT a INTO TEMPORARY TABLE scratch FROM t'),
  pg('WITH x AS (SELECT 1 AS n) SELECT n INTO TEMP scratch FROM x'),
  // Sequences and advisory locks.
  pg("SELECT nextval('order_seq')"),
  pg("SELECT setval('order_seq', 100)"),
  pg("INSERT INTO orders (id, status) VALUES (nextval('orders_id_seq'), 'new')"),
  pg('SELECT pg_advisory_lock(1)'),
  pg('SELECT pg_try_advisory_lock(2)'),
  pg('SELECT pg_advisory_lock_shared(3)'),
  pg('SELECT pg_try_advisory_lock_shared(4)'),
  pg('SELECT pg_advisory_lock(5, 6)'),
  // No session state, not pinning: the traps.
  pg('SELECT 1'),
  pg('SELECT * FROM orders WHERE id = 1'),
  pg('SELECT * FROM orders WHERE id = $1', { via: 'params' }),
  pg('UPDATE t SET b = b WHERE a = $1', { via: 'params' }),
  pg("UPDATE orders SET status = 'x' WHERE id = 0"),
  pg('INSERT INTO t (a, b) VALUES (3, 3) ON CONFLICT (a) DO UPDATE SET b = excluded.b'),
  pg("SELECT 'SET search_path TO x'"),
  pg("SELECT E'it\\'s; SET x = 1'"),
  pg("SELECT $$SET work_mem = '1GB'; LISTEN y$$"),
  pg("SELECT $body$ nextval('order_seq') $body$"),
  pg('-- SET search_path TO x\nSELECT 1'),
  pg('/* SET x = 1 */ SELECT 1'),
  pg('/* outer /* SET x = 1 */ LISTEN y */ SELECT 1'),
  pg('SELECT a AS "SET", b AS "nextval" FROM t'),
  pg('SELECT last_value FROM order_seq'),
  pg('SELECT pg_advisory_xact_lock(10)'),
  pg('SELECT pg_try_advisory_xact_lock(11)'),
  pg('BEGIN; SELECT pg_advisory_xact_lock(12); COMMIT'),
  pg('BEGIN; SELECT pg_advisory_xact_lock_shared(13); COMMIT'),
  pg('SELECT pg_advisory_unlock(99)'),
  pg('SELECT pg_advisory_unlock_all()'),
  pg("BEGIN; SET LOCAL work_mem = '64MB'; SELECT 1; COMMIT"),
  pg("BEGIN; SELECT set_config('app.user', 'b', true); COMMIT"),
  pg("SET LOCAL work_mem = '1MB'"),
  pg('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE'),
  pg('BEGIN; SET TRANSACTION READ ONLY; SELECT 1; COMMIT'),
  pg('BEGIN; SET CONSTRAINTS ALL DEFERRED; COMMIT'),
  pg('ALTER TABLE t ALTER COLUMN b SET DEFAULT 0'),
  pg("CREATE FUNCTION f_oracle() RETURNS int LANGUAGE sql SET search_path = public AS 'SELECT 1'"),
  pg("COMMENT ON TABLE t IS 'SET search_path TO x; LISTEN y'"),
  pg('CREATE TABLE archive AS SELECT * FROM orders'),
  pg('CREATE UNLOGGED TABLE unlogged_scratch (id int)'),
  pg('INSERT INTO temp (id) VALUES (1)'),
  pg('SELECT * INTO temp_copy FROM temp'),
  pg('NOTIFY orders_channel'),
  pg('UNLISTEN *'),
  pg('SELECT * FROM t WHERE a = $1', { via: 'params' }),
  // Disagreements, each for a documented reason.
  pg('SELECT public.set_app_user()', { exemption: EXEMPTIONS.routine }),
  pg("INSERT INTO orders (status) VALUES ('new')", { exemption: EXEMPTIONS.implicitSequence }),
  pg("INSERT INTO orders (status) VALUES ('new') RETURNING id", { exemption: EXEMPTIONS.implicitSequence }),
  pg('RESET ALL', { exemption: EXEMPTIONS.pinsWithoutState }),
  pg('RESET search_path', { exemption: EXEMPTIONS.pinsWithoutState }),
  pg('DISCARD ALL', { exemption: EXEMPTIONS.pinsWithoutState }),
  pg('DISCARD PLANS', { exemption: EXEMPTIONS.pinsWithoutState }),
  pg('DEALLOCATE ALL', { exemption: EXEMPTIONS.pinsWithoutState }),
  pg('PREPARE q AS SELECT 1; DEALLOCATE q', { exemption: EXEMPTIONS.pinsWithoutState }),
  pg("SELECT nextval('order_seq') FROM t WHERE false", { exemption: EXEMPTIONS.pinsWithoutState }),
  pg('BEGIN; DECLARE c CURSOR FOR SELECT * FROM t; COMMIT', { exemption: EXEMPTIONS.cursorInTransaction }),
  pg('BEGIN; CREATE TEMP TABLE scratch (id int) ON COMMIT DROP; COMMIT', { exemption: EXEMPTIONS.tempOnCommitDrop }),
  pg(padding('postgresql'), { exemption: EXEMPTIONS.size }),
  pg('SELECT * FROM orders WHERE id = $1', { via: 'named', exemption: EXEMPTIONS.namedProtocolStatement }),

  // ------------------------------------------------------------------------------------------------------- MariaDB
  // User variables.
  my('SET @x = 1'),
  my('SET @a := 1, @b = 2'),
  my("SET @`quoted var` = 'v'"),
  my('SELECT COUNT(*) INTO @n FROM orders'),
  my('SELECT a, b INTO @a, @b FROM t LIMIT 1'),
  my('SELECT @rank := 0'),
  my('SELECT 1 INTO @one'),
  my("SET NAMES utf8mb4, @tenant = 'a'"),
  my('SELECT 1; SET @x = 1'),
  // Untracked session variables.
  my('SET max_statement_time = 5'),
  my('SET SESSION sort_buffer_size = 1048576'),
  my('SET @@session.max_statement_time = 10'),
  my('SET @@max_statement_time = 20'),
  my('SET SESSION group_concat_max_len = 100000'),
  my("SET sql_mode = 'ANSI', max_statement_time = 5"),
  my('SET session_track_state_change = ON'),
  my("SET session_track_system_variables = 'autocommit'"),
  my("SET SESSION session_track_transaction_info = 'STATE'"),
  my('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE'),
  my('SET TRANSACTION READ ONLY'),
  // Locks, prepared statements, temporary tables, executable comments.
  my('LOCK TABLES orders WRITE'),
  my('LOCK TABLE t READ'),
  my('FLUSH TABLES WITH READ LOCK'),
  my('FLUSH TABLES orders WITH READ LOCK'),
  my("SELECT GET_LOCK('oracle_job', 0)"),
  my("DO GET_LOCK('oracle_job2', 0)"),
  my("PREPARE s FROM 'SELECT 1'"),
  my("PREPARE s2 FROM 'SELECT * FROM orders WHERE id = ?'; EXECUTE s2 USING @x"),
  my('CREATE TEMPORARY TABLE scratch (id int)'),
  my('CREATE OR REPLACE TEMPORARY TABLE scratch (id int)'),
  my('create temporary table if not exists scratch select 1 as n'),
  my('CREATE TEMPORARY TABLE scratch LIKE orders'),
  my('/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE */'),
  my('/*!40101 SET NAMES utf8mb4 */'),
  my('/*M!100100 SET max_statement_time = 1 */'),
  my('SELECT * FROM orders WHERE id = ?', { via: 'execute' }),
  my('SELECT 1', { via: 'execute' }),
  // No session state, not pinning: the traps.
  my('SELECT 1'),
  my('SELECT * FROM orders WHERE id = 1'),
  my('UPDATE t SET b = 1 WHERE a = 1'),
  my('INSERT INTO t SET a = 10, b = 2'),
  my('INSERT INTO t (a, b) VALUES (1, 1) ON DUPLICATE KEY UPDATE b = 2'),
  my('ALTER TABLE lock_probe CONVERT TO CHARACTER SET utf8mb4'),
  my('CREATE TABLE charset_table (a varchar(10) CHARACTER SET utf8mb4)'),
  my("SELECT CAST('x' AS CHAR CHARACTER SET utf8mb4)"),
  my("SELECT 'SET @x = 1'"),
  my('SELECT "SET @x = 1; LOCK TABLES t WRITE"'),
  my("SELECT 'it\\'s; SET @x = 1'"),
  my("SELECT 'it''s', \"a\"\"b\""),
  my('SELECT `a` AS `@x` FROM t'),
  my('# SET @x = 1\nSELECT 1'),
  my('-- SET @x = 1\nSELECT 1'),
  my('SELECT 1--1'),
  my('SELECT 1 /* SET @x = 1 */'),
  my('SELECT /*+ MAX_EXECUTION_TIME(1000) */ 1'),
  my('SELECT @undefined_var'),
  my("SELECT * FROM orders WHERE status = 'a@b.example'"),
  my('SET STATEMENT max_statement_time = 1 FOR SELECT 1'),
  my("SELECT RELEASE_LOCK('never_taken')"),
  my("SELECT IS_FREE_LOCK('oracle_free')"),
  my('SELECT LAST_INSERT_ID()'),
  my('SELECT SQL_CALC_FOUND_ROWS * FROM orders LIMIT 1'),
  my('DROP TEMPORARY TABLE IF EXISTS nothing_here'),
  my('UNLOCK TABLES'),
  my('START TRANSACTION; SELECT * FROM t FOR UPDATE; COMMIT'),
  my('START TRANSACTION READ ONLY; SELECT 1; COMMIT'),
  my('CREATE TABLE temporary_data (id int)'),
  my('EXPLAIN SELECT * FROM orders'),
  my('SHOW TABLES'),
  my("INSERT INTO orders (status) VALUES ('new')"),
  my('SELECT * FROM t WHERE a = 1 LIMIT 1'),
  // Disagreements, each for a documented reason.
  my('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED', { exemption: EXEMPTIONS.tracked }),
  my("SET time_zone = '+00:00'", { exemption: EXEMPTIONS.tracked }),
  my("SET sql_mode = 'ANSI'", { exemption: EXEMPTIONS.tracked }),
  my('SET autocommit = 0', { exemption: EXEMPTIONS.tracked }),
  my('SET NAMES utf8mb4', { exemption: EXEMPTIONS.tracked }),
  my('SET CHARACTER SET utf8mb4', { exemption: EXEMPTIONS.tracked }),
  my('SET @@session.wait_timeout = 100', { exemption: EXEMPTIONS.tracked }),
  my('SET session_track_schema = OFF', { exemption: EXEMPTIONS.tracked }),
  my('USE test', { exemption: EXEMPTIONS.tracked }),
  my('SET LOCAL sort_buffer_size = 1048576', { exemption: EXEMPTIONS.mysqlSetLocal }),
  my('SET @@local.max_statement_time = 3', { exemption: EXEMPTIONS.mysqlSetLocal }),
  my('CALL set_proc_var()', { exemption: EXEMPTIONS.routine }),
  my('SELECT FOUND_ROWS()', { exemption: EXEMPTIONS.mayPin }),
  my('SELECT ROW_COUNT()', { exemption: EXEMPTIONS.mayPin }),
  my('SELECT /*! STRAIGHT_JOIN */ a FROM t', { exemption: EXEMPTIONS.executableComment }),
  my("EXECUTE IMMEDIATE 'SELECT 1'", { exemption: EXEMPTIONS.pinsWithoutState }),
  my("PREPARE s3 FROM 'SELECT 1'; DEALLOCATE PREPARE s3", { exemption: EXEMPTIONS.pinsWithoutState }),
  my("PREPARE s4 FROM 'SELECT 1'; DROP PREPARE s4", { exemption: EXEMPTIONS.pinsWithoutState }),
  my('LOCK TABLES t READ; UNLOCK TABLES', { exemption: EXEMPTIONS.pinsWithoutState }),
  my("SELECT GET_LOCK('oracle_x', 0); SELECT RELEASE_LOCK('oracle_x')", { exemption: EXEMPTIONS.pinsWithoutState }),
  my('SET TRANSACTION ISOLATION LEVEL READ COMMITTED; START TRANSACTION; COMMIT', { exemption: EXEMPTIONS.pinsWithoutState }),
  my('CREATE TEMPORARY TABLE scratch (id int); DROP TEMPORARY TABLE scratch', { exemption: EXEMPTIONS.pinsWithoutState }),
  my(padding('mariadb'), { exemption: EXEMPTIONS.size }),
];
