/**
 * Lambda handler detection: which exported functions of a file are Lambda handlers (domain notes §5.2).
 *
 * A file is Lambda code only when it has one. Recognised: ESM `export const|function|{ x as y }|default`,
 * CommonJS `exports.x`, `module.exports.x`, `module.exports = { ... }`, `module.exports = fn`; values wrapped by
 * `middy(...)`, `awslambda.streamifyResponse(...)`, `withDurableExecution(...)`, or any call (the functions it is
 * given are analysed); Powertools-style classes exported as `instance.handler.bind(instance)`.
 * An export is a handler when a deployment descriptor of the project names it (core/project); when its name is
 * `handler`, ends in `Handler`, or is listed in `settings['lambda-rds'].handlerNames`; or when it is wrapped by a
 * Lambda-only wrapper; or typed with an `@types/aws-lambda` handler type (or its parameters with `aws-lambda`
 * event/context types). A default export counts when one of those holds or its parameters are `(event, context, ...)`.
 *
 * Servers a handler serves run per request too: an Express-style app or router given to an adapter
 * (`serverless(app)`: the functions registered with `app.get(…)`, `app.use(…)`, …) and GraphQL servers
 * (`new ApolloServer({ resolvers })` with `server.createHandler()` or `startServerAndCreateLambdaHandler(server)`,
 * graphql-yoga 1.x `new GraphQLServerLambda({ resolvers }).graphqlHandler`, `createYoga({ schema })`,
 * `makeExecutableSchema({ resolvers })`: every resolver, `context` and `dataSources`
 * function). Values imported from other modules that run per invocation this way (resolvers, handler factories
 * such as `export const main = baseHandler(fn)`) are listed as `imported` for the cross-file analysis.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import {
  getPropertyName,
  isFunctionNode,
  unwrapExpression,
  type FunctionNode,
} from '../ast/nodes.js';
import { findVariable, type Scope, type Variable } from '../ast/scope.js';
import type { FunctionDeclaration } from '../project/types.js';
import { importOf, type ImportRef } from './imports.js';

export interface LambdaHandler {
  /** The exported name (`default` for a default export). */
  readonly name: string;
  /** The export statement or assignment. */
  readonly exportNode: TSESTree.Node;
  /** The functions that run on each invocation (the handler and any functions a wrapper is given). */
  readonly functions: readonly FunctionNode[];
  /** Why it was taken for a handler, for messages and debugging. */
  readonly reason: 'declared' | 'name' | 'wrapper' | 'type' | 'signature';
  /** The deployment descriptors' functions this export handles (empty when no descriptor names it). */
  readonly declarations: readonly FunctionDeclaration[];
  /** Values from other modules that run on each invocation (resolvers, a handler factory's result). */
  readonly imported: readonly ImportedCode[];
}

/** A value imported from another module that runs per invocation. */
export interface ImportedCode {
  /**
   * `factory`: the handler is what an imported function returns (`baseHandler(fn)`): the returned function runs per
   * invocation. `served`: an imported object whose functions a server calls per request (GraphQL resolvers).
   */
  readonly kind: 'factory' | 'served';
  readonly ref: ImportRef;
  /** Where it is used in this file: the factory call, or the resolvers reference. */
  readonly node: TSESTree.Node;
}

export interface HandlerOptions {
  /** Extra export names that are handlers (from `settings['lambda-rds'].handlerNames`). */
  readonly handlerNames: readonly string[];
  /**
   * The project's deployment descriptors' declarations of an export as a handler. Asked only when an export's name
   * does not already make it a handler, or when a handler's declarations are read (timeouts).
   */
  readonly declared?: (exportName: string) => readonly FunctionDeclaration[];
}

const LAMBDA_WRAPPERS = new Set(['middy', 'streamifyResponse', 'withDurableExecution']);
/** Methods of an app or router that register per-request handlers. */
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'use', 'options', 'head', 'route', 'handle']);
/** Keys of GraphQL server options whose functions run per request. */
const SERVED_KEYS = new Set(['resolvers', 'rootValue', 'schema', 'context', 'dataSources']);
/**
 * Methods of a server object that return a Lambda handler (`server.createHandler()`), or are one (graphql-yoga 1.x
 * `new GraphQLServerLambda({ resolvers }).graphqlHandler`).
 */
