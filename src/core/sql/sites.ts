/**
 * Where SQL reaches the database in a file: query calls on driver instances (and on connections and
 * transactions derived from them), SQL tags, raw-SQL helpers and SQL in driver configuration. Computed once per
 * `Program` on top of the shared file analysis, so every rule that needs SQL shares one result and one
 * `SqlSource` per expression.
 *
 * Receivers are resolved in this order:
 * 1. a tracked driver instance (`analysis.instances`), or a connection/transaction derived from one
 *    (`await pool.connect()`, `pool.getConnection()`, `knex.transaction(trx => …)`, `pool.on('connect', c => …)`,
 *    config hooks such as pg `onConnect` and knex `pool.afterCreate`, the value of a factory function of the file
 *    that returns the instance);
 * 2. a receiver declared with a driver's instance type (`private connection: Connection` from `mysql2/promise`);
 * 3. otherwise a receiver whose name says it is a database handle (`client`, `pool`, `db`, `conn`, …; see
 *    `receiverWords`), which covers parameters, `this.pool` and handles imported from local modules. Only the
 *    generic query methods and those of the file's own driver count for these.
 * Tags must resolve to a driver's SQL tag (a postgres.js instance, slonik / @vercel/postgres / kysely / drizzle /
 * Prisma exports, Prisma `$queryRaw` members).
 */
import { ReferenceTracker } from '@eslint-community/eslint-utils';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import type { DriverInstance, FileAnalysis } from '../analysis.js';
import { drivers, driverForModule, type DriverSpec, type Engine } from '../drivers/catalogue.js';
import {
  engineModules,
  genericQueryMethods,
  knexClientDrivers,
  ownValue,
  queryApis,
  receiverWords,
  sqlExports,
  tagMembers,
  uriSchemes,
  type EngineOrOther,
  type QueryApi,
  type SqlExport,
} from '../drivers/queries.js';
import { getPropertyName, getStaticString, isFunctionNode, unwrapExpression, type FunctionNode } from '../ast/nodes.js';
import { findVariable, type Variable } from '../ast/scope.js';
import { walk } from '../ast/walk.js';
import { valueParent } from '../modules.js';
import { getSqlSource, type SqlSource } from './source.js';
import { typedInstance } from '../drivers/typed.js';
import { importedReturnType } from '../lambda/cross-file.js';
import { functionOf, lookupProperty, objectOf, resolveValue, staticValue, variableOf } from './static.js';

type SourceCode = Readonly<TSESLint.SourceCode>;

/** Where a receiver or tag comes from. */
export interface SqlOrigin {
  /** `type`: a variable, parameter or field annotated with a driver's instance type (core/drivers/typed.ts). */
  readonly by: 'instance' | 'derived' | 'name' | 'export' | 'type';
  /** The driver whose API the receiver has, when known. */
  readonly driver: DriverSpec | undefined;
  /** The engine the origin itself names (driver, `client`, `dialect`, `type`, module); undefined: not said. */
  readonly engine: EngineOrOther | undefined;
  /** The tracked instance it comes from. */
  readonly instance: DriverInstance | undefined;
}

export interface SqlSite {
  /** The call or tagged template that sends or builds the SQL; for configuration, the config value. */
  readonly node: TSESTree.CallExpression | TSESTree.TaggedTemplateExpression | TSESTree.Node;
  readonly kind: 'call' | 'tag' | 'config';
  /** The method called (`query`, `execute`, …) for calls. */
  readonly method: string | undefined;
  /** The callee's member expression for method calls (`pool.execute`), for reports on the method name. */
  readonly callee: TSESTree.MemberExpression | undefined;
  readonly origin: SqlOrigin;
  /** The engine to check against: the origin's, else the file's, else `settings['lambda-rds'].engine`. */
  readonly engine: Engine | undefined;
  /** The expression that holds the SQL text, if any. */
  readonly sqlNode: TSESTree.Node | undefined;
  /** Its SQL source; null when the text is not static at all (a variable, a call). */
  readonly source: SqlSource | null;
  /** A query-config object passed instead of text (`{ text, name, values }`). */
  readonly queryConfig: TSESTree.ObjectExpression | undefined;
}

