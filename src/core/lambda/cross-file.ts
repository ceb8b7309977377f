/**
 * Calls into other files: what calling a function imported from another module of the project does, for code that
 * runs per invocation. A module is read only when it can reach a database at all (its text names a catalogued
 * driver module, or a module it imports does, within the depth bound), parsed with the project parser
 * (core/project/parse.ts) and analysed as a handler file is: its driver instances, its own invocation graph from
 * the exported function, cache guards, and its own calls into further modules (at most `MAX_DEPTH` files deep,
 * cycles cut). Each module's summary is cached per file and modification time (bounded); files larger than
 * `MAX_MODULE_BYTES` are not read.
 *
 * Three questions are answered for an export: does calling it create a connection (`callCreates`), does the function
 * it returns (a handler factory) create one when called (`returnedCreates`), and does any function of an object it
 * exports (GraphQL resolvers) create one (`servedCreates`).
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import type { InstanceKind } from '../drivers/catalogue.js';
import { findInstances, getFileAnalysis, getHandlers, getProject, getSettings, instanceCallsOf, type DriverInstance } from '../analysis.js';
import { importsProjectModule, mentionsDatabaseModule, opensConnections } from '../modules.js';
import { getPropertyName, isFunctionNode, unwrapExpression, type FunctionNode } from '../ast/nodes.js';
import { findVariable, type Scope, type Variable } from '../ast/scope.js';
import { walk } from '../ast/walk.js';
import { perFile, type AnyContext } from '../per-file.js';
import { BoundedCache } from '../project/cache.js';
import { readText, recordReads, unchanged, type FileStat } from '../project/fs.js';
import { declaredReturn, type TypedInstance } from '../drivers/typed.js';
import type { FileProject } from '../analysis.js';
import { PARSE_TEXT_BOUND, parseFile, sourceCodeOf } from '../project/parse.js';
import { importSpecifiers, resolveSpecifier, type SpecifierContext } from '../project/paths.js';
import { InvocationGraph } from './invocation.js';
import { importOf, type ImportRef } from './imports.js';
import { isHandlerName, type LambdaHandler } from './handlers.js';

/** How many files deep calls are followed from the file being linted. */
export const MAX_DEPTH = 3;
/** Modules larger than this are not analysed. */
export const MAX_MODULE_BYTES = 256 * 1024;

/** A connection created (or connected) each time some code runs. */
export interface Creation {
  /** The creating call as messages name it (`pg \`Pool\``). */
  readonly label: string;
  /** What it creates; `connect`: a long-lived client connected again each time. */
  readonly kind: InstanceKind | 'connect';
  /** Where: the file and line of the creating call. */
  readonly file: string;
  readonly line: number;
  /**
   * The connect method called on an instance the module exports (`AppDataSource.initialize()` of an exported
   * `new DataSource()`): the call itself connects, nothing in between.
   */
  readonly method?: string;
  /** The methods that close that instance (`destroy` of a DataSource). */
  readonly closeMethods?: readonly string[];
}

const EMPTY_PATH: readonly string[] = [];

/** What an export path leads to in a module. */
type Target =
  | { readonly kind: 'function'; readonly node: FunctionNode }
  | { readonly kind: 'object'; readonly node: TSESTree.ObjectExpression }
  | { readonly kind: 'instance'; readonly cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression }
  | { readonly kind: 'class'; readonly cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression }
  | { readonly kind: 'import'; readonly ref: ImportRef }
  /** A driver instance the module creates (`export const db = new DataSource(…)`), and a connect method of it. */
  | { readonly kind: 'driver'; readonly instance: DriverInstance }
  | { readonly kind: 'connect'; readonly instance: DriverInstance; readonly method: string };

interface Context {
  readonly specifiers: SpecifierContext;
  /** Modules being summarised on the current path (cycles are cut). */
  readonly stack: Set<string>;
}

/** The analysis of one module, built on first question and kept (bounded) with the files it was read from. */
class ModuleSummary {
  private readonly callResults = new Map<string, Creation | null>();
  private readonly returnResults = new Map<string, Creation | null>();
  private readonly servedResults = new Map<string, Creation | null>();
  private readonly sourceCode: Readonly<TSESLint.SourceCode>;
  private readonly scope: Scope;
  private readonly program: TSESTree.Program;
  private readonly instances: readonly DriverInstance[];
  private readonly instanceVariables: ReadonlySet<Variable>;

