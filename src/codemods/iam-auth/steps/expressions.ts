/**
 * Expressions of a connection config (host, port, user) copied to module scope for the `Signer`, which must sign
 * for exactly the endpoint, port and user the driver connects with. An expression is copied only when it means the
 * same there and copying it runs nothing twice: literals, `process.env` reads, module-scope constants declared
 * before that point, imports, and `Number()` / `parseInt()` / `String()` of those.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { unwrapExpression } from '../../../core/ast/nodes.js';
import { findVariable, isModuleScope, isReassigned } from '../../../core/ast/scope.js';
import { walk } from '../../../core/ast/walk.js';
import { Bailout } from '../../shared/context.js';

const CONVERSIONS = new Set(['Number', 'parseInt', 'String']);
const TS_EXPRESSIONS = new Set(['TSAsExpression', 'TSNonNullExpression', 'TSSatisfiesExpression', 'TSTypeAssertion']);

/** Throws `Bailout` unless `expression` can be copied to a module-scope statement that starts at `insertAt`. */
export function checkCopyable(
  sourceCode: Readonly<TSESLint.SourceCode>,
  expression: TSESTree.Node,
  insertAt: number,
  what: string,
): void {
  const scope = sourceCode.scopeManager!.globalScope!;
  let problem: string | undefined;
  walk(expression, sourceCode.visitorKeys, (node) => {
    if (problem) return false;
    // Types (`as Host`) are not values.
    if (node.type.startsWith('TS') && !TS_EXPRESSIONS.has(node.type)) return false;
    switch (node.type) {
      case AST_NODE_TYPES.ThisExpression:
      case AST_NODE_TYPES.AwaitExpression:
      case AST_NODE_TYPES.YieldExpression:
      case AST_NODE_TYPES.AssignmentExpression:
      case AST_NODE_TYPES.UpdateExpression:
      case AST_NODE_TYPES.NewExpression:
      case AST_NODE_TYPES.FunctionExpression:
      case AST_NODE_TYPES.ArrowFunctionExpression:
      case AST_NODE_TYPES.TaggedTemplateExpression:
        problem = `the ${what} is computed (\`${sourceCode.getText(node).slice(0, 40)}\`), so it cannot be copied to the signer`;
        return false;
      case AST_NODE_TYPES.CallExpression: {
        const callee = unwrapExpression(node.callee);
        if (callee.type !== AST_NODE_TYPES.Identifier || !CONVERSIONS.has(callee.name) || findVariable(scope, callee)?.defs.length) {
          problem = `the ${what} comes from a call (\`${sourceCode.getText(node.callee).slice(0, 40)}\`), which the signer would run a second time`;
          return false;
        }
        return undefined;
      }
      case AST_NODE_TYPES.Identifier: {
        if (isName(node, node.parent)) return undefined;
        const variable = findVariable(scope, node);
        if (!variable || variable.defs.length === 0) return undefined; // a global: `process`, `Number`
        const def = variable.defs[0]!;
        if (def.type === 'ImportBinding') return undefined;
        if (!isModuleScope(variable.scope)) {
          problem = `the ${what} depends on \`${node.name}\`, which only exists inside a function`;
          return false;
        }
        const declaration = def.parent as TSESTree.VariableDeclaration | null;
        if (def.type !== 'Variable' || (declaration?.kind !== 'const' && isReassigned(variable))) {
          problem = `the ${what} depends on \`${node.name}\`, which may change`;
          return false;
        }
        if (def.node.range[1] > insertAt) {
          problem = `the ${what} depends on \`${node.name}\`, which is declared after the place the signer goes`;
          return false;
        }
        return undefined;
      }
      default:
        return undefined;
    }
  });
  if (problem) throw new Bailout(problem);
}

/** `b` in `a.b` and `{ b: 1 }`: a name, not a reference. */
function isName(id: TSESTree.Identifier, parent: TSESTree.Node | undefined): boolean {
  if (parent?.type === AST_NODE_TYPES.MemberExpression) return parent.property === id && !parent.computed;
  if (parent?.type === AST_NODE_TYPES.Property) return parent.key === id && !parent.computed && !parent.shorthand;
  return false;
}

/** A bare `process.env.X` (`string | undefined` in TypeScript). */
export function isBareEnvRead(node: TSESTree.Node): boolean {
  const n = unwrapExpression(node);
  if (n.type !== AST_NODE_TYPES.MemberExpression) return false;
  const object = unwrapExpression(n.object);
  return (
    object.type === AST_NODE_TYPES.MemberExpression &&
    !object.computed &&
    object.property.type === AST_NODE_TYPES.Identifier &&
    object.property.name === 'env' &&
    object.object.type === AST_NODE_TYPES.Identifier &&
    object.object.name === 'process'
  );
}

/**
 * The port as the signer wants it: a number. A bare `process.env` read falls back to the driver's default port, as
 * the driver does when the variable is not set.
 */
export function portText(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node, fallback: number): string {
  const n = unwrapExpression(node);
  const text = sourceCode.getText(node);
  if (isBareEnvRead(n)) return `Number(${sourceCode.getText(n)} ?? ${fallback})`;
  if (n.type === AST_NODE_TYPES.Literal) {
    if (typeof n.value === 'number') return text;
    if (typeof n.value === 'string' && /^\d+$/.test(n.value)) return n.value;
  }
  if (n.type === AST_NODE_TYPES.CallExpression && n.callee.type === AST_NODE_TYPES.Identifier && /^(?:Number|parseInt)$/.test(n.callee.name)) {
    return text;
  }
  return `Number(${text})`;
}
