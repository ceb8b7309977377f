import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { createRule } from '../util/create-rule.js';
import { getFileAnalysis, type FileAnalysis } from '../core/analysis.js';
import type { InstanceKind } from '../core/drivers/catalogue.js';
import { enclosingFunction, getPropertyName, immediateCall, isFunctionNode, unwrapExpression, type FunctionNode } from '../core/ast/nodes.js';
import { findVariable, innermostScope, isLongLivedTarget, isModuleScope, type Variable } from '../core/ast/scope.js';
import { walk } from '../core/ast/walk.js';
import {
  getConnectionConfigs,
  type ConfigSetting,
  type ConfigValue,
  type ResolvedConfig,
  type UriPartValue,
  type ValueResolver,
} from '../core/config/index.js';

export type Options = [];
export type MessageIds = 'tokenInLongLivedPool' | 'tokenFetchedOnce' | 'suggestTokenFunction';

/** How long an IAM token is valid, in milliseconds. */
const TOKEN_LIFETIME_MS = 15 * 60 * 1000;
const MAX_CALL_TEXT = 80;

/** Drivers that are not RDS databases. */
const NOT_RDS = new Set(['neon', 'vercel-postgres']);

type Lifetime = 'invocation' | 'long' | 'unknown';

const KIND_NAMES: Record<InstanceKind, string> = {
  pool: 'pool',
  orm: 'client',
  managed: 'client',
  client: 'connection',
};

/** The fix for a pool or client with a password function: node-postgres, postgres.js, TypeORM (PostgreSQL). */
const PASSWORD_FUNCTION = 'pass `password: () => signer.getAuthToken()`';
const MYSQL2_PLUGIN = 'use an `authPlugins.mysql_clear_password` plugin';
const MIDDY_FIX = "set the middleware's `cacheExpiry` below 15 minutes";
const RECREATE_POOL = 'recreate the pool with a fresh token before then';