export interface FileSql {
  readonly sites: readonly SqlSite[];
  /** The engine the file's driver modules, engine packages and tracked instances agree on, if they do. */
  readonly fileEngine: Engine | undefined;
  /** The engine a tracked instance names (driver, `client`, `dialect`, `type`, module). */
  engineOf(instance: DriverInstance): EngineOrOther | undefined;
}

const cache = new WeakMap<object, FileSql>();

/**
 * The nodes the site finder looks at: calls that may send SQL (`isSqlCallCandidate`) and tagged templates. A
 * rule collects them during ESLint's own traversal and passes them in, which spares a second walk of the file.
 */
export interface SqlCandidates {
  readonly calls: readonly TSESTree.CallExpression[];
  readonly tags: readonly TSESTree.TaggedTemplateExpression[];
}

/**
 * The SQL sites of the analysed file (computed once per `Program`). Without `candidates`, the file is walked to
 * find them.
 */
export function getFileSql(analysis: FileAnalysis, candidates?: SqlCandidates): FileSql {
  const key = analysis.sourceCode.ast;
  let result = cache.get(key);
  if (!result) cache.set(key, (result = findSites(analysis, candidates ?? collectCandidates(analysis.sourceCode))));
  return result;
}

/** A call that may send SQL or load a module: `x.query(…)`, `sql.raw(…)`, `require(…)`. */
export function isSqlCallCandidate(node: TSESTree.CallExpression): boolean {
  const callee = unwrapExpression(node.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) return callee.name === 'require';
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const name = getPropertyName(callee);
  return name !== undefined && ALL_QUERY_METHODS.has(name);
}

function collectCandidates(sourceCode: SourceCode): SqlCandidates {
  const calls: TSESTree.CallExpression[] = [];
  const tags: TSESTree.TaggedTemplateExpression[] = [];
  walk(sourceCode.ast as TSESTree.Node, sourceCode.visitorKeys, (node) => {
    if (node.type === AST_NODE_TYPES.CallExpression && isSqlCallCandidate(node)) calls.push(node);
    else if (node.type === AST_NODE_TYPES.TaggedTemplateExpression) tags.push(node);
  });
  return { calls, tags };
}

const driverById = new Map<string, DriverSpec>(drivers.map((d) => [d.id, d]));

/** Every method name that sends SQL for some driver: other calls are skipped at once. */
const ALL_QUERY_METHODS: ReadonlySet<string> = new Set([
  ...genericQueryMethods,
  ...Object.values(queryApis).flatMap((api) => api.queryMethods),
]);

function apiOf(driver: DriverSpec | undefined): QueryApi | undefined {
  return driver ? ownValue(queryApis, driver.id) : undefined;
}