const SERVER_HANDLER_METHODS = new Set(['createHandler', 'handler', 'getHandler', 'createLambdaHandler', 'graphqlHandler']);
/** Words that a wrapper-based handler needs in the text: without one, wrapper detection cannot succeed. */
const WRAPPER_WORDS = ['middy', 'streamifyResponse', 'withDurableExecution', 'LambdaInterface'];
const AWS_LAMBDA_MODULE = 'aws-lambda';
const EVENT_PARAM = /^_?(?:event|evt)$/i;
const CONTEXT_PARAM = /^_?(?:context|ctx|lambdaContext)$/i;

export function isHandlerName(name: string, options: HandlerOptions): boolean {
  return name === 'handler' || /Handler$/.test(name) || options.handlerNames.includes(name);
}

interface Candidate {
  name: string;
  exportNode: TSESTree.Node;
  value: TSESTree.Node;
  /** A type annotation on the exported binding (`export const handler: Handler = ...`). */
  typeAnnotation?: TSESTree.TypeNode | undefined;
}

export function findHandlers(
  sourceCode: Readonly<TSESLint.SourceCode>,
  options: HandlerOptions,
): LambdaHandler[] {
  const scopeManager = sourceCode.scopeManager;
  const globalScope = scopeManager?.globalScope;
  if (!globalScope) return [];
  const program = sourceCode.ast as TSESTree.Program;
  const lambdaTypes = collectAwsLambdaTypeImports(program);
  const candidates: Candidate[] = [];

  for (const statement of program.body) collectCandidates(statement, globalScope, candidates);

  const handlers: LambdaHandler[] = [];
  // Exports that are not named like handlers only qualify through a Lambda wrapper, an `aws-lambda` type, or as
  // the default export: when the file has none of those, they need not be resolved at all.
  // Searched for only when an export needs it (most files export nothing but named handlers, or nothing at all).
  let mayBeWrapped: boolean | undefined;
  const hasLambdaTypes = lambdaTypes.names.size > 0 || lambdaTypes.namespaces.size > 0;
  const declaredFor = (name: string): readonly FunctionDeclaration[] => options.declared?.(name) ?? [];
  for (const candidate of candidates) {
    const byName = candidate.name !== 'default' && isHandlerName(candidate.name, options);
    // Lambda calls its handler: an export that can never be a function needs no descriptor to say otherwise.
    const declared = !byName && !neverCallable(candidate.value, globalScope) && declaredFor(candidate.name).length > 0;
    const named = declared || byName;
    if (!named && candidate.name !== 'default' && !hasLambdaTypes) {
      mayBeWrapped ??= WRAPPER_WORDS.some((word) => sourceCode.text.includes(word));
      if (!mayBeWrapped) continue;
    }
    const resolver = new FunctionResolver(globalScope);
    const functions = resolver.functionsOf(candidate.value);
    const imported = resolver.imported;
    // A declared handler is one even when its functions cannot be seen (an imported factory's result).
    if (functions.length === 0 && !(named && imported.length > 0) && !declared) continue;
    const typeAnnotation = candidate.typeAnnotation ?? resolver.bindingType;
    let reason: LambdaHandler['reason'] | undefined;
    if (declared) reason = 'declared';
    else if (named) reason = 'name';
    else if (resolver.sawLambdaWrapper) reason = 'wrapper';
    else if (isLambdaHandlerType(typeAnnotation, lambdaTypes) || functions.some((f) => hasLambdaParamTypes(f, lambdaTypes))) {
      reason = 'type';
    } else if (candidate.name === 'default' && functions.some(hasEventContextParams)) reason = 'signature';
    if (reason) {
      const name = candidate.name;
      handlers.push({
        name,
        exportNode: candidate.exportNode,
        functions,
        reason,
        get declarations() {
          return declaredFor(name);
        },
        imported,
      });
    }
  }
  return handlers;
}

