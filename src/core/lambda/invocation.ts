/**
 * Per-invocation reachability: which code runs on every invocation of a Lambda handler.
 *
 * That is the handlers' bodies (nested callbacks included) and the functions of the same module they call,
 * transitively (plain calls, `this.method()` in a class, methods of module-scope object literals, and functions
 * passed by name as callbacks, functions assigned to implicit globals in sloppy scripts (`getClient = () => …`),
 * methods of an instance of a class of the module (`const db = new Db(); db.query()`), and the constructor of such
 * a class). Code guarded by a module-scope cache does not run per invocation in effect, and calls made under such
 * a guard do not propagate: `if (!pool) pool = new Pool()`, `pool ??= ...`, `pool = pool || ...`,
 * `if (pool) return pool;`, `if (typeof client === 'undefined') client = …` (also on implicit globals), memoised
 * promises (`promise ||= (async () => ...)()`), and checks of a module-scope flag or of the instance's own state
 * (`if (!client._connected)`).
 *
 * Calls of functions imported from other modules are listed (`importedCalls`) for the cross-file analysis: found from
 * the imported bindings' references, so that a file whose imports lead nowhere the analysis can follow (packages, or
 * files that do not exist) is never walked for them.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import {
  getPropertyName,
  immediateCall,
  isFunctionNode,
  isTransparentWrapper,
  memberRoot,
  unwrapExpression,
  type FunctionNode,
} from '../ast/nodes.js';
import { walk, type VisitorKeys } from '../ast/walk.js';
import {
  findVariable,
  isLongLivedTarget,
  isModuleScopeVariable,
  isReassigned,
  type Scope,
  type Variable,
} from '../ast/scope.js';
import type { LambdaHandler } from './handlers.js';
import { isRegistryFunction } from '../drivers/catalogue.js';
import { importOf, type ImportRef } from './imports.js';

/** A call, in code that runs per invocation, of a function imported from another module. */
export interface ImportedCall {
  readonly node: TSESTree.CallExpression | TSESTree.NewExpression;
  readonly handler: LambdaHandler;
  /** The imported binding and the members called on it: `db.getPool()` is `db`'s import plus `['getPool']`. */
  readonly ref: ImportRef;
  /** The callee as written (`getPool`, `db.getPool`). */
  readonly callee: string;
}

export class InvocationGraph {
  /** Functions that run on every invocation, each mapped to the handler it is reached from. */
  private readonly perInvocation = new Map<FunctionNode, LambdaHandler>();
  /** Whether `perInvocation` holds the functions the handlers call too, or only the handlers' own functions. */
  private reachabilityComputed = false;
  /** Function bodies already searched for calls. */
  private readonly walked = new Set<FunctionNode>();
  /** Functions assigned to implicit globals at the top level of a sloppy script, by name. */
  private implicitFunctions: Map<string, FunctionNode | null> | undefined;

  constructor(
    private readonly scope: Scope,
    private readonly visitorKeys: VisitorKeys,
    handlers: readonly LambdaHandler[],
    /** Variables holding driver instances: a test of their state is a cache guard. */
    private readonly instanceVariables: ReadonlySet<Variable>,
  ) {
    // A function listed by several handlers belongs to the first.
    for (const handler of handlers) {
      for (const fn of handler.functions) {
        if (!this.perInvocation.has(fn)) this.perInvocation.set(fn, handler);
      }
    }
  }

  /**
   * Adds the functions the handlers call, transitively. Done on first need only: a node whose innermost function
   * is a handler's own function is answered without it, which is the common case of a client created in the
   * handler's body.
   */
  private computeReachability(): void {
    this.reachabilityComputed = true;
    const work = [...this.perInvocation.keys()];
    while (work.length > 0) {
      const fn = work.pop()!;
      // Already walked as part of an enclosing function's body: its calls are known.
      if (this.walked.has(fn)) continue;
      const handler = this.perInvocation.get(fn)!;
      for (const callee of this.calledFunctions(fn)) {
        if (this.perInvocation.has(callee)) continue;
        this.perInvocation.set(callee, handler);
        work.push(callee);
      }
    }
  }

  /**
   * The handler on whose per-invocation path `node` runs, or undefined when it runs once per execution
   * environment (module scope, functions the handler never calls, or behind a module-scope cache).
   */
  handlerFor(node: TSESTree.Node): LambdaHandler | undefined {
    const handler = this.runsFor(node);
    return handler && !this.isCached(node) ? handler : undefined;
  }