export default createRule<Options, MessageIds>({
  name: 'no-static-iam-token',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow RDS IAM authentication tokens fetched once and used for connections opened later',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      tokenInLongLivedPool: 'This {{kind}} keeps connecting with an IAM token that expires after 15 minutes; {{fix}}.',
      tokenFetchedOnce: 'The IAM token, valid for 15 minutes, is fetched once but used on every invocation; {{fix}}.',
      suggestTokenFunction: 'Pass `() => {{call}}` to fetch a fresh token for each new connection.',
    },
  },
  create(context) {
    const files = getConnectionConfigs(context);
    if (!files || files.resolver.iam.isEmpty) return {};
    const { resolver } = files;
    const sourceCode = context.sourceCode;
    const analysis = getFileAnalysis(context);
    const scope = sourceCode.scopeManager!.globalScope!;
    const reported = new Set<TSESTree.Node>();

    /** When a node runs: on each invocation, once per execution environment, or unknown. */
    function lifetime(node: TSESTree.Node): Lifetime {
      if (analysis?.isLambda && analysis.invocation.handlerFor(node)) return 'invocation';
      if (atModuleLevel(node)) return 'long';
      if (analysis?.invocation.isCached(node)) return 'long';
      const fn = outerFunction(node);
      if (fn && (calledAtModuleLevel(fn, sourceCode) || settlesAtModuleLevel(fn))) return 'long';
      return 'unknown';
    }

    function instanceLifetime(config: ResolvedConfig): Lifetime {
      const life = lifetime(config.site.node);
      if (life !== 'unknown') return life;
      const binding = config.site.instance?.binding;
      if (binding?.type === AST_NODE_TYPES.AssignmentExpression && isLongLivedTarget(scope, binding.left)) return 'long';
      return 'unknown';
    }

    function tokenLifetime(value: ConfigValue): Lifetime | 'fresh' {
      if (value.kind === 'iam-token') {
        const expiry = resolver.iam.middyCacheExpiry.get(value.key);
        if (expiry === undefined) return 'unknown';
        return expiry < 0 || expiry >= TOKEN_LIFETIME_MS ? 'long' : 'fresh';
      }
      return lifetime(value.node);
    }

    function checkConfig(config: ResolvedConfig): void {
      if (config.engine === 'sqlserver' || NOT_RDS.has(config.site.driver.id) || refreshesToken(config, analysis)) return;
      const tokens = staticTokens(config, resolver);
      if (tokens.length === 0) return;
      const kind = instanceKind(config);
      const instanceLife = instanceLifetime(config);
      for (const token of tokens) {
        if (reported.has(token.node)) continue;
        if (kind !== 'client' && instanceLife === 'long') {
          reported.add(token.node);
          context.report({
            node: token.node,
            messageId: 'tokenInLongLivedPool',
            // A `@middy/rds-signer` token is fixed when the pool is created, too: the pool needs its own token source.
            data: { kind: KIND_NAMES[kind], fix: fixFor(config) },
            suggest: suggestions(config, token),
          });
          continue;
        }
        if (instanceLife !== 'invocation' || tokenLifetime(token.value) !== 'long') continue;
        if (!analysis?.invocation.handlerFor(config.site.node)) continue;
        reported.add(token.node);
        context.report({
          node: token.node,
          messageId: 'tokenFetchedOnce',
          // Fetched at start-up, or kept by `@middy/rds-signer` (`cacheExpiry` unset, `-1` or over 15 minutes).
          data: { fix: token.value.kind === 'iam-token' ? MIDDY_FIX : fixFor(config) },
          suggest: suggestions(config, token),
        });
      }
    }

    /** `() => signer.getAuthToken()` in place of the token, for drivers that accept a password function. */
    function suggestions(config: ResolvedConfig, token: StaticToken): TSESLint.SuggestionReportDescriptor<MessageIds>[] {
      if (!acceptsPasswordFunction(config) || token.setting?.entry.kind !== 'property') return [];
      const value = token.value;
      if (value.kind !== 'call' || value.node.type !== AST_NODE_TYPES.CallExpression) return [];
      const call = value.node;
      const text = sourceCode.getText(call);
      const target = token.setting.entry.expression;
      const holder = token.setting.entry.holder;
      if (text.length > MAX_CALL_TEXT || !movable(call, target)) return [];
      return [
        {
          messageId: 'suggestTokenFunction',
          data: { call: text },
          // `{ password }` becomes `{ password: () => … }`.
          fix: (fixer) =>
            holder.type === AST_NODE_TYPES.Property && holder.shorthand
              ? fixer.replaceText(holder, `${sourceCode.getText(holder.key)}: () => ${text}`)
              : fixer.replaceText(target, `() => ${text}`),
        },
      ];
    }

    /** Whether the call reads only module-scope bindings that mean the same where the function would be written. */
    function movable(call: TSESTree.CallExpression, target: TSESTree.Node): boolean {
      let ok = true;
      const at = innermostScope(scope, target);
      walk(call, sourceCode.visitorKeys, (node) => {
        if (!ok) return false;
        if (isFunctionNode(node) || node.type === AST_NODE_TYPES.AwaitExpression || node.type === AST_NODE_TYPES.ThisExpression) {
          ok = false;
          return false;
        }
        if (node.type === AST_NODE_TYPES.Identifier && !isPropertyName(node) && !sameBinding(node, at)) ok = false;
        return undefined;
      });
      return ok;
    }

    function sameBinding(id: TSESTree.Identifier, at: TSESLint.Scope.Scope): boolean {
      const variable = findVariable(scope, id);
      if (variable && variable.defs.length > 0 && !isModuleScope(variable.scope)) return false;
      return lookup(at, id.name) === variable;
    }

    return {
      'Program:exit'() {
        for (const config of files.configs) checkConfig(config);
      },
    };
  },
});

interface StaticToken {
  /** Where it is reported: the value in the config, or the `${}` of a connection string. */
  readonly node: TSESTree.Node;
  readonly value: ConfigValue;
  readonly setting: ConfigSetting | undefined;
}

/** Token strings (not functions) among the config's passwords, URI passwords included. */
function staticTokens(config: ResolvedConfig, resolver: ValueResolver): StaticToken[] {
  const out: StaticToken[] = [];
  for (const setting of config.get('password')) {
    const value = setting.value;
    if (value.kind === 'uri-part') {
      for (const hole of uriHoles(value)) {
        for (const v of holeValues(hole, resolver)) {
          if (isStaticToken(v, resolver)) {
            out.push({ node: hole, value: v, setting: undefined });
          }
        }
      }
      continue;
    }
    if (!isStaticToken(value, resolver) || passwordFreshPerConnection(setting)) continue;
    out.push({ node: setting.entry.expression, value, setting });
  }
  return out;
}