function findSites(analysis: FileAnalysis, { calls, tags }: SqlCandidates): FileSql {
  const sourceCode = analysis.sourceCode;
  const globalScope = sourceCode.scopeManager!.globalScope!;

  const instanceEngines = new Map<DriverInstance, EngineOrOther | undefined>();
  const engineOf = (instance: DriverInstance): EngineOrOther | undefined => {
    if (!instanceEngines.has(instance)) instanceEngines.set(instance, resolveInstanceEngine(sourceCode, instance));
    return instanceEngines.get(instance);
  };

  // 1. Origins of variables: tracked instances, then what derives from them.
  const origins = new Map<Variable, SqlOrigin>();
  const queue: Variable[] = [];
  const bind = (id: TSESTree.Node | undefined, origin: SqlOrigin): void => {
    if (id?.type !== AST_NODE_TYPES.Identifier) return;
    const variable = variableOf(sourceCode, id);
    if (!variable || origins.has(variable)) return;
    origins.set(variable, origin);
    queue.push(variable);
  };
  const creationOrigins = new Map<TSESTree.Node, SqlOrigin>();
  for (const instance of analysis.instances) {
    const origin: SqlOrigin = { by: 'instance', driver: instance.driver, engine: engineOf(instance), instance };
    creationOrigins.set(instance.node, origin);
    if (instance.variable && !origins.has(instance.variable)) {
      origins.set(instance.variable, origin);
      queue.push(instance.variable);
    }
    bindHooks(sourceCode, instance, origin, bind);
    // A factory function that returns the instance: `const sql = connect()`, `(await getDb()).query(…)`.
    const factory = factoryVariable(sourceCode, instance.node);
    if (factory && !origins.has(factory)) {
      const derived: SqlOrigin = { ...origin, by: 'derived' };
      origins.set(factory, derived);
      for (const ref of factory.references) {
        const call = (ref.identifier as TSESTree.Identifier).parent;
        if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== ref.identifier) continue;
        const top = valueParent(call);
        if (top.parent?.type === AST_NODE_TYPES.VariableDeclarator && top.parent.init === top) bind(top.parent.id, derived);
        else if (top.parent?.type === AST_NODE_TYPES.AssignmentExpression && top.parent.right === top) {
          bind(unwrapExpression(top.parent.left), derived);
        }
      }
    }
  }
  while (queue.length > 0) {
    const variable = queue.shift()!;
    const origin = origins.get(variable)!;
    const api = apiOf(origin.driver);
    if (!api) continue;
    for (const ref of variable.references) {
      if (!ref.isRead()) continue;
      deriveFromReference(ref.identifier as TSESTree.Identifier, origin, api, bind);
    }
  }

  // The modules the file imports: import declarations, `require()` calls, and the tracked instances' modules.
  const modules = new Set<string>(analysis.instances.map((i) => i.module));
  // Type-only imports count too: `import type { PoolClient } from 'pg'` says which engine the code talks to.
  for (const statement of sourceCode.ast.body) {
    if (statement.type === AST_NODE_TYPES.ImportDeclaration) modules.add(statement.source.value);
  }
  for (const call of calls) {
    const callee = unwrapExpression(call.callee);
    if (callee.type !== AST_NODE_TYPES.Identifier) continue;
    const module = getStaticString(call.arguments[0]);
    if (module) modules.add(module);
  }

  // 2. SQL tags and raw-SQL helpers exported by the modules the file imports.
  const exportTags = new Map<TSESTree.Node, SqlExport>();
  const exportCalls = new Map<TSESTree.Node, SqlExport>();
  if (sqlExports.some((e) => modules.has(e.module))) traceExports(sourceCode, globalScope, exportTags, exportCalls);

  const fileDrivers = new Set<DriverSpec>();
  const fileEngines = new Set<Engine>();
  for (const module of modules) {
    const hinted = ownValue(engineModules, module);
    if (hinted && hinted !== 'other') fileEngines.add(hinted);
    const driver = driverForModule(module);
    if (!driver || driver.connectionless) continue;
    fileDrivers.add(driver);
    if (driver.engine !== 'config') fileEngines.add(driver.engine);
  }
  for (const instance of analysis.instances) {
    const engine = engineOf(instance);
    if (engine && engine !== 'other') fileEngines.add(engine);
  }
  const fileEngine = fileEngines.size === 1 ? [...fileEngines][0] : undefined;
  const fileDriver = fileDrivers.size === 1 ? [...fileDrivers][0] : undefined;
  const nameOrigin: SqlOrigin = { by: 'name', driver: fileDriver, engine: undefined, instance: undefined };
  const nameMethods = new Set([...genericQueryMethods, ...(apiOf(fileDriver)?.queryMethods ?? [])]);
  // The methods that can send SQL in this file: others (`map` of pg-promise in a file without it) are skipped
  // before any name resolution.
  const fileMethods = new Set(nameMethods);
  for (const origin of [...origins.values(), ...creationOrigins.values()]) {
    for (const method of apiOf(origin.driver)?.queryMethods ?? []) fileMethods.add(method);
  }
  const resolveEngine = (engine: EngineOrOther | undefined): Engine | 'other' | undefined =>
    engine ?? fileEngine ?? analysis.settings.engine;

  // 3. Tagged templates and query calls.
  const sites: SqlSite[] = [];
  const tagSites = new Set<TSESTree.Node>();
  const addSite = (site: Omit<SqlSite, 'engine' | 'source'>): void => {
    const engine = resolveEngine(site.origin.engine);
    if (engine === 'other') return;
    const source = site.sqlNode ? getSqlSource(sourceCode, site.sqlNode) : null;
    sites.push({ ...site, engine, source });
  };

  const originOfRoot = (node: TSESTree.Node): SqlOrigin | undefined => {
    // The creating call itself: `mysql.createPool(config).execute(…)`.
    for (let current = unwrapExpression(node), depth = 0; depth < 32; depth++) {
      const direct = creationOrigins.get(current);
      if (direct) return direct;
      if (current.type === AST_NODE_TYPES.AwaitExpression) current = unwrapExpression(current.argument);
      else if (current.type === AST_NODE_TYPES.MemberExpression) current = unwrapExpression(current.object);
      else if (current.type === AST_NODE_TYPES.CallExpression && current.callee.type === AST_NODE_TYPES.MemberExpression) {
        current = unwrapExpression(current.callee.object);
      } else break;
    }
    const root = receiverRoot(node);
    if (root?.type === AST_NODE_TYPES.Identifier) {
      const variable = variableOf(sourceCode, root);
      const origin = variable ? origins.get(variable) : undefined;
      if (origin) return origin;
    }
    return typedOrigin(node);
  };
  const typedOrigins = new Map<TSESTree.Node, SqlOrigin | undefined>();
  /** `connection.execute()` with `connection: Connection` of `mysql2/promise`, `this.pool.query()` of a `Pool` field. */
  const typedOrigin = (node: TSESTree.Node): SqlOrigin | undefined => {
    const receiver = unwrapExpression(node);
    if (receiver.type !== AST_NODE_TYPES.Identifier && receiver.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    if (!typedOrigins.has(receiver)) {
      const project = analysis.project;
      const typed = typedInstance(sourceCode, receiver, project && ((ref) => importedReturnType(project, ref)));
      typedOrigins.set(
        receiver,
        typed && {
          by: 'type',
          driver: typed.driver,
          engine: typed.driver.engine === 'config' ? undefined : typed.driver.engine,
          instance: undefined,
        },
      );
    }
    return typedOrigins.get(receiver);
  };

  for (const tag of tags) {
    const origin = tagOrigin(tag.tag, exportTags, originOfRoot);
    if (!origin) continue;
    tagSites.add(tag);
    addSite({
      node: tag,
      kind: 'tag',
      method: undefined,
      callee: undefined,
      origin,
      sqlNode: tag,
      queryConfig: undefined,
    });
  }

  for (const call of calls) {
    if (unwrapExpression(call.callee).type === AST_NODE_TYPES.Identifier) continue;
    const exported = exportCalls.get(call);
    if (exported) {
      addSite({
        node: call,
        kind: 'call',
        method: undefined,
        callee: undefined,
        origin: { by: 'export', driver: undefined, engine: exported.engine, instance: undefined },
        sqlNode: call.arguments[0],
        queryConfig: undefined,
      });
      continue;
    }
    const callee = unwrapExpression(call.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression) continue;
    const method = getPropertyName(callee);
    if (method === undefined || !fileMethods.has(method)) continue;
    let origin = originOfRoot(callee.object);
    let methods: ReadonlySet<string> | readonly string[] | undefined;
    if (origin) {
      methods = apiOf(origin.driver)?.queryMethods;
    } else if (nameMethods.has(method) && isHandleName(receiverName(callee.object))) {
      origin = nameOrigin;
      methods = nameMethods;
    }
    if (!origin || !methods || !has(methods, method)) continue;
    const api = apiOf(origin.driver);
    const { sqlNode, queryConfig } = sqlArgument(sourceCode, call, api);
    addSite({
      node: call,
      kind: 'call',
      method,
      callee,
      origin,
      sqlNode: sqlNode && tagSites.has(unwrapExpression(sqlNode)) ? undefined : sqlNode,
      queryConfig,
    });
  }

  // 4. SQL in driver configuration run on every new connection: mariadb `initSql`.
  for (const instance of analysis.instances) {
    if (instance.driver.id !== 'mariadb') continue;
    const config = objectOf(sourceCode, instance.node.arguments[0]);
    const init = config ? lookupProperty(sourceCode, config, 'initSql').value : undefined;
    if (!init) continue;
    const origin: SqlOrigin = { by: 'instance', driver: instance.driver, engine: 'mysql', instance };
    const values = init.type === AST_NODE_TYPES.ArrayExpression ? init.elements : [init];
    for (const value of values) {
      if (!value || value.type === AST_NODE_TYPES.SpreadElement) continue;
      addSite({ node: value, kind: 'config', method: undefined, callee: undefined, origin, sqlNode: value, queryConfig: undefined });
    }
  }

  // 5. Query-config objects built for a pg-style driver and run elsewhere: `return { text: 'INSERT …', values }`.
  const configKeys = apiOf(fileDriver)?.sqlKeys;
  if (configKeys?.includes('text') && sourceCode.text.includes('values')) {
    const seen = new Set(sites.map((site) => site.queryConfig).filter(Boolean));
    walk(sourceCode.ast as TSESTree.Node, sourceCode.visitorKeys, (node) => {
      if (node.type !== AST_NODE_TYPES.ObjectExpression || seen.has(node)) return;
      const keys = new Set(node.properties.map((p) => (p.type === AST_NODE_TYPES.Property ? getPropertyName(p) : undefined)));
      if (!keys.has('text') || !keys.has('values')) return;
      const text = lookupProperty(sourceCode, node, 'text').value;
      if (!text) return;
      addSite({ node, kind: 'config', method: undefined, callee: undefined, origin: nameOrigin, sqlNode: text, queryConfig: node });
    });
  }

  sites.sort((a, b) => a.node.range[0] - b.node.range[0]);
  return { sites, fileEngine, engineOf };
}

