import * as espree from 'espree';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { describe, expect, it } from 'vitest';
import rule, { type MessageIds, type Options } from '../../src/rules/max-pool-size.js';
import plugin from '../../src/index.js';
import { createRuleTester } from '../rule-tester.js';
import { at } from '../core/config/locate.js';

const ruleTester = createRuleTester();

const cjs = { languageOptions: { parser: espree, sourceType: 'commonjs', ecmaVersion: 'latest' } } as const;

const HANDLER = `export const handler = async () => ({ statusCode: 200 });`;
const checkDefaults: Options = [{ checkDefaults: true }];

/** An explicit pool size above `max`, reported at exactly `needle`. */
function tooLarge(code: string, needle: string, driver: string, key: string, value: number, options: { max?: number; alsoMin?: string; nth?: number } = {}) {
  const max = options.max ?? 1;
  return {
    messageId: 'poolTooLarge' as const,
    ...at(code, needle, options.nth ?? 0),
    data: { driver, key, value: String(value), max: String(max), alsoMin: options.alsoMin ?? '' },
  };
}

/** A pool left at a default above `max`, reported at the creating call `needle`. */
function byDefault(code: string, needle: string, driver: string, text: string, fix: string) {
  return {
    messageId: 'defaultPoolTooLarge' as const,
    ...at(code, needle),
    data: { driver, default: text, fix },
  };
}

/** The suggestion of a report, with the code it produces. */
function suggest(key: string, output: string, max = 1, alsoMin = '') {
  return [{ messageId: 'suggestMax' as const, data: { key, max: String(max), alsoMin }, output }];
}

/** knex refuses a `max` below `min`, which defaults to 2: the message asks for `min: 0` too. */
const KNEX_MIN = ' and `pool.min` to 0';

export const valid: Array<string | ValidTestCase<Options>> = [
  // One connection per execution environment.
  `import { Pool } from 'pg';
const pool = new Pool({ host: process.env.DB_PROXY_ENDPOINT, max: 1 });
${HANDLER}`,
  `import mysql from 'mysql2/promise';
const pool = mysql.createPool({ uri: 'mysql://app@db/app?connectionLimit=1', connectionLimit: 1 });
${HANDLER}`,
  `import knex from 'knex';
const db = knex({ client: 'pg', connection: process.env.DATABASE_URL, pool: { min: 0, max: 1 } });
${HANDLER}`,
  `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient({ datasourceUrl: 'postgresql://app@db/app?connection_limit=1' });
${HANDLER}`,
  // No Lambda handler in the file: a server or a script may want a larger pool.
  `import { Pool } from 'pg';
export const pool = new Pool({ max: 20 });`,
  // The size is not known (from the environment).
  `import { Pool } from 'pg';
const pool = new Pool({ max: Number(process.env.DB_POOL_MAX) });
${HANDLER}`,
  // Lambda Managed Instances: the team raised `max`.
  { code: `import { Pool } from 'pg';\nconst pool = new Pool({ max: 8 });\n${HANDLER}`, options: [{ max: 8 }] },
  // Defaults are only reported with `checkDefaults`.
  `import { Pool } from 'pg';
const pool = new Pool({ host: process.env.DB_HOST });
${HANDLER}`,
  // Single connections and driver-managed clients are not pools.
  `import { Client } from 'pg';
const client = new Client({ max: 10 });
${HANDLER}`,
  {
    code: `import ServerlessClient from 'serverless-postgres';
const client = new ServerlessClient({ maxConnections: 100 });
${HANDLER}`,
    options: checkDefaults,
  },
  // Not an RDS database.
  `import knex from 'knex';
const db = knex({ client: 'sqlite3', connection: { filename: ':memory:' }, pool: { max: 5 } });
${HANDLER}`,
  `import { Pool } from '@neondatabase/serverless';
const pool = new Pool({ max: 10 });
${HANDLER}`,
  // checkDefaults: something the rule cannot see may set the size.
  {
    code: `import { Pool } from 'pg';
export function makePool(options) { return new Pool({ ...options }); }
${HANDLER}`,
    options: checkDefaults,
  },
  {
    code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
${HANDLER}`,
    options: checkDefaults,
  },
  {
    code: `import mysql from 'mysql2/promise';
const pool = mysql.createPool(process.env.DATABASE_URL);
${HANDLER}`,
    options: checkDefaults,
  },
  // checkDefaults: the pool belongs to someone else (drizzle wraps it; Prisma 7 uses the adapter's pool).
  {
    code: `import { drizzle } from 'drizzle-orm/node-postgres';
import { Pool } from 'pg';
const pool = new Pool({ max: 1 });
const db = drizzle({ client: pool });
${HANDLER}`,
    options: checkDefaults,
  },
  {
    code: `import { PrismaClient } from '@prisma/client';
import { PrismaPg } from '@prisma/adapter-pg';
const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL, max: 1 }) });
${HANDLER}`,
    options: checkDefaults,
  },
  // A pool cluster is sized per `add()`.
  {
    code: `import mysql from 'mysql2';
