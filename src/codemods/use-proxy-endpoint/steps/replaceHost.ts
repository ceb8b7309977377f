import type { AnyNode } from '../../shared/ast.js';
import { Bailout, type TransformContext } from '../../shared/context.js';
import type { HostTarget } from './findHosts.js';

/** Parents where a string literal can be swapped for any expression. */
function isExpressionPosition(node: AnyNode, parent: AnyNode | undefined): boolean {
  if (!parent) return false;
  switch (parent.type) {
    case 'ObjectProperty':
    case 'Property':
      return parent.value === node;
    case 'VariableDeclarator':
      return parent.init === node;
    case 'AssignmentExpression':
    case 'AssignmentPattern':
      return parent.right === node;
    case 'LogicalExpression':
    case 'BinaryExpression':
    case 'ArrayExpression':
    case 'ReturnStatement':
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
    case 'TSNonNullExpression':
    case 'SpreadElement':
      return true;
    case 'ArrowFunctionExpression':
      return parent.body === node;
    case 'ConditionalExpression':
      return parent.test !== node;
    case 'CallExpression':
    case 'NewExpression':
      return parent.callee !== node;
    case 'ClassProperty':
    case 'PropertyDefinition':
      return parent.value === node;
    default:
      return false;
  }
}

/** Text that is safe inside a template literal: backticks and `${` escaped (string escapes stay valid). */
function asTemplateText(raw: string): string {
  return raw.replace(/\\`|`/g, (m) => (m === '`' ? '\\`' : m)).replace(/\$\{/g, '\\${');
}

/**
 * Swaps the hostname for the environment variable:
 * - a string that is only the hostname → `process.env.VAR` (`process.env.VAR!` in TypeScript, where hosts are
 *   usually typed `string`);
 * - a hostname inside a string (a URI) → the string becomes a template with `${process.env.VAR}` in its place;
 * - a hostname in a template's static part → `${process.env.VAR}` in its place.
 */
export function replaceHost(ctx: TransformContext, target: HostTarget, envVar: string): void {
  const node = target.holder.node;
  const env = `process.env.${envVar}`;
  if (node.type === 'TemplateElement') {
    const template = target.holder.parent?.node as AnyNode | undefined;
    const outer = target.holder.parent?.parent?.node as AnyNode | undefined;
    if (outer?.type === 'TaggedTemplateExpression' || outer?.type === 'TSLiteralType' || template?.type !== 'TemplateLiteral') {
      throw new Bailout('the hostname is in a tagged template or a type, where an interpolation would change its meaning');
    }
    ctx.edits.push({ start: target.start, end: target.end, text: `\${${env}}` });
  } else {
    const contentStart = (node.start as number) + 1;
    const contentEnd = (node.end as number) - 1;
    const raw = ctx.text.slice(contentStart, contentEnd);
    if (target.start === contentStart && target.end === contentEnd) {
      const parent = target.holder.parent?.node as AnyNode | undefined;
      if (!isExpressionPosition(node, parent)) throw new Bailout('the hostname string stands where only a string may (a key, an import, a type)');
      ctx.edits.push({ start: node.start as number, end: node.end as number, text: ctx.typescript ? `${env}!` : env });
    } else {
      const parent = target.holder.parent?.node as AnyNode | undefined;
      if (!isExpressionPosition(node, parent)) throw new Bailout('the string stands where a template literal may not (a key, an import, a type)');
      const before = asTemplateText(raw.slice(0, target.start - contentStart));
      const after = asTemplateText(raw.slice(target.end - contentStart));
      ctx.edits.push({ start: node.start as number, end: node.end as number, text: `\`${before}\${${env}}${after}\`` });
    }
  }
  ctx.changes.push(`${target.line}: replaced ${target.host} with ${env}`);
}