function has(methods: ReadonlySet<string> | readonly string[], method: string): boolean {
  return methods instanceof Set ? methods.has(method) : (methods as readonly string[]).includes(method);
}

/** The SQL argument of a query call: the first argument, or the SQL key of a query-config object. */
function sqlArgument(
  sourceCode: SourceCode,
  call: TSESTree.CallExpression,
  api: QueryApi | undefined,
): { sqlNode: TSESTree.Node | undefined; queryConfig: TSESTree.ObjectExpression | undefined } {
  const first = call.arguments[0];
  if (!first || first.type === AST_NODE_TYPES.SpreadElement) return { sqlNode: undefined, queryConfig: undefined };
  const config = objectOf(sourceCode, first);
  if (!config) return { sqlNode: first, queryConfig: undefined };
  const keys = api?.sqlKeys ?? ['text', 'sql', 'query'];
  for (const key of keys) {
    const value = lookupProperty(sourceCode, config, key).value;
    if (value) return { sqlNode: value, queryConfig: config };
  }
  return { sqlNode: undefined, queryConfig: config };
}

/** The identifier (or `this`) at the root of a receiver chain: `a.b.c`, `pool.promise()`, `pool.request().input()`. */
function receiverRoot(node: TSESTree.Node): TSESTree.Node | undefined {
  let current = unwrapExpression(node);
  for (let depth = 0; depth < 32; depth++) {
    if (current.type === AST_NODE_TYPES.AwaitExpression) current = unwrapExpression(current.argument);
    else if (current.type === AST_NODE_TYPES.MemberExpression) current = unwrapExpression(current.object);
    else if (current.type === AST_NODE_TYPES.CallExpression) {
      const callee = unwrapExpression(current.callee);
      // `getPool().query(…)`: the factory function is the root.
      if (callee.type === AST_NODE_TYPES.Identifier) return callee;
      if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
      current = unwrapExpression(callee.object);
    } else return current;
  }
  return undefined;
}

