/**
 * References to exports of given modules, whatever the import style (ESM default, named, namespace, `require`,
 * `import x = require()`, `await import()`), with eslint-utils' `ReferenceTracker` in legacy mode (a default import
 * of a CommonJS module is its `module.exports`). Used for modules outside the driver catalogue's creating calls:
 * IAM signers and calls that take connection settings.
 */
import { ReferenceTracker } from '@eslint-community/eslint-utils';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { getStaticString } from './ast/nodes.js';
import { walk } from './ast/walk.js';
import { driverWrappers } from './drivers/catalogue.js';
import { escapeRegExp } from './regexp.js';

export type TraceMap = { [key: string | symbol]: unknown };

export const { CALL, CONSTRUCT, READ, ESM } = ReferenceTracker;

type Tracker = {
  iteratePropertyReferences(node: unknown, map: unknown): Iterable<{ node: unknown; info: unknown; type: symbol; path: string[] }>;
};

export interface TrackedReference<T> {
  readonly node: TSESTree.Node;
  readonly info: T;
}

/**
 * Whether the text mentions one of the modules in quotes (a cheap prefilter before any scope work). Each search
 * reads the whole text, so a name that contains one already found missing (`aws-sdk/clients/rds` after `aws-sdk`)
 * is not searched for: give the names in `searchOrder`.
 */
export function mentionsModule(text: string, modules: readonly string[]): boolean {
  let missing: string[] | undefined;
  for (const m of modules) {
    if (missing?.some((name) => m.includes(name))) continue;
    // One search for the bare name first: most files never contain it, and then the quoted forms need no search.
    if (!text.includes(m)) {
      (missing ??= []).push(m);
      continue;
    }
    if (text.includes(`'${m}'`) || text.includes(`"${m}"`) || text.includes(`\`${m}\``)) return true;
  }
  return false;
}

/** Module names in the order `mentionsModule` searches them best: shorter first. */
export function searchOrder(modules: readonly string[]): readonly string[] {
  return [...modules].sort((a, b) => a.length - b.length);
}

/**
 * What `ReferenceTracker#iterateEsmReferences` finds in legacy mode, for the import declarations of the trace map's
 * modules only: each imported binding's read references are followed with `iteratePropertyReferences`, and
 * statements from other modules cost one lookup. (The tracker's own walk goes through nested generators for every
 * statement, which made it the larger part of finding the driver calls of a file.)
 */
function* esmReferences(
  sourceCode: Readonly<TSESLint.SourceCode>,
  tracker: Tracker,
  traceMap: Record<string, TraceMap>,
  wrapped: (node: TSESTree.Node) => TSESTree.Node,
): Iterable<{ node: unknown; info: unknown }> {
  const scopeManager = sourceCode.scopeManager!;
  for (const statement of (sourceCode.ast as TSESTree.Program).body) {
    if (
      statement.type !== AST_NODE_TYPES.ImportDeclaration &&
      statement.type !== AST_NODE_TYPES.ExportAllDeclaration &&
      !(statement.type === AST_NODE_TYPES.ExportNamedDeclaration && statement.source)
    ) {
      continue;
    }
    const moduleMap = ownMap(traceMap, statement.source!.value);
    if (!moduleMap) continue;
    if (moduleMap[READ]) yield { node: statement, info: moduleMap[READ] };
    if (statement.type === AST_NODE_TYPES.ExportAllDeclaration) {
      for (const key of Object.keys(moduleMap)) {
        const info = (moduleMap[key] as TraceMap)[READ];
        if (info) yield { node: statement, info };
      }
      continue;
    }
    // Legacy mode: a default import is the CommonJS `module.exports`, unless the map says the module is ESM. Then,
    // as the tracker does, a READ whose path is the module itself once `default` steps are left out is no report.
    const esm = Object.hasOwn(moduleMap, ESM);
    const importMap = esm ? moduleMap : legacyImportMap(moduleMap);
    for (const specifier of statement.specifiers) {
      let map: TraceMap | undefined;
      let named = false;
      if (specifier.type === AST_NODE_TYPES.ImportNamespaceSpecifier) map = importMap;
      else {
        const key =
          specifier.type === AST_NODE_TYPES.ImportDefaultSpecifier
            ? 'default'
            : specifier.type === AST_NODE_TYPES.ImportSpecifier
              ? specifier.imported.type === AST_NODE_TYPES.Identifier
                ? specifier.imported.name
                : specifier.imported.value
              : specifier.local.type === AST_NODE_TYPES.Identifier
                ? specifier.local.name
                : specifier.local.value;
        map = ownMap(importMap, key);
        if (!map) continue;
        named = key !== 'default';
        if (map[READ] && (esm || named)) yield { node: specifier, info: map[READ] };
        if (specifier.type === AST_NODE_TYPES.ExportSpecifier) continue;
      }
      const variable = scopeManager.getDeclaredVariables(specifier as TSESTree.Node)[0];
      for (const reference of variable?.references ?? []) {
        if (!reference.isRead() || leadsNowhere(reference.identifier as TSESTree.Identifier, map)) continue;
        for (const ref of tracker.iteratePropertyReferences(wrapped(reference.identifier as TSESTree.Node), map)) {
          if (esm || named || ref.type !== READ || ref.path.some((key) => key !== 'default')) yield ref;
        }
      }
    }
  }
}

