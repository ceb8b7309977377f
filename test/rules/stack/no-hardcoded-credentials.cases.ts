/**
 * Cases of the `no-hardcoded-credentials` rule test (test/rules/no-hardcoded-credentials.test.ts runs them) for stack code: database passwords written in CDK v2, CDK v1 and Pulumi programs.
 */
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { describe, expect, it } from 'vitest';
import rule, { type MessageIds, type Options } from '../../../src/rules/no-hardcoded-credentials.js';
import plugin from '../../../src/index.js';
import { mayHoldStackPassword } from '../../../src/core/iac/index.js';
import { invalidCases } from '../../rule-tester.js';
import { at } from '../../core/config/locate.js';

const bad = invalidCases<MessageIds, Options>();

const inEnvironment = (code: string, literal: string, key: string, nth = 0) => ({
  messageId: 'passwordInEnvironment' as const,
  ...at(code, literal, nth),
  data: { key },
});

const CDK_FIX = 'use `Credentials.fromGeneratedSecret()`';
const PULUMI_FIX = 'use `manageMasterUserPassword: true` or a config secret';

const inStack = (code: string, literal: string, where: string, fix: string, nth = 0) => ({
  messageId: 'passwordInStack' as const,
  ...at(code, literal, nth),
  data: { where, fix },
});

const CDK_V2_HEADER = `import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
`;

/** A CDK v2 stack: a database with `credentials`, and a function with `environment`. */
const cdkStack = (credentials: string, environment: string) => `${CDK_V2_HEADER}
export class BillingStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc');
    const secret = new secretsmanager.Secret(this, 'DbSecret', {
      generateSecretString: { secretStringTemplate: JSON.stringify({ username: 'billing' }), generateStringKey: 'password' },
    });
    const db = new rds.DatabaseInstance(this, 'Billing', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      vpc,
      credentials: ${credentials},
    });
    const fn = new nodejs.NodejsFunction(this, 'Invoices', {
      entry: 'src/invoices.ts',
      vpc,
      environment: ${environment},
    });
    secret.grantRead(fn);
  }
}
`;

const PULUMI_HEADER = `import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import * as random from '@pulumi/random';
`;

export const valid: Array<string | ValidTestCase<Options>> = [
  // Secrets by ARN or name, values read from a secret, generated passwords, Parameter Store names.
  cdkStack(
    'rds.Credentials.fromSecret(secret)',
    `{
        DB_SECRET_ARN: secret.secretArn,
        DB_PASSWORD_SECRET_ARN: secret.secretArn,
        DB_PASSWORD_PARAMETER: '/billing/db/password',
        DB_PASSWORD: secret.secretValueFromJson('password').unsafeUnwrap(),
        DATABASE_PASSWORD: process.env.DATABASE_PASSWORD!,
        PGPASSWORD: '\${PGPASSWORD}',
      }`,
  ),
  cdkStack("rds.Credentials.fromGeneratedSecret('billing_admin')", "{ DB_USER: 'billing_app', DB_PASSWORD_SSM_KEY: ssm.StringParameter.valueForStringParameter(this, '/billing/db') }"),
  cdkStack("rds.Credentials.fromUsername('billing_admin')", '{}'),
  // Passwords that are not a relational database's: SMTP, ElastiCache for Redis, an API; settings about passwords.
  cdkStack(
    "rds.Credentials.fromGeneratedSecret('billing_admin')",
    `{
        SMTP_PASSWORD: 'mail-relay-pass',
        REDIS_PASSWORD: 'redis-auth-token',
        REDIS_DB_PASSWORD: 'redis-auth-token',
        MONGO_DB_PASSWORD: 'mongo-pass',
        ADMIN_PASSWORD: 'console-admin',
        PASSWORD: 'generic',
        PASSWORD_MIN_LENGTH: '12',
        DB_PASSWORD_ROTATION_DAYS: '30',
        DB_USER: 'billing_app',
      }`,
  ),
  // A plain-text SecretValue that is not a database password: a pipeline's GitHub token.
  `import * as cdk from 'aws-cdk-lib';
import * as codepipeline_actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
export const source = (output: codepipeline.Artifact) => new codepipeline_actions.GitHubSourceAction({
  actionName: 'Source', owner: 'acme', repo: 'billing', output,
  oauthToken: cdk.SecretValue.unsafePlainText('github-token-for-demo'),
});`,
  // Pulumi: generated passwords and config secrets; ElastiCache auth tokens.
  `${PULUMI_HEADER}
const config = new pulumi.Config();
const password = new random.RandomPassword('db', { length: 32, special: false }).result;
export const cluster = new aws.rds.Cluster('orders', { engine: 'aurora-postgresql', masterUsername: 'admin', masterPassword: password });
export const instance = new aws.rds.Instance('reports', { engine: 'mysql', instanceClass: 'db.t4g.micro', username: 'admin', password: config.requireSecret('reportsPassword') });
export const cache = new aws.elasticache.ReplicationGroup('sessions', { description: 'sessions', authToken: 'redis-token-1234567890', engine: 'redis' });
export const fn = new aws.lambda.Function('api', {
  role: 'arn:aws:iam::123456789012:role/api', runtime: 'nodejs20.x', handler: 'index.handler',
  environment: { variables: { DB_PASSWORD_SECRET: cluster.masterUserSecrets[0].secretArn, REDIS_PASSWORD: 'redis-token-1234567890' } },
});`,
];

