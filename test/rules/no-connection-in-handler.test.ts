import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as espree from 'espree';
import type { InvalidTestCase, RunTests, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../src/rules/no-connection-in-handler.js';
import { createRuleTester } from '../rule-tester.js';
import { fixtureProject } from '../helpers/projects.js';

const ruleTester = createRuleTester();

/** The plain ESLint parser (espree) with CommonJS scoping, as `.cjs` files get by default. */
const cjs = { languageOptions: { parser: espree, sourceType: 'commonjs', ecmaVersion: 'latest' } } as const;
const script = { languageOptions: { parser: espree, sourceType: 'script', ecmaVersion: 'latest' } } as const;

/** What the message calls the created object, by driver label (the catalogue's kinds). */
function kindOf(driver: string): string {
  if (/^serverless-/.test(driver)) return 'client';
  if (/^(knex|Sequelize|TypeORM|Prisma|drizzle)/.test(driver)) return 'pooled client';
  if (/Pool|postgres\(\)|pg-promise/.test(driver)) return 'connection pool';
  return 'database connection';
}

const created = (line: number, column: number, driver: string, handler = 'handler') => ({
  messageId: 'connectionInHandler' as const,
  line,
  column,
  data: { driver, handler, kind: kindOf(driver) },
});

export const valid: Array<string | ValidTestCase<Options>> = [
    // Module scope: created once per execution environment.
    `import { Pool } from 'pg';
const pool = new Pool({ max: 1 });
export const handler = async () => (await pool.query('select 1')).rows;`,
    `import knex from 'knex';
const db = knex({ client: 'pg', connection: process.env.DATABASE_URL });
export const handler = async () => db('users').select();`,
    `const mysql = require('mysql2/promise');
const pool = mysql.createPool({ host: process.env.DB_HOST, connectionLimit: 1 });
exports.handler = async () => { const [rows] = await pool.query('select 1'); return rows; };`,
    // ESM top-level await at module scope.
    `import mysql from 'mysql2/promise';
const conn = await mysql.createConnection(process.env.DATABASE_URL);
export const handler = async () => conn.query('select 1');`,
    // Every cache pattern.
    `import { Pool } from 'pg';
let pool;
export const handler = async () => { if (!pool) pool = new Pool(); return pool.query('select 1'); };`,
    `import { Pool } from 'pg';
let pool;
export const handler = async () => { if (!pool) { pool = new Pool(); } return pool.query('select 1'); };`,
    `import { Pool } from 'pg';
let pool: Pool | undefined;
export const handler = async () => { pool ??= new Pool(); return pool.query('select 1'); };`,
    `import { Pool } from 'pg';
let pool;
export const handler = async () => { pool = pool || new Pool(); return pool.query('select 1'); };`,
    `import { Pool } from 'pg';
let pool;
export const handler = async () => { pool = pool ?? new Pool(); return pool.query('select 1'); };`,
    `import { Pool } from 'pg';
let pool;
function getPool() { if (pool) return pool; pool = new Pool(); return pool; }
export const handler = async () => getPool().query('select 1');`,
    `import { Pool } from 'pg';
let pool;
const getPool = () => (pool ??= new Pool());
export const handler = async () => getPool().query('select 1');`,
    `import { Pool } from 'pg';
let pool;
const getPool = () => pool || (pool = new Pool());
export const handler = async () => getPool().query('select 1');`,
    // Memoised promise of a connected client.
    `import { Client } from 'pg';
let clientPromise;
async function connect() { const c = new Client(); await c.connect(); return c; }
export const handler = async () => { clientPromise ||= connect(); const client = await clientPromise; return client.query('select 1'); };`,
    `import { Client } from 'pg';
let clientPromise;
export const handler = async () => {
  clientPromise ??= (async () => { const c = new Client(); await c.connect(); return c; })();
  return (await clientPromise).query('select 1');
};`,
    `import mysql from 'mysql2/promise';
let conn;
export const handler = async () => { conn ??= await mysql.createConnection({}); return conn.query('select 1'); };`,
    // A flag or the instance's own state guards connect().
    `import { Client } from 'pg';
const client = new Client();
let connected = false;
export const handler = async () => { if (!connected) { await client.connect(); connected = true; } return client.query('select 1'); };`,
    `import sql from 'mssql';
const pool = new sql.ConnectionPool({ server: process.env.DB_HOST });
export const handler = async () => { if (!pool.connected) await pool.connect(); return pool.request().query('select 1'); };`,
    // Cache on the global object or a class instance field.
    `import { Pool } from 'pg';
export const handler = async () => { globalThis.pool ??= new Pool(); return globalThis.pool.query('select 1'); };`,
    `import { Pool } from 'pg';
class Service { async handler(event) { if (!this.pool) this.pool = new Pool(); return this.pool.query('x'); } }
const service = new Service();
export const handler = service.handler.bind(service);`,
    // A memoising wrapper creates once.
    `import { Pool } from 'pg';
import memoize from 'lodash/memoize';
const getPool = memoize(() => new Pool());
export const handler = async () => getPool().query('select 1');`,
    // Not Lambda code: an Express app or a library creating pools in functions is fine.
    `import { Pool } from 'pg';
export function createPool(config) { return new Pool(config); }`,
    `import express from 'express';
import { Pool } from 'pg';
const app = express();
app.get('/', async (req, res) => { const pool = new Pool(); res.json((await pool.query('x')).rows); });
export default app;`,
    `const { Pool } = require('pg');
module.exports = { makePool: () => new Pool() };`,
    // A function that creates a pool but is never called from the handler.
    `import { Pool } from 'pg';
function migrate() { const pool = new Pool(); return pool.query('create table t (id int)'); }
export const handler = async () => ({ statusCode: 200 });
export { migrate };`,
    // Function called at module scope only (init code).
    `import { Pool } from 'pg';
function init() { return new Pool(); }
const pool = init();
export const handler = async () => pool.query('x');`,
    // Pool checkout per invocation is not creation.
    `import { Pool } from 'pg';
const pool = new Pool();
export const handler = async () => { const client = await pool.connect(); try { return await client.query('x'); } finally { client.release(); } };`,
    // Data API: HTTP, no database connection.
    `import { RDSDataClient, ExecuteStatementCommand } from '@aws-sdk/client-rds-data';
export const handler = async () => { const client = new RDSDataClient({}); return client.send(new ExecuteStatementCommand({ sql: 'select 1' })); };`,
    `const dataApi = require('data-api-client');
exports.handler = async () => { const db = dataApi({ secretArn: 'a', resourceArn: 'b', database: 'd' }); return db.query('select 1'); };`,
    `import { drizzle } from 'drizzle-orm/aws-data-api/pg';
export const handler = async () => { const db = drizzle({ connection: { database: 'd', secretArn: 'a', resourceArn: 'b' } }); };`,
    // drizzle wrapping a module-scope pool opens no connection.
    `import { Pool } from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
const pool = new Pool();
export const handler = async () => { const db = drizzle(pool); return db.execute('select 1'); };`,
    // serverless-mysql / serverless-postgres: connect/end/clean per invocation are their documented usage.
    `import serverlessMysql from 'serverless-mysql';
const mysql = serverlessMysql({ config: { host: process.env.DB_HOST } });
export const handler = async () => { await mysql.connect(); const r = await mysql.query('select 1'); await mysql.end(); return r; };`,
    `const ServerlessClient = require('serverless-postgres');
const client = new ServerlessClient({ host: process.env.DB_HOST });
exports.handler = async () => { await client.connect(); const r = await client.query('select 1'); await client.clean(); return r; };`,
    // Unrelated modules with the same function names.
    `import { createPool } from 'generic-pool';
export const handler = async () => { const pool = createPool({ create: async () => ({}), destroy: async () => {} }); };`,
    `class Pool {}
export const handler = async () => { const pool = new Pool(); };`,
    // A shadowed import is not the driver.
    `import { Pool } from 'pg';
export const handler = async (Pool) => { const p = new Pool(); };`,
    // Default exports that do not look like handlers.
    `import { Pool } from 'pg';
export default function makePool() { return new Pool(); }`,
    // Kysely wraps the pool its dialect is given: with a module-scope pool, nothing is created per invocation.
    `import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
const dialect = new PostgresDialect({ pool: new Pool({ max: 1 }) });
export const handler = async () => { const db = new Kysely({ dialect }); return db.selectFrom('users').selectAll().execute(); };`,
    // Comments and strings mentioning drivers.
    `// new Pool() inside the handler is bad
export const handler = async () => 'import pg from "pg"';`,
    {
      code: `const { Pool } = require('pg');
const pool = new Pool();
exports.handler = async () => pool.query('x');`,
      ...cjs,
    },
    // A cache guard on an implicit global of a sloppy script (`typeof client === 'undefined'`).
    {
      code: `const mysql = require('mysql');
client = typeof client === 'undefined' ? undefined : client;
function getClient() {
  if (typeof client === 'undefined') client = mysql.createConnection({ host: process.env.DB_HOST });
  return client;
}
exports.handler = (event, context, callback) => { getClient().query('select 1', callback); };`,
      ...script,
    },
    // mssql's global pool without close(): the next sql.connect() returns the same pool.
    `import sql from 'mssql';
export const handler = async () => {
  const pool = await sql.connect({ server: process.env.DB_HOST });
  return (await pool.request().query('select 1')).recordset;
};`,
    // TypeORM's own registry of connections guards the creation.
    `import { createConnection, getConnectionManager } from 'typeorm';
export const handler = async () => {
  const manager = getConnectionManager();
  if (manager.connections.length === 0) await createConnection();
  return manager.get('default').query('select 1');
};`,
    // A driver wrapped by X-Ray at module scope: the pool is still created once.
    `const captureMySQL = require('aws-xray-sdk-mysql');
const mysql = captureMySQL(require('mysql'));
const pool = mysql.createPool({ host: process.env.DB_HOST, connectionLimit: 1 });
exports.handler = (event, context, callback) => { pool.query('select 1', callback); };`,
];

export const invalid: InvalidTestCase<MessageIds, Options>[] = [
    // --- Import styles -------------------------------------------------------------------------------------
    {
      code: `import { Pool } from 'pg';
export const handler = async (event) => {
  const pool = new Pool({ host: process.env.DB_HOST });
  return pool.query('select 1');
};`,
      errors: [
        {
          ...created(3, 16, 'pg `Pool`'),
          suggestions: [
            {
              messageId: 'suggestHoist',
              data: { name: 'pool' },
              output: `import { Pool } from 'pg';

const pool = new Pool({ host: process.env.DB_HOST });
pool.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

export const handler = async (event) => {
  return pool.query('select 1');
};`,
            },
          ],
        },
      ],
    },
    {
      code: `import pg from 'pg';
export const handler = async () => { const c = new pg.Client(); await c.connect(); };`,
      errors: [{ ...created(2, 48, 'pg `Client`'), suggestions: [{ messageId: 'suggestHoist', data: { name: 'c' }, output: `import pg from 'pg';

let cPromise: Promise<InstanceType<typeof pg.Client>> | undefined;
function getC() {
  if (!cPromise) {
    const promise = (async () => {
      const c = new pg.Client();
      await c.connect();
      return c;
    })().then((instance) => {
      const forget = () => {
        if (cPromise === promise) cPromise = undefined;
      };
      instance.on('error', forget);
      instance.on('end', forget);
      return instance;
    });
    promise.catch(() => {
      if (cPromise === promise) cPromise = undefined;
    });
    cPromise = promise;
  }
  return cPromise;
}

export const handler = async () => { const c = await getC(); };` }] }],
    },
    {
      code: `import * as pg from 'pg';
export const handler = async () => { const p = new pg.Pool(); };`,
      errors: [
        {
          ...created(2, 48, 'pg `Pool`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `import * as pg from 'pg';

const p = new pg.Pool();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

export const handler = async () => { };` }],
        },
      ],
    },
    {
      code: `import { Pool as PgPool } from 'pg';
export const handler = async () => { const p = new PgPool(); };`,
      errors: [
        {
          ...created(2, 48, 'pg `Pool`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `import { Pool as PgPool } from 'pg';

const p = new PgPool();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

export const handler = async () => { };` }],
        },
      ],
    },
    {
      code: `import pg from 'pg';
const { Pool } = pg;
export const handler = async () => { const p = new Pool(); };`,
      errors: [
        {
          ...created(3, 48, 'pg `Pool`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `import pg from 'pg';
const { Pool } = pg;

const p = new Pool();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

export const handler = async () => { };` }],
        },
      ],
    },
    {
      code: `import pg from 'pg';
const P = pg.Pool;
export const handler = async () => { const p = new P(); };`,
      errors: [
        {
          ...created(3, 48, 'pg `Pool`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `import pg from 'pg';
const P = pg.Pool;

const p = new P();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

export const handler = async () => { };` }],
        },
      ],
    },
    {
      code: `import pg from 'pg';
export const handler = async () => { const p = new pg.native.Pool(); };`,
      errors: [
        {
          ...created(2, 48, 'pg native `Pool`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `import pg from 'pg';

const p = new pg.native.Pool();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

export const handler = async () => { };` }],
        },
      ],
    },
    {
      code: `const { Pool } = require('pg');
exports.handler = async () => { const p = new Pool(); };`,
      errors: [
        {
          ...created(2, 43, 'pg `Pool`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `const { Pool } = require('pg');

const p = new Pool();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

exports.handler = async () => { };` }],
        },
      ],
    },
    {
      code: `const pg = require('pg');
module.exports.handler = async () => { const p = new pg.Pool(); };`,
      errors: [
        {
          ...created(2, 50, 'pg `Pool`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `const pg = require('pg');

const p = new pg.Pool();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

module.exports.handler = async () => { };` }],
        },
      ],
    },
    {
      code: `const Pool = require('pg').Pool;
exports.handler = async function (event, context) { const p = new Pool(); };`,
      errors: [
        {
          ...created(2, 63, 'pg `Pool`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `const Pool = require('pg').Pool;

const p = new Pool();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

exports.handler = async function (event, context) { };` }],
        },
      ],
      ...cjs,
    },
    {
      code: `exports.handler = async () => { const { Pool } = await import('pg'); const p = new Pool(); };`,
      errors: [{ ...created(1, 80, 'pg `Pool`'), suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `let pPromise: Promise<InstanceType<typeof Pool>> | undefined;
function getP() {
  if (!pPromise) {
    const promise = (async () => {
      const { Pool } = await import('pg');
      const p = new Pool();
      return p;
    })();
    promise.catch(() => {
      if (pPromise === promise) pPromise = undefined;
    });
    pPromise = promise;
  }
  return pPromise;
}

exports.handler = async () => { const p = await getP(); };` }] }],
    },
    {
      code: `export const handler = async () => { const pg = await import('pg'); const p = new pg.default.Client(); await p.connect(); };`,
      errors: [{ ...created(1, 79, 'pg `Client`'), suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `let pPromise: Promise<InstanceType<typeof pg.default.Client>> | undefined;
function getP() {
  if (!pPromise) {
    const promise = (async () => {
      const pg = await import('pg');
      const p = new pg.default.Client();
      await p.connect();
      return p;
    })().then((instance) => {
      const forget = () => {
        if (pPromise === promise) pPromise = undefined;
      };
      instance.on('error', forget);
      instance.on('end', forget);
      return instance;
    });
    promise.catch(() => {
      if (pPromise === promise) pPromise = undefined;
    });
    pPromise = promise;
  }
  return pPromise;
}

export const handler = async () => { const p = await getP(); };` }] }],
    },
    {
      code: `import pg = require('pg');
export const handler = async () => { const p = new pg.Pool(); };`,
      errors: [
        {
          ...created(2, 48, 'pg `Pool`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `import pg = require('pg');

const p = new pg.Pool();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

export const handler = async () => { };` }],
        },
      ],
    },
    {
      code: `var pg = require('pg');
exports.handler = function (event, context, callback) { var client = new pg.Client(); client.connect(); callback(null, 1); };`,
      errors: [{ ...created(2, 70, 'pg `Client`'), suggestions: [{ messageId: 'suggestHoist', data: { name: 'client' }, output: `var pg = require('pg');

const client = new pg.Pool({ max: 1 });
client.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

exports.handler = function (event, context, callback) {
context.callbackWaitsForEmptyEventLoop = false; callback(null, 1); };` }] }],
      ...script,
    },
    // --- Every driver ---------------------------------------------------------------------------------------
    {
      code: `import Pool from 'pg-pool';
export const handler = async () => { const p = new Pool(); };`,
      errors: [
        {
          ...created(2, 48, 'pg-pool `Pool`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `import Pool from 'pg-pool';

const p = new Pool();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

export const handler = async () => { };` }],
        },
      ],
    },
    {
      code: `import postgres from 'postgres';
export const handler = async () => { const sql = postgres(process.env.DATABASE_URL); return sql\`select 1\`; };`,
      errors: [
        {
          ...created(2, 50, 'postgres.js `postgres()`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'sql' }, output: `import postgres from 'postgres';

const sql = postgres(process.env.DATABASE_URL);

export const handler = async () => { return sql\`select 1\`; };` }],
        },
      ],
    },
    {
      code: `import mysql from 'mysql';
export const handler = async () => { const c = mysql.createConnection({ host: 'h' }); c.connect(); };`,
      errors: [{ ...created(2, 48, 'mysql `createConnection()`'), suggestions: [{ messageId: 'suggestHoist', data: { name: 'c' }, output: `import mysql from 'mysql';

const c = mysql.createPool({ host: 'h', connectionLimit: 1 });

export const handler = async () => { };` }] }],
    },
    {
      code: `import mysql from 'mysql2';
export const handler = async () => { const p = mysql.createPool({}); };`,
      errors: [
        {
          ...created(2, 48, 'mysql2 `createPool()`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `import mysql from 'mysql2';

const p = mysql.createPool({});

export const handler = async () => { };` }],
        },
      ],
    },
    {
      code: `import { createConnection } from 'mysql2/promise';
export const handler = async () => { const c = await createConnection({}); await c.end(); };`,
      errors: [{ ...created(2, 54, 'mysql2 `createConnection()`'), suggestions: [{ messageId: 'suggestHoist', data: { name: 'c' }, output: `import { createConnection } from 'mysql2/promise';

let cPromise: Promise<Awaited<ReturnType<typeof createConnection>>> | undefined;
function getC() {
  if (!cPromise) {
    const promise = (async () => {
      const c = await createConnection({});
      return c;
    })().then((instance) => {
      const forget = () => {
        if (cPromise === promise) cPromise = undefined;
      };
      instance.on('error', forget);
      instance.on('end', forget);
      return instance;
    });
    promise.catch(() => {
      if (cPromise === promise) cPromise = undefined;
    });
    cPromise = promise;
  }
  return cPromise;
}

export const handler = async () => { const c = await getC(); };` }] }],
    },
    {
      code: `import mysql from 'mysql2';
export const handler = async () => { const cluster = mysql.createPoolCluster(); };`,
      errors: [
        {
          ...created(2, 54, 'mysql2 `createPoolCluster()`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'cluster' }, output: `import mysql from 'mysql2';

const cluster = mysql.createPoolCluster();

export const handler = async () => { };` }],
        },
      ],
    },
    {
      code: `import * as mariadb from 'mariadb';
export const handler = async () => { const conn = await mariadb.createConnection({}); };`,
      errors: [{ ...created(2, 57, 'mariadb `createConnection()`'), suggestions: [{ messageId: 'suggestHoist', data: { name: 'conn' }, output: `import * as mariadb from 'mariadb';

let connPromise: Promise<Awaited<ReturnType<typeof mariadb.createConnection>>> | undefined;
function getConn() {
  if (!connPromise) {
    const promise = (async () => {
      const conn = await mariadb.createConnection({});
      return conn;
    })().then((instance) => {
      const forget = () => {
        if (connPromise === promise) connPromise = undefined;
      };
      instance.on('error', forget);
      instance.on('end', forget);
      return instance;
    });
    promise.catch(() => {
      if (connPromise === promise) connPromise = undefined;
    });
    connPromise = promise;
  }
  return connPromise;
}

export const handler = async () => { const conn = await getConn(); };` }] }],
    },
    {
      code: `const mariadb = require('mariadb/callback');
exports.handler = async () => { const pool = mariadb.createPool({}); };`,
      errors: [
        {
          ...created(2, 46, 'mariadb `createPool()`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'pool' }, output: `const mariadb = require('mariadb/callback');

const pool = mariadb.createPool({});

exports.handler = async () => { };` }],
        },
      ],
    },
    {
      code: `import knex from 'knex';
export const handler = async () => { const db = knex({ client: 'pg' }); await db.destroy(); };`,
      errors: [
        {
          ...created(2, 49, 'knex'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'db' }, output: `import knex from 'knex';

const db = knex({ client: 'pg' });

export const handler = async () => { };` }],
        },
      ],
    },
    {
      code: `import { knex } from 'knex';
export const handler = async () => { const db = knex({ client: 'mysql2' }); };`,
      errors: [
        {
          ...created(2, 49, 'knex'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'db' }, output: `import { knex } from 'knex';

const db = knex({ client: 'mysql2' });

export const handler = async () => { };` }],
        },
      ],
    },
    {
      code: `import { Sequelize } from 'sequelize';
export const handler = async () => { const s = new Sequelize('db', 'user', process.env.PASS, { dialect: 'postgres' }); };`,
      errors: [
        {
          ...created(2, 48, 'Sequelize'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 's' }, output: `import { Sequelize } from 'sequelize';

const s = new Sequelize('db', 'user', process.env.PASS, { dialect: 'postgres' });

export const handler = async () => { };` }],
        },
      ],
    },
    {
      code: `const Sequelize = require('sequelize');
exports.handler = async () => { const s = new Sequelize(process.env.DATABASE_URL); };`,
      errors: [
        {
          ...created(2, 43, 'Sequelize'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 's' }, output: `const Sequelize = require('sequelize');

const s = new Sequelize(process.env.DATABASE_URL);

exports.handler = async () => { };` }],
        },
      ],
    },
    {
      code: `import { Sequelize } from '@sequelize/core';
export const handler = async () => { const s = new Sequelize({ dialect: 'postgres' }); };`,
      errors: [
        {
          ...created(2, 48, 'Sequelize'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 's' }, output: `import { Sequelize } from '@sequelize/core';

const s = new Sequelize({ dialect: 'postgres' });

export const handler = async () => { };` }],
        },
      ],
    },
    {
      code: `import { DataSource } from 'typeorm';
export const handler = async () => { const ds = new DataSource({ type: 'postgres' }); await ds.initialize(); };`,
      errors: [{ ...created(2, 49, 'TypeORM `DataSource`'), suggestions: [{ messageId: 'suggestHoist', data: { name: 'ds' }, output: `import { DataSource } from 'typeorm';

let dsPromise: Promise<InstanceType<typeof DataSource>> | undefined;
function getDs() {
  if (!dsPromise) {
    const promise = (async () => {
      const ds = new DataSource({ type: 'postgres' });
      await ds.initialize();
      return ds;
    })();
    promise.catch(() => {
      if (dsPromise === promise) dsPromise = undefined;
    });
    dsPromise = promise;
  }
  return dsPromise;
}

export const handler = async () => { const ds = await getDs(); };` }] }],
    },
    {
      code: `import { createConnection } from 'typeorm';
export const handler = async () => { const c = await createConnection({ type: 'mysql' }); };`,
      errors: [{ ...created(2, 54, 'TypeORM `createConnection()`'), suggestions: [{ messageId: 'suggestHoist', data: { name: 'c' }, output: `import { createConnection } from 'typeorm';

let cPromise: Promise<Awaited<ReturnType<typeof createConnection>>> | undefined;
function getC() {
  if (!cPromise) {
    const promise = (async () => {
      const c = await createConnection({ type: 'mysql' });
      return c;
    })();
    promise.catch(() => {
      if (cPromise === promise) cPromise = undefined;
    });
    cPromise = promise;
  }
  return cPromise;
}

export const handler = async () => { const c = await getC(); };` }] }],
    },
    {
      code: `import { PrismaClient } from '@prisma/client';
export const handler = async () => { const prisma = new PrismaClient(); const users = await prisma.user.findMany(); await prisma.$disconnect(); return users; };`,
      errors: [
        {
          ...created(2, 53, 'Prisma `PrismaClient`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'prisma' }, output: `import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

export const handler = async () => { const users = await prisma.user.findMany(); return users; };` }],
        },
      ],
    },
    {
      code: `import { drizzle } from 'drizzle-orm/node-postgres';
export const handler = async () => { const db = drizzle(process.env.DATABASE_URL); };`,
      errors: [
        {
          ...created(2, 49, 'drizzle `drizzle()`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'db' }, output: `import { drizzle } from 'drizzle-orm/node-postgres';

const db = drizzle(process.env.DATABASE_URL);

export const handler = async () => { };` }],
        },
      ],
    },
    {
      code: `import { drizzle } from 'drizzle-orm/mysql2';
export const handler = async () => { const db = drizzle({ connection: { uri: process.env.DATABASE_URL } }); };`,
      errors: [
        {
          ...created(2, 49, 'drizzle `drizzle()`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'db' }, output: `import { drizzle } from 'drizzle-orm/mysql2';

const db = drizzle({ connection: { uri: process.env.DATABASE_URL } });

export const handler = async () => { };` }],
        },
      ],
    },
    {
      code: `import sql from 'mssql';
export const handler = async () => { const pool = new sql.ConnectionPool({ server: 'h' }); await pool.connect(); };`,
      errors: [{ ...created(2, 51, 'mssql `ConnectionPool`'), suggestions: [{ messageId: 'suggestHoist', data: { name: 'pool' }, output: `import sql from 'mssql';

let poolPromise: Promise<InstanceType<typeof sql.ConnectionPool>> | undefined;
function getPool() {
  if (!poolPromise) {
    const promise = (async () => {
      const pool = new sql.ConnectionPool({ server: 'h' });
      await pool.connect();
      return pool;
    })().then((instance) => {
      const forget = () => {
        if (poolPromise === promise) poolPromise = undefined;
      };
      instance.on('error', forget);
      return instance;
    });
    promise.catch(() => {
      if (poolPromise === promise) poolPromise = undefined;
    });
    poolPromise = promise;
  }
  return poolPromise;
}

export const handler = async () => { const pool = await getPool(); };` }] }],
    },
    {
      code: `import { Connection } from 'tedious';
export const handler = async () => { const c = new Connection({ server: 'h' }); c.connect(); };`,
      errors: [created(2, 48, 'tedious `Connection`')],
    },
    {
      code: `import serverlessMysql from 'serverless-mysql';
export const handler = async () => { const mysql = serverlessMysql(); await mysql.connect(); };`,
      errors: [
        {
          ...created(2, 52, 'serverless-mysql'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'mysql' }, output: `import serverlessMysql from 'serverless-mysql';

const mysql = serverlessMysql();

export const handler = async () => { await mysql.connect(); };` }],
        },
      ],
    },
    {
      code: `import ServerlessClient from 'serverless-postgres';
export const handler = async () => { const client = new ServerlessClient({}); await client.connect(); };`,
      errors: [
        {
          ...created(2, 53, 'serverless-postgres `ServerlessClient`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'client' }, output: `import ServerlessClient from 'serverless-postgres';

const client = new ServerlessClient({});

export const handler = async () => { await client.connect(); };` }],
        },
      ],
    },
    {
      code: `import { createPool } from 'slonik';
export const handler = async () => { const pool = await createPool(process.env.DATABASE_URL); };`,
      errors: [{ ...created(2, 57, 'slonik `createPool()`'), suggestions: [{ messageId: 'suggestHoist', data: { name: 'pool' }, output: `import { createPool } from 'slonik';

let poolPromise: Promise<Awaited<ReturnType<typeof createPool>>> | undefined;
function getPool() {
  if (!poolPromise) {
    const promise = (async () => {
      const pool = await createPool(process.env.DATABASE_URL);
      return pool;
    })();
    promise.catch(() => {
      if (poolPromise === promise) poolPromise = undefined;
    });
    poolPromise = promise;
  }
  return poolPromise;
}

export const handler = async () => { const pool = await getPool(); };` }] }],
    },
    {
      code: `import pgPromise from 'pg-promise';
const pgp = pgPromise();
export const handler = async () => { const db = pgp(process.env.DATABASE_URL); return db.any('select 1'); };`,
      errors: [
        {
          ...created(3, 49, 'pg-promise database'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'db' }, output: `import pgPromise from 'pg-promise';
const pgp = pgPromise();

const db = pgp(process.env.DATABASE_URL);

export const handler = async () => { return db.any('select 1'); };` }],
        },
      ],
    },
    {
      code: `const pgp = require('pg-promise')({});
exports.handler = async () => { const db = pgp({ host: 'h' }); };`,
      errors: [
        {
          ...created(2, 44, 'pg-promise database'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'db' }, output: `const pgp = require('pg-promise')({});

const db = pgp({ host: 'h' });

exports.handler = async () => { };` }],
        },
      ],
    },
    {
      code: `import { Pool } from '@neondatabase/serverless';
export const handler = async () => { const pool = new Pool({ connectionString: process.env.DATABASE_URL }); };`,
      errors: [
        {
          ...created(2, 51, '@neondatabase/serverless `Pool`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'pool' }, output: `import { Pool } from '@neondatabase/serverless';

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
pool.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

export const handler = async () => { };` }],
        },
      ],
    },
    {
      code: `import { createPool } from '@vercel/postgres';
export const handler = async () => { const pool = createPool(); };`,
      errors: [
        {
          ...created(2, 51, '@vercel/postgres `createPool()`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'pool' }, output: `import { createPool } from '@vercel/postgres';

const pool = createPool();

export const handler = async () => { };` }],
        },
      ],
    },
    // Kysely: the pool its dialect creates inside the handler is what opens connections.
    {
      code: `import { Kysely, MysqlDialect } from 'kysely';
import { createPool } from 'mysql2';
export const handler = async () => {
  const db = new Kysely({ dialect: new MysqlDialect({ pool: createPool({ uri: process.env.DATABASE_URL }) }) });
};`,
      errors: [{ ...created(4, 61, 'mysql2 `createPool()`'), suggestions: [] }],
    },
    // --- Handler shapes --------------------------------------------------------------------------------------
    {
      code: `import { Pool } from 'pg';
export async function handler(event, context) { const p = new Pool(); }`,
      errors: [
        {
          ...created(2, 59, 'pg `Pool`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `import { Pool } from 'pg';

const p = new Pool();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

export async function handler(event, context) { }` }],
        },
      ],
    },
    {
      code: `import { Pool } from 'pg';
export default async function (event, context) { const p = new Pool(); }`,
      errors: [
        {
          ...created(2, 60, 'pg `Pool`', 'default'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `import { Pool } from 'pg';

const p = new Pool();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

export default async function (event, context) { }` }],
        },
      ],
    },
    {
      // The event parameter of a default export in any case, with a leading underscore: still a handler.
      code: `import { Pool } from 'pg';
export default async (_EVT, ctx) => { const p = new Pool(); };`,
      errors: [
        {
          messageId: 'connectionInHandler',
          data: { driver: 'pg `Pool`', kind: 'connection pool', handler: 'default' },
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `import { Pool } from 'pg';

const p = new Pool();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

export default async (_EVT, ctx) => { };` }],
        },
      ],
    },
    {
      code: `import { Pool } from 'pg';
const main = async (event) => { const p = new Pool(); };
export default main;`,
      errors: [
        {
          ...created(2, 43, 'pg `Pool`', 'default'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `import { Pool } from 'pg';

const p = new Pool();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

const main = async (event) => { };
export default main;` }],
        },
      ],
    },
    {
      code: `import { Pool } from 'pg';
async function main(event) { const p = new Pool(); }
export { main as handler };`,
      errors: [
        {
          ...created(2, 40, 'pg `Pool`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `import { Pool } from 'pg';

const p = new Pool();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

async function main(event) { }
export { main as handler };` }],
        },
      ],
    },
    {
      code: `const { Pool } = require('pg');
const handler = async () => { const p = new Pool(); };
module.exports = { handler };`,
      errors: [
        {
          ...created(2, 41, 'pg `Pool`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `const { Pool } = require('pg');

const p = new Pool();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

const handler = async () => { };
module.exports = { handler };` }],
        },
      ],
    },
    {
      code: `const { Pool } = require('pg');
async function main() { const p = new Pool(); }
module.exports = { handler: main };`,
      errors: [
        {
          ...created(2, 35, 'pg `Pool`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `const { Pool } = require('pg');

const p = new Pool();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

async function main() { }
module.exports = { handler: main };` }],
        },
      ],
    },
    {
      code: `const { Pool } = require('pg');
module.exports.handler = exports.handler = async () => { const p = new Pool(); };`,
      errors: [
        {
          ...created(2, 68, 'pg `Pool`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `const { Pool } = require('pg');

const p = new Pool();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

module.exports.handler = exports.handler = async () => { };` }],
        },
      ],
    },
    {
      code: `import middy from '@middy/core';
import { Pool } from 'pg';
const baseHandler = async (event) => { const p = new Pool(); };
export const handler = middy(baseHandler).use(jsonBodyParser());`,
      errors: [
        {
          ...created(3, 50, 'pg `Pool`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `import middy from '@middy/core';
import { Pool } from 'pg';

const p = new Pool();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

const baseHandler = async (event) => { };
export const handler = middy(baseHandler).use(jsonBodyParser());` }],
        },
      ],
    },
    {
      code: `import middy from '@middy/core';
import { Pool } from 'pg';
export const main = middy().use(jsonBodyParser()).handler(async (event) => { const p = new Pool(); });`,
      errors: [
        {
          ...created(3, 88, 'pg `Pool`', 'main'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `import middy from '@middy/core';
import { Pool } from 'pg';

const p = new Pool();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

export const main = middy().use(jsonBodyParser()).handler(async (event) => { });` }],
        },
      ],
    },
    {
      code: `import { Pool } from 'pg';
export const handler = awslambda.streamifyResponse(async (event, responseStream, context) => { const p = new Pool(); });`,
      errors: [
        {
          ...created(2, 106, 'pg `Pool`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `import { Pool } from 'pg';

const p = new Pool();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

export const handler = awslambda.streamifyResponse(async (event, responseStream, context) => { });` }],
        },
      ],
    },
    {
      code: `import { Pool } from 'pg';
import type { LambdaInterface } from '@aws-lambda-powertools/commons/types';
class Lambda implements LambdaInterface {
  public async handler(event: unknown, context: unknown) { const pool = new Pool(); return pool.query('x'); }
}
const handlerClass = new Lambda();
export const handler = handlerClass.handler.bind(handlerClass);`,
      errors: [
        {
          ...created(4, 73, 'pg `Pool`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'pool' }, output: `import { Pool } from 'pg';
import type { LambdaInterface } from '@aws-lambda-powertools/commons/types';

const pool = new Pool();
pool.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

class Lambda implements LambdaInterface {
  public async handler(event: unknown, context: unknown) { return pool.query('x'); }
}
const handlerClass = new Lambda();
export const handler = handlerClass.handler.bind(handlerClass);` }],
        },
      ],
    },
    {
      code: `import { Pool } from 'pg';
import type { APIGatewayProxyHandlerV2 } from 'aws-lambda';
export const getUsers: APIGatewayProxyHandlerV2 = async (event) => { const p = new Pool(); return { statusCode: 200 }; };`,
      errors: [
        {
          ...created(3, 80, 'pg `Pool`', 'getUsers'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `import { Pool } from 'pg';
import type { APIGatewayProxyHandlerV2 } from 'aws-lambda';

const p = new Pool();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

export const getUsers: APIGatewayProxyHandlerV2 = async (event) => { return { statusCode: 200 }; };` }],
        },
      ],
    },
    {
      code: `import { Pool } from 'pg';
import type { SQSEvent, Context } from 'aws-lambda';
export async function processQueue(event: SQSEvent, context: Context) { const p = new Pool(); }`,
      errors: [
        {
          ...created(3, 83, 'pg `Pool`', 'processQueue'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `import { Pool } from 'pg';
import type { SQSEvent, Context } from 'aws-lambda';

const p = new Pool();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

export async function processQueue(event: SQSEvent, context: Context) { }` }],
        },
      ],
    },
    {
      code: `import { Pool } from 'pg';
import type * as lambda from 'aws-lambda';
const fn: lambda.Handler = async () => { const p = new Pool(); };
export { fn as run };`,
      errors: [
        {
          ...created(3, 52, 'pg `Pool`', 'run'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `import { Pool } from 'pg';
import type * as lambda from 'aws-lambda';

const p = new Pool();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

const fn: lambda.Handler = async () => { };
export { fn as run };` }],
        },
      ],
    },
    {
      code: `import { Pool } from 'pg';
export const getOrderHandler = async () => { const p = new Pool(); };`,
      errors: [
        {
          ...created(2, 56, 'pg `Pool`', 'getOrderHandler'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `import { Pool } from 'pg';

const p = new Pool();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

export const getOrderHandler = async () => { };` }],
        },
      ],
    },
    {
      code: `import { Pool } from 'pg';
export const main = async () => { const p = new Pool(); };`,
      settings: { 'lambda-rds': { handlerNames: ['main'] } },
      errors: [
        {
          ...created(2, 45, 'pg `Pool`', 'main'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `import { Pool } from 'pg';

const p = new Pool();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

export const main = async () => { };` }],
        },
      ],
    },
    // --- Per-invocation reachability ------------------------------------------------------------------------
    {
      code: `import knex from 'knex';
function getDb() { return knex({ client: 'pg' }); }
async function listUsers() { return getDb()('users'); }
export const handler = async () => listUsers();`,
      errors: [{ ...created(2, 27, 'knex'), suggestions: [{ messageId: 'suggestHoist', data: { name: 'the connection' }, output: `import knex from 'knex';

let getDbCache: ReturnType<typeof knex> | undefined;

function getDb() { return (getDbCache ??= knex({ client: 'pg' })); }
async function listUsers() { return getDb()('users'); }
export const handler = async () => listUsers();` }] }],
    },
    {
      code: `import { Pool } from 'pg';
const db = { pool() { return new Pool(); } };
export const handler = async () => db.pool().query('x');`,
      errors: [created(2, 30, 'pg `Pool`')],
    },
    {
      code: `import { Pool } from 'pg';
async function withPool(fn) { const pool = new Pool(); try { return await fn(pool); } finally { await pool.end(); } }
export const handler = async (event) => withPool((p) => p.query('x'));`,
      errors: [
        {
          ...created(2, 44, 'pg `Pool`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'pool' }, output: `import { Pool } from 'pg';

const pool = new Pool();
pool.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

async function withPool(fn) { return await fn(pool); }
export const handler = async (event) => withPool((p) => p.query('x'));` }],
        },
      ],
    },
    {
      code: `import { Pool } from 'pg';
export const handler = async (event) => {
  const results = await Promise.all(event.Records.map(async (record) => { const p = new Pool(); return p.query('x'); }));
};`,
      errors: [
        {
          ...created(3, 85, 'pg `Pool`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `import { Pool } from 'pg';

const p = new Pool();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

export const handler = async (event) => {
  const results = await Promise.all(event.Records.map(async (record) => { return p.query('x'); }));
};` }],
        },
      ],
    },
    // A local variable is not a cache.
    {
      code: `import { Pool } from 'pg';
export const handler = async () => { let pool; if (!pool) pool = new Pool(); return pool.query('x'); };`,
      errors: [{ ...created(2, 66, 'pg `Pool`'), suggestions: [{ messageId: 'suggestHoist', data: { name: 'pool' }, output: `import { Pool } from 'pg';

const pool2 = new Pool();
pool2.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

export const handler = async () => { let pool; if (!pool) pool = pool2; return pool.query('x'); };` }] }],
    },
    // Reassigning a module variable without a guard creates a pool per invocation.
    {
      code: `import { Pool } from 'pg';
let pool;
export const handler = async () => { pool = new Pool(); return pool.query('x'); };`,
      errors: [{ ...created(3, 45, 'pg `Pool`'), suggestions: [{ messageId: 'suggestHoist', data: { name: 'pool' }, output: `import { Pool } from 'pg';
let pool;

const poolPool = new Pool();
poolPool.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

export const handler = async () => { pool = poolPool; return pool.query('x'); };` }] }],
    },
    // --- connect() of a module-scope client ------------------------------------------------------------------
    {
      code: `import { Client } from 'pg';
const client = new Client();
export const handler = async () => { await client.connect(); return client.query('x'); };`,
      errors: [
        {
          messageId: 'connectInHandler',
          line: 3,
          column: 44,
          data: { name: 'client', method: 'connect', handler: 'handler' },
          suggestions: [
            {
              messageId: 'suggestHoist',
              data: { name: 'client' },
              output: `import { Client } from 'pg';
const client = new Client();

let clientReady: Promise<unknown> | undefined;

export const handler = async () => { await (clientReady ??= client.connect()); return client.query('x'); };`,
            },
          ],
        },
      ],
    },
    {
      code: `import { DataSource } from 'typeorm';
const ds = new DataSource({ type: 'postgres' });
export const handler = async () => { await ds.initialize(); };`,
      errors: [
        {
          messageId: 'connectInHandler',
          line: 3,
          column: 44,
          data: { name: 'ds', method: 'initialize', handler: 'handler' },
          suggestions: [
            {
              messageId: 'suggestHoist',
              data: { name: 'ds' },
              output: `import { DataSource } from 'typeorm';
const ds = new DataSource({ type: 'postgres' });

let dsReady: Promise<unknown> | undefined;

export const handler = async () => { await (dsReady ??= ds.initialize()); };`,
            },
          ],
        },
      ],
    },
    // One report for creation + connect of the same client; the fix connects once, in the initialiser.
    {
      code: `import { Client } from 'pg';
export const handler = async () => { const client = new Client(); await client.connect(); await client.end(); };`,
      errors: [{ ...created(2, 53, 'pg `Client`'), suggestions: [{ messageId: 'suggestHoist', data: { name: 'client' }, output: `import { Client } from 'pg';

let clientPromise: Promise<InstanceType<typeof Client>> | undefined;
function getClient() {
  if (!clientPromise) {
    const promise = (async () => {
      const client = new Client();
      await client.connect();
      return client;
    })().then((instance) => {
      const forget = () => {
        if (clientPromise === promise) clientPromise = undefined;
      };
      instance.on('error', forget);
      instance.on('end', forget);
      return instance;
    });
    promise.catch(() => {
      if (clientPromise === promise) clientPromise = undefined;
    });
    clientPromise = promise;
  }
  return clientPromise;
}

export const handler = async () => { const client = await getClient(); };` }] }],
    },
    // --- TypeScript syntax -----------------------------------------------------------------------------------
    {
      code: `import { Pool, type PoolConfig } from 'pg';
const config: PoolConfig = { max: 1 };
export const handler = async (): Promise<number> => {
  const pool = new Pool(config) as Pool;
  const { rowCount } = await pool!.query('x');
  return rowCount ?? 0;
};`,
      errors: [
        {
          ...created(4, 16, 'pg `Pool`'),
          suggestions: [
            {
              messageId: 'suggestHoist',
              data: { name: 'pool' },
              output: `import { Pool, type PoolConfig } from 'pg';
const config: PoolConfig = { max: 1 };

const pool = new Pool(config) as Pool;
pool.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

export const handler = async (): Promise<number> => {
  const { rowCount } = await pool!.query('x');
  return rowCount ?? 0;
};`,
            },
          ],
        },
      ],
    },
    {
      code: `import { Pool } from 'pg';
export const handler = (async (event: unknown) => { const p = new (Pool satisfies typeof Pool)(); }) satisfies (e: unknown) => Promise<void>;`,
      errors: [
        {
          ...created(2, 63, 'pg `Pool`'),
          suggestions: [{ messageId: 'suggestHoist', data: { name: 'p' }, output: `import { Pool } from 'pg';

const p = new (Pool satisfies typeof Pool)();
p.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

export const handler = (async (event: unknown) => { }) satisfies (e: unknown) => Promise<void>;` }],
        },
      ],
    },
    // --- Suggestions: comments kept, end() removed, none when unsafe -------------------------------------------
    {
      code: `import knex from 'knex';
export const handler = async () => {
  // one connection pool per environment
  const db = knex({ client: 'pg', connection: process.env.DATABASE_URL });
  const rows = await db('users');
  await db.destroy();
  return rows;
};`,
      errors: [
        {
          ...created(4, 14, 'knex'),
          suggestions: [
            {
              messageId: 'suggestHoist',
              data: { name: 'db' },
              output: `import knex from 'knex';

// one connection pool per environment
const db = knex({ client: 'pg', connection: process.env.DATABASE_URL });

export const handler = async () => {
  const rows = await db('users');
  return rows;
};`,
            },
          ],
        },
      ],
    },
    // Depends on the event: no suggestion.
    {
      code: `import { Pool } from 'pg';
export const handler = async (event) => { const pool = new Pool({ database: event.tenant }); };`,
      errors: [{ ...created(2, 56, 'pg `Pool`'), suggestions: [] }],
    },
    // A connection the handler connects: created and connected once, in an initialiser the handler awaits.
    {
      code: `import { Client } from 'pg';
export const handler = async () => { const client = new Client(); await client.connect(); };`,
      errors: [{ ...created(2, 53, 'pg `Client`'), suggestions: [{ messageId: 'suggestHoist', data: { name: 'client' }, output: `import { Client } from 'pg';

let clientPromise: Promise<InstanceType<typeof Client>> | undefined;
function getClient() {
  if (!clientPromise) {
    const promise = (async () => {
      const client = new Client();
      await client.connect();
      return client;
    })().then((instance) => {
      const forget = () => {
        if (clientPromise === promise) clientPromise = undefined;
      };
      instance.on('error', forget);
      instance.on('end', forget);
      return instance;
    });
    promise.catch(() => {
      if (clientPromise === promise) clientPromise = undefined;
    });
    clientPromise = promise;
  }
  return clientPromise;
}

export const handler = async () => { const client = await getClient(); };` }] }],
    },
    // Name taken at module scope: the pool moves under a new name.
    {
      code: `import { Pool } from 'pg';
const pool = 1;
export const handler = async () => { const pool = new Pool(); return pool.query('x'); };`,
      errors: [{ ...created(3, 51, 'pg `Pool`'), suggestions: [{ messageId: 'suggestHoist', data: { name: 'pool' }, output: `import { Pool } from 'pg';
const pool = 1;

const pool2 = new Pool();
pool2.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

export const handler = async () => { return pool2.query('x'); };` }] }],
    },
    // Reads a module constant declared after the handler: the pool goes after that constant.
    {
      code: `import { Pool } from 'pg';
export const handler = async () => { const pool = new Pool(config); };
const config = { max: 1 };`,
      errors: [{ ...created(2, 51, 'pg `Pool`'), suggestions: [{ messageId: 'suggestHoist', data: { name: 'pool' }, output: `import { Pool } from 'pg';
export const handler = async () => { };
const config = { max: 1 };

const pool = new Pool(config);
pool.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});` }] }],
    },
    // CRLF line endings are kept.
    {
      code: "import { Pool } from 'pg';\r\nexport const handler = async () => {\r\n  const pool = new Pool();\r\n  return pool.query('x');\r\n};\r\n",
      errors: [
        {
          ...created(3, 16, 'pg `Pool`'),
          suggestions: [
            {
              messageId: 'suggestHoist',
              data: { name: 'pool' },
              output:
                "import { Pool } from 'pg';\r\n\r\nconst pool = new Pool();\r\npool.on('error', (error) => {\r\n  console.error('Idle database connection failed:', error.message);\r\n});\r\n\r\nexport const handler = async () => {\r\n  return pool.query('x');\r\n};\r\n",
            },
          ],
        },
      ],
    },
    // --- Shapes found in real Lambda code ---------------------------------------------------------------------
    // A helper assigned to an implicit global of a sloppy script.
    {
      code: `const { Client } = require('pg');
getClient = () => new Client({ host: process.env.DB_HOST });
exports.handler = async () => { const client = getClient(); await client.connect(); return client.query('select 1'); };`,
      ...script,
      errors: [created(2, 19, 'pg `Client`')],
    },
    // A method of an instance of the module's class, created in the handler.
    {
      code: `import { createConnection } from 'mysql2/promise';
class Initializer {
  async run() { const connection = await createConnection({ host: process.env.DB_HOST }); await connection.end(); }
}
export const handler = async () => { const initializer = new Initializer(); await initializer.run(); };`,
      filename: 'handler.js',
      errors: [
        {
          ...created(3, 42, 'mysql2 `createConnection()`'),
          suggestions: [
            {
              messageId: 'suggestHoist',
              data: { name: 'connection' },
              output: `import { createConnection } from 'mysql2/promise';

let connectionPromise;
function getConnection() {
  if (!connectionPromise) {
    const promise = (async () => {
      const connection = await createConnection({ host: process.env.DB_HOST });
      return connection;
    })().then((instance) => {
      const forget = () => {
        if (connectionPromise === promise) connectionPromise = undefined;
      };
      instance.on('error', forget);
      instance.on('end', forget);
      return instance;
    });
    promise.catch(() => {
      if (connectionPromise === promise) connectionPromise = undefined;
    });
    connectionPromise = promise;
  }
  return connectionPromise;
}

class Initializer {
  async run() { const connection = await getConnection(); }
}
export const handler = async () => { const initializer = new Initializer(); await initializer.run(); };`,
            },
          ],
        },
      ],
    },
    // mssql's global pool closed at the end of the invocation: the next sql.connect() opens a new pool.
    {
      code: `import sql from 'mssql';
export const handler = async () => {
  const pool = await sql.connect({ server: process.env.DB_HOST });
  const result = await pool.request().query('select 1');
  await pool.close();
  return result.recordset;
};`,
      errors: [
        {
          messageId: 'globalPoolClosed',
          line: 3,
          column: 22,
          data: { name: 'sql.connect', driver: 'mssql global pool', handler: 'handler' },
          suggestions: [
            {
              messageId: 'suggestKeepGlobalPool',
              output: `import sql from 'mssql';
export const handler = async () => {
  const pool = await sql.connect({ server: process.env.DB_HOST });
  const result = await pool.request().query('select 1');
  return result.recordset;
};`,
            },
          ],
        },
      ],
    },
    {
      code: `import sql from 'mssql';
export const handler = (event, context, callback) => {
  sql.connect({ server: process.env.DB_HOST }, (err) => {
    new sql.Request().query('select 1', (error, result) => { sql.close(); callback(error, result?.recordset); });
  });
};`,
      errors: [
        {
          messageId: 'globalPoolClosed',
          line: 3,
          column: 3,
          data: { name: 'sql.connect', driver: 'mssql global pool', handler: 'handler' },
          suggestions: [
            {
              messageId: 'suggestKeepGlobalPool',
              output: `import sql from 'mssql';
export const handler = (event, context, callback) => {
  sql.connect({ server: process.env.DB_HOST }, (err) => {
    new sql.Request().query('select 1', (error, result) => { callback(error, result?.recordset); });
  });
};`,
            },
          ],
        },
      ],
    },
    // GraphQL resolvers run per request.
    {
      code: `import { ApolloServer, gql } from 'apollo-server-lambda';
import { Client } from 'pg';
const resolvers = { Query: { users: async () => { const client = new Client(); await client.connect(); return (await client.query('select 1')).rows; } } };
const server = new ApolloServer({ typeDefs: gql\`type Query { users: [String] }\`, resolvers });
export const graphqlHandler = server.createHandler();`,
      filename: 'graphql.js',
      errors: [
        {
          ...created(3, 66, 'pg `Client`', 'graphqlHandler'),
          suggestions: [
            {
              messageId: 'suggestHoist',
              data: { name: 'client' },
              output: `import { ApolloServer, gql } from 'apollo-server-lambda';
import { Client } from 'pg';

let clientPromise;
function getClient() {
  if (!clientPromise) {
    const promise = (async () => {
      const client = new Client();
      await client.connect();
      return client;
    })().then((instance) => {
      const forget = () => {
        if (clientPromise === promise) clientPromise = undefined;
      };
      instance.on('error', forget);
      instance.on('end', forget);
      return instance;
    });
    promise.catch(() => {
      if (clientPromise === promise) clientPromise = undefined;
    });
    clientPromise = promise;
  }
  return clientPromise;
}

const resolvers = { Query: { users: async () => { const client = await getClient(); return (await client.query('select 1')).rows; } } };
const server = new ApolloServer({ typeDefs: gql\`type Query { users: [String] }\`, resolvers });
export const graphqlHandler = server.createHandler();`,
            },
          ],
        },
      ],
    },
    // Routes of an Express app behind serverless-http run per request.
    {
      code: `import serverless from 'serverless-http';
import express from 'express';
import { Pool } from 'pg';
const app = express();
app.get('/users', async (req, res) => { const pool = new Pool(); res.json((await pool.query('select 1')).rows); });
export const handler = serverless(app);`,
      errors: [
        {
          ...created(5, 54, 'pg `Pool`'),
          suggestions: [
            {
              messageId: 'suggestHoist',
              data: { name: 'pool' },
              output: `import serverless from 'serverless-http';
import express from 'express';
import { Pool } from 'pg';
const app = express();

const pool = new Pool();
pool.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

app.get('/users', async (req, res) => { res.json((await pool.query('select 1')).rows); });
export const handler = serverless(app);`,
            },
          ],
        },
      ],
    },
    // Drivers wrapped by X-Ray's captureMySQL / capturePostgres are the same drivers.
    {
      code: `const AWSXRay = require('aws-xray-sdk');
const mysql = AWSXRay.captureMySQL(require('mysql2'));
exports.handler = async () => {
  const connection = mysql.createConnection({ host: process.env.DB_HOST });
  return connection.promise().query('select 1');
};`,
      errors: [
        {
          ...created(4, 22, 'mysql2 `createConnection()`'),
          suggestions: [
            {
              messageId: 'suggestHoist',
              data: { name: 'connection' },
              output: `const AWSXRay = require('aws-xray-sdk');
const mysql = AWSXRay.captureMySQL(require('mysql2'));

const connection = mysql.createPool({ host: process.env.DB_HOST, connectionLimit: 1 });

exports.handler = async () => {
  return connection.promise().query('select 1');
};`,
            },
          ],
        },
      ],
    },
    {
      code: `import AWSXRay from 'aws-xray-sdk-core';
import pgModule from 'pg';
const pg = AWSXRay.capturePostgres(pgModule);
export const handler = async () => {
  const pool = new pg.Pool();
  return pool.query('select 1');
};`,
      errors: [
        {
          ...created(5, 16, 'pg `Pool`'),
          suggestions: [
            {
              messageId: 'suggestHoist',
              data: { name: 'pool' },
              output: `import AWSXRay from 'aws-xray-sdk-core';
import pgModule from 'pg';
const pg = AWSXRay.capturePostgres(pgModule);

const pool = new pg.Pool();
pool.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

export const handler = async () => {
  return pool.query('select 1');
};`,
            },
          ],
        },
      ],
    },
];


// ---------------------------------------------------------------------------------------------------------------
// Beyond the file: handlers named by deployment descriptors, helpers in other files and layers, resolvers served
// per request, handler factories. Fixture projects are copied to a temporary folder (a project root with .git).

const crossFile = fixtureProject('cross-file');
const serverlessYml = fixtureProject('serverless-yml');
const serverlessTs = fixtureProject('serverless-ts');
const sam = fixtureProject('sam');

/** The text of a fixture file and its path, as a rule-tester case. */
function onDisk(root: string, file: string): { code: string; filename: string } {
  const filename = path.join(root, file);
  return { code: readFileSync(filename, 'utf8'), filename };
}

const projectOff = { settings: { 'lambda-rds': { project: false } } };

/** The position of `needle` in `code`, as a rule-tester location (1-based). */
function at(code: string, needle: string): { line: number; column: number } {
  const index = code.indexOf(needle);
  if (index < 0) throw new Error(`${needle} not in the code`);
  const before = code.slice(0, index).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

function imported(root: string, file: string, needle: string, data: Record<string, string>): InvalidTestCase<MessageIds, Options> {
  const c = onDisk(root, file);
  return { ...c, errors: [{ messageId: 'connectionInImport', ...at(c.code, needle), data }] };
}

const ordersRead = `const { Pool } = require('pg');
module.exports.read = async (event) => {
  const pool = new Pool({ host: process.env.DB_PROXY_ENDPOINT });
  try { return (await pool.query('SELECT 1')).rows; } finally { await pool.end(); }
};`;

const beyondTheFile: RunTests<MessageIds, Options> = {
  valid: [
    // Cached in the helper, created once at module scope, or too many files away (depth bound 3).
    onDisk(crossFile, 'handlers/cached.js'),
    onDisk(crossFile, 'handlers/init-once.js'),
    onDisk(crossFile, 'handlers/too-deep.js'),
    onDisk(crossFile, 'handlers/graphql-cached.js'),
    // Cycles between helpers end.
    onDisk(crossFile, 'handlers/cycle.js'),
    // An imported DataSource initialized only when its own state says it is not yet.
    onDisk(crossFile, 'handlers/migrate-once.ts'),
    // The project knowledge turned off: no other file is read.
    { ...onDisk(crossFile, 'handlers/orders.js'), ...projectOff },
    { code: ordersRead, filename: path.join(serverlessYml, 'src/orders.js'), ...projectOff },
    // Text without a file on disk (an editor buffer, standard input): nothing beyond it.
    { code: ordersRead, filename: '<input>' },
    // An export no descriptor names and whose name is not a handler's.
    { code: ordersRead.replace('read', 'readOrders'), filename: path.join(serverlessYml, 'src/orders.js') },
  ],
  invalid: [
    // `read` is a handler because serverless.yml names it (`handler: src/orders.read`).
    {
      code: ordersRead,
      filename: path.join(serverlessYml, 'src/orders.js'),
      errors: [
        {
          messageId: 'connectionInHandler',
          ...at(ordersRead, 'new Pool'),
          data: { driver: 'pg `Pool`', kind: 'connection pool', handler: 'read' },
          suggestions: [
            {
              messageId: 'suggestHoist',
              data: { name: 'pool' },
              output: `const { Pool } = require('pg');

const pool = new Pool({ host: process.env.DB_PROXY_ENDPOINT });
pool.on('error', (error) => {
  console.error('Idle database connection failed:', error.message);
});

module.exports.read = async (event) => {
  return (await pool.query('SELECT 1')).rows;
};`,
            },
          ],
        },
      ],
    },
    imported(crossFile, 'handlers/orders.js', 'getPool()', {
      name: 'getPool',
      module: '../lib/db',
      what: 'pg `Pool` pool',
      handler: 'handler',
    }),
    // A DataSource another module creates at its top level, initialized on every invocation: the second throws.
    (() => {
      const c = onDisk(crossFile, 'handlers/migrate.ts');
      return {
        ...c,
        errors: [
          {
            messageId: 'connectInHandler' as const,
            ...at(c.code, 'ordersDb.initialize()'),
            data: { name: 'ordersDb', method: 'initialize', handler: 'migrate' },
            suggestions: [
              {
                messageId: 'suggestHoist' as const,
                data: { name: 'ordersDb' },
                output: c.code
                  .replace('await ordersDb.initialize();', 'await (ordersDbReady ??= ordersDb.initialize());')
                  .replace("from '../lib/data-source';\n", "from '../lib/data-source';\n\nlet ordersDbReady: Promise<unknown> | undefined;\n"),
              },
            ],
          },
        ],
      };
    })(),
    // Calls through a type assertion and an optional chain, in a function the handler calls and in a callback it
    // passes; not the call at module scope, nor the one in a function no handler calls.
    (() => {
      const c = onDisk(crossFile, 'handlers/call-shapes.ts');
      const data = { name: 'db.getPool', module: '../lib/db', what: 'pg `Pool` pool', handler: 'handler' };
      return {
        ...c,
        errors: [
          { messageId: 'connectionInImport' as const, ...at(c.code, '(db as typeof db)'), data },
          { messageId: 'connectionInImport' as const, ...at(c.code, 'db?.getPool()'), data },
        ],
      };
    })(),
    // Two modules away: the handler's call of the router reaches the query module's connection.
    imported(crossFile, 'handlers/routes.mjs', 'route(event)', {
      name: 'route',
      module: '../lib/router.mjs',
      what: 'mysql2 `createConnection()` connection',
      handler: 'handler',
    }),
    // A layer imported by its /opt path: serverless.yml's layer folder, SAM's LayerVersion ContentUri.
    imported(serverlessYml, 'src/orders.js', 'getPool()', {
      name: 'getPool',
      module: '/opt/nodejs/db',
      what: 'pg `Pool` pool',
      handler: 'read',
    }),
    imported(sam, 'hello/app.ts', 'getClient()', {
      name: 'getClient',
      module: '/opt/nodejs/db',
      what: 'pg `Client` connection',
      handler: 'lambdaHandler',
    }),
    // A tsconfig path alias, from a handler serverless.ts names (`main`) and middy wraps.
    imported(serverlessTs, 'src/functions/get-user/handler.ts', 'findUser(', {
      name: 'findUser',
      module: '@libs/users',
      what: 'mysql2 `createConnection()` connection',
      handler: 'main',
    }),
    // Resolvers from another file, served per request by an Apollo handler.
    (() => {
      const c = onDisk(crossFile, 'handlers/graphql.js');
      return {
        ...c,
        errors: [
          {
            messageId: 'connectionInResolvers' as const,
            ...at(c.code, 'resolvers }'),
            data: { name: 'resolvers', module: '../graphql/resolvers', what: 'pg `Client` connection', handler: 'graphqlHandler' },
          },
        ],
      };
    })(),
    // graphql-yoga 1.x: each resolver imported by name, its client made by a helper of a third file on every call.
    // The handler is `server` (serverless.yml names it); the playground handler serves no resolvers.
    (() => {
      const c = onDisk(crossFile, 'handlers/yoga.js');
      const what = 'pg `Client` connection';
      return {
        ...c,
        errors: [
          { messageId: 'connectionInResolvers' as const, ...at(c.code, 'getUser,\n    users'), data: { name: 'getUser', module: '../graphql/users', what, handler: 'server' } },
          { messageId: 'connectionInResolvers' as const, ...at(c.code, 'listUsers,\n  }'), data: { name: 'listUsers', module: '../graphql/users', what, handler: 'server' } },
        ],
      };
    })(),
    // A handler factory from another file whose returned handler creates a client per invocation.
    (() => {
      const c = onDisk(crossFile, 'handlers/factory.ts');
      return {
        ...c,
        errors: [
          {
            messageId: 'connectionInFactory' as const,
            ...at(c.code, 'withDb(listOrders)'),
            data: { name: 'withDb', module: '../lib/with-db', what: 'pg `Client` connection', handler: 'main' },
          },
        ],
      };
    })(),
  ],
};

// One run, so that the check of the rule's messages sees every case.
ruleTester.run('no-connection-in-handler', rule, {
  valid: [...valid, ...beyondTheFile.valid],
  invalid: [...invalid, ...beyondTheFile.invalid],
});
