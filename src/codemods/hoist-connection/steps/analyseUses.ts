import type { Creator } from '../../../core/drivers/catalogue.js';
import { statementOfCall, type AnyNode, type AnyPath } from '../../shared/ast.js';
import type { AstScope } from './checkDependencies.js';
import { Bailout, type TransformContext } from '../../shared/context.js';

export interface Uses {
  /** `await x.connect();` statements. */
  readonly connects: AnyPath[];
  /** `await x.end();` statements. */
  readonly closes: AnyPath[];
}

/**
 * How a function uses the instance bound to `name`: its connect and close statements. Anything that would
 * behave differently on a shared instance stops the codemod: reassigning it, setting its properties, or adding
 * event listeners on every invocation.
 */
export function analyseUses(
  ctx: TransformContext,
  fn: AnyPath,
  name: string,
  scope: AstScope,
  creator: Creator,
): Uses {
  const { j } = ctx;
  const connects: AnyPath[] = [];
  const closes: AnyPath[] = [];
  j(fn as never)
    .find(j.Identifier, { name })
    .forEach((p) => {
      const path = p as unknown as AnyPath;
      if ((p as unknown as { scope: AstScope | null }).scope?.lookup(name) !== scope) return;
      const parent = path.parent?.node as AnyNode | undefined;
      if (!parent) return;
      if (parent.type === 'VariableDeclarator' && parent.id === path.node) return;
      if ((parent.type === 'AssignmentExpression' && parent.left === path.node) || parent.type === 'UpdateExpression') {
        throw new Bailout(`\`${name}\` is reassigned on each invocation`);
      }
      if ((parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && parent.object === path.node) {
        const grand = path.parent!.parent as AnyPath | null;
        const method = !parent.computed ? (parent.property as { name?: string }).name : undefined;
        if (grand?.node.type === 'AssignmentExpression' && grand.node.left === parent) {
          throw new Bailout(`\`${name}\` is reconfigured on each invocation`);
        }
        const isCall =
          (grand?.node.type === 'CallExpression' || grand?.node.type === 'OptionalCallExpression') &&
          grand.node.callee === parent;
        if (!isCall || !method) return;
        if (method === 'on' || method === 'once' || method === 'addListener') {
          throw new Bailout(`\`${name}\` gets event listeners on each invocation`);
        }
        const list = creator.connectMethods?.includes(method)
          ? connects
          : creator.closeMethods.includes(method)
            ? closes
            : undefined;
        if (!list) return;
        const statement = statementOfCall(grand);
        if (!statement) throw new Bailout(`\`${name}.${method}()\` is used as a value, not as a statement of its own`);
        list.push(statement);
      }
    });
  return { connects, closes };
}
