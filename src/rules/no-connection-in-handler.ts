import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { createRule } from '../util/create-rule.js';
import { getFileAnalysis, type DriverInstance, type FileAnalysis } from '../core/analysis.js';
import type { InstanceKind } from '../core/drivers/catalogue.js';
import { isFunctionNode, unwrapExpression, type FunctionNode } from '../core/ast/nodes.js';
import { findVariable, isModuleScope } from '../core/ast/scope.js';
import { walk } from '../core/ast/walk.js';
import { dedentedStatementText, leadingCommentStart, lineBreak, statementRemovalRange } from '../util/text.js';

export type Options = [];
export type MessageIds = 'connectionInHandler' | 'connectInHandler' | 'suggestHoist';

const KIND_NAMES: Record<InstanceKind, string> = {
  pool: 'connection pool',
  client: 'database connection',
  orm: 'pooled client',
  managed: 'client',
};

export default createRule<Options, MessageIds>({
  name: 'no-connection-in-handler',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow creating database connections, pools or clients on every Lambda invocation',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      connectionInHandler: '{{driver}} creates a {{kind}} on each invocation of `{{handler}}`; create it once at module scope.',
      connectInHandler:
        '`{{name}}.{{method}}()` connects again on each invocation of `{{handler}}`; connect once, behind a module-scope promise.',
      suggestHoist: 'Move `{{name}}` to module scope so it is created once per execution environment.',
    },
  },
  defaultOptions: [],
  create(context) {
    const analysis = getFileAnalysis(context);
    if (!analysis || analysis.instances.length === 0 || !analysis.isLambda) return {};

    return {
      'Program:exit'() {
        const graph = analysis.invocation;
        const reported = new Set<DriverInstance>();
        for (const instance of analysis.instances) {
          const { creator } = instance;
          if (creator.perInvocationByDesign || !opensConnections(instance)) continue;
          const handler = graph.handlerFor(instance.node);
          if (!handler) continue;
          reported.add(instance);
          const hoist = hoistFix(analysis, instance);
          context.report({
            node: instance.node,
            messageId: 'connectionInHandler',
            data: { driver: creator.label, kind: KIND_NAMES[creator.kind], handler: handler.name },
            suggest: hoist
              ? [{ messageId: 'suggestHoist', data: { name: hoist.name }, fix: hoist.fix }]
              : [],
          });
        }
        for (const call of analysis.instanceCalls((i) => i.creator.connectMethods)) {
          if (reported.has(call.instance)) continue;
          const handler = graph.handlerFor(call.node);
          if (!handler) continue;
          context.report({
            node: call.node,
            messageId: 'connectInHandler',
            data: {
              name: call.instance.variable?.name ?? 'client',
              method: call.method,
              handler: handler.name,
            },
          });
        }
      },
    };
  },
});

/** drizzle and similar wrappers only open connections when given connection settings, not an existing client. */
function opensConnections(instance: DriverInstance): boolean {
  if (instance.creator.opensWhen !== 'firstArgConfig') return true;
  const first = instance.node.arguments[0];
  if (!first) return false;
  const arg = unwrapExpression(first);
  if (arg.type === AST_NODE_TYPES.Literal || arg.type === AST_NODE_TYPES.TemplateLiteral) return true;
  if (arg.type === AST_NODE_TYPES.ObjectExpression) {
    return arg.properties.some(
      (p) => p.type === AST_NODE_TYPES.Property && !p.computed && p.key.type === AST_NODE_TYPES.Identifier && p.key.name === 'connection',
    );
  }
  // process.env.DATABASE_URL and other member reads of a URL.
  return arg.type === AST_NODE_TYPES.MemberExpression && /url|uri|connection/i.test(context_text(arg));
}

function context_text(node: TSESTree.MemberExpression): string {
  return node.property.type === AST_NODE_TYPES.Identifier ? node.property.name : '';
}

interface Hoist {
  name: string;
  fix: TSESLint.ReportFixFunction;
}

/**
 * A suggestion that moves `const x = <creation>` to module scope, offered only when that cannot break the code:
 * the declaration sits directly in the per-invocation function's body, its initialiser reads only module-scope
 * values declared before the function, the name is free at module scope, nothing reassigns it, and it needs no
 * per-invocation connect. Per-invocation `x.end()` statements are removed with it (they would close the shared
 * instance).
 */
