import { dedent, indentAt, removalRange } from '../../shared/edits.js';
import { end, start, type AnyNode, type AnyPath } from '../../shared/ast.js';
import type { TransformContext } from '../../shared/context.js';

/**
 * Removes statements (per-invocation `end()`/`connect()` of an instance that is now shared). A `finally` block
 * left empty goes too: `try { a } finally { pool.end() }` becomes `a`.
 */
export function removeStatements(ctx: TransformContext, statements: readonly AnyPath[]): void {
  const handled = new Set<AnyPath>();
  for (const statement of statements) {
    if (handled.has(statement)) continue;
    const block = statement.parent as AnyPath | null;
    const tryPath = block?.parent as AnyPath | null;
    if (block?.node.type === 'BlockStatement' && tryPath?.node.type === 'TryStatement' && tryPath.node.finalizer === block.node) {
      const body = block.node.body as AnyNode[];
      const removedHere = statements.filter((s) => s.parent === block);
      if (removedHere.length === body.length) {
        removedHere.forEach((s) => handled.add(s));
        removeFinally(ctx, tryPath);
        continue;
      }
    }
    handled.add(statement);
    const [from, to] = removalRange(ctx.text, start(statement.node), end(statement.node), floorOf(statement));
    ctx.edits.push({ start: from, end: to, text: '' });
  }
}

/** The end of the previous sibling statement: comment scanning never crosses it. */
function floorOf(statement: AnyPath): number {
  const parent = statement.parent?.node as AnyNode | undefined;
  const siblings = (parent?.body as AnyNode[] | undefined) ?? [];
  const index = Array.isArray(siblings) ? siblings.indexOf(statement.node) : -1;
  if (index > 0) return end(siblings[index - 1]!);
  return parent ? start(parent) + 1 : 0;
}

function removeFinally(ctx: TransformContext, tryPath: AnyPath): void {
  const node = tryPath.node;
  const finalizer = node.finalizer as AnyNode;
  if (node.handler) {
    // `try {...} catch {...} finally {...}` → `try {...} catch {...}`
    const handler = node.handler as AnyNode;
    ctx.edits.push({ start: end(handler), end: end(finalizer), text: '' });
    return;
  }
  // `try { body } finally { ... }` → the body's statements, one level less indented.
  const block = node.block as AnyNode;
  const inner = block.body as AnyNode[];
  if (inner.length === 0) {
    const [from, to] = removalRange(ctx.text, start(node), end(node));
    ctx.edits.push({ start: from, end: to, text: '' });
    return;
  }
  const outerIndent = indentAt(ctx.text, start(node));
  const innerIndent = indentAt(ctx.text, start(inner[0]!));
  const bodyText = ctx.text.slice(start(inner[0]!), end(inner[inner.length - 1]!));
  const extra = innerIndent.startsWith(outerIndent) ? innerIndent.slice(outerIndent.length) : '';
  const text = dedent(bodyText, extra);
  ctx.edits.push({ start: start(node), end: end(node), text });
}
