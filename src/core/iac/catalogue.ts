/**
 * The infrastructure-code catalogue: the AWS CDK (v2 `aws-cdk-lib`, v1 `@aws-cdk/*`) and Pulumi (`@pulumi/aws`)
 * constructs that put a Lambda function, an RDS database or an RDS Proxy in a stack, as data. The stack analysis
 * (`stack.ts`) finds them by import with the module tracker, like the driver catalogue's creating calls.
 *
 * Facts checked against the typings of `aws-cdk-lib` 2.278 (`aws-rds/lib/{instance,cluster,serverless-cluster,
 * proxy,props,endpoint}.d.ts`, `aws-rds/lib/rds.generated.d.ts`, `aws-lambda/lib/function.d.ts`,
 * `core/lib/secret-value.d.ts`) and `@pulumi/aws` 7.48 (`rds/{instance,cluster,clusterInstance,proxy,proxyTarget,
 * proxyDefaultTargetGroup,proxyEndpoint}.d.ts`, `lambda/lambdaMixins.d.ts`).
 */
import type { EndpointKind } from '../config/hosts.js';
import { CALL, CONSTRUCT, READ, type TraceMap } from '../track.js';

export type StackTool = 'cdk' | 'pulumi';

/** What a construct is in the stack. */
export type ConstructRole =
  /** A Lambda function: its environment is what its code reads from `process.env`. */
  | 'function'
  /** An RDS DB instance (also one Aurora instance). */
  | 'instance'
  /** An Aurora or Multi-AZ DB cluster. */
  | 'cluster'
  /** An RDS Proxy. */
  | 'proxy'
  /** An additional endpoint of an RDS Proxy. */
  | 'proxy-endpoint'
  /** What links a proxy to its database: Pulumi `aws.rds.ProxyTarget`, CDK `CfnDBProxyTargetGroup`. */
  | 'proxy-target'
  /** A proxy's default target group (Pulumi `aws.rds.ProxyDefaultTargetGroup`): its connection pool settings. */
  | 'proxy-target-group';

/** An endpoint a resource exposes as a property. */
export interface EndpointSpec {
  readonly kind: EndpointKind;
  /** The value is `host:port`, not a hostname. */
  readonly withPort?: boolean;
}

export interface ConstructSpec {
  readonly tool: StackTool;
  readonly role: ConstructRole;
  /** The class as messages name it, e.g. `rds.DatabaseProxy`, `aws.rds.Proxy`. */
  readonly label: string;
  /** Index of the props (args) argument: CDK `(scope, id, props)`, Pulumi `(name, args, opts)`. */
  readonly propsIndex: number;
  /** Index of the construct id / resource name argument. */
  readonly idIndex: number;
  /** Functions: where the environment variables are in the props. */
  readonly environment?: readonly string[];
  /**
   * Properties that hold endpoints, by member path from the resource (`instanceEndpoint.hostname`; `*` is any
   * index).
   */
  readonly endpoints?: Readonly<Record<string, EndpointSpec>>;
  /** Props that hold a database password (a string or a CDK `SecretValue`). */
  readonly passwordProps?: readonly string[];
  /** The prop that requires TLS from clients (proxies), and its default when absent. */
  readonly requireTls?: { readonly key: string; readonly default: boolean };
  /** A type (interface) only: it never appears in `new`. */
  readonly typeOnly?: boolean;
}

/** Static calls and helpers the analysis follows. */
export type CallRole =
  /** `DatabaseInstance.fromDatabaseInstanceAttributes(...)`, `aws.rds.Cluster.get(...)`: an existing resource. */
  | 'lookup'
  /** CDK `ProxyTarget.fromInstance(db)` / `fromCluster(cluster)`. */
  | 'proxy-target'
  /** CDK `Credentials.fromPassword(username, password)` (argument 1). */
  | 'credentials-password'
  /** CDK `Credentials.fromUsername(username, { password })`. */
  | 'credentials-username'
  /** CDK `SnapshotCredentials.fromPassword(password)` (argument 0). */
  | 'snapshot-password'
  /** CDK `SecretValue.unsafePlainText(text)` / `SecretValue.plainText(text)`: the text is the secret. */
  | 'plain-secret'
  /** Pulumi `pulumi.secret(value)` / `pulumi.output(value)`: the value as it is. */
  | 'wrap'
  /** Pulumi `pulumi.concat(...)`: a string of its arguments. */
  | 'concat';