function isStaticToken(value: ConfigValue, resolver: ValueResolver): boolean {
  if (value.kind === 'function' || !resolver.isIamToken(value)) return false;
  // `signer.getAuthToken.bind(signer)` is a function, called for each connection.
  if (value.kind === 'call' && value.node.type === AST_NODE_TYPES.CallExpression) {
    const callee = unwrapExpression(value.node.callee);
    if (callee.type === AST_NODE_TYPES.MemberExpression && getPropertyName(callee) === 'bind') return false;
  }
  return true;
}

const ENCODERS = new Set(['encodeURIComponent', 'encodeURI', 'String']);

/** The values of a `${}` in a URI, looking through `encodeURIComponent(token)`. */
function holeValues(hole: TSESTree.Node, resolver: ValueResolver, depth = 0): ConfigValue[] {
  const out: ConfigValue[] = [];
  for (const value of resolver.values(hole)) {
    const call = value.node;
    if (value.kind === 'call' && call.type === AST_NODE_TYPES.CallExpression && depth < 2) {
      const callee = unwrapExpression(call.callee);
      const argument = call.arguments[0];
      if (callee.type === AST_NODE_TYPES.Identifier && ENCODERS.has(callee.name) && argument && argument.type !== AST_NODE_TYPES.SpreadElement) {
        out.push(...holeValues(argument, resolver, depth + 1));
        continue;
      }
    }
    out.push(value);
  }
  return out;
}

/** The `${}` expressions inside a URI's password. */
function uriHoles(value: UriPartValue): TSESTree.Node[] {
  const { text } = value.uri;
  const out: TSESTree.Node[] = [];
  text.segments.forEach((segment, i) => {
    const start = text.offsets[i]!;
    const end = start + segment.text.length;
    if (segment.hole && start < value.span.end && end > value.span.start) out.push(segment.node);
  });
  return out;
}

/** knex re-reads a `connection` function's result when its `expirationChecker` says so. */
function passwordFreshPerConnection(setting: ConfigSetting): boolean {
  const holder = setting.entry.holder;
  if (holder.type !== AST_NODE_TYPES.Property || holder.parent.type !== AST_NODE_TYPES.ObjectExpression) return false;
  return holder.parent.properties.some(
    (p) => p.type === AST_NODE_TYPES.Property && !p.computed && keyName(p) === 'expirationChecker',
  );
}

function keyName(property: TSESTree.Property): string | undefined {
  if (property.key.type === AST_NODE_TYPES.Identifier) return property.key.name;
  if (property.key.type === AST_NODE_TYPES.Literal && typeof property.key.value === 'string') return property.key.value;
  return undefined;
}

/**
 * The config already fetches a token per connection another way: a Sequelize `beforeConnect` hook (in `hooks` or
 * added to the instance), or a mysql2 `authPlugins` entry that makes the token.
 */
function refreshesToken(config: ResolvedConfig, analysis: FileAnalysis | null): boolean {
  if (config.lookup('hooks.beforeConnect').length > 0) return true;
  if (config.lookup('authPlugins').length > 0 || config.lookup('extra.authPlugins').length > 0) return true;
  if (config.lookup('dialectOptions.authPlugins').length > 0 || config.lookup('connection.authPlugins').length > 0) return true;
  const instance = config.site.instance;
  if (analysis && instance && config.site.driver.id === 'sequelize') {
    for (const call of analysis.instanceCalls((i) => (i === instance ? ['beforeConnect', 'addHook'] : undefined))) {
      if (call.method === 'beforeConnect') return true;
      const name = call.node.arguments[0];
      if (name?.type === AST_NODE_TYPES.Literal && name.value === 'beforeConnect') return true;
    }
  }
  return false;
}

function instanceKind(config: ResolvedConfig): InstanceKind {
  if (config.site.instance) return config.site.instance.creator.kind;
  // Config calls: serverless-mysql `mysql.config()`, serverless-postgres `client.setConfig()` configure a managed
  // client; pool-cluster `add()` and the Prisma driver adapters create pools.
  return config.site.driver.id.startsWith('serverless-') ? 'managed' : 'pool';
}

function acceptsPasswordFunction(config: ResolvedConfig): boolean {
  switch (config.site.driver.id) {
    case 'pg':
    case 'pg-pool':
    case 'pg-promise':
    case 'postgres':
      return true;
    case 'typeorm':
      return config.engine === 'postgresql';
    default:
      return false;
  }
}