/** Values that are never functions: literals, objects, arrays, classes, operators' results. */
const NEVER_CALLABLE = new Set<string>([
  AST_NODE_TYPES.Literal,
  AST_NODE_TYPES.TemplateLiteral,
  AST_NODE_TYPES.ObjectExpression,
  AST_NODE_TYPES.ArrayExpression,
  AST_NODE_TYPES.ClassDeclaration,
  AST_NODE_TYPES.ClassExpression,
  AST_NODE_TYPES.UnaryExpression,
  AST_NODE_TYPES.BinaryExpression,
  AST_NODE_TYPES.UpdateExpression,
]);

/** Whether an exported value can never be a function: such a value, or a class or `const` of the module bound to one. */
function neverCallable(value: TSESTree.Node, scope: Scope): boolean {
  const node = unwrapExpression(value);
  if (NEVER_CALLABLE.has(node.type)) return true;
  if (node.type !== AST_NODE_TYPES.Identifier) return false;
  const def = findVariable(scope, node)?.defs;
  if (def?.length !== 1) return false;
  const { node: declaration, parent } = def[0]!;
  if (declaration.type === AST_NODE_TYPES.ClassDeclaration) return true;
  return (
    declaration.type === AST_NODE_TYPES.VariableDeclarator &&
    parent?.type === AST_NODE_TYPES.VariableDeclaration &&
    parent.kind === 'const' &&
    declaration.init !== null &&
    NEVER_CALLABLE.has(unwrapExpression(declaration.init).type)
  );
}

function collectCandidates(statement: TSESTree.ProgramStatement, scope: Scope, out: Candidate[]): void {
  switch (statement.type) {
    case AST_NODE_TYPES.ExportNamedDeclaration: {
      const decl = statement.declaration;
      if (decl?.type === AST_NODE_TYPES.FunctionDeclaration && decl.id) {
        out.push({ name: decl.id.name, exportNode: statement, value: decl });
      } else if (decl?.type === AST_NODE_TYPES.VariableDeclaration) {
        for (const d of decl.declarations) {
          if (d.id.type === AST_NODE_TYPES.Identifier && d.init) {
            out.push({ name: d.id.name, exportNode: statement, value: d.init, typeAnnotation: d.id.typeAnnotation?.typeAnnotation });
          }
        }
      } else if (!statement.source) {
        for (const spec of statement.specifiers) {
          if (spec.local.type !== AST_NODE_TYPES.Identifier) continue;
          const name = spec.exported.type === AST_NODE_TYPES.Identifier ? spec.exported.name : String(spec.exported.value);
          out.push({ name, exportNode: statement, value: spec.local });
        }
      }
      return;
    }
    case AST_NODE_TYPES.ExportDefaultDeclaration:
      out.push({ name: 'default', exportNode: statement, value: statement.declaration });
      return;
    case AST_NODE_TYPES.ExpressionStatement: {
      let expr: TSESTree.Node = statement.expression;
      // `module.exports.handler = exports.handler = fn`: every target in the chain.
      const targets: TSESTree.Node[] = [];
      while (expr.type === AST_NODE_TYPES.AssignmentExpression && expr.operator === '=') {
        targets.push(expr.left);
        expr = expr.right;
      }
      for (const target of targets) collectCjsExport(target, expr, statement, scope, out);
      return;
    }
    default:
      return;
  }
}

function isCjsExportsObject(node: TSESTree.Node, scope: Scope): boolean {
  const n = unwrapExpression(node);
  if (n.type === AST_NODE_TYPES.Identifier) return n.name === 'exports' && !findVariable(scope, n)?.defs.length;
  return (
    n.type === AST_NODE_TYPES.MemberExpression &&
    n.object.type === AST_NODE_TYPES.Identifier &&
    n.object.name === 'module' &&
    getPropertyName(n) === 'exports' &&
    !findVariable(scope, n.object)?.defs.length
  );
}