const cluster = mysql.createPoolCluster({ canRetry: true });
cluster.add('writer', { host: process.env.DB_HOST, connectionLimit: 1 });
${HANDLER}`,
    options: checkDefaults,
  },
  // A size set from a value the rule cannot read is not a default.
  {
    code: `import { Pool } from 'pg';
const pool = new Pool({ max: Number(process.env.DB_POOL_MAX) });
${HANDLER}`,
    options: checkDefaults,
  },
  {
    code: `const { Pool } = require('pg');
const pool = new Pool({ max: 1 });
exports.handler = async () => pool.query('select 1');`,
    ...cjs,
  },
];

export const invalid: InvalidTestCase<MessageIds, Options>[] = [
  // --- Explicit sizes ---------------------------------------------------------------------------------------------
  (() => {
    const code = `import { Pool } from 'pg';
const pool = new Pool({ host: process.env.DB_PROXY_ENDPOINT, max: 10 });
${HANDLER}`;
    return {
      code,
      errors: [{ ...tooLarge(code, '10', 'pg `Pool`', 'max', 10), suggestions: suggest('max', code.replace('max: 10', 'max: 1')) }],
    };
  })(),
  (() => {
    const code = `const { Pool } = require('pg');
const pool = new Pool({ poolSize: 4 });
exports.handler = async () => pool.query('select 1');`;
    return {
      code,
      ...cjs,
      errors: [{ ...tooLarge(code, '4', 'pg `Pool`', 'poolSize', 4), suggestions: suggest('poolSize', code.replace('poolSize: 4', 'poolSize: 1')) }],
    };
  })(),
  // TypeScript: `as`, `satisfies`, and a shared config object used by two pools is reported once.
  (() => {
    const code = `import pg, { type PoolConfig } from 'pg';
const config = { max: 5 as number } satisfies PoolConfig;
const reader = new pg.Pool(config);
const writer = new pg.Pool({ ...config });
${HANDLER}`;
    return {
      code,
      errors: [{ ...tooLarge(code, '5', 'pg `Pool`', 'max', 5), suggestions: suggest('max', code.replace('max: 5 as', 'max: 1 as')) }],
    };
  })(),
  // Shorthand and quoted keys.
  (() => {
    const code = `import { Pool } from 'pg';
const max = 10;
const pool = new Pool({ max });
const other = new Pool({ 'max': 3 });
${HANDLER}`;
    return {
      code,
      errors: [
        { ...tooLarge(code, '10', 'pg `Pool`', 'max', 10), suggestions: suggest('max', code.replace('max = 10', 'max = 1')) },
        { ...tooLarge(code, '3', 'pg `Pool`', 'max', 3), suggestions: suggest('max', code.replace("'max': 3", "'max': 1")) },
      ],
    };
  })(),
  // A module-scope assignment to the config object.
  (() => {
    const code = `import { Pool } from 'pg';
const config = { host: process.env.DB_HOST };
config.max = 10;
const pool = new Pool(config);
${HANDLER}`;
    return {
      code,
      errors: [{ ...tooLarge(code, '10', 'pg `Pool`', 'max', 10), suggestions: suggest('max', code.replace('= 10', '= 1')) }],
    };
  })(),
  // knex: a spread in the `pool` object may hold a `min`; adding one blindly could duplicate it.
  (() => {
    const code = `import knex from 'knex';