export const invalid: InvalidTestCase<MessageIds, Options>[] = [
  // --- CDK v2 -----------------------------------------------------------------------------------------------
  bad(
    cdkStack("rds.Credentials.fromPassword('billing_admin', cdk.SecretValue.unsafePlainText('Billing#2024'))", "{ DB_USER: 'billing_app' }"),
    (c) => [inStack(c, "'Billing#2024'", 'The password of `Credentials.fromPassword()`', CDK_FIX)],
  ),
  bad(
    cdkStack(
      "rds.Credentials.fromUsername('billing_admin', { password: cdk.SecretValue.plainText(process.env.DB_PASSWORD ?? 'local-dev-pw') })",
      "{ DB_USER: 'billing_app', DB_PASSWORD: 'billing-app-pw', PGPASSWORD: process.env.PGPASSWORD || 'fallback-pw' }",
    ),
    (c) => [
      inStack(c, "'local-dev-pw'", 'The password of `Credentials.fromUsername()`', CDK_FIX),
      inEnvironment(c, "'billing-app-pw'", 'DB_PASSWORD'),
      inEnvironment(c, "'fallback-pw'", 'PGPASSWORD'),
    ],
  ),
  // A const, camelCase keys, `addEnvironment`, and a SecretValue unwrapped into the environment.
  bad(
    `import { Stack, SecretValue } from 'aws-cdk-lib';
import { Function, Runtime, Code } from 'aws-cdk-lib/aws-lambda';
const DB_PASS = 'orders-pw-123';
export function ordersFunction(stack: Stack) {
  const fn = new Function(stack, 'Orders', {
    runtime: Runtime.NODEJS_20_X, handler: 'index.handler', code: Code.fromAsset('orders'),
    environment: { dbPassword: DB_PASS, ORDERS_DB_PASSWORD: SecretValue.unsafePlainText('orders-pw-456').unsafeUnwrap() },
  });
  fn.addEnvironment('MYSQL_PWD', 'mysql-pw-789');
  return fn;
}`,
    (c) => [
      inEnvironment(c, "'orders-pw-123'", 'dbPassword'),
      inEnvironment(c, "'orders-pw-456'", 'ORDERS_DB_PASSWORD'),
      inEnvironment(c, "'mysql-pw-789'", 'MYSQL_PWD'),
    ],
  ),
  // L1: `masterUserPassword` of CfnDBInstance; SnapshotCredentials.
  bad(
    `import * as cdk from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
export class L1 extends cdk.Stack {
  constructor(scope: cdk.App, id: string) {
    super(scope, id);
    new rds.CfnDBInstance(this, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t4g.micro', masterUsername: 'admin', masterUserPassword: 'cfn-pw-2024' });
    new rds.DatabaseInstanceFromSnapshot(this, 'Restored', {
      snapshotIdentifier: 'orders-2024-01-01', engine: rds.DatabaseInstanceEngine.POSTGRES, vpc: undefined as never,
      credentials: rds.SnapshotCredentials.fromPassword(cdk.SecretValue.unsafePlainText('snapshot-pw')),
    });
  }
}`,
    (c) => [
      inStack(c, "'cfn-pw-2024'", '`masterUserPassword` of this `rds.CfnDBInstance`', 'use `manageMasterUserPassword: true` instead'),
      inStack(c, "'snapshot-pw'", 'The password of `SnapshotCredentials.fromPassword()`', CDK_FIX),
    ],
  ),

  // --- CDK v1 -----------------------------------------------------------------------------------------------
  bad(
    `import * as cdk from '@aws-cdk/core';
import * as ec2 from '@aws-cdk/aws-ec2';
import * as lambda from '@aws-cdk/aws-lambda';
import * as rds from '@aws-cdk/aws-rds';

export class LegacyStack extends cdk.Stack {
  constructor(scope: cdk.Construct, id: string) {
    super(scope, id);
    const vpc = new ec2.Vpc(this, 'Vpc');
    new rds.DatabaseInstance(this, 'Db', {
      engine: rds.DatabaseInstanceEngine.MYSQL, vpc, masterUsername: 'admin',
      masterUserPassword: cdk.SecretValue.plainText('legacy-pw-1'),
    });
    new rds.DatabaseCluster(this, 'Cluster', {
      engine: rds.DatabaseClusterEngine.AURORA_MYSQL, instanceProps: { vpc },
      masterUser: { username: 'admin', password: cdk.SecretValue.plainText('legacy-pw-2') },
    });
    new lambda.Function(this, 'Fn', {
      runtime: lambda.Runtime.NODEJS_14_X, handler: 'index.handler', code: lambda.Code.fromAsset('fn'),
      environment: { DB_PASSWORD: 'legacy-pw-3' },
    });
  }
}`,
    (c) => [
      inStack(c, "'legacy-pw-1'", '`masterUserPassword` of this `rds.DatabaseInstance`', CDK_FIX),
      inStack(c, "'legacy-pw-2'", '`masterUser.password` of this `rds.DatabaseCluster`', CDK_FIX),
      inEnvironment(c, "'legacy-pw-3'", 'DB_PASSWORD'),
    ],
  ),

  // --- Pulumi -----------------------------------------------------------------------------------------------
  // The shape of a real Pulumi program: a CallbackFunction whose environment falls back to a literal.
  bad(
    `import * as aws from '@pulumi/aws';
import dataSource from './dataSource';

const handler = new aws.lambda.CallbackFunction('hello-handler', {
  environment: {
    variables: {
      DATABASE_HOST: process.env.DATABASE_HOST || 'localhost',
      DATABASE_PASSWORD: process.env.DATABASE_PASSWORD || 'password',
      DATABASE_PORT: process.env.DATABASE_PORT || '5432',
    },
  },
  callback: async () => {
    await dataSource.initialize();
    return { statusCode: 200, body: 'ok' };
  },
});
export const name = handler.name;`,
    (c) => [inEnvironment(c, "'password'", 'DATABASE_PASSWORD')],
  ),
  bad(
    `${PULUMI_HEADER}
const ADMIN_PASSWORD = 'pulumi-admin-pw';
export const cluster = new aws.rds.Cluster('orders', { engine: 'aurora-postgresql', masterUsername: 'admin', masterPassword: ADMIN_PASSWORD });
export const instance = new aws.rds.Instance('reports', { engine: 'mysql', instanceClass: 'db.t4g.micro', username: 'admin', password: pulumi.secret('reports-pw') });`,
    (c) => [
      inStack(c, "'pulumi-admin-pw'", '`masterPassword` of this `aws.rds.Cluster`', PULUMI_FIX),
      inStack(c, "'reports-pw'", '`password` of this `aws.rds.Instance`', PULUMI_FIX),
    ],
  ),
];