function collectCjsExport(
  target: TSESTree.Node,
  value: TSESTree.Node,
  statement: TSESTree.Node,
  scope: Scope,
  out: Candidate[],
): void {
  const t = unwrapExpression(target);
  if (t.type !== AST_NODE_TYPES.MemberExpression) return;
  if (isCjsExportsObject(t.object, scope)) {
    const name = getPropertyName(t);
    if (name !== undefined) out.push({ name, exportNode: statement, value });
    return;
  }
  if (isCjsExportsObject(t, scope)) {
    const v = unwrapExpression(value);
    if (v.type === AST_NODE_TYPES.ObjectExpression) {
      for (const prop of v.properties) {
        if (prop.type !== AST_NODE_TYPES.Property) continue;
        const name = getPropertyName(prop);
        if (name !== undefined) out.push({ name, exportNode: statement, value: prop.value });
      }
    } else {
      out.push({ name: 'default', exportNode: statement, value });
    }
  }
}

/** Resolves an exported value to the functions that run per invocation. */
class FunctionResolver {
  sawLambdaWrapper = false;
  bindingType: TSESTree.TypeNode | undefined;
  readonly imported: ImportedCode[] = [];
  private readonly seen = new Set<TSESTree.Node>();
  private readonly servedVariables = new Set<Variable>();

  constructor(private readonly scope: Scope) {}

  functionsOf(node: TSESTree.Node, depth = 0): FunctionNode[] {
    if (depth > 8 || this.seen.has(node)) return [];
    this.seen.add(node);
    const n = unwrapExpression(node);
    if (isFunctionNode(n)) return [n];
    switch (n.type) {
      case AST_NODE_TYPES.Identifier: {
        const variable = findVariable(this.scope, n);
        const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
        if (!def) return [];
        if (def.node.type === AST_NODE_TYPES.FunctionDeclaration) return [def.node];
        if (def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init) {
          if (def.node.id.type === AST_NODE_TYPES.Identifier && def.node.id.typeAnnotation) {
            this.bindingType ??= def.node.id.typeAnnotation.typeAnnotation;
          }
          const init = unwrapExpression(def.node.init);
          // An app or server object (`const app = express()`, `new ApolloServer({…})`) given to an adapter: the
          // functions it serves.
          if ((init.type === AST_NODE_TYPES.CallExpression || init.type === AST_NODE_TYPES.NewExpression) && variable && !importOf(variable)) {
            const direct = init.type === AST_NODE_TYPES.CallExpression ? this.functionsOfCall(init, depth + 1) : [];
            return [...direct, ...this.servedBy(variable, init, depth + 1)];
          }
          return this.functionsOf(def.node.init, depth + 1);
        }
        return [];
      }
      case AST_NODE_TYPES.CallExpression:
        return this.functionsOfCall(n, depth);
      case AST_NODE_TYPES.MemberExpression:
        return this.methodOf(n, depth);
      case AST_NODE_TYPES.ConditionalExpression:
        return [...this.functionsOf(n.consequent, depth + 1), ...this.functionsOf(n.alternate, depth + 1)];
      case AST_NODE_TYPES.LogicalExpression:
        return [...this.functionsOf(n.left, depth + 1), ...this.functionsOf(n.right, depth + 1)];
      default:
        return [];
    }
  }

  private functionsOfCall(call: TSESTree.CallExpression, depth: number): FunctionNode[] {
    const callee = unwrapExpression(call.callee);
    if (isLambdaWrapperCallee(callee)) this.sawLambdaWrapper = true;
    const out: FunctionNode[] = [];
    if (callee.type === AST_NODE_TYPES.MemberExpression) {
      if (getPropertyName(callee) === 'bind') return this.functionsOf(callee.object, depth + 1);
      // middy(base).use(...).handler(fn): the chain's earlier calls carry the base handler.
      out.push(...this.functionsOf(callee.object, depth + 1));
    } else if (callee.type === AST_NODE_TYPES.Identifier) {
      // A handler factory from another module: `export const main = baseHandler(fn, options)`.
      const variable = findVariable(this.scope, callee);
      const ref = variable ? importOf(variable) : undefined;
      if (ref) this.imported.push({ kind: 'factory', ref, node: call });
    }
    for (const arg of call.arguments) {
      const a = unwrapExpression(arg);
      if (
        isFunctionNode(a) ||
        a.type === AST_NODE_TYPES.Identifier ||
        a.type === AST_NODE_TYPES.MemberExpression ||
        a.type === AST_NODE_TYPES.CallExpression
      ) {
        out.push(...this.functionsOf(a, depth + 1));
      }
    }
    return out;
  }