import { poolDefaults } from './pool.js';
const db = knex({ client: 'pg', pool: { ...poolDefaults, max: 5 } });
${HANDLER}`;
    return { code, errors: [{ ...tooLarge(code, '5', 'knex', 'pool.max', 5, { alsoMin: KNEX_MIN }), suggestions: [] }] };
  })(),
  // A fallback of an environment read is a possible value: reported, no suggestion (the literal is a string).
  (() => {
    const code = `import mysql from 'mysql2/promise';
const pool = mysql.createPool({ connectionLimit: Number(process.env.DB_CONNECTIONS ?? '20') });
${HANDLER}`;
    return { code, errors: [{ ...tooLarge(code, "'20'", 'mysql2 `createPool()`', 'connectionLimit', 20), suggestions: [] }] };
  })(),
  (() => {
    const code = `import mysql from 'mysql2';
const pool = mysql.createPool({ connectionLimit: parseInt(process.env.DB_CONNECTIONS, 10) || 10 });
${HANDLER}`;
    return {
      code,
      errors: [
        {
          ...tooLarge(code, '10 }', 'mysql2 `createPool()`', 'connectionLimit', 10),
          endColumn: at(code, '10 }').column + 2,
          suggestions: suggest('connectionLimit', code.replace('|| 10', '|| 1')),
        },
      ],
    };
  })(),
  (() => {
    const code = `import mysql from 'mysql2/promise';
const pool = mysql.createPool('mysql://app@db/app?connectionLimit=20');
${HANDLER}`;
    return {
      code,
      errors: [{ ...tooLarge(code, '20', 'mysql2 `createPool()`', 'connectionLimit', 20), suggestions: suggest('connectionLimit', code.replace('=20', '=1')) }],
    };
  })(),
  (() => {
    const code = `import * as mariadb from 'mariadb';
const pool = mariadb.createPool({ host: process.env.DB_HOST, connectionLimit: 5, minimumIdle: 0 });
${HANDLER}`;
    return {
      code,
      errors: [{ ...tooLarge(code, '5', 'mariadb `createPool()`', 'connectionLimit', 5), suggestions: suggest('connectionLimit', code.replace('connectionLimit: 5', 'connectionLimit: 1')) }],
    };
  })(),
  // mariadb: a `minimumIdle` above the new size would be refused, so no suggestion.
  (() => {
    const code = `import * as mariadb from 'mariadb';
const pool = mariadb.createPool({ connectionLimit: 5, minimumIdle: 5 });
${HANDLER}`;
    return { code, errors: [{ ...tooLarge(code, '5', 'mariadb `createPool()`', 'connectionLimit', 5), suggestions: [] }] };
  })(),
  // knex: `min` defaults to 2, so lowering `max` alone would throw; the suggestion adds `min: 0`.
  (() => {
    const code = `import knex from 'knex';
const db = knex({ client: 'pg', connection: process.env.DATABASE_URL, pool: { max: 5 } });
${HANDLER}`;
    return {
      code,
      errors: [
        {
          ...tooLarge(code, '5', 'knex', 'pool.max', 5, { alsoMin: KNEX_MIN }),
          suggestions: suggest('pool.max', code.replace('{ max: 5 }', '{ min: 0, max: 1 }'), 1, ' and `pool.min` to 0'),
        },
      ],
    };
  })(),
  (() => {
    const code = `import knex from 'knex';
const db = knex({ client: 'mysql2', connection: process.env.DATABASE_URL, pool: { min: 0, max: 4 } });
${HANDLER}`;
    return {
      code,
      errors: [{ ...tooLarge(code, '4', 'knex', 'pool.max', 4), suggestions: suggest('pool.max', code.replace('max: 4', 'max: 1')) }],
    };
  })(),
  (() => {
    const code = `import knex from 'knex';
const db = knex({ client: 'pg', pool: { min: 2, max: 4 } });
${HANDLER}`;
    return { code, errors: [{ ...tooLarge(code, '4', 'knex', 'pool.max', 4, { alsoMin: KNEX_MIN }), suggestions: [] }] };
  })(),
  (() => {
    const code = `const { Sequelize } = require('sequelize');
const sequelize = new Sequelize(process.env.DATABASE_URL, { dialect: 'postgres', pool: { max: 5, min: 0 } });
exports.handler = async () => sequelize.query('select 1');`;
    return {
      code,
      ...cjs,
      errors: [{ ...tooLarge(code, '5', 'Sequelize', 'pool.max', 5), suggestions: suggest('pool.max', code.replace('max: 5', 'max: 1')) }],
    };
  })(),
  (() => {
    const code = `import { DataSource } from 'typeorm';
const dataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, poolSize: 10, extra: { max: 3 } });
${HANDLER}`;
    return {
      code,
      errors: [
        { ...tooLarge(code, '10', 'TypeORM `DataSource`', 'poolSize', 10), suggestions: suggest('poolSize', code.replace('poolSize: 10', 'poolSize: 1')) },
        { ...tooLarge(code, '3', 'TypeORM `DataSource`', 'extra.max', 3), suggestions: suggest('extra.max', code.replace('max: 3', 'max: 1')) },
      ],
    };
  })(),
  (() => {
    const code = `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient({ datasources: { db: { url: 'postgresql://app@db/app?schema=public&connection_limit=5' } } });
${HANDLER}`;
    return {
      code,
      errors: [{ ...tooLarge(code, '5', 'Prisma `PrismaClient`', 'connection_limit', 5), suggestions: suggest('connection_limit', code.replace('connection_limit=5', 'connection_limit=1')) }],
    };
  })(),
  (() => {
    const code = `import postgres from 'postgres';
const sql = postgres(process.env.DATABASE_URL, { max: 10, prepare: false });
${HANDLER}`;
    return {
      code,
      errors: [{ ...tooLarge(code, '10', 'postgres.js `postgres()`', 'max', 10), suggestions: suggest('max', code.replace('max: 10', 'max: 1')) }],
    };
  })(),
  (() => {
    const code = `import sql from 'mssql';
const pool = new sql.ConnectionPool({ server: process.env.DB_HOST, pool: { max: 10, min: 0 } });
${HANDLER}`;
    return {
      code,
      errors: [{ ...tooLarge(code, '10', 'mssql `ConnectionPool`', 'pool.max', 10), suggestions: suggest('pool.max', code.replace('max: 10', 'max: 1')) }],
    };
  })(),
  (() => {
    const code = `import { createPool } from 'slonik';
const pool = await createPool(process.env.DATABASE_URL, { maximumPoolSize: 4 });
${HANDLER}`;
    return {
      code,
      errors: [{ ...tooLarge(code, '4', 'slonik `createPool()`', 'maximumPoolSize', 4), suggestions: suggest('maximumPoolSize', code.replace(': 4', ': 1')) }],
    };
  })(),
  (() => {
    const code = `import pgPromise from 'pg-promise';
const pgp = pgPromise();
const db = pgp({ host: process.env.DB_HOST, max: 30 });
${HANDLER}`;
    return {
      code,
      errors: [{ ...tooLarge(code, '30', 'pg-promise database', 'max', 30), suggestions: suggest('max', code.replace('max: 30', 'max: 1')) }],
    };
  })(),
  (() => {
    const code = `import { drizzle } from 'drizzle-orm/node-postgres';
const db = drizzle({ connection: { connectionString: process.env.DATABASE_URL, max: 10 } });
${HANDLER}`;
    return {
      code,
      errors: [{ ...tooLarge(code, '10', 'drizzle `drizzle()`', 'connection.max', 10), suggestions: suggest('connection.max', code.replace('max: 10', 'max: 1')) }],
    };
  })(),
  (() => {
    const code = `import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL, max: 5 }) });
${HANDLER}`;
    return {
      code,
      errors: [{ ...tooLarge(code, '5', 'Prisma `PrismaPg` adapter', 'max', 5), suggestions: suggest('max', code.replace('max: 5', 'max: 1')) }],
    };
  })(),
  // A higher `max` option (Lambda Managed Instances) still has a limit.
  (() => {
    const code = `import { Pool } from 'pg';
const pool = new Pool({ max: 20 });
${HANDLER}`;
    return {
      code,
      options: [{ max: 8 }],
      errors: [{ ...tooLarge(code, '20', 'pg `Pool`', 'max', 20, { max: 8 }), suggestions: suggest('max', code.replace('max: 20', 'max: 8'), 8) }],
    };
  })(),
  // A pool created per invocation is still sized per execution environment.
  (() => {
    const code = `import { Pool } from 'pg';
export const handler = async () => {
  const pool = new Pool({ max: 2 });
  return pool.query('select 1');
};`;
    return { code, errors: [{ ...tooLarge(code, '2', 'pg `Pool`', 'max', 2), suggestions: suggest('max', code.replace('max: 2', 'max: 1')) }] };
  })(),
  // --- Defaults (checkDefaults) -------------------------------------------------------------------------------------
  (() => {
    const code = `import { Pool } from 'pg';
