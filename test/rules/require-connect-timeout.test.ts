import path from 'node:path';
import * as espree from 'espree';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../src/rules/require-connect-timeout.js';
import { createRuleTester } from '../rule-tester.js';
import { fixtureProject } from '../helpers/projects.js';
import { at } from '../core/config/locate.js';

const ruleTester = createRuleTester();

const cjs = { languageOptions: { parser: espree, sourceType: 'commonjs', ecmaVersion: 'latest' } } as const;

const HANDLER = `export const handler = async () => ({ statusCode: 200 });`;
const CJS_HANDLER = `exports.handler = async () => ({ statusCode: 200 });`;

/** Without a deployment descriptor the limit is the `maxSeconds` option (10 s by default). */
const OVER_MAX = 'more than 10 s';
const notBelow = (seconds: number) => `not below the ${seconds} s function timeout`;
const CONNECT = 'to connect';
const ACQUIRE = 'for a pooled connection';

/** The code with the first `from` replaced by `to`: what a suggestion should produce. */
const edit = (code: string, from: string, to: string) => {
  if (!code.includes(from)) throw new Error(`${from} is not in the code`);
  return code.replace(from, to);
};

function suggest(key: string, value: string, output: string) {
  return [{ messageId: 'suggestConnectTimeout' as const, data: { key, value }, output }];
}

/** A driver that waits without limit and a config that sets no timeout: reported at the creating call `call`. */
function noLimit(code: string, call: string, driver: string, key: string, output?: string, value = '5000 (5 s)') {
  return {
    messageId: 'noConnectTimeout' as const,
    ...at(code, call),
    data: { driver, key, for: CONNECT },
    ...(output === undefined ? {} : { suggestions: suggest(key, value, output) }),
  };
}

/** A value that means no limit (`0`, slonik's `'DISABLE_TIMEOUT'`): reported at the value `needle`. */
function zero(code: string, needle: string, driver: string, key: string, output: string, value = '5000 (5 s)') {
  return {
    messageId: 'unboundedTimeout' as const,
    ...at(code, needle),
    data: { driver, key, value: needle, for: CONNECT },
    suggestions: suggest(key, value, output),
  };
}

interface Wait {
  readonly driver: string;
  readonly key: string;
  readonly wait: string;
  readonly for?: string;
  readonly limit?: string;
  readonly suggested?: string;
  /** The suggestion's value text and output; no suggestion when absent. */
  readonly value?: string;
  readonly output?: string;
  readonly nth?: number;
}

/** An explicit timeout that is too long: reported at the value `needle`. */
function tooLong(code: string, needle: string, w: Wait) {
  return {
    messageId: 'timeoutTooLong' as const,
    ...at(code, needle, w.nth ?? 0),
    data: { driver: w.driver, key: w.key, wait: w.wait, for: w.for ?? CONNECT, limit: w.limit ?? OVER_MAX, suggested: w.suggested ?? '5 s' },
    ...(w.output === undefined ? {} : { suggestions: suggest(w.key, w.value ?? '5000 (5 s)', w.output) }),
  };
}

/** A default that is too long, with no setting: reported at the creating call `call`. */
function byDefault(code: string, call: string, w: Wait) {
  return {
    messageId: 'defaultTooLong' as const,
    ...at(code, call),
    data: { driver: w.driver, key: w.key, wait: w.wait, for: w.for ?? CONNECT, limit: w.limit ?? OVER_MAX, suggested: w.suggested ?? '5 s' },
    ...(w.output === undefined ? {} : { suggestions: suggest(w.key, w.value ?? '5000 (5 s)', w.output) }),
  };
}

function bad(
  code: string,
  errors: (code: string) => InvalidTestCase<MessageIds, Options>['errors'],
  extra: Partial<InvalidTestCase<MessageIds, Options>> = {},
): InvalidTestCase<MessageIds, Options> {
  return { code, errors: errors(code), ...extra };
}

