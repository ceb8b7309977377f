import { describe, expect, it } from 'vitest';
import { analyseSqlText, type Dialect, type FindingKind } from '../../../src/core/sql/index.js';

/** [sql, expected finding kinds in text order, constructs (optional)] */
type Case = readonly [string, readonly FindingKind[], (readonly string[])?];

const kinds = (sql: string, dialect: Dialect) => analyseSqlText(sql, dialect).findings.map((f) => f.kind);
const constructs = (sql: string, dialect: Dialect) => analyseSqlText(sql, dialect).findings.map((f) => f.construct);

const postgres: readonly Case[] = [
  // SET and friends
  ['SET search_path TO app, public', ['sessionSet'], ['SET search_path']],
  ['set search_path = app', ['sessionSet']],
  ['SET SESSION statement_timeout = 5000', ['sessionSet'], ['SET SESSION statement_timeout']],
  ['SET TIME ZONE \'UTC\'', ['sessionSet'], ['SET TIME ZONE']],
  ['SET ROLE app_reader', ['sessionSet'], ['SET ROLE']],
  ['SET SESSION AUTHORIZATION app', ['sessionSet'], ['SET SESSION AUTHORIZATION']],
  ['SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE', ['sessionSet']],
  ['SET app.user_id = \'42\'', ['sessionSet'], ['SET app.user_id']],
  ['SET "app"."tenant" = \'x\'', ['sessionSet'], ['SET "app"."tenant"']],
  ['RESET search_path', ['sessionSet'], ['RESET search_path']],
  ['RESET ALL', ['sessionSet'], ['RESET ALL']],
  ['SET LOCAL statement_timeout = 1000', ['transactionSet'], ['SET LOCAL statement_timeout']],
  ['SET TRANSACTION ISOLATION LEVEL SERIALIZABLE', ['transactionSet']],
  ['SET CONSTRAINTS ALL DEFERRED', ['transactionSet']],
  ["SELECT set_config('app.user', '1', false)", ['sessionSet'], ['set_config(…, false)']],
  ["SELECT set_config('app.user', $1, true)", ['transactionSet'], ['set_config(…, true)']],
  ["SELECT pg_catalog.set_config('app.user', '1', 'false')", ['sessionSet']],
  ["SELECT set_config('app.user', $1, $2)", ['sessionSet'], ['set_config()']],
  // prepared statements, DISCARD, cursors, LISTEN, LOAD
  ['PREPARE q (int) AS SELECT $1', ['preparedStatement']],
  ['EXECUTE q(1)', ['preparedStatement']],
  ['DEALLOCATE ALL', ['preparedStatement']],
  ["PREPARE TRANSACTION 'tx1'", []],
  ['DISCARD ALL', ['discard'], ['DISCARD ALL']],
  ['DISCARD TEMP', ['discard']],
  ['DECLARE c CURSOR WITH HOLD FOR SELECT 1', ['cursor'], ['DECLARE … CURSOR']],
  ['DECLARE c SCROLL CURSOR FOR SELECT 1', ['cursor']],
  ['LISTEN orders', ['listen']],
  ['NOTIFY orders', []],
  ['UNLISTEN *', []],
  ["LOAD 'auto_explain'", ['load']],
  // temporary objects
  ['CREATE TEMP TABLE t (id int)', ['tempObject'], ['CREATE TEMP TABLE']],
  ['CREATE TEMPORARY TABLE IF NOT EXISTS t (id int)', ['tempObject']],
  ['create global temporary table t (id int)', ['tempObject']],
  ['CREATE LOCAL TEMP TABLE t AS SELECT 1', ['tempObject']],
  ['CREATE UNLOGGED TABLE t (id int)', []],
  ['CREATE TEMP SEQUENCE s', ['tempObject']],
  ['CREATE OR REPLACE TEMP VIEW v AS SELECT 1', ['tempObject']],
  ['CREATE TEMPORARY RECURSIVE VIEW v (n) AS SELECT 1', ['tempObject']],
  ['CREATE TABLE pg_temp.t (id int)', ['tempObject'], ['CREATE TABLE pg_temp.t']],
  ['CREATE TABLE IF NOT EXISTS "pg_temp".t (id int)', ['tempObject']],
  ['CREATE TABLE app.t (id int)', []],
  ['SELECT * INTO TEMP t FROM orders', ['tempObject'], ['SELECT … INTO TEMP']],
  ['SELECT * INTO TEMPORARY TABLE t FROM orders', ['tempObject']],
  ['WITH x AS (SELECT 1 AS n) SELECT n INTO TEMP t FROM x', ['tempObject']],
  ['SELECT * INTO pg_temp.t FROM orders', ['tempObject']],
  // a table called "temp" is not a temporary table
  ['SELECT * INTO temp FROM orders', []],
  ['INSERT INTO temp (id) VALUES (1)', []],
  ['INSERT INTO TEMP VALUES (1)', []],
  ['SELECT * INTO archive FROM orders', []],
  // sequences and advisory locks
  ["SELECT nextval('order_seq')", ['sequenceFunction'], ['nextval()']],
  ["SELECT setval('order_seq', 10)", ['sequenceFunction']],
  ["INSERT INTO t (id) VALUES (nextval ('s'))", ['sequenceFunction']],
  ["SELECT pg_catalog.nextval('s')", ['sequenceFunction']],
  ["SELECT currval('s'), lastval()", []],
  ["SELECT myschema.nextval('s')", []],
  ['SELECT my_nextval(1)', []],
  ['SELECT pg_advisory_lock(1)', ['advisoryLock'], ['pg_advisory_lock()']],
  ['SELECT pg_try_advisory_lock(1, 2)', ['advisoryLock']],
  ['SELECT pg_advisory_lock_shared(1)', ['advisoryLock']],
  ['SELECT pg_try_advisory_lock_shared(1)', ['advisoryLock']],
  ['SELECT pg_advisory_xact_lock(1)', []],
  ['SELECT pg_try_advisory_xact_lock(1)', []],
  ['SELECT pg_advisory_xact_lock_shared(1)', []],
  ['SELECT pg_advisory_unlock(1)', []],
  // SET that is not a statement
  ['UPDATE orders SET status = $1 WHERE id = $2', []],
  ['INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = excluded.a', []],
  ['ALTER ROLE app SET search_path = app', []],
  ['ALTER DATABASE d RESET ALL', []],
  ["CREATE FUNCTION f() RETURNS int LANGUAGE sql SET search_path = app AS 'SELECT 1'", []],
  ['ALTER TABLE t ALTER COLUMN a SET DEFAULT 0', []],
  // strings, comments, identifiers
  ["SELECT 'SET search_path TO x'", []],
  ["SELECT E'it\\'s; SET x = 1'", []],
  ["SELECT 'a\\'; SET x = 1 --'", ['sessionSet']],
  ['SELECT $$SET x = 1; LISTEN y$$', []],
  ['SELECT $body$ nextval(1) $body$', []],
  ["SELECT U&'SET x' ", []],
  ['-- SET search_path TO x\nSELECT 1', []],
  ['/* SET x = 1 */ SELECT 1', []],
  ['/* outer /* SET x = 1 */ still comment; LISTEN y */ SELECT 1', []],
  ['SELECT "SET", "nextval"(1) FROM t', []],
  ['SELECT a$b FROM t WHERE c = $1', []],
  // several statements
  ['SELECT 1; SET search_path TO app; LISTEN x', ['sessionSet', 'listen']],
  ['BEGIN; SET LOCAL lock_timeout = 100; COMMIT', ['transactionSet']],
  ["CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1; SELECT 2; END; SET x = 1", ['sessionSet']],
  // placeholders from JavaScript interpolation stay opaque
  ['SET search_path TO \uE000', ['sessionSet']],
  ['\uE000 search_path TO app', []],
  ['SELECT * FROM \uE000 WHERE id = \uE000', []],
  // partial and odd SQL never throws
  ["SELECT 'unterminated", []],
  ['SELECT $tag$ never closed', []],
  ['/* never closed', []],
  ['SET', []],
  ['', []],
];