const pool = new Pool();
${HANDLER}`;
    return { code, options: checkDefaults, errors: [byDefault(code, 'new Pool()', 'pg `Pool`', '10 connections', 'set `max: 1`')] };
  })(),
  (() => {
    const code = `import knex from 'knex';
const db = knex({ client: 'pg', connection: process.env.DATABASE_URL });
${HANDLER}`;
    return {
      code,
      options: checkDefaults,
      errors: [
        byDefault(code, "knex({ client: 'pg', connection: process.env.DATABASE_URL })", 'knex', '10 connections', 'set `pool: { min: 0, max: 1 }`'),
      ],
    };
  })(),
  (() => {
    const code = `import * as mariadb from 'mariadb';
const pool = mariadb.createPool({ host: process.env.DB_HOST });
${HANDLER}`;
    return {
      code,
      options: checkDefaults,
      errors: [
        byDefault(
          code,
          'mariadb.createPool({ host: process.env.DB_HOST })',
          'mariadb `createPool()`',
          '10 connections kept open',
          'set `connectionLimit: 1`',
        ),
      ],
    };
  })(),
  (() => {
    const code = `const { Sequelize } = require('sequelize');
const sequelize = new Sequelize('app', 'app_user', process.env.DB_PASSWORD, { host: process.env.DB_HOST, dialect: 'mysql' });
exports.handler = async () => sequelize.query('select 1');`;
    return {
      code,
      ...cjs,
      options: checkDefaults,
      errors: [
        byDefault(
          code,
          "new Sequelize('app', 'app_user', process.env.DB_PASSWORD, { host: process.env.DB_HOST, dialect: 'mysql' })",
          'Sequelize',
          '5 connections',
          'set `pool: { max: 1 }`',
        ),
      ],
    };
  })(),
  (() => {
    const code = `import { DataSource } from 'typeorm';
const dataSource = new DataSource({ type: 'postgres', host: process.env.DB_HOST });
${HANDLER}`;
    return {
      code,
      options: checkDefaults,
      errors: [byDefault(code, "new DataSource({ type: 'postgres', host: process.env.DB_HOST })", 'TypeORM `DataSource`', '10 connections', 'set `poolSize: 1`')],
    };
  })(),
  (() => {
    const code = `import mysql from 'mysql2';
const cluster = mysql.createPoolCluster();
cluster.add('reader', { host: process.env.DB_READER_HOST });
${HANDLER}`;
    return {
      code,
      options: checkDefaults,
      errors: [
        byDefault(code, "cluster.add('reader', { host: process.env.DB_READER_HOST })", 'mysql2 `createPoolCluster()` `add()`', '10 connections', 'set `connectionLimit: 1`'),
      ],
    };
  })(),
  (() => {
    const code = `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient({ datasourceUrl: 'postgresql://app@db.internal/app?schema=public' });
${HANDLER}`;
    return {
      code,
      options: checkDefaults,
      errors: [
        byDefault(
          code,
          "new PrismaClient({ datasourceUrl: 'postgresql://app@db.internal/app?schema=public' })",
          'Prisma `PrismaClient`',
          'at least 3 connections',
          'add `connection_limit=1` to its URL',
        ),
      ],
    };
  })(),
];

ruleTester.run('max-pool-size', rule, { valid, invalid });

describe('max-pool-size in the configs', () => {
  const code = `import { Pool } from 'pg';\nconst pool = new Pool();\nconst sized = new Pool({ max: 10 });\n${HANDLER}`;
  const lint = (config: 'recommended' | 'strict') =>
    new Linter()
      .verify(code, [{ files: ['**/*.ts'], languageOptions: { parser: tsParser } }, plugin.configs[config]], 'handler.ts')
      .filter((m) => m.ruleId === 'lambda-rds/max-pool-size')
      .map((m) => m.messageId);

  it('recommended reports explicit sizes only', () => {
    expect(lint('recommended')).toEqual(['poolTooLarge']);
  });

  it('strict turns on checkDefaults', () => {
    expect(lint('strict')).toEqual(['defaultPoolTooLarge', 'poolTooLarge']);
  });
});
