/**
 * `SqlSource`: the SQL text an expression evaluates to, with a map back to the source code, so that a report can
 * point at the exact SQL token even inside escapes, template literals, concatenations and `const` bindings.
 *
 * String literals and template-literal text become text segments; everything the linter cannot know statically
 * (interpolations, non-constant operands) becomes a one-character placeholder segment (`PLACEHOLDER`). Template
 * interpolations and `+` operands that are `const` strings are inlined, except in tagged templates, whose
 * interpolations are bound parameters. Built once per expression and cached per `Program`.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { unwrapExpression } from '../ast/nodes.js';
import { PLACEHOLDER } from './lexer.js';
import { constInitializer } from './static.js';

export interface SqlSegment {
  readonly kind: 'text' | 'placeholder';
  /** Offsets of the segment in `SqlSource.text`. */
  readonly start: number;
  readonly end: number;
  /** The literal, template element or expression it comes from. */
  readonly node: TSESTree.Node;
}

interface TextSegment extends SqlSegment {
  readonly kind: 'text';
  /** Source offset of the segment's first character when the raw text has no escapes. */
  readonly rawStart: number;
  /** Per-character source offsets (length + 1 entries) when the raw text has escapes; undefined otherwise. */
  readonly offsets: readonly number[] | undefined;
  /** The raw text could not be mapped character by character: point at the whole node. */
  readonly coarse: boolean;
}

type Segment = TextSegment | (SqlSegment & { readonly kind: 'placeholder' });

export class SqlSource {
  readonly node: TSESTree.Node;
  /** The SQL text; placeholders are `PLACEHOLDER`. */
  readonly text: string;
  readonly segments: readonly SqlSegment[];
  /** From a tagged template: interpolations are bound parameters. */
  readonly tagged: boolean;

  constructor(node: TSESTree.Node, text: string, segments: readonly Segment[], tagged: boolean) {
    this.node = node;
    this.text = text;
    this.segments = segments;
    this.tagged = tagged;
  }

  /** UTF-8 size of the static text (placeholders not counted): a lower bound of what the driver sends. */
  get staticByteLength(): number {
    let placeholders = 0;
    for (const segment of this.segments) if (segment.kind === 'placeholder') placeholders++;
    return Buffer.byteLength(this.text, 'utf8') - placeholders * Buffer.byteLength(PLACEHOLDER, 'utf8');
  }

  /** The source range of `text.slice(start, end)`. */
  sourceRange(start: number, end: number): [number, number] {
    const first = this.segmentAt(start);
    const last = this.segmentAt(Math.max(start, end - 1));
    if (!first || !last) return [this.node.range[0], this.node.range[1]];
    const from = sourceOffset(first, start, 'start');
    let to = sourceOffset(last, end, 'end');
    if (to < from) to = first.node.range[1];
    return [from, to];
  }

  private segmentAt(offset: number): Segment | undefined {
    const segments = this.segments as readonly Segment[];
    let lo = 0;
    let hi = segments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const segment = segments[mid]!;
      if (offset < segment.start) hi = mid - 1;
      else if (offset >= segment.end) lo = mid + 1;
      else return segment;
    }
    return undefined;
  }
}

function sourceOffset(segment: Segment, offset: number, edge: 'start' | 'end'): number {
  if (segment.kind === 'placeholder' || segment.coarse) {
    return edge === 'start' ? segment.node.range[0] : segment.node.range[1];
  }
  const i = Math.min(Math.max(offset - segment.start, 0), segment.end - segment.start);
  return segment.offsets ? segment.offsets[i]! : segment.rawStart + i;
}

const MAX_DEPTH = 16;

type SourceCode = Readonly<TSESLint.SourceCode>;

const cache = new WeakMap<object, Map<TSESTree.Node, SqlSource | null>>();

/**
 * The SQL source of an expression, or null when it has no static text at all (a plain variable, a call).
 * A `TaggedTemplateExpression` gives its template with every interpolation as a placeholder.
 */