export const valid: Array<string | ValidTestCase<Options>> = [
  // A timeout of a few seconds.
  `import { Pool } from 'pg';
const pool = new Pool({ host: process.env.DB_PROXY_ENDPOINT, max: 1, connectionTimeoutMillis: 3000 });
${HANDLER}`,
  {
    code: `const { Client } = require('pg');
exports.handler = async () => {
  const client = new Client({ connectionTimeoutMillis: 5_000 });
  await client.connect();
};`,
    ...cjs,
  },
  `import pgPromise from 'pg-promise';
const pgp = pgPromise();
const db = pgp({ host: process.env.DB_PROXY_ENDPOINT, connectionTimeoutMillis: 4000 });
${HANDLER}`,
  `import postgres from 'postgres';
const sql = postgres({ host: process.env.DB_PROXY_ENDPOINT, connect_timeout: 5 });
${HANDLER}`,
  `import postgres from 'postgres';
const sql = postgres('postgres://app@orders.proxy-c9bfei4hjlrd.us-east-1.rds.amazonaws.com/orders?connect_timeout=3');
${HANDLER}`,
  // Defaults already short enough without a known function timeout: mysql, mysql2, mariadb (10 s), slonik (5 s),
  // Prisma (5 s to connect, 10 s for a pool slot), TypeORM over mysql.
  `import mysql from 'mysql2/promise';
const pool = mysql.createPool({ host: process.env.DB_PROXY_ENDPOINT, connectionLimit: 1 });
${HANDLER}`,
  { code: `const mysql = require('mysql');\nconst pool = mysql.createPool({ host: process.env.DB_PROXY_ENDPOINT });\n${CJS_HANDLER}`, ...cjs },
  `import mariadb from 'mariadb';
const pool = mariadb.createPool({ host: process.env.DB_PROXY_ENDPOINT, connectionLimit: 1 });
${HANDLER}`,
  `import { createPool } from 'slonik';
const pool = await createPool('postgres://app@db/orders');
${HANDLER}`,
  `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient({ datasourceUrl: 'postgresql://app@db:5432/orders?connection_limit=1' });
${HANDLER}`,
  `import { DataSource } from 'typeorm';
const dataSource = new DataSource({ type: 'mysql', host: process.env.DB_PROXY_ENDPOINT });
${HANDLER}`,
  `import knex from 'knex';
const db = knex({ client: 'pg', connection: process.env.DATABASE_URL, acquireConnectionTimeout: 2000 });
${HANDLER}`,
  `import { Sequelize } from 'sequelize';
const sequelize = new Sequelize(process.env.DATABASE_URL, { dialect: 'postgres', pool: { max: 1, acquire: 3000 } });
${HANDLER}`,
  `import sql from 'mssql';
const pool = new sql.ConnectionPool({ server: process.env.DB_PROXY_ENDPOINT, connectionTimeout: 5000 });
${HANDLER}`,
  // Not Lambda code: a server or a script may wait as it likes.
  `import { Pool } from 'pg';
export const pool = new Pool({ host: process.env.DB_HOST });`,
  // What the code does not show may set it: a config from another module, a spread, a connection string that is
  // not written out (postgres.js reads `connect_timeout` from the URL), Prisma's URL in the environment.
  `import { Pool } from 'pg';
import { dbConfig } from './config';
const pool = new Pool(dbConfig);
${HANDLER}`,
  `import { Pool } from 'pg';
import { base } from './config';
const pool = new Pool({ ...base, max: 1 });
${HANDLER}`,
  `import postgres from 'postgres';
const sql = postgres(process.env.DATABASE_URL);
${HANDLER}`,
  `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
${HANDLER}`,
  `import { Pool } from 'pg';
const pool = new Pool({ connectionTimeoutMillis: Number(process.env.DB_CONNECT_TIMEOUT) });
${HANDLER}`,
  // An HTTP API: no connection to wait for.
  `import { RDSDataClient } from '@aws-sdk/client-rds-data';
const client = new RDSDataClient({});
${HANDLER}`,
  // knex: the shorter of `acquireConnectionTimeout` and `pool.acquireTimeoutMillis` applies.
  `import knex from 'knex';
const db = knex({ client: 'mysql2', connection: process.env.DATABASE_URL, pool: { min: 0, max: 1, acquireTimeoutMillis: 3000 } });
${HANDLER}`,
  `import knex from 'knex';
const db = knex({ client: 'pg', connection: process.env.DATABASE_URL, acquireConnectionTimeout: 120000, pool: { acquireTimeoutMillis: 4000 } });
${HANDLER}`,
  // mysql's \`acquireTimeout\` is its pools'; a single connection does not read it.
  { code: `const mysql = require('mysql');\nconst connection = mysql.createConnection({ host: process.env.DB_PROXY_ENDPOINT, acquireTimeout: 60000 });\n${CJS_HANDLER}`, ...cjs },
  // mariadb: 1 s to connect, 10 s for a pool slot by default.
  `import mariadb from 'mariadb';
export const handler = async () => {
  const connection = await mariadb.createConnection({ host: process.env.DB_PROXY_ENDPOINT });
  return connection.query('SELECT 1');
};`,
  // A higher `maxSeconds`.
  {
    code: `import mysql from 'mysql2/promise';
const pool = mysql.createPool({ host: process.env.DB_PROXY_ENDPOINT, connectTimeout: 20000 });
${HANDLER}`,
    options: [{ maxSeconds: 20 }],
  },
];

