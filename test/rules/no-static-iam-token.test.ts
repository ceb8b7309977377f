import * as espree from 'espree';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../src/rules/no-static-iam-token.js';
import { createRuleTester, invalidCases } from '../rule-tester.js';
import { at } from '../core/config/locate.js';

const ruleTester = createRuleTester();

const cjs = { languageOptions: { parser: espree, sourceType: 'commonjs', ecmaVersion: 'latest' } } as const;

const PROXY = 'app.proxy-c9bfei4hjlrd.us-east-1.rds.amazonaws.com';
const SIGNER = `import { Signer } from '@aws-sdk/rds-signer';
const signer = new Signer({ hostname: '${PROXY}', port: 5432, username: 'app' });`;
const HANDLER = `export const handler = async () => ({ statusCode: 200 });`;

const FIX = {
  pg: 'Pass a function instead, which node-postgres calls for each new connection: `password: () => signer.getAuthToken()`',
  postgresJs: 'Pass a function instead, which postgres.js calls for each new connection: `password: () => signer.getAuthToken()`',
  mysql2:
    'Fetch the token for each new connection in an `authPlugins.mysql_clear_password` plugin instead (mysql2 calls it whenever it authenticates; the plugin returns the token followed by a NUL byte)',
  mysql:
    'The mysql package cannot send an IAM token per connection (it has no `mysql_clear_password` support): use mysql2 with an `authPlugins.mysql_clear_password` plugin that fetches the token',
  mariadb:
    'mariadb reads `password` as a string: create the pool again with a fresh token before 15 minutes have passed, or open connections with `createConnection({ password: await signer.getAuthToken() })` when you need them',
  knex: 'Give knex a `connection` function that fetches the token and returns an `expirationChecker` as well (`connection: async () => ({ ..., password: await signer.getAuthToken(), expirationChecker: () => Date.now() > expiresAt })`), so knex asks for new settings before the token expires',
  sequelize:
    'Fetch the token in a `beforeConnect` hook instead, which runs before each new connection: `sequelize.beforeConnect(async (config) => { config.password = await signer.getAuthToken(); })`',
  typeormPg:
    'Pass a function instead, which TypeORM hands to node-postgres and node-postgres calls for each new connection: `password: () => signer.getAuthToken()`',
  typeormMysql: 'Fetch the token for each new connection in an `authPlugins.mysql_clear_password` plugin passed in `extra` instead',
  prisma:
    'Prisma reads the URL once: use a driver adapter whose pool fetches the token per connection (`new PrismaPg(new Pool({ ..., password: () => signer.getAuthToken() }))`)',
  middy:
    "Set the middleware's `cacheExpiry` below 15 minutes (for example `cacheExpiry: 14 * 60 * 1000`), so that each invocation gets a token that is still valid",
} as const;

type Kind = 'pool' | 'client' | 'connection';

/** A token string held by a long-lived pool or client, reported at exactly `needle`. */
function longLived(code: string, needle: string, driver: string, kind: Kind, fix: string, where = 'in `password`', nth = 0) {
  return { messageId: 'tokenInLongLivedPool' as const, ...at(code, needle, nth), data: { where, driver, kind, fix } };
}

/** A token fetched once, used by a connection opened on every invocation. */
function fetchedOnce(code: string, needle: string, driver: string, fix: string, cached = ' (when the execution environment starts)', nth = 0) {
  return {
    messageId: 'tokenFetchedOnce' as const,
    ...at(code, needle, nth),
    data: { where: 'in `password`', cached, driver, handler: 'handler', fix },
  };
}

function suggest(call: string, output: string) {
  return [{ messageId: 'suggestTokenFunction' as const, data: { call }, output }];
}

const bad = invalidCases<MessageIds, Options>();

