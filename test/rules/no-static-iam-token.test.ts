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

/** The fixes the messages give, by driver; the rule's doc page has each in full. */
const FIX = {
  pg: 'pass `password: () => signer.getAuthToken()`',
  postgresJs: 'pass `password: () => signer.getAuthToken()`',
  mysql2: 'use an `authPlugins.mysql_clear_password` plugin',
  mysql: 'switch to mysql2, which can fetch a token per connection',
  mariadb: 'recreate the pool with a fresh token before then',
  knex: 'use a `connection` function with an `expirationChecker`',
  sequelize: 'set the password in a `beforeConnect` hook',
  typeormPg: 'pass `password: () => signer.getAuthToken()`',
  typeormMysql: 'use `extra.authPlugins.mysql_clear_password`',
  prisma: 'use a driver adapter whose pool fetches a token',
  middy: "set the middleware's `cacheExpiry` below 15 minutes",
} as const;

type Kind = 'pool' | 'client' | 'connection';

/** A token string held by a long-lived pool or client, reported at exactly `needle`. */
function longLived(code: string, needle: string, kind: Kind, fix: string, nth = 0) {
  return { messageId: 'tokenInLongLivedPool' as const, ...at(code, needle, nth), data: { kind, fix } };
}

/** A token fetched once, used by a connection opened on every invocation. */
function fetchedOnce(code: string, needle: string, fix: string, nth = 0) {
  return { messageId: 'tokenFetchedOnce' as const, ...at(code, needle, nth), data: { fix } };
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
        ...longLived(c, 'token', 'pool', FIX.pg, 1),
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
        ...longLived(c, 'await signer.getAuthToken()', 'pool', FIX.pg),
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
        ...longLived(c, 'token }', 'pool', FIX.pg),
        endColumn: at(c, 'token }').column + 5,
        suggestions: suggest('getToken()', c.replace('password: token', 'password: () => getToken()')),
      },
    ],
  ),
  // A shorthand property: the suggestion writes the key out.
  bad(
    `${SIGNER}
import { Pool } from 'pg';
const password = await signer.getAuthToken();
export const pool = new Pool({ host: '${PROXY}', password });`,
    (c) => [
      {
        ...longLived(c, 'password', 'pool', FIX.pg, 1),
        suggestions: suggest('signer.getAuthToken()', c.replace('password });', 'password: () => signer.getAuthToken() });')),
      },
    ],
  ),
  // Created once, when the token arrives: a promise chain at module level.
  bad(
    `import { Signer } from '@aws-sdk/rds-signer';
import mysql from 'mysql2/promise';
const signer = new Signer({ hostname: '${PROXY}', port: 3306, username: 'app' });
const poolReady = signer.getAuthToken().then((token) => mysql.createPool({ host: '${PROXY}', user: 'app', password: token, ssl: {} }));
export const handler = async () => (await poolReady).query('select 1');`,
    (c) => [longLived(c, 'token', 'pool', FIX.mysql2, 1)],
  ),
  // The same chain in CommonJS, with a function expression.
  bad(
    `const { Signer } = require('@aws-sdk/rds-signer');
const { Pool } = require('pg');
const signer = new Signer({ hostname: '${PROXY}', port: 5432, username: 'app' });
const poolReady = signer.getAuthToken().then(function (password) { return new Pool({ host: '${PROXY}', user: 'app', password }); });
exports.handler = async () => (await poolReady).query('select 1');`,
    (c) => [
      {
        ...longLived(c, 'password', 'pool', FIX.pg, 1),
        suggestions: suggest('signer.getAuthToken()', c.replace("user: 'app', password }", "user: 'app', password: () => signer.getAuthToken() }")),
      },
    ],
    cjs,
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
        ...longLived(c, 'await signer.getAuthToken()', 'pool', FIX.pg),
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
        ...longLived(c, 'token }', 'pool', FIX.pg),
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
        ...longLived(c, 'token }', 'pool', FIX.pg),
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
    (c) => [{ ...longLived(c, 'token,', 'pool', FIX.pg), endColumn: at(c, 'token,').column + 5, suggestions: [] }],
  ),
  bad(
    `${SIGNER}
import postgres from 'postgres';
const token = await signer.getAuthToken();
export const sql = postgres({ host: '${PROXY}', pass: token });
export const url = postgres(\`postgres://app:\${token}@${PROXY}/app\`);`,
    (c) => [
      {
        ...longLived(c, 'token }', 'pool', FIX.postgresJs),
        endColumn: at(c, 'token }').column + 5,
        suggestions: suggest('signer.getAuthToken()', c.replace('pass: token', 'pass: () => signer.getAuthToken()')),
      },
      {
        ...longLived(c, 'token}', 'pool', FIX.postgresJs),
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
    (c) => [{ ...longLived(c, 'token,', 'pool', FIX.mysql2), endColumn: at(c, 'token,').column + 5 }],
  ),
  bad(
    `${SIGNER}
import mysql from 'mysql';
export const pool = mysql.createPool({ host: '${PROXY}', password: await signer.getAuthToken() });`,
    (c) => [longLived(c, 'await signer.getAuthToken()', 'pool', FIX.mysql)],
  ),
  bad(
    `${SIGNER}
import * as mariadb from 'mariadb';
export const pool = mariadb.createPool({ host: '${PROXY}', password: await signer.getAuthToken() });`,
    (c) => [longLived(c, 'await signer.getAuthToken()', 'pool', FIX.mariadb)],
  ),
  // knex caches what a `connection` function returns unless it also returns an `expirationChecker`.
  bad(
    `${SIGNER}
import knex from 'knex';
export const db = knex({ client: 'pg', connection: async () => ({ host: '${PROXY}', user: 'app', password: await signer.getAuthToken() }) });`,
    (c) => [longLived(c, 'await signer.getAuthToken()', 'client', FIX.knex)],
  ),
  bad(
    `${SIGNER}
import knex from 'knex';
const token = await signer.getAuthToken();
export const db = knex({ client: 'pg', connection: { host: '${PROXY}', password: token } });`,
    (c) => [{ ...longLived(c, 'token }', 'client', FIX.knex), endColumn: at(c, 'token }').column + 5 }],
  ),
  bad(
    `${SIGNER}
import { Sequelize } from 'sequelize';
const token = await signer.getAuthToken();
export const sequelize = new Sequelize('app', 'app', token, { host: '${PROXY}', dialect: 'postgres' });`,
    (c) => [{ ...longLived(c, 'token,', 'client', FIX.sequelize), ...at(c, 'token', 1) }],
  ),
  bad(
    `${SIGNER}
import { DataSource } from 'typeorm';
const token = await signer.getAuthToken();
export const postgresSource = new DataSource({ type: 'postgres', host: '${PROXY}', password: token });
export const mysqlSource = new DataSource({ type: 'mysql', host: '${PROXY}', password: token });`,
    (c) => [
      {
        ...longLived(c, 'token });', 'client', FIX.typeormPg),
        endColumn: at(c, 'token });').column + 5,
        suggestions: suggest('signer.getAuthToken()', c.replace("type: 'postgres', host: '" + PROXY + "', password: token", "type: 'postgres', host: '" + PROXY + "', password: () => signer.getAuthToken()")),
      },
      { ...longLived(c, 'token });', 'client', FIX.typeormMysql, 1), endColumn: at(c, 'token });', 1).column + 5 },
    ],
  ),
  bad(
    `${SIGNER}
import { PrismaClient } from '@prisma/client';
const token = await signer.getAuthToken();
export const prisma = new PrismaClient({ datasourceUrl: \`postgresql://app:\${encodeURIComponent(token)}@${PROXY}/app\` });`,
    (c) => [
      {
        ...longLived(c, 'encodeURIComponent(token)', 'client', FIX.prisma),
      },
    ],
  ),
  bad(
    `${SIGNER}
import serverlessMysql from 'serverless-mysql';
const token = await signer.getAuthToken();
export const mysql = serverlessMysql({ config: { host: '${PROXY}', password: token } });`,
    (c) => [{ ...longLived(c, 'token }', 'client', FIX.mysql2), endColumn: at(c, 'token }').column + 5 }],
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
        ...fetchedOnce(c, 'token }', FIX.pg),
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
      fetchedOnce(c, 'context.rdsToken', FIX.middy),
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
      longLived(c, 'context.rdsToken', 'pool', FIX.pg),
    ],
  ),
];

ruleTester.run('no-static-iam-token', rule, { valid, invalid });