  /** The handler on whose per-invocation path the function code around `node` is, cache guards aside. */
  private runsFor(node: TSESTree.Node): LambdaHandler | undefined {
    let handler: LambdaHandler | undefined;
    for (let current = node.parent; current; current = current.parent) {
      if (isFunctionNode(current)) {
        const h = this.perInvocation.get(current);
        if (h) {
          handler = h;
          break;
        }
        // Not a handler's own function: whether it runs per invocation depends on what the handlers call.
        if (!this.reachabilityComputed) {
          this.computeReachability();
          const reached = this.perInvocation.get(current);
          if (reached) {
            handler = reached;
            break;
          }
        }
      }
    }
    return handler;
  }

  /** Functions of this module called (or passed as callbacks) from `fn`, not under a cache guard. */
  private calledFunctions(fn: FunctionNode): FunctionNode[] {
    const out: FunctionNode[] = [];
    this.walked.add(fn);
    walk(fn.body, this.visitorKeys, (node) => {
      if (isFunctionNode(node)) {
        // Nested functions run per invocation too (callbacks); each body is walked once.
        if (this.walked.has(node)) return false;
        this.walked.add(node);
        return;
      }
      if (node.type !== AST_NODE_TYPES.CallExpression && node.type !== AST_NODE_TYPES.NewExpression) return;
      const targets: TSESTree.Node[] = [node.callee];
      for (const arg of node.arguments) {
        const a = unwrapExpression(arg);
        if (a.type === AST_NODE_TYPES.Identifier || a.type === AST_NODE_TYPES.MemberExpression) targets.push(a);
      }
      let cached: boolean | undefined;
      for (const target of targets) {
        const resolved = this.resolveFunction(target);
        if (!resolved) continue;
        cached ??= this.isCached(node);
        if (!cached) out.push(resolved);
      }
    });
    return out;
  }

  /** The function a callee expression names, when it is defined in this module. */
  private resolveFunction(node: TSESTree.Node, depth = 0): FunctionNode | undefined {
    if (depth > 4) return undefined;
    const n = unwrapExpression(node);
    if (isFunctionNode(n)) return undefined; // inline: already inside the caller
    if (n.type === AST_NODE_TYPES.Identifier) {
      const variable = findVariable(this.scope, n);
      if (!variable) return this.implicitFunction(n.name);
      const def = variable.defs.length === 1 ? variable.defs[0] : undefined;
      if (!def) return undefined;
      if (def.node.type === AST_NODE_TYPES.FunctionDeclaration) return def.node;
      // `new Db()` of a class of the module: its constructor.
      if (def.node.type === AST_NODE_TYPES.ClassDeclaration && n.parent?.type === AST_NODE_TYPES.NewExpression && n.parent.callee === n) {
        return constructorOf(def.node);
      }
      if (def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init && def.node.id === def.name) {
        const init = unwrapExpression(def.node.init);
        if (isFunctionNode(init)) return init;
        if (init.type === AST_NODE_TYPES.Identifier) return this.resolveFunction(init, depth + 1);
      }
      return undefined;
    }
    if (n.type === AST_NODE_TYPES.MemberExpression) {
      const name = getPropertyName(n);
      if (name === undefined) return undefined;
      const object = unwrapExpression(n.object);
      if (object.type === AST_NODE_TYPES.ThisExpression) return classMember(n, name);
      if (object.type === AST_NODE_TYPES.Identifier) {
        const def = findVariable(this.scope, object)?.defs[0];
        if (def?.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init) {
          const init = unwrapExpression(def.node.init);
          if (init.type === AST_NODE_TYPES.ObjectExpression) {
            for (const prop of init.properties) {
              if (prop.type === AST_NODE_TYPES.Property && getPropertyName(prop) === name) {
                const value = unwrapExpression(prop.value);
                return isFunctionNode(value) ? value : this.resolveFunction(value, depth + 1);
              }
            }
          }
        }
        if (def?.node.type === AST_NODE_TYPES.ClassDeclaration) return staticMember(def.node, name);
        // `const db = new Db(); db.query()`: the method of the module's class.
        if (def?.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init) {
          const init = unwrapExpression(def.node.init);
          const created = init.type === AST_NODE_TYPES.AwaitExpression ? unwrapExpression(init.argument) : init;
          if (created.type === AST_NODE_TYPES.NewExpression && created.callee.type === AST_NODE_TYPES.Identifier) {
            const cls = findVariable(this.scope, created.callee)?.defs[0]?.node;
            if (cls?.type === AST_NODE_TYPES.ClassDeclaration) return instanceMember(cls, name);
          }
        }
      }
    }
    return undefined;
  }

