import * as espree from 'espree';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../src/rules/no-session-pinning.js';
import { createRuleTester } from '../rule-tester.js';
import { fixtureProject } from '../helpers/projects.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ruleTester = createRuleTester();

const cjs = { languageOptions: { parser: espree, sourceType: 'commonjs', ecmaVersion: 'latest' } } as const;

/**
 * The location of the `nth` occurrence of `needle` in `code`: what a report pointing at that exact SQL token
 * (or option) must cover.
 */
function at(code: string, needle: string, nth = 0) {
  let index = -1;
  for (let k = 0; k <= nth; k++) {
    index = code.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`${needle} not found in test code`);
  }
  const position = (offset: number) => {
    const before = code.slice(0, offset).split('\n');
    return { line: before.length, column: before[before.length - 1]!.length + 1 };
  };
  const start = position(index);
  const end = position(index + needle.length);
  return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

const err = (code: string, messageId: MessageIds, needle: string, data?: Record<string, string>, nth = 0) => ({
  messageId,
  ...at(code, needle, nth),
  ...(data ? { data } : {}),
});

const PG = "import pg from 'pg';\nconst pool = new pg.Pool();\n";
const MY = "import mysql from 'mysql2/promise';\nconst pool = mysql.createPool(process.env.DATABASE_URL);\n";

// A function's declared return type is evidence too: in the file, and in the module it is imported from.
const typedReturn =
  "import type { Pool } from 'mysql2/promise';\nconst pools = new Map<string, Pool>();\nasync function getPool(name: string): Promise<Pool> {\n  return pools.get(name)!;\n}\nexport async function run(sql: string, params: unknown[]) {\n  const pool = await getPool('orders');\n  return pool.execute(sql, params);\n}";
const crossFile = fixtureProject('cross-file');
const importedPool = { code: readFileSync(path.join(crossFile, 'handlers/query.ts'), 'utf8'), filename: path.join(crossFile, 'handlers/query.ts') };

