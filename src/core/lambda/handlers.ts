/**
 * Lambda handler detection: which exported functions of a file are Lambda handlers (domain notes §5.2).
 *
 * A file is Lambda code only when it has one. Recognised: ESM `export const|function|{ x as y }|default`,
 * CommonJS `exports.x`, `module.exports.x`, `module.exports = { ... }`, `module.exports = fn`; values wrapped by
 * `middy(...)`, `awslambda.streamifyResponse(...)`, `withDurableExecution(...)`, or any call (the functions it is
 * given are analysed); Powertools-style classes exported as `instance.handler.bind(instance)`.
 * An export is a handler when its name is `handler`, ends in `Handler`, or is listed in
 * `settings['lambda-rds'].handlerNames`; or when it is wrapped by a Lambda-only wrapper; or typed with an
 * `@types/aws-lambda` handler type (or its parameters with `aws-lambda` event/context types). A default export
 * counts when one of those holds or its parameters are `(event, context, ...)`.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import {
  getPropertyName,
  isFunctionNode,
  unwrapExpression,
  type FunctionNode,
} from '../ast/nodes.js';
import { findVariable, type Scope } from '../ast/scope.js';

export interface LambdaHandler {
  /** The exported name (`default` for a default export). */
  readonly name: string;
  /** The export statement or assignment. */
  readonly exportNode: TSESTree.Node;
  /** The functions that run on each invocation (the handler and any functions a wrapper is given). */
  readonly functions: readonly FunctionNode[];
  /** Why it was taken for a handler, for messages and debugging. */
  readonly reason: 'name' | 'wrapper' | 'type' | 'signature';
}

export interface HandlerOptions {
  /** Extra export names that are handlers (from `settings['lambda-rds'].handlerNames`). */
  readonly handlerNames: readonly string[];
}

const LAMBDA_WRAPPERS = new Set(['middy', 'streamifyResponse', 'withDurableExecution']);
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
  for (const candidate of candidates) {
    const named = candidate.name !== 'default' && isHandlerName(candidate.name, options);
    if (!named && candidate.name !== 'default' && !hasLambdaTypes) {
      mayBeWrapped ??= WRAPPER_WORDS.some((word) => sourceCode.text.includes(word));
      if (!mayBeWrapped) continue;
    }
    const resolver = new FunctionResolver(globalScope);
    const functions = resolver.functionsOf(candidate.value);
    if (functions.length === 0) continue;
    const typeAnnotation = candidate.typeAnnotation ?? resolver.bindingType;
    let reason: LambdaHandler['reason'] | undefined;
    if (named) reason = 'name';
    else if (resolver.sawLambdaWrapper) reason = 'wrapper';
    else if (isLambdaHandlerType(typeAnnotation, lambdaTypes) || functions.some((f) => hasLambdaParamTypes(f, lambdaTypes))) {
      reason = 'type';
    } else if (candidate.name === 'default' && functions.some(hasEventContextParams)) reason = 'signature';
    if (reason) handlers.push({ name: candidate.name, exportNode: candidate.exportNode, functions, reason });
  }
  return handlers;
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
  private readonly seen = new Set<TSESTree.Node>();

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
    if (!classNode) return [];
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
