import * as espree from 'espree';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../src/rules/no-proxy-incompatible-options.js';
import { createRuleTester, invalidCases } from '../rule-tester.js';
import { at } from '../core/config/locate.js';

const ruleTester = createRuleTester();

const cjs = { languageOptions: { parser: espree, sourceType: 'commonjs', ecmaVersion: 'latest' } } as const;

const HANDLER = `export const handler = async () => ({ statusCode: 200 });`;
const PROXY = 'app.proxy-c9bfei4hjlrd.us-east-1.rds.amazonaws.com';
/** The fixes the messages give; the details are in the rule's doc page. */
const TIMEOUT_FIX = 'use `ALTER ROLE … SET` instead';
const SLONIK_FIX = "set it to `'DISABLE_TIMEOUT'`";
const OPTIONS_FIX = 'move each `-c` setting to `ALTER ROLE … SET`';
const OPTIONS_FIX_POSTGRES_JS = 'move each `-c` to `ALTER ROLE … SET` or `connection: { search_path }`';

type Timeout = 'statement_timeout' | 'lock_timeout' | 'idle_in_transaction_session_timeout';

/** A timeout sent as a startup parameter, reported at exactly `needle`. */
function startup(code: string, needle: string, name: Timeout, fix = TIMEOUT_FIX) {
  return { messageId: 'startupParameter' as const, ...at(code, needle), data: { name, fix } };
}

function options(code: string, needle: string, fix = OPTIONS_FIX) {
  return { messageId: 'commandLineOptions' as const, ...at(code, needle), data: { fix } };
}

function compress(code: string, needle: string, key = 'compress') {
  return { messageId: 'compressedProtocol' as const, ...at(code, needle), data: { key } };
}

function slonikDefaults(code: string, needle: string, missing: Array<'statementTimeout' | 'idleInTransactionSessionTimeout'>) {
  return {
    messageId: 'slonikDefaultTimeouts' as const,
    ...at(code, needle),
    data: { keys: missing.map((k) => `\`${k}\``).join(' and '), them: missing.length > 1 ? 'them' : 'it' },
  };
}

const bad = invalidCases<MessageIds, Options>();

export const valid: Array<string | ValidTestCase<Options>> = [
  // Settings RDS Proxy supports, and client-side settings (never sent to the server).
  `import { Pool } from 'pg';
const pool = new Pool({ application_name: 'orders', query_timeout: 5000, connectionTimeoutMillis: 3000, keepAlive: true });
${HANDLER}`,
  `import postgres from 'postgres';
const sql = postgres({ connection: { application_name: 'orders', search_path: 'app', TimeZone: 'UTC' } });
${HANDLER}`,
  `import { Pool } from 'pg';
const pool = new Pool({ connectionString: 'postgres://app@${PROXY}/app?sslmode=verify-full&application_name=orders' });
${HANDLER}`,
  // Values node-postgres does not send.
  `import { Pool } from 'pg';
const pool = new Pool({ statement_timeout: 0, lock_timeout: undefined, idle_in_transaction_session_timeout: null, options: '' });
${HANDLER}`,
  // Not Lambda code and no RDS Proxy host: a direct connection accepts startup parameters.
  `import { Pool } from 'pg';
export const pool = new Pool({ host: process.env.DB_HOST, statement_timeout: 5000, options: '-c search_path=app' });`,
  `import mysql from 'mysql2/promise';
export const pool = mysql.createPool({ host: 'localhost', compress: true });`,
  // slonik with its startup-parameter timeouts turned off.
  `import { createPool } from 'slonik';
const pool = await createPool(process.env.DATABASE_URL, { statementTimeout: 'DISABLE_TIMEOUT', idleInTransactionSessionTimeout: 'DISABLE_TIMEOUT' });
${HANDLER}`,
  // slonik options the rule cannot see.
  `import { createPool } from 'slonik';
import { poolOptions } from './db-options.js';
const pool = await createPool(process.env.DATABASE_URL, poolOptions);
${HANDLER}`,
  // Compression off.
  `import mysql from 'mysql2/promise';
const pool = mysql.createPool({ compress: false });
${HANDLER}`,
  // knex's `mysql` client is mysqljs, which has no compressed protocol.
  `import knex from 'knex';
const db = knex({ client: 'mysql', connection: { host: process.env.DB_HOST, compress: true } });
${HANDLER}`,
  // Sequelize does not pass `lock_timeout` on to pg.
  `import { Sequelize } from 'sequelize';
const sequelize = new Sequelize(process.env.DATABASE_URL, { dialect: 'postgres', dialectOptions: { lock_timeout: 1000 } });
${HANDLER}`,
  // Another engine.
  `import { DataSource } from 'typeorm';
const dataSource = new DataSource({ type: 'sqlite', database: ':memory:', extra: { statement_timeout: 1000 } });
${HANDLER}`,
  `import knex from 'knex';
const db = knex({ client: 'mysql2', connection: { statement_timeout: 1000 } });
${HANDLER}`,
  // Not an RDS driver (Neon's WebSocket proxy).
  `import { Pool } from '@neondatabase/serverless';
const pool = new Pool({ statement_timeout: 5000 });
${HANDLER}`,
  // Outside any connection config.
  `const settings = { statement_timeout: 5000, compress: true, options: '-c search_path=app' };
${HANDLER}`,
  {
    code: `const { Pool } = require('pg');
const pool = new Pool({ application_name: 'orders' });
exports.handler = async () => pool.query('select 1');`,
    ...cjs,
  },
];