const valid: Array<string | ValidTestCase<Options>> = [
  // A declared return type that is no driver's.
  "type Store = { execute(sql: string): Promise<void> };\nasync function getStore(): Promise<Store> { return { execute: async () => {} }; }\nexport async function run() {\n  const store = await getStore();\n  return store.execute('SELECT 1');\n}",
  // A field whose type is not a driver's: nothing says `execute()` is mysql2's.
  "export class Db {\n  private connection: { execute(sql: string): unknown };\n  run(sql: string) { return this.connection.execute(sql); }\n}",
  // Ordinary parameterised queries pin nothing (PostgreSQL `$1` multiplexes since November 2023).
  `${PG}export const handler = async (e) => (await pool.query('SELECT * FROM orders WHERE id = $1', [e.id])).rows;`,
  `${PG}await pool.query('UPDATE orders SET status = $1 WHERE id = $2', ['paid', 1]);`,
  `${PG}await pool.query("INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = excluded.a");`,
  `${PG}await pool.query('ALTER ROLE app SET search_path = app');`,
  `${PG}await pool.query("SELECT 'SET search_path TO x', $$LISTEN y$$ -- SET x = 1");`,
  `${PG}await pool.query('/* outer /* SET x = 1 */ LISTEN y */ SELECT 1');`,
  `${PG}await pool.query("SELECT pg_advisory_xact_lock(1), currval('s')");`,
  `${PG}await pool.query('SELECT * INTO temp FROM orders');`,
  `${PG}await pool.query("PREPARE TRANSACTION 'tx1'");`,
  // Transaction-scoped settings on PostgreSQL are only reported with `checkSetLocal`.
  `${PG}await pool.query('BEGIN; SET LOCAL statement_timeout = 1000; SELECT 1; COMMIT');`,
  `${PG}await pool.query("SELECT set_config('app.user', $1, true)", [id]);`,
  // Named prepared statements are only reported with `checkNamedPreparedStatements`.
  `${PG}await pool.query({ name: 'get-order', text: 'SELECT * FROM orders WHERE id = $1', values: [1] });`,
  "import postgres from 'postgres';\nconst sql = postgres(process.env.DATABASE_URL);\nawait sql`SELECT ${1}`;",
  // MySQL: tracked variables, SET LOCAL, reading user variables, `@` in strings.
  `${MY}await pool.query("SET time_zone = '+00:00', sql_mode = 'ANSI', autocommit = 1");`,
  `${MY}await pool.query('SET NAMES utf8mb4; SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');`,
  `${MY}await pool.query('SET LOCAL sort_buffer_size = 1048576');`,
  `${MY}await pool.query("SELECT * FROM users WHERE email = 'a@b.example' AND n = @n");`,
  `${MY}await pool.query('UPDATE t SET a = 1; INSERT INTO t SET a = 2; ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4');`,
  `${MY}await pool.query('# SET @x = 1\\nSELECT /*+ MAX_EXECUTION_TIME(1000) */ 1');`,
  `${MY}await pool.query('SET GLOBAL max_connections = 100; SET STATEMENT max_statement_time = 1 FOR SELECT 1');`,
  `${MY}await pool.query('SELECT LAST_INSERT_ID(); CALL refresh_totals()');`,
  // The proxy's EXCLUDE_VARIABLE_SETS filter: SET statements no longer pin.
  {
    code: `${MY}await pool.query("SET max_statement_time = 5, @tenant = 'a'; SET TRANSACTION READ ONLY");`,
    options: [{ excludeVariableSets: true }],
  },
  {
    code: "import mariadb from 'mariadb';\nconst pool = mariadb.createPool({ sessionVariables: { max_statement_time: 5 } });",
    options: [{ excludeVariableSets: true }],
  },
  // Not a query: the string never reaches the database, or the call is not a database call.
  "import pg from 'pg';\nconst q = 'SET search_path TO app';\nconsole.log(q);",
  `${PG}s3.send('SET search_path TO app'); logger.query('LISTEN x');`,
  "import pg from 'pg';\nconst html = (s) => s;\nhtml`LISTEN x`;",
  // Files that import no database module are not analysed.
  "export const run = (client) => client.query('SET search_path TO app');",
  // Engines RDS Proxy does not serve.
  "import knex from 'knex';\nconst db = knex({ client: 'sqlite3' });\nawait db.raw('CREATE TEMP TABLE t (id int)');",
  // Engine unknown (knex without a resolvable client): only what pins on every engine is reported; MySQL tracks
  // `time_zone`, PostgreSQL has no user variables, `SET LOCAL` is documented not to pin on MySQL.
  "import knex from 'knex';\nconst db = knex(config);\nawait db.raw(\"SET time_zone = 'UTC'; SET @x = 1; SET LOCAL lock_timeout = 1; LISTEN x\");",
  // SQL Server: only the size limit is checked.
  "import sql from 'mssql';\nconst pool = new sql.ConnectionPool(config);\nawait pool.request().query('SET NOCOUNT ON; CREATE TABLE #t (id int)');",
  // With the proxy's EXCLUDE_VARIABLE_SETS filter, an untracked SET on an unknown engine is fine too.
  {
    code: "import knex from 'knex';\nconst db = knex(config);\nawait db.raw('SET max_statement_time = 5');",
    options: [{ excludeVariableSets: true }],
  },
  // The engine from settings.
  {
    code: "import knex from 'knex';\nconst db = knex(config);\nawait db.raw(\"SET time_zone = '+00:00'\");",
    settings: { 'lambda-rds': { engine: 'mysql' } },
  },
  // Driver behaviour configured not to pin.
  "import { Sequelize } from 'sequelize';\nconst s = new Sequelize(url, { dialect: 'postgres', keepDefaultTimezone: true, dialectOptions: { clientMinMessages: 'ignore' } });",
  "import { Sequelize } from 'sequelize';\nconst s = new Sequelize({ dialect: 'postgres', keepDefaultTimezone: true, clientMinMessages: false });",
  "import { Sequelize } from 'sequelize';\nconst s = new Sequelize({ dialect: 'mysql' });\nawait s.query('SELECT * FROM t WHERE id = ?', { replacements: [1] });",
  "import { createPool } from 'slonik';\nconst pool = await createPool(url, { resetConnection: async () => {} });",
  "import knex from 'knex';\nconst db = knex({ client: 'mysql2', searchPath: ['app'] });",
  "import mariadb from 'mariadb';\nconst pool = mariadb.createPool({ sessionVariables: { time_zone: '+00:00', sql_mode: 'ANSI' } });",
  {
    code: "import postgres from 'postgres';\nconst sql = postgres(process.env.DATABASE_URL, { prepare: false });",
    options: [{ checkNamedPreparedStatements: true }],
  },
  // A handle known only by its name, given a query builder's SQL object rather than text.
  "import type { Pool } from 'mysql2/promise';\nimport { db } from './db.js';\nimport { sql } from 'drizzle-orm';\nawait db.execute(sql`SELECT 1`);",
  // mysql2 `query()` (client-side placeholders) does not prepare.
  `${MY}export const handler = async (e) => pool.query('SELECT * FROM orders WHERE id = ?', [e.id]);`,
];

