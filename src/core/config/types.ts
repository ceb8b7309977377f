/**
 * The data model of resolved connection configurations, shared by rules and codemods.
 *
 * A configuration value is resolved to every value it may take (`||`, `??` and ternaries give alternatives), each
 * knowing the source node it comes from: the literal (possibly in a `const` elsewhere in the module), the template,
 * the `process.env` read, the function, the call. Entries know the property, assignment or argument that holds
 * them, so a codemod can rewrite the value where it is written.
 */
import type { TSESTree } from '@typescript-eslint/types';
import type { ConfigKeys, DriverSpec, Engine, PositionalArg } from '../drivers/catalogue.js';
import type { DriverInstance } from '../analysis.js';
import type { FunctionNode } from '../ast/nodes.js';
import type { Variable } from '../ast/scope.js';
import type { ParsedUri, Span } from './uri.js';
import type { StaticText } from './text.js';

interface ValueBase {
  /** Where the value comes from: the literal, template, env read, function, call... */
  readonly node: TSESTree.Node;
  /** The expressions it flowed through to get where it is used (identifiers, member reads), outermost first. */
  readonly via: readonly TSESTree.Node[];
}

/** A literal: `'secret'`, `5432`, `false`, `null`, or a template literal without `${}`. */
export interface LiteralValue extends ValueBase {
  readonly kind: 'literal';
  readonly node: TSESTree.Literal | TSESTree.TemplateLiteral;
  readonly value: string | number | bigint | boolean | null;
}

/** A template literal or `+` concatenation: static parts known, `${}` holes unknown (`HOLE` in `text.text`). */
export interface TemplateValue extends ValueBase {
  readonly kind: 'template';
  readonly text: StaticText;
}

/** `process.env.X`, `process.env['X']`, `const { X } = process.env` (`name` undefined for `process.env` itself). */
export interface EnvValue extends ValueBase {
  readonly kind: 'env';
  readonly name: string | undefined;
}

/** A function (a dynamic password such as `() => signer.getAuthToken()`, a knex `connection` callback...). */
export interface FunctionValue extends ValueBase {
  readonly kind: 'function';
  readonly node: FunctionNode;
  /** The function returns (or awaits) an RDS IAM authentication token. */
  readonly iamToken: boolean;
}

/** The result of a call or `new` (`await signer.getAuthToken()`, `getSecret()`, `JSON.parse(...)`). */
export interface CallValue extends ValueBase {
  readonly kind: 'call';
  readonly node: TSESTree.CallExpression | TSESTree.NewExpression;
  /** The callee as written (`signer.getAuthToken`), when short enough to be useful. */
  readonly callee: string | undefined;
  /** The call returns an RDS IAM authentication token (`@aws-sdk/rds-signer`, AWS SDK v2 `RDS.Signer`). */
  readonly iamToken: boolean;
}

/** An RDS IAM token that `@middy/rds-signer` put on the context or request (`context.rdsToken`). */
export interface IamTokenValue extends ValueBase {
  readonly kind: 'iam-token';
  readonly source: 'middy';
  /** The context/request key the middleware fills (`rdsToken`); see `IamTokens.middyCacheExpiry`. */
  readonly key: string;
}

/** An object literal, resolved. */
export interface ObjectValue extends ValueBase {
  readonly kind: 'object';
  readonly node: TSESTree.ObjectExpression;
  readonly object: ResolvedObject;
}

/** A component of a connection URI used as a setting (`get('password')` of `postgres://u:p@h/db`). */
export interface UriPartValue extends ValueBase {
  readonly kind: 'uri-part';
  readonly part: 'user' | 'password' | 'host' | 'port' | 'database' | 'param';
  /** Lower-cased parameter name for `param`. */
  readonly name: string | undefined;
  /** The component (for `param`, its value) as written, with `HOLE` for unknown parts. */
  readonly span: Span;
  /** For `param`: the whole `key=value`. */
  readonly whole: Span;
  /** The component contains no `${}` hole. */
  readonly known: boolean;
  readonly uri: ConfigUri;
  /** The exact source range of `whole` when it is written verbatim in one literal. */
  readonly range: readonly [number, number] | undefined;
}

/** Anything else: parameters, imports, globals, computed values. */
export interface UnknownValue extends ValueBase {
  readonly kind: 'unknown';
}

export type ConfigValue =
  | LiteralValue
  | TemplateValue
  | EnvValue
  | FunctionValue
  | CallValue
  | IamTokenValue
  | ObjectValue
  | UriPartValue
  | UnknownValue;