  constructor(
    readonly file: string,
    private readonly budget: number,
    sourceCode: Readonly<TSESLint.SourceCode>,
  ) {
    this.sourceCode = sourceCode;
    this.scope = sourceCode.scopeManager!.globalScope!;
    this.program = sourceCode.ast as TSESTree.Program;
    this.instances = findInstances(this.sourceCode);
    this.instanceVariables = new Set(this.instances.map((i) => i.variable).filter((v): v is Variable => !!v));
  }

  /**
   * Whether a call into the module can open a connection: it creates (or connects) a driver instance inside a
   * function, or creates one that needs a connect call (an exported `new DataSource()` its importers initialize).
   */
  get createsInFunctions(): boolean {
    return (
      this.instances.some((instance) => insideFunction(instance.node) || (instance.creator.connectMethods?.length ?? 0) > 0) ||
      instanceCallsOf(this.instances, (i) => i.creator.connectMethods).some((call) => insideFunction(call.node))
    );
  }

  callCreates(path: readonly string[], context: Context): Creation | undefined {
    return this.memo(this.callResults, path, context, (target, ctx) => {
      if (target.kind === 'function') return this.creationIn([target.node], ctx);
      if (target.kind === 'connect') {
        const { creator, node } = target.instance;
        return {
          label: creator.label,
          kind: 'connect',
          file: this.file,
          line: node.loc.start.line,
          method: target.method,
          closeMethods: creator.closeMethods,
        };
      }
      if (target.kind === 'import') return this.delegate(target.ref, ctx, (s, p, c) => s.callCreates(p, c));
      // `new Db()` of an exported class: its constructor.
      if (target.kind === 'class') {
        const ctor = classMethod(target.cls, 'constructor', false);
        return ctor ? this.creationIn([ctor], ctx) : undefined;
      }
      return undefined;
    });
  }

  /** The driver instance the exported function at `path` declares it returns (`getPool(): Promise<Pool>`). */
  returnedType(path: readonly string[]): TypedInstance | undefined {
    const target = this.resolveExport(path);
    return target?.kind === 'function' ? declaredReturn(this.scope, target.node) : undefined;
  }

  returnedCreates(path: readonly string[], context: Context): Creation | undefined {
    return this.memo(this.returnResults, path, context, (target, ctx) => {
      if (target.kind === 'import') return this.delegate(target.ref, ctx, (s, p, c) => s.returnedCreates(p, c));
      if (target.kind !== 'function') return undefined;
      const returned = this.returnedFunctions(target.node);
      return returned.length > 0 ? this.creationIn(returned, ctx) : undefined;
    });
  }

  servedCreates(path: readonly string[], context: Context): Creation | undefined {
    return this.memo(this.servedResults, path, context, (target, ctx) => {
      if (target.kind === 'import') return this.delegate(target.ref, ctx, (s, p, c) => s.servedCreates(p, c));
      const functions: FunctionNode[] = [];
      if (target.kind === 'object') this.nestedFunctions(target.node, functions, 0);
      else if (target.kind === 'function') functions.push(target.node);
      return functions.length > 0 ? this.creationIn(functions, ctx) : undefined;
    });
  }

  private memo(
    results: Map<string, Creation | null>,
    path: readonly string[],
    context: Context,
    compute: (target: Target, context: Context) => Creation | undefined,
  ): Creation | undefined {
    const key = path.join('\0');
    const known = results.get(key);
    if (known !== undefined) return known ?? undefined;
    results.set(key, null); // a cycle inside the module ends here
    const target = this.resolveExport(path);
    let result: Creation | undefined;
    if (target && !context.stack.has(this.file)) {
      context.stack.add(this.file);
      try {
        result = compute(target, context);
      } finally {
        context.stack.delete(this.file);
      }
    }
    results.set(key, result ?? null);
    return result;
  }

