import { startWithLeadingComments } from '../../shared/edits.js';
import { end, start, topLevelStatement, type AnyNode, type AnyPath } from '../../shared/ast.js';
import { Bailout, type TransformContext } from '../../shared/context.js';

/** Where module-scope code for `path` goes: before the top-level statement that contains it (and its comments). */
export function moduleInsertPoint(ctx: TransformContext, path: AnyPath): number {
  const top = topLevelStatement(path);
  if (!top) throw new Bailout('the code is not inside a top-level statement');
  const program = top.parent!.node as AnyNode;
  const body = program.body as AnyNode[];
  const index = body.indexOf(top.node);
  const floor = index > 0 ? end(body[index - 1]!) : 0;
  return startWithLeadingComments(ctx.text, start(top.node), floor);
}