const mysql: readonly Case[] = [
  // locks
  ['LOCK TABLES orders WRITE', ['tableLock'], ['LOCK TABLES']],
  ['lock table orders read', ['tableLock']],
  ['UNLOCK TABLES', []],
  ['FLUSH TABLES WITH READ LOCK', ['tableLock'], ['FLUSH TABLES WITH READ LOCK']],
  ['FLUSH TABLES orders WITH READ LOCK', ['tableLock']],
  ['FLUSH PRIVILEGES', []],
  ["SELECT GET_LOCK('job', 10)", ['namedLock'], ['GET_LOCK()']],
  ["DO get_lock('job', 0)", ['namedLock']],
  ["SELECT RELEASE_LOCK('job'), IS_USED_LOCK('job')", []],
  // user variables
  ['SET @count = 1', ['userVariable'], ['@count']],
  ['SET @a := 1, @b = 2', ['userVariable', 'userVariable']],
  ["SET @'quoted var' = 1", ['userVariable']],
  ['SELECT COUNT(*) INTO @n FROM orders', ['userVariable']],
  ['SELECT a, b INTO @a, @b FROM t LIMIT 1', ['userVariable', 'userVariable']],
  ['SELECT @rank := @rank + 1 FROM t', ['userVariable']],
  ['SELECT @n', []],
  ['SELECT * FROM t WHERE a = @n', []],
  ["SELECT * FROM users WHERE email = 'a@b.example'", []],
  // system variables
  ['SET max_statement_time = 5', ['sessionSet'], ['SET max_statement_time']],
  ['SET SESSION sort_buffer_size = 1048576', ['sessionSet']],
  ['SET @@session.max_statement_time = 5', ['sessionSet'], ['SET @@session.max_statement_time']],
  ['SET @@max_statement_time = 5', ['sessionSet']],
  ['SET sql_mode = \'ANSI\', max_statement_time = 5', ['sessionSet']],
  ['SET sql_mode = \'ANSI\'', []],
  ['SET SESSION time_zone = \'+00:00\'', []],
  ['SET @@session.wait_timeout = 100', []],
  ['SET autocommit = 0', []],
  ['SET NAMES utf8mb4', []],
  ['SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci', []],
  ['SET CHARACTER SET utf8mb4', []],
  ['SET CHARSET utf8mb4', []],
  ['SET session_track_schema = ON', []],
  ['SET session_track_state_change = ON', ['sessionTrack']],
  ['SET SESSION session_track_system_variables = \'*\'', ['sessionTrack']],
  ['SET GLOBAL max_connections = 100', []],
  ['SET @@global.max_connections = 100', []],
  ['SET PERSIST max_connections = 100', []],
  ['SET LOCAL sort_buffer_size = 1048576', []],
  ['SET @@local.sort_buffer_size = 1048576', []],
  ['SET TRANSACTION ISOLATION LEVEL READ COMMITTED', ['setTransaction'], ['SET TRANSACTION']],
  ['SET TRANSACTION READ ONLY', ['setTransaction']],
  ['SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED', []],
  ['SET GLOBAL TRANSACTION ISOLATION LEVEL READ COMMITTED', []],
  ['SET ROLE app_reader', ['sessionSet']],
  ["SET PASSWORD = PASSWORD('x')", []],
  ['SET DEFAULT ROLE ALL TO app', []],
  ['SET STATEMENT max_statement_time = 1 FOR SELECT 1', []],
  // prepared statements
  ["PREPARE s FROM 'SELECT 1'", ['preparedStatement']],
  ['EXECUTE s USING @a', ['preparedStatement']],
  ["EXECUTE IMMEDIATE 'SELECT 1'", ['preparedStatement'], ['EXECUTE IMMEDIATE']],
  ['DEALLOCATE PREPARE s', ['preparedStatement']],
  ['DROP PREPARE s', ['preparedStatement']],
  ['DROP TABLE s', []],
  // temporary tables
  ['CREATE TEMPORARY TABLE t (id int)', ['tempObject'], ['CREATE TEMPORARY TABLE']],
  ['CREATE OR REPLACE TEMPORARY TABLE t (id int)', ['tempObject']],
  ['create temporary table if not exists t select 1', ['tempObject']],
  ['DROP TEMPORARY TABLE t', []],
  ['CREATE TABLE temporary_data (id int)', []],
  // executable comments
  ['/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE */', ['executableComment', 'userVariable']],
  ['SELECT /*! STRAIGHT_JOIN */ a FROM t', ['executableComment']],
  ['/*M!100100 SET max_statement_time = 1 */', ['executableComment', 'sessionSet']],
  ['SELECT /*+ MAX_EXECUTION_TIME(1000) */ a FROM t', []],
  ['SELECT 1 /* /*! not executable inside a comment */', []],
  // row counts
  ['SELECT FOUND_ROWS()', ['rowCountFunction'], ['FOUND_ROWS()']],
  ['SELECT ROW_COUNT()', ['rowCountFunction']],
  ['SELECT SQL_CALC_FOUND_ROWS * FROM t LIMIT 10', []],
  ['SELECT LAST_INSERT_ID()', []],
  // SET that is not a statement
  ['UPDATE t SET a = 1', []],
  ['INSERT INTO t SET a = 1, b = 2', []],
  ['INSERT INTO t (a) VALUES (1) ON DUPLICATE KEY UPDATE a = 2', []],
  ['ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4', []],
  ['CREATE TABLE t (a varchar(10) CHARACTER SET utf8mb4)', []],
  ['SELECT CAST(a AS CHAR CHARACTER SET utf8mb4) FROM t', []],
  // strings, comments, identifiers
  ["SELECT 'SET @x = 1'", []],
  ['SELECT "SET @x = 1; LOCK TABLES t WRITE"', []],
  ["SELECT 'it\\'s; SET @x = 1'", []],
  ["SELECT 'it''s', \"a\"\"b\"", []],
  ['SELECT `@x`, `GET_LOCK`(1) FROM t', []],
  ['# SET @x = 1\nSELECT 1', []],
  ['-- SET @x = 1\nSELECT 1', []],
  ['SELECT 1--1', []],
  ['SELECT 1 -- SET @x = 1', []],
  // several statements; stored routine bodies are one statement
  ['SELECT 1; SET @x = 1', ['userVariable']],
  [
    'CREATE PROCEDURE p() BEGIN DECLARE c INT; SET @x = 1; IF c THEN SELECT 1; END IF; END; SELECT 2',
    [],
  ],
  ['CALL p()', []],
  ['USE app', []],
  // placeholders
  ['SET \uE000 = 1', ['sessionSet']],
  ['SELECT * FROM t WHERE a = ? AND b = \uE000', []],
  ["SELECT 'unterminated", []],
  ['SET', []],
];