/**
 * The name a receiver goes by: `client`, `this.pool` → `pool`, `ctx.db` → `db`, and for a handle returned by a
 * call, the function's name: `getPool()`, `(await getConnection())`.
 */
function receiverName(node: TSESTree.Node): string | undefined {
  let inner = unwrapExpression(node);
  if (inner.type === AST_NODE_TYPES.AwaitExpression) inner = unwrapExpression(inner.argument);
  if (inner.type === AST_NODE_TYPES.CallExpression && inner.arguments.length === 0) inner = unwrapExpression(inner.callee);
  if (inner.type === AST_NODE_TYPES.Identifier) return inner.name;
  if (inner.type === AST_NODE_TYPES.MemberExpression) return getPropertyName(inner);
  return undefined;
}

/** `client`, `DB`, `readPool`, `pgClient`, `db_conn`, `mysqlConnection`. */
export function isHandleName(name: string | undefined): boolean {
  if (!name) return false;
  if (receiverWords.has(name.toLowerCase())) return true;
  const underscore = name.lastIndexOf('_');
  if (underscore >= 0 && receiverWords.has(name.slice(underscore + 1).toLowerCase())) return true;
  let start = name.length - 1;
  while (start > 0 && !(name.charCodeAt(start) >= 65 && name.charCodeAt(start) <= 90)) start--;
  return start > 0 && receiverWords.has(name.slice(start).toLowerCase());
}