export function getSqlSource(sourceCode: SourceCode, node: TSESTree.Node): SqlSource | null {
  let perFile = cache.get(sourceCode.ast);
  if (!perFile) cache.set(sourceCode.ast, (perFile = new Map()));
  if (perFile.has(node)) return perFile.get(node)!;
  const source = build(sourceCode, node);
  perFile.set(node, source);
  return source;
}

function build(sourceCode: SourceCode, node: TSESTree.Node): SqlSource | null {
  const builder = new Builder(sourceCode);
  const tagged = node.type === AST_NODE_TYPES.TaggedTemplateExpression;
  if (tagged) builder.template(node.quasi, true, 0, new Set());
  else builder.expression(node, 0, new Set());
  if (!builder.hasText) return null;
  return new SqlSource(node, builder.text, builder.segments, tagged);
}

class Builder {
  text = '';
  segments: Segment[] = [];
  hasText = false;

  constructor(private readonly sourceCode: SourceCode) {}

  /** `depth` counts `const` hops and template nesting, not `+` operands (concatenations are flattened). */
  expression(raw: TSESTree.Node, depth: number, seen: Set<TSESTree.Node>): void {
    const node = unwrapExpression(raw);
    if (depth > MAX_DEPTH) return this.placeholder(node);
    switch (node.type) {
      case AST_NODE_TYPES.Literal:
        if (typeof node.value === 'string') return this.stringLiteral(node, node.value);
        return this.placeholder(node);
      case AST_NODE_TYPES.TemplateLiteral:
        return this.template(node, false, depth, seen);
      case AST_NODE_TYPES.BinaryExpression:
        if (node.operator === '+') {
          for (const operand of concatenationOperands(node)) this.expression(operand, depth, seen);
          return;
        }
        return this.placeholder(node);
      case AST_NODE_TYPES.Identifier: {
        const init = constInitializer(this.sourceCode, node);
        if (init && !seen.has(init) && isStringish(init)) {
          seen.add(init);
          this.expression(init, depth + 1, seen);
          seen.delete(init);
          return;
        }
        return this.placeholder(node);
      }
      default:
        return this.placeholder(node);
    }
  }

  template(node: TSESTree.TemplateLiteral, tagged: boolean, depth: number, seen: Set<TSESTree.Node>): void {
    node.quasis.forEach((quasi, index) => {
      this.templateElement(quasi);
      const expression = node.expressions[index];
      if (!expression) return;
      if (tagged) this.placeholder(expression);
      else this.expression(expression, depth + 1, seen);
    });
  }

  private placeholder(node: TSESTree.Node): void {
    const start = this.text.length;
    this.text += PLACEHOLDER;
    this.segments.push({ kind: 'placeholder', start, end: start + 1, node });
  }

  private stringLiteral(node: TSESTree.Literal, value: string): void {
    const rawStart = node.range[0] + 1;
    const raw = this.sourceCode.text.slice(rawStart, node.range[1] - 1);
    this.addText(node, value, raw, rawStart, false);
  }

  private templateElement(quasi: TSESTree.TemplateElement): void {
    // The element's range spans its delimiters: "`" or "}" before, "${" or "`" after.
    const rawStart = quasi.range[0] + 1;
    const rawEnd = quasi.range[1] - (quasi.tail ? 1 : 2);
    const raw = this.sourceCode.text.slice(rawStart, rawEnd);
    const cooked = quasi.value.cooked ?? quasi.value.raw;
    this.addText(quasi, cooked, raw, rawStart, true);
  }

  private addText(node: TSESTree.Node, value: string, raw: string, rawStart: number, template: boolean): void {
    if (value.length === 0) return;
    this.hasText = true;
    const start = this.text.length;
    this.text += value;
    let offsets: number[] | undefined;
    let coarse = false;
    if (raw !== value) {
      const decoded = decodeOffsets(raw, rawStart, template);
      if (decoded && decoded.value === value) offsets = decoded.offsets;
      else coarse = true;
    }
    this.segments.push({ kind: 'text', start, end: start + value.length, node, rawStart, offsets, coarse });
  }
}

