/**
 * Text edits on object literals: add, replace and remove properties the way the object is already
 * written (one line or one property per line, trailing commas; a comment after a property stays where it is).
 * Offsets are ESTree `range`s, i.e. positions in the file text.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { getPropertyName } from '../ast/nodes.js';
import { walk } from '../ast/walk.js';
import type { FixBuilder } from './plan.js';
import { withEol } from './style.js';
import { applyEdits, indentAt, type TextEdit } from './text.js';

export type ObjectNode = TSESTree.ObjectExpression;
type Member = TSESTree.ObjectLiteralElement;

/** Text with every line after the first indented by `indent` (blank lines stay blank). */
export function indentLines(text: string, indent: string): string {
  return text.replace(/\n(?!\r?\n|$)/g, `\n${indent}`);
}

/** The `key: value` property of an object literal (not a spread, not computed with an unknown key). */
export function propertyOf(object: ObjectNode, name: string): TSESTree.Property | undefined {
  for (const member of object.properties) {
    if (member.type === AST_NODE_TYPES.Property && getPropertyName(member) === name) return member;
  }
  return undefined;
}

/** Whether the object has one property per line (its first property is not on the line of its `{`). */
export function isMultiline(text: string, object: ObjectNode): boolean {
  const first = object.properties[0];
  if (!first) return false;
  return text.slice(object.range[0], first.range[0]).includes('\n');
}