/** What a tag resolves to, if it is a driver's SQL tag. */
function tagOrigin(
  rawTag: TSESTree.Node,
  exportTags: ReadonlyMap<TSESTree.Node, SqlExport>,
  originOfRoot: (node: TSESTree.Node) => SqlOrigin | undefined,
): SqlOrigin | undefined {
  const tag = unwrapExpression(rawTag);
  const fromExport = (exp: SqlExport): SqlOrigin => ({ by: 'export', driver: undefined, engine: exp.engine, instance: undefined });
  const direct = exportTags.get(tag);
  if (direct) return fromExport(direct);
  // slonik: sql.unsafe`…`, sql.fragment`…`, sql.type(schema)`…`, sql.typeAlias('x')`…`
  const member =
    tag.type === AST_NODE_TYPES.MemberExpression
      ? tag
      : tag.type === AST_NODE_TYPES.CallExpression && unwrapExpression(tag.callee).type === AST_NODE_TYPES.MemberExpression
        ? (unwrapExpression(tag.callee) as TSESTree.MemberExpression)
        : undefined;
  if (member) {
    const name = getPropertyName(member);
    const base = exportTags.get(unwrapExpression(member.object));
    if (base && name !== undefined && tagMembers.includes(name)) return fromExport(base);
  }
  if (tag.type === AST_NODE_TYPES.Identifier) {
    const origin = originOfRoot(tag);
    if (origin && apiOf(origin.driver)?.instanceIsTag) return origin;
    return undefined;
  }
  if (tag.type === AST_NODE_TYPES.MemberExpression) {
    const name = getPropertyName(tag);
    if (name === undefined) return undefined;
    const origin = originOfRoot(tag.object);
    if (origin) return apiOf(origin.driver)?.tagMembers?.includes(name) ? origin : undefined;
    if ((name === '$queryRaw' || name === '$executeRaw') && isHandleName(receiverName(tag.object))) {
      return { by: 'name', driver: undefined, engine: undefined, instance: undefined };
    }
  }
  return undefined;
}

/** Connections and transactions derived from a reference to a known receiver. */
function deriveFromReference(
  id: TSESTree.Identifier,
  origin: SqlOrigin,
  api: QueryApi,
  bind: (id: TSESTree.Node | undefined, origin: SqlOrigin) => void,
): void {
  let node: TSESTree.Node = id;
  while (node.parent && unwrapExpression(node.parent) !== node.parent) node = node.parent;
  const derived: SqlOrigin = { ...origin, by: 'derived' };
  // Follow a chain of deriving calls: pool.promise().getConnection()
  for (let depth = 0; depth < 4; depth++) {
    const member = node.parent;
    if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== node) return;
    const call = member.parent?.type === AST_NODE_TYPES.ChainExpression ? member.parent.parent : member.parent;
    if (call?.type !== AST_NODE_TYPES.CallExpression || unwrapExpression(call.callee) !== member) return;
    const method = getPropertyName(member);
    if (method === undefined) return;

    for (const spec of api.callbacks ?? []) {
      if (spec.method !== method) continue;
      const arg = spec.argument < 0 ? call.arguments[call.arguments.length - 1] : call.arguments[spec.argument];
      const fn = arg && isFunctionNode(arg) ? arg : undefined;
      if (fn) bind(fn.params[spec.parameter], derived);
    }
    if ((method === 'on' || method === 'once') && api.connectionEvents) {
      const event = getStaticString(call.arguments[0]);
      const listener = call.arguments[1];
      if (event && api.connectionEvents.includes(event) && listener && isFunctionNode(listener)) {
        bind(listener.params[0], derived);
      }
    }
    if (!api.deriveMethods?.includes(method)) return;
    const top = valueParent(call);
    const parent = top.parent;
    if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === top) {
      bind(parent.id, derived);
      return;
    }
    if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === top) {
      bind(unwrapExpression(parent.left), derived);
      return;
    }
    node = top;
  }
}

