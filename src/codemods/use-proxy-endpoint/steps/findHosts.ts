import type { LintOutcome } from '../../shared/findings.js';
import type { AnyNode, AnyPath } from '../../shared/ast.js';
import type { TransformContext } from '../../shared/context.js';
import type { PlannedTarget } from '../../shared/runner.js';
import { scanHostnames } from '../../../core/config/hosts.js';

/** A reported hostname, located in the string or template that holds it. */
export interface HostTarget extends PlannedTarget {
  /** The StringLiteral, or the TemplateElement (a template's static part), holding the hostname. */
  readonly holder: AnyPath;
  /** The hostname's offsets in the file text. */
  readonly start: number;
  readonly end: number;
  readonly host: string;
}

const STRINGS = new Set(['StringLiteral', 'Literal', 'TemplateElement']);

/**
 * Each finding of `no-direct-rds-endpoint` mapped to the literal (or template part) that holds it and the exact
 * offsets of the hostname in it. The rule reports the hostname's own range when it can map it; when it reports
 * the whole literal, the hostname is found again in the literal's text, which must then be written without
 * escapes so that offsets in its value are offsets in the file.
 */
export function findHosts(ctx: TransformContext, lint: LintOutcome): HostTarget[] {
  const holders: AnyPath[] = [];
  ctx.root.find(ctx.j.Node).forEach((p) => {
    const node = p.node as AnyNode;
    if (STRINGS.has(node.type) && (node.type !== 'Literal' || typeof node.value === 'string')) holders.push(p as AnyPath);
  });
  const targets: HostTarget[] = [];
  for (const finding of lint.findings) {
    const holder = holders.find((h) => (h.node.start as number) <= finding.start && finding.end <= (h.node.end as number));
    if (!holder) {
      ctx.reasons.push(`${finding.line}: the hostname is not in a string or template this codemod can edit`);
      continue;
    }
    const node = holder.node;
    const contentStart = (node.start as number) + (node.type === 'TemplateElement' ? 0 : 1);
    const contentEnd = (node.end as number) - (node.type === 'TemplateElement' ? 0 : 1);
    let start = finding.start;
    let end = finding.end;
    if (start <= contentStart - (node.type === 'TemplateElement' ? 0 : 1) && end >= (node.end as number)) {
      // The whole literal was reported: find the hostname in its raw text.
      const raw = ctx.text.slice(contentStart, contentEnd);
      const hit = scanHostnames(raw).find((h) => h.classification.direct);
      if (!hit) {
        ctx.reasons.push(`${finding.line}: the hostname is split across escapes or expressions`);
        continue;
      }
      start = contentStart + hit.start;
      end = contentStart + hit.end;
    }
    targets.push({ line: finding.line, path: holder, holder, start, end, host: ctx.text.slice(start, end) });
  }
  return targets;
}