export interface CallSpec {
  readonly tool: StackTool;
  readonly role: CallRole;
  readonly label: string;
  /** For lookups: what the call returns. */
  readonly resource?: ConstructSpec;
}

/** What the tracker reports for each reference (the info of the trace map). */
export type TrackedInfo =
  | { readonly type: 'construct'; readonly spec: ConstructSpec }
  | { readonly type: 'call'; readonly spec: CallSpec }
  | { readonly type: 'interpolate' };

/** Marks a trace-map node that names a class or interface usable in a type annotation. */
export const TYPE: unique symbol = Symbol('type');

// --- CDK ----------------------------------------------------------------------------------------------------

const cdk = (role: ConstructRole, label: string, extra: Partial<ConstructSpec> = {}): ConstructSpec => ({
  tool: 'cdk',
  role,
  label,
  propsIndex: 2,
  idIndex: 1,
  ...extra,
});

const HOST_AND_SOCKET = (prefix: string, kind: EndpointKind): Record<string, EndpointSpec> => ({
  [`${prefix}.hostname`]: { kind },
  [`${prefix}.socketAddress`]: { kind, withPort: true },
});

const CDK_INSTANCE_ENDPOINTS: Record<string, EndpointSpec> = {
  dbInstanceEndpointAddress: { kind: 'instance' },
  ...HOST_AND_SOCKET('instanceEndpoint', 'instance'),
};
const CDK_CLUSTER_ENDPOINTS: Record<string, EndpointSpec> = {
  ...HOST_AND_SOCKET('clusterEndpoint', 'cluster-writer'),
  ...HOST_AND_SOCKET('clusterReadEndpoint', 'cluster-reader'),
  ...HOST_AND_SOCKET('instanceEndpoints.*', 'instance'),
};

const cdkInstance = (name: string, extra: Partial<ConstructSpec> = {}): ConstructSpec =>
  cdk('instance', `rds.${name}`, { endpoints: CDK_INSTANCE_ENDPOINTS, passwordProps: ['masterUserPassword'], ...extra });
const cdkCluster = (name: string, extra: Partial<ConstructSpec> = {}): ConstructSpec =>
  cdk('cluster', `rds.${name}`, { endpoints: CDK_CLUSTER_ENDPOINTS, passwordProps: ['masterUser.password'], ...extra });

/** CDK classes of the RDS module, by export name. */
const CDK_RDS: Record<string, ConstructSpec> = {
  DatabaseInstance: cdkInstance('DatabaseInstance'),
  DatabaseInstanceFromSnapshot: cdkInstance('DatabaseInstanceFromSnapshot'),
  DatabaseInstanceReadReplica: cdkInstance('DatabaseInstanceReadReplica'),
  DatabaseCluster: cdkCluster('DatabaseCluster'),
  DatabaseClusterFromSnapshot: cdkCluster('DatabaseClusterFromSnapshot'),
  ServerlessCluster: cdkCluster('ServerlessCluster'),
  ServerlessClusterFromSnapshot: cdkCluster('ServerlessClusterFromSnapshot'),
  DatabaseProxy: cdk('proxy', 'rds.DatabaseProxy', {
    endpoints: { endpoint: { kind: 'proxy' } },
    requireTls: { key: 'requireTLS', default: true },
  }),
  DatabaseProxyEndpoint: cdk('proxy-endpoint', 'rds.DatabaseProxyEndpoint', { endpoints: { endpoint: { kind: 'proxy-endpoint' } } }),
  CfnDBInstance: cdk('instance', 'rds.CfnDBInstance', {
    endpoints: { attrEndpointAddress: { kind: 'instance' } },
    passwordProps: ['masterUserPassword'],
  }),
  CfnDBCluster: cdk('cluster', 'rds.CfnDBCluster', {
    endpoints: { attrEndpointAddress: { kind: 'cluster-writer' }, attrReadEndpointAddress: { kind: 'cluster-reader' } },
    passwordProps: ['masterUserPassword'],
  }),
  CfnDBProxy: cdk('proxy', 'rds.CfnDBProxy', {
    endpoints: { attrEndpoint: { kind: 'proxy' } },
    requireTls: { key: 'requireTls', default: false },
  }),
  CfnDBProxyEndpoint: cdk('proxy-endpoint', 'rds.CfnDBProxyEndpoint', { endpoints: { attrEndpoint: { kind: 'proxy-endpoint' } } }),
  CfnDBProxyTargetGroup: cdk('proxy-target', 'rds.CfnDBProxyTargetGroup'),
  // Interfaces (type annotations only).
  IDatabaseInstance: cdkInstance('IDatabaseInstance', { typeOnly: true }),
  IDatabaseCluster: cdkCluster('IDatabaseCluster', { typeOnly: true }),
  IServerlessCluster: cdkCluster('IServerlessCluster', { typeOnly: true }),
  IDatabaseProxy: cdk('proxy', 'rds.IDatabaseProxy', { endpoints: { endpoint: { kind: 'proxy' } }, typeOnly: true }),
};

