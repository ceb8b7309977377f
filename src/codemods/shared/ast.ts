/** Small helpers over jscodeshift (Babel) AST paths. */
import type { ASTPath, JSCodeshift } from 'jscodeshift';

export type AnyNode = { type: string; start?: number | null; end?: number | null; [key: string]: unknown };
export type AnyPath = ASTPath<AnyNode>;

const PASS_THROUGH = new Set([
  'AwaitExpression',
  'TSAsExpression',
  'TSNonNullExpression',
  'TSSatisfiesExpression',
  'TSTypeAssertion',
  'ParenthesizedExpression',
]);

export const FUNCTION_TYPES = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ObjectMethod',
  'ClassMethod',
  'ClassPrivateMethod',
]);

export function start(node: AnyNode): number {
  return node.start as number;
}
export function end(node: AnyNode): number {
  return node.end as number;
}

/** The call or `new` expression that starts at `offset`. */
export function callAt(j: JSCodeshift, root: ReturnType<JSCodeshift>, offset: number): AnyPath | undefined {
  let found: AnyPath | undefined;
  root.find(j.Node).forEach((p) => {
    const n = p.node as AnyNode;
    if (found || n.start !== offset) return;
    if (n.type === 'NewExpression' || n.type === 'CallExpression' || n.type === 'OptionalCallExpression') {
      found = p as AnyPath;
    }
  });
  return found;
}

/** Climb through `await`, TS wrappers and parentheses; returns the outermost such path. */
export function outerValue(path: AnyPath): AnyPath {
  let current = path;
  while (current.parent && PASS_THROUGH.has((current.parent.node as AnyNode).type)) current = current.parent as AnyPath;
  return current;
}

export function enclosingFunction(path: AnyPath): AnyPath | undefined {
  for (let p = path.parent as AnyPath | null; p; p = p.parent as AnyPath | null) {
    if (FUNCTION_TYPES.has(p.node.type)) return p;
  }
  return undefined;
}

/** The statement directly in the Program body that contains `path`. */
export function topLevelStatement(path: AnyPath): AnyPath | undefined {
  let current: AnyPath = path;
  while (current.parent && current.parent.node.type !== 'Program') current = current.parent as AnyPath;
  return current.parent ? current : undefined;
}

/** `x.method(...)` / `await x.method(...)` as a statement of its own. */
export function statementOfCall(callPath: AnyPath): AnyPath | undefined {
  const value = outerValue(callPath);
  const parent = value.parent as AnyPath | null;
  return parent?.node.type === 'ExpressionStatement' ? parent : undefined;
}

/** Identifiers in a subtree that read a binding (not property keys, not type positions). */
export function referencedIdentifiers(j: JSCodeshift, path: AnyPath): AnyPath[] {
  const out: AnyPath[] = [];
  j(path as never)
    .find(j.Identifier)
    .forEach((p) => {
      const parent = p.parent?.node as AnyNode | undefined;
      if (!parent) return;
      if ((parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && parent.property === p.node && !parent.computed) return;
      if ((parent.type === 'ObjectProperty' || parent.type === 'Property') && parent.key === p.node && !parent.computed && !parent.shorthand) return;
      for (let a = p.parent as AnyPath | null; a && a !== path; a = a.parent as AnyPath | null) {
        const t = a.node.type;
        if (t.startsWith('TS') && !PASS_THROUGH.has(t) && t !== 'TSParameterProperty') return;
      }
      out.push(p as unknown as AnyPath);
    });
  return out;
}