  /**
   * A function assigned once to an implicit global at the top level of a sloppy script (`getClient = () => …`),
   * as such scripts declare their helpers.
   */
  private implicitFunction(name: string): FunctionNode | undefined {
    if (!this.implicitFunctions) {
      this.implicitFunctions = new Map();
      const program = programOf(this.scope);
      for (const statement of program?.body ?? []) {
        if (statement.type !== AST_NODE_TYPES.ExpressionStatement) continue;
        const expr = statement.expression;
        if (expr.type !== AST_NODE_TYPES.AssignmentExpression || expr.operator !== '=' || expr.left.type !== AST_NODE_TYPES.Identifier) continue;
        const target = expr.left.name;
        if (findVariable(this.scope, expr.left)) continue;
        const value = unwrapExpression(expr.right);
        // Assigned twice: not a single function.
        this.implicitFunctions.set(target, this.implicitFunctions.has(target) || !isFunctionNode(value) ? null : value);
      }
    }
    return this.implicitFunctions.get(name) ?? undefined;
  }

  /**
   * Calls of imported functions in the code that runs per invocation (not under a cache guard), with the handler
   * each runs for, in source order. `db.getPool()` on an imported module object counts, with the member path. Only
   * imports whose specifier `follows` accepts are looked at (the cross-file analysis: those that can lead to a file of
   * the project); their calls are found from their references, and the functions the handlers call are worked out
   * only when one of those calls is outside the handlers' own functions.
   */
  importedCalls(follows: (specifier: string) => boolean): ImportedCall[] {
    const out: ImportedCall[] = [];
    for (const { variable, ref } of importedVariables(rootScope(this.scope))) {
      const calls: { node: TSESTree.CallExpression | TSESTree.NewExpression; members: string[] }[] = [];
      for (const reference of variable.references) {
        const call = callThrough(reference.identifier as TSESTree.Node);
        if (call) calls.push(call);
      }
      if (calls.length === 0 || !follows(ref.specifier)) continue;
      for (const { node, members } of calls) {
        const handler = this.runsFor(node);
        if (!handler || this.isCached(node, variable)) continue;
        out.push({ node, handler, ref: { ...ref, path: [...ref.path, ...members] }, callee: [variable.name, ...members].join('.') });
      }
    }
    return out.sort((a, b) => a.node.range[0] - b.node.range[0]);
  }

  /**
   * Whether the value or execution of `node` is guarded by a cache that outlives the invocation. `subject`: the
   * long-lived object the guarded call acts on (an imported instance): a test of its own state is a cache test too
   * (`if (!AppDataSource.isInitialized) await AppDataSource.initialize()`).
   */
  isCached(node: TSESTree.Node, subject?: Variable): boolean {
    return this.isStoredInCache(node) || this.isUnderCacheGuard(node, subject);
  }

  /** `cache ??= <node>`, `cache ||= await <node>`, also through IIFEs and `.then()` chains. */
  private isStoredInCache(node: TSESTree.Node): boolean {
    let current = node;
    for (let steps = 0; steps < 50; steps++) {
      const parent = current.parent;
      if (!parent) return false;
      if (
        parent.type === AST_NODE_TYPES.AwaitExpression ||
        isTransparentWrapper(parent) ||
        (parent.type === AST_NODE_TYPES.LogicalExpression && parent.right === current) ||
        (parent.type === AST_NODE_TYPES.ConditionalExpression && parent.test !== current) ||
        (parent.type === AST_NODE_TYPES.SequenceExpression && parent.expressions.at(-1) === current)
      ) {
        current = parent;
        continue;
      }
      // <node>.then(...) / .catch(...) / .finally(...)
      if (
        parent.type === AST_NODE_TYPES.MemberExpression &&
        parent.object === current &&
        ['then', 'catch', 'finally'].includes(getPropertyName(parent) ?? '') &&
        parent.parent?.type === AST_NODE_TYPES.CallExpression &&
        parent.parent.callee === parent
      ) {
        current = parent.parent;
        continue;
      }
      // return <node> / arrow body, inside an IIFE: continue from the IIFE's call.
      if (parent.type === AST_NODE_TYPES.ReturnStatement || (isFunctionNode(parent) && parent.body === current)) {
        const fn = isFunctionNode(parent) ? parent : enclosingFunctionOf(parent);
        const call = fn && fn.type !== AST_NODE_TYPES.FunctionDeclaration ? immediateCall(fn) : undefined;
        if (!call) return false;
        current = call;
        continue;
      }
      if (parent.type === AST_NODE_TYPES.AssignmentExpression && parent.right === current) {
        if (parent.operator !== '??=' && parent.operator !== '||=') return false;
        return isLongLivedTarget(this.scope, parent.left);
      }
      return false;
    }
    return false;
  }