/** What `db.addProxy(id, options)` creates. */
export const CDK_DATABASE_PROXY: ConstructSpec = CDK_RDS.DatabaseProxy!;

/** Static methods of the RDS module's classes. */
const CDK_RDS_CALLS: Record<string, Record<string, CallSpec>> = {
  DatabaseInstance: {
    fromDatabaseInstanceAttributes: { tool: 'cdk', role: 'lookup', label: 'rds.DatabaseInstance', resource: CDK_RDS.DatabaseInstance },
    fromLookup: { tool: 'cdk', role: 'lookup', label: 'rds.DatabaseInstance', resource: CDK_RDS.DatabaseInstance },
  },
  DatabaseCluster: {
    fromDatabaseClusterAttributes: { tool: 'cdk', role: 'lookup', label: 'rds.DatabaseCluster', resource: CDK_RDS.DatabaseCluster },
    fromLookup: { tool: 'cdk', role: 'lookup', label: 'rds.DatabaseCluster', resource: CDK_RDS.DatabaseCluster },
  },
  ServerlessCluster: {
    fromServerlessClusterAttributes: { tool: 'cdk', role: 'lookup', label: 'rds.ServerlessCluster', resource: CDK_RDS.ServerlessCluster },
  },
  DatabaseProxy: {
    fromDatabaseProxyAttributes: { tool: 'cdk', role: 'lookup', label: 'rds.DatabaseProxy', resource: CDK_RDS.DatabaseProxy },
  },
  ProxyTarget: {
    fromInstance: { tool: 'cdk', role: 'proxy-target', label: 'rds.ProxyTarget.fromInstance' },
    fromCluster: { tool: 'cdk', role: 'proxy-target', label: 'rds.ProxyTarget.fromCluster' },
  },
  Credentials: {
    fromPassword: { tool: 'cdk', role: 'credentials-password', label: 'Credentials.fromPassword()' },
    fromUsername: { tool: 'cdk', role: 'credentials-username', label: 'Credentials.fromUsername()' },
  },
  SnapshotCredentials: {
    fromPassword: { tool: 'cdk', role: 'snapshot-password', label: 'SnapshotCredentials.fromPassword()' },
  },
};

const cdkFunction = (label: string, environment: readonly string[] = ['environment']): ConstructSpec =>
  cdk('function', label, { environment });

const CDK_LAMBDA: Record<string, ConstructSpec> = {
  Function: cdkFunction('lambda.Function'),
  SingletonFunction: cdkFunction('lambda.SingletonFunction'),
  DockerImageFunction: cdkFunction('lambda.DockerImageFunction'),
  CfnFunction: cdkFunction('lambda.CfnFunction', ['environment', 'variables']),
};
const CDK_LAMBDA_NODEJS: Record<string, ConstructSpec> = {
  NodejsFunction: cdkFunction('NodejsFunction'),
};

const CDK_CORE_CALLS: Record<string, Record<string, CallSpec>> = {
  SecretValue: {
    unsafePlainText: { tool: 'cdk', role: 'plain-secret', label: 'SecretValue.unsafePlainText()' },
    plainText: { tool: 'cdk', role: 'plain-secret', label: 'SecretValue.plainText()' },
  },
};

/** CDK modules: the v2 submodule paths and v1 packages, and the v2 root namespace of each. */
const CDK_MODULES = {
  rds: { modules: ['aws-cdk-lib/aws-rds', '@aws-cdk/aws-rds'], namespace: 'aws_rds' },
  lambda: { modules: ['aws-cdk-lib/aws-lambda', '@aws-cdk/aws-lambda'], namespace: 'aws_lambda' },
  nodejs: { modules: ['aws-cdk-lib/aws-lambda-nodejs', '@aws-cdk/aws-lambda-nodejs'], namespace: 'aws_lambda_nodejs' },
  core: { modules: ['aws-cdk-lib/core', '@aws-cdk/core'], namespace: undefined },
} as const;

