/**
 * Static text of string expressions with a source map: string literals, template literals (each `${}` becomes a
 * `HOLE` unless it resolves to a known constant) and `+` concatenation. A range of the text maps back to the exact
 * source characters when they come from one literal written without escapes, so reports can point at a password
 * or a hostname inside a longer string.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { unwrapExpression } from '../ast/nodes.js';
import { HOLE } from './hosts.js';

export interface TextSegment {
  /** The segment's characters; a single `HOLE` for an unknown part. */
  readonly text: string;
  readonly hole: boolean;
  /** The literal, template element (`TemplateElement`) or hole expression the segment comes from. */
  readonly node: TSESTree.Node;
  /** Source offset of `text[0]` when the text is the source written verbatim (no escapes), else `undefined`. */
  readonly sourceStart: number | undefined;
}

export interface StaticText {
  /** The expression's value with `HOLE` for each unknown part. */
  readonly text: string;
  readonly segments: readonly TextSegment[];
  /** Offset in `text` of each segment. */
  readonly offsets: readonly number[];
  /** The whole expression. */
  readonly node: TSESTree.Node;
}

export interface TextLocation {
  /** The literal (or template element) holding the characters, or the whole expression when they span several. */
  readonly node: TSESTree.Node;
  /** The exact source range when known. */
  readonly range: readonly [number, number] | undefined;
}

/** Resolves a non-literal operand to text (e.g. a `const` holding a string), or `undefined` for a hole. */
export type LeafResolver = (node: TSESTree.Node) => StaticText | undefined;

/**
 * The text of a string expression, or `undefined` when the node is not one (a `+` counts when one side is a string
 * literal or template). Operands that are not literals become holes unless `resolveLeaf` knows them.
 */
export function staticText(node: TSESTree.Node, resolveLeaf?: LeafResolver): StaticText | undefined {
  const segments: TextSegment[] = [];
  if (!collect(node, segments, resolveLeaf, true)) return undefined;
  return build(node, segments);
}

function build(node: TSESTree.Node, segments: TextSegment[]): StaticText {
  const offsets: number[] = [];
  let text = '';
  for (const segment of segments) {
    offsets.push(text.length);
    text += segment.text;
  }
  return { text, segments, offsets, node };
}

/** Whether a node is a string literal, a template literal, or a `+` chain containing one. */
export function isStringExpression(node: TSESTree.Node): boolean {
  const n = unwrapExpression(node);
  if (!isPlus(n)) return isStringLiteral(n);
  // Walk the left spine iteratively: left-associative chains can be thousands of terms long.
  let current: TSESTree.Node = n;
  while (isPlus(current)) {
    if (isStringOperand(current.right)) return true;
    current = unwrapExpression(current.left);
  }
  return isStringLiteral(current);
}

function isPlus(node: TSESTree.Node): node is TSESTree.BinaryExpression {
  return node.type === AST_NODE_TYPES.BinaryExpression && node.operator === '+';
}

