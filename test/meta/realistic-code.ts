/**
 * Lambda code as it is written in real projects, one or more files per rule, so that the messages are checked with
 * the data users see: real handler names, hostnames of real length, nested setting paths, long driver names. Between
 * them, and with the docs' `❌` examples and the projects in examples/, these cases use every message id of every
 * rule (test/meta/messages.test.ts checks that).
 *
 * The passwords are made up.
 */
import type { rules } from '../../src/rules/index.js';

export interface RealisticCase {
  readonly name: string;
  readonly code: string;
  /** `handler.ts` unless given; `.cjs` files are CommonJS. */
  readonly filename?: string;
  readonly options?: readonly unknown[];
  readonly settings?: Record<string, unknown>;
  /** Other files of the project, by path from its root (where `filename` is too): modules the code imports. */
  readonly project?: Readonly<Record<string, string>>;
}

const SIGNER = `import { Signer } from '@aws-sdk/rds-signer';

const signer = new Signer({
  hostname: process.env.DB_PROXY_ENDPOINT!,
  port: 5432,
  username: 'orders_app',
  region: process.env.AWS_REGION,
});`;

export const REALISTIC: Record<keyof typeof rules, readonly RealisticCase[]> = {
  'max-pool-size': [
    {
      name: 'a pg pool sized for a long-running server',
      code: `import { Pool } from 'pg';
import type { APIGatewayProxyHandlerV2 } from 'aws-lambda';

export const pool = new Pool({
  host: process.env.DB_PROXY_ENDPOINT,
  database: 'orders',
  max: 20,
  idleTimeoutMillis: 30_000,
});

export const listOpenOrdersHandler: APIGatewayProxyHandlerV2 = async () => {
  const { rows } = await pool.query('SELECT id, total FROM orders.open_orders');
  return { statusCode: 200, body: JSON.stringify(rows) };
};`,
    },
    {
      name: "knex with its default-like pool, in CommonJS",
      filename: 'handler.cjs',
      code: `const knex = require('knex');

const db = knex({
  client: 'pg',
  connection: process.env.DATABASE_URL,
  pool: { min: 2, max: 10 },
});

exports.handler = async (event) => db('invoices').where({ id: event.invoiceId }).first();`,
    },
    {
      name: 'mysql2 pool size in the connection string',
      code: `import mysql from 'mysql2/promise';

const pool = mysql.createPool('mysql://billing@billing-proxy.proxy-c9akciq32lce.us-east-1.rds.amazonaws.com/billing?connectionLimit=25');

export const recordPaymentHandler = async (event: { paymentId: string }) => {
  const [rows] = await pool.query('SELECT status FROM payments WHERE id = ?', [event.paymentId]);
  return rows;
};`,
    },
    {
      name: 'a Prisma client left at its default pool size (checkDefaults)',
      options: [{ checkDefaults: true }],
      code: `import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient({
  datasourceUrl: 'postgresql://app@orders-proxy.proxy-c9akciq32lce.eu-central-1.rds.amazonaws.com:5432/orders?schema=public',
});

export const getCustomerProfileHandler = async (event: { pathParameters: { id: string } }) =>
  prisma.customer.findUnique({ where: { id: event.pathParameters.id } });`,
    },
    {
      name: 'a mariadb pool left at its default size (checkDefaults)',
      options: [{ checkDefaults: true }],
      code: `import * as mariadb from 'mariadb';

const pool = mariadb.createPool({ host: process.env.DB_PROXY_ENDPOINT, user: 'inventory', database: 'inventory' });

export const reserveStockHandler = async (event: { sku: string }) =>
  pool.query('UPDATE stock SET reserved = reserved + 1 WHERE sku = ?', [event.sku]);`,
    },
  ],

  'no-connection-in-handler': [
    {
      name: 'a handler calling a database helper of a shared folder that opens a pool each call',
      filename: 'src/functions/orders/list-open-orders.ts',
      project: {
        'src/shared/database/connection.ts': `import { Pool } from 'pg';

export function getOrdersDatabasePool() {
  return new Pool({ host: process.env.DB_PROXY_ENDPOINT, database: 'orders', max: 1 });
}`,
      },
      code: `import type { APIGatewayProxyHandlerV2 } from 'aws-lambda';
import { getOrdersDatabasePool } from '../../shared/database/connection';

export const listOpenOrdersHandler: APIGatewayProxyHandlerV2 = async () => {
  const pool = getOrdersDatabasePool();
  const { rows } = await pool.query('SELECT id, total FROM orders.open_orders');
  return { statusCode: 200, body: JSON.stringify(rows) };
};`,
    },
    {
      name: 'a middleware-style wrapper from a lib folder that connects per invocation',
      filename: 'src/handlers/create-invoice.ts',
      project: {
        'src/lib/with-database-connection.ts': `import mysql from 'mysql2/promise';

type Inner<E> = (event: E, connection: mysql.Connection) => Promise<unknown>;

export const withDatabaseConnection = <E>(inner: Inner<E>) => async (event: E) => {
  const connection = await mysql.createConnection({ host: process.env.DB_PROXY_ENDPOINT, user: 'billing_app' });
  try {
    return await inner(event, connection);
  } finally {
    await connection.end();
  }
};`,
      },
      code: `import { withDatabaseConnection } from '../lib/with-database-connection';

export const createInvoiceHandler = withDatabaseConnection(async (event: { customerId: string }, connection) => {
  const [result] = await connection.execute('INSERT INTO invoices (customer_id) VALUES (?)', [event.customerId]);
  return result;
});`,
    },
    {
      name: 'Apollo resolvers in their own module, connecting per request',
      filename: 'src/graphql/handler.cjs',
      project: {
        'src/graphql/resolvers/customer-resolvers.js': `const { Client } = require('pg');

module.exports = {
  Query: {
    async customer(_parent, { id }) {
      const client = new Client({ host: process.env.DB_PROXY_ENDPOINT, database: 'crm' });
      await client.connect();
      try {
        return (await client.query('SELECT * FROM customers WHERE id = $1', [id])).rows[0];
      } finally {
        await client.end();
      }
    },
  },
};`,
      },
      code: `const { ApolloServer, gql } = require('apollo-server-lambda');
const customerResolvers = require('./resolvers/customer-resolvers');

const typeDefs = gql\`
  type Customer { id: ID! name: String }
  type Query { customer(id: ID!): Customer }
\`;

const server = new ApolloServer({ typeDefs, resolvers: customerResolvers });

exports.graphqlHandler = server.createHandler();`,
    },
    {
      name: "mssql's global pool closed at the end of each invocation",
      code: `import sql from 'mssql';

export const monthlyReportHandler = async (event: { month: string }) => {
  const pool = await sql.connect({ server: process.env.DB_PROXY_ENDPOINT!, database: 'reporting', user: 'report_reader' });
  try {
    const result = await pool.request().input('month', sql.VarChar, event.month).query('SELECT * FROM monthly_totals WHERE month = @month');
    return result.recordset;
  } finally {
    await pool.close();
  }
};`,
    },
    {
      name: 'a pg pool per invocation in a typed API handler',
      code: `import { Pool } from 'pg';
import type { APIGatewayProxyHandlerV2 } from 'aws-lambda';

export const createOrderHandler: APIGatewayProxyHandlerV2 = async (event) => {
  const pool = new Pool({ host: process.env.DB_PROXY_ENDPOINT, max: 1 });
  try {
    const order = JSON.parse(event.body ?? '{}');
    const { rows } = await pool.query('INSERT INTO orders.orders (customer_id) VALUES ($1) RETURNING id', [order.customerId]);
    return { statusCode: 201, body: JSON.stringify(rows[0]) };
  } finally {
    await pool.end();
  }
};`,
    },
    {
      name: 'serverless-postgres created on every invocation',
      code: `import ServerlessClient from 'serverless-postgres';

export const processPaymentHandler = async (event: { paymentId: string }) => {
  const client = new ServerlessClient({ host: process.env.DB_PROXY_ENDPOINT, database: 'payments' });
  await client.connect();
  const result = await client.query('SELECT * FROM payments WHERE id = $1', [event.paymentId]);
  await client.clean();
  return result.rows[0];
};`,
    },
    {
      name: 'a Prisma client made by a helper the handler calls',
      code: `import { PrismaClient } from '@prisma/client';

function database() {
  return new PrismaClient();
}

export const updateSubscriptionHandler = async (event: { customerId: string; plan: string }) => {
  const prisma = database();
  await prisma.subscription.update({ where: { customerId: event.customerId }, data: { plan: event.plan } });
  await prisma.$disconnect();
};`,
    },
    {
      name: 'a module-scope pg client connected in the handler',
      code: `import pg from 'pg';

const client = new pg.Client({ host: process.env.DB_PROXY_ENDPOINT, database: 'orders' });

export const getOrderStatusHandler = async (event: { orderId: string }) => {
  await client.connect();
  const { rows } = await client.query('SELECT status FROM orders.orders WHERE id = $1', [event.orderId]);
  return rows[0]?.status;
};`,
    },
    {
      name: 'a TypeORM data source initialised in the handler',
      code: `import { DataSource } from 'typeorm';

const dataSource = new DataSource({ type: 'postgres', host: process.env.DB_PROXY_ENDPOINT, entities: [] });

export const handler = async () => {
  await dataSource.initialize();
  return dataSource.query('SELECT 1');
};`,
    },
  ],

  'no-direct-rds-endpoint': [
    {
      name: 'a CDK stack that gives the function the cluster endpoint although a proxy fronts the cluster',
      filename: 'reporting-stack.ts',
      code: `import { Stack, StackProps, aws_ec2 as ec2, aws_rds as rds, aws_lambda_nodejs as nodejs } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export class ReportingStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'ReportingVpc');
    const reportingCluster = new rds.DatabaseCluster(this, 'ReportingCluster', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
      writer: rds.ClusterInstance.serverlessV2('writer'),
      vpc,
    });
    const reportingProxy = new rds.DatabaseProxy(this, 'ReportingProxy', {
      proxyTarget: rds.ProxyTarget.fromCluster(reportingCluster),
      secrets: [reportingCluster.secret!],
      vpc,
    });
    new nodejs.NodejsFunction(this, 'MonthlyReport', {
      entry: 'src/monthly-report.ts',
      environment: { REPORTING_DB_HOST: reportingCluster.clusterEndpoint.hostname },
    });
  }
}
`,
    },
    {
      name: 'an Aurora cluster endpoint copied from the console',
      code: `import { Pool } from 'pg';

const pool = new Pool({
  host: 'orders-service-prod.cluster-c9akciq32lce.eu-central-1.rds.amazonaws.com',
  database: 'orders',
  max: 1,
});

export const handler = async () => (await pool.query('SELECT 1')).rows;`,
    },
    {
      name: 'a reader endpoint inside a connection string',
      code: `import mysql from 'mysql2/promise';

const pool = mysql.createPool(\`mysql://billing:\${process.env.DB_PASSWORD}@billing-prod.cluster-ro-c9akciq32lce.ap-southeast-2.rds.amazonaws.com:3306/billing\`);

export const handler = async () => pool.query('SELECT 1');`,
    },
    {
      name: 'an instance endpoint as an environment fallback',
      code: `import postgres from 'postgres';

const sql = postgres({ host: process.env.DB_HOST ?? 'reports-db-1.c9akciq32lce.us-west-2.rds.amazonaws.com', max: 1 });

export const handler = async () => sql\`SELECT count(*) FROM reports.runs\`;`,
    },
  ],

  'no-hardcoded-credentials': [
    {
      name: 'a mysql2 connection with its password',
      code: `import mysql from 'mysql2/promise';

export const handler = async () => {
  const connection = await mysql.createConnection({
    host: process.env.DB_PROXY_ENDPOINT,
    user: 'billing',
    password: 'Billing#2024-prod',
    database: 'billing',
  });
  return connection.query('SELECT 1');
};`,
    },
    {
      name: 'a knex connection string with a password',
      code: `import knex from 'knex';

const db = knex({ client: 'pg', connection: 'postgres://reporting:Rep0rting-pw@reports-proxy.proxy-c9akciq32lce.us-west-2.rds.amazonaws.com/reports' });

export const handler = async () => db('runs').count();`,
    },
    {
      name: 'a tedious connection with its nested password',
      code: `import { Connection } from 'tedious';

export const connection = new Connection({
  server: process.env.DB_HOST,
  authentication: { type: 'default', options: { userName: 'ledger', password: 'L3dger!pw' } },
  options: { database: 'ledger', encrypt: true },
});`,
    },
    {
      name: 'a Sequelize password argument',
      code: `import { Sequelize } from 'sequelize';

export const sequelize = new Sequelize('catalog', 'catalog_app', 'Cat4log-pw', { host: process.env.DB_HOST, dialect: 'mysql' });`,
    },
  ],

  'no-proxy-incompatible-options': [
    {
      name: 'pg timeouts and options',
      code: `import { Pool } from 'pg';

const pool = new Pool({
  host: process.env.DB_PROXY_ENDPOINT,
  max: 1,
  statement_timeout: 5_000,
  idle_in_transaction_session_timeout: 60_000,
  options: '-c search_path=orders',
});

export const handler = async () => (await pool.query('SELECT 1')).rows;`,
    },
    {
      name: 'a Sequelize dialect option',
      code: `import { Sequelize } from 'sequelize';

const sequelize = new Sequelize(process.env.DATABASE_URL!, {
  dialect: 'postgres',
  dialectOptions: { idle_in_transaction_session_timeout: 30_000 },
});

export const handler = async () => sequelize.query('SELECT 1');`,
    },
    {
      name: 'slonik with its defaults, and one timeout set',
      code: `import { createPool } from 'slonik';

const reports = await createPool(process.env.REPORTS_DATABASE_URL!);
const audit = await createPool(process.env.AUDIT_DATABASE_URL!, { statementTimeout: 30_000, idleInTransactionSessionTimeout: 'DISABLE_TIMEOUT' });

export const handler = async () => ({ reports: Boolean(reports), audit: Boolean(audit) });`,
    },
    {
      name: 'postgres.js command-line options',
      code: `import postgres from 'postgres';

const sql = postgres(process.env.DATABASE_URL!, { max: 1, connection: { options: '-c search_path=reports' } });

export const handler = async () => sql\`SELECT 1\`;`,
    },
    {
      name: 'mysql2 compression',
      code: `import mysql from 'mysql2/promise';

const pool = mysql.createPool({ host: process.env.DB_PROXY_ENDPOINT, compress: true, connectionLimit: 1 });

export const handler = async () => pool.query('SELECT 1');`,
    },
  ],

  'no-session-pinning': [
    {
      name: 'PostgreSQL session state through pg',
      options: [{ checkSetLocal: true }],
      code: `import { Pool } from 'pg';

const pool = new Pool({ host: process.env.DB_PROXY_ENDPOINT, max: 1 });

export const handler = async (event: { tenant: string; sku: string }) => {
  const client = await pool.connect();
  try {
    await client.query('SET search_path TO tenant_' + event.tenant);
    await client.query("SELECT set_config('app.current_tenant', $1, false)", [event.tenant]);
    await client.query('BEGIN; SET LOCAL statement_timeout = 5000; COMMIT');
    await client.query('DISCARD ALL');
    await client.query('CREATE TEMP TABLE import_rows (sku text, quantity int)');
    await client.query('DECLARE order_cursor CURSOR WITH HOLD FOR SELECT * FROM orders.orders');
    await client.query('LISTEN order_events');
    await client.query("LOAD 'auto_explain'");
    await client.query("SELECT nextval('orders.invoice_number_seq')");
    await client.query('SELECT pg_try_advisory_lock_shared(42)');
    await client.query("PREPARE find_sku (text) AS SELECT * FROM stock WHERE sku = $1");
    return (await client.query('SELECT * FROM stock WHERE sku = $1', [event.sku])).rows;
  } finally {
    client.release();
  }
};`,
    },
    {
      name: 'MySQL session state through mysql2',
      code: `import mysql from 'mysql2/promise';

const pool = mysql.createPool({ host: process.env.DB_PROXY_ENDPOINT, connectionLimit: 1 });

export const handler = async (event: { tenant: string; invoiceId: number }) => {
  const connection = await pool.getConnection();
  try {
    await connection.query('SET SESSION max_execution_time = 2000');
    await connection.query('SET session_track_system_variables = "*"');
    await connection.query('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE');
    await connection.query('SET @current_tenant = ?', [event.tenant]);
    await connection.query('LOCK TABLES invoices WRITE');
    await connection.query("SELECT GET_LOCK('invoice-numbering', 5)");
    await connection.query('/*!40101 SET NAMES utf8mb4 */');
    await connection.query('SELECT SQL_CALC_FOUND_ROWS * FROM invoices LIMIT 10; SELECT FOUND_ROWS()');
    const [rows] = await connection.execute('SELECT * FROM invoices WHERE id = ?', [event.invoiceId]);
    return rows;
  } finally {
    connection.release();
  }
};`,
    },
    {
      name: 'a session SET through knex when the engine is unknown',
      code: `import knex from 'knex';
import { config } from './config.js';

const db = knex(config);

export const handler = async () => db.raw('SET search_path TO reporting');`,
    },
    {
      name: 'a reporting query over the size limit',
      code: `import { Pool } from 'pg';

const pool = new Pool({ max: 1 });

export const handler = async () =>
  pool.query(\`SELECT ${Array.from({ length: 700 }, (_, i) => `sum(amount) FILTER (WHERE category_id = ${i}) AS c${i}`).join(', ')} FROM orders.line_items\`);`,
    },
    {
      name: 'ORM and driver settings that pin',
      options: [{ checkNamedPreparedStatements: true }],
      code: `import { Sequelize } from 'sequelize';
import knex from 'knex';
import { createPool } from 'slonik';
import mariadb from 'mariadb';
import postgres from 'postgres';
import pg from 'pg';

const catalog = new Sequelize(process.env.CATALOG_URL!, { dialect: 'mysql' });
const accounts = new Sequelize(process.env.ACCOUNTS_URL!, { dialect: 'postgres' });
const reporting = knex({ client: 'pg', connection: process.env.REPORTING_URL, searchPath: ['reporting', 'public'] });
const audit = await createPool(process.env.AUDIT_URL!);
const inventory = mariadb.createPool({ host: process.env.DB_HOST, sessionVariables: { innodb_lock_wait_timeout: 10 } });
const sql = postgres(process.env.EVENTS_URL!);
const orders = new pg.Pool({ max: 1 });

export const handler = async (event: { sku: string }) => {
  await catalog.query('SELECT * FROM products WHERE sku = $sku', { bind: { sku: event.sku } });
  await orders.query({ name: 'find-order', text: 'SELECT * FROM orders.orders WHERE id = $1', values: [1] });
  return { accounts, reporting, audit, inventory, sql };
};`,
    },
  ],

  'no-static-iam-token': [
    {
      name: 'a pg pool given a token at start-up',
      code: `${SIGNER}
import { Pool } from 'pg';

const pool = new Pool({
  host: process.env.DB_PROXY_ENDPOINT,
  user: 'orders_app',
  password: await signer.getAuthToken(),
  ssl: { rejectUnauthorized: true },
  max: 1,
});

export const handler = async () => (await pool.query('SELECT 1')).rows;`,
    },
    {
      name: 'knex given a token at start-up',
      code: `${SIGNER}
import knex from 'knex';

const token = await signer.getAuthToken();
const db = knex({
  client: 'pg',
  connection: { host: process.env.DB_PROXY_ENDPOINT, user: 'orders_app', password: token, ssl: { rejectUnauthorized: true } },
  pool: { min: 0, max: 1 },
});

export const handler = async () => db('orders').count();`,
    },
    {
      name: 'a start-up token for a connection per invocation',
      code: `${SIGNER}
import pg from 'pg';

const token = await signer.getAuthToken();

export const handler = async () => {
  const client = new pg.Client({ host: process.env.DB_PROXY_ENDPOINT, user: 'orders_app', password: token, ssl: true });
  await client.connect();
  try {
    return (await client.query('SELECT 1')).rows;
  } finally {
    await client.end();
  }
};`,
    },
    {
      name: 'a @middy/rds-signer token cached forever',
      code: `import middy from '@middy/core';
import rdsSigner from '@middy/rds-signer';
import pg from 'pg';

const baseHandler = async (event: unknown, context: { rdsToken: string }) => {
  const client = new pg.Client({ host: process.env.DB_PROXY_ENDPOINT, password: context.rdsToken, ssl: true });
  await client.connect();
  await client.end();
};

export const handler = middy(baseHandler).use(
  rdsSigner({ fetchData: { rdsToken: { hostname: process.env.DB_PROXY_ENDPOINT!, port: 5432, username: 'orders_app' } }, setToContext: true }),
);`,
    },
  ],

  'require-client-release': [
    {
      name: 'a pg client never released',
      code: `import { Pool } from 'pg';

const pool = new Pool({ max: 1 });

export const transferFundsHandler = async (event: { from: string; to: string; amount: number }) => {
  const client = await pool.connect();
  await client.query('BEGIN');
  await client.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2', [event.amount, event.from]);
  await client.query('UPDATE accounts SET balance = balance + $1 WHERE id = $2', [event.amount, event.to]);
  await client.query('COMMIT');
};`,
    },
    {
      name: 'a mysql2 connection released outside finally',
      code: `import mysql from 'mysql2/promise';

const pool = mysql.createPool({ connectionLimit: 1 });

export const handler = async (event: { id: number }) => {
  const connection = await pool.getConnection();
  const [rows] = await connection.query('SELECT * FROM invoices WHERE id = ?', [event.id]);
  connection.release();
  return rows;
};`,
    },
  ],

  'require-connect-timeout': [
    {
      name: 'a Prisma pg adapter with no connect timeout',
      code: `import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';
import type { PostConfirmationTriggerHandler } from 'aws-lambda';

const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL, max: 1 });
const prisma = new PrismaClient({ adapter });

export const postConfirmationHandler: PostConfirmationTriggerHandler = async (event) => {
  await prisma.user.create({ data: { id: event.request.userAttributes.sub, email: event.request.userAttributes.email } });
  return event;
};`,
    },
    {
      name: "a pg pool told to wait forever, in CommonJS",
      filename: 'handler.cjs',
      code: `const { Pool } = require('pg');

const pool = new Pool({
  host: process.env.DB_PROXY_ENDPOINT,
  database: 'subscriptions',
  max: 1,
  connectionTimeoutMillis: 0,
});

exports.renewSubscriptionsHandler = async () => (await pool.query('SELECT renew_due_subscriptions()')).rows;`,
    },
    {
      name: 'a Sequelize pool left at its 60 s acquire default',
      code: `import { Sequelize } from 'sequelize';

const sequelize = new Sequelize(process.env.DATABASE_URL!, {
  dialect: 'postgres',
  pool: { max: 1, min: 0, idle: 10_000 },
  logging: false,
});

export const archiveInactiveCustomersHandler = async () => sequelize.query('CALL archive_inactive_customers()');`,
    },
    {
      name: 'a tedious connection with a long connect timeout in a function of 6 seconds',
      filename: 'src/functions/customer-invoices/handler.cjs',
      project: {
        'serverless.yml': `service: billing
provider:
  name: aws
  runtime: nodejs20.x
functions:
  customerInvoices:
    handler: src/functions/customer-invoices/handler.listCustomerInvoicesHandler
`,
      },
      code: `const { Connection, Request } = require('tedious');

exports.listCustomerInvoicesHandler = (event, context, callback) => {
  const connection = new Connection({
    server: process.env.DB_PROXY_ENDPOINT,
    options: { database: 'billing', encrypt: true, connectTimeout: 30_000 },
  });
  connection.on('connect', () => connection.execSql(new Request('SELECT * FROM invoices', callback)));
  connection.connect();
};`,
    },
  ],
  'require-tls': [
    {
      name: 'TLS turned off for local development',
      code: `import { Pool } from 'pg';

const pool = new Pool({ host: process.env.DB_PROXY_ENDPOINT, ssl: false, max: 1 });

export const handler = async () => (await pool.query('SELECT 1')).rows;`,
    },
    {
      name: 'certificates not verified',
      code: `import mysql from 'mysql2/promise';

const pool = mysql.createPool({ host: process.env.DB_PROXY_ENDPOINT, ssl: { rejectUnauthorized: false }, connectionLimit: 1 });

export const handler = async () => pool.query('SELECT 1');`,
    },
    {
      name: 'sslmode=prefer in the URL',
      code: `import { Pool } from 'pg';

const pool = new Pool({ connectionString: 'postgres://orders_app@orders-proxy.proxy-c9akciq32lce.eu-central-1.rds.amazonaws.com/orders?sslmode=prefer' });

export const handler = async () => (await pool.query('SELECT 1')).rows;`,
    },
    {
      name: 'an IAM token with no TLS, through Sequelize',
      code: `${SIGNER}
import { Sequelize } from 'sequelize';

const sequelize = new Sequelize('orders', 'orders_app', await signer.getAuthToken(), {
  host: process.env.DB_PROXY_ENDPOINT,
  dialect: 'postgres',
});

export const handler = async () => sequelize.query('SELECT 1');`,
    },
    {
      name: 'the RDS CA bundle for a proxy',
      code: `import { readFileSync } from 'node:fs';
import { Pool } from 'pg';

const pool = new Pool({
  host: 'orders-proxy.proxy-c9akciq32lce.eu-central-1.rds.amazonaws.com',
  ssl: { ca: readFileSync('/opt/certs/eu-central-1-bundle.pem', 'utf8') },
  max: 1,
});

export const handler = async () => (await pool.query('SELECT 1')).rows;`,
    },
    {
      name: 'SQL Server without certificate checks',
      code: `import sql from 'mssql';

const pool = new sql.ConnectionPool({
  server: process.env.DB_HOST!,
  database: 'ledger',
  options: { encrypt: true, trustServerCertificate: true },
});

export const handler = async () => (await pool.connect()).request().query('SELECT 1');`,
    },
  ],
};