const pgSet = `${PG}export const handler = async () => {\n  await pool.query('SET search_path TO app');\n};`;
const pgConst = `${PG}const LISTEN_JOBS = 'LISTEN jobs';\nawait pool.query(LISTEN_JOBS);`;
const pgConcat = `${PG}await pool.query('SELECT 1; ' + 'SET search_path TO ' + schema);`;
const pgTemplate = `${PG}await pool.query(\`SELECT 1;\n  SET search_path TO \${schema}\`);`;
const pgEscapes = `${PG}await pool.query('SELECT \\'x\\';\\n  DISCARD ALL');`;
const pgClient = `${PG}const client = await pool.connect();\nawait client.query("SELECT set_config('app.user', $1, false)", [id]);\nclient.release();`;
const pgCallback = `${PG}pool.connect((err, client, done) => { client.query('LISTEN jobs', done); });`;
const pgOnConnect = "import { Pool } from 'pg';\nconst pool = new Pool({ onConnect: async (client) => { await client.query(\"SET TIME ZONE 'UTC'\"); } });";
const pgEvent = `${PG}pool.on('connect', (client) => client.query('SET statement_timeout = 5000'));`;
const pgCjs = "const { Pool } = require('pg');\nconst pool = new Pool();\npool.query('CREATE TEMP TABLE scratch (id int)');";
const pgTs = "import { Pool } from 'pg';\nlet pool: Pool | undefined;\npool = new Pool();\nawait (pool as Pool).query('SELECT pg_advisory_lock(1)');\nawait pool!.query('SELECT pg_try_advisory_lock(2)');\nawait pool?.query(\"SELECT nextval('s')\");";
const pgName = "import pg from 'pg';\nexport async function run(client: pg.PoolClient) {\n  await client.query('DECLARE c CURSOR WITH HOLD FOR SELECT 1');\n}";
const pgThis = "import pg from 'pg';\nexport class Repo {\n  constructor(private readonly db: pg.Pool) {}\n  load() { return this.db.query(\"LOAD 'auto_explain'\"); }\n}";
const pgLocalImport = "import pg from 'pg';\nimport { pool } from './db.js';\nawait pool.query('RESET ALL');";
const postgresjs =
  "import postgres from 'postgres';\nconst sql = postgres(process.env.DATABASE_URL);\nawait sql`SET search_path TO ${schema}`;\nawait sql.unsafe('LISTEN jobs');\nawait sql.begin(async (tx) => tx`SELECT pg_advisory_lock(${1})`);";
const slonik =
  "import { createPool, sql } from 'slonik';\nconst pool = await createPool(process.env.DATABASE_URL);\nawait pool.query(sql.unsafe`SELECT nextval('s')`);\nawait pool.query(sql.type(row)`DISCARD PLANS`);";
const vercel = "import { sql } from '@vercel/postgres';\nawait sql`DECLARE c CURSOR WITH HOLD FOR SELECT * FROM t`;";
const pgPromise =
  "import pgPromise from 'pg-promise';\nconst pgp = pgPromise();\nconst db = pgp(process.env.DATABASE_URL);\nawait db.none('RESET ALL');\nawait db.task((t) => t.one('SELECT pg_try_advisory_lock(1)'));";