/**
 * `x.name` where the map has no `name`, or `x` in a type: the tracker would stop there and yield nothing (a member
 * expression or a type is not a pass-through). Checked first, because most references of a namespace import
 * (`cdk.Duration`, `aws.iam`, `cdk.StackProps`) are such, and each call of the tracker's generators costs more
 * than the test.
 */
function leadsNowhere(id: TSESTree.Identifier, map: TraceMap): boolean {
  const parent = id.parent;
  // A name in a type (`cdk.StackProps`, `typeof pg`) reads no value.
  if (parent?.type === AST_NODE_TYPES.TSQualifiedName || parent?.type === AST_NODE_TYPES.TSTypeReference || parent?.type === AST_NODE_TYPES.TSTypeQuery) {
    return true;
  }
  return (
    parent?.type === AST_NODE_TYPES.MemberExpression &&
    parent.object === id &&
    !parent.computed &&
    parent.property.type === AST_NODE_TYPES.Identifier &&
    !Object.hasOwn(map, parent.property.name)
  );
}

function ownMap(map: TraceMap, key: string): TraceMap | undefined {
  return Object.hasOwn(map, key) ? (map[key] as TraceMap) : undefined;
}

const legacyMaps = new WeakMap<TraceMap, TraceMap>();

function legacyImportMap(moduleMap: TraceMap): TraceMap {
  let map = legacyMaps.get(moduleMap);
  if (!map) legacyMaps.set(moduleMap, (map = { default: moduleMap, ...moduleMap }));
  return map;
}

const importPatterns = new WeakMap<object, RegExp>();
const dynamicImportPatterns = new WeakMap<object, RegExp>();

function moduleAlternation(traceMap: Record<string, TraceMap>): string {
  return Object.keys(traceMap)
    .map(escapeRegExp)
    .sort((a, b) => b.length - a.length)
    .join('|');
}

/** `import('<module>')` of a module of the map. */
function dynamicImportPattern(traceMap: Record<string, TraceMap>): RegExp {
  let pattern = dynamicImportPatterns.get(traceMap);
  if (!pattern) {
    pattern = new RegExp(`import\\s*\\(\\s*['"\`](?:${moduleAlternation(traceMap)})['"\`]`);
    dynamicImportPatterns.set(traceMap, pattern);
  }
  return pattern;
}

/** `import('<module>')` or `import x = require('<module>')` for a module of the map: only then are they looked for. */
function importPattern(traceMap: Record<string, TraceMap>): RegExp {
  let pattern = importPatterns.get(traceMap);
  if (!pattern) {
    const modules = moduleAlternation(traceMap);
    pattern = new RegExp(
      `import\\s*\\(\\s*['"\`](?:${modules})['"\`]|import\\s+[\\w$]+\\s*=\\s*require\\s*\\(\\s*['"](?:${modules})['"]`,
    );
    importPatterns.set(traceMap, pattern);
  }
  return pattern;
}

/**
 * Every reference the trace map describes (keys: module specifiers). `expand` may turn a found reference into
 * further ones, followed from its node with the same tracker (a factory's result: pg-promise's `pgp(cn)`);
 * returning undefined keeps the reference itself.
 */
