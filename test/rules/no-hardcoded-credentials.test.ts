import * as espree from 'espree';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { describe, expect, it } from 'vitest';
import rule, { type MessageIds, type Options } from '../../src/rules/no-hardcoded-credentials.js';
import * as stack from './stack/no-hardcoded-credentials.cases.js';
import plugin from '../../src/index.js';
import { createRuleTester, invalidCases } from '../rule-tester.js';
import { lintBigLiteral } from '../helpers/big-literal.mjs';
import { at } from '../core/config/locate.js';

const ruleTester = createRuleTester();

/** The plain ESLint parser (espree) with CommonJS scoping, as `.cjs` files get by default. */
const cjs = { languageOptions: { parser: espree, sourceType: 'commonjs', ecmaVersion: 'latest' } } as const;

/** A report of a password key or argument, covering exactly `needle`. */
const key = (code: string, needle: string, where: string, nth = 0) => ({
  messageId: 'hardcodedPassword' as const,
  ...at(code, needle, nth),
  data: { where },
});

/** A report of the password inside a URI, covering exactly `needle`. */
const inUri = (code: string, needle: string, uri: string, nth = 0) => ({
  messageId: 'passwordInUri' as const,
  ...at(code, needle, nth),
  data: { uri },
});

/** An invalid case whose errors are computed from the code. */
const bad = invalidCases<MessageIds, Options>();

export const valid: Array<string | ValidTestCase<Options>> = [
  // Passwords from the environment, Secrets Manager, IAM tokens, functions.
  `import { Pool } from 'pg';
export const pool = new Pool({ host: process.env.DB_HOST, password: process.env.DB_PASSWORD });`,
  `import { Pool } from 'pg';
const { DB_PASSWORD } = process.env;
export const pool = new Pool({ password: DB_PASSWORD });`,
  `import { Pool } from 'pg';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
const secret = await getSecret('db', { transform: 'json' });
export const pool = new Pool({ user: secret.username, password: secret.password });`,
  `import { Signer } from '@aws-sdk/rds-signer';
import { Pool } from 'pg';
const signer = new Signer({ hostname: process.env.DB_HOST, port: 5432, username: 'app' });
export const pool = new Pool({ user: 'app', password: () => signer.getAuthToken(), ssl: true });`,
  `import mysql from 'mysql2/promise';
export const pool = mysql.createPool({ user: 'app', password: await fetchPassword() });`,
  // Empty strings and interpolations are not hard-coded passwords.
  `import { Pool } from 'pg';
export const pool = new Pool({ password: '' });`,
  `import { Pool } from 'pg';
const secret = process.env.SECRET;
export const pool = new Pool({ password: \`\${secret}\` });`,
  `import { Pool } from 'pg';
export const pool = new Pool({ connectionString: \`postgres://app:\${process.env.DB_PASSWORD}@\${process.env.DB_HOST}/app\` });`,
  `import { Pool } from 'pg';
export const pool = new Pool({ connectionString: \`postgres://app:\${encodeURIComponent(password)}@db/app\` });`,
  // Placeholders a deployment tool substitutes.
  `import { Pool } from 'pg';
export const pool = new Pool({ password: '\${DB_PASSWORD}' });`,
  `import { Pool } from 'pg';
export const pool = new Pool({ connectionString: 'postgres://app:\${DB_PASSWORD}@db/app' });`,
  `import knex from 'knex';
export const db = knex({ client: 'pg', connection: { password: '{{resolve:secretsmanager:db}}' } });`,
  // URIs without a password, or not database URIs.
  `import { Pool } from 'pg';
export const pool = new Pool({ connectionString: 'postgres://app@db.example.com:5432/app?sslmode=verify-full' });`,
  `export const docs = 'https://user:pass@example.com/path';`,
  `export const cache = 'redis://default:pass@cache.example.com:6379';`,
  `export const url = 'postgres://db.example.com/app';`,
  `export const url = \`postgres://\${user}:\${pass}@\${host}/db\`;`,
  // Form labels, validation messages and request fields named `password` are not database credentials.
  `export const labels = { username: 'User name', password: 'Password' };`,
  `export const errors = { password: 'The password must be at least 12 characters.' };`,
  `import { Pool } from 'pg';
const pool = new Pool();
export const handler = async (event) => {
  const { username, password } = JSON.parse(event.body);
  const form = { password: 'Enter your password' };
  return pool.query('select check_login($1, $2)', [username, password]);
};`,
  `import { Pool } from 'pg';
export const pool = new Pool();
export function validate(input) { return input.password === 'password' ? 'Choose a better password.' : undefined; }`,
  // Only the password counts: user names and databases may be literals.
  `import { Pool } from 'pg';
export const pool = new Pool({ user: 'app', database: 'orders', host: 'db.example.com', port: 5432 });`,
  // A password-shaped key of an unrelated call.
  `import { Pool } from 'pg';
export const pool = new Pool();
export const user = createUser({ name: 'x', password: 'not-a-db-credential' });`,
  // Comments are not code.
  `// const url = 'postgres://admin:secret@db.example.com/app';
/* new Pool({ password: 'secret' }) */
export const handler = async () => 1;`,
  // The Data API has no password.
  `import { RDSDataClient } from '@aws-sdk/client-rds-data';
export const client = new RDSDataClient({ region: 'us-east-1' });`,
  // Overridden later in the same object: the literal does not reach the driver.
  `import { Pool } from 'pg';
const defaults = { max: 1 };
export const pool = new Pool({ ...defaults, password: process.env.DB_PASSWORD });`,
  {
    code: `const { Pool } = require('pg');
module.exports.pool = new Pool({ password: process.env.PGPASSWORD });`,
    ...cjs,
  },
  // Application data with a password field is not a database setting: no host, database or port beside it.
  `export const loginFixture = { email: 'a@example.com', password: 'correct horse' };`,
  `export const user = { username: 'admin', password: 'not-a-db-credential' };`,
  // Database settings read from the environment.
  `module.exports = { RDS_HOSTNAME: process.env.RDS_HOSTNAME, DB_PASSWORD: process.env.DB_PASSWORD };`,
];