  /**
   * The functions a server or app object runs per request: resolvers of a GraphQL server's options, routes and
   * middleware registered on an Express-style app or router.
   */
  private servedBy(variable: Variable, init: TSESTree.CallExpression | TSESTree.NewExpression, depth: number): FunctionNode[] {
    if (depth > 8 || this.servedVariables.has(variable)) return [];
    this.servedVariables.add(variable);
    const out: FunctionNode[] = [];
    // Options objects: `new ApolloServer({ typeDefs, resolvers })`, `createYoga({ schema })`.
    for (const arg of init.arguments) {
      const a = unwrapExpression(arg);
      if (a.type === AST_NODE_TYPES.ObjectExpression) this.servedOptions(a, out, depth + 1);
      else if (a.type === AST_NODE_TYPES.Identifier) {
        const def = findVariable(this.scope, a)?.defs[0];
        if (def?.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init && unwrapExpression(def.node.init).type === AST_NODE_TYPES.ObjectExpression) {
          this.servedOptions(def.node.init, out, depth + 1);
        }
      }
    }
    // Registered handlers: `app.get('/x', fn)`, `app.use(router)`, `router.post(...)`.
    for (const ref of variable.references) {
      if (!ref.isRead()) continue;
      const id = ref.identifier as TSESTree.Identifier;
      const member = id.parent;
      if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== id) continue;
      const call = member.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== member) continue;
      const method = getPropertyName(member);
      if (method === undefined || !ROUTE_METHODS.has(method)) continue;
      for (const arg of call.arguments) {
        const a = unwrapExpression(arg);
        if (isFunctionNode(a)) out.push(a);
        else if (a.type === AST_NODE_TYPES.Identifier) out.push(...this.functionsOf(a, depth + 1));
      }
    }
    return out;
  }

  /** Functions under the keys a GraphQL server calls per request, through object literals and schema builders. */
  private servedOptions(node: TSESTree.Node, out: FunctionNode[], depth: number): void {
    if (depth > 10) return;
    const n = unwrapExpression(node);
    if (n.type === AST_NODE_TYPES.Identifier) {
      const variable = findVariable(this.scope, n);
      const ref = variable ? importOf(variable) : undefined;
      if (ref) {
        this.imported.push({ kind: 'served', ref, node: n });
        return;
      }
      const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
      if (def?.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init && !this.seen.has(def.node.init)) {
        this.seen.add(def.node.init);
        this.servedOptions(def.node.init, out, depth + 1);
      }
      return;
    }
    if (n.type === AST_NODE_TYPES.CallExpression || n.type === AST_NODE_TYPES.NewExpression) {
      // `makeExecutableSchema({ typeDefs, resolvers })`, `buildSubgraphSchema([{ typeDefs, resolvers }])`.
      for (const arg of n.arguments) this.servedOptions(arg, out, depth + 1);
      return;
    }
    if (n.type === AST_NODE_TYPES.ArrayExpression) {
      for (const element of n.elements) if (element && element.type !== AST_NODE_TYPES.SpreadElement) this.servedOptions(element, out, depth + 1);
      return;
    }
    if (n.type !== AST_NODE_TYPES.ObjectExpression) return;
    for (const prop of n.properties) {
      if (prop.type !== AST_NODE_TYPES.Property) continue;
      const key = getPropertyName(prop);
      if (key === undefined || !SERVED_KEYS.has(key)) continue;
      const value = unwrapExpression(prop.value as TSESTree.Node);
      if (isFunctionNode(value)) out.push(value);
      else if (key === 'schema') this.servedOptions(value, out, depth + 1);
      else this.resolverFunctions(value, out, depth + 1);
    }
  }

  /** Every function in a resolvers map (`{ Query: { users: () => … } }`), nested objects and variables included. */
  private resolverFunctions(node: TSESTree.Node, out: FunctionNode[], depth: number): void {
    if (depth > 10) return;
    const n = unwrapExpression(node);
    if (isFunctionNode(n)) {
      out.push(n);
      return;
    }
    if (n.type === AST_NODE_TYPES.Identifier) {
      const variable = findVariable(this.scope, n);
      const ref = variable ? importOf(variable) : undefined;
      if (ref) {
        this.imported.push({ kind: 'served', ref, node: n });
        return;
      }
      const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
      if (def?.node.type === AST_NODE_TYPES.FunctionDeclaration) out.push(def.node);
      else if (def?.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init && !this.seen.has(def.node.init)) {
        this.seen.add(def.node.init);
        this.resolverFunctions(def.node.init, out, depth + 1);
      }
      return;
    }
    if (n.type === AST_NODE_TYPES.ArrayExpression) {
      for (const element of n.elements) if (element && element.type !== AST_NODE_TYPES.SpreadElement) this.resolverFunctions(element, out, depth + 1);
      return;
    }
    if (n.type !== AST_NODE_TYPES.ObjectExpression) return;
    for (const prop of n.properties) {
      if (prop.type === AST_NODE_TYPES.SpreadElement) this.resolverFunctions(prop.argument, out, depth + 1);
      else if (prop.value) this.resolverFunctions(prop.value as TSESTree.Node, out, depth + 1);
    }
  }

  /** `instance.handler` / `Class.handler`: the class method. */
  private methodOf(member: TSESTree.MemberExpression, depth: number): FunctionNode[] {
    const name = getPropertyName(member);
    const object = unwrapExpression(member.object);
    if (name === undefined || object.type !== AST_NODE_TYPES.Identifier) return [];
    const variable = findVariable(this.scope, object);
    const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
    if (!def) return [];

    let classNode: TSESTree.ClassDeclaration | TSESTree.ClassExpression | undefined;
    if (def.node.type === AST_NODE_TYPES.ClassDeclaration) classNode = def.node;
    else if (def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init) {
      const init = unwrapExpression(def.node.init);
      if (init.type === AST_NODE_TYPES.ClassExpression) classNode = init;
      else if (init.type === AST_NODE_TYPES.NewExpression) classNode = this.classOf(init.callee);
    }
    if (!classNode) {
      // `server.createHandler` of a server from a package (a GraphQL server): the resolvers it was given.
      const init = def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init ? unwrapExpression(def.node.init) : undefined;
      if (variable && init?.type === AST_NODE_TYPES.NewExpression && SERVER_HANDLER_METHODS.has(name)) {
        return this.servedBy(variable, init, depth + 1);
      }
      return [];
    }
    if (implementsLambdaInterface(classNode)) this.sawLambdaWrapper = true;
    for (const element of classNode.body.body) {
      if (
        (element.type === AST_NODE_TYPES.MethodDefinition || element.type === AST_NODE_TYPES.PropertyDefinition) &&
        getPropertyName(element) === name &&
        element.value
      ) {
        return this.functionsOf(element.value, depth + 1);
      }
    }
    return [];
  }

  private classOf(node: TSESTree.Node): TSESTree.ClassDeclaration | TSESTree.ClassExpression | undefined {
    const n = unwrapExpression(node);
    if (n.type === AST_NODE_TYPES.ClassExpression) return n;
    if (n.type !== AST_NODE_TYPES.Identifier) return undefined;
    const def = findVariable(this.scope, n)?.defs[0];
    if (def?.node.type === AST_NODE_TYPES.ClassDeclaration) return def.node;
    if (def?.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init?.type === AST_NODE_TYPES.ClassExpression) {
      return def.node.init;
    }
    return undefined;
  }
}