/** Config hooks that receive each new connection: pg `onConnect`, knex `pool.afterCreate`. */
function bindHooks(
  sourceCode: SourceCode,
  instance: DriverInstance,
  origin: SqlOrigin,
  bind: (id: TSESTree.Node | undefined, origin: SqlOrigin) => void,
): void {
  const api = apiOf(instance.driver);
  if (!api?.connectionHooks) return;
  const config = configObject(sourceCode, instance);
  if (!config) return;
  let driver: DriverSpec | undefined = instance.driver;
  if (instance.driver.id === 'knex') {
    const client = staticValue(sourceCode, lookupProperty(sourceCode, config, 'client').value);
    const id = typeof client === 'string' ? ownValue(knexClientDrivers, client.toLowerCase()) : undefined;
    driver = id ? driverById.get(id) : undefined;
  }
  for (const path of api.connectionHooks) {
    const lookup = lookupProperty(sourceCode, config, path);
    const fn: FunctionNode | undefined = functionOf(sourceCode, lookup.value);
    if (fn) bind(fn.params[0], { ...origin, by: 'derived', driver });
  }
}

/** The config object of a creating call: the first object argument (through `const`). */
export function configObject(sourceCode: SourceCode, instance: DriverInstance): TSESTree.ObjectExpression | undefined {
  for (const arg of instance.node.arguments) {
    const object = objectOf(sourceCode, arg);
    if (object) return object;
  }
  return undefined;
}

/** The engine a tracked instance names: fixed by the driver, or by `client` / `dialect` / `type` / module / URI. */
function resolveInstanceEngine(sourceCode: SourceCode, instance: DriverInstance): EngineOrOther | undefined {
  const { driver } = instance;
  if (driver.engine !== 'config') return driver.engine;
  const api = apiOf(driver);
  if (!api) return undefined;
  if (api.moduleEngines) return ownValue(api.moduleEngines, instance.module);
  const option = api.engineOption;
  if (!option) return undefined;
  for (const arg of instance.node.arguments) {
    const config = objectOf(sourceCode, arg);
    if (config) {
      const value = lookupProperty(sourceCode, config, option.key).value;
      const text = staticValue(sourceCode, value);
      if (typeof text === 'string') return ownValue(option.values, text.toLowerCase());
      // A class from the engine's package: Sequelize 7 `dialect: PostgresDialect`, Prisma
      // `adapter: new PrismaPg(…)`.
      const resolved = value ? resolveValue(sourceCode, value) : undefined;
      const classNode = resolved?.type === AST_NODE_TYPES.NewExpression ? resolved.callee : resolved;
      const module = classNode ? importSource(sourceCode, classNode) : undefined;
      if (module) return ownValue(engineModules, module);
      continue;
    }
    const uri = staticValue(sourceCode, arg);
    if (typeof uri === 'string') {
      const colon = uri.indexOf('://');
      if (colon > 0) return ownValue(uriSchemes, uri.slice(0, colon).toLowerCase().split('+')[0]!);
    }
  }
  return undefined;
}

