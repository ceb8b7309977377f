/**
 * Cases of the `require-tls` rule test (test/rules/require-tls.test.ts runs them) for stack code: RDS Proxies that let clients connect without TLS, in CDK v2, CDK v1 and Pulumi.
 */
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../../src/rules/require-tls.js';
import { invalidCases } from '../../rule-tester.js';
import { at } from '../../core/config/locate.js';

const bad = invalidCases<MessageIds, Options>();

/** A report on `needle` (the `false`), with the suggestion to write `true` when `fixable`. */
function tlsOff(code: string, needle: string, key: string, fix: string, fixable = true) {
  const index = code.indexOf(needle);
  return {
    messageId: 'proxyTlsNotRequired' as const,
    ...at(code, needle),
    data: { key, fix },
    suggestions: fixable
      ? [{ messageId: 'suggestRequireTls' as const, data: { key }, output: code.slice(0, index) + 'true' + code.slice(index + needle.length) }]
      : [],
  };
}

const CDK_DEFAULT_TRUE = 'remove it or set it to `true`';
const DEFAULT_FALSE = 'set it to `true`';

const cdkProxy = (options: string) => `import { Stack, StackProps, Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';

export class ProxyStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc');
    const cluster = new rds.DatabaseCluster(this, 'Cluster', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
      writer: rds.ClusterInstance.serverlessV2('writer'),
      vpc,
    });
    new rds.DatabaseProxy(this, 'Proxy', {
      proxyTarget: rds.ProxyTarget.fromCluster(cluster),
      secrets: [cluster.secret!],
      vpc,
      borrowTimeout: Duration.seconds(30),${options}
    });
  }
}
`;

export const valid: Array<string | ValidTestCase<Options>> = [
  cdkProxy(''),
  cdkProxy('\n      requireTLS: true,'),
  cdkProxy("\n      requireTLS: process.env.STAGE !== 'dev',"),
  `import * as aws from '@pulumi/aws';
export const proxy = new aws.rds.Proxy('p', { engineFamily: 'POSTGRESQL', roleArn: 'arn:aws:iam::123456789012:role/p', vpcSubnetIds: ['subnet-1'], requireTls: true, auths: [] });`,
  // Not a proxy: a DB instance's own TLS is its parameter group's business.
  `import * as rds from 'aws-cdk-lib/aws-rds';
import { Stack } from 'aws-cdk-lib';
export const options = (stack: Stack) => new rds.OptionGroup(stack, 'Options', { engine: rds.DatabaseInstanceEngine.POSTGRES, configurations: [] });`,
  // Same shape, not a CDK or Pulumi construct.
  `export const proxy = { requireTLS: false };`,
];

export const invalid: InvalidTestCase<MessageIds, Options>[] = [
  bad(cdkProxy('\n      requireTLS: false,'), (c) => [tlsOff(c, 'false', 'requireTLS', CDK_DEFAULT_TRUE)]),
  // A constant: reported, but the constant may be used elsewhere, so no suggestion.
  bad(
    `import * as cdk from 'aws-cdk-lib';
const ENFORCE_TLS = false;
export class S extends cdk.Stack {
  constructor(scope: cdk.App, id: string, vpc: cdk.aws_ec2.IVpc, db: cdk.aws_rds.DatabaseInstance) {
    super(scope, id);
    new cdk.aws_rds.DatabaseProxy(this, 'Proxy', { proxyTarget: cdk.aws_rds.ProxyTarget.fromInstance(db), vpc, requireTLS: ENFORCE_TLS });
  }
}`,
    (c) => [{ ...tlsOff(c, 'ENFORCE_TLS', 'requireTLS', CDK_DEFAULT_TRUE, false), ...at(c, 'ENFORCE_TLS', 1) }],
  ),
  // CDK v1, `addProxy` (the shape of a real stack).
  bad(
    `import * as cdk from '@aws-cdk/core';
import * as ec2 from '@aws-cdk/aws-ec2';
import * as rds from '@aws-cdk/aws-rds';

export class RdsVpcSetupStack extends cdk.Stack {
  constructor(scope: cdk.Construct, id: string) {
    super(scope, id);
    const vpc = new ec2.Vpc(this, 'Vpc');
    const credentials = new rds.DatabaseSecret(this, 'Credentials', { username: 'postgres' });
    const pg = new rds.DatabaseInstance(this, 'Db', { vpc, engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_11_9 }), credentials: rds.Credentials.fromSecret(credentials) });
    pg.addProxy('rds-proxy', { vpc, secrets: [credentials], requireTLS: false, dbProxyName: 'db-proxy' });
  }
}`,
    (c) => [tlsOff(c, 'false', 'requireTLS', CDK_DEFAULT_TRUE)],
  ),
  // L1 and Pulumi: TLS is optional by default there too; an explicit `false` is reported.
  bad(
    `import * as rds from 'aws-cdk-lib/aws-rds';
import { Stack } from 'aws-cdk-lib';
export const proxy = (stack: Stack) => new rds.CfnDBProxy(stack, 'Proxy', {
  dbProxyName: 'app', engineFamily: 'MYSQL', roleArn: 'arn:aws:iam::123456789012:role/p', vpcSubnetIds: ['subnet-1'],
  auth: [{ authScheme: 'SECRETS', secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db' }],
  requireTls: false,
});`,
    (c) => [tlsOff(c, 'false', 'requireTls', DEFAULT_FALSE)],
  ),
  bad(
    `import * as aws from '@pulumi/aws';
const proxy = new aws.rds.Proxy('orders', {
  engineFamily: 'POSTGRESQL',
  roleArn: 'arn:aws:iam::123456789012:role/proxy',
  vpcSubnetIds: ['subnet-1', 'subnet-2'],
  requireTls: false,
  auths: [{ authScheme: 'SECRETS', iamAuth: 'DISABLED', secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db' }],
});
export const endpoint = proxy.endpoint;`,
    (c) => [tlsOff(c, 'false', 'requireTls', DEFAULT_FALSE)],
  ),
];