/** The operands of a `+` chain, left to right, without recursion (chains can be thousands of operands long). */
function concatenationOperands(root: TSESTree.BinaryExpression): TSESTree.Node[] {
  const operands: TSESTree.Node[] = [];
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const inner = unwrapExpression(node);
    if (inner.type === AST_NODE_TYPES.BinaryExpression && inner.operator === '+') {
      stack.push(inner.right, inner.left);
    } else {
      operands.push(node);
    }
  }
  return operands;
}

/** Expressions whose value may be (part of) a SQL string: literals, templates, concatenations, const names. */
function isStringish(node: TSESTree.Node): boolean {
  const inner = unwrapExpression(node);
  switch (inner.type) {
    case AST_NODE_TYPES.Literal:
      return typeof inner.value === 'string';
    case AST_NODE_TYPES.TemplateLiteral:
    case AST_NODE_TYPES.Identifier:
      return true;
    case AST_NODE_TYPES.BinaryExpression:
      return inner.operator === '+';
    default:
      return false;
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v' };

/**
 * Decode the raw text of a string literal or template element, recording for each resulting UTF-16 code unit
 * the source offset of the raw text that produced it. Returns undefined for escapes it does not model.
 */
export function decodeOffsets(
  raw: string,
  rawStart: number,
  template: boolean,
): { value: string; offsets: number[] } | undefined {
  let value = '';
  const offsets: number[] = [];
  const emit = (text: string, at: number): void => {
    value += text;
    for (let k = 0; k < text.length; k++) offsets.push(rawStart + at);
  };
  let i = 0;
  while (i < raw.length) {
    const ch = raw[i]!;
    if (template && ch === '\r') {
      emit('\n', i);
      i += raw[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    if (ch !== '\\') {
      emit(ch, i);
      i++;
      continue;
    }
    const next = raw[i + 1];
    if (next === undefined) return undefined;
    if (next in SIMPLE_ESCAPES && Object.prototype.hasOwnProperty.call(SIMPLE_ESCAPES, next)) {
      emit(SIMPLE_ESCAPES[next]!, i);
      i += 2;
    } else if (next === '\r' || next === '\n' || next === '\u2028' || next === '\u2029') {
      // Line continuation: nothing.
      i += next === '\r' && raw[i + 2] === '\n' ? 3 : 2;
    } else if (next === 'x') {
      const code = parseInt(raw.slice(i + 2, i + 4), 16);
      if (Number.isNaN(code)) return undefined;
      emit(String.fromCharCode(code), i);
      i += 4;
    } else if (next === 'u') {
      let code: number;
      let length: number;
      if (raw[i + 2] === '{') {
        const close = raw.indexOf('}', i + 3);
        if (close < 0) return undefined;
        code = parseInt(raw.slice(i + 3, close), 16);
        length = close + 1 - i;
      } else {
        code = parseInt(raw.slice(i + 2, i + 6), 16);
        length = 6;
      }
      if (Number.isNaN(code) || code > 0x10ffff) return undefined;
      emit(String.fromCodePoint(code), i);
      i += length;
    } else if (next >= '0' && next <= '7') {
      if (next === '0' && !(raw[i + 2]! >= '0' && raw[i + 2]! <= '9')) {
        emit('\0', i);
        i += 2;
        continue;
      }
      if (template) return undefined;
      // Legacy octal escape in a sloppy-mode string literal.
      let j = i + 1;
      let digits = '';
      while (j < raw.length && digits.length < 3 && raw[j]! >= '0' && raw[j]! <= '7') {
        const candidate = digits + raw[j];
        if (parseInt(candidate, 8) > 255) break;
        digits = candidate;
        j++;
      }
      emit(String.fromCharCode(parseInt(digits, 8)), i);
      i = j;
    } else {
      const code = raw.codePointAt(i + 1)!;
      const text = String.fromCodePoint(code);
      emit(text, i);
      i += 1 + text.length;
    }
  }
  offsets.push(rawStart + raw.length);
  return { value, offsets };
}