const drizzle =
  "import { drizzle } from 'drizzle-orm/node-postgres';\nimport { sql } from 'drizzle-orm';\nconst db = drizzle(pool);\nawait db.execute(sql`LISTEN jobs`);";
const kysely =
  "import pg from 'pg';\nimport { sql, CompiledQuery } from 'kysely';\nawait sql`SET search_path TO app`.execute(db);\nawait db.executeQuery(CompiledQuery.raw('DISCARD ALL'));";

const myExecute = `${MY}export const handler = async (e) => {\n  const [rows] = await pool.execute('SELECT * FROM orders WHERE id = ?', [e.id]);\n  return rows;\n};`;
const myConnection = `${MY}const conn = await pool.getConnection();\nawait conn.query('SET @tenant = ?', [tenant]);\nconn.release();`;
const myAll = `${MY}await pool.query(\`LOCK TABLES orders WRITE;
SELECT GET_LOCK('job', 0);
SELECT SQL_CALC_FOUND_ROWS * FROM t LIMIT 5; SELECT FOUND_ROWS();
/*!40101 SET NAMES utf8mb4 */;
SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;
SET session_track_state_change = ON;
PREPARE s FROM 'SELECT 1'; EXECUTE s; DEALLOCATE PREPARE s;
CREATE TEMPORARY TABLE scratch (id int);
SELECT COUNT(*) INTO @n FROM orders;
SET max_statement_time = 5\`);`;
const myCallback =
  "const mysql = require('mysql2');\nconst pool = mysql.createPool({});\npool.getConnection((err, conn) => { conn.query('FLUSH TABLES WITH READ LOCK'); });\npool.promise().execute('SELECT 1');";
const mariadb =
  "import mariadb from 'mariadb';\nconst pool = mariadb.createPool({ initSql: ['SET NAMES utf8mb4', 'SET @app = 1'], sessionVariables: { max_statement_time: 5, time_zone: 'UTC' } });\nconst conn = await pool.getConnection();\nconst stmt = await conn.prepare('SELECT * FROM t WHERE id = ?');";
const knexPg =
  "import knex from 'knex';\nconst client = 'pg';\nconst db = knex({\n  client,\n  searchPath: ['app', 'public'],\n  pool: {\n    afterCreate(conn, done) {\n      conn.query('SET timezone=\"UTC\";', (err) => done(err, conn));\n    },\n  },\n});\nawait db.transaction(async (trx) => { await trx.raw('LISTEN jobs'); });";
const knexMysql = "const knex = require('knex')({ client: 'mysql2' });\nknex.raw('SELECT @x := 1');";
const sequelizePg = "import { Sequelize } from 'sequelize';\nconst dialect = 'postgres';\nexport const sequelize = new Sequelize(process.env.DATABASE_URL, { dialect, logging: false });\nawait sequelize.query('CREATE TEMP TABLE t (id int)');";
const sequelizeTz = "import { Sequelize } from 'sequelize';\nconst s = new Sequelize({ dialect: 'postgres', dialectOptions: { clientMinMessages: 'ignore' } });";
const sequelizeMy = "import { Sequelize } from 'sequelize';\nconst s = new Sequelize('db', 'user', process.env.PW, { dialect: 'mysql' });\nawait s.query('SELECT * FROM t WHERE id = $1', { bind: [1] });\nawait s.query({ query: 'SET @x = 1', values: [] });";
const typeorm =
  "import { DataSource } from 'typeorm';\nconst ds = new DataSource({ type: 'mysql' });\nawait ds.query('SET @x = 1');\nconst runner = ds.createQueryRunner();\nawait runner.query('LOCK TABLES t READ');";