export function trackModuleReferences<T>(
  sourceCode: Readonly<TSESLint.SourceCode>,
  traceMap: Record<string, TraceMap>,
  expand?: (ref: TrackedReference<T>) => TraceMap | undefined,
): TrackedReference<T>[] {
  const globalScope = sourceCode.scopeManager?.globalScope;
  if (!globalScope) return [];
  const tracker = new ReferenceTracker(globalScope as never, { mode: 'legacy' }) as unknown as Tracker;
  // A driver module given to a wrapper that returns it (X-Ray's `captureMySQL(mysql)`) is followed from the call.
  const wrappers = traceMap === wrapperTraceMap ? undefined : wrapperCalls(sourceCode);
  const wrapped = (node: TSESTree.Node): TSESTree.Node => {
    const parent = node.parent;
    return wrappers && parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments[0] === node && wrappers.has(parent)
      ? wrapped(parent)
      : node;
  };
  const found = new Map<unknown, TrackedReference<T>>();
  const add = (raw: { node: unknown; info: unknown }): void => {
    if (found.has(raw.node)) return;
    const ref = { node: raw.node as TSESTree.Node, info: raw.info as T };
    const next = expand?.(ref);
    if (next) {
      for (const inner of tracker.iteratePropertyReferences(ref.node, next)) add(inner);
      return;
    }
    found.set(raw.node, ref);
  };
  for (const ref of esmReferences(sourceCode, tracker, traceMap, wrapped)) add(ref);

  // `require` calls: the unresolved references of the file (a short list), rather than a search of its text.
  {
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
      const map = module === undefined ? undefined : ownMap(traceMap, module);
      if (map) for (const ref of tracker.iteratePropertyReferences(wrapped(call), map)) add(ref);
    }
  }

  const text = sourceCode.text;
  if (text.includes('import') && importPattern(traceMap).test(text)) {
    const visit = (node: TSESTree.Node): void => {
      if (node.type === AST_NODE_TYPES.ImportExpression) {
        const module = getStaticString(node.source);
        const map = module === undefined ? undefined : ownMap(traceMap, module);
        if (!map) return;
        const start = node.parent?.type === AST_NODE_TYPES.AwaitExpression ? node.parent : node;
        for (const ref of tracker.iteratePropertyReferences(start, { default: map, ...map })) add(ref);
      } else if (
        node.type === AST_NODE_TYPES.TSImportEqualsDeclaration &&
        node.moduleReference.type === AST_NODE_TYPES.TSExternalModuleReference
      ) {
        const module = getStaticString(node.moduleReference.expression);
        const map = module === undefined ? undefined : ownMap(traceMap, module);
        if (!map) return;
        const variable = sourceCode.scopeManager?.getDeclaredVariables(node)[0];
        for (const ref of variable?.references ?? []) {
          if (ref.isRead()) for (const r of tracker.iteratePropertyReferences(ref.identifier, { default: map, ...map })) add(r);
        }
      }
    };
    const body = (sourceCode.ast as TSESTree.Program).body;
    // `import x = require()` stands at the top level of a module (or in a namespace): without a dynamic `import()`
    // of a tracked module and without namespaces, the top-level statements are all there is to look at.
    if (!dynamicImportPattern(traceMap).test(text) && !body.some((s) => s.type === AST_NODE_TYPES.TSModuleDeclaration)) {
      for (const statement of body) {
        visit(statement.type === AST_NODE_TYPES.ExportNamedDeclaration && statement.declaration ? statement.declaration : statement);
      }
    } else {
      walk(sourceCode.ast as TSESTree.Node, sourceCode.visitorKeys, (node) => void visit(node));
    }
  }
  return [...found.values()].sort((a, b) => a.node.range[0] - b.node.range[0]);
}

/** The trace map of the wrapping functions of the driver catalogue (`captureMySQL`, `capturePostgres`). */
const wrapperTraceMap: Record<string, TraceMap> = (() => {
  const map: Record<string, TraceMap> = {};
  for (const wrapper of driverWrappers) {
    for (const module of wrapper.modules) {
      let node: TraceMap = (map[module] ??= {});
      for (const key of wrapper.path) node = (node[key] ??= {}) as TraceMap;
      node[CALL] = true;
    }
  }
  return map;
})();
const wrapperModules = searchOrder(Object.keys(wrapperTraceMap));
const wrapperCache = new WeakMap<object, ReadonlySet<TSESTree.Node> | undefined>();

/** The calls of wrapping functions in the file (undefined without any: a cheap text test first). */
function wrapperCalls(sourceCode: Readonly<TSESLint.SourceCode>): ReadonlySet<TSESTree.Node> | undefined {
  if (wrapperCache.has(sourceCode.ast)) return wrapperCache.get(sourceCode.ast);
  let calls: Set<TSESTree.Node> | undefined;
  if (sourceCode.text.includes('aws-xray-sdk') && mentionsModule(sourceCode.text, wrapperModules)) {
    calls = new Set(trackModuleReferences(sourceCode, wrapperTraceMap).map((r) => r.node));
    if (calls.size === 0) calls = undefined;
  }
  wrapperCache.set(sourceCode.ast, calls);
  return calls;
}