// --- Pulumi -------------------------------------------------------------------------------------------------

const pulumi = (role: ConstructRole, label: string, extra: Partial<ConstructSpec> = {}): ConstructSpec => ({
  tool: 'pulumi',
  role,
  label,
  propsIndex: 1,
  idIndex: 0,
  ...extra,
});

const PULUMI_RDS: Record<string, ConstructSpec> = {
  // `endpoint` of an instance is `address:port`; `address` is the hostname.
  Instance: pulumi('instance', 'aws.rds.Instance', {
    endpoints: { address: { kind: 'instance' }, endpoint: { kind: 'instance', withPort: true } },
    passwordProps: ['password', 'passwordWo'],
  }),
  ClusterInstance: pulumi('instance', 'aws.rds.ClusterInstance', { endpoints: { endpoint: { kind: 'instance' } } }),
  Cluster: pulumi('cluster', 'aws.rds.Cluster', {
    endpoints: { endpoint: { kind: 'cluster-writer' }, readerEndpoint: { kind: 'cluster-reader' } },
    passwordProps: ['masterPassword', 'masterPasswordWo'],
  }),
  ClusterEndpoint: pulumi('cluster', 'aws.rds.ClusterEndpoint', { endpoints: { endpoint: { kind: 'cluster-custom' } } }),
  Proxy: pulumi('proxy', 'aws.rds.Proxy', {
    endpoints: { endpoint: { kind: 'proxy' } },
    requireTls: { key: 'requireTls', default: false },
  }),
  ProxyEndpoint: pulumi('proxy-endpoint', 'aws.rds.ProxyEndpoint', { endpoints: { endpoint: { kind: 'proxy-endpoint' } } }),
  ProxyTarget: pulumi('proxy-target', 'aws.rds.ProxyTarget'),
  ProxyDefaultTargetGroup: pulumi('proxy-target-group', 'aws.rds.ProxyDefaultTargetGroup'),
};

const PULUMI_LAMBDA: Record<string, ConstructSpec> = {
  Function: pulumi('function', 'aws.lambda.Function', { environment: ['environment', 'variables'] }),
  CallbackFunction: pulumi('function', 'aws.lambda.CallbackFunction', { environment: ['environment', 'variables'] }),
};

const PULUMI_MODULES = {
  rds: { modules: ['@pulumi/aws/rds'], namespace: 'rds' },
  lambda: { modules: ['@pulumi/aws/lambda'], namespace: 'lambda' },
} as const;

// --- Trace map ----------------------------------------------------------------------------------------------

/** Every module the catalogue names (for the cheap text prefilter). */
export const IAC_MODULES: readonly string[] = [
  'aws-cdk-lib',
  ...Object.values(CDK_MODULES).flatMap((m) => m.modules),
  '@pulumi/aws',
  ...Object.values(PULUMI_MODULES).flatMap((m) => m.modules),
  '@pulumi/pulumi',
];

