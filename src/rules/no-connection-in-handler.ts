import type { TSESLint } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { createRule } from '../util/create-rule.js';
import { getFileAnalysis, type DriverInstance } from '../core/analysis.js';
import { getCrossFileFindings, mayCallIntoProject, type CrossFileFinding } from '../core/lambda/cross-file.js';
import type { InstanceKind } from '../core/drivers/catalogue.js';
import { findGlobalPoolUses, opensConnections } from '../core/modules.js';
import { planConnectOnce, planHoist, planImportedConnectOnce, planKeepGlobalPool } from '../core/fix/hoist/index.js';
import { asFix, recordOutcome } from '../core/fix/plan.js';

export type Options = [];
export type MessageIds =
  | 'connectionInHandler'
  | 'connectInHandler'
  | 'connectionInImport'
  | 'connectionInFactory'
  | 'connectionInResolvers'
  | 'globalPoolClosed'
  | 'suggestHoist'
  | 'suggestKeepGlobalPool';

const KIND_NAMES: Record<InstanceKind, string> = {
  pool: 'connection pool',
  client: 'database connection',
  orm: 'pooled client',
  managed: 'client',
};

/** The same, in a word, for the messages that also name a function and a module. */
const SHORT_KIND_NAMES: Record<InstanceKind, string> = {
  pool: 'pool',
  client: 'connection',
  orm: 'client',
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
      connectionInImport: '`{{name}}()` from `{{module}}` creates a {{what}} per invocation; create it once.',
      connectionInFactory: '`{{name}}()` makes a handler that opens a {{what}} per invocation; open it once.',
      connectionInResolvers: '`{{name}}`, served per request, creates a {{what}} on each call; create it once in `{{module}}`.',
      globalPoolClosed:
        '`{{name}}()` opens a new {{driver}} per invocation of `{{handler}}` because it is closed again; keep it open.',
      suggestHoist: 'Create `{{name}}` once per execution environment and reuse it in every invocation.',
      suggestKeepGlobalPool: 'Remove the per-invocation `close()`, so the next invocation reuses the open pool.',
    },
  },
  defaultOptions: [],
  create(context) {
    const analysis = getFileAnalysis(context);
    const globalPools = analysis ? findGlobalPoolUses(context.sourceCode) : [];
    const local = Boolean(analysis && (analysis.instances.length > 0 || globalPools.length > 0));
    // Calls into other modules need an import of one and the project knowledge (descriptors and files on disk).
    if (!local && !mayCallIntoProject(context)) return {};

    return {
      'Program:exit'() {
        for (const finding of getCrossFileFindings(context)) reportCrossFile(finding);
        if (!analysis || !local || !analysis.isLambda) return;
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
        // A driver's global pool (mssql `sql.connect()`) is reused by the next `connect()` unless it is closed: closed
        // in the same invocation, each invocation opens a new pool.
        for (const use of globalPools) {
          const handler = graph.handlerFor(use.connect);
          if (!handler || !use.closes.some((close) => graph.handlerFor(close) === handler)) continue;
          const outcome = planKeepGlobalPool(context, analysis, use.closes.filter((close) => graph.handlerFor(close)), handler);
          recordOutcome(context.sourceCode, 'no-connection-in-handler', use.connect.range[0], outcome);
          context.report({
            node: use.connect,
            messageId: 'globalPoolClosed',
            data: { name: calleeName(use.connect), driver: use.driver.globalPool!.label, handler: handler.name },
            suggest: outcome.ok ? [{ messageId: 'suggestKeepGlobalPool', fix: asFix(outcome.plan) }] : [],
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

    function calleeName(call: TSESTree.CallExpression): string {
      return context.sourceCode.getText(call.callee).replace(/\s+/g, '');
    }

    function reportCrossFile(finding: CrossFileFinding): void {
      const { creation } = finding;
      // `AppDataSource.initialize()` of an instance another module exports: the call itself connects.
      if (creation.method && finding.kind === 'call' && finding.name.endsWith(`.${creation.method}`)) {
        const name = finding.name.slice(0, -creation.method.length - 1);
        const call = finding.node;
        const outcome =
          call.type === AST_NODE_TYPES.CallExpression && call.callee.type === AST_NODE_TYPES.MemberExpression
            ? planImportedConnectOnce(context, call, creation.closeMethods, finding.handler)
            : undefined;
        if (outcome) recordOutcome(context.sourceCode, 'no-connection-in-handler', finding.node.range[0], outcome);
        context.report({
          node: finding.node,
          messageId: 'connectInHandler',
          data: { name, method: creation.method, handler: finding.handler.name },
          suggest: outcome?.ok ? [{ messageId: 'suggestHoist', data: { name }, fix: asFix(outcome.plan) }] : [],
        });
        return;
      }
      const what = `${creation.label} ${creation.kind === 'connect' ? 'connection' : SHORT_KIND_NAMES[creation.kind]}`;
      const data = { name: finding.name, module: finding.module, what, handler: finding.handler.name };
      const messageId =
        finding.kind === 'call' ? 'connectionInImport' : finding.kind === 'factory' ? 'connectionInFactory' : 'connectionInResolvers';
      context.report({ node: finding.node, messageId, data });
    }
  },
});