  private delegate(
    ref: ImportRef,
    context: Context,
    ask: (summary: ModuleSummary, path: readonly string[], context: Context) => Creation | undefined,
  ): Creation | undefined {
    if (this.budget <= 1) return undefined;
    const file = resolveSpecifier(ref.specifier, this.file, context.specifiers);
    const summary = file ? summaryOf(file, this.budget - 1, context) : undefined;
    return summary ? ask(summary, ref.path, context) : undefined;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Exports

  /** What an export path names: `['getPool']`, `['default']`, `['default', 'query']`, `[]` (the module itself). */
  private resolveExport(path: readonly string[]): Target | undefined {
    const [head, ...rest] = path;
    let target: Target | undefined;
    if (head === undefined) target = this.moduleObject();
    else {
      target = this.namedExport(head);
      // `import db from './db'` of a CommonJS module: `default` is `module.exports`.
      if (!target && head === 'default') target = this.moduleObject();
      // `require('./db').getPool` of a module whose `module.exports` is an object.
      if (!target) {
        const whole = this.moduleObject();
        target = whole ? this.member(whole, head) : undefined;
      }
    }
    for (const key of rest) {
      if (!target) return undefined;
      target = this.member(target, key);
    }
    return target;
  }

  /** `module.exports = …` / `export = …`, or the ESM namespace (undefined: only named exports). */
  private moduleObject(): Target | undefined {
    for (const statement of this.program.body) {
      if (statement.type === AST_NODE_TYPES.TSExportAssignment) return this.targetOf(statement.expression, 0);
      if (statement.type !== AST_NODE_TYPES.ExpressionStatement) continue;
      const expr = statement.expression;
      if (expr.type === AST_NODE_TYPES.AssignmentExpression && expr.operator === '=' && isModuleExports(expr.left)) {
        return this.targetOf(expr.right, 0);
      }
    }
    return undefined;
  }

  private namedExport(name: string): Target | undefined {
    for (const statement of this.program.body) {
      switch (statement.type) {
        case AST_NODE_TYPES.ExportDefaultDeclaration:
          if (name === 'default') return this.targetOf(statement.declaration as TSESTree.Node, 0);
          break;
        case AST_NODE_TYPES.ExportNamedDeclaration: {
          const decl = statement.declaration;
          if (decl?.type === AST_NODE_TYPES.FunctionDeclaration && decl.id?.name === name) return { kind: 'function', node: decl };
          if (decl?.type === AST_NODE_TYPES.ClassDeclaration && decl.id?.name === name) return { kind: 'class', cls: decl };
          if (decl?.type === AST_NODE_TYPES.VariableDeclaration) {
            for (const d of decl.declarations) {
              if (d.id.type === AST_NODE_TYPES.Identifier && d.id.name === name && d.init) return this.targetOf(d.init, 0);
            }
          }
          for (const spec of statement.specifiers) {
            const exported = spec.exported.type === AST_NODE_TYPES.Identifier ? spec.exported.name : spec.exported.value;
            if (exported !== name) continue;
            const local = spec.local.type === AST_NODE_TYPES.Identifier ? spec.local.name : String((spec.local as TSESTree.Literal).value);
            if (statement.source) return { kind: 'import', ref: { specifier: statement.source.value, path: [local], esm: true } };
            return spec.local.type === AST_NODE_TYPES.Identifier ? this.targetOf(spec.local, 0) : undefined;
          }
          break;
        }
        case AST_NODE_TYPES.ExpressionStatement: {
          const expr = statement.expression;
          if (expr.type !== AST_NODE_TYPES.AssignmentExpression || expr.operator !== '=') break;
          const left = expr.left;
          if (left.type === AST_NODE_TYPES.MemberExpression && getPropertyName(left) === name && isExportsObject(left.object)) {
            return this.targetOf(expr.right, 0);
          }
          break;
        }
        default:
          break;
      }
    }
    // `export * from './db'`: the first re-exporting module that has it.
    for (const statement of this.program.body) {
      if (statement.type === AST_NODE_TYPES.ExportAllDeclaration && !statement.exported && name !== 'default') {
        return { kind: 'import', ref: { specifier: statement.source.value, path: [name], esm: true } };
      }
    }
    return undefined;
  }

  private member(target: Target, key: string): Target | undefined {
    switch (target.kind) {
      case 'object':
        for (const prop of target.node.properties) {
          if (prop.type === AST_NODE_TYPES.Property && getPropertyName(prop) === key) return this.targetOf(prop.value as TSESTree.Node, 0);
        }
        return undefined;
      case 'instance': {
        const method = classMethod(target.cls, key, false);
        return method ? { kind: 'function', node: method } : undefined;
      }
      case 'class': {
        const method = classMethod(target.cls, key, true);
        return method ? { kind: 'function', node: method } : undefined;
      }
      case 'import':
        return { kind: 'import', ref: { ...target.ref, path: [...target.ref.path, key] } };
      case 'driver':
        return target.instance.creator.connectMethods?.includes(key) ? { kind: 'connect', instance: target.instance, method: key } : undefined;
      default:
        return undefined;
    }
  }

  /** What a value expression of the module is, as far as exports go. */
  private targetOf(node: TSESTree.Node, depth: number): Target | undefined {
    if (depth > 6) return undefined;
    const n = unwrapExpression(node);
    if (isFunctionNode(n)) return { kind: 'function', node: n };
    const instance = this.instances.find((i) => i.node === n);
    if (instance) return { kind: 'driver', instance };
    switch (n.type) {
      case AST_NODE_TYPES.ObjectExpression:
        return { kind: 'object', node: n };
      case AST_NODE_TYPES.ClassDeclaration:
      case AST_NODE_TYPES.ClassExpression:
        return { kind: 'class', cls: n };
      case AST_NODE_TYPES.NewExpression: {
        const cls = n.callee.type === AST_NODE_TYPES.Identifier ? this.targetOf(n.callee, depth + 1) : undefined;
        return cls?.kind === 'class' ? { kind: 'instance', cls: cls.cls } : undefined;
      }
      case AST_NODE_TYPES.Identifier: {
        const variable = findVariable(this.scope, n);
        if (!variable) return undefined;
        const ref = importOf(variable);
        if (ref) return { kind: 'import', ref };
        const def = variable.defs.length === 1 ? variable.defs[0] : undefined;
        if (!def) return undefined;
        if (def.node.type === AST_NODE_TYPES.FunctionDeclaration) return { kind: 'function', node: def.node };
        if (def.node.type === AST_NODE_TYPES.ClassDeclaration) return { kind: 'class', cls: def.node };
        if (def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init && def.node.id === def.name) {
          return this.targetOf(def.node.init, depth + 1);
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // What runs

  /** The functions a factory returns: `return async (event) => …`, `return middy(inner)`, `return inner`. */
  private returnedFunctions(fn: FunctionNode): FunctionNode[] {
    const out: FunctionNode[] = [];
    const add = (value: TSESTree.Node | null | undefined, depth: number): void => {
      if (!value || depth > 4) return;
      const v = unwrapExpression(value);
      if (isFunctionNode(v)) out.push(v);
      else if (v.type === AST_NODE_TYPES.Identifier) {
        const target = this.targetOf(v, 0);
        if (target?.kind === 'function') out.push(target.node);
      } else if (v.type === AST_NODE_TYPES.CallExpression) {
        for (const arg of v.arguments) add(arg, depth + 1);
      }
    };
    if (fn.body.type !== AST_NODE_TYPES.BlockStatement) add(fn.body, 0);
    else {
      walk(fn.body, this.sourceCode.visitorKeys, (node) => {
        if (isFunctionNode(node)) return false;
        if (node.type === AST_NODE_TYPES.ReturnStatement) add(node.argument, 0);
        return undefined;
      });
    }
    return out;
  }

  /** Every function in an object of resolvers, nested objects included. */
  private nestedFunctions(node: TSESTree.Node, out: FunctionNode[], depth: number): void {
    if (depth > 6) return;
    const target = this.targetOf(node, 0);
    if (target?.kind === 'function') out.push(target.node);
    else if (target?.kind === 'object') {
      for (const prop of target.node.properties) {
        if (prop.type === AST_NODE_TYPES.Property) this.nestedFunctions(prop.value as TSESTree.Node, out, depth + 1);
        else this.nestedFunctions(prop.argument, out, depth + 1);
      }
    }
  }

  /** The first connection the given functions create (or connect) each time they run, here or in modules they call. */
  private creationIn(functions: FunctionNode[], context: Context): Creation | undefined {
    const handler: LambdaHandler = {
      name: 'export',
      exportNode: functions[0]!,
      functions,
      reason: 'name',
      declarations: [],
      imported: [],
    };
    const graph = new InvocationGraph(this.scope, this.sourceCode.visitorKeys, [handler], this.instanceVariables);
    for (const instance of this.instances) {
      if (instance.creator.perInvocationByDesign || !opensConnections(instance)) continue;
      if (graph.handlerFor(instance.node)) {
        return { label: instance.creator.label, kind: instance.creator.kind, file: this.file, line: instance.node.loc.start.line };
      }
    }
    if (this.budget <= 1) return undefined;
    const fileOf = resolverFrom(this.file, context.specifiers);
    for (const call of graph.importedCalls((specifier) => mayFollow(specifier, fileOf, this.budget - 1, context.specifiers))) {
      const file = fileOf(call.ref.specifier);
      const summary = file ? summaryOf(file, this.budget - 1, context) : undefined;
      const creation = summary?.callCreates(call.ref.path, context);
      if (creation) return creation;
    }
    return undefined;
  }
}

/** `resolveSpecifier` from one file, once per specifier (a file's calls of one import ask for it each). */
function resolverFrom(file: string, specifiers: SpecifierContext): (specifier: string) => string | undefined {
  const resolved = new Map<string, string | undefined>();
  return (specifier) => {
    if (!resolved.has(specifier)) resolved.set(specifier, resolveSpecifier(specifier, file, specifiers));
    return resolved.get(specifier);
  };
}

/**
 * Whether the calls of an import are worth looking for: it resolves to a file of the project that can create
 * connections within `budget` files (`mayReachDatabase`, which the summary of a followed call asks first anyway).
 * A layer path (`/opt/…`) is taken as one without resolving it: that reads the layers of every deployment
 * descriptor of the project, which only a call that runs per invocation is worth.
 */
function mayFollow(specifier: string, fileOf: (specifier: string) => string | undefined, budget: number, specifiers: SpecifierContext): boolean {
  if (specifier.startsWith('/opt/')) return true;
  const file = fileOf(specifier);
  return file !== undefined && mayReachDatabase(file, budget, specifiers);
}

function insideFunction(node: TSESTree.Node): boolean {
  for (let current = node.parent; current; current = current.parent) if (isFunctionNode(current)) return true;
  return false;
}

function classMethod(
  cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression,
  name: string,
  isStatic: boolean,
): FunctionNode | undefined {
  for (const element of cls.body.body) {
    if (
      (element.type === AST_NODE_TYPES.MethodDefinition || element.type === AST_NODE_TYPES.PropertyDefinition) &&
      element.static === isStatic &&
      (name === 'constructor' ? element.type === AST_NODE_TYPES.MethodDefinition && element.kind === 'constructor' : getPropertyName(element) === name) &&
      element.value &&
      isFunctionNode(element.value)
    ) {
      return element.value;
    }
  }
  return undefined;
}

function isModuleExports(node: TSESTree.Node): boolean {
  return (
    node.type === AST_NODE_TYPES.MemberExpression &&
    node.object.type === AST_NODE_TYPES.Identifier &&
    node.object.name === 'module' &&
    getPropertyName(node) === 'exports'
  );
}

function isExportsObject(node: TSESTree.Node): boolean {
  return (node.type === AST_NODE_TYPES.Identifier && node.name === 'exports') || isModuleExports(node);
}

// ---------------------------------------------------------------------------------------------------------------
// Caches

interface SummaryEntry {
  readonly summary: ModuleSummary | null;
  readonly reads: ReadonlyMap<string, FileStat | null>;
  /** The length of the parsed text the summary holds on to (its weight in the cache). */
  readonly textLength: number;
}

const summaries = new BoundedCache<string, SummaryEntry>('module-summary', 500, { max: PARSE_TEXT_BOUND, of: (entry) => entry.textLength });
const reachCache = new BoundedCache<string, { reads: ReadonlyMap<string, FileStat | null>; value: boolean }>('module-reach', 5_000);

/**
 * Whether calling into a module can create connections within `budget` files: its text names a catalogued driver
 * module and it creates or connects an instance inside a function (a module whose only instance is created at
 * module scope cannot create one per call), or one of the local modules it imports can. Only the modules that name
 * a driver are parsed for this; the others are read as text.
 */
function mayReachDatabase(file: string, budget: number, specifiers: SpecifierContext, seen = new Set<string>()): boolean {
  const key = `${file}\0${budget}\0${specifiers.root}`;
  const cached = reachCache.get(key);
  if (cached && unchanged(cached.reads)) return cached.value;
  if (seen.has(file)) return false;
  seen.add(file);
  const { value, reads } = recordReads(() => {
    const text = readText(file);
    if (text === undefined || text.length > MAX_MODULE_BYTES) return false;
    if (driverModuleSummary(file, text, specifiers)?.createsInFunctions) return true;
    if (budget <= 1) return false;
    for (const specifier of importSpecifiers(text)) {
      const target = resolveSpecifier(specifier, file, specifiers);
      if (target && mayReachDatabase(target, budget - 1, specifiers, seen)) return true;
    }
    return false;
  });
  reachCache.set(key, { reads, value });
  return value;
}

interface ParsedEntry {
  /** Null when the file cannot be read or parsed. */
  readonly sourceCode: Readonly<TSESLint.SourceCode> | null;
  readonly reads: ReadonlyMap<string, FileStat | null>;
}

/**
 * Modules parsed for summaries, one per file, shared by the summaries of every depth (a file the host has linted
 * already comes with the host's parse: core/project/parse.ts).
 */
const parsedModules = new BoundedCache<string, ParsedEntry>('module-parse', 300, {
  max: PARSE_TEXT_BOUND,
  of: (entry) => entry.sourceCode?.text.length ?? 0,
});

function parsedModule(file: string): ParsedEntry {
  const cached = parsedModules.get(file);
  if (cached && unchanged(cached.reads)) return cached;
  const { value, reads } = recordReads(() => {
    const text = readText(file);
    if (text === undefined || text.length > MAX_MODULE_BYTES) return null;
    const parsed = parseFile(file, text);
    const scopeManager = parsed?.scopeManager;
    return parsed && scopeManager?.globalScope ? sourceCodeOf({ ...parsed, scopeManager }) : null;
  });
  const entry: ParsedEntry = { sourceCode: value, reads };
  parsedModules.set(file, entry);
  return entry;
}

/** The summary of a module parsed from disk, without the reachability test. */
function parsedSummary(file: string, budget: number, specifiers: SpecifierContext): ModuleSummary | undefined {
  const key = `${file}\0${budget}\0${specifiers.root}`;
  const cached = summaries.get(key);
  if (cached && unchanged(cached.reads)) return cached.summary ?? undefined;
  const parsed = parsedModule(file);
  let summary: ModuleSummary | null = null;
  if (parsed.sourceCode) {
    try {
      summary = new ModuleSummary(file, budget, parsed.sourceCode);
    } catch {
      summary = null;
    }
  }
  summaries.set(key, { summary, reads: parsed.reads, textLength: summary && parsed.sourceCode ? parsed.sourceCode.text.length : 0 });
  return summary ?? undefined;
}

/** The one-file summary of a module whose text (`text`) names a database module; undefined for other modules. */
function driverModuleSummary(file: string, text: string, specifiers: SpecifierContext): ModuleSummary | undefined {
  return mentionsDatabaseModule(text) ? parsedSummary(file, 1, specifiers) : undefined;
}

function summaryOf(file: string, budget: number, context: Context): ModuleSummary | undefined {
  if (!mayReachDatabase(file, budget, context.specifiers)) return undefined;
  return parsedSummary(file, budget, context.specifiers);
}

/**
 * The driver instance a function imported by the file of `project` declares it returns, read from the module it
 * comes from (one file away; only modules that name a driver are parsed).
 */
export function importedReturnType(project: FileProject, ref: ImportRef): TypedInstance | undefined {
  try {
    const file = resolveSpecifier(ref.specifier, project.file, project.view.specifiers);
    if (!file || file === project.file) return undefined;
    const text = readText(file);
    if (text === undefined || text.length > MAX_MODULE_BYTES) return undefined;
    return driverModuleSummary(file, text, project.view.specifiers)?.returnedType(ref.path);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The file being linted

/** A call (or factory, or resolvers) in a handler file that creates connections in another module per invocation. */
export interface CrossFileFinding {
  /** Where to report: the call, the factory call, or the resolvers reference. */
  readonly node: TSESTree.Node;
  readonly handler: LambdaHandler;
  /** `call`: a function called per invocation; `factory`: the handler is what it returns; `served`: resolvers. */
  readonly kind: 'call' | 'factory' | 'served';
  /** The callee or the imported name as written (`getPool`, `db.getPool`, `resolvers`). */
  readonly name: string;
  /** The module specifier as written (`./db.js`, `/opt/nodejs/db`, `@libs/pg`). */
  readonly module: string;
  readonly creation: Creation;
}


/**
 * Whether the file being linted can call into other files of its project: the project knowledge is on and the
 * file imports a module by a path or an alias. A text test, so most files never look at the project.
 */
export const mayCallIntoProject = perFile(
  (context): boolean => getSettings(context).project && importsProjectModule(context.sourceCode.text),
);

/**
 * The per-invocation calls of the file being linted into other modules of its project that create database
 * connections, once per file; empty when the project knowledge is off or the file has no handler.
 */
export const getCrossFileFindings = perFile((context): CrossFileFinding[] => {
  if (!mayCallIntoProject(context)) return [];
  // Handlers first: a file without one (tests, scripts, modules of classes and types, CDK stacks) needs no project.
  const handlers = getHandlers(context);
  if (handlers.length === 0) return [];
  const project = getProject(context);
  if (!project) return [];
  const sourceCode = context.sourceCode;
  const graph =
    getFileAnalysis(context)?.invocation ??
    new InvocationGraph(sourceCode.scopeManager!.globalScope!, sourceCode.visitorKeys, handlers, new Set());
  const ctx: Context = { specifiers: project.view.specifiers, stack: new Set([project.file]) };
  const out: CrossFileFinding[] = [];
  const resolve = resolverFrom(project.file, ctx.specifiers);
  const fileOf = (specifier: string): string | undefined => {
    const file = resolve(specifier);
    return file === project.file ? undefined : file;
  };
  const ask = (
    ref: ImportRef,
    question: (summary: ModuleSummary, path: readonly string[]) => Creation | undefined,
  ): Creation | undefined => {
    const file = fileOf(ref.specifier);
    const summary = file ? summaryOf(file, MAX_DEPTH, ctx) : undefined;
    return summary ? question(summary, ref.path.length > 0 ? ref.path : EMPTY_PATH) : undefined;
  };
  try {
    for (const call of graph.importedCalls((specifier) => mayFollow(specifier, fileOf, MAX_DEPTH, ctx.specifiers))) {
      const creation = ask(call.ref, (s, path) => s.callCreates(path, ctx));
      if (creation) out.push({ node: call.node, handler: call.handler, kind: 'call', name: call.callee, module: call.ref.specifier, creation });
    }
    for (const handler of handlers) {
      for (const imported of handler.imported) {
        // A factory named like a handler (`baseHandler`) is analysed as one in its own module, which reports there.
        const factoryName = imported.ref.path.at(-1);
        if (imported.kind === 'factory' && factoryName !== undefined && isHandlerName(factoryName, getSettings(context))) continue;
        const creation =
          imported.kind === 'factory'
            ? ask(imported.ref, (s, path) => s.returnedCreates(path, ctx))
            : ask(imported.ref, (s, path) => s.servedCreates(path, ctx));
        if (!creation) continue;
        const name = imported.node.type === AST_NODE_TYPES.CallExpression ? calleeText(imported.node) : textOf(imported.node);
        out.push({ node: imported.node, handler, kind: imported.kind, name, module: imported.ref.specifier, creation });
      }
    }
  } catch {
    // Another file the analysis cannot follow: no cross-file finding rather than a crash on valid code.
    return out;
  }
  return out;
});

function calleeText(call: TSESTree.CallExpression): string {
  return textOf(call.callee);
}

function textOf(node: TSESTree.Node): string {
  const n = unwrapExpression(node);
  if (n.type === AST_NODE_TYPES.Identifier) return n.name;
  if (n.type === AST_NODE_TYPES.MemberExpression) {
    const name = getPropertyName(n);
    return name === undefined ? 'function' : `${textOf(n.object)}.${name}`;
  }
  return 'function';
}
