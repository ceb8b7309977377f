import { Linter } from 'eslint';
import * as espree from 'espree';
import tsParser from '@typescript-eslint/parser';
import { describe, expect, it } from 'vitest';
import { isDatabasePasswordKey } from '../../../src/core/config/keys.js';
import { getStackAnalysis, type StackAnalysis } from '../../../src/core/iac/index.js';

/** Lints `code` with a probe rule and hands the file's stack analysis to `inspect` (while the AST is alive). */
function withStack<T>(code: string, inspect: (stack: StackAnalysis | null) => T, options: { commonjs?: boolean } = {}): T {
  let result: T | undefined;
  const linter = new Linter();
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.ts', '**/*.cjs'],
        languageOptions: options.commonjs ? { parser: espree, sourceType: 'commonjs', ecmaVersion: 'latest' } : { parser: tsParser },
        plugins: {
          probe: {
            rules: {
              stack: {
                create(context) {
                  return { 'Program:exit': () => void (result = inspect(getStackAnalysis(context as never))) };
                },
              },
            },
          },
        },
        rules: { 'probe/stack': 'error' },
      },
    ],
    options.commonjs ? 'stack.cjs' : 'stack.ts',
  );
  const fatal = messages.find((m) => m.fatal);
  if (fatal) throw new Error(`parse error: ${fatal.message}`);
  return result as T;
}

const CDK_STACK = `import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as rds from 'aws-cdk-lib/aws-rds';

export class OrdersStack extends cdk.Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const vpc = new ec2.Vpc(this, 'Vpc');
    const engine = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 });
    const db = new rds.DatabaseInstance(this, 'OrdersDb', { engine, vpc, iamAuthentication: true });
    const proxy = new rds.DatabaseProxy(this, 'OrdersProxy', {
      proxyTarget: rds.ProxyTarget.fromInstance(db),
      secrets: [db.secret!],
      vpc,
      iamAuth: true,
      initQuery: "SET TIME ZONE 'UTC'",
    });
    new NodejsFunction(this, 'GetOrder', {
      entry: 'src/get-order.ts',
      handler: 'main',
      environment: { DB_HOST: proxy.endpoint, DB_NAME: 'orders' },
    });
    new lambda.Function(this, 'Migrate', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'migrate.handler',
      code: lambda.Code.fromAsset('lambda/migrate'),
      environment: { DB_HOST: db.instanceEndpoint.hostname },
    });
  }
}`;

describe('stack analysis: CDK v2', () => {
  it('finds the functions, their environment and how they are deployed', () => {
    const functions = withStack(CDK_STACK, (stack) =>
      stack!.functions.map((fn) => ({
        construct: fn.resource?.spec.label,
        id: fn.resource?.id,
        handler: fn.handler,
        entry: fn.entry,
        code: fn.code,
        keys: fn.environment.map((v) => v.key),
        complete: fn.environmentComplete,
      })),
    );
    expect(functions).toEqual([
      { construct: 'NodejsFunction', id: 'GetOrder', handler: 'main', entry: 'src/get-order.ts', code: undefined, keys: ['DB_HOST', 'DB_NAME'], complete: true },
      { construct: 'lambda.Function', id: 'Migrate', handler: 'migrate.handler', entry: undefined, code: 'lambda/migrate', keys: ['DB_HOST'], complete: true },
    ]);
  });

  it('links the proxy to its database and says what the stack knows of each connection', () => {
    const connections = withStack(CDK_STACK, (stack) =>
      stack!.connections().map((c) => ({
        fn: c.function.resource?.id,
        key: c.variable.key,
        endpoint: `${c.endpoint.kind}${c.endpoint.direct ? ' (direct)' : ''}`,
        proxy: c.proxy?.resource.id,
        database: c.database?.resource.id,
        engine: c.engine,
        iamAuth: c.iamAuth,
        requireTls: c.requireTls,
        initQuery: c.initQuery,
      })),
    );
    expect(connections).toEqual([
      {
        fn: 'GetOrder',
        key: 'DB_HOST',
        endpoint: 'proxy',
        proxy: 'OrdersProxy',
        database: 'OrdersDb',
        engine: 'postgresql',
        iamAuth: true,
        requireTls: true,
        initQuery: "SET TIME ZONE 'UTC'",
      },
      {
        fn: 'Migrate',
        key: 'DB_HOST',
        endpoint: 'instance (direct)',
        proxy: undefined,
        database: 'OrdersDb',
        engine: 'postgresql',
        iamAuth: true,
        requireTls: undefined,
        initQuery: undefined,
      },
    ]);
  });

  it('reads the database: kind, engine (through a const), IAM authentication, its proxies', () => {
    const databases = withStack(CDK_STACK, (stack) =>
      stack!.databases.map((d) => ({ id: d.resource.id, kind: d.kind, engine: d.engine, iam: d.iamAuthentication, proxies: d.proxies.map((p) => p.resource.id) })),
    );
    expect(databases).toEqual([{ id: 'OrdersDb', kind: 'instance', engine: 'postgresql', iam: true, proxies: ['OrdersProxy'] }]);
  });

  it('is null for files that import no CDK or Pulumi module', () => {
    expect(withStack(`import { Pool } from 'pg';\nexport const pool = new Pool();`, (stack) => stack)).toBeNull();
    expect(withStack(`const instanceEndpoint = { hostname: 'x' };`, (stack) => stack)).toBeNull();
  });
});

describe('stack analysis: import styles', () => {
  const resources = (code: string, commonjs = false) =>
    withStack(code, (stack) => stack!.resources.map((r) => `${r.spec.label}:${r.origin}`), { commonjs });

  it('CDK v2 root namespaces, named, aliased and `const rds = cdk.aws_rds`', () => {
    expect(
      resources(`import * as cdk from 'aws-cdk-lib';
import { aws_lambda as fnlib } from 'aws-cdk-lib';
const rds = cdk.aws_rds;
export const make = (s: cdk.Stack) => {
  const db = new rds.DatabaseCluster(s, 'Db', { engine: rds.DatabaseClusterEngine.AURORA_MYSQL });
  const proxy = db.addProxy('Proxy', { secrets: [] });
  new cdk.aws_lambda_nodejs.NodejsFunction(s, 'A', { environment: { DB_HOST: proxy.endpoint } });
  new fnlib.Function(s, 'B', {});
};`),
    ).toEqual(['rds.DatabaseCluster:new', 'rds.DatabaseProxy:add-proxy', 'NodejsFunction:new', 'lambda.Function:new']);
  });

  it('CDK v1 `import x = require()` and CommonJS `require`', () => {
    expect(
      resources(`import rds = require('@aws-cdk/aws-rds');
import lambda = require('@aws-cdk/aws-lambda');
export function make(scope: any) { new rds.DatabaseInstance(scope, 'Db', {}); new lambda.Function(scope, 'Fn', {}); }`),
    ).toEqual(['rds.DatabaseInstance:new', 'lambda.Function:new']);
    expect(
      resources(
        `const rds = require('@aws-cdk/aws-rds');
const { NodejsFunction } = require('@aws-cdk/aws-lambda-nodejs');
exports.make = (scope) => { rds.DatabaseInstance.fromDatabaseInstanceAttributes(scope, 'Db', {}); new NodejsFunction(scope, 'Fn', {}); };`,
        true,
      ),
    ).toEqual(['rds.DatabaseInstance:lookup', 'NodejsFunction:new']);
  });

  it('Pulumi: namespace, default and submodule imports; `.get()` lookups', () => {
    expect(
      resources(`import aws from '@pulumi/aws';
import { Proxy } from '@pulumi/aws/rds';
const cluster = aws.rds.Cluster.get('orders', 'orders-cluster');
const proxy = new Proxy('p', { engineFamily: 'POSTGRESQL', roleArn: 'r', vpcSubnetIds: [], auths: [] });
new aws.lambda.CallbackFunction('fn', { callback: async () => cluster.endpoint });`),
    ).toEqual(['aws.rds.Cluster:lookup', 'aws.rds.Proxy:new', 'aws.lambda.CallbackFunction:new']);
  });
});

describe('stack analysis: Pulumi', () => {
  const PROGRAM = `import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
const db = new aws.rds.Cluster('orders', { engine: aws.rds.EngineType.AuroraMysql, masterUsername: 'admin', manageMasterUserPassword: true });
const proxy = new aws.rds.Proxy('orders-proxy', {
  engineFamily: 'MYSQL',
  roleArn: 'arn:aws:iam::123456789012:role/proxy',
  vpcSubnetIds: ['subnet-1'],
  auths: [{ authScheme: 'SECRETS', iamAuth: 'REQUIRED', secretArn: db.masterUserSecrets[0].secretArn }],
});
new aws.rds.ProxyDefaultTargetGroup('orders-tg', { dbProxyName: proxy.name, connectionPoolConfig: { initQuery: 'SET x=1' } });
new aws.rds.ProxyTarget('orders-target', { dbProxyName: proxy.name, targetGroupName: 'default', dbClusterIdentifier: db.clusterIdentifier });
export const api = new aws.lambda.CallbackFunction('api', {
  environment: { variables: { DATABASE_URL: pulumi.interpolate\`mysql://app@\${proxy.endpoint}/orders\` } },
  callback: async () => ({ statusCode: 200 }),
});`;

  it('links the proxy through ProxyTarget and reads its settings', () => {
    const [connection] = withStack(PROGRAM, (stack) =>
      stack!.connections().map((c) => ({
        key: c.variable.key,
        proxy: c.proxy?.resource.id,
        database: c.database?.resource.id,
        engine: c.engine,
        iamAuth: c.iamAuth,
        requireTls: c.requireTls,
        initQuery: c.initQuery,
        callback: c.function.callback?.type,
      })),
    );
    expect(connection).toEqual({
      key: 'DATABASE_URL',
      proxy: 'orders-proxy',
      database: 'orders',
      engine: 'mysql',
      iamAuth: true,
      // Pulumi's default: a proxy without `requireTls` accepts clients without TLS.
      requireTls: false,
      initQuery: 'SET x=1',
      callback: 'ArrowFunctionExpression',
    });
  });
});

describe('stack analysis: constructs of other files', () => {
  it('a proxy known only from a parameter type links to nothing and breaks nothing', () => {
    const result = withStack(
      `import * as aws from '@pulumi/aws';
export function target(proxy: aws.rds.Proxy, db: aws.rds.Instance) {
  new aws.rds.ProxyTarget('t', { dbProxyName: proxy.name, targetGroupName: 'default', dbInstanceIdentifier: db.identifier });
  return new aws.lambda.Function('fn', { role: 'r', environment: { variables: { DB_HOST: proxy.endpoint, DIRECT: db.address } } });
}`,
      (stack) => ({
        proxies: stack!.proxies.length,
        connections: stack!.connections().map((c) => `${c.variable.key}:${c.endpoint.kind}:${c.endpoint.resource.origin}:${c.proxy ? 'proxy' : '-'}`),
      }),
    );
    expect(result).toEqual({ proxies: 0, connections: ['DB_HOST:proxy:type:-', 'DIRECT:instance:type:-'] });
  });
});

describe('isDatabasePasswordKey', () => {
  it.each([
    'DB_PASSWORD',
    'DATABASE_PASSWORD',
    'PGPASSWORD',
    'MYSQL_PWD',
    'MYSQL_PASSWORD',
    'POSTGRES_PASSWORD',
    'ORDERS_DB_PASSWORD',
    'DB_MASTER_PASSWORD',
    'RDS_PASSWORD',
    'DB_PASS',
    'dbPassword',
    'db-password',
    'TYPEORM_PASSWORD',
  ])('%s names a database password', (key) => expect(isDatabasePasswordKey(key)).toBe(true));

  it.each([
    'PASSWORD',
    'SMTP_PASSWORD',
    'REDIS_PASSWORD',
    'REDIS_DB_PASSWORD',
    'MONGO_DB_PASSWORD',
    'ADMIN_PASSWORD',
    'DB_PASSWORD_SECRET_ARN',
    'DB_PASSWORD_PARAMETER',
    'RDS_DB_PASS_SECRET_ID',
    'PGPASSWORD_SSM_KEY',
    'PASSWORD_MIN_LENGTH',
    'DB_USER',
    'DB_HOST',
  ])('%s does not', (key) => expect(isDatabasePasswordKey(key)).toBe(false));
});