export const invalid: InvalidTestCase<MessageIds, Options>[] = [
  // --- node-postgres ------------------------------------------------------------------------------------------------
  bad(
    `import { Pool } from 'pg';
const pool = new Pool({ host: process.env.DB_PROXY_ENDPOINT, statement_timeout: 5000, lock_timeout: 2000, idle_in_transaction_session_timeout: 60000 });
${HANDLER}`,
    (c) => [
      startup(c, 'statement_timeout: 5000', 'statement_timeout'),
      startup(c, 'lock_timeout: 2000', 'lock_timeout'),
      startup(c, 'idle_in_transaction_session_timeout: 60000', 'idle_in_transaction_session_timeout'),
    ],
  ),
  bad(
    `import pg from 'pg';
const client = new pg.Client({ options: '-c search_path=app -c statement_timeout=5000' });
${HANDLER}`,
    (c) => [options(c, "options: '-c search_path=app -c statement_timeout=5000'")],
  ),
  // From the environment: may be set, and the code means it to be.
  bad(
    `const { Pool } = require('pg');
const pool = new Pool({ statement_timeout: Number(process.env.STATEMENT_TIMEOUT_MS) });
exports.handler = async () => pool.query('select 1');`,
    (c) => [startup(c, 'statement_timeout: Number(process.env.STATEMENT_TIMEOUT_MS)', 'statement_timeout')],
    cjs,
  ),
  // A shared config object, a module-scope assignment, TypeScript syntax.
  bad(
    `import { Pool, type PoolConfig } from 'pg';
const base: PoolConfig = { host: process.env.DB_PROXY_ENDPOINT };
base.statement_timeout = 5000 as number;
export const reader = new Pool(base);
export const writer = new Pool({ ...base, max: 1 });
${HANDLER}`,
    (c) => [startup(c, 'base.statement_timeout = 5000 as number', 'statement_timeout')],
  ),
  // Connection-string parameters.
  bad(
    `import { Pool } from 'pg';
const pool = new Pool({ connectionString: 'postgres://app@${PROXY}/app?options=-c%20search_path%3Dapp&statement_timeout=5000' });
${HANDLER}`,
    (c) => [
      options(c, 'options=-c%20search_path%3Dapp'),
      startup(c, 'statement_timeout=5000', 'statement_timeout'),
    ],
  ),
  // Not Lambda code, but the host is an RDS Proxy endpoint.
  bad(
    `import { Pool } from 'pg';
export const pool = new Pool({ host: '${PROXY}', statement_timeout: 5000 });`,
    (c) => [startup(c, 'statement_timeout: 5000', 'statement_timeout')],
  ),
  bad(
    `import pgPromise from 'pg-promise';
const pgp = pgPromise();
const db = pgp({ host: process.env.DB_HOST, idle_in_transaction_session_timeout: 10000 });
${HANDLER}`,
    (c) => [startup(c, 'idle_in_transaction_session_timeout: 10000', 'idle_in_transaction_session_timeout')],
  ),
  bad(
    `import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL, statement_timeout: 5000 }) });
${HANDLER}`,
    (c) => [startup(c, 'statement_timeout: 5000', 'statement_timeout')],
  ),
  // --- ORMs and query builders on pg --------------------------------------------------------------------------------
  bad(
    `import knex from 'knex';
const db = knex({ client: 'pg', connection: { host: process.env.DB_HOST, options: '-c search_path=app' } });
${HANDLER}`,
    (c) => [options(c, "options: '-c search_path=app'")],
  ),
  bad(
    `import knex from 'knex';
const db = knex({ client: 'postgresql', connection: 'postgres://app@db/app?lock_timeout=2000' });
${HANDLER}`,
    (c) => [startup(c, 'lock_timeout=2000', 'lock_timeout')],
  ),
  bad(
    `const { Sequelize } = require('sequelize');
const sequelize = new Sequelize('app', 'app_user', null, { dialect: 'postgres', dialectOptions: { statement_timeout: 5000, options: '-c search_path=app' } });
exports.handler = async () => sequelize.query('select 1');`,
    (c) => [
      startup(c, 'statement_timeout: 5000', 'statement_timeout'),
      options(c, "options: '-c search_path=app'"),
    ],
    cjs,
  ),
  bad(
    `import { DataSource } from 'typeorm';
const dataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, extra: { statement_timeout: 5000 } });
${HANDLER}`,
    (c) => [startup(c, 'statement_timeout: 5000', 'statement_timeout')],
  ),
  bad(
    `import { drizzle } from 'drizzle-orm/node-postgres';
const db = drizzle({ connection: { connectionString: process.env.DATABASE_URL, statement_timeout: 5000 } });
${HANDLER}`,
    (c) => [startup(c, 'statement_timeout: 5000', 'statement_timeout')],
  ),
  // --- postgres.js --------------------------------------------------------------------------------------------------
  bad(
    `import postgres from 'postgres';
const sql = postgres(process.env.DATABASE_URL, { connection: { application_name: 'orders', statement_timeout: 5000, options: '-c search_path=app' } });
${HANDLER}`,
    (c) => [
      startup(c, 'statement_timeout: 5000', 'statement_timeout'),
      options(c, "options: '-c search_path=app'", OPTIONS_FIX_POSTGRES_JS),
    ],
  ),
  bad(
    `import postgres from 'postgres';
const sql = postgres('postgres://app@${PROXY}/app?idle_in_transaction_session_timeout=60000');
${HANDLER}`,
    (c) => [startup(c, 'idle_in_transaction_session_timeout=60000', 'idle_in_transaction_session_timeout')],
  ),
  // --- slonik -------------------------------------------------------------------------------------------------------
  bad(
    `import { createPool } from 'slonik';
const pool = await createPool(process.env.DATABASE_URL);
${HANDLER}`,
    (c) => [slonikDefaults(c, 'createPool(process.env.DATABASE_URL)', ['statementTimeout', 'idleInTransactionSessionTimeout'])],
  ),
  bad(
    `import { createPool } from 'slonik';
const pool = await createPool(process.env.DATABASE_URL, { statementTimeout: 5000, idleInTransactionSessionTimeout: 'DISABLE_TIMEOUT' });
${HANDLER}`,
    (c) => [
      startup(c, 'statementTimeout: 5000', 'statement_timeout', SLONIK_FIX),
    ],
  ),
  bad(
    `import { createPool } from 'slonik';
const pool = await createPool('postgres://app@db/app?options=-c%20search_path%3Dapp', { statementTimeout: 'DISABLE_TIMEOUT' });
${HANDLER}`,
    (c) => [
      slonikDefaults(c, "createPool('postgres://app@db/app?options=-c%20search_path%3Dapp', { statementTimeout: 'DISABLE_TIMEOUT' })", ['idleInTransactionSessionTimeout']),
      options(c, 'options=-c%20search_path%3Dapp'),
    ],
  ),
  // --- MySQL compressed protocol ----------------------------------------------------------------------------------
  bad(
    `import mysql from 'mysql2/promise';
const pool = mysql.createPool({ host: process.env.DB_PROXY_ENDPOINT, compress: true });
${HANDLER}`,
    (c) => [compress(c, 'compress: true')],
  ),
  bad(
    `const mysql = require('mysql2');
const connection = mysql.createConnection('mysql://app@db/app?compress=true');
exports.handler = async () => connection.promise().query('select 1');`,
    (c) => [compress(c, 'compress=true', 'compress=true')],
    cjs,
  ),
  bad(
    `import * as mariadb from 'mariadb';
const pool = mariadb.createPool({ host: '${PROXY}', compress: true });
export const pool2 = pool;`,
    (c) => [compress(c, 'compress: true')],
  ),
  bad(
    `import knex from 'knex';
const db = knex({ client: 'mysql2', connection: { host: process.env.DB_HOST, compress: true } });
${HANDLER}`,
    (c) => [compress(c, 'compress: true')],
  ),
  bad(
    `import { Sequelize } from 'sequelize';
const sequelize = new Sequelize(process.env.DATABASE_URL, { dialect: 'mariadb', dialectOptions: { compress: true } });
${HANDLER}`,
    (c) => [compress(c, 'compress: true')],
  ),
  bad(
    `import { DataSource } from 'typeorm';
const dataSource = new DataSource({ type: 'mysql', extra: { compress: true } });
${HANDLER}`,
    (c) => [compress(c, 'compress: true')],
  ),
  bad(
    `import serverlessMysql from 'serverless-mysql';
const mysql = serverlessMysql({ config: { host: process.env.DB_HOST, compress: true } });
${HANDLER}`,
    (c) => [compress(c, 'compress: true')],
  ),
];

ruleTester.run('no-proxy-incompatible-options', rule, { valid, invalid });