function isLambdaWrapperCallee(callee: TSESTree.Node): boolean {
  if (callee.type === AST_NODE_TYPES.Identifier) return LAMBDA_WRAPPERS.has(callee.name);
  if (callee.type === AST_NODE_TYPES.MemberExpression) {
    const name = getPropertyName(callee);
    const object = unwrapExpression(callee.object);
    if (name === 'streamifyResponse' && object.type === AST_NODE_TYPES.Identifier && object.name === 'awslambda') {
      return true;
    }
    // middy().use(...).handler(fn)
    if (name === 'handler' || name === 'use' || name === 'before' || name === 'after' || name === 'onError') {
      let root: TSESTree.Node = object;
      while (root.type === AST_NODE_TYPES.CallExpression || root.type === AST_NODE_TYPES.MemberExpression) {
        root = root.type === AST_NODE_TYPES.CallExpression ? unwrapExpression(root.callee) : unwrapExpression(root.object);
      }
      return root.type === AST_NODE_TYPES.Identifier && root.name === 'middy';
    }
  }
  return false;
}

function implementsLambdaInterface(node: TSESTree.ClassDeclaration | TSESTree.ClassExpression): boolean {
  return (node.implements ?? []).some((impl) => {
    const expr = impl.expression;
    return (
      (expr.type === AST_NODE_TYPES.Identifier && expr.name === 'LambdaInterface') ||
      (expr.type === AST_NODE_TYPES.MemberExpression && getPropertyName(expr) === 'LambdaInterface')
    );
  });
}