/** The module an identifier is imported from (`import { PostgresDialect } from '@sequelize/postgres'`). */
function importSource(sourceCode: SourceCode, node: TSESTree.Node): string | undefined {
  const inner = unwrapExpression(node);
  if (inner.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = variableOf(sourceCode, inner);
  const def = variable?.defs[0];
  if (def?.type !== 'ImportBinding') return undefined;
  const declaration = def.parent as TSESTree.ImportDeclaration | undefined;
  return declaration?.type === AST_NODE_TYPES.ImportDeclaration ? declaration.source.value : undefined;
}

type TraceMap = Record<string | symbol, unknown>;
type Tracker = {
  iterateEsmReferences(map: unknown): Iterable<{ node: unknown; info: SqlExport }>;
  iteratePropertyReferences(node: unknown, map: unknown): Iterable<{ node: unknown; info: SqlExport }>;
};

const { CALL, READ } = ReferenceTracker;

const exportTraceMap: Record<string, TraceMap> = (() => {
  const map: Record<string, TraceMap> = {};
  for (const exp of sqlExports) {
    let node: TraceMap = (map[exp.module] ??= {});
    for (const key of exp.path) node = (node[key] ??= {}) as TraceMap;
    node[exp.kind === 'tag' ? READ : CALL] = exp;
  }
  return map;
})();

/** SQL tags and raw-SQL helpers imported or required from their modules, however they are named. */
function traceExports(
  sourceCode: SourceCode,
  globalScope: TSESLint.Scope.Scope,
  tags: Map<TSESTree.Node, SqlExport>,
  calls: Map<TSESTree.Node, SqlExport>,
): void {
  const text = sourceCode.text;
  if (!sqlExports.some((e) => text.includes(e.module))) return;
  const tracker = new ReferenceTracker(globalScope as never, { mode: 'legacy' }) as unknown as Tracker;
  const add = (ref: { node: unknown; info: SqlExport }): void => {
    const node = ref.node as TSESTree.Node;
    if (ref.info.kind !== 'tag') {
      calls.set(node, ref.info);
      return;
    }
    // A read of a binding (`import { sql }`, `const { sql } = require(…)`) is reported at its declaration:
    // every use of the binding is the tag.
    const variable = boundVariable(sourceCode, globalScope, node);
    if (!variable) {
      tags.set(node, ref.info);
      return;
    }
    for (const use of variable.references) {
      if (use.isRead()) tags.set(use.identifier as TSESTree.Identifier, ref.info);
    }
  };
  for (const ref of tracker.iterateEsmReferences(exportTraceMap)) add(ref);
  // require(): an unresolved `require`, or a configured global one that nothing redefines.
  const requires = globalScope.through.filter((ref) => ref.identifier.name === 'require');
  const declared = globalScope.set.get('require');
  if (declared && declared.defs.length === 0) requires.push(...declared.references);
  for (const ref of requires) {
    const call = (ref.identifier as TSESTree.Identifier).parent;
    if (call?.type !== AST_NODE_TYPES.CallExpression) continue;
    const module = getStaticString(call.arguments[0]);
    const map = module !== undefined ? ownValue(exportTraceMap, module) : undefined;
    if (!map) continue;
    for (const found of tracker.iteratePropertyReferences(call, map)) add(found);
  }
}

/** The variable a declaration-site node binds: import specifiers, destructured properties, declarators. */
function boundVariable(
  sourceCode: SourceCode,
  globalScope: TSESLint.Scope.Scope,
  node: TSESTree.Node,
): Variable | undefined {
  switch (node.type) {
    case AST_NODE_TYPES.ImportSpecifier:
    case AST_NODE_TYPES.ImportDefaultSpecifier:
    case AST_NODE_TYPES.ImportNamespaceSpecifier:
      return sourceCode.scopeManager?.getDeclaredVariables(node)[0];
    case AST_NODE_TYPES.Property: {
      const value = node.value.type === AST_NODE_TYPES.AssignmentPattern ? node.value.left : node.value;
      return value.type === AST_NODE_TYPES.Identifier ? findVariable(globalScope, value) : undefined;
    }
    case AST_NODE_TYPES.VariableDeclarator:
      return node.id.type === AST_NODE_TYPES.Identifier ? findVariable(globalScope, node.id) : undefined;
    default:
      return undefined;
  }
}

/**
 * The function a creating call's value is returned from, as a variable: `function db() { return new
 * PrismaClient() }`, `const connect = () => postgres(url)`, `const getPool = () => (pool ??= new Pool())`.
 */
function factoryVariable(sourceCode: SourceCode, node: TSESTree.Node): Variable | undefined {
  let top = valueParent(node);
  while (top.parent?.type === AST_NODE_TYPES.AssignmentExpression && top.parent.right === top) top = valueParent(top.parent);
  const parent = top.parent;
  let fn: TSESTree.Node | undefined;
  if (parent?.type === AST_NODE_TYPES.ReturnStatement) {
    for (let current: TSESTree.Node | undefined = parent.parent; current; current = current.parent) {
      if (isFunctionNode(current)) {
        fn = current;
        break;
      }
    }
  } else if (parent?.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === top) {
    fn = parent;
  }
  if (!fn || !isFunctionNode(fn)) return undefined;
  const scope = sourceCode.scopeManager;
  if (fn.type === AST_NODE_TYPES.FunctionDeclaration) return fn.id ? scope?.getDeclaredVariables(fn)[0] : undefined;
  const holder = valueParent(fn).parent;
  if (holder?.type === AST_NODE_TYPES.VariableDeclarator && holder.id.type === AST_NODE_TYPES.Identifier) {
    return scope?.getDeclaredVariables(holder)[0];
  }
  return undefined;
}