export const invalid: InvalidTestCase<MessageIds, Options>[] = [
  // --- pg: no limit unless `connectionTimeoutMillis` is set ------------------------------------------------------
  bad(
    `import { Pool } from 'pg';
const pool = new Pool({ host: process.env.DB_PROXY_ENDPOINT, max: 1 });
${HANDLER}`,
    (c) => [
      noLimit(c, 'new Pool({ host: process.env.DB_PROXY_ENDPOINT, max: 1 })', 'pg `Pool`', 'connectionTimeoutMillis', edit(c, 'max: 1 }', 'max: 1, connectionTimeoutMillis: 5000 }')),
    ],
  ),
  bad(
    `const { Client } = require('pg');
exports.handler = async (event) => {
  const client = new Client({
    host: process.env.DB_PROXY_ENDPOINT,
    database: 'orders',
  });
  await client.connect();
  return client.query('SELECT 1');
};`,
    (c) => [
      noLimit(
        c,
        `new Client({
    host: process.env.DB_PROXY_ENDPOINT,
    database: 'orders',
  })`,
        'pg `Client`',
        'connectionTimeoutMillis',
        edit(c, "database: 'orders',\n", "database: 'orders',\n    connectionTimeoutMillis: 5000,\n"),
      ),
    ],
    cjs,
  ),
  // Configured from the environment only: the config object is added.
  bad(`import pg from 'pg';\nconst pool = new pg.Pool();\n${HANDLER}`, (c) => [
    noLimit(c, 'new pg.Pool()', 'pg `Pool`', 'connectionTimeoutMillis', edit(c, 'new pg.Pool()', 'new pg.Pool({ connectionTimeoutMillis: 5000 })')),
  ]),
  // A connection string: pg reads no connect timeout from it, and there is no object to add the key to.
  bad(`const { Client } = require('pg');\nconst client = new Client(process.env.DATABASE_URL);\n${CJS_HANDLER}`, (c) => [
    noLimit(c, 'new Client(process.env.DATABASE_URL)', 'pg `Client`', 'connectionTimeoutMillis'),
  ], cjs),
  // 0 means no limit.
  bad(
    `import { Pool } from 'pg';
const pool = new Pool({ connectionTimeoutMillis: 0, max: 1 });
${HANDLER}`,
    (c) => [zero(c, '0', 'pg `Pool`', 'connectionTimeoutMillis', edit(c, 'connectionTimeoutMillis: 0', 'connectionTimeoutMillis: 5000'))],
  ),
  // Too long, in a config declared apart (the suggestion keeps the number's separators).
  bad(
    `import { Pool, type PoolConfig } from 'pg';
const config: PoolConfig = { host: process.env.DB_PROXY_ENDPOINT, connectionTimeoutMillis: 30_000 };
const pool = new Pool(config);
${HANDLER}`,
    (c) => [
      tooLong(c, '30_000', {
        driver: 'pg `Pool`',
        key: 'connectionTimeoutMillis',
        wait: '30 s',
        output: edit(c, '30_000', '5_000'),
      }),
    ],
  ),
  // pg-pool and pg-promise hand their config to pg.
  bad(`import Pool from 'pg-pool';\nconst pool = new Pool({ max: 1 });\n${HANDLER}`, (c) => [
    noLimit(c, 'new Pool({ max: 1 })', 'pg-pool `Pool`', 'connectionTimeoutMillis', edit(c, 'max: 1 }', 'max: 1, connectionTimeoutMillis: 5000 }')),
  ]),
  bad(
    `const pgp = require('pg-promise')();
const db = pgp({ host: process.env.DB_PROXY_ENDPOINT, database: 'orders' });
${CJS_HANDLER}`,
    (c) => [
      noLimit(
        c,
        "pgp({ host: process.env.DB_PROXY_ENDPOINT, database: 'orders' })",
        'pg-promise database',
        'connectionTimeoutMillis',
        edit(c, "database: 'orders' }", "database: 'orders', connectionTimeoutMillis: 5000 }"),
      ),
    ],
    cjs,
  ),

  // serverless-postgres hands its config to pg.
  bad(
    `const ServerlessClient = require('serverless-postgres');
const client = new ServerlessClient({ host: process.env.DB_PROXY_ENDPOINT, maxConnections: 100 });
${CJS_HANDLER}`,
    (c) => [
      noLimit(
        c,
        'new ServerlessClient({ host: process.env.DB_PROXY_ENDPOINT, maxConnections: 100 })',
        'serverless-postgres `ServerlessClient`',
        'connectionTimeoutMillis',
        edit(c, 'maxConnections: 100 }', 'maxConnections: 100, connectionTimeoutMillis: 5000 }'),
      ),
    ],
    cjs,
  ),

  // --- postgres.js: 30 s by default, in seconds ------------------------------------------------------------------
  // 0 means no limit.
  bad(`import postgres from 'postgres';\nconst sql = postgres({ max: 1, connect_timeout: 0 });\n${HANDLER}`, (c) => [
    {
      ...zero(c, '0', 'postgres.js `postgres()`', 'connect_timeout', edit(c, 'connect_timeout: 0', 'connect_timeout: 5'), '5 (seconds)'),
    },
  ]),
  bad(`import postgres from 'postgres';\nconst sql = postgres({ host: process.env.DB_PROXY_ENDPOINT, max: 1 });\n${HANDLER}`, (c) => [
    byDefault(c, 'postgres({ host: process.env.DB_PROXY_ENDPOINT, max: 1 })', {
      driver: 'postgres.js `postgres()`',
      key: 'connect_timeout',
      wait: '30 s',
      value: '5 (seconds)',
      output: edit(c, 'max: 1 }', 'max: 1, connect_timeout: 5 }'),
    }),
  ]),
  // In the URL: the digits are rewritten.
  bad(
    `const postgres = require('postgres');
const sql = postgres('postgres://app@orders.proxy-c9bfei4hjlrd.us-east-1.rds.amazonaws.com/orders?connect_timeout=60');
${CJS_HANDLER}`,
    (c) => [
      tooLong(c, '60', {
        driver: 'postgres.js `postgres()`',
        key: 'connect_timeout',
        wait: '60 s',
        value: '5 (seconds)',
        output: edit(c, 'connect_timeout=60', 'connect_timeout=5'),
      }),
    ],
    cjs,
  ),
  // A URL written out with no parameter, and an options object after it.
  bad(
    `import postgres from 'postgres';
const sql = postgres('postgres://app@orders.proxy-c9bfei4hjlrd.us-east-1.rds.amazonaws.com/orders');
${HANDLER}`,
    (c) => [
      byDefault(c, "postgres('postgres://app@orders.proxy-c9bfei4hjlrd.us-east-1.rds.amazonaws.com/orders')", {
        driver: 'postgres.js `postgres()`',
        key: 'connect_timeout',
        wait: '30 s',
        value: '5 (seconds)',
        output: edit(c, "/orders')", "/orders', { connect_timeout: 5 })"),
      }),
    ],
  ),

  // --- mysql2, mysql, mariadb: `connectTimeout` in milliseconds --------------------------------------------------
  bad(
    `import mysql from 'mysql2/promise';
const pool = mysql.createPool({ host: process.env.DB_PROXY_ENDPOINT, connectTimeout: 30000 });
${HANDLER}`,
    (c) => [
      tooLong(c, '30000', { driver: 'mysql2 `createPool()`', key: 'connectTimeout', wait: '30 s', output: edit(c, '30000', '5000') }),
    ],
  ),
  bad(
    `const mysql = require('mysql2');
const connection = mysql.createConnection({ host: process.env.DB_PROXY_ENDPOINT, connectTimeout: 0 });
${CJS_HANDLER}`,
    (c) => [zero(c, '0', 'mysql2 `createConnection()`', 'connectTimeout', edit(c, 'connectTimeout: 0', 'connectTimeout: 5000'))],
    cjs,
  ),
  bad(
    `const mysql = require('mysql');
const pool = mysql.createPool({ host: process.env.DB_PROXY_ENDPOINT, connectTimeout: 20000 });
${CJS_HANDLER}`,
    (c) => [tooLong(c, '20000', { driver: 'mysql `createPool()`', key: 'connectTimeout', wait: '20 s', output: edit(c, '20000', '5000') })],
    cjs,
  ),
  bad(
    `import mariadb from 'mariadb';
const pool = mariadb.createPool({ host: process.env.DB_PROXY_ENDPOINT, connectTimeout: 15000 });
${HANDLER}`,
    (c) => [tooLong(c, '15000', { driver: 'mariadb `createPool()`', key: 'connectTimeout', wait: '15 s', output: edit(c, '15000', '5000') })],
  ),
  // serverless-mysql hands `config` to mysql.
  bad(
    `const mysql = require('serverless-mysql')({ config: { host: process.env.DB_PROXY_ENDPOINT, connectTimeout: 60000 } });
${CJS_HANDLER}`,
    (c) => [
      tooLong(c, '60000', { driver: 'serverless-mysql', key: 'config.connectTimeout', wait: '60 s', output: edit(c, '60000', '5000') }),
    ],
    cjs,
  ),

  // --- Query builders and ORMs: waiting for a pool slot ----------------------------------------------------------
  bad(
    `import knex from 'knex';
const db = knex({ client: 'pg', connection: process.env.DATABASE_URL, pool: { min: 0, max: 1 } });
${HANDLER}`,
    (c) => [
      byDefault(c, "knex({ client: 'pg', connection: process.env.DATABASE_URL, pool: { min: 0, max: 1 } })", {
        driver: 'knex',
        key: 'acquireConnectionTimeout',
        wait: '60 s',
        for: ACQUIRE,
        output: edit(c, 'max: 1 } }', 'max: 1 }, acquireConnectionTimeout: 5000 }'),
      }),
    ],
  ),
  bad(
    `const { Sequelize } = require('sequelize');
const sequelize = new Sequelize('orders', 'app', process.env.DB_PASSWORD, {
  host: process.env.DB_PROXY_ENDPOINT,
  dialect: 'postgres',
  pool: { max: 1 },
});
${CJS_HANDLER}`,
    (c) => [
      byDefault(c, c.slice(c.indexOf('new Sequelize'), c.indexOf('});') + 2), {
        driver: 'Sequelize',
        key: 'pool.acquire',
        wait: '60 s',
        for: ACQUIRE,
        output: edit(c, 'pool: { max: 1 }', 'pool: { max: 1, acquire: 5000 }'),
      }),
    ],
    cjs,
  ),
  // No `pool` object yet: it is added with the key.
  bad(
    `import { Sequelize } from 'sequelize';
const sequelize = new Sequelize(process.env.DATABASE_URL, { dialect: 'mysql' });
${HANDLER}`,
    (c) => [
      byDefault(c, "new Sequelize(process.env.DATABASE_URL, { dialect: 'mysql' })", {
        driver: 'Sequelize',
        key: 'pool.acquire',
        wait: '60 s',
        for: ACQUIRE,
        output: edit(c, "dialect: 'mysql' }", "dialect: 'mysql', pool: { acquire: 5000 } }"),
      }),
    ],
  ),
  bad(
    `import { Sequelize } from 'sequelize';
const sequelize = new Sequelize({ dialect: 'postgres', pool: { acquire: 30000 } });
${HANDLER}`,
    (c) => [tooLong(c, '30000', { driver: 'Sequelize', key: 'pool.acquire', wait: '30 s', for: ACQUIRE, output: edit(c, '30000', '5000') })],
  ),
  // TypeORM over pg: pg's unbounded wait, under TypeORM's key.
  bad(
    `import { DataSource } from 'typeorm';
export const dataSource = new DataSource({ type: 'postgres', host: process.env.DB_PROXY_ENDPOINT, entities: [] });
${HANDLER}`,
    (c) => [
      noLimit(
        c,
        "new DataSource({ type: 'postgres', host: process.env.DB_PROXY_ENDPOINT, entities: [] })",
        'TypeORM `DataSource`',
        'connectTimeoutMS',
        edit(c, 'entities: [] }', 'entities: [], connectTimeoutMS: 5000 }'),
      ),
    ],
  ),
  // Prisma: the URL's `connect_timeout`, when the URL is written out.
  bad(
    `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient({ datasourceUrl: 'postgresql://app@db:5432/orders?connection_limit=1&connect_timeout=30' });
${HANDLER}`,
    (c) => [
      tooLong(c, '30', {
        driver: 'Prisma `PrismaClient`',
        key: 'connect_timeout',
        wait: '30 s',
        value: '5 (seconds)',
        output: edit(c, 'connect_timeout=30', 'connect_timeout=5'),
      }),
    ],
  ),

  // --- SQL Server ------------------------------------------------------------------------------------------------
  bad(
    `import sql from 'mssql';
const pool = new sql.ConnectionPool({ server: process.env.DB_PROXY_ENDPOINT, database: 'orders' });
${HANDLER}`,
    (c) => [
      byDefault(c, "new sql.ConnectionPool({ server: process.env.DB_PROXY_ENDPOINT, database: 'orders' })", {
        driver: 'mssql `ConnectionPool`',
        key: 'connectionTimeout',
        wait: '15 s',
        output: edit(c, "database: 'orders' }", "database: 'orders', connectionTimeout: 5000 }"),
      }),
    ],
  ),
  bad(
    `const { Connection } = require('tedious');
exports.handler = async () => {
  const connection = new Connection({ server: process.env.DB_PROXY_ENDPOINT, options: { database: 'orders', connectTimeout: 30000 } });
  connection.connect();
};`,
    (c) => [tooLong(c, '30000', { driver: 'tedious `Connection`', key: 'options.connectTimeout', wait: '30 s', output: edit(c, '30000', '5000') })],
    cjs,
  ),
  bad(
    `import { Connection } from 'tedious';
export const handler = async () => {
  const connection = new Connection({ server: process.env.DB_PROXY_ENDPOINT });
  connection.connect();
};`,
    (c) => [
      byDefault(c, 'new Connection({ server: process.env.DB_PROXY_ENDPOINT })', {
        driver: 'tedious `Connection`',
        key: 'options.connectTimeout',
        wait: '15 s',
        output: edit(c, 'DB_PROXY_ENDPOINT }', 'DB_PROXY_ENDPOINT, options: { connectTimeout: 5000 } }'),
      }),
    ],
  ),
  // slonik: `connectionTimeout` in milliseconds, in the options after the URL.
  bad(
    `import { createPool } from 'slonik';
const pool = await createPool(process.env.DATABASE_URL, { connectionTimeout: 60_000 });
${HANDLER}`,
    (c) => [tooLong(c, '60_000', { driver: 'slonik `createPool()`', key: 'connectionTimeout', wait: '60 s', output: edit(c, '60_000', '5_000') })],
  ),

  // slonik's word for no limit.
  bad(
    `import { createPool } from 'slonik';
const pool = await createPool(process.env.DATABASE_URL, { connectionTimeout: 'DISABLE_TIMEOUT' });
${HANDLER}`,
    (c) => [zero(c, "'DISABLE_TIMEOUT'", 'slonik `createPool()`', 'connectionTimeout', edit(c, "'DISABLE_TIMEOUT'", '5000'))],
  ),
  // mysql pools: \`acquireTimeout\` bounds a new connection's handshake.
  bad(
    `const mysql = require('mysql');
const pool = mysql.createPool({ host: process.env.DB_PROXY_ENDPOINT, connectionLimit: 1, acquireTimeout: 30000 });
${CJS_HANDLER}`,
    (c) => [tooLong(c, '30000', { driver: 'mysql `createPool()`', key: 'acquireTimeout', wait: '30 s', output: edit(c, '30000', '5000') })],
    cjs,
  ),
  // serverless-mysql configured by `mysql.config()`, which takes mysql2's options: that call is checked, not the
  // creating call.
  bad(
    `import serverlessMysql from 'serverless-mysql';
const mysql = serverlessMysql({ backoff: 'decorrelated' });
mysql.config({ host: process.env.DB_PROXY_ENDPOINT, database: 'orders', connectTimeout: 30000 });
${HANDLER}`,
    (c) => [
      tooLong(c, '30000', { driver: 'serverless-mysql `config()`', key: 'connectTimeout', wait: '30 s', output: edit(c, '30000', '5000') }),
    ],
  ),
  // A pool cluster: each `add()` config is a pool's; the cluster's own options are not.
  bad(
    `const mysql = require('mysql2');
const cluster = mysql.createPoolCluster({ canRetry: false });
cluster.add('writer', { host: process.env.DB_PROXY_ENDPOINT, connectionLimit: 1, connectTimeout: 60000 });
${CJS_HANDLER}`,
    (c) => [
      tooLong(c, '60000', { driver: 'mysql2 `createPoolCluster()` `add()`', key: 'connectTimeout', wait: '60 s', output: edit(c, '60000', '5000') }),
    ],
    cjs,
  ),
  // knex: both keys too long; the shorter one is reported.
  bad(
    `import knex from 'knex';
const db = knex({ client: 'pg', connection: process.env.DATABASE_URL, acquireConnectionTimeout: 120000, pool: { acquireTimeoutMillis: 30000 } });
${HANDLER}`,
    (c) => [
      tooLong(c, '30000', {
        driver: 'knex',
        key: 'pool.acquireTimeoutMillis',
        wait: '30 s',
        for: ACQUIRE,
        output: edit(c, 'acquireTimeoutMillis: 30000', 'acquireTimeoutMillis: 5000'),
      }),
    ],
  ),

  // --- The `maxSeconds` option -----------------------------------------------------------------------------------
  bad(
    `import mysql from 'mysql2/promise';
const pool = mysql.createPool({ host: process.env.DB_PROXY_ENDPOINT, connectTimeout: 5000 });
${HANDLER}`,
    (c) => [
      tooLong(c, '5000', {
        driver: 'mysql2 `createPool()`',
        key: 'connectTimeout',
        wait: '5 s',
        limit: 'more than 3 s',
        suggested: '3 s',
        value: '3000 (3 s)',
        output: edit(c, '5000', '3000'),
      }),
    ],
    { options: [{ maxSeconds: 3 }] },
  ),
];