const typeormPg = "import { DataSource } from 'typeorm';\nconst ds = new DataSource({ type: 'postgres' });\nawait ds.manager.query('SET search_path TO app');";
const prisma =
  "import { PrismaClient, Prisma } from '@prisma/client';\nconst prisma = new PrismaClient();\nawait prisma.$executeRawUnsafe('CREATE TEMPORARY TABLE t (id int)');\nawait prisma.$queryRaw`SET search_path TO app`;\nawait prisma.$executeRaw(Prisma.sql`PREPARE q AS SELECT 1`);";
const unknownEngine = "import knex from 'knex';\nconst db = knex(config);\nawait db.raw('SET search_path TO app; CREATE TEMPORARY TABLE t (id int)');";
const settingsEngine = "import knex from 'knex';\nconst db = knex(config);\nawait db.raw('SET @x = 1');";
const big = `${PG}await pool.query('SELECT 1 -- ${'x'.repeat(16_400)}');`;
const bigMssql = `import sql from 'mssql';\nconst pool = new sql.ConnectionPool(config);\nawait pool.request().query(\`SELECT 1 -- ${'é'.repeat(8_200)}\`);`;

const getPool = "import pg from 'pg';\nimport { getPool } from './db.js';\nawait (await getPool()).query('LISTEN jobs');";
const typeOnly =
  "import type { PoolClient } from 'pg';\nexport async function tenant(client: PoolClient, schema: string) {\n  await client.query(`SET search_path TO ${schema}`);\n}";
const myCallbackApi =
  "const mysql = require('mysql');\nconst connection = mysql.createConnection(process.env.DATABASE_URL);\nconnection.query('SET @tenant = ?', [tenant], (err) => {});";
const namespace =
  "import * as mysql from 'mysql2/promise';\nconst pool = mysql.createPool({});\nexport const run = () => pool.query('LOCK TABLES t WRITE');";
const aliased = "import { Pool as PgPool } from 'pg';\nconst db = new PgPool();\nawait db.query(`DISCARD ALL`);";

const factory =
  "import postgres from 'postgres';\nconst connect = () => postgres({ max: 1 });\nexport async function handler() {\n  const sql = connect();\n  await sql`SET statement_timeout = '60s'`;\n}";
const memoised =
  "import mysql from 'mysql2/promise';\nlet pool;\nconst getPool = () => (pool ??= mysql.createPool({}));\nawait getPool().execute('SELECT 1');";
const prismaAdapter =
  "import { PrismaPg } from '@prisma/adapter-pg';\nimport { PrismaClient } from '@prisma/client';\nfunction db(): PrismaClient {\n  return new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL }) });\n}\nconst prisma = db();\nawait prisma.$executeRaw`SELECT set_config('search_path', ${schema}, false)`;";

const typedHelper =
  "import type { PoolConnection } from 'mysql2/promise';\nexport async function load(conn: PoolConnection, id: number) {\n  return conn.execute('SELECT * FROM orders WHERE id = ?', [id]);\n}";

// Type annotations are evidence: a class field, a constructor parameter property, a parameter of a driver's type.
const typedField =
  "import { Connection } from 'mysql2/promise';\nexport class Db {\n  private connection: Connection;\n  constructor(connection: Connection) { this.connection = connection; }\n  async run(sql: string, params: unknown[]) { return this.connection.execute(sql, params); }\n}";
const typedProperty =
  "import type { Pool } from 'mysql2/promise';\nexport class Repo {\n  constructor(private readonly pool: Pool) {}\n  find(id: number) { return this.pool.execute('SELECT * FROM t WHERE id = ?', [id]); }\n}";
const typedPgClient =
  "import type { PoolClient } from 'pg';\nexport async function audit(client: PoolClient) { await client.query(\"SET search_path TO audit\"); }";
// A query-config object built for pg and run elsewhere.
const queryConfig =
  "import { Client } from 'pg';\nexport function insertAsset(values: unknown[]) {\n  const text = `INSERT INTO asset (id, name) VALUES (nextval('asset_seq'), $1)`;\n  return { text, values };\n}";
// sequelize-typescript's Sequelize is Sequelize.
const sequelizeTypescript =
  "import { Sequelize } from 'sequelize-typescript';\nexport const sequelize = new Sequelize({ dialect: 'postgres', host: process.env.DB_HOST });";