  /**
   * An enclosing `if`/`?:`/`||` whose test reads a cache (a reassigned module-scope variable, or a driver
   * instance's own state), or an earlier `if (<cache test>) return ...` in an enclosing block.
   */
  private isUnderCacheGuard(node: TSESTree.Node, subject?: Variable): boolean {
    let child: TSESTree.Node = node;
    for (let current = node.parent; current; child = current, current = current.parent) {
      switch (current.type) {
        case AST_NODE_TYPES.IfStatement:
          if (child !== current.test && this.isCacheTest(current.test, subject)) return true;
          break;
        case AST_NODE_TYPES.ConditionalExpression:
          if (child !== current.test && this.isCacheTest(current.test, subject)) return true;
          break;
        case AST_NODE_TYPES.LogicalExpression:
          if (child === current.right && this.isCacheTest(current.left, subject)) return true;
          break;
        case AST_NODE_TYPES.AssignmentExpression:
          // cache ??= (async () => { ... })()
          if (
            child === current.right &&
            (current.operator === '??=' || current.operator === '||=') &&
            isLongLivedTarget(this.scope, current.left)
          ) {
            return true;
          }
          break;
        case AST_NODE_TYPES.BlockStatement:
        case AST_NODE_TYPES.StaticBlock:
          for (const statement of current.body) {
            if (statement === child) break;
            if (this.isEarlyReturnGuard(statement, subject)) return true;
          }
          break;
        default:
          break;
      }
      if (isFunctionNode(current)) {
        // Keep climbing only through IIFEs; a plain function boundary ends the guard's reach.
        const call = current.type === AST_NODE_TYPES.FunctionDeclaration ? undefined : immediateCall(current);
        if (!call) return false;
      }
    }
    return false;
  }

  private isEarlyReturnGuard(statement: TSESTree.Statement, subject?: Variable): boolean {
    if (statement.type !== AST_NODE_TYPES.IfStatement) return false;
    const exits = (s: TSESTree.Statement | null | undefined): boolean =>
      !!s &&
      (s.type === AST_NODE_TYPES.ReturnStatement ||
        s.type === AST_NODE_TYPES.ThrowStatement ||
        (s.type === AST_NODE_TYPES.BlockStatement && exits(s.body.at(-1))));
    return exits(statement.consequent) && this.isCacheTest(statement.test, subject);
  }

  /** Does a test expression read a cache: a module-scope variable that is reassigned, or instance state? */
  private isCacheTest(test: TSESTree.Node, subject?: Variable): boolean {
    let found = false;
    walk(test, this.visitorKeys, (n) => {
      if (found || isFunctionNode(n)) return false;
      if (n.type === AST_NODE_TYPES.MemberExpression) {
        const root = memberRoot(n);
        if (root?.type === AST_NODE_TYPES.ThisExpression) {
          found = true;
          return false;
        }
        if (root?.type === AST_NODE_TYPES.Identifier) {
          if (root.name === 'globalThis' || root.name === 'global') {
            found = !findVariable(this.scope, root)?.defs.length;
            return false;
          }
          const variable = findVariable(this.scope, root);
          if (variable && (variable === subject || this.instanceVariables.has(variable) || isCacheVariable(variable) || isRegistryValue(this.scope, variable))) {
            found = true;
          }
        }
        return !found;
      }
      if (n.type === AST_NODE_TYPES.Identifier) {
        const variable = findVariable(this.scope, n);
        if (variable ? isCacheVariable(variable) : this.isImplicitGlobalCache(n)) found = true;
      }
      return !found;
    });
    return found;
  }

  /**
   * A name no declaration binds, read in a test (`typeof client === 'undefined'`, `!client`) and assigned in the
   * file: an implicit global of a sloppy script, which lives as long as the execution environment, like a
   * module-scope variable.
   */
  private isImplicitGlobalCache(identifier: TSESTree.Identifier): boolean {
    const globalScope = rootScope(this.scope);
    const global = globalScope.set.get(identifier.name);
    if (global && global.defs.length > 0) return false;
    return globalScope.through.some(
      (ref) => ref.identifier.name === identifier.name && ref.isWrite() && (ref.identifier as TSESTree.Node) !== identifier,
    );
  }
}

