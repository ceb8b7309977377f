/**
 * The data a stack analysis exposes (see `stack.ts`): the Lambda functions of a CDK or Pulumi stack with their
 * environment variables, the databases and RDS Proxies it defines or looks up, and which endpoint each environment
 * variable holds. Rules read it for their stack-code checks; project-level analyses can read what the stack says
 * about the database a function connects to (`StackAnalysis.connections`): its engine family, IAM
 * authentication, whether the proxy requires TLS, the proxy's initialization query.
 */
import type { TSESTree } from '@typescript-eslint/types';
import type { FunctionNode } from '../ast/nodes.js';
import type { EndpointKind } from '../config/hosts.js';
import type { ConfigValue } from '../config/types.js';
import type { Engine } from '../drivers/catalogue.js';
import type { ConstructSpec } from './catalogue.js';
import type { StackProps } from './props.js';

/** A construct or resource of the stack. */
export interface StackResource {
  readonly spec: ConstructSpec;
  /**
   * `new`: created in this file; `lookup`: an existing one (`fromDatabaseInstanceAttributes`, Pulumi `.get()`);
   * `add-proxy`: a proxy created by `db.addProxy(id, options)`; `type`: known only from a type annotation (a
   * parameter or property of another file's construct).
   */
  readonly origin: 'new' | 'lookup' | 'add-proxy' | 'type';
  /** The `new` expression, the call, or the type annotation. */
  readonly node: TSESTree.Node;
  /** The props (CDK) or args (Pulumi), read key by key. */
  readonly props: StackProps | undefined;
  /** The construct id (CDK) or resource name (Pulumi) when it is a string literal. */
  readonly id: string | undefined;
}

/** One environment variable of a Lambda function. */
export interface EnvironmentVariable {
  readonly key: string;
  /** The value as written. */
  readonly expression: TSESTree.Node;
  /** The property (`environment: { KEY: value }`) or the `fn.addEnvironment(key, value)` call. */
  readonly holder: TSESTree.Property | TSESTree.AssignmentExpression | TSESTree.CallExpression | TSESTree.NewExpression;
  /** Every value it may take (literals, env reads with fallbacks, templates...). */
  readonly values: readonly ConfigValue[];
  /** The database and proxy endpoints in the value (whole, or inside a template, `pulumi.interpolate`, `+`). */
  readonly endpoints: readonly EndpointRef[];
}

export interface StackFunction {
  /** The function construct; undefined for `x.addEnvironment(...)` on a function created elsewhere. */
  readonly resource: StackResource | undefined;
  readonly environment: readonly EnvironmentVariable[];
  /** False when part of the environment could not be read (a spread of an unknown object). */
  readonly environmentComplete: boolean;
  /** CDK `handler` / Pulumi `handler` (`'index.handler'`), when a literal. */
  readonly handler: string | undefined;
  /** `NodejsFunction` `entry`, when a literal. */
  readonly entry: string | undefined;
  /** The directory or archive of `Code.fromAsset('dir')` / `new pulumi.asset.FileArchive('dir')`, when a literal. */
  readonly code: string | undefined;
  /** Pulumi `CallbackFunction` `callback`: the handler written inline in the stack. */
  readonly callback: FunctionNode | undefined;
}

export interface StackDatabase {
  readonly resource: StackResource;
  readonly kind: 'instance' | 'cluster';
  /** Engine family from `engine` (`DatabaseInstanceEngine.postgres(...)`, `'aurora-mysql'`...). */
  readonly engine: Engine | undefined;
  /** IAM database authentication turned on (`iamAuthentication`, `iamDatabaseAuthenticationEnabled`), when known. */
  readonly iamAuthentication: boolean | undefined;
  /** The proxies of the stack that target it. */
  readonly proxies: readonly StackProxy[];
}

export interface StackProxy {
  readonly resource: StackResource;
  /** Engine family: the proxy's `engineFamily`, else its target's engine. */
  readonly engine: Engine | undefined;
  /** IAM authentication required from clients (`iamAuth: true`, `auth: [{ iamAuth: 'REQUIRED' }]`, `defaultAuthScheme: 'IAM_AUTH'`). */
  readonly iamAuth: boolean | undefined;
  /** Whether the proxy requires TLS: the literal setting, else the construct's default (undefined when not a literal). */
  readonly requireTls: boolean | undefined;
  /** The `requireTLS` / `requireTls` setting as written, when it is written. */
  readonly requireTlsSetting: { readonly key: string; readonly expression: TSESTree.Node; readonly values: readonly ConfigValue[] } | undefined;
  /** The initialization query of its connection pool, when a literal. */
  readonly initQuery: string | undefined;
  /** The databases it targets. */
  readonly targets: readonly StackDatabase[];
}

/** A database or proxy endpoint read from a resource: `db.instanceEndpoint.hostname`, `proxy.endpoint`. */
export interface EndpointRef {
  /** The member expression that reads it. */
  readonly node: TSESTree.MemberExpression;
  readonly resource: StackResource;
  /** The member path below the resource (`clusterReadEndpoint.hostname`). */
  readonly path: string;
  readonly kind: EndpointKind;
  /** The value is `host:port`. */
  readonly withPort: boolean;
  /** A database's own endpoint, which bypasses RDS Proxy. */
  readonly direct: boolean;
}

/** What the stack says about the database behind one environment variable of a function. */
export interface FunctionConnection {
  readonly function: StackFunction;
  readonly variable: EnvironmentVariable;
  readonly endpoint: EndpointRef;
  /** The proxy whose endpoint it is, or the proxy targeting the database whose endpoint it is (when exactly one). */
  readonly proxy: StackProxy | undefined;
  /** The database whose endpoint it is, or the proxy's target (when exactly one). */
  readonly database: StackDatabase | undefined;
  readonly engine: Engine | undefined;
  /** Clients must use IAM authentication (the proxy requires it), when known. */
  readonly iamAuth: boolean | undefined;
  /** The proxy requires TLS, when known. */
  readonly requireTls: boolean | undefined;
  readonly initQuery: string | undefined;
}