const inlinePool = "import mysql from 'mysql2/promise';\nawait mysql.createPool({ password: 'pw' }).execute('SELECT 1');";

const invalid: Array<InvalidTestCase<MessageIds, Options>> = [
  {
    code: typedField,
    errors: [err(typedField, 'binaryPreparedStatement', 'execute', { call: 'this.connection.execute()', alternative: 'this.connection.query()' })],
  },
  {
    code: typedReturn,
    errors: [err(typedReturn, 'binaryPreparedStatement', 'execute', { call: 'pool.execute()' })],
  },
  {
    ...importedPool,
    errors: [err(importedPool.code, 'binaryPreparedStatement', 'execute', { call: 'pool.execute()' })],
  },
  {
    code: typedProperty,
    errors: [err(typedProperty, 'binaryPreparedStatement', 'execute', { call: 'this.pool.execute()', alternative: 'this.pool.query()' })],
  },
  { code: typedPgClient, errors: [err(typedPgClient, 'postgresSessionSet', 'SET search_path', { construct: 'SET search_path' })] },
  { code: queryConfig, errors: [err(queryConfig, 'sequenceFunction', 'nextval', { construct: 'nextval()' })] },
  { code: sequelizeTypescript, errors: [err(sequelizeTypescript, 'sequelizeSessionSet', "dialect: 'postgres'")] },
  // The message names the receiver only when it is a plain chain of names: never a literal, never a secret.
  {
    code: inlinePool,
    errors: [err(inlinePool, 'binaryPreparedStatement', 'execute', { call: 'connection.execute()' })],
  },
  {
    code: typedHelper,
    errors: [err(typedHelper, 'binaryPreparedStatement', 'execute', { call: 'conn.execute()' })],
  },
  { code: factory, errors: [err(factory, 'postgresSessionSet', 'SET statement_timeout')] },
  {
    code: memoised,
    errors: [err(memoised, 'binaryPreparedStatement', 'execute', { call: 'getPool().execute()' })],
  },
  { code: prismaAdapter, errors: [err(prismaAdapter, 'postgresSessionSet', 'set_config', { construct: 'set_config(…, false)' })] },
  { code: getPool, errors: [err(getPool, 'listen', 'LISTEN')] },
  { code: typeOnly, errors: [err(typeOnly, 'postgresSessionSet', 'SET search_path')] },
  { code: myCallbackApi, ...cjs, errors: [err(myCallbackApi, 'userVariable', '@tenant')] },
  { code: namespace, errors: [err(namespace, 'tableLock', 'LOCK TABLES')] },
  { code: aliased, errors: [err(aliased, 'discard', 'DISCARD ALL')] },
  {
    code: pgSet,
    errors: [err(pgSet, 'postgresSessionSet', 'SET search_path', { construct: 'SET search_path' })],
  },
  // The report points into the const string, the second concatenated literal, the template line, past escapes.
  { code: pgConst, errors: [err(pgConst, 'listen', 'LISTEN', { construct: 'LISTEN' }, 1)] },
  { code: pgConcat, errors: [err(pgConcat, 'postgresSessionSet', 'SET search_path')] },
  { code: pgTemplate, errors: [err(pgTemplate, 'postgresSessionSet', 'SET search_path')] },
  { code: pgEscapes, errors: [err(pgEscapes, 'discard', 'DISCARD ALL', { construct: 'DISCARD ALL' })] },
  { code: pgClient, errors: [err(pgClient, 'postgresSessionSet', 'set_config', { construct: 'set_config(…, false)' })] },
  { code: pgCallback, errors: [err(pgCallback, 'listen', 'LISTEN')] },
  { code: pgOnConnect, errors: [err(pgOnConnect, 'postgresSessionSet', 'SET TIME ZONE')] },
  { code: pgEvent, errors: [err(pgEvent, 'postgresSessionSet', 'SET statement_timeout')] },
  { code: pgCjs, ...cjs, errors: [err(pgCjs, 'tempObject', 'CREATE TEMP TABLE', { construct: 'CREATE TEMP TABLE' })] },
  {
    code: pgTs,
    errors: [
      err(pgTs, 'advisoryLock', 'pg_advisory_lock', { construct: 'pg_advisory_lock()' }),
      err(pgTs, 'advisoryLock', 'pg_try_advisory_lock', { construct: 'pg_try_advisory_lock()' }),
      err(pgTs, 'sequenceFunction', 'nextval', { construct: 'nextval()' }),
    ],
  },
  { code: pgName, errors: [err(pgName, 'cursor', 'DECLARE', { construct: 'DECLARE … CURSOR' })] },
  { code: pgThis, errors: [err(pgThis, 'load', 'LOAD')] },
  { code: pgLocalImport, errors: [err(pgLocalImport, 'postgresSessionSet', 'RESET ALL')] },
  {
    code: postgresjs,
    errors: [
      err(postgresjs, 'postgresSessionSet', 'SET search_path'),
      err(postgresjs, 'listen', 'LISTEN'),
      err(postgresjs, 'advisoryLock', 'pg_advisory_lock'),
    ],
  },
  {
    code: slonik,
    errors: [
      err(slonik, 'slonikResetConnection', 'createPool(process.env.DATABASE_URL)'),
      err(slonik, 'sequenceFunction', 'nextval'),
      err(slonik, 'discard', 'DISCARD PLANS'),
    ],
  },
  { code: vercel, errors: [err(vercel, 'cursor', 'DECLARE')] },
  {
    code: pgPromise,
    errors: [err(pgPromise, 'postgresSessionSet', 'RESET ALL'), err(pgPromise, 'advisoryLock', 'pg_try_advisory_lock')],
  },
  { code: drizzle, errors: [err(drizzle, 'listen', 'LISTEN')] },
  { code: kysely, errors: [err(kysely, 'postgresSessionSet', 'SET search_path'), err(kysely, 'discard', 'DISCARD ALL')] },
  // MySQL / MariaDB
  {
    code: myExecute,
    errors: [
      err(myExecute, 'binaryPreparedStatement', 'execute', { call: 'pool.execute()' }),
    ],
  },
  { code: myConnection, errors: [err(myConnection, 'userVariable', '@tenant', { construct: '@tenant' })] },
  {
    code: myAll,
    errors: [
      err(myAll, 'tableLock', 'LOCK TABLES', { construct: 'LOCK TABLES' }),
      err(myAll, 'namedLock', 'GET_LOCK', { construct: 'GET_LOCK()' }),
      err(myAll, 'rowCountFunction', 'FOUND_ROWS', { construct: 'FOUND_ROWS()' }, 1),
      err(myAll, 'executableComment', '/*!40101', { construct: '/*!40101' }),
      err(myAll, 'setTransaction', 'SET TRANSACTION', { construct: 'SET TRANSACTION' }),
      err(myAll, 'sessionTrack', 'SET session_track_state_change', { construct: 'SET session_track_state_change' }),
      err(myAll, 'preparedStatement', 'PREPARE', { construct: 'PREPARE' }),
      err(myAll, 'preparedStatement', 'EXECUTE', { construct: 'EXECUTE' }),
      err(myAll, 'preparedStatement', 'DEALLOCATE PREPARE', { construct: 'DEALLOCATE PREPARE' }),
      err(myAll, 'tempObject', 'CREATE TEMPORARY TABLE', { construct: 'CREATE TEMPORARY TABLE' }),
      err(myAll, 'userVariable', '@n', { construct: '@n' }),
      err(myAll, 'mysqlSessionSet', 'SET max_statement_time', { construct: 'SET max_statement_time' }),
    ],
  },
  {
    code: myCallback,
    ...cjs,
    errors: [
      err(myCallback, 'tableLock', 'FLUSH'),
      err(myCallback, 'binaryPreparedStatement', 'execute', { call: 'pool.promise().execute()' }),
    ],
  },
  {
    code: mariadb,
    errors: [
      err(mariadb, 'userVariable', '@app'),
      err(mariadb, 'mariadbSessionVariable', 'max_statement_time', { name: 'max_statement_time' }),
      err(mariadb, 'binaryPreparedStatement', 'prepare', { call: 'conn.prepare()' }),
    ],
  },
  {
    code: knexPg,
    errors: [
      err(knexPg, 'knexSearchPath', "searchPath: ['app', 'public']"),
      err(knexPg, 'postgresSessionSet', 'SET timezone', { construct: 'SET timezone' }),
      err(knexPg, 'listen', 'LISTEN'),
    ],
  },
  { code: knexMysql, ...cjs, errors: [err(knexMysql, 'userVariable', '@x')] },
  {
    code: sequelizePg,
    errors: [
      err(sequelizePg, 'sequelizeSessionSet', 'dialect', { settings: "`dialectOptions.clientMinMessages: 'ignore'` and `keepDefaultTimezone: true`" }, 1),
      err(sequelizePg, 'tempObject', 'CREATE TEMP TABLE'),
    ],
  },
  { code: sequelizeTz, errors: [err(sequelizeTz, 'sequelizeSessionSet', "dialect: 'postgres'", { settings: '`keepDefaultTimezone: true`' })] },
  {
    code: sequelizeMy,
    errors: [err(sequelizeMy, 'sequelizeBind', 'bind: [1]'), err(sequelizeMy, 'userVariable', '@x')],
  },
  { code: typeorm, errors: [err(typeorm, 'userVariable', '@x'), err(typeorm, 'tableLock', 'LOCK TABLES')] },
  { code: typeormPg, errors: [err(typeormPg, 'postgresSessionSet', 'SET search_path')] },
  // Prisma's engine is unknown here: only what pins on every engine.
  {
    code: prisma,
    errors: [
      err(prisma, 'tempObject', 'CREATE TEMPORARY TABLE'),
      err(prisma, 'sessionSet', 'SET search_path'),
      err(prisma, 'preparedStatement', 'PREPARE'),
    ],
  },
  {
    code: unknownEngine,
    errors: [
      err(unknownEngine, 'sessionSet', 'SET search_path', { construct: 'SET search_path' }),
      err(unknownEngine, 'tempObject', 'CREATE TEMPORARY TABLE'),
    ],
  },
  {
    code: settingsEngine,
    settings: { 'lambda-rds': { engine: 'mysql' } },
    errors: [err(settingsEngine, 'userVariable', '@x')],
  },
  { code: big, errors: [{ messageId: 'statementTooLong', line: 3, column: 18, data: { bytes: '16,412' } }] },
  { code: bigMssql, errors: [{ messageId: 'statementTooLong', line: 3, column: 28, data: { bytes: '16,412' } }] },
  // Options
  {
    code: `${MY}await pool.query("SET max_statement_time = 5; SELECT @n := 1; SELECT 1 INTO @m");`,
    options: [{ excludeVariableSets: true }],
    errors: [{ messageId: 'userVariable', data: { construct: '@n' } }, { messageId: 'userVariable', data: { construct: '@m' } }],
  },
  {
    code: `${PG}await pool.query('SET LOCAL statement_timeout = 1000; SET TRANSACTION READ ONLY');`,
    options: [{ checkSetLocal: true }],
    errors: [
      { messageId: 'postgresTransactionSet', data: { construct: 'SET LOCAL statement_timeout' } },
      { messageId: 'postgresTransactionSet', data: { construct: 'SET TRANSACTION' } },
    ],
  },
  {
    code: `${PG}await pool.query({ name: 'get-order', text: 'SELECT * FROM orders WHERE id = $1', values: [1] });`,
    options: [{ checkNamedPreparedStatements: true }],
    errors: [{ messageId: 'namedPreparedStatement', line: 3, column: 20 }],
  },
  {
    code: "import postgres from 'postgres';\nconst a = postgres(process.env.DATABASE_URL);\nconst b = postgres({ prepare: true });",
    options: [{ checkNamedPreparedStatements: true }],
    errors: [
      { messageId: 'postgresPrepare', line: 2, column: 11 },
      { messageId: 'postgresPrepare', line: 3, column: 22 },
    ],
  },
];

ruleTester.run('no-session-pinning', rule, { valid, invalid });