/** Local names (and namespace names) imported from `aws-lambda`, type-only imports included. */
interface LambdaTypeImports {
  names: Map<string, string>;
  namespaces: Set<string>;
}

function collectAwsLambdaTypeImports(program: TSESTree.Program): LambdaTypeImports {
  const names = new Map<string, string>();
  const namespaces = new Set<string>();
  for (const statement of program.body) {
    if (statement.type !== AST_NODE_TYPES.ImportDeclaration || statement.source.value !== AWS_LAMBDA_MODULE) continue;
    for (const spec of statement.specifiers) {
      if (spec.type === AST_NODE_TYPES.ImportSpecifier) {
        const imported = spec.imported.type === AST_NODE_TYPES.Identifier ? spec.imported.name : spec.imported.value;
        names.set(spec.local.name, imported);
      } else {
        namespaces.add(spec.local.name);
      }
    }
  }
  return { names, namespaces };
}

/** The `aws-lambda` export a type reference names, if any (`Handler`, `lambda.SQSHandler`, ...). */
function awsLambdaTypeName(type: TSESTree.TypeNode | undefined, imports: LambdaTypeImports): string | undefined {
  if (type?.type !== AST_NODE_TYPES.TSTypeReference) return undefined;
  const name = type.typeName;
  if (name.type === AST_NODE_TYPES.Identifier) return imports.names.get(name.name);
  if (
    name.type === AST_NODE_TYPES.TSQualifiedName &&
    name.left.type === AST_NODE_TYPES.Identifier &&
    imports.namespaces.has(name.left.name)
  ) {
    return name.right.name;
  }
  return undefined;
}

function isLambdaHandlerType(type: TSESTree.TypeNode | undefined, imports: LambdaTypeImports): boolean {
  const name = awsLambdaTypeName(type, imports);
  return name !== undefined && /Handler(?:V\d+)?$/.test(name);
}

function hasLambdaParamTypes(fn: FunctionNode, imports: LambdaTypeImports): boolean {
  return fn.params.some((param) => {
    const p = param.type === AST_NODE_TYPES.AssignmentPattern ? param.left : param;
    const annotation = 'typeAnnotation' in p ? p.typeAnnotation?.typeAnnotation : undefined;
    const name = awsLambdaTypeName(annotation, imports);
    return name !== undefined && /(?:Event|EventV\d+|Context|Record)$/.test(name);
  });
}

function paramName(param: TSESTree.Parameter | undefined): string | undefined {
  if (!param) return undefined;
  const p = param.type === AST_NODE_TYPES.AssignmentPattern ? param.left : param;
  return p.type === AST_NODE_TYPES.Identifier ? p.name : undefined;
}

function hasEventContextParams(fn: FunctionNode): boolean {
  const first = paramName(fn.params[0]);
  const second = paramName(fn.params[1]);
  return (first !== undefined && EVENT_PARAM.test(first) && (second === undefined || CONTEXT_PARAM.test(second))) ||
    (second !== undefined && CONTEXT_PARAM.test(second));
}
