/**
 * Cases of the `no-direct-rds-endpoint` rule test (test/rules/no-direct-rds-endpoint.test.ts runs them) for stack code: CDK v2, CDK v1 and Pulumi programs that give a Lambda function a
 * database's own endpoint instead of an RDS Proxy's.
 */
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../../src/rules/no-direct-rds-endpoint.js';
import { invalidCases } from '../../rule-tester.js';
import { at } from '../../core/config/locate.js';

const bad = invalidCases<MessageIds, Options>();

const ENDPOINT = {
  instance: 'a DB instance endpoint',
  writer: 'a cluster (writer) endpoint',
  reader: 'a cluster reader endpoint',
  custom: 'a cluster custom endpoint',
} as const;

/** A stack finding covering `needle`, with the proxy suggestion when `replacement` is given. */
function inStack(code: string, needle: string, key: string, endpoint: keyof typeof ENDPOINT, replacement?: string, nth = 0) {
  const index = nthIndex(code, needle, nth);
  return {
    messageId: 'directEndpointInStack' as const,
    ...at(code, needle, nth),
    data: { key, endpoint: ENDPOINT[endpoint] },
    suggestions: replacement
      ? [
          {
            messageId: 'suggestStackProxyEndpoint' as const,
            data: { proxy: replacement },
            output: code.slice(0, index) + replacement + code.slice(index + needle.length),
          },
        ]
      : [],
  };
}

function nthIndex(code: string, needle: string, nth: number): number {
  let index = -1;
  for (let i = 0; i <= nth; i++) index = code.indexOf(needle, index + 1);
  return index;
}

// --- Stacks ---------------------------------------------------------------------------------------------------

const CDK_V2_HEADER = `import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as rds from 'aws-cdk-lib/aws-rds';
`;

/** A CDK v2 stack: a PostgreSQL instance, a proxy in front of it, and a function whose `DB_HOST` is `host`. */
const cdkInstanceStack = (host: string, extra = '') => `${CDK_V2_HEADER}
export class OrdersStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2 });
    const db = new rds.DatabaseInstance(this, 'OrdersDb', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      vpc,
      credentials: rds.Credentials.fromGeneratedSecret('orders_admin'),
      iamAuthentication: true,
    });
    const proxy = new rds.DatabaseProxy(this, 'OrdersProxy', {
      proxyTarget: rds.ProxyTarget.fromInstance(db),
      secrets: [db.secret!],
      vpc,
      iamAuth: true,
    });
    const getOrder = new nodejs.NodejsFunction(this, 'GetOrder', {
      entry: 'src/get-order.ts',
      vpc,
      environment: {
        DB_HOST: ${host},
        DB_NAME: 'orders',
        DB_SECRET_ARN: db.secret!.secretArn,
      },
    });
    proxy.grantConnect(getOrder, 'orders_app');${extra}
  }
}
`;

const PULUMI_HEADER = `import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
`;

/** A Pulumi program: a MySQL instance with a proxy, and a function whose `DB_HOST` is `host`. */
const pulumiStack = (host: string) => `${PULUMI_HEADER}
const config = new pulumi.Config();
const db = new aws.rds.Instance('orders', {
  engine: 'mysql',
  instanceClass: 'db.t4g.micro',
  allocatedStorage: 20,
  username: 'orders_admin',
  manageMasterUserPassword: true,
  iamDatabaseAuthenticationEnabled: true,
});
const proxy = new aws.rds.Proxy('orders-proxy', {
  engineFamily: 'MYSQL',
  roleArn: config.require('proxyRoleArn'),
  vpcSubnetIds: config.requireObject<string[]>('subnetIds'),
  requireTls: true,
  auths: [{ authScheme: 'SECRETS', iamAuth: 'REQUIRED', secretArn: config.require('dbSecretArn') }],
});
new aws.rds.ProxyTarget('orders-proxy-target', {
  dbProxyName: proxy.name,
  targetGroupName: 'default',
  dbInstanceIdentifier: db.identifier,
});
export const api = new aws.lambda.Function('orders-api', {
  runtime: aws.lambda.Runtime.NodeJS20dX,
  handler: 'index.handler',
  role: config.require('lambdaRoleArn'),
  code: new pulumi.asset.FileArchive('./app'),
  environment: { variables: { DB_HOST: ${host}, DB_PORT: '3306' } },
});
`;