function hoistFix(analysis: FileAnalysis, instance: DriverInstance): Hoist | undefined {
  const { binding, variable, creator } = instance;
  if (binding?.type !== AST_NODE_TYPES.VariableDeclarator || !variable) return undefined;
  const declaration = binding.parent;
  if (declaration.type !== AST_NODE_TYPES.VariableDeclaration || declaration.declarations.length !== 1) return undefined;
  if (declaration.kind !== 'const' && declaration.kind !== 'let') return undefined;
  const body = declaration.parent;
  const fn = body?.parent;
  if (body?.type !== AST_NODE_TYPES.BlockStatement || !isFunctionNode(fn)) return undefined;
  if (variable.references.some((r) => r.isWrite() && !r.init)) return undefined;

  const sourceCode = analysis.sourceCode;
  const scope = sourceCode.scopeManager!.globalScope!;
  const topStatement = topLevelStatement(fn);
  if (!topStatement) return undefined;
  const moduleScope = moduleScopeOf(scope);
  if (moduleScope.set.has(variable.name)) return undefined;
  if (!readsOnlyModuleScope(analysis, binding.init!, fn, topStatement)) return undefined;

  const closeStatements: TSESTree.Node[] = [];
  const methods = instance.creator.closeMethods;
  const connects = creator.connectMethods ?? [];
  for (const call of analysis.instanceCalls((i) => (i === instance ? [...methods, ...connects] : undefined))) {
    if (connects.includes(call.method)) return undefined;
    const statement = closeStatement(call.node);
    if (!statement) return undefined;
    closeStatements.push(statement);
  }

  const eol = lineBreak(sourceCode, declaration);
  const declarationStart = leadingCommentStart(sourceCode, declaration);
  const text = dedentedStatementText(sourceCode, declaration, declarationStart);
  const insertAt = leadingCommentStart(sourceCode, topStatement);
  return {
    name: variable.name,
    fix: (fixer) => [
      fixer.insertTextBeforeRange([insertAt, insertAt], `${text}${eol}${eol}`),
      fixer.removeRange(statementRemovalRange(sourceCode, declaration, declarationStart)),
      ...closeStatements.map((s) => fixer.removeRange(statementRemovalRange(sourceCode, s))),
    ],
  };
}

function moduleScopeOf(globalScope: TSESLint.Scope.Scope): TSESLint.Scope.Scope {
  // ESM and CommonJS wrap the file in a module/function scope whose block is the Program.
  return globalScope.childScopes.find(isModuleScope) ?? globalScope;
}

function topLevelStatement(node: TSESTree.Node): TSESTree.Node | undefined {
  let current: TSESTree.Node = node;
  while (current.parent && current.parent.type !== AST_NODE_TYPES.Program) current = current.parent;
  return current.parent ? current : undefined;
}

/** `await x.end();` or `x.end();` as a statement of its own. */
function closeStatement(call: TSESTree.CallExpression): TSESTree.ExpressionStatement | undefined {
  let current: TSESTree.Node = call;
  if (current.parent?.type === AST_NODE_TYPES.AwaitExpression) current = current.parent;
  return current.parent?.type === AST_NODE_TYPES.ExpressionStatement ? current.parent : undefined;
}

function readsOnlyModuleScope(
  analysis: FileAnalysis,
  init: TSESTree.Node,
  fn: FunctionNode,
  topStatement: TSESTree.Node,
): boolean {
  const scope = analysis.sourceCode.scopeManager!.globalScope!;
  let ok = true;
  walk(init, analysis.sourceCode.visitorKeys, (node) => {
    if (!ok) return false;
    switch (node.type) {
      case AST_NODE_TYPES.AwaitExpression:
      case AST_NODE_TYPES.ThisExpression:
      case AST_NODE_TYPES.YieldExpression:
      case AST_NODE_TYPES.Super:
        ok = false;
        return false;
      case AST_NODE_TYPES.MemberExpression:
        if (!node.computed) {
          walkObject(node.object);
          return false;
        }
        return;
      case AST_NODE_TYPES.Property:
        if (!node.computed) {
          walkObject(node.value);
          return false;
        }
        return;
      case AST_NODE_TYPES.Identifier: {
        if (node.name === 'arguments') {
          ok = false;
          return false;
        }
        const variable = findVariable(scope, node);
        if (!variable || variable.defs.length === 0) return; // a global such as `process`
        if (!isModuleScope(variable.scope)) {
          ok = false;
          return false;
        }
        const def = variable.defs[0]!;
        const hoisted = def.node.type === AST_NODE_TYPES.FunctionDeclaration || def.type === 'ImportBinding';
        if (!hoisted && def.node.range[0] >= topStatement.range[0]) ok = false;
        return;
      }
      default:
        return;
    }
  });
  return ok && !fnRefersToParamsIn(init, fn);

  function walkObject(node: TSESTree.Node): void {
    walk(node, analysis.sourceCode.visitorKeys, (n) => {
      if (!ok) return false;
      if (n.type === AST_NODE_TYPES.Identifier) {
        const variable = findVariable(scope, n);
        if (variable && variable.defs.length > 0) {
          if (!isModuleScope(variable.scope)) ok = false;
          else {
            const def = variable.defs[0]!;
            const hoisted = def.node.type === AST_NODE_TYPES.FunctionDeclaration || def.type === 'ImportBinding';
            if (!hoisted && def.node.range[0] >= topStatement.range[0]) ok = false;
          }
        }
        return;
      }
      if (n.type === AST_NODE_TYPES.AwaitExpression || n.type === AST_NODE_TYPES.ThisExpression) ok = false;
      if (n.type === AST_NODE_TYPES.MemberExpression && !n.computed) {
        walkObject(n.object);
        return false;
      }
      return;
    });
  }
}

/** Defensive: a parameter of the function appearing in the initialiser. */
function fnRefersToParamsIn(init: TSESTree.Node, fn: FunctionNode): boolean {
  return fn.params.some((p) => p.range[0] >= init.range[0] && p.range[1] <= init.range[1]);
}
