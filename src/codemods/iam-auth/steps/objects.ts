/**
 * Text edits on object literals (ESLint AST nodes, whose `range`s are offsets in the file text): add, replace and
 * remove properties the way the object is already written (one line or one property per line, trailing commas,
 * comments after a property stay where they are).
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { getPropertyName } from '../../../core/ast/nodes.js';
import { applyEdits, indentAt, indentLines, type TextEdit } from '../../shared/edits.js';
import { withEol } from '../../shared/style.js';
import type { TransformContext } from '../../shared/context.js';

export type ObjectNode = TSESTree.ObjectExpression;
type Member = TSESTree.ObjectLiteralElement;

/** The `key: value` property of an object literal (not a spread, not computed with an unknown key). */
export function propertyOf(object: ObjectNode, name: string): TSESTree.Property | undefined {
  for (const member of object.properties) {
    if (member.type === AST_NODE_TYPES.Property && getPropertyName(member) === name) return member;
  }
  return undefined;
}

/** Whether the object has one property per line (its first property is not on the line of its `{`). */
export function isMultiline(ctx: TransformContext, object: ObjectNode): boolean {
  const first = object.properties[0];
  if (!first) return false;
  return ctx.text.slice(object.range[0], first.range[0]).includes('\n');
}

/** The position just after a member and the comma that follows it, when there is one (comments skipped). */
function afterComma(ctx: TransformContext, member: Member): { end: number; comma: boolean } {
  const match = /^(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*,/.exec(ctx.text.slice(member.range[1]));
  return match ? { end: member.range[1] + match[0].length, comma: true } : { end: member.range[1], comma: false };
}

const trailingCommas = new WeakMap<TransformContext, boolean>();

/** Whether the file writes a comma after the last element of its multi-line object and array literals. */
export function usesTrailingCommas(ctx: TransformContext): boolean {
  const known = trailingCommas.get(ctx);
  if (known !== undefined) return known;
  let withComma = 0;
  let without = 0;
  ctx.root.find(ctx.j.Node).forEach((p) => {
    const node = p.node as unknown as { type: string; start: number; end: number; properties?: Array<{ end: number }>; elements?: Array<{ end: number } | null> };
    if (node.type !== 'ObjectExpression' && node.type !== 'ArrayExpression') return;
    const items = (node.properties ?? node.elements ?? []).filter((e): e is { end: number } => !!e);
    const last = items[items.length - 1];
    if (!last || !ctx.text.slice(node.start, node.end).includes('\n')) return;
    const rest = ctx.text.slice(last.end, node.end - 1);
    if (!rest.includes('\n')) return;
    if (/^\s*,/.test(rest)) withComma++;
    else without++;
  });
  const result = withComma > without;
  trailingCommas.set(ctx, result);
  return result;
}

/**
 * Adds properties (`key: value` each; continuation lines indented relative to the property) after the object's last
 * property. Multi-line objects get each on a line of its own after the last property (after any comment on that
 * line), with a trailing comma when the last property has one; one-line objects get `, a, b`.
 */
export function insertProperties(
  ctx: TransformContext,
  object: ObjectNode,
  properties: readonly string[],
  into: TextEdit[] = ctx.edits,
): void {
  if (properties.length === 0) return;
  const members = object.properties;
  const last = members[members.length - 1];
  if (!last) {
    into.push({ start: object.range[0] + 1, end: object.range[1] - 1, text: withEol(` ${properties.join(', ')} `, ctx.style) });
    return;
  }
  const { end, comma } = afterComma(ctx, last);
  const newline = ctx.text.indexOf('\n', end);
  if (isMultiline(ctx, object) && newline >= 0 && newline < object.range[1] - 1) {
    // Only whitespace and comments lie between the last property (and its comma) and the end of its line.
    const at = ctx.text[newline - 1] === '\r' ? newline - 1 : newline;
    const indent = indentAt(ctx.text, members[0]!.range[0]);
    if (!comma) into.push({ start: last.range[1], end: last.range[1], text: ',' });
    const lines = properties.map((p) => `\n${indent}${indentLines(p, indent)}`).join(',');
    into.push({ start: at, end: at, text: withEol(`${lines}${comma ? ',' : ''}`, ctx.style) });
    return;
  }
  const indent = indentAt(ctx.text, last.range[0]);
  const added = properties.map((p) => indentLines(p, indent)).join(', ');
  into.push({ start: end, end, text: withEol(`${comma ? ' ' : ', '}${added}${comma ? ',' : ''}`, ctx.style) });
}

/** Replaces a property (key and value) with `text`, indented like the property. */
export function replaceProperty(ctx: TransformContext, property: TSESTree.Property, text: string, into: TextEdit[] = ctx.edits): void {
  const indent = indentAt(ctx.text, property.range[0]);
  into.push({ start: property.range[0], end: property.range[1], text: withEol(indentLines(text, indent), ctx.style) });
}

/** Replaces a property's value (a shorthand `{ password }` becomes `password: <value>`). */
export function replaceValue(ctx: TransformContext, property: TSESTree.Property, value: string, into: TextEdit[] = ctx.edits): void {
  if (property.shorthand) {
    const key = ctx.text.slice(property.key.range[0], property.key.range[1]);
    replaceProperty(ctx, property, `${key}: ${value}`, into);
    return;
  }
  const indent = indentAt(ctx.text, property.range[0]);
  into.push({ start: property.value.range[0], end: property.value.range[1], text: withEol(indentLines(value, indent), ctx.style) });
}

/** Removes a property with its comma: its whole lines when it has lines of its own. */
export function removeProperty(ctx: TransformContext, object: ObjectNode, property: TSESTree.Property, into: TextEdit[] = ctx.edits): void {
  const members = object.properties;
  const index = members.indexOf(property);
  const previous = index > 0 ? members[index - 1]! : undefined;
  const { end, comma } = afterComma(ctx, property);
  if (!comma && previous) {
    // The last property: drop the comma before it rather than leave one where the file had none.
    into.push({ start: afterComma(ctx, previous).end - 1, end: property.range[1], text: '' });
    return;
  }
  const lineStart = ctx.text.lastIndexOf('\n', property.range[0] - 1) + 1;
  const rest = /^[ \t]*\r?\n/.exec(ctx.text.slice(end));
  if (/^[ \t]*$/.test(ctx.text.slice(lineStart, property.range[0])) && rest) {
    into.push({ start: lineStart, end: end + rest[0].length, text: '' });
    return;
  }
  into.push({ start: property.range[0], end: end + /^[ \t]*/.exec(ctx.text.slice(end))![0].length, text: '' });
}

/** The text of `[start, end)` with the edits that fall inside it applied. */
export function editedSlice(ctx: TransformContext, start: number, end: number, edits: readonly TextEdit[]): string {
  const inside = edits
    .filter((e) => e.start >= start && e.end <= end)
    .map((e) => ({ ...e, start: e.start - start, end: e.end - start }));
  return applyEdits(ctx.text.slice(start, end), inside);
}