// ---------------------------------------------------------------------------------------------------------------
// Function timeouts from deployment descriptors (copies of test/fixtures/projects/timeouts-*): a wait must be shorter
// than the function's timeout, whatever `maxSeconds` says.

const serverless = fixtureProject('timeouts-serverless');
const sam = fixtureProject('timeouts-sam');
const cdk = fixtureProject('timeouts-cdk');

/** A case in a fixture project, at `file` (the code is what the rule test lints, not the file on disk). */
const inProject = (root: string, file: string) => ({ filename: path.join(root, file) });

const projectValid: Array<ValidTestCase<Options>> = [
  // serverless.yml: `invoices` has the framework's 6 s; 5 s is shorter.
  {
    code: `const { Pool } = require('pg');
const pool = new Pool({ host: process.env.DB_PROXY_ENDPOINT, connectionTimeoutMillis: 5000 });
module.exports.handler = async () => pool.query('SELECT 1');`,
    ...inProject(serverless, 'src/invoices.js'),
    ...cjs,
  },
  // `exports` has 30 s: 20 s is more than `maxSeconds` but shorter than the function's timeout.
  {
    code: `import postgres from 'postgres';
const sql = postgres({ host: process.env.DB_PROXY_ENDPOINT, connect_timeout: 20 });
export const handler = async () => sql\`SELECT 1\`;`,
    ...inProject(serverless, 'src/exports.mjs'),
  },
  // SAM, 3 s: knex told to wait 2 s for a pool slot.
  {
    code: `import knex from 'knex';
const db = knex({ client: 'pg', connection: { host: process.env.DB_PROXY_ENDPOINT }, acquireConnectionTimeout: 2000 });
export const handler = async () => db('reports').select('id');`,
    ...inProject(sam, 'short/app.mjs'),
  },
  // CDK, 15 s: 10 s is shorter.
  {
    code: `import { Pool } from 'pg';
const pool = new Pool({ connectionTimeoutMillis: 10_000 });
export const handler = async () => pool.query('SELECT 1');`,
    ...inProject(cdk, 'functions/orders.ts'),
  },
];