function isStringLiteral(node: TSESTree.Node): boolean {
  return (
    (node.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') ||
    node.type === AST_NODE_TYPES.TemplateLiteral
  );
}

/** A right operand: a string literal, or a parenthesised chain that is a string (`a + ('b' + c)`). */
function isStringOperand(node: TSESTree.Node): boolean {
  const n = unwrapExpression(node);
  return isPlus(n) ? isStringExpression(n) : isStringLiteral(n);
}

function collect(node: TSESTree.Node, out: TextSegment[], resolveLeaf: LeafResolver | undefined, top: boolean): boolean {
  const n = unwrapExpression(node);
  switch (n.type) {
    case AST_NODE_TYPES.Literal: {
      if (typeof n.value === 'string') {
        const inner = n.raw.slice(1, -1);
        out.push({ text: n.value, hole: false, node: n, sourceStart: inner === n.value ? n.range[0] + 1 : undefined });
        return true;
      }
      if (!top && (typeof n.value === 'number' || typeof n.value === 'bigint' || typeof n.value === 'boolean')) {
        const text = String(n.value);
        out.push({ text, hole: false, node: n, sourceStart: n.raw === text ? n.range[0] : undefined });
        return true;
      }
      break;
    }
    case AST_NODE_TYPES.TemplateLiteral: {
      n.quasis.forEach((quasi, index) => {
        const cooked = quasi.value.cooked ?? quasi.value.raw;
        if (cooked) {
          out.push({
            text: cooked,
            hole: false,
            node: quasi,
            sourceStart: quasi.value.raw === cooked ? quasi.range[0] + 1 : undefined,
          });
        }
        const expression = n.expressions[index];
        if (expression) {
          const inner = resolveLeaf?.(expression) ?? staticText(expression);
          if (inner) out.push(...inner.segments);
          else out.push(hole(expression));
        }
      });
      return true;
    }
    case AST_NODE_TYPES.BinaryExpression: {
      if (n.operator !== '+') break;
      if (collectChain(n, out, resolveLeaf)) return true;
      break;
    }
    default:
      break;
  }
  if (!top && resolveLeaf) {
    const resolved = resolveLeaf(n);
    if (resolved) {
      out.push(...resolved.segments);
      return true;
    }
  }
  return false;
}

/**
 * A `+` chain, left-associative: `o0 + o1 + … + ok`. The sum is a string from the first operand that is one (a
 * string literal, a template, or a value `resolveLeaf` knows as text); the numeric sum before it, if any, is one
 * hole. Iterative over the left spine, so long chains cost linear time and no stack.
 */
function collectChain(node: TSESTree.BinaryExpression, out: TextSegment[], resolveLeaf: LeafResolver | undefined): boolean {
  const operands: TSESTree.Node[] = [];
  let current: TSESTree.Node = node;
  while (isPlus(current)) {
    operands.push(current.right);
    current = unwrapExpression(current.left);
  }
  operands.push(current);
  operands.reverse();
  const isText = (operand: TSESTree.Node): boolean =>
    isStringOperand(operand) || Boolean(resolveLeaf && !isPlus(unwrapExpression(operand)) && resolveLeaf(operand));
  const first = operands.findIndex(isText);
  if (first < 0) return false;
  if (first > 0) {
    // The numeric (or unknown) sum of the operands before the first string.
    const prefix = first === 1 ? operands[0]! : (operands[first]!.parent as TSESTree.BinaryExpression).left;
    out.push(hole(prefix));
  }
  for (let i = first; i < operands.length; i++) {
    const operand = operands[i]!;
    const before = out.length;
    if (!collect(operand, out, resolveLeaf, false)) {
      out.splice(before, out.length - before, hole(operand));
    }
  }
  return true;
}

function hole(node: TSESTree.Node): TextSegment {
  return { text: HOLE, hole: true, node, sourceStart: undefined };
}

/** Whether characters `[start, end)` of a text are all known. */
export function isKnown(text: StaticText, start: number, end: number): boolean {
  return !text.text.slice(start, end).includes(HOLE);
}

/** Where characters `[start, end)` of a text are written in the source. */
export function locate(text: StaticText, start: number, end: number): TextLocation {
  const { segments, offsets } = text;
  let first = -1;
  let last = -1;
  for (let i = 0; i < segments.length; i++) {
    const segStart = offsets[i]!;
    const segEnd = segStart + segments[i]!.text.length;
    const overlaps = end > start ? segStart < end && segEnd > start : segStart <= start && start <= segEnd;
    if (overlaps) {
      if (first < 0) first = i;
      last = i;
    }
  }
  if (first < 0) return { node: text.node, range: undefined };
  if (first !== last) return { node: text.node, range: undefined };
  const segment = segments[first]!;
  if (segment.hole) return { node: segment.node, range: undefined };
  const node = segment.node.type === AST_NODE_TYPES.TemplateElement ? templateOf(segment.node, text.node) : segment.node;
  if (segment.sourceStart === undefined) return { node, range: undefined };
  const offset = offsets[first]!;
  return { node, range: [segment.sourceStart + start - offset, segment.sourceStart + end - offset] };
}

function templateOf(element: TSESTree.TemplateElement, fallback: TSESTree.Node): TSESTree.Node {
  return element.parent?.type === AST_NODE_TYPES.TemplateLiteral ? element.parent : fallback;
}

/** The text for messages: every hole shown as `${…}`. */
export function displayText(text: string): string {
  return text.split(HOLE).join('${…}');
}

/**
 * Locations already reported by a rule: a whole literal, or exact ranges inside it. A range inside a literal that
 * was reported whole (or the whole literal after a range inside it) counts as the same report.
 */
/**
 * Where to report a finding in a config value: the exact range inside a literal when there is one (a password
 * inside a URI), else the whole node.
 */
export function reportLocation(
  sourceCode: Readonly<TSESLint.SourceCode>,
  node: TSESTree.Node,
  range: readonly [number, number] | undefined,
): { loc: TSESTree.SourceLocation } | { node: TSESTree.Node } {
  if (!range) return { node };
  return { loc: { start: sourceCode.getLocFromIndex(range[0]), end: sourceCode.getLocFromIndex(range[1]) } };
}

export class ReportedLocations {
  private readonly wholeNodes = new Set<TSESTree.Node>();
  private readonly nodesWithRanges = new Set<TSESTree.Node>();
  private readonly ranges = new Set<string>();

  /** Records a location; `false` when it was already reported. */
  add(node: TSESTree.Node, range: readonly [number, number] | undefined): boolean {
    if (this.wholeNodes.has(node)) return false;
    if (range) {
      const key = `${range[0]}:${range[1]}`;
      if (this.ranges.has(key)) return false;
      this.ranges.add(key);
      this.nodesWithRanges.add(node);
      return true;
    }
    if (this.nodesWithRanges.has(node)) return false;
    this.wholeNodes.add(node);
    return true;
  }
}
