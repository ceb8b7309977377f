/**
 * The fix for a direct RDS hostname (`no-direct-rds-endpoint`, `use-proxy-endpoint`): the hostname gives way to the
 * RDS Proxy endpoint read from an environment variable.
 *
 * - A string that is only the hostname becomes `process.env.VAR` (`process.env.VAR!` in TypeScript, where hosts are
 *   typed `string`).
 * - A hostname inside a longer string (a URI) turns the string into a template with `${process.env.VAR}` in its
 *   place.
 * - A hostname in a template literal, interpolated parts included (`` `db.abc.${region}.rds.amazonaws.com` ``), is
 *   replaced by `${process.env.VAR}`.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { isTransparentWrapper } from '../ast/nodes.js';
import type { StaticText } from '../config/text.js';
import { plan, Refusal, type FixContext, type PlanOutcome } from './plan.js';

export function planProxyEndpoint(
  context: FixContext,
  text: StaticText,
  hit: { readonly start: number; readonly end: number; readonly host: string },
  envVar: string,
): PlanOutcome {
  return plan(context, (fix) => {
    const env = `process.env.${envVar}`;
    const range = sourceRange(text, hit.start, hit.end);
    if (!range) throw new Refusal('the hostname is written with escapes or spread over several strings');
    const { holder, start, end } = range;
    if (holder.type === AST_NODE_TYPES.TemplateLiteral) {
      const outer = holder.parent;
      if (outer?.type === AST_NODE_TYPES.TaggedTemplateExpression || outer?.type === AST_NODE_TYPES.TSLiteralType) {
        throw new Refusal('the hostname is in a tagged template or a type, where an interpolation changes its meaning');
      }
      fix.replace(start, end, `\${${env}}`);
    } else {
      if (!isExpressionPosition(holder)) {
        throw new Refusal('the hostname string stands where only a string may (a key, an import, a type)');
      }
      const contentStart = holder.range[0] + 1;
      const contentEnd = holder.range[1] - 1;
      if (start === contentStart && end === contentEnd) {
        fix.replace(holder.range[0], holder.range[1], fix.typescript ? `${env}!` : env);
      } else {
        const raw = fix.text.slice(contentStart, contentEnd);
        const before = asTemplateText(raw.slice(0, start - contentStart));
        const after = asTemplateText(raw.slice(end - contentStart));
        fix.replace(holder.range[0], holder.range[1], `\`${before}\${${env}}${after}\``);
      }
    }
    fix.change(`replaced ${hit.host} with ${env}`);
  });
}

interface SourceRange {
  /** The string literal or template literal that holds the hostname. */
  readonly holder: TSESTree.Literal | TSESTree.TemplateLiteral;
  readonly start: number;
  readonly end: number;
}

/**
 * The source range of characters `[start, end)` of a text, when they lie in one string literal written without
 * escapes, or in one template literal (whose interpolations they may span whole).
 */
function sourceRange(text: StaticText, start: number, end: number): SourceRange | undefined {
  const { segments, offsets } = text;
  let holder: TSESTree.Literal | TSESTree.TemplateLiteral | undefined;
  let from: number | undefined;
  let to: number | undefined;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const segStart = offsets[i]!;
    const segEnd = segStart + segment.text.length;
    if (segEnd <= start || segStart >= end) continue;
    const owner = ownerOf(segment.node, segment.hole);
    if (!owner || (holder && owner !== holder)) return undefined;
    holder = owner;
    if (segment.hole) {
      // A whole interpolation: `${` before the expression, `}` after it.
      if (segStart < start || segEnd > end) return undefined;
      from ??= segment.node.range[0] - 2;
      to = segment.node.range[1] + 1;
      continue;
    }
    if (segment.sourceStart === undefined) return undefined;
    from ??= segment.sourceStart + Math.max(start, segStart) - segStart;
    to = segment.sourceStart + Math.min(end, segEnd) - segStart;
  }
  if (!holder || from === undefined || to === undefined) return undefined;
  if (holder.type === AST_NODE_TYPES.Literal && text.segments.length !== 1) return undefined;
  return { holder, start: from, end: to };
}

function ownerOf(node: TSESTree.Node, hole: boolean): TSESTree.Literal | TSESTree.TemplateLiteral | undefined {
  if (!hole && node.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') return node;
  const parent = node.parent;
  if (parent?.type === AST_NODE_TYPES.TemplateLiteral) {
    if (node.type === AST_NODE_TYPES.TemplateElement || parent.expressions.includes(node as TSESTree.Expression)) return parent;
  }
  return undefined;
}

/** Text that is safe inside a template literal: backticks and `${` escaped (string escapes stay valid). */
function asTemplateText(raw: string): string {
  return raw.replace(/\\`|`/g, (m) => (m === '`' ? '\\`' : m)).replace(/\$\{/g, '\\${');
}

/** Where a string literal can be swapped for any expression. */
function isExpressionPosition(node: TSESTree.Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (isTransparentWrapper(parent)) return true;
  switch (parent.type) {
    case AST_NODE_TYPES.Property:
      return parent.value === node && !parent.shorthand;
    case AST_NODE_TYPES.VariableDeclarator:
      return parent.init === node;
    case AST_NODE_TYPES.AssignmentExpression:
    case AST_NODE_TYPES.AssignmentPattern:
      return parent.right === node;
    case AST_NODE_TYPES.LogicalExpression:
    case AST_NODE_TYPES.BinaryExpression:
    case AST_NODE_TYPES.ArrayExpression:
    case AST_NODE_TYPES.ReturnStatement:
    case AST_NODE_TYPES.SpreadElement:
      return true;
    case AST_NODE_TYPES.ArrowFunctionExpression:
      return parent.body === node;
    case AST_NODE_TYPES.ConditionalExpression:
      return parent.test !== node;
    case AST_NODE_TYPES.CallExpression:
    case AST_NODE_TYPES.NewExpression:
      return parent.callee !== node;
    case AST_NODE_TYPES.PropertyDefinition:
      return parent.value === node;
    default:
      return false;
  }
}