const CLUSTER_HOST = 'orders.cluster-c9bfei4hjlrd.us-east-1.rds.amazonaws.com';
const INSTANCE_HOST = 'orders.c9bfei4hjlrd.us-east-1.rds.amazonaws.com';

export const valid: Array<string | ValidTestCase<Options>> = [
  // The proxy's endpoint (CDK v2, CDK v1 `addProxy`, Pulumi), and secrets referenced by ARN.
  cdkInstanceStack('proxy.endpoint'),
  pulumiStack('proxy.endpoint'),
  `import * as cdk from '@aws-cdk/core';
import * as ec2 from '@aws-cdk/aws-ec2';
import * as lambda from '@aws-cdk/aws-lambda';
import * as rds from '@aws-cdk/aws-rds';

export class ReportsStack extends cdk.Stack {
  constructor(scope: cdk.Construct, id: string) {
    super(scope, id);
    const vpc = new ec2.Vpc(this, 'Vpc');
    const cluster = new rds.DatabaseCluster(this, 'Reports', {
      engine: rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_04_0 }),
      instanceProps: { vpc },
    });
    const proxy = cluster.addProxy('ReportsProxy', { secrets: [cluster.secret!], vpc });
    new lambda.Function(this, 'Report', {
      runtime: lambda.Runtime.NODEJS_18_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset('lambda/report'),
      environment: { DB_HOST: proxy.endpoint, SECRET_ARN: cluster.secret!.secretArn },
    });
  }
}`,
  // The proxy endpoint inside a connection URI, built with pulumi.interpolate.
  `${PULUMI_HEADER}
const proxy = new aws.rds.Proxy('p', { engineFamily: 'POSTGRESQL', roleArn: 'arn:aws:iam::123456789012:role/proxy', vpcSubnetIds: ['subnet-1'], auths: [] });
new aws.lambda.CallbackFunction('handler', {
  environment: { variables: { DATABASE_URL: pulumi.interpolate\`postgres://app@\${proxy.endpoint}:5432/app\` } },
  callback: async () => ({ statusCode: 200 }),
});`,
  // Endpoints outside a function's environment: stack outputs, a security group rule, the Data API.
  `${CDK_V2_HEADER}
export class DataStack extends cdk.Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const vpc = new ec2.Vpc(this, 'Vpc');
    const cluster = new rds.ServerlessCluster(this, 'Cluster', { engine: rds.DatabaseClusterEngine.AURORA_POSTGRESQL, vpc, enableDataApi: true });
    new cdk.CfnOutput(this, 'WriterEndpoint', { value: cluster.clusterEndpoint.hostname });
    new lambda.Function(this, 'DataApi', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset('lambda'),
      environment: { CLUSTER_ARN: cluster.clusterArn, SECRET_ARN: cluster.secret!.secretArn, DB_PORT: cluster.clusterEndpoint.port.toString() },
    });
  }
}`,
  // ElastiCache and DocumentDB endpoints are not RDS: RDS Proxy does not front them.
  `import { Stack } from 'aws-cdk-lib';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as docdb from 'aws-cdk-lib/aws-docdb';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';

export function sessions(stack: Stack, cluster: docdb.DatabaseCluster) {
  const cache = new elasticache.CfnCacheCluster(stack, 'Sessions', { engine: 'redis', cacheNodeType: 'cache.t4g.micro', numCacheNodes: 1 });
  new NodejsFunction(stack, 'Sessions', {
    entry: 'src/sessions.ts',
    environment: {
      REDIS_HOST: cache.attrRedisEndpointAddress,
      MONGO_HOST: cluster.clusterEndpoint.hostname,
      CACHE_HOST: 'sessions.abc123.0001.use1.cache.amazonaws.com',
    },
  });
}`,
  // A literal proxy endpoint; a hostname from the deploying machine's environment.
  `import { Function, Runtime, Code } from 'aws-cdk-lib/aws-lambda';
import { Stack } from 'aws-cdk-lib';
export const fn = (stack: Stack) => new Function(stack, 'Fn', {
  runtime: Runtime.NODEJS_20_X,
  handler: 'index.handler',
  code: Code.fromAsset('lambda'),
  environment: { DB_HOST: 'orders-proxy.proxy-c9bfei4hjlrd.us-east-1.rds.amazonaws.com', REPLICA_HOST: process.env.REPLICA_HOST! },
});`,
  // An endpoint the stack does not know: a construct of another file, typed with its own interface.
  `import { Stack } from 'aws-cdk-lib';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { DatabaseProps } from './database';
export const fn = (stack: Stack, props: DatabaseProps) =>
  new NodejsFunction(stack, 'Fn', { entry: 'src/fn.ts', environment: { DB_HOST: props.database.instanceEndpoint.hostname } });`,
  // Not a catalogued construct: an object of the same shape in a file without CDK or Pulumi imports.
  `const db = { instanceEndpoint: { hostname: 'localhost' } };
export const config = { environment: { DB_HOST: db.instanceEndpoint.hostname } };`,
];

