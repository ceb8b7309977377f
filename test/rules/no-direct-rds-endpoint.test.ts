import * as espree from 'espree';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { describe, expect, it } from 'vitest';
import rule, { type MessageIds, type Options } from '../../src/rules/no-direct-rds-endpoint.js';
import * as stack from './stack/no-direct-rds-endpoint.cases.js';
import plugin from '../../src/index.js';
import { createRuleTester, invalidCases } from '../rule-tester.js';
import { lintBigLiteral } from '../helpers/big-literal.mjs';
import { at } from '../core/config/locate.js';

const ruleTester = createRuleTester();

const cjs = { languageOptions: { parser: espree, sourceType: 'commonjs', ecmaVersion: 'latest' } } as const;

const KIND = {
  instance: 'a DB instance endpoint',
  writer: 'an Aurora cluster endpoint',
  reader: 'an Aurora reader endpoint',
  custom: 'an Aurora custom endpoint',
  limitless: 'an Aurora Limitless endpoint',
  global: 'an Aurora global writer endpoint',
} as const;

const CLUSTER = 'mydb.cluster-c9bfei4hjlrd.us-east-1.rds.amazonaws.com';
const READER = 'mydb.cluster-ro-c9bfei4hjlrd.us-east-1.rds.amazonaws.com';
const PROXY = 'app-proxy.proxy-c9bfei4hjlrd.us-east-1.rds.amazonaws.com';

/**
 * A report covering exactly `host` in the code, with the proxy-endpoint suggestion when `swap` is given: the text
 * to replace, and its replacement (default: the TypeScript env read, since the tester's files are `.ts`).
 */
function direct(code: string, host: string, kind: keyof typeof KIND, swap?: string | readonly [string, string], nth = 0) {
  const [from, to] = typeof swap === 'string' ? [swap, 'process.env.DB_PROXY_ENDPOINT!'] : (swap ?? ['', '']);
  return {
    messageId: 'directEndpoint' as const,
    ...at(code, host, nth),
    data: { host: host.replace(/\$\{[^}]*\}/g, '${…}'), kind: KIND[kind] },
    suggestions: swap
      ? [{ messageId: 'suggestProxyEndpoint' as const, data: { envVar: 'DB_PROXY_ENDPOINT' }, output: code.replace(from, to) }]
      : [],
  };
}

const bad = invalidCases<MessageIds, Options>();

export const valid: Array<string | ValidTestCase<Options>> = [
  // RDS Proxy endpoints: default and additional (read-only) endpoints, in keys and URIs.
  `import { Pool } from 'pg';
export const pool = new Pool({ host: '${PROXY}' });
export const handler = async () => pool.query('select 1');`,
  `import mysql from 'mysql2/promise';
export const pool = mysql.createPool('mysql://app@reader.endpoint.proxy-c9bfei4hjlrd.us-east-1.rds.amazonaws.com/app');
export const handler = async () => pool.query('select 1');`,
  `import postgres from 'postgres';
const sql = postgres({ host: 'APP-PROXY.PROXY-C9BFEI4HJLRD.US-EAST-1.RDS.AMAZONAWS.COM.' });
export const handler = async () => sql\`select 1\`;`,
  `import { Pool } from 'pg';
const pool = new Pool({ host: 'p.proxy-abc.rds.cn-north-1.amazonaws.com.cn' });
export const handler = async () => pool.query('select 1');`,
  // Hosts from the environment are not known statically.
  `import { Pool } from 'pg';
const pool = new Pool({ host: process.env.DB_HOST });
export const handler = async () => pool.query('select 1');`,
  // Hostnames in comments.
  `import { Pool } from 'pg';
// Writer: ${CLUSTER}
/* Reader: ${READER} */
const pool = new Pool({ host: process.env.DB_PROXY_ENDPOINT });
export const handler = async () => pool.query('select 1');`,
  // Aurora DSQL has no proxy; the Data API is HTTPS with no database connection.
  `import { Pool } from 'pg';
const pool = new Pool({ host: 'abcdefghijklmnopqrstuvwxyz.dsql.us-east-1.on.aws' });
export const handler = async () => pool.query('select 1');`,
  `export const handler = async () => fetch('https://rds-data.us-east-1.amazonaws.com/Execute');`,
  // Lookalikes, the CA trust store, custom DNS names and IP addresses.
  `export const handler = async () => connect('${CLUSTER}.evil.example');`,
  `export const handler = async () => download('https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem');`,
  `import { Pool } from 'pg';
const pool = new Pool({ host: 'db.internal.example.com' });
export const handler = async () => pool.query('select 1');`,
  `import { Pool } from 'pg';
const pool = new Pool({ host: '10.0.1.23' });
export const handler = async () => pool.query('select 1');`,
  // A template whose unknown part could make it a proxy.
  `import { Pool } from 'pg';
const pool = new Pool({ host: \`app.\${process.env.KIND}-c9bfei4hjlrd.us-east-1.rds.amazonaws.com\` });
export const handler = async () => pool.query('select 1');`,
  // Not Lambda code and not a driver config: infrastructure code, a script printing an endpoint.
  `export const outputs = { writerEndpoint: '${CLUSTER}' };`,
  `console.log('Aurora writer: ${CLUSTER}');`,
  // A type is not a connection.
  `type Writer = '${CLUSTER}';
export const handler = async (): Promise<Writer | undefined> => undefined;`,
  // Allowed by the option.
  {
    code: `import { Pool } from 'pg';
const pool = new Pool({ host: '${READER}' });
export const handler = async () => pool.query('select 1');`,
    options: [{ allowedHosts: ['*.cluster-ro-c9bfei4hjlrd.us-east-1.rds.amazonaws.com'] }],
  },
  {
    code: `import { Pool } from 'pg';
const pool = new Pool({ connectionString: 'postgres://u@${CLUSTER.toUpperCase()}./db' });
export const handler = async () => pool.query('select 1');`,
    options: [{ allowedHosts: [CLUSTER] }],
  },
  {
    code: `const { Pool } = require('pg');
const pool = new Pool({ host: process.env.DB_PROXY_ENDPOINT });
exports.handler = async () => pool.query('select 1');`,
    ...cjs,
  },
  // A host-like key that names no database, in an object that describes none: infrastructure outputs.
  `export const outputs = { readerEndpoint: '${READER}', replicaEndpoint: '${CLUSTER}' };`,
];

