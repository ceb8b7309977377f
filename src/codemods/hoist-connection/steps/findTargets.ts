import type { FileAnalysis } from '../../../core/analysis.js';
import type { Creator } from '../../../core/drivers/catalogue.js';
import type { Finding } from '../../shared/legacy-findings.js';
import { callAt } from '../../shared/ast.js';
import type { TransformContext } from '../../shared/context.js';
import type { Target } from './target.js';

/**
 * Locates each finding of `no-connection-in-handler` in the jscodeshift AST. What each call creates comes from
 * the rule's own analysis of the same text, so the codemod knows the driver exactly as the rule does.
 */
export function findTargets(ctx: TransformContext, findings: readonly Finding[], analysis: FileAnalysis): Target[] {
  const creators = new Map<number, Creator>();
  for (const instance of analysis.instances) creators.set(instance.node.range[0], instance.creator);
  for (const call of analysis.instanceCalls((i) => i.creator.connectMethods)) {
    creators.set(call.node.range[0], call.instance.creator);
  }
  const targets: Target[] = [];
  for (const finding of findings) {
    if (finding.ruleId !== 'no-connection-in-handler') continue;
    const call = callAt(ctx.j, ctx.root, finding.start);
    const creator = creators.get(finding.start);
    if (!call || !creator) {
      ctx.reasons.push(`${finding.line}: could not locate the reported call`);
      continue;
    }
    const kind = finding.messageId === 'connectInHandler' ? 'connect' : 'create';
    targets.push({ kind, call, path: call, creator, line: finding.line });
  }
  return targets;
}