const named = (cases: readonly Case[]) => cases.map(([sql, expected, expectedConstructs]) => ({ sql, expected, expectedConstructs }));

describe('PostgreSQL classifier', () => {
  it.each(named(postgres))('$sql', ({ sql, expected, expectedConstructs }) => {
    expect(kinds(sql, 'postgresql')).toEqual(expected);
    if (expectedConstructs) expect(constructs(sql, 'postgresql')).toEqual(expectedConstructs);
  });
});

describe('MySQL / MariaDB classifier', () => {
  it.each(named(mysql))('$sql', ({ sql, expected, expectedConstructs }) => {
    expect(kinds(sql, 'mysql')).toEqual(expected);
    if (expectedConstructs) expect(constructs(sql, 'mysql')).toEqual(expectedConstructs);
  });
});

describe('finding ranges', () => {
  it('points at the construct', () => {
    const sql = 'SELECT 1;\n  SET search_path TO app';
    const [finding] = analyseSqlText(sql, 'postgresql').findings;
    expect(sql.slice(finding!.start, finding!.end)).toBe('SET search_path');
  });

  it('points at a user variable inside a SET list', () => {
    const sql = "SET NAMES utf8mb4, @tenant = 'a'";
    const [finding] = analyseSqlText(sql, 'mysql').findings;
    expect(sql.slice(finding!.start, finding!.end)).toBe('@tenant');
    expect(finding!.variableSet).toBe(true);
  });

  it('marks SELECT … INTO @x as not a SET (the EXCLUDE_VARIABLE_SETS filter does not cover it)', () => {
    const [finding] = analyseSqlText('SELECT 1 INTO @x', 'mysql').findings;
    expect(finding!.variableSet).toBeUndefined();
  });

  it('never quotes values in constructs', () => {
    const all = [
      ...analyseSqlText("SET app.secret = 'hunter2'", 'postgresql').findings,
      ...analyseSqlText("SET @password = 'hunter2'", 'mysql').findings,
      ...analyseSqlText("SELECT set_config('app.secret', 'hunter2', false)", 'postgresql').findings,
    ];
    expect(all).toHaveLength(3);
    for (const finding of all) expect(finding.construct).not.toContain('hunter2');
  });
});

describe('linear time', () => {
  it('analyses a 1 MB string of each shape to the end without throwing', () => {
    const shapes = [
      "'".repeat(1_000_000),
      '$'.repeat(1_000_000),
      '$a'.repeat(500_000),
      '/*'.repeat(500_000),
      '-'.repeat(1_000_000),
      '@'.repeat(1_000_000),
      '@@'.repeat(500_000),
      'SET '.repeat(250_000),
      '('.repeat(1_000_000),
      'E\''.repeat(500_000),
      '`'.repeat(1_000_000),
      'a'.repeat(1_000_000),
      "SELECT 'x', ".repeat(80_000),
    ];
    // Not a speed assertion: linear time on such input is checked by `npm run bench` (bench/adversarial.mjs).
    for (const text of shapes) {
      for (const dialect of ['postgresql', 'mysql'] as const) {
        const analysis = analyseSqlText(text, dialect);
        const last = analysis.tokens[analysis.tokens.length - 1];
        expect(last === undefined || last.end <= text.length).toBe(true);
      }
    }
  });
});