export const invalid: InvalidTestCase<MessageIds, Options>[] = [
  // --- Driver configs, in any file --------------------------------------------------------------------------------
  bad(
    `import { Pool } from 'pg';
export const pool = new Pool({ host: '${CLUSTER}', max: 1 });`,
    (c) => [direct(c, CLUSTER, 'writer', `'${CLUSTER}'`)],
  ),
  bad(
    `import { Pool } from 'pg';
export const pool = new Pool({ connectionString: 'postgres://app@${READER}:5432/app' });`,
    (c) => [direct(c, READER, 'reader', [`'postgres://app@${READER}:5432/app'`, '`postgres://app@${process.env.DB_PROXY_ENDPOINT}:5432/app`'])],
  ),
  bad(
    `import mysql from 'mysql2/promise';
export const pool = mysql.createPool('mysql://app@myendpoint.cluster-custom-123456789012.us-east-1.rds.amazonaws.com/app');`,
    (c) => [
      direct(c, 'myendpoint.cluster-custom-123456789012.us-east-1.rds.amazonaws.com', 'custom', [
        "'mysql://app@myendpoint.cluster-custom-123456789012.us-east-1.rds.amazonaws.com/app'",
        '`mysql://app@${process.env.DB_PROXY_ENDPOINT}/app`',
      ]),
    ],
  ),
  bad(
    `import knex from 'knex';
export const db = knex({ client: 'pg', connection: { host: 'mydbinstance.123456789012.us-east-1.rds.amazonaws.com' } });`,
    (c) => [direct(c, 'mydbinstance.123456789012.us-east-1.rds.amazonaws.com', 'instance', "'mydbinstance.123456789012.us-east-1.rds.amazonaws.com'")],
  ),
  bad(
    `import { Sequelize } from 'sequelize';
export const sequelize = new Sequelize('app', 'admin', process.env.DB_PASSWORD, { host: 'database-test-name.shardgrp-XYZ.us-east-2.rds.amazonaws.com', dialect: 'postgres' });`,
    (c) => [direct(c, 'database-test-name.shardgrp-XYZ.us-east-2.rds.amazonaws.com', 'limitless', "'database-test-name.shardgrp-XYZ.us-east-2.rds.amazonaws.com'")],
  ),
  bad(
    `import { DataSource } from 'typeorm';
export const ds = new DataSource({ type: 'mysql', host: 'my-gdb.global-abc123.global.rds.amazonaws.com' });`,
    (c) => [direct(c, 'my-gdb.global-abc123.global.rds.amazonaws.com', 'global', "'my-gdb.global-abc123.global.rds.amazonaws.com'")],
  ),
  bad(
    `import sql from 'mssql';
export const pool = new sql.ConnectionPool({ server: 'sqlsrv.abcdefghijkl.us-gov-west-1.rds.amazonaws.com' });`,
    (c) => [direct(c, 'sqlsrv.abcdefghijkl.us-gov-west-1.rds.amazonaws.com', 'instance', "'sqlsrv.abcdefghijkl.us-gov-west-1.rds.amazonaws.com'")],
  ),
  bad(
    `import sql from 'mssql';
export async function connect() { return sql.connect('Server=tcp:sqlsrv.abcdefghijkl.eu-west-1.rds.amazonaws.com,1433;Database=app'); }`,
    (c) => [
      direct(c, 'sqlsrv.abcdefghijkl.eu-west-1.rds.amazonaws.com', 'instance', [
        "'Server=tcp:sqlsrv.abcdefghijkl.eu-west-1.rds.amazonaws.com,1433;Database=app'",
        '`Server=tcp:${process.env.DB_PROXY_ENDPOINT},1433;Database=app`',
      ]),
    ],
  ),
  // China, both label orders; mixed case with a trailing dot.
  bad(
    `import { Pool } from 'pg';
export const a = new Pool({ host: 'test-postgres.cluster-123456789012.rds.cn-northwest-1.amazonaws.com.cn' });
export const b = new Pool({ host: 'test-postgres.cluster-ro-123456789012.cn-northwest-1.rds.amazonaws.com.cn' });
export const c = new Pool({ host: 'MyDb.Cluster-ABC123.US-EAST-1.RDS.AMAZONAWS.COM.' });`,
    (c) => [
      direct(c, 'test-postgres.cluster-123456789012.rds.cn-northwest-1.amazonaws.com.cn', 'writer', "'test-postgres.cluster-123456789012.rds.cn-northwest-1.amazonaws.com.cn'"),
      direct(c, 'test-postgres.cluster-ro-123456789012.cn-northwest-1.rds.amazonaws.com.cn', 'reader', "'test-postgres.cluster-ro-123456789012.cn-northwest-1.rds.amazonaws.com.cn'"),
      direct(c, 'MyDb.Cluster-ABC123.US-EAST-1.RDS.AMAZONAWS.COM.', 'writer', "'MyDb.Cluster-ABC123.US-EAST-1.RDS.AMAZONAWS.COM.'"),
    ],
  ),
  // Env fallbacks and constants, in a module that only configures the driver.
  bad(
    `import { Pool } from 'pg';
export const pool = new Pool({ host: process.env.DB_HOST || '${CLUSTER}' });`,
    (c) => [direct(c, CLUSTER, 'writer', `'${CLUSTER}'`)],
  ),
  bad(
    `import mysql from 'mysql2';
const WRITER = '${CLUSTER}';
const base = { host: WRITER };
export const pool = mysql.createPool({ ...base, connectionLimit: 1 });`,
    (c) => [direct(c, CLUSTER, 'writer', `'${CLUSTER}'`)],
  ),
  // A template whose static part carries the suffix.
  bad(
    `import { Pool } from 'pg';
export const pool = new Pool({ host: \`\${process.env.CLUSTER_ID}.cluster-c9bfei4hjlrd.us-east-1.rds.amazonaws.com\` });`,
    (c) => [
      {
        messageId: 'directEndpoint',
        ...at(c, '`${process.env.CLUSTER_ID}.cluster-c9bfei4hjlrd.us-east-1.rds.amazonaws.com`'),
        data: { host: '${…}.cluster-c9bfei4hjlrd.us-east-1.rds.amazonaws.com', kind: KIND.writer },
        // The interpolated part is part of the hostname: the whole of it gives way to the proxy endpoint.
        suggestions: [
          {
            messageId: 'suggestProxyEndpoint',
            data: { envVar: 'DB_PROXY_ENDPOINT' },
            output: c.replace('${process.env.CLUSTER_ID}.cluster-c9bfei4hjlrd.us-east-1.rds.amazonaws.com', '${process.env.DB_PROXY_ENDPOINT}'),
          },
        ],
      },
    ],
  ),
  // --- Lambda code: any string of the file ------------------------------------------------------------------------
  bad(
    `import { Signer } from '@aws-sdk/rds-signer';
const signer = new Signer({ hostname: '${CLUSTER}', port: 5432, username: 'app' });
export const handler = async () => signer.getAuthToken();`,
    (c) => [direct(c, CLUSTER, 'writer', `'${CLUSTER}'`)],
  ),
  bad(
    `const HOST = '${READER}';
export const handler = async (event) => {
  console.log(\`connecting to ${READER} for \${event.id}\`);
  return connectTo(HOST);
};`,
    (c) => [
      direct(c, READER, 'reader', `'${READER}'`),
      direct(c, READER, 'reader', [`connecting to ${READER} for`, 'connecting to ${process.env.DB_PROXY_ENDPOINT} for'], 1),
    ],
  ),
  bad(
    `const mysql = require('mysql2/promise');
const pool = mysql.createPool({ host: '${CLUSTER}', connectionLimit: 1 });
exports.handler = async () => pool.query('select 1');`,
    (c) => [direct(c, CLUSTER, 'writer', [`'${CLUSTER}'`, 'process.env.DB_PROXY_ENDPOINT'])],
    cjs,
  ),
  bad(
    `export const handler = async () => ({ writer: 'mydb.cluster-' + 'c9bfei4hjlrd.us-east-1.rds.amazonaws.com' });`,
    (c) => [
      {
        messageId: 'directEndpoint',
        ...at(c, "'mydb.cluster-' + 'c9bfei4hjlrd.us-east-1.rds.amazonaws.com'"),
        data: { host: CLUSTER, kind: KIND.writer },
        suggestions: [],
      },
    ],
  ),
  // TypeScript syntax.
  bad(
    `import type { APIGatewayProxyHandlerV2 } from 'aws-lambda';
import { Client, type ClientConfig } from 'pg';
const config = { host: '${CLUSTER}' as string } satisfies ClientConfig;
export const handler: APIGatewayProxyHandlerV2 = async () => {
  const client = new Client(config!);
  return { statusCode: 200 };
};`,
    (c) => [direct(c, CLUSTER, 'writer', `'${CLUSTER}'`)],
  ),
  // The option does not allow other hosts.
  bad(
    `import { Pool } from 'pg';
export const pool = new Pool({ host: '${CLUSTER}' });`,
    (c) => [direct(c, CLUSTER, 'writer', `'${CLUSTER}'`)],
    { options: [{ allowedHosts: ['*.cluster-ro-c9bfei4hjlrd.us-east-1.rds.amazonaws.com'] }] },
  ),
  // --- Outside driver calls ---------------------------------------------------------------------------------------
  // A configuration module Lambda code reads, with no driver import: host keys that name a database host.
  bad(
    `module.exports = { RDS_HOSTNAME: 'orders.c9bfei4hjlrd.us-east-1.rds.amazonaws.com', RDS_PORT: 3306 };`,
    (c) => [direct(c, 'orders.c9bfei4hjlrd.us-east-1.rds.amazonaws.com', 'instance', "'orders.c9bfei4hjlrd.us-east-1.rds.amazonaws.com'")],
  ),
  // A knex-style configuration handed to a library other than knex.
  bad(
    `const knexConfig = { client: 'mysql', connection: { host: 'serverlessdb.c9bfei4hjlrd.us-west-2.rds.amazonaws.com', user: 'app' } };
module.exports = knexConfig;`,
    (c) => [direct(c, 'serverlessdb.c9bfei4hjlrd.us-west-2.rds.amazonaws.com', 'instance', "'serverlessdb.c9bfei4hjlrd.us-west-2.rds.amazonaws.com'")],
  ),
  // A hostname whose Region is interpolated, in Lambda code.
  bad(
    `const region = process.env.AWS_REGION;
export const handler = async () => {
  const host = \`ledger-replica.abc123.\${region}.rds.amazonaws.com\`;
  return host;
};`,
    // The hostname spans the interpolation: the report covers the whole template.
    (c) => [
      {
        ...direct(c, 'ledger-replica.abc123.${region}.rds.amazonaws.com', 'instance', [
          '`ledger-replica.abc123.${region}.rds.amazonaws.com`',
          '`${process.env.DB_PROXY_ENDPOINT}`',
        ]),
        ...at(c, '`ledger-replica.abc123.${region}.rds.amazonaws.com`'),
      },
    ],
  ),
];

ruleTester.run('no-direct-rds-endpoint', rule, { valid: [...valid, ...stack.valid], invalid: [...invalid, ...stack.invalid] });

describe('no-direct-rds-endpoint performance', () => {
  // Linear time on such input is checked by `npm run bench` (bench/adversarial.mjs): a ratio, not a time limit.
  it('lints a 1 MB string literal to the end, with the findings it holds', () => {
    const linter = new Linter();
    const payloads = [
      '.rds.amazonaws.com'.repeat(55_000),
      `${'a-'.repeat(500_000)}.us-east-1.rds.amazonaws.com`,
      `${CLUSTER} `.repeat(18_000),
      'x'.repeat(1_000_000),
    ];
    const flagged = payloads.map(() => false);
    for (const [index, payload] of payloads.entries()) {
      const messages = lintBigLiteral({ linter, plugin, parser: tsParser, rule: 'no-direct-rds-endpoint', poolConfig: '{ host: big, connectionString: big }', payload });
      expect(messages.filter((m) => m.fatal || !m.ruleId)).toEqual([]);
      flagged[index] = messages.length > 0;
    }
    // Only the cluster endpoints are valid hostnames; a suffix alone or an over-long label is none.
    expect(flagged).toEqual([false, false, true, false]);
  });
});