/** The position just after a member and the comma that follows it, when there is one (comments skipped). */
function afterComma(text: string, member: Member): { end: number; comma: boolean } {
  const match = /^(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*,/.exec(text.slice(member.range[1], member.range[1] + 2000));
  return match ? { end: member.range[1] + match[0].length, comma: true } : { end: member.range[1], comma: false };
}

const trailingCommas = new WeakMap<object, boolean>();

/** Whether the file writes a comma after the last element of its multi-line object and array literals. */
export function usesTrailingCommas(fix: FixBuilder): boolean {
  const key = fix.sourceCode.ast;
  const known = trailingCommas.get(key);
  if (known !== undefined) return known;
  let withComma = 0;
  let without = 0;
  const text = fix.text;
  walk(fix.sourceCode.ast as TSESTree.Node, fix.sourceCode.visitorKeys, (node) => {
    if (node.type !== AST_NODE_TYPES.ObjectExpression && node.type !== AST_NODE_TYPES.ArrayExpression) return;
    const items = (node.type === AST_NODE_TYPES.ObjectExpression ? node.properties : node.elements).filter(
      (e): e is NonNullable<typeof e> => !!e,
    );
    const last = items[items.length - 1];
    if (!last) return;
    const rest = text.slice(last.range[1], node.range[1] - 1);
    if (!rest.includes('\n')) return;
    if (/^\s*,/.test(rest)) withComma++;
    else without++;
  });
  const result = withComma > without;
  trailingCommas.set(key, result);
  return result;
}

/**
 * Adds properties (`key: value` each; continuation lines indented relative to the property) after the object's last
 * property. Multi-line objects get each on a line of its own after the last property (after any comment on that
 * line), with a trailing comma when the last property has one; one-line objects get `, a, b`.
 */
export function insertProperties(fix: FixBuilder, object: ObjectNode, properties: readonly string[], into: TextEdit[] = fix.edits): void {
  if (properties.length === 0) return;
  const text = fix.text;
  const members = object.properties;
  const last = members[members.length - 1];
  if (!last) {
    into.push({ start: object.range[0] + 1, end: object.range[1] - 1, text: withEol(` ${properties.join(', ')} `, fix.style) });
    return;
  }
  const { end, comma } = afterComma(text, last);
  const newline = text.indexOf('\n', end);
  if (isMultiline(text, object) && newline >= 0 && newline < object.range[1] - 1) {
    // Only whitespace and comments lie between the last property (and its comma) and the end of its line.
    const at = text[newline - 1] === '\r' ? newline - 1 : newline;
    const indent = indentAt(text, members[0]!.range[0]);
    if (!comma) into.push({ start: last.range[1], end: last.range[1], text: ',' });
    const lines = properties.map((p) => `\n${indent}${indentLines(p, indent)}`).join(',');
    into.push({ start: at, end: at, text: withEol(`${lines}${comma ? ',' : ''}`, fix.style) });
    return;
  }
  const indent = indentAt(text, last.range[0]);
  const added = properties.map((p) => indentLines(p, indent)).join(', ');
  into.push({ start: end, end, text: withEol(`${comma ? ' ' : ', '}${added}${comma ? ',' : ''}`, fix.style) });
}

/** Replaces a property (key and value) with `text`, indented like the property. */
export function replaceProperty(fix: FixBuilder, property: TSESTree.Property, text: string, into: TextEdit[] = fix.edits): void {
  const indent = indentAt(fix.text, property.range[0]);
  into.push({ start: property.range[0], end: property.range[1], text: withEol(indentLines(text, indent), fix.style) });
}

/** Replaces a property's value (a shorthand `{ password }` becomes `password: <value>`). */
export function replaceValue(fix: FixBuilder, property: TSESTree.Property, value: string, into: TextEdit[] = fix.edits): void {
  if (property.shorthand) {
    const key = fix.text.slice(property.key.range[0], property.key.range[1]);
    replaceProperty(fix, property, `${key}: ${value}`, into);
    return;
  }
  const indent = indentAt(fix.text, property.range[0]);
  into.push({ start: property.value.range[0], end: property.value.range[1], text: withEol(indentLines(value, indent), fix.style) });
}

/** Removes a property with its comma: its whole lines when it has lines of its own. */
export function removeProperty(fix: FixBuilder, object: ObjectNode, property: TSESTree.Property, into: TextEdit[] = fix.edits): void {
  const text = fix.text;
  const members = object.properties;
  const index = members.indexOf(property);
  const previous = index > 0 ? members[index - 1]! : undefined;
  const { end, comma } = afterComma(text, property);
  if (!comma && previous) {
    // The last property: drop the comma before it rather than leave one where the file had none.
    into.push({ start: afterComma(text, previous).end - 1, end: property.range[1], text: '' });
    return;
  }
  const lineStart = text.lastIndexOf('\n', property.range[0] - 1) + 1;
  const rest = /^[ \t]*\r?\n/.exec(text.slice(end, end + 200));
  if (/^[ \t]*$/.test(text.slice(lineStart, property.range[0])) && rest) {
    into.push({ start: lineStart, end: end + rest[0].length, text: '' });
    return;
  }
  into.push({ start: property.range[0], end: end + /^[ \t]*/.exec(text.slice(end, end + 200))![0].length, text: '' });
}

/** The text of `[start, end)` with the edits that fall inside it applied. */
export function editedSlice(text: string, start: number, end: number, edits: readonly TextEdit[]): string {
  const inside = edits
    .filter((e) => e.start >= start && e.end <= end)
    .map((e) => ({ ...e, start: e.start - start, end: e.end - start }));
  return applyEdits(text.slice(start, end), inside);
}

/** Properties a fix adds to each object, written once per object when the fix is complete (`flushProperties`). */
const pendingProperties = new WeakMap<FixBuilder, Map<ObjectNode, string[]>>();

/** Adds properties to an object literal (several parts of one fix may add to the same object). */
export function addProperties(fix: FixBuilder, object: ObjectNode, properties: readonly string[]): void {
  let pending = pendingProperties.get(fix);
  if (!pending) pendingProperties.set(fix, (pending = new Map()));
  const list = pending.get(object) ?? [];
  for (const p of properties) if (!list.includes(p)) list.push(p);
  pending.set(object, list);
}

/** Writes the properties `addProperties` collected. */
export function flushProperties(fix: FixBuilder): void {
  for (const [object, properties] of pendingProperties.get(fix) ?? []) insertProperties(fix, object, properties);
  pendingProperties.delete(fix);
}
