/**
 * Module tracking: finds every creating call of a catalogued driver, whatever the import style: ESM default,
 * named, aliased and namespace imports; `require` (plain, destructured, member); `import pg from 'pg'; const {
 * Pool } = pg`; dynamic `await import('pg')`; TypeScript `import pg = require('pg')`; and simple aliases
 * (`const P = pg.Pool`). Built on eslint-utils' `ReferenceTracker` with one trace map derived from the catalogue.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { drivers, type Creator, type DriverSpec } from './drivers/catalogue.js';
import { unwrapExpression } from './ast/nodes.js';
import { CALL, CONSTRUCT, trackModuleReferences } from './track.js';

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

export function mentionsDatabaseModule(text: string): boolean {
  return mentionPattern.test(text);
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