/** Where a configuration value is written. */
export interface ConfigEntry {
  /** The property name (`password`), or `#<index>` for a positional argument. */
  readonly key: string;
  readonly kind: 'property' | 'assignment' | 'argument';
  /** The property, the module-scope assignment (`config.ssl = false`) or the call holding the value. */
  readonly holder:
    | TSESTree.Property
    | TSESTree.AssignmentExpression
    | TSESTree.CallExpression
    | TSESTree.NewExpression
    | TSESTree.ObjectExpression;
  /** The value expression as written there. */
  readonly expression: TSESTree.Node;
  /** Every value it may take. */
  readonly values: readonly ConfigValue[];
}

/** An object literal with spreads, `const` references and module-scope property assignments applied. */
export interface ResolvedObject {
  readonly node: TSESTree.ObjectExpression;
  /** The `const`/`let` that holds it, when it is declared as one. */
  readonly variable: Variable | undefined;
  /** False when a spread, `Object.assign` argument or computed key could not be resolved. */
  readonly complete: boolean;
  /** The effective entries of each property name (several when a conditional spread may set it). */
  readonly properties: ReadonlyMap<string, readonly ConfigEntry[]>;
  /** The entries at a dotted path (`connection.ssl`), through nested objects, `const`s and returned objects. */
  get(path: string | readonly string[]): ConfigEntry[];
}

/** A connection URI found in a configuration (a URI key, a positional or bare-string argument). */
export interface ConfigUri {
  /** The config key path it is written at (`connectionString`, `connection`), or `#<index>`. */
  readonly key: string;
  readonly entry: ConfigEntry;
  /** The string value it was parsed from. */
  readonly value: LiteralValue | TemplateValue;
  readonly text: StaticText;
  readonly parsed: ParsedUri;
}

export type ArgumentRole = PositionalArg | 'other';

/** A call that takes connection settings, or a settings object that names the library it is written for. */
export interface ConfigSite {
  /** The call; for a `settings-object` site, the object itself (read as the library's call would read it). */
  readonly node: TSESTree.CallExpression | TSESTree.NewExpression | TSESTree.ObjectExpression;
  readonly driver: DriverSpec;
  readonly module: string;
  /** Human name for messages, e.g. "pg `Pool`". */
  readonly label: string;
  /**
   * `creator`: a creating call of the driver catalogue; `config-call`: another call that takes connection settings
   * (mssql `sql.connect(config)`, mysql `cluster.add(id, config)`, Prisma driver adapters...); `settings-object`: an
   * object literal no call in the file reads that is shaped for one library (knex `{ client, connection }`,
   * Sequelize `{ dialect }`, TypeORM `{ type }`: see `settingsObjectSite`).
   */
  readonly kind: 'creator' | 'config-call' | 'settings-object';
  /** Config keys the call reads. */
  readonly keys: ConfigKeys;
  /** Meanings of its arguments when it is not a single config (see the catalogue's `positional`). */
  readonly positional: readonly (readonly ArgumentRole[])[] | undefined;
  /** The tracked driver instance, for creating calls. */
  readonly instance: DriverInstance | undefined;
  /** The instance a method call configures (serverless-mysql `mysql.config()`, a pool cluster's `add()`). */
  readonly configures?: DriverInstance;
  /** The wait settings the call's config carries, when not the driver's own (`require-connect-timeout`). */
  readonly connectWait?: DriverSpec['connectWait'];
}

export type ConfigRole = keyof ConfigKeys;

/** One possible value of a setting, with where it is written. */
export interface ConfigSetting {
  readonly role: ConfigRole | undefined;
  /** The path from the config root (`connection.password`), `#<index>` for an argument, `<key>#uri` for a URI part. */
  readonly key: string;
  readonly entry: ConfigEntry;
  readonly value: ConfigValue;
}

export interface ConfigArgument {
  readonly index: number;
  readonly role: ArgumentRole;
  readonly entry: ConfigEntry;
}

export interface ResolvedConfig {
  readonly site: ConfigSite;
  readonly arguments: readonly ConfigArgument[];
  /** The config objects (root objects; several when the config argument has alternatives). */
  readonly objects: readonly ResolvedObject[];
  readonly uris: readonly ConfigUri[];
  /**
   * Everything that can configure the connection is known: no unresolved config argument, spread or URI. When
   * false, the absence of a setting proves nothing.
   */
  readonly complete: boolean;
  /** The engine, from the driver or from `client` / `dialect` / `type` / the URI scheme. */
  readonly engine: Engine | undefined;
  /** Every value of a role (`password`, `host`, `ssl`...): config keys, positional arguments and URI parts. */
  get(role: ConfigRole): ConfigSetting[];
  /** Every value at a dotted key path of the config objects. */
  lookup(path: string): ConfigSetting[];
}
