/**
 * Module tracking: finds every creating call of a catalogued driver, whatever the import style: ESM default,
 * named, aliased and namespace imports; `require` (plain, destructured, member); `import pg from 'pg'; const {
 * Pool } = pg`; dynamic `await import('pg')`; TypeScript `import pg = require('pg')`; and simple aliases
 * (`const P = pg.Pool`). Built on eslint-utils' `ReferenceTracker` with one trace map derived from the catalogue.
 */
import { ReferenceTracker } from '@eslint-community/eslint-utils';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { drivers, type Creator, type DriverSpec } from './drivers/catalogue.js';
import { getStaticString, unwrapExpression } from './ast/nodes.js';
import { walk } from './ast/walk.js';

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

type TraceMap = Record<string | symbol, unknown>;

const { CALL, CONSTRUCT } = ReferenceTracker;

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
  .map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
  .sort((a, b) => b.length - a.length)
  .join('|');
const mentionPattern = new RegExp(`['"\`](?:${moduleAlternation})['"\`]`);
const dynamicOrEqualsImportPattern = new RegExp(
  `import\\s*\\(\\s*['"\`](?:${moduleAlternation})['"\`]|import\\s+[\\w$]+\\s*=\\s*require\\s*\\(\\s*['"](?:${moduleAlternation})['"]`,
);

export function mentionsDatabaseModule(text: string): boolean {
  return mentionPattern.test(text);
}

type Tracker = {
  iterateEsmReferences(map: unknown): Iterable<{ node: unknown; info: TraceInfo }>;
  iteratePropertyReferences(node: unknown, map: unknown): Iterable<{ node: unknown; info: TraceInfo }>;
};

/** Every creating call of a catalogued driver in the file. */
export function findCreationSites(
  sourceCode: Readonly<TSESLint.SourceCode>,
): CreationSite[] {
  const globalScope = sourceCode.scopeManager?.globalScope;
  if (!globalScope) return [];
  const tracker = new ReferenceTracker(globalScope as never, { mode: 'legacy' }) as unknown as Tracker;
  const found = new Map<TSESTree.Node, CreationSite>();

  const add = (ref: { node: unknown; info: TraceInfo }): void => {
    const node = ref.node as TSESTree.CallExpression | TSESTree.NewExpression;
    if (found.has(node)) return;
    const { driver, creator, module } = ref.info;
    if (creator.factory) {
      // The call returns a factory (pg-promise `pgp`); calling the factory creates the database object.
      const inner = { [CALL]: { driver, creator: { ...creator, factory: false }, module } };
      for (const innerRef of tracker.iteratePropertyReferences(node, inner)) add(innerRef);
      return;
    }
    found.set(node, { node, driver, creator, module });
  };

  for (const ref of tracker.iterateEsmReferences(traceMap)) add(ref);

  // `require('x')`, dynamic `import('x')` and `import x = require('x')`, found wherever they are.
  for (const { node, module } of findRequireLikeRoots(sourceCode, globalScope)) {
    const map = traceMap[module];
    if (!map) continue;
    const rootMap = node.type === AST_NODE_TYPES.CallExpression ? map : { default: map, ...map };
    for (const ref of tracker.iteratePropertyReferences(node, rootMap)) add(ref);
  }
  return [...found.values()].sort((a, b) => a.node.range[0] - b.node.range[0]);
}

interface RootNode {
  /** The expression whose value is the module (`require('pg')`, `await import('pg')`) or a reference to it. */
  node: TSESTree.Node;
  module: string;
}

function findRequireLikeRoots(
  sourceCode: Readonly<TSESLint.SourceCode>,
  globalScope: TSESLint.Scope.Scope,
): RootNode[] {
  const roots: RootNode[] = [];
  const text = sourceCode.text;

  // require(): unresolved references to `require`, or a global `require` that nothing redefines.
  if (text.includes('require')) {
    const requireRefs: TSESTree.Identifier[] = [];
    for (const ref of globalScope.through) {
      if (ref.identifier.name === 'require') requireRefs.push(ref.identifier as TSESTree.Identifier);
    }
    const declared = globalScope.set.get('require');
    if (declared && declared.defs.length === 0) {
      for (const ref of declared.references) requireRefs.push(ref.identifier as TSESTree.Identifier);
    }
    for (const id of requireRefs) {
      const call = id.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== id) continue;
      const module = getStaticString(call.arguments[0]);
      if (module !== undefined && module in traceMap) roots.push({ node: call, module });
    }
  }

  // Only walk the AST when the text has `import('<catalogued module>')` or `import x = require('<module>')`.
  if (!(text.includes('import') && dynamicOrEqualsImportPattern.test(text))) return roots;

  walk(sourceCode.ast as TSESTree.Node, sourceCode.visitorKeys, (node) => {
    if (node.type === AST_NODE_TYPES.ImportExpression) {
      const module = getStaticString(node.source);
      if (module === undefined || !(module in traceMap)) return;
      // `await import('pg')` is the namespace; its `default` is the CommonJS export.
      const parent = node.parent;
      const start = parent?.type === AST_NODE_TYPES.AwaitExpression ? parent : node;
      roots.push({ node: start, module });
    } else if (
      node.type === AST_NODE_TYPES.TSImportEqualsDeclaration &&
      node.moduleReference.type === AST_NODE_TYPES.TSExternalModuleReference
    ) {
      const module = getStaticString(node.moduleReference.expression);
      if (module === undefined || !(module in traceMap)) return;
      const variable = sourceCode.scopeManager?.getDeclaredVariables(node)[0];
      for (const ref of variable?.references ?? []) {
        if (ref.isRead()) roots.push({ node: ref.identifier as TSESTree.Identifier, module });
      }
    }
  });
  return roots;
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
