import { indentAt } from './edits.js';
import { withEol } from './style.js';
import { start, type AnyNode, type AnyPath } from './ast.js';
import type { TransformContext } from './context.js';

const MARK = 'TODO(lambda-rds):';

/** `--annotate`: a `// TODO(lambda-rds): <reason>` line above the statement the codemod left alone (once). */
export function annotateBailout(ctx: TransformContext, call: AnyPath, reason: string): void {
  let statement: AnyPath = call;
  while (statement.parent && !/Statement$|Declaration$/.test(statement.node.type)) statement = statement.parent as AnyPath;
  if (/Declaration$/.test(statement.node.type) && statement.parent && /^Export/.test((statement.parent.node as AnyNode).type)) {
    statement = statement.parent as AnyPath;
  }
  const at = start(statement.node);
  const lineStart = ctx.text.lastIndexOf('\n', at - 1) + 1;
  const previousLine = ctx.text.slice(ctx.text.lastIndexOf('\n', lineStart - 2) + 1, lineStart);
  if (previousLine.includes(MARK)) return;
  const indent = indentAt(ctx.text, at);
  if (ctx.text.slice(lineStart, at).trim() !== '') return;
  ctx.edits.push({ start: lineStart, end: lineStart, text: withEol(`${indent}// ${MARK} ${reason}\n`, ctx.style) });
}