/** The variables of every scope that hold an import (`import`, `require()`, `await import()`), with what they import. */
function importedVariables(root: Scope): { variable: Variable; ref: ImportRef }[] {
  const out: { variable: Variable; ref: ImportRef }[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const scope = stack.pop()!;
    // Built-in and library globals have no declaration: one comparison each.
    for (const variable of scope.variables) {
      if (variable.defs.length !== 1 || variable.references.length === 0) continue;
      const ref = importOf(variable);
      if (ref) out.push({ variable, ref });
    }
    for (const child of scope.childScopes) stack.push(child);
  }
  return out;
}

/**
 * The call an identifier is the callee of, directly or as the root of a chain of at most three static members
 * (`f()`, `m.a.f()`, `new m.Client()`), with those members; undefined for any other use.
 */
function callThrough(identifier: TSESTree.Node): { node: TSESTree.CallExpression | TSESTree.NewExpression; members: string[] } | undefined {
  const members: string[] = [];
  let current = identifier;
  for (let parent = current.parent; parent; current = parent, parent = parent.parent) {
    if (isTransparentWrapper(parent)) continue;
    if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === current) {
      const name = getPropertyName(parent);
      if (name === undefined || members.length === 3) return undefined;
      members.push(name);
      continue;
    }
    if ((parent.type === AST_NODE_TYPES.CallExpression || parent.type === AST_NODE_TYPES.NewExpression) && parent.callee === current) {
      return { node: parent, members };
    }
    return undefined;
  }
  return undefined;
}

function rootScope(scope: Scope): Scope {
  let current = scope;
  while (current.upper) current = current.upper;
  return current;
}

function programOf(scope: Scope): TSESTree.Program | undefined {
  const block = rootScope(scope).block;
  return block.type === AST_NODE_TYPES.Program ? block : undefined;
}

function constructorOf(cls: TSESTree.ClassDeclaration): FunctionNode | undefined {
  for (const element of cls.body.body) {
    if (element.type === AST_NODE_TYPES.MethodDefinition && element.kind === 'constructor' && isFunctionNode(element.value)) {
      return element.value;
    }
  }
  return undefined;
}

function instanceMember(cls: TSESTree.ClassDeclaration, name: string): FunctionNode | undefined {
  for (const element of cls.body.body) {
    if (
      (element.type === AST_NODE_TYPES.MethodDefinition || element.type === AST_NODE_TYPES.PropertyDefinition) &&
      !element.static &&
      getPropertyName(element) === name &&
      element.value &&
      isFunctionNode(element.value)
    ) {
      return element.value;
    }
  }
  return undefined;
}

/** `const manager = getConnectionManager()` (TypeORM): the driver's own registry of connections. */
function isRegistryValue(scope: Scope, variable: Variable): boolean {
  const def = variable.defs.length === 1 ? variable.defs[0] : undefined;
  if (def?.node.type !== AST_NODE_TYPES.VariableDeclarator || !def.node.init) return false;
  const init = unwrapExpression(def.node.init);
  if (init.type !== AST_NODE_TYPES.CallExpression || init.callee.type !== AST_NODE_TYPES.Identifier) return false;
  const callee = findVariable(scope, init.callee);
  const ref = callee ? importOf(callee) : undefined;
  const name = ref?.path.length === 1 ? ref.path[0]! : init.callee.name;
  return Boolean(ref && isRegistryFunction(ref.specifier, name));
}

/** A module-scope `let`/`var` that code assigns after its declaration: a cache or a flag. */
function isCacheVariable(variable: Variable): boolean {
  return isModuleScopeVariable(variable) && isReassigned(variable);
}

function enclosingFunctionOf(node: TSESTree.Node): FunctionNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionNode(current)) return current;
  }
  return undefined;
}

function enclosingClass(node: TSESTree.Node): TSESTree.ClassBody | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === AST_NODE_TYPES.ClassBody) return current;
  }
  return undefined;
}

function classMember(node: TSESTree.Node, name: string): FunctionNode | undefined {
  const body = enclosingClass(node);
  for (const element of body?.body ?? []) {
    if (
      (element.type === AST_NODE_TYPES.MethodDefinition || element.type === AST_NODE_TYPES.PropertyDefinition) &&
      getPropertyName(element) === name &&
      element.value &&
      isFunctionNode(element.value)
    ) {
      return element.value;
    }
  }
  return undefined;
}

function staticMember(cls: TSESTree.ClassDeclaration, name: string): FunctionNode | undefined {
  for (const element of cls.body.body) {
    if (
      element.type === AST_NODE_TYPES.MethodDefinition &&
      element.static &&
      getPropertyName(element) === name &&
      isFunctionNode(element.value)
    ) {
      return element.value;
    }
  }
  return undefined;
}

