/**
 * Module tracking: finds every creating call of a catalogued driver, whatever the import style: ESM default,
 * named, aliased and namespace imports; `require` (plain, destructured, member); `import pg from 'pg'; const {
 * Pool } = pg`; dynamic `await import('pg')`; TypeScript `import pg = require('pg')`; and simple aliases
 * (`const P = pg.Pool`). Built on eslint-utils' `ReferenceTracker` with one trace map derived from the catalogue.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { drivers, type Creator, type DriverSpec } from './drivers/catalogue.js';
import { getPropertyName, unwrapExpression } from './ast/nodes.js';
import { findVariable } from './ast/scope.js';
import { CALL, CONSTRUCT, mentionsModule, searchOrder, trackModuleReferences, type TraceMap as ModuleTraceMap } from './track.js';
import { escapeRegExp } from './regexp.js';

export interface CreationSite {
  /** The `new X(...)` or `x(...)` that creates the client, pool or ORM instance. */
  readonly node: TSESTree.CallExpression | TSESTree.NewExpression;
  readonly driver: DriverSpec;
  readonly creator: Creator;
  /** The module specifier it was imported from. */
  readonly module: string;
}

interface TraceInfo {
  driver: DriverSpec;
  creator: Creator;
  module: string;
}

type TraceMap = ModuleTraceMap;

function buildTraceMap(): Record<string, TraceMap> {
  const map: Record<string, TraceMap> = {};
  for (const driver of drivers) {
    if (driver.connectionless) continue;
    for (const module of driver.modules) {
      const root: TraceMap = (map[module] ??= {});
      for (const creator of driver.creators) {
        let node = root;
        for (const key of creator.path) node = (node[key] ??= {}) as TraceMap;
        const info: TraceInfo = { driver, creator, module };
        if (creator.call !== 'call') node[CONSTRUCT] = info;
        if (creator.call !== 'new') node[CALL] = info;
      }
    }
  }
  return map;
}

const traceMap = buildTraceMap();

/** Every catalogued module specifier that opens connections, for a cheap text prefilter. */
const specifiers = Object.keys(traceMap);

/**
 * A fast check on the raw text: does the file mention any catalogued module in quotes? Files that do not are
 * skipped by every rule before any AST work.
 */
const moduleAlternation = specifiers
  .map(escapeRegExp)
  .sort((a, b) => b.length - a.length)
  .join('|');
const mentionPattern = new RegExp(`['"\`](?:${moduleAlternation})['"\`]`);

export function mentionsDatabaseModule(text: string): boolean {
  return mentionPattern.test(text);
}

/**
 * Modules whose creating calls make connections a caller can be reported for: drivers with a creator that is not
 * per invocation by design (serverless-mysql and serverless-postgres instances are meant to be used per invocation).
 */
const creatingPattern = new RegExp(
  `['"\`](?:${drivers
    .filter((d) => !d.connectionless && d.creators.some((c) => !c.perInvocationByDesign))
    .flatMap((d) => d.modules)
    .map(escapeRegExp)
    .sort((a, b) => b.length - a.length)
    .join('|')})['"\`]`,
);

/** A call of a catalogued connect method (`.connect(`, `.initialize(`) anywhere in the text. */
const connectCallPattern = new RegExp(
  `\\.(?:${[...new Set(drivers.flatMap((d) => d.creators.flatMap((c) => c.connectMethods ?? [])))].join('|')})\\s*\\(`,
);

/**
 * Whether a file may connect a client another module creates: it calls a connect method and imports a module of
 * its project (core/lambda/cross-file.ts reads that module).
 */
export function mayConnectImportedClient(text: string): boolean {
  return connectCallPattern.test(text) && importsProjectModule(text);
}

/** Text that imports a module by a path or an alias: without it, nothing in the file calls into another file. */
const LOCAL_IMPORT = /(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*)['"](?:\.{1,2}\/|\/opt\/|[^'"\n./][^'"\n]*\/)/;

export function importsProjectModule(text: string): boolean {
  return LOCAL_IMPORT.test(text);
}

/** A text test: can a module with this text create a reportable connection (it names such a driver's module)? */
export function mentionsCreatingModule(text: string): boolean {
  return creatingPattern.test(text);
}

/** Every creating call of a catalogued driver in the file. */
export function findCreationSites(sourceCode: Readonly<TSESLint.SourceCode>): CreationSite[] {
  const refs = trackModuleReferences<TraceInfo>(sourceCode, traceMap, ({ info }) =>
    // The call returns a factory (pg-promise `pgp`); calling the factory creates the database object.
    info.creator.factory ? { [CALL]: { ...info, creator: { ...info.creator, factory: false } } } : undefined,
  );
  return refs.map(({ node, info }) => ({
    node: node as TSESTree.CallExpression | TSESTree.NewExpression,
    driver: info.driver,
    creator: info.creator,
    module: info.module,
  }));
}