export const invalid: InvalidTestCase<MessageIds, Options>[] = [
  // --- CDK v2 -----------------------------------------------------------------------------------------------
  bad(cdkInstanceStack('db.instanceEndpoint.hostname'), (c) => [inStack(c, 'db.instanceEndpoint.hostname', 'DB_HOST', 'instance', 'proxy.endpoint')]),
  bad(cdkInstanceStack('db.dbInstanceEndpointAddress'), (c) => [inStack(c, 'db.dbInstanceEndpointAddress', 'DB_HOST', 'instance', 'proxy.endpoint')]),
  // Inside a template, and set again with `addEnvironment`.
  bad(
    cdkInstanceStack(
      '`${db.instanceEndpoint.hostname}`',
      "\n    getOrder.addEnvironment('DATABASE_URL', `postgres://orders_app@${db.dbInstanceEndpointAddress}:5432/orders`);",
    ),
    (c) => [
      inStack(c, 'db.instanceEndpoint.hostname', 'DB_HOST', 'instance', 'proxy.endpoint'),
      inStack(c, 'db.dbInstanceEndpointAddress', 'DATABASE_URL', 'instance', 'proxy.endpoint'),
    ],
  ),
  // `host:port`: a proxy endpoint is a hostname, so no suggestion.
  bad(cdkInstanceStack('db.instanceEndpoint.socketAddress'), (c) => [inStack(c, 'db.instanceEndpoint.socketAddress', 'DB_HOST', 'instance')]),
  // Through a `const`: the variable is replaced where the environment reads it.
  bad(
    `${CDK_V2_HEADER}
export class Api extends cdk.Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const db = new rds.DatabaseInstance(this, 'Db', { engine: rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_0 }), vpc: ec2.Vpc.fromLookup(this, 'Vpc', { isDefault: true }) });
    const dbProxy = db.addProxy('Proxy', { secrets: [db.secret!], vpc: db.vpc });
    const writerHost = db.instanceEndpoint.hostname;
    new lambda.Function(this, 'Api', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromAsset('api'), environment: { DB_HOST: writerHost } });
  }
}`,
    (c) => [inStack(c, 'writerHost', 'DB_HOST', 'instance', 'dbProxy.endpoint', 1)],
  ),
  // Aurora: `aws_rds as rds` from the root module; the reader endpoint gets no suggestion (a proxy's default
  // endpoint is read/write).
  bad(
    `import { Stack, StackProps, aws_ec2 as ec2, aws_rds as rds, aws_lambda_nodejs as nodejs } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export class ReportingStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc');
    const cluster = new rds.DatabaseCluster(this, 'Cluster', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
      writer: rds.ClusterInstance.serverlessV2('writer'),
      vpc,
    });
    const proxy = new rds.DatabaseProxy(this, 'Proxy', { proxyTarget: rds.ProxyTarget.fromCluster(cluster), secrets: [cluster.secret!], vpc });
    new nodejs.NodejsFunction(this, 'Writer', { entry: 'src/writer.ts', environment: { DB_HOST: cluster.clusterEndpoint.hostname } });
    new nodejs.NodejsFunction(this, 'Reader', { entry: 'src/reader.ts', environment: { DB_HOST: cluster.clusterReadEndpoint.hostname, PROXY: proxy.endpoint } });
  }
}`,
    (c) => [
      inStack(c, 'cluster.clusterEndpoint.hostname', 'DB_HOST', 'writer', 'proxy.endpoint'),
      inStack(c, 'cluster.clusterReadEndpoint.hostname', 'DB_HOST', 'reader'),
    ],
  ),
  // A class field and no proxy at all.
  bad(
    `import { Stack, StackProps } from 'aws-cdk-lib';
import { Function, Runtime, Code } from 'aws-cdk-lib/aws-lambda';
import { DatabaseInstance, DatabaseInstanceEngine, MysqlEngineVersion } from 'aws-cdk-lib/aws-rds';
import { Vpc } from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

export class UsersConstruct extends Construct {
  public readonly database: DatabaseInstance;
  public readonly handler: Function;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id);
    const vpc = new Vpc(this, 'Vpc');
    this.database = new DatabaseInstance(this, 'Db', { engine: DatabaseInstanceEngine.mysql({ version: MysqlEngineVersion.VER_8_0 }), vpc });
    this.handler = new Function(this, 'Users', {
      runtime: Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: Code.fromAsset('lambda'),
      environment: { DB_HOST: this.database.instanceEndpoint.hostname, DB_PORT: '3306' },
    });
  }
}`,
    (c) => [inStack(c, 'this.database.instanceEndpoint.hostname', 'DB_HOST', 'instance')],
  ),
  // A construct of another file known from the parameter's type, through destructuring.
  bad(
    `import { Stack } from 'aws-cdk-lib';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { DatabaseCluster } from 'aws-cdk-lib/aws-rds';

export const createFunctions = (scope: Stack, clusters: { mysql: DatabaseCluster; pg: DatabaseCluster }) => {
  const { mysql, pg } = clusters;
  return [
    new NodejsFunction(scope, 'MysqlQuery', { entry: 'fns/mysql.ts', environment: { DB_HOSTNAME: mysql.clusterReadEndpoint.hostname } }),
    new NodejsFunction(scope, 'PgQuery', { entry: 'fns/pg.ts', environment: { DB_HOSTNAME: pg.clusterEndpoint.hostname } }),
  ];
};`,
    (c) => [
      inStack(c, 'mysql.clusterReadEndpoint.hostname', 'DB_HOSTNAME', 'reader'),
      inStack(c, 'pg.clusterEndpoint.hostname', 'DB_HOSTNAME', 'writer'),
    ],
  ),
  // An interface of the same file, and a props object spread into the function's props.
  bad(
    `import { Construct } from 'constructs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';

interface ApiProps {
  readonly database: rds.IDatabaseInstance;
}

export class Api extends Construct {
  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const common = { runtime: lambda.Runtime.NODEJS_20_X, code: lambda.Code.fromAsset('api'), environment: { DB_HOST: props.database.dbInstanceEndpointAddress } };
    new lambda.Function(this, 'List', { ...common, handler: 'list.handler' });
  }
}`,
    (c) => [inStack(c, 'props.database.dbInstanceEndpointAddress', 'DB_HOST', 'instance')],
  ),
  // CommonJS `require` of the root module, destructured.
  bad(
    `const { Stack, aws_lambda: lambda, aws_rds: rds } = require('aws-cdk-lib');
class Jobs extends Stack {
  constructor(scope, id) {
    super(scope, id);
    const db = rds.DatabaseInstance.fromDatabaseInstanceAttributes(this, 'Db', {
      instanceIdentifier: 'jobs', instanceEndpointAddress: 'jobs.c9bfei4hjlrd.us-east-1.rds.amazonaws.com', port: 5432, securityGroups: [],
    });
    new lambda.Function(this, 'Jobs', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromAsset('jobs'), environment: { PGHOST: db.dbInstanceEndpointAddress } });
  }
}
module.exports = { Jobs };`,
    (c) => [inStack(c, 'db.dbInstanceEndpointAddress', 'PGHOST', 'instance')],
  ),
  // L1 constructs: a CfnDBProxy linked by a CfnDBProxyTargetGroup.
  bad(
    `import * as cdk from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as lambda from 'aws-cdk-lib/aws-lambda';

export class L1Stack extends cdk.Stack {
  constructor(scope: cdk.App, id: string) {
    super(scope, id);
    const cluster = new rds.CfnDBCluster(this, 'Cluster', { engine: 'aurora-postgresql', manageMasterUserPassword: true, masterUsername: 'admin' });
    const proxy = new rds.CfnDBProxy(this, 'Proxy', { dbProxyName: 'app', engineFamily: 'POSTGRESQL', roleArn: 'arn:aws:iam::123456789012:role/p', vpcSubnetIds: ['subnet-1'], auth: [{ authScheme: 'SECRETS', secretArn: cluster.attrMasterUserSecretSecretArn }], requireTls: true });
    new rds.CfnDBProxyTargetGroup(this, 'Targets', { dbProxyName: proxy.ref, targetGroupName: 'default', dbClusterIdentifiers: [cluster.ref] });
    new lambda.CfnFunction(this, 'Fn', { code: { zipFile: 'exports.handler = async () => {}' }, role: 'arn:aws:iam::123456789012:role/fn', runtime: 'nodejs20.x', handler: 'index.handler', environment: { variables: { DB_HOST: cluster.attrEndpointAddress } } });
  }
}`,
    (c) => [inStack(c, 'cluster.attrEndpointAddress', 'DB_HOST', 'writer', 'proxy.attrEndpoint')],
  ),
  // Two proxies in front of one database: which one is not for the linter to choose.
  bad(
    cdkInstanceStack(
      'db.instanceEndpoint.hostname',
      "\n    new rds.DatabaseProxy(this, 'AdminProxy', { proxyTarget: rds.ProxyTarget.fromInstance(db), secrets: [db.secret!], vpc });",
    ),
    (c) => [inStack(c, 'db.instanceEndpoint.hostname', 'DB_HOST', 'instance')],
  ),
  // A proxy declared after the function cannot be read there.
  bad(
    `${CDK_V2_HEADER}
export class Late extends cdk.Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const vpc = new ec2.Vpc(this, 'Vpc');
    const db = new rds.DatabaseInstance(this, 'Db', { engine: rds.DatabaseInstanceEngine.POSTGRES, vpc });
    new nodejs.NodejsFunction(this, 'Fn', { entry: 'src/fn.ts', environment: { DB_HOST: db.instanceEndpoint.hostname } });
    const proxy = db.addProxy('Proxy', { secrets: [db.secret!], vpc });
  }
}`,
    (c) => [inStack(c, 'db.instanceEndpoint.hostname', 'DB_HOST', 'instance')],
  ),
  // A literal RDS hostname (also as a fallback of the deploying machine's environment).
  bad(
    `import { Stack } from 'aws-cdk-lib';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
export const fn = (stack: Stack) => new NodejsFunction(stack, 'Fn', {
  entry: 'src/fn.ts',
  environment: { DB_HOST: '${CLUSTER_HOST}', REPLICA_HOST: process.env.REPLICA_HOST ?? '${INSTANCE_HOST}' },
});`,
    (c) => [
      { messageId: 'directEndpoint', ...at(c, CLUSTER_HOST), data: { host: CLUSTER_HOST, kind: 'an Aurora cluster endpoint' }, suggestions: [] },
      { messageId: 'directEndpoint', ...at(c, INSTANCE_HOST), data: { host: INSTANCE_HOST, kind: 'a DB instance endpoint' }, suggestions: [] },
    ],
  ),

  // --- CDK v1 -----------------------------------------------------------------------------------------------
  bad(
    `import cdk = require('@aws-cdk/core');
import lambda = require('@aws-cdk/aws-lambda');
import rds = require('@aws-cdk/aws-rds');
import ec2 = require('@aws-cdk/aws-ec2');

export class TodoStack extends cdk.Stack {
  constructor(scope: cdk.Construct, id: string) {
    super(scope, id);
    const vpc = new ec2.Vpc(this, 'Vpc');
    const db = new rds.DatabaseInstance(this, 'Todo', { engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_13 }), vpc });
    const proxy = db.addProxy('TodoProxy', { secrets: [db.secret!], vpc, iamAuth: true });
    const fn = new lambda.Function(this, 'List', {
      runtime: lambda.Runtime.NODEJS_14_X,
      handler: 'list.handler',
      code: new lambda.AssetCode('../dist'),
      environment: { DATABASE_URL: \`postgres://todo@\${db.dbInstanceEndpointAddress}:5432/todo\` },
    });
    fn.addEnvironment('DB_HOST', db.instanceEndpoint.hostname);
  }
}`,
    (c) => [
      inStack(c, 'db.dbInstanceEndpointAddress', 'DATABASE_URL', 'instance', 'proxy.endpoint'),
      inStack(c, 'db.instanceEndpoint.hostname', 'DB_HOST', 'instance', 'proxy.endpoint'),
    ],
  ),

  // --- Pulumi -----------------------------------------------------------------------------------------------
  bad(pulumiStack('db.address'), (c) => [inStack(c, 'db.address', 'DB_HOST', 'instance', 'proxy.endpoint')]),
  // An instance's `endpoint` is `address:port`.
  bad(pulumiStack('db.endpoint'), (c) => [inStack(c, 'db.endpoint', 'DB_HOST', 'instance')]),
  // A cluster endpoint inside pulumi.interpolate, in a CallbackFunction, and a cluster of another file typed by
  // the destructured parameter.
  bad(
    `${PULUMI_HEADER}
export function createLambda({ rds, subnets }: { rds: aws.rds.Cluster; subnets: string[] }) {
  const replica = new aws.rds.ClusterInstance('replica', { clusterIdentifier: rds.id, instanceClass: 'db.r6g.large', engine: 'aurora-postgresql' });
  return new aws.lambda.CallbackFunction('api', {
    environment: {
      variables: {
        DATABASE_URL: pulumi.interpolate\`postgres://\${rds.masterUsername}@\${rds.endpoint}:\${rds.port}/\${rds.databaseName}\`,
        READER_URL: pulumi.concat('postgres://reader@', rds.readerEndpoint, '/app'),
        REPLICA_HOST: replica.endpoint,
      },
    },
    vpcConfig: { subnetIds: subnets, securityGroupIds: rds.vpcSecurityGroupIds },
    callback: async () => ({ statusCode: 200 }),
  });
}`,
    (c) => [
      inStack(c, 'rds.endpoint', 'DATABASE_URL', 'writer'),
      inStack(c, 'rds.readerEndpoint', 'READER_URL', 'reader'),
      inStack(c, 'replica.endpoint', 'REPLICA_HOST', 'instance'),
    ],
  ),
  // Named imports from the Pulumi submodules.
  bad(
    `import { Cluster, ClusterEndpoint } from '@pulumi/aws/rds';
import { Function } from '@pulumi/aws/lambda';
const cluster = new Cluster('orders', { engine: 'aurora-mysql', masterUsername: 'admin', manageMasterUserPassword: true });
const analytics = new ClusterEndpoint('analytics', { clusterIdentifier: cluster.id, clusterEndpointIdentifier: 'analytics', customEndpointType: 'READER' });
export const fn = new Function('report', { role: 'arn:aws:iam::123456789012:role/fn', runtime: 'nodejs20.x', handler: 'index.handler', environment: { variables: { DB_HOST: analytics.endpoint } } });`,
    (c) => [inStack(c, 'analytics.endpoint', 'DB_HOST', 'custom')],
  ),
];