function buildTraceMap(): Record<string, TraceMap> {
  const map: Record<string, TraceMap> = {};
  const at = (module: string, path: readonly string[]): TraceMap => {
    let node: TraceMap = (map[module] ??= {});
    for (const key of path) node = (node[key] ??= {}) as TraceMap;
    return node;
  };
  /** Every place a class or static of a CDK / Pulumi submodule is reached from. */
  const places = (group: { modules: readonly string[]; namespace: string | undefined }, root: string): Array<[string, string[]]> => [
    ...group.modules.map((m): [string, string[]] => [m, []]),
    [root, group.namespace ? [group.namespace] : []],
  ];
  const addClasses = (group: { modules: readonly string[]; namespace: string | undefined }, root: string, classes: Record<string, ConstructSpec>) => {
    for (const [module, prefix] of places(group, root)) {
      for (const [name, spec] of Object.entries(classes)) {
        const node = at(module, [...prefix, name]);
        node[TYPE] = spec;
        if (!spec.typeOnly) node[CONSTRUCT] = { type: 'construct', spec } satisfies TrackedInfo;
      }
    }
  };
  const addCalls = (group: { modules: readonly string[]; namespace: string | undefined }, root: string, calls: Record<string, Record<string, CallSpec>>) => {
    for (const [module, prefix] of places(group, root)) {
      for (const [owner, methods] of Object.entries(calls)) {
        for (const [method, spec] of Object.entries(methods)) {
          at(module, [...prefix, owner, method])[CALL] = { type: 'call', spec } satisfies TrackedInfo;
        }
      }
    }
  };
  addClasses(CDK_MODULES.rds, 'aws-cdk-lib', CDK_RDS);
  addCalls(CDK_MODULES.rds, 'aws-cdk-lib', CDK_RDS_CALLS);
  addClasses(CDK_MODULES.lambda, 'aws-cdk-lib', CDK_LAMBDA);
  addClasses(CDK_MODULES.nodejs, 'aws-cdk-lib', CDK_LAMBDA_NODEJS);
  addCalls(CDK_MODULES.core, 'aws-cdk-lib', CDK_CORE_CALLS);

  addClasses(PULUMI_MODULES.rds, '@pulumi/aws', PULUMI_RDS);
  addClasses(PULUMI_MODULES.lambda, '@pulumi/aws', PULUMI_LAMBDA);
  const pulumiLookups: Record<string, Record<string, CallSpec>> = {};
  for (const [name, spec] of Object.entries(PULUMI_RDS)) {
    if (spec.role === 'instance' || spec.role === 'cluster' || spec.role === 'proxy') {
      pulumiLookups[name] = { get: { tool: 'pulumi', role: 'lookup', label: spec.label, resource: spec } };
    }
  }
  addCalls(PULUMI_MODULES.rds, '@pulumi/aws', pulumiLookups);

  const sdk = at('@pulumi/pulumi', []);
  (sdk.interpolate = {} as TraceMap)[READ] = { type: 'interpolate' } satisfies TrackedInfo;
  for (const name of ['secret', 'output']) {
    (sdk[name] = {} as TraceMap)[CALL] = { type: 'call', spec: { tool: 'pulumi', role: 'wrap', label: `pulumi.${name}()` } } satisfies TrackedInfo;
  }
  (sdk.concat = {} as TraceMap)[CALL] = { type: 'call', spec: { tool: 'pulumi', role: 'concat', label: 'pulumi.concat()' } } satisfies TrackedInfo;
  return map;
}

export const IAC_TRACE_MAP: Record<string, TraceMap> = buildTraceMap();

/** The last property name of every endpoint path (`hostname`, `endpoint`...): a cheap test before any resolution. */
export const ENDPOINT_LEAVES: ReadonlySet<string> = new Set(
  [...Object.values(CDK_RDS), ...Object.values(PULUMI_RDS)].flatMap((spec) =>
    Object.keys(spec.endpoints ?? {}).map((path) => path.slice(path.lastIndexOf('.') + 1)),
  ),
);

/**
 * The class or interface a module path names (`aws-cdk-lib`, `['aws_rds', 'DatabaseCluster']`), for type
 * annotations. A leading `default` (a default import of a CommonJS module) is skipped.
 */
export function typeAt(module: string, path: readonly string[]): ConstructSpec | undefined {
  let node: TraceMap | undefined = Object.hasOwn(IAC_TRACE_MAP, module) ? IAC_TRACE_MAP[module] : undefined;
  const keys = path[0] === 'default' ? path.slice(1) : path;
  for (const key of keys) {
    if (!node || !Object.hasOwn(node, key)) return undefined;
    node = node[key] as TraceMap;
  }
  return node?.[TYPE] as ConstructSpec | undefined;
}

const MENTION = new RegExp(
  `['"\`](?:aws-cdk-lib(?:/[a-z-]+)?|@aws-cdk/(?:aws-rds|aws-lambda|aws-lambda-nodejs|core)|@pulumi/aws(?:/rds|/lambda)?)['"\`]`,
);

/**
 * Words one of the catalogued constructs needs in the text: a Lambda function's class (`…Function`, or
 * `addEnvironment`), an RDS class (`Database…`, `CfnDB…`, `ServerlessCluster…`, Pulumi `rds.Instance` /
 * `rds.Cluster` / `rds.Proxy` or the `@pulumi/aws/rds` module), or the credentials helpers. Stack files without any
 * (an app's entry point, a VPC or bucket construct) have nothing to check.
 */
const CONSTRUCT_WORDS = /Function|addEnvironment|Database|CfnDB|Serverless|Credentials|\brds\b/;

/**
 * A cheap test of the raw text: does the file import a CDK or Pulumi module the catalogue knows, and name a construct
 * of the catalogue?
 */
export function mentionsIacModule(text: string): boolean {
  if (!text.includes('aws-cdk') && !text.includes('@pulumi/aws')) return false;
  return MENTION.test(text) && CONSTRUCT_WORDS.test(text);
}