/** The driver's way of giving each new connection a fresh token (domain notes §3.5; the rule's doc page has each in full). */
function fixFor(config: ResolvedConfig): string {
  const { site } = config;
  switch (site.driver.id) {
    case 'pg':
    case 'pg-pool':
    case 'pg-promise':
    case 'postgres':
      return PASSWORD_FUNCTION;
    case 'serverless-postgres':
      return 'set a fresh token with `setConfig()` before `connect()`';
    case 'mysql2':
    case 'serverless-mysql':
      return MYSQL2_PLUGIN;
    case 'mysql':
      return 'switch to mysql2, which can fetch a token per connection';
    case 'mariadb':
    case 'slonik':
      return RECREATE_POOL;
    case 'knex':
      return 'use a `connection` function with an `expirationChecker`';
    case 'sequelize':
      return 'set the password in a `beforeConnect` hook';
    case 'typeorm':
      return config.engine === 'postgresql' ? PASSWORD_FUNCTION : 'use `extra.authPlugins.mysql_clear_password`';
    case 'prisma':
      return 'use a driver adapter whose pool fetches a token';
    case 'drizzle':
      return 'pass `drizzle({ client })` a pool that fetches tokens';
    default:
      return 'fetch a fresh token for each new connection';
  }
}

/** Not inside any function, or only inside functions that run at once (IIFEs) at module level. */
function atModuleLevel(node: TSESTree.Node): boolean {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    if (fn.type === AST_NODE_TYPES.FunctionDeclaration || !immediateCall(fn)) return false;
  }
  return true;
}

/** The outermost function around a node that is not an IIFE. */
function outerFunction(node: TSESTree.Node): FunctionNode | undefined {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    if (fn.type === AST_NODE_TYPES.FunctionDeclaration || !immediateCall(fn)) return fn;
  }
  return undefined;
}

/** An initialisation function: a named function the module calls at module level (`const pool = await init()`). */
function calledAtModuleLevel(fn: FunctionNode, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  let variables: readonly Variable[] = [];
  if (fn.type === AST_NODE_TYPES.FunctionDeclaration) {
    variables = sourceCode.scopeManager!.getDeclaredVariables(fn);
  } else {
    let top: TSESTree.Node = fn;
    while (top.parent && unwrapExpression(top.parent) !== top.parent) top = top.parent;
    if (top.parent?.type === AST_NODE_TYPES.VariableDeclarator && top.parent.init === top) {
      variables = sourceCode.scopeManager!.getDeclaredVariables(top.parent);
    }
  }
  for (const variable of variables) {
    for (const ref of variable.references) {
      const id = ref.identifier as TSESTree.Node;
      let callee: TSESTree.Node = id;
      while (callee.parent && unwrapExpression(callee.parent) !== callee.parent) callee = callee.parent;
      const call = callee.parent;
      if (call?.type === AST_NODE_TYPES.CallExpression && call.callee === callee && atModuleLevel(call)) return true;
    }
  }
  return false;
}

/**
 * A callback of a promise chain started at module level (`signer.getAuthToken().then((token) => createPool(…))`):
 * it runs once, when the promise settles.
 */
function settlesAtModuleLevel(fn: FunctionNode): boolean {
  let top: TSESTree.Node = fn;
  while (top.parent && unwrapExpression(top.parent) !== top.parent) top = top.parent;
  const call = top.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(top as TSESTree.CallExpressionArgument)) return false;
  const callee = unwrapExpression(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const method = getPropertyName(callee);
  return (method === 'then' || method === 'catch' || method === 'finally') && atModuleLevel(call);
}

/** `b` in `a.b` and `{ b: 1 }`: a name, not a reference. */
function isPropertyName(id: TSESTree.Identifier): boolean {
  const parent = id.parent;
  if (parent?.type === AST_NODE_TYPES.MemberExpression) return parent.property === id && !parent.computed;
  if (parent?.type === AST_NODE_TYPES.Property) return parent.key === id && !parent.computed && !parent.shorthand;
  return false;
}

/** The variable a name refers to from a scope. */
function lookup(scope: TSESLint.Scope.Scope, name: string): Variable | undefined {
  for (let current: TSESLint.Scope.Scope | null = scope; current; current = current.upper) {
    const variable = current.set.get(name);
    if (variable) return variable;
  }
  return undefined;
}