export const invalid: InvalidTestCase<MessageIds, Options>[] = [
  // --- Config keys, per driver ---------------------------------------------------------------------------------
  bad(
    `import { Pool } from 'pg';
export const pool = new Pool({ host: 'db', user: 'app', password: 'hunter2' });`,
    (c) => [
      {
        ...key(c, "'hunter2'", '`password` of pg `Pool`'),
        suggestions: [
          {
            messageId: 'suggestIamAuth',
            output: `import { Pool } from 'pg';
import { Signer } from '@aws-sdk/rds-signer';

const signer = new Signer({
  hostname: 'db',
  port: 5432,
  username: 'app',
  region: process.env.AWS_REGION
});

export const pool = new Pool({ host: 'db', user: 'app', password: () => signer.getAuthToken(), ssl: { rejectUnauthorized: true } });`,
          },
        ],
      },
    ],
  ),
  bad(
    `import pg from 'pg';
export const client = new pg.Client({ password: 'hunter2' });`,
    (c) => [key(c, "'hunter2'", '`password` of pg `Client`')],
  ),
  bad(
    `const { Client } = require('pg');
exports.client = new Client({ password: 'hunter2' });`,
    (c) => [key(c, "'hunter2'", '`password` of pg `Client`')],
    cjs,
  ),
  bad(
    `import postgres from 'postgres';
export const sql = postgres({ host: 'db', pass: 'hunter2' });`,
    (c) => [key(c, "'hunter2'", '`pass` of postgres.js `postgres()`')],
  ),
  bad(
    `import mysql from 'mysql2/promise';
export const pool = mysql.createPool({ host: 'db', user: 'root', password: 'hunter2', password2: 'second' });`,
    (c) => [
      key(c, "'hunter2'", '`password` of mysql2 `createPool()`'),
      key(c, "'second'", '`password2` of mysql2 `createPool()`'),
    ],
  ),
  bad(
    `const mysql = require('mysql');
const connection = mysql.createConnection({ host: 'db', password: 'hunter2' });
module.exports = connection;`,
    (c) => [key(c, "'hunter2'", '`password` of mysql `createConnection()`')],
    cjs,
  ),
  bad(
    `import * as mariadb from 'mariadb';
export const pool = mariadb.createPool({ password: 'hunter2', connectionLimit: 1 });`,
    (c) => [key(c, "'hunter2'", '`password` of mariadb `createPool()`')],
  ),
  bad(
    `import knex from 'knex';
export const db = knex({ client: 'pg', connection: { host: 'db', password: 'hunter2' } });`,
    (c) => [key(c, "'hunter2'", '`connection.password` of knex')],
  ),
  bad(
    `import { DataSource } from 'typeorm';
export const ds = new DataSource({ type: 'postgres', username: 'app', password: 'hunter2' });`,
    (c) => [key(c, "'hunter2'", '`password` of TypeORM `DataSource`')],
  ),
  bad(
    `import sql from 'mssql';
export const pool = new sql.ConnectionPool({ server: 'db', authentication: { type: 'default', options: { userName: 'sa', password: 'hunter2' } } });`,
    (c) => [key(c, "'hunter2'", '`authentication.options.password` of mssql `ConnectionPool`')],
  ),
  bad(
    `import { Connection } from 'tedious';
export const connection = new Connection({ server: 'db', authentication: { options: { userName: 'sa', password: 'hunter2' } } });`,
    (c) => [key(c, "'hunter2'", '`authentication.options.password` of tedious `Connection`')],
  ),
  bad(
    `import serverlessMysql from 'serverless-mysql';
export const db = serverlessMysql({ config: { host: 'db', password: 'hunter2' } });`,
    (c) => [key(c, "'hunter2'", '`config.password` of serverless-mysql')],
  ),
  bad(
    `const pgp = require('pg-promise')();
exports.db = pgp({ host: 'db', password: 'hunter2' });`,
    (c) => [key(c, "'hunter2'", '`password` of pg-promise database')],
    cjs,
  ),
  bad(
    `import { Pool } from '@neondatabase/serverless';
export const pool = new Pool({ connectionString: 'postgres://app:hunter2@ep-x.eu-central-1.aws.neon.tech/app' });`,
    (c) => [inUri(c, 'hunter2', '`postgres://` connection URI')],
  ),
  bad(
    `import { createPool } from '@vercel/postgres';
export const pool = createPool({ connectionString: process.env.POSTGRES_URL, password: 'hunter2' });`,
    (c) => [key(c, "'hunter2'", '`password` of @vercel/postgres `createPool()`')],
  ),
  bad(
    `import ServerlessClient from 'serverless-postgres';
export const client = new ServerlessClient({ host: 'db', password: 'hunter2' });`,
    (c) => [key(c, "'hunter2'", '`password` of serverless-postgres `ServerlessClient`')],
  ),
  bad(
    `import Pool from 'pg-pool';
export const pool = new Pool({ password: 'hunter2' });`,
    (c) => [key(c, "'hunter2'", '`password` of pg-pool `Pool`')],
  ),
  bad(
    `import { drizzle } from 'drizzle-orm/mysql2';
export const db = drizzle({ connection: { host: 'db', user: 'app', password: 'hunter2' } });`,
    (c) => [key(c, "'hunter2'", '`connection.password` of drizzle `drizzle()`')],
  ),
  bad(
    `import { PrismaMariaDb } from '@prisma/adapter-mariadb';
export const adapter = new PrismaMariaDb({ host: 'db', user: 'app', password: 'hunter2' });`,
    (c) => [key(c, "'hunter2'", '`password` of Prisma `PrismaMariaDb` adapter')],
  ),
  bad(
    `import mysql from 'mysql2';
const cluster = mysql.createPoolCluster();
cluster.add('writer', { host: 'writer', password: 'hunter2' });
export default cluster;`,
    (c) => [key(c, "'hunter2'", '`password` of mysql2 `createPoolCluster()` `add()`')],
  ),
  // `pwd` and `pass` carry a password whatever the driver documents.
  bad(
    `import sql from 'mssql';
export const pool = new sql.ConnectionPool({ server: 'db', user: 'sa', pwd: 'hunter2' });`,
    (c) => [key(c, "'hunter2'", '`pwd` of mssql `ConnectionPool`')],
  ),
  // mssql `sql.connect(config)` is not a creating call, but its config counts.
  bad(
    `import sql from 'mssql';
export const handler = async () => { await sql.connect({ server: 'db', user: 'sa', password: 'hunter2' }); };`,
    (c) => [key(c, "'hunter2'", '`password` of mssql `sql.connect()`')],
  ),
  // Numbers are passwords too.
  bad(
    `import { Pool } from 'pg';
export const pool = new Pool({ password: 123456 });`,
    (c) => [key(c, '123456', '`password` of pg `Pool`')],
  ),
  // Placeholder-looking passwords are still passwords sent to the database.
  bad(
    `import { Pool } from 'pg';
export const pool = new Pool({ password: 'changeme' });`,
    (c) => [key(c, "'changeme'", '`password` of pg `Pool`')],
  ),
  // --- Positional arguments --------------------------------------------------------------------------------------
  bad(
    `import { Sequelize } from 'sequelize';
export const sequelize = new Sequelize('app', 'admin', 'hunter2', { host: 'db', dialect: 'postgres' });`,
    (c) => [
      {
        ...key(c, "'hunter2'", 'an argument of Sequelize'),
        suggestions: [
          {
            messageId: 'suggestIamAuth',
            output: `import { Sequelize } from 'sequelize';
import { Signer } from '@aws-sdk/rds-signer';

const signer = new Signer({
  hostname: 'db',
  port: 5432,
  username: 'admin',
  region: process.env.AWS_REGION
});

export const sequelize = new Sequelize('app', 'admin', undefined, { host: 'db', dialect: 'postgres', hooks: {
  beforeConnect: async (config) => {
    config.password = await signer.getAuthToken();
  }
}, dialectOptions: { ssl: { rejectUnauthorized: true } } });`,
          },
        ],
      },
    ],
  ),
  bad(
    `const { Sequelize } = require('sequelize');
const PASSWORD = 'hunter2';
module.exports = new Sequelize('app', 'admin', PASSWORD, { dialect: 'mysql' });`,
    (c) => [key(c, "'hunter2'", 'an argument of Sequelize')],
    cjs,
  ),
  // --- URIs --------------------------------------------------------------------------------------------------------
  bad(
    `import { Pool } from 'pg';
export const pool = new Pool({ connectionString: 'postgresql://app:hunter2@db.example.com:5432/app' });`,
    (c) => [inUri(c, 'hunter2', '`postgresql://` connection URI')],
  ),
  bad(
    `import mysql from 'mysql2';
export const connection = mysql.createConnection('mysql://root:hunter2@db/app');`,
    (c) => [inUri(c, 'hunter2', '`mysql://` connection URI')],
  ),
  bad(
    `import postgres from 'postgres';
export const sql = postgres('postgres://app:hunter2@db/app', { max: 1 });`,
    (c) => [inUri(c, 'hunter2', '`postgres://` connection URI')],
  ),
  bad(
    `import { Sequelize } from 'sequelize';
export const sequelize = new Sequelize('mariadb://app:hunter2@db/app');`,
    (c) => [inUri(c, 'hunter2', '`mariadb://` connection URI')],
  ),
  bad(
    `import knex from 'knex';
export const db = knex({ client: 'pg', connection: 'postgres://app:hunter2@db/app' });`,
    (c) => [inUri(c, 'hunter2', '`postgres://` connection URI')],
  ),
  bad(
    `import { DataSource } from 'typeorm';
export const ds = new DataSource({ type: 'mysql', url: 'mysql://app:hunter2@db/app' });`,
    (c) => [inUri(c, 'hunter2', '`mysql://` connection URI')],
  ),
  bad(
    `import { PrismaClient } from '@prisma/client';
export const prisma = new PrismaClient({ datasources: { db: { url: 'postgresql://app:hunter2@db/app' } } });`,
    (c) => [inUri(c, 'hunter2', '`postgresql://` connection URI')],
  ),
  bad(
    `import { drizzle } from 'drizzle-orm/node-postgres';
export const db = drizzle('postgres://app:hunter2@db/app');`,
    (c) => [inUri(c, 'hunter2', '`postgres://` connection URI')],
  ),
  bad(
    `import { createPool } from 'slonik';
export const pool = await createPool('postgres://app:hunter2@db/app');`,
    (c) => [inUri(c, 'hunter2', '`postgres://` connection URI')],
  ),
  bad(
    `import sql from 'mssql';
export const handler = async () => sql.connect('Server=db,1433;Database=app;User Id=sa;Password=hunter2;Encrypt=true');`,
    (c) => [inUri(c, 'hunter2', 'SQL Server connection string')],
  ),
  bad(
    `import { Pool } from 'pg';
export const pool = new Pool({ connectionString: 'postgres://db/app?user=app&password=hunter2' });`,
    (c) => [inUri(c, 'hunter2', '`postgres://` connection URI')],
  ),
  // The static part of a template carries the password; the host is interpolated.
  bad(
    `import { Pool } from 'pg';
export const pool = new Pool({ connectionString: \`postgres://app:hunter2@\${process.env.DB_HOST}/app\` });`,
    (c) => [inUri(c, 'hunter2', '`postgres://` connection URI')],
  ),
  // A constant interpolated into a template: the report points at the constant.
  bad(
    `import { Pool } from 'pg';
const PASSWORD = 'hunter2';
export const pool = new Pool({ connectionString: \`postgres://app:\${PASSWORD}@db/app\` });`,
    (c) => [inUri(c, 'hunter2', '`postgres://` connection URI')],
  ),
  // Database URIs with a password anywhere in a file, even without a driver.
  bad(
    `export const DATABASE_URL = 'postgres://admin:hunter2@db.example.com:5432/app';`,
    (c) => [inUri(c, 'hunter2', '`postgres://` connection URI')],
  ),
  bad(
    `export const urls = ['sqlserver://admin:hunter2@db:1433', "mssql://sa:second@db/app"];`,
    (c) => [inUri(c, 'hunter2', '`sqlserver://` connection URI'), inUri(c, 'second', '`mssql://` connection URI')],
  ),
  bad(
    `export const url = 'mysql://root:' + 'hunter2' + '@db/app';`,
    (c) => [inUri(c, 'hunter2', '`mysql://` connection URI')],
  ),
  bad(
    `module.exports = { url: \`postgresql+asyncpg://app:hunter2@\${host}/db\` };`,
    (c) => [inUri(c, 'hunter2', '`postgresql://` connection URI')],
    cjs,
  ),
  // --- Env fallbacks and constants ---------------------------------------------------------------------------------
  bad(
    `import { Pool } from 'pg';
export const pool = new Pool({ password: process.env.DB_PASSWORD || 'hunter2' });`,
    (c) => [key(c, "'hunter2'", '`password` of pg `Pool`')],
  ),
  bad(
    `import { Pool } from 'pg';
export const pool = new Pool({ password: process.env['DB_PASSWORD'] ?? 'hunter2' });`,
    (c) => [key(c, "'hunter2'", '`password` of pg `Pool`')],
  ),
  bad(
    `import { Pool } from 'pg';
export const pool = new Pool({ password: process.env.NODE_ENV === 'production' ? process.env.DB_PASSWORD : 'local-dev' });`,
    (c) => [key(c, "'local-dev'", '`password` of pg `Pool`')],
  ),
  bad(
    `import { Pool } from 'pg';
const { DB_PASSWORD = 'hunter2' } = process.env;
export const pool = new Pool({ password: DB_PASSWORD });`,
    (c) => [key(c, "'hunter2'", '`password` of pg `Pool`')],
  ),
  bad(
    `import { Pool } from 'pg';
const connectionString = process.env.DATABASE_URL || 'postgres://app:hunter2@localhost/app';
export const pool = new Pool({ connectionString });`,
    (c) => [inUri(c, 'hunter2', '`postgres://` connection URI')],
  ),
  // A constant holding the literal, reported where the literal is written (once, though two configs use it).
  bad(
    `import mysql from 'mysql2';
const DB_PASSWORD = 'hunter2';
export const writer = mysql.createPool({ host: 'writer', password: DB_PASSWORD });
export const reader = mysql.createPool({ host: 'reader', password: DB_PASSWORD });`,
    (c) => [key(c, "'hunter2'", '`password` of mysql2 `createPool()`')],
  ),
  // A config object built in one const, completed at module scope and passed by name.
  bad(
    `import { Client } from 'pg';
const config = { host: 'db', user: 'app' };
config.password = 'hunter2';
export const client = new Client(config);`,
    (c) => [key(c, "'hunter2'", '`password` of pg `Client`')],
  ),
  bad(
    `import knex from 'knex';
const base = { client: 'pg', connection: { host: 'db', password: 'hunter2' } };
export const db = knex({ ...base, pool: { min: 0, max: 1 } });`,
    (c) => [key(c, "'hunter2'", '`connection.password` of knex')],
  ),
  // A password string built from literals.
  bad(
    `import { Pool } from 'pg';
export const pool = new Pool({ password: 'hunter' + '2' });`,
    (c) => [key(c, "'hunter' + '2'", '`password` of pg `Pool`')],
  ),
  // --- TypeScript syntax -------------------------------------------------------------------------------------------
  bad(
    `import { Pool, type PoolConfig } from 'pg';
const config: PoolConfig = { password: 'hunter2' as string };
export const pool = new Pool(config satisfies PoolConfig);`,
    (c) => [key(c, "'hunter2'", '`password` of pg `Pool`')],
  ),
  bad(
    `import { Pool } from 'pg';
const secrets = { db: 'hunter2' } as const;
export const pool = new Pool({ password: secrets.db! });`,
    (c) => [key(c, "'hunter2'", '`password` of pg `Pool`')],
  ),
  // Optional chaining and comments.
  bad(
    `import { Pool } from 'pg';
const settings = { db: { password: /* local only */ 'hunter2' } };
export const pool = new Pool({ password: settings?.db?.password });`,
    (c) => [key(c, "'hunter2'", '`password` of pg `Pool`')],
  ),
  // Inside a Lambda handler.
  bad(
    `import type { Handler } from 'aws-lambda';
import { Client } from 'pg';
export const handler: Handler = async () => {
  const client = new Client({ password: 'hunter2' });
  await client.connect();
};`,
    (c) => [key(c, "'hunter2'", '`password` of pg `Client`')],
  ),
  // --- The suggestion: IAM authentication (the fix the iam-auth codemod applies; its fixtures cover every shape) ---
  // mysql cannot send a token: the suggestion moves the file to mysql2; the config is built inside the handler, the
  // signer is created once at module scope, below the require.
  bad(
    `const mysql = require('mysql');

exports.handler = (event, context, callback) => {
  const connection = mysql.createConnection({ host: process.env.DB_HOST, user: 'app', password: 'hunter2' });
  connection.query('select 1', (error, rows) => callback(error, rows));
};`,
    (c) => [
      {
        ...key(c, "'hunter2'", '`password` of mysql `createConnection()`'),
        suggestions: [
          {
            messageId: 'suggestIamAuth',
            output: `const mysql = require('mysql2');
const { Signer } = require('@aws-sdk/rds-signer');

const signer = new Signer({
  hostname: process.env.DB_HOST,
  port: 3306,
  username: 'app',
  region: process.env.AWS_REGION
});

exports.handler = (event, context, callback) => {
  const connection = mysql.createConnection({ host: process.env.DB_HOST, user: 'app', authPlugins: { mysql_clear_password: () => async () => Buffer.from(\`\${await signer.getAuthToken()}\\0\`) }, decimalNumbers: true, jsonStrings: true, ssl: { rejectUnauthorized: true } });
  connection.query('select 1', (error, rows) => callback(error, rows));
};`,
          },
        ],
      },
    ],
    cjs,
  ),
  // A host read from the event: no suggestion (the token is signed for one endpoint, known at start-up).
  bad(
    `import { Client } from 'pg';
export const handler = async (event) => {
  const client = new Client({ host: event.host, user: 'app', password: 'hunter2' });
  await client.connect();
};`,
    (c) => [{ ...key(c, "'hunter2'", '`password` of pg `Client`'), suggestions: [] }],
  ),
  // Outside any driver call: a configuration module, a knex-style object handed to a library, a Lambda
  // environment block in infrastructure code, a URI in a variable (the `pg://` scheme too).
  bad(
    `module.exports = { RDS_HOSTNAME: process.env.RDS_HOSTNAME, RDS_USERNAME: 'admin', DB_PASSWORD: 'hunter2' };`,
    (code) => [key(code, "'hunter2'", '`DB_PASSWORD` of a database settings object')],
  ),
  bad(
    `export const Constants = Object.freeze({ dbUser: 'postgres', dbPass: 'hunter2', dbPort: 5432 });`,
    (code) => [key(code, "'hunter2'", '`dbPass` of a database settings object')],
  ),
  // A settings object that names its library (knex `client`) is fixed as that library reads it, although no call
  // in the file does.
  bad(
    `const { ServerlessDatabase } = require('./datasources');
const knexConfig = { client: 'mysql', connection: { host: process.env.DB_HOST, user: 'app', password: 'hunter2' } };
module.exports.db = new ServerlessDatabase(knexConfig);`,
    (code) => [
      {
        ...key(code, "'hunter2'", '`password` of a database settings object'),
        suggestions: [
          {
            messageId: 'suggestIamAuth',
            output: `const { ServerlessDatabase } = require('./datasources');
const { Signer } = require('@aws-sdk/rds-signer');

const signer = new Signer({
  hostname: process.env.DB_HOST!,
  port: 3306,
  username: 'app',
  region: process.env.AWS_REGION
});

const knexConfig = { client: 'mysql2', connection: async () => {
  const token = await signer.getAuthToken();
  // knex reuses these settings for new connections until \`expirationChecker\` returns true: renew them a
  // minute before the token expires (it is valid for the X-Amz-Expires seconds it was signed for, 900).
  const lifetime = Number(new URLSearchParams(token.split('?')[1]).get('X-Amz-Expires')) || 900;
  const renewAt = Date.now() + (lifetime - 60) * 1000;
  return { host: process.env.DB_HOST, user: 'app', authPlugins: { mysql_clear_password: () => () => Buffer.from(\`\${token}\\0\`) }, decimalNumbers: true, jsonStrings: true, ssl: { rejectUnauthorized: true }, expirationChecker: () => Date.now() >= renewAt };
} };
module.exports.db = new ServerlessDatabase(knexConfig);`,
          },
        ],
      },
    ],
  ),
  // Named for a library that does not read the password where it is written (knex reads \`connection.password\`),
  // or that has no token hook for the database (TypeORM with mysql): no suggestion.
  bad(
    `module.exports = { client: 'pg', connection: { host: process.env.DB_HOST, user: 'app' }, dbPassword: 'hunter2' };`,
    (code) => [{ ...key(code, "'hunter2'", '`dbPassword` of a database settings object'), suggestions: [] }],
  ),
  bad(
    `module.exports = { type: 'mysql', host: process.env.DB_HOST, username: 'app', password: 'hunter2', database: 'app' };`,
    (code) => [{ ...key(code, "'hunter2'", '`password` of a database settings object'), suggestions: [] }],
  ),
  // Keys written in every way a key can be (quoted, computed, nested, after a comment), found from where they are
  // written; the same words in comments, strings and types are no settings.
  bad(
    `// password: 'in-a-comment'
const help = "set password: 'example' in the form";
module.exports = {
  primary: { 'DB_HOST': 'db', ['dbPass']: 'first-pw', replica: { host: 'replica', password
    : 'second-pw' } },
  nested: { database: 'app', [\`password\`]: 'third-pw' },
};`,
    (code) => [
      key(code, "'first-pw'", '`dbPass` of a database settings object'),
      key(code, "'second-pw'", '`password` of a database settings object'),
      key(code, "'third-pw'", '`password` of a database settings object'),
    ],
    cjs,
  ),
  // An environment block outside stack code (no CDK or Pulumi import): a settings object.
  bad(
    `export const environment = { DB_PASSWORD: 'orders-app-pw', REDIS_DB_PASSWORD: 'cache-pw' };`,
    (code) => [key(code, "'orders-app-pw'", '`DB_PASSWORD` of a database settings object')],
  ),
  bad(
    `export const DATABASE_URL = 'pg://app:hunter2@orders.c9bfei4hjlrd.us-east-1.rds.amazonaws.com:5432/orders';`,
    (code) => [inUri(code, 'hunter2', '`pg://` connection URI')],
  ),
];