export const valid: Array<string | ValidTestCase<Options>> = [
  // The fresh-token forms (domain notes §3.5).
  `${SIGNER}
import { Pool } from 'pg';
export const pool = new Pool({ host: '${PROXY}', password: () => signer.getAuthToken() });
${HANDLER}`,
  `${SIGNER}
import { Pool } from 'pg';
const getToken = async () => signer.getAuthToken();
export const pool = new Pool({ host: '${PROXY}', password: getToken });`,
  `${SIGNER}
import { Pool } from 'pg';
export const pool = new Pool({ host: '${PROXY}', password: signer.getAuthToken.bind(signer) });`,
  `${SIGNER}
import postgres from 'postgres';
export const sql = postgres({ host: '${PROXY}', password: async () => await signer.getAuthToken() });`,
  `${SIGNER}
import knex from 'knex';
let expiresAt = 0;
export const db = knex({
  client: 'pg',
  connection: async () => {
    expiresAt = Date.now() + 14 * 60 * 1000;
    return { host: '${PROXY}', user: 'app', password: await signer.getAuthToken(), expirationChecker: () => Date.now() > expiresAt };
  },
});`,
  `${SIGNER}
import { Sequelize } from 'sequelize';
const token = await signer.getAuthToken();
export const sequelize = new Sequelize('app', 'app', token, { dialect: 'postgres' });
sequelize.beforeConnect(async (config) => { config.password = await signer.getAuthToken(); });`,
  `${SIGNER}
import { Sequelize } from 'sequelize';
const token = await signer.getAuthToken();
export const sequelize = new Sequelize('app', 'app', token, {
  dialect: 'mysql',
  hooks: { beforeConnect: async (config) => { config.password = await signer.getAuthToken(); } },
});`,
  `${SIGNER}
import mysql from 'mysql2/promise';
const token = await signer.getAuthToken();
export const pool = mysql.createPool({
  host: '${PROXY}',
  password: token,
  authPlugins: { mysql_clear_password: () => async () => Buffer.from(\`\${await signer.getAuthToken()}\\0\`) },
});`,
  // One connection, opened while the token is fresh: it authenticates once.
  `${SIGNER}
import mysql from 'mysql2/promise';
const token = await signer.getAuthToken();
export const connection = await mysql.createConnection({ host: '${PROXY}', password: token });
${HANDLER}`,
  // Token and connection both per invocation: the connection-per-invocation problem (no-connection-in-handler).
  `${SIGNER}
import pg from 'pg';
export const handler = async () => {
  const client = new pg.Client({ host: '${PROXY}', password: await signer.getAuthToken() });
  await client.connect();
};`,
  // middy with a cache shorter than the token's life, used per invocation.
  `import middy from '@middy/core';
import rdsSigner from '@middy/rds-signer';
import pg from 'pg';
const base = async (event, context) => {
  const client = new pg.Client({ host: '${PROXY}', password: context.rdsToken });
  await client.connect();
};
export const handler = middy(base).use(rdsSigner({ fetchData: { rdsToken: { hostname: '${PROXY}', port: 5432, username: 'app' } }, cacheExpiry: 10 * 60 * 1000, setToContext: true }));`,
  // Not IAM tokens.
  `import { Pool } from 'pg';
export const pool = new Pool({ host: '${PROXY}', password: process.env.DB_PASSWORD });`,
  `import { Pool } from 'pg';
const auth = { getAuthToken: async () => 'x' };
const token = await auth.getAuthToken();
export const pool = new Pool({ password: token });`,
  // A factory nobody here calls: how long its pool lives is not known.
  `${SIGNER}
import { Pool } from 'pg';
export async function createPool() {
  const token = await signer.getAuthToken();
  return new Pool({ host: '${PROXY}', password: token });
}`,
  // SQL Server has no RDS IAM authentication.
  `${SIGNER}
import sql from 'mssql';
const token = await signer.getAuthToken();
export const pool = new sql.ConnectionPool({ server: 'db', password: token });`,
  {
    code: `const { Signer } = require('@aws-sdk/rds-signer');
const { Pool } = require('pg');
const signer = new Signer({ hostname: 'db', port: 5432, username: 'app' });
exports.pool = new Pool({ password: () => signer.getAuthToken() });`,
    ...cjs,
  },
];