describe('no-hardcoded-credentials in stack code', () => {
  it('never echoes the password in its messages', () => {
    const linter = new Linter();
    for (const { code } of invalid) {
      const messages = linter.verify(code, [
        {
          files: ['**/*.ts'],
          languageOptions: { parser: tsParser },
          plugins: { 'lambda-rds': plugin as never },
          rules: { 'lambda-rds/no-hardcoded-credentials': 'error' },
        },
      ], 'stack.ts');
      expect(messages.length).toBeGreaterThan(0);
      for (const message of messages) {
        const literal = code.slice(
          linePos(code, message.line, message.column),
          linePos(code, message.endLine!, message.endColumn!),
        );
        const secret = literal.replace(/^['"`]|['"`]$/g, '');
        // ('password' itself is a word of the messages.)
        if (secret !== 'password') expect(message.message).not.toContain(secret);
        expect(message.message.length).toBeLessThanOrEqual(140);
      }
    }
  });

  it('runs the stack analysis only for text that names a password, which every stack password case does', () => {
    // The rule asks for the stack analysis only when this text test passes: a case it rejected would go unreported.
    for (const { code } of invalid) expect(mayHoldStackPassword(code)).toBe(true);
    expect(mayHoldStackPassword("environment: { MYSQL_PWD: 'x' }")).toBe(true);
    expect(mayHoldStackPassword("credentials: rds.Credentials.fromUsername('admin', { Password: x })")).toBe(true);
    expect(mayHoldStackPassword("environment: { DB_HOST: db.dbInstanceEndpointAddress, DB_USER: 'admin' }")).toBe(false);
  });
});

function linePos(code: string, line: number, column: number): number {
  const lines = code.split('\n');
  return lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
}