ruleTester.run('no-hardcoded-credentials', rule, { valid: [...valid, ...stack.valid], invalid: [...invalid, ...stack.invalid] });

const SECRET = 'Qx7Zp9Wv3K';

describe('no-hardcoded-credentials messages', () => {
  it('never contain the password or any part of it', () => {
    const linter = new Linter();
    let checked = 0;
    for (const testCase of invalid) {
      const code = testCase.code.replaceAll('hunter2', SECRET).replaceAll('123456', '917364');
      const languageOptions = (testCase.languageOptions ?? { parser: tsParser }) as Linter.Config['languageOptions'];
      const messages = linter.verify(
        code,
        [{ files: ['**/*.ts', '**/*.cjs'], languageOptions, plugins: { 'lambda-rds': plugin as never }, rules: { 'lambda-rds/no-hardcoded-credentials': 'error' } }],
        testCase.languageOptions ? 'file.cjs' : 'file.ts',
      );
      const reports = messages.filter((m) => m.ruleId === 'lambda-rds/no-hardcoded-credentials');
      expect(reports.length, code).toBeGreaterThan(0);
      for (const message of reports) {
        // No three consecutive characters of the secret (the ones used below are absent from every message).
        for (const secret of [SECRET, '917364']) {
          for (let i = 0; i + 3 <= secret.length; i++) {
            expect(message.message, `${secret} in: ${message.message}`).not.toContain(secret.slice(i, i + 3));
          }
        }
        for (const secret of ['changeme', 'local-dev', 'second']) expect(message.message).not.toContain(secret);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  // Linear time on such input is checked by `npm run bench` (bench/adversarial.mjs): a ratio, not a time limit.
  it('lints a 1 MB string literal to the end, with the findings it holds', () => {
    const linter = new Linter();
    const payloads = [
      'postgres://'.repeat(95_000),
      `postgres://a:${'b'.repeat(1_000_000)}@h/db`,
      'mysql://u:p@h '.repeat(70_000),
      'x'.repeat(1_000_000),
    ];
    const flagged = payloads.map(() => false);
    for (const [index, payload] of payloads.entries()) {
      const messages = lintBigLiteral({ linter, plugin, parser: tsParser, rule: 'no-hardcoded-credentials', poolConfig: '{ connectionString: big, password: big }', payload });
      expect(messages.filter((m) => m.fatal || !m.ruleId)).toEqual([]);
      flagged[index] = messages.length > 0;
    }
    // `password: big` is a literal password whatever its text.
    expect(flagged).toEqual([true, true, true, true]);
  });
});