export const invalid: InvalidTestCase<MessageIds, Options>[] = [
  // --- Long-lived pools -------------------------------------------------------------------------------------------
  bad(
    `${SIGNER}
import { Pool } from 'pg';
const token = await signer.getAuthToken();
export const pool = new Pool({ host: '${PROXY}', user: 'app', password: token, max: 1 });
${HANDLER}`,
    (c) => [
      {
        ...longLived(c, 'token', 'pg `Pool`', 'pool', FIX.pg, 'in `password`', 1),
        suggestions: suggest('signer.getAuthToken()', c.replace('password: token', 'password: () => signer.getAuthToken()')),
      },
    ],
  ),
  // Not Lambda code: a module that creates the pool for others is just as long-lived.
  bad(
    `${SIGNER}
import pg from 'pg';
export const pool = new pg.Pool({ host: '${PROXY}', password: await signer.getAuthToken() });`,
    (c) => [
      {
        ...longLived(c, 'await signer.getAuthToken()', 'pg `Pool`', 'pool', FIX.pg),
        suggestions: suggest('signer.getAuthToken()', c.replace('password: await signer.getAuthToken()', 'password: () => signer.getAuthToken()')),
      },
    ],
  ),
  // A local function that fetches the token: the suggestion calls it for each connection.
  bad(
    `${SIGNER}
import { Pool } from 'pg';
const getToken = () => signer.getAuthToken();
const token = await getToken();
export const pool = new Pool({ password: token });`,
    (c) => [
      {
        ...longLived(c, 'token }', 'pg `Pool`', 'pool', FIX.pg),
        endColumn: at(c, 'token }').column + 5,
        suggestions: suggest('getToken()', c.replace('password: token', 'password: () => getToken()')),
      },
    ],
  ),
  // Created lazily behind a module-scope cache, in the handler.
  bad(
    `${SIGNER}
import { Pool } from 'pg';
let pool: Pool | undefined;
export const handler = async () => {
  pool ??= new Pool({ host: '${PROXY}', password: await signer.getAuthToken() });
  return pool.query('select 1');
};`,
    (c) => [
      {
        ...longLived(c, 'await signer.getAuthToken()', 'pg `Pool`', 'pool', FIX.pg),
        suggestions: suggest('signer.getAuthToken()', c.replace('password: await signer.getAuthToken()', 'password: () => signer.getAuthToken()')),
      },
    ],
  ),
  bad(
    `const { Signer } = require('@aws-sdk/rds-signer');
const { Pool } = require('pg');
const signer = new Signer({ hostname: 'db', port: 5432, username: 'app' });
let pool;
async function getPool() {
  if (!pool) {
    const token = await signer.getAuthToken();
    pool = new Pool({ host: 'db', password: token });
  }
  return pool;
}
exports.handler = async () => (await getPool()).query('select 1');`,
    (c) => [
      {
        ...longLived(c, 'token }', 'pg `Pool`', 'pool', FIX.pg),
        endColumn: at(c, 'token }').column + 5,
        suggestions: suggest('signer.getAuthToken()', c.replace('password: token', 'password: () => signer.getAuthToken()')),
      },
    ],
    cjs,
  ),
  // An initialisation function called at module scope.
  bad(
    `${SIGNER}
import { Pool } from 'pg';
async function init() {
  const token = await signer.getAuthToken();
  return new Pool({ host: '${PROXY}', password: token });
}
const pool = await init();
${HANDLER}`,
    (c) => [
      {
        ...longLived(c, 'token }', 'pg `Pool`', 'pool', FIX.pg),
        endColumn: at(c, 'token }').column + 5,
        suggestions: suggest('signer.getAuthToken()', c.replace('password: token', 'password: () => signer.getAuthToken()')),
      },
    ],
  ),
  // `signer` means something else where the config is written: no suggestion.
  bad(
    `${SIGNER}
import { Pool } from 'pg';
const token = await signer.getAuthToken();
function build() {
  const signer = 'not the signer';
  return new Pool({ password: token, application_name: signer });
}
export const pool = build();`,
    (c) => [{ ...longLived(c, 'token,', 'pg `Pool`', 'pool', FIX.pg), endColumn: at(c, 'token,').column + 5, suggestions: [] }],
  ),
  bad(
    `${SIGNER}
import postgres from 'postgres';
const token = await signer.getAuthToken();
export const sql = postgres({ host: '${PROXY}', pass: token });
export const url = postgres(\`postgres://app:\${token}@${PROXY}/app\`);`,
    (c) => [
      {
        ...longLived(c, 'token }', 'postgres.js `postgres()`', 'pool', FIX.postgresJs, 'in `pass`'),
        endColumn: at(c, 'token }').column + 5,
        suggestions: suggest('signer.getAuthToken()', c.replace('pass: token', 'pass: () => signer.getAuthToken()')),
      },
      {
        ...longLived(c, 'token}', 'postgres.js `postgres()`', 'pool', FIX.postgresJs, 'in the password of the connection string'),
        endColumn: at(c, 'token}').column + 5,
        suggestions: [],
      },
    ],
  ),
  // AWS SDK v2: `getAuthToken(params)` without a callback returns the token synchronously.
  bad(
    `import AWS from 'aws-sdk';
import mysql from 'mysql2/promise';
const signer = new AWS.RDS.Signer({ region: 'us-east-1', hostname: '${PROXY}', port: 3306, username: 'app' });
const token = signer.getAuthToken({ username: 'app' });
export const pool = mysql.createPool({ host: '${PROXY}', user: 'app', password: token, ssl: {} });`,
    (c) => [{ ...longLived(c, 'token,', 'mysql2 `createPool()`', 'pool', FIX.mysql2), endColumn: at(c, 'token,').column + 5 }],
  ),
  bad(
    `${SIGNER}
import mysql from 'mysql';
export const pool = mysql.createPool({ host: '${PROXY}', password: await signer.getAuthToken() });`,
    (c) => [longLived(c, 'await signer.getAuthToken()', 'mysql `createPool()`', 'pool', FIX.mysql)],
  ),
  bad(
    `${SIGNER}
import * as mariadb from 'mariadb';
export const pool = mariadb.createPool({ host: '${PROXY}', password: await signer.getAuthToken() });`,
    (c) => [longLived(c, 'await signer.getAuthToken()', 'mariadb `createPool()`', 'pool', FIX.mariadb)],
  ),
  // knex caches what a `connection` function returns unless it also returns an `expirationChecker`.
  bad(
    `${SIGNER}
import knex from 'knex';
export const db = knex({ client: 'pg', connection: async () => ({ host: '${PROXY}', user: 'app', password: await signer.getAuthToken() }) });`,
    (c) => [longLived(c, 'await signer.getAuthToken()', 'knex', 'client', FIX.knex, 'in `connection.password`')],
  ),
  bad(
    `${SIGNER}
import knex from 'knex';
const token = await signer.getAuthToken();
export const db = knex({ client: 'pg', connection: { host: '${PROXY}', password: token } });`,
    (c) => [{ ...longLived(c, 'token }', 'knex', 'client', FIX.knex, 'in `connection.password`'), endColumn: at(c, 'token }').column + 5 }],
  ),
  bad(
    `${SIGNER}
import { Sequelize } from 'sequelize';
const token = await signer.getAuthToken();
export const sequelize = new Sequelize('app', 'app', token, { host: '${PROXY}', dialect: 'postgres' });`,
    (c) => [{ ...longLived(c, 'token,', 'Sequelize', 'client', FIX.sequelize, 'in the password argument', 0), ...at(c, 'token', 1) }],
  ),
  bad(
    `${SIGNER}
import { DataSource } from 'typeorm';
const token = await signer.getAuthToken();
export const postgresSource = new DataSource({ type: 'postgres', host: '${PROXY}', password: token });
export const mysqlSource = new DataSource({ type: 'mysql', host: '${PROXY}', password: token });`,
    (c) => [
      {
        ...longLived(c, 'token });', 'TypeORM `DataSource`', 'client', FIX.typeormPg),
        endColumn: at(c, 'token });').column + 5,
        suggestions: suggest('signer.getAuthToken()', c.replace("type: 'postgres', host: '" + PROXY + "', password: token", "type: 'postgres', host: '" + PROXY + "', password: () => signer.getAuthToken()")),
      },
      { ...longLived(c, 'token });', 'TypeORM `DataSource`', 'client', FIX.typeormMysql, 'in `password`', 1), endColumn: at(c, 'token });', 1).column + 5 },
    ],
  ),
  bad(
    `${SIGNER}
import { PrismaClient } from '@prisma/client';
const token = await signer.getAuthToken();
export const prisma = new PrismaClient({ datasourceUrl: \`postgresql://app:\${encodeURIComponent(token)}@${PROXY}/app\` });`,
    (c) => [
      {
        ...longLived(c, 'encodeURIComponent(token)', 'Prisma `PrismaClient`', 'client', FIX.prisma, 'in the password of the connection string'),
      },
    ],
  ),
  bad(
    `${SIGNER}
import serverlessMysql from 'serverless-mysql';
const token = await signer.getAuthToken();
export const mysql = serverlessMysql({ config: { host: '${PROXY}', password: token } });`,
    (c) => [{ ...longLived(c, 'token }', 'serverless-mysql', 'client', FIX.mysql2, 'in `config.password`'), endColumn: at(c, 'token }').column + 5 }],
  ),
  // --- A token fetched once, for connections opened on every invocation -----------------------------------------
  bad(
    `${SIGNER}
import pg from 'pg';
const token = await signer.getAuthToken();
export const handler = async () => {
  const client = new pg.Client({ host: '${PROXY}', password: token });
  await client.connect();
  try {
    return (await client.query('select 1')).rows;
  } finally {
    await client.end();
  }
};`,
    (c) => [
      {
        ...fetchedOnce(c, 'token }', 'pg `Client`', FIX.pg),
        endColumn: at(c, 'token }').column + 5,
        suggestions: suggest('signer.getAuthToken()', c.replace('password: token', 'password: () => signer.getAuthToken()')),
      },
    ],
  ),
  // @middy/rds-signer caches its token forever by default (`cacheExpiry: -1`).
  bad(
    `import middy from '@middy/core';
import rdsSigner from '@middy/rds-signer';
import pg from 'pg';
const base = async (event, context) => {
  const client = new pg.Client({ host: '${PROXY}', password: context.rdsToken });
  await client.connect();
};
export const handler = middy(base).use(rdsSigner({ fetchData: { rdsToken: { hostname: '${PROXY}', port: 5432, username: 'app' } }, setToContext: true }));`,
    (c) => [
      fetchedOnce(
        c,
        'context.rdsToken',
        'pg `Client`',
        FIX.middy,
        ' (`@middy/rds-signer` keeps it: its `cacheExpiry` is unset, `-1` or longer than 15 minutes)',
      ),
    ],
  ),
  // A middy token handed to a pool that outlives the invocation, whatever the middleware's cache.
  bad(
    `import middy from '@middy/core';
import rdsSigner from '@middy/rds-signer';
import pg from 'pg';
let pool;
const base = async (event, context) => {
  pool ??= new pg.Pool({ host: '${PROXY}', password: context.rdsToken });
  return pool.query('select 1');
};
export const handler = middy(base).use(rdsSigner({ fetchData: { rdsToken: { hostname: '${PROXY}', port: 5432, username: 'app' } }, cacheExpiry: 0, setToContext: true }));`,
    (c) => [
      longLived(
        c,
        'context.rdsToken',
        'pg `Pool`',
        'pool',
        `Give the pool a token source of its own instead of the middleware's token, which is fixed when the pool is created. ${FIX.pg}`,
      ),
    ],
  ),
];

ruleTester.run('no-static-iam-token', rule, { valid, invalid });