/** Strip `await` and TS wrappers around a creating call to find where its value goes. */
export function valueParent(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  for (;;) {
    const parent = current.parent;
    if (!parent) return current;
    if (parent.type === AST_NODE_TYPES.AwaitExpression || unwrapExpression(parent) !== parent) {
      current = parent;
      continue;
    }
    return current;
  }
}

/**
 * Whether a creating call opens connections of its own: drizzle and similar wrappers do only when given connection
 * settings (a string, an object with a `connection` key, or a URL read from the environment), not an existing
 * client or pool.
 */
export function opensConnections(site: CreationSite): boolean {
  if (site.creator.opensWhen !== 'firstArgConfig') return true;
  const first = site.node.arguments[0];
  if (!first) return false;
  const arg = unwrapExpression(first);
  if (arg.type === AST_NODE_TYPES.Literal || arg.type === AST_NODE_TYPES.TemplateLiteral) return true;
  if (arg.type === AST_NODE_TYPES.ObjectExpression) {
    return arg.properties.some(
      (p) => p.type === AST_NODE_TYPES.Property && !p.computed && p.key.type === AST_NODE_TYPES.Identifier && p.key.name === 'connection',
    );
  }
  // process.env.DATABASE_URL and other member reads of a URL.
  return (
    arg.type === AST_NODE_TYPES.MemberExpression &&
    arg.property.type === AST_NODE_TYPES.Identifier &&
    /url|uri|connection/i.test(arg.property.name)
  );
}

/** A call that opens a driver's global pool (mssql `sql.connect(config)`), with the calls that close it again. */
export interface GlobalPoolUse {
  readonly connect: TSESTree.CallExpression;
  readonly driver: DriverSpec;
  /** `sql.close()` anywhere in the file, and `close()` on the pool this connect returned. */
  readonly closes: readonly TSESTree.CallExpression[];
}

function buildGlobalPoolMap(): Record<string, TraceMap> {
  const map: Record<string, TraceMap> = {};
  for (const driver of drivers) {
    if (!driver.globalPool) continue;
    for (const module of driver.modules) {
      const root: TraceMap = (map[module] ??= {});
      for (const name of driver.globalPool.connect) root[name] = { [CALL]: { driver, role: 'connect' } };
      for (const name of driver.globalPool.close) root[name] = { [CALL]: { driver, role: 'close' } };
    }
  }
  return map;
}

const globalPoolMap = buildGlobalPoolMap();
const globalPoolModules = searchOrder(Object.keys(globalPoolMap));

/** Uses of drivers' global pools in the file (empty without such a driver module). */
export function findGlobalPoolUses(sourceCode: Readonly<TSESLint.SourceCode>): GlobalPoolUse[] {
  if (!mentionsModule(sourceCode.text, globalPoolModules)) return [];
  const refs = trackModuleReferences<{ driver: DriverSpec; role: 'connect' | 'close' }>(sourceCode, globalPoolMap);
  const moduleCloses = refs
    .filter((r) => r.info.role === 'close' && r.node.type === AST_NODE_TYPES.CallExpression)
    .map((r) => r.node as TSESTree.CallExpression);
  const scope = sourceCode.scopeManager!.globalScope!;
  const out: GlobalPoolUse[] = [];
  for (const ref of refs) {
    if (ref.info.role !== 'connect' || ref.node.type !== AST_NODE_TYPES.CallExpression) continue;
    const connect = ref.node;
    const closes = [...moduleCloses];
    // `const pool = await sql.connect(config); …; pool.close()`
    const top = valueParent(connect);
    const holder =
      top.parent?.type === AST_NODE_TYPES.VariableDeclarator && top.parent.init === top && top.parent.id.type === AST_NODE_TYPES.Identifier
        ? top.parent.id
        : top.parent?.type === AST_NODE_TYPES.AssignmentExpression && top.parent.right === top && top.parent.left.type === AST_NODE_TYPES.Identifier
          ? top.parent.left
          : undefined;
    const variable = holder ? findVariable(scope, holder) : undefined;
    for (const reference of variable?.references ?? []) {
      const member = (reference.identifier as TSESTree.Node).parent;
      if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== reference.identifier) continue;
      const call = member.parent;
      if (call?.type === AST_NODE_TYPES.CallExpression && call.callee === member && ref.info.driver.globalPool!.close.includes(getPropertyName(member) ?? '')) {
        closes.push(call);
      }
    }
    out.push({ connect, driver: ref.info.driver, closes });
  }
  return out;
}
