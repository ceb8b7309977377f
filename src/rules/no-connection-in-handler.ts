import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { createRule } from '../util/create-rule.js';
import { getFileAnalysis, type DriverInstance } from '../core/analysis.js';
import type { InstanceKind } from '../core/drivers/catalogue.js';
import { unwrapExpression } from '../core/ast/nodes.js';
import { planConnectOnce, planHoist } from '../core/fix/hoist/index.js';
import { asFix, recordOutcome } from '../core/fix/plan.js';

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
      suggestHoist: 'Create `{{name}}` once per execution environment and reuse it in every invocation.',
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
          const outcome = planHoist(context, analysis, instance, handler);
          recordOutcome(context.sourceCode, 'no-connection-in-handler', instance.node.range[0], outcome);
          const name = instance.variable?.name ?? 'the connection';
          context.report({
            node: instance.node,
            messageId: 'connectionInHandler',
            data: { driver: creator.label, kind: KIND_NAMES[creator.kind], handler: handler.name },
            suggest: outcome.ok ? [{ messageId: 'suggestHoist', data: { name }, fix: asFix(outcome.plan) }] : [],
          });
        }
        for (const call of analysis.instanceCalls((i) => i.creator.connectMethods)) {
          if (reported.has(call.instance)) continue;
          const handler = graph.handlerFor(call.node);
          if (!handler) continue;
          const outcome = planConnectOnce(context, analysis, call, handler);
          recordOutcome(context.sourceCode, 'no-connection-in-handler', call.node.range[0], outcome);
          const name = call.instance.variable?.name ?? 'client';
          context.report({
            node: call.node,
            messageId: 'connectInHandler',
            data: { name, method: call.method, handler: handler.name },
            suggest: outcome.ok ? [{ messageId: 'suggestHoist', data: { name }, fix: asFix(outcome.plan) }] : [],
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