const projectInvalid: InvalidTestCase<MessageIds, Options>[] = [
  // serverless.yml, 6 s (the framework's default): a 6 s connect timeout is not shorter.
  bad(
    `const { Pool } = require('pg');
const pool = new Pool({ host: process.env.DB_PROXY_ENDPOINT, connectionTimeoutMillis: 6000 });
module.exports.handler = async () => pool.query('SELECT 1');`,
    (c) => [
      tooLong(c, '6000', {
        driver: 'pg `Pool`',
        key: 'connectionTimeoutMillis',
        wait: '6 s',
        limit: notBelow(6),
        suggested: '3 s',
        value: '3000 (3 s)',
        output: edit(c, '6000', '3000'),
      }),
    ],
    { ...inProject(serverless, 'src/invoices.js'), ...cjs },
  ),
  // mysql2's 10 s default is longer than a 6 s function.
  bad(
    `const mysql = require('mysql2/promise');
const pool = mysql.createPool({ host: process.env.DB_PROXY_ENDPOINT, connectionLimit: 1 });
module.exports.handler = async () => pool.query('SELECT 1');`,
    (c) => [
      byDefault(c, 'mysql.createPool({ host: process.env.DB_PROXY_ENDPOINT, connectionLimit: 1 })', {
        driver: 'mysql2 `createPool()`',
        key: 'connectTimeout',
        wait: '10 s',
        limit: notBelow(6),
        suggested: '3 s',
        value: '3000 (3 s)',
        output: edit(c, 'connectionLimit: 1 }', 'connectionLimit: 1, connectTimeout: 3000 }'),
      }),
    ],
    { ...inProject(serverless, 'src/invoices.js'), ...cjs },
  ),
  // serverless-mysql, configured later by `mysql.config()`: its mysql2 default of 10 s, reported at that call only.
  bad(
    `const mysql = require('serverless-mysql')();
mysql.config({ host: process.env.DB_PROXY_ENDPOINT, database: 'billing' });
module.exports.handler = async () => mysql.query('SELECT 1');`,
    (c) => [
      byDefault(c, "mysql.config({ host: process.env.DB_PROXY_ENDPOINT, database: 'billing' })", {
        driver: 'serverless-mysql `config()`',
        key: 'connectTimeout',
        wait: '10 s',
        limit: notBelow(6),
        suggested: '3 s',
        value: '3000 (3 s)',
        output: edit(c, "database: 'billing' }", "database: 'billing', connectTimeout: 3000 }"),
      }),
    ],
    { ...inProject(serverless, 'src/invoices.js'), ...cjs },
  ),
  // `exports`, 30 s: postgres.js's 30 s default is not shorter.
  bad(
    `import postgres from 'postgres';
const sql = postgres({ host: process.env.DB_PROXY_ENDPOINT, max: 1 });
export const handler = async () => sql\`SELECT 1\`;`,
    (c) => [
      byDefault(c, 'postgres({ host: process.env.DB_PROXY_ENDPOINT, max: 1 })', {
        driver: 'postgres.js `postgres()`',
        key: 'connect_timeout',
        wait: '30 s',
        limit: notBelow(30),
        value: '5 (seconds)',
        output: edit(c, 'max: 1 }', 'max: 1, connect_timeout: 5 }'),
      }),
    ],
    inProject(serverless, 'src/exports.mjs'),
  ),
  // SAM, 8 s from `Globals`: mysql2's default 10 s.
  bad(
    `const mysql = require('mysql2/promise');
const pool = mysql.createPool({ host: process.env.DB_PROXY_ENDPOINT, connectionLimit: 1 });
exports.handler = async () => (await pool.query('SELECT 1'))[0];`,
    (c) => [
      byDefault(c, 'mysql.createPool({ host: process.env.DB_PROXY_ENDPOINT, connectionLimit: 1 })', {
        driver: 'mysql2 `createPool()`',
        key: 'connectTimeout',
        wait: '10 s',
        limit: notBelow(8),
        suggested: '4 s',
        value: '4000 (4 s)',
        output: edit(c, 'connectionLimit: 1 }', 'connectionLimit: 1, connectTimeout: 4000 }'),
      }),
    ],
    { ...inProject(sam, 'reports/index.js'), ...cjs },
  ),
  // SAM, 8 s: a mariadb pool's 10 s wait for a slot (its 1 s connect timeout is short enough).
  bad(
    `const mariadb = require('mariadb');
const pool = mariadb.createPool({ host: process.env.DB_PROXY_ENDPOINT, connectionLimit: 1 });
exports.handler = async () => pool.query('SELECT 1');`,
    (c) => [
      byDefault(c, 'mariadb.createPool({ host: process.env.DB_PROXY_ENDPOINT, connectionLimit: 1 })', {
        driver: 'mariadb `createPool()`',
        key: 'acquireTimeout',
        wait: '10 s',
        for: ACQUIRE,
        limit: notBelow(8),
        suggested: '4 s',
        value: '4000 (4 s)',
        output: edit(c, 'connectionLimit: 1 }', 'connectionLimit: 1, acquireTimeout: 4000 }'),
      }),
    ],
    { ...inProject(sam, 'reports/index.js'), ...cjs },
  ),
  // SAM, 3 s: knex's 60 s default; the suggestion halves the function's timeout.
  bad(
    `import knex from 'knex';
const db = knex({ client: 'pg', connection: { host: process.env.DB_PROXY_ENDPOINT }, pool: { min: 0, max: 1 } });
export const handler = async () => db('reports').select('id');`,
    (c) => [
      byDefault(c, "knex({ client: 'pg', connection: { host: process.env.DB_PROXY_ENDPOINT }, pool: { min: 0, max: 1 } })", {
        driver: 'knex',
        key: 'acquireConnectionTimeout',
        wait: '60 s',
        for: ACQUIRE,
        limit: notBelow(3),
        suggested: '1.5 s',
        value: '1500 (1.5 s)',
        output: edit(c, 'max: 1 } }', 'max: 1 }, acquireConnectionTimeout: 1500 }'),
      }),
    ],
    inProject(sam, 'short/app.mjs'),
  ),
  // CDK, 15 s (`Duration.seconds(15)`): 20 s is longer.
  bad(
    `import { Pool } from 'pg';
const pool = new Pool({ host: process.env.DB_PROXY_ENDPOINT, max: 1, connectionTimeoutMillis: 20_000 });
export const handler = async () => (await pool.query('SELECT count(*) FROM orders')).rows[0];`,
    (c) => [
      tooLong(c, '20_000', {
        driver: 'pg `Pool`',
        key: 'connectionTimeoutMillis',
        wait: '20 s',
        limit: notBelow(15),
        output: edit(c, '20_000', '5_000'),
      }),
    ],
    inProject(cdk, 'functions/orders.ts'),
  ),
  // CDK, Lambda's 3 s default: a mysql pool's 10 s for the TCP connection and 10 s for the handshake;
  // postgres.js counts in whole seconds.
  bad(
    `const mysql = require('mysql');
const pool = mysql.createPool({ host: process.env.DB_PROXY_ENDPOINT, connectionLimit: 1 });
exports.handler = (event, context, callback) => pool.query('SELECT 1', callback);`,
    (c) =>
      (['connectTimeout', 'acquireTimeout'] as const).map((key) =>
        byDefault(c, 'mysql.createPool({ host: process.env.DB_PROXY_ENDPOINT, connectionLimit: 1 })', {
          driver: 'mysql `createPool()`',
          key,
          wait: '10 s',
          limit: notBelow(3),
          suggested: '1.5 s',
          value: '1500 (1.5 s)',
          output: edit(c, 'connectionLimit: 1 }', `connectionLimit: 1, ${key}: 1500 }`),
        }),
      ),
    { ...inProject(cdk, 'lambda/quick/index.js'), ...cjs },
  ),
  bad(
    `const postgres = require('postgres');
const sql = postgres({ host: process.env.DB_PROXY_ENDPOINT, connect_timeout: 3 });
exports.handler = async () => sql\`SELECT 1\`;`,
    (c) => [
      tooLong(c, '3', {
        driver: 'postgres.js `postgres()`',
        key: 'connect_timeout',
        wait: '3 s',
        limit: notBelow(3),
        suggested: '1 s',
        value: '1 (seconds)',
        output: edit(c, 'connect_timeout: 3', 'connect_timeout: 1'),
        nth: 0,
      }),
    ],
    { ...inProject(cdk, 'lambda/quick/index.js'), ...cjs },
  ),
  // The project knowledge turned off: `maxSeconds` again, so 6 s is fine but mysql2's default is not reported.
  bad(
    `const { Pool } = require('pg');
const pool = new Pool({ host: process.env.DB_PROXY_ENDPOINT, connectionTimeoutMillis: 12000 });
module.exports.handler = async () => pool.query('SELECT 1');`,
    (c) => [tooLong(c, '12000', { driver: 'pg `Pool`', key: 'connectionTimeoutMillis', wait: '12 s', output: edit(c, '12000', '5000') })],
    { ...inProject(serverless, 'src/invoices.js'), ...cjs, settings: { 'lambda-rds': { project: false } } },
  ),
];

ruleTester.run('require-connect-timeout', rule, {
  valid: [
    ...valid,
    ...projectValid,
    {
      code: `const { Pool } = require('pg');
const pool = new Pool({ host: process.env.DB_PROXY_ENDPOINT, connectionTimeoutMillis: 6000 });
module.exports.handler = async () => pool.query('SELECT 1');`,
      ...inProject(serverless, 'src/invoices.js'),
      ...cjs,
      settings: { 'lambda-rds': { project: false } },
    },
  ],
  invalid: [...invalid, ...projectInvalid],
});
