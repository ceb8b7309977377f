import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';

export type FunctionNode =
  | TSESTree.FunctionDeclaration
  | TSESTree.FunctionExpression
  | TSESTree.ArrowFunctionExpression;

export function isFunctionNode(node: TSESTree.Node | null | undefined): node is FunctionNode {
  return (
    node?.type === AST_NODE_TYPES.FunctionDeclaration ||
    node?.type === AST_NODE_TYPES.FunctionExpression ||
    node?.type === AST_NODE_TYPES.ArrowFunctionExpression
  );
}

/** TypeScript-only wrappers and optional chains that pass their expression's value through unchanged. */
export function isTransparentWrapper(
  node: TSESTree.Node,
): node is
  | TSESTree.TSAsExpression
  | TSESTree.TSNonNullExpression
  | TSESTree.TSSatisfiesExpression
  | TSESTree.TSTypeAssertion
  | TSESTree.TSInstantiationExpression
  | TSESTree.ChainExpression {
  switch (node.type) {
    case AST_NODE_TYPES.TSAsExpression:
    case AST_NODE_TYPES.TSNonNullExpression:
    case AST_NODE_TYPES.TSSatisfiesExpression:
    case AST_NODE_TYPES.TSTypeAssertion:
    case AST_NODE_TYPES.TSInstantiationExpression:
    case AST_NODE_TYPES.ChainExpression:
      return true;
    default:
      return false;
  }
}

/** `x as T`, `x!`, `x satisfies T`, `<T>x`, `a?.b` → the inner expression. */
export function unwrapExpression(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (isTransparentWrapper(current)) current = current.expression;
  return current;
}

/** The static name of a member's property (`a.b`, `a['b']`, `` a[`b`] ``), or undefined when computed. */
export function getPropertyName(
  node: TSESTree.MemberExpression | TSESTree.Property | TSESTree.MethodDefinition | TSESTree.PropertyDefinition,
): string | undefined {
  const key = node.type === AST_NODE_TYPES.MemberExpression ? node.property : node.key;
  if (!node.computed) {
    if (key.type === AST_NODE_TYPES.Identifier) return key.name;
    if (key.type === AST_NODE_TYPES.PrivateIdentifier) return undefined;
  }
  if (key.type === AST_NODE_TYPES.Literal && (typeof key.value === 'string' || typeof key.value === 'number')) {
    return String(key.value);
  }
  if (key.type === AST_NODE_TYPES.TemplateLiteral && key.expressions.length === 0) {
    return key.quasis[0]?.value.cooked ?? undefined;
  }
  return undefined;
}

/** `obj.name(...)` with a static property name. */
export function isMethodCall(node: TSESTree.Node, names?: readonly string[]): node is TSESTree.CallExpression & {
  callee: TSESTree.MemberExpression;
} {
  if (node.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = unwrapExpression(node.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  if (!names) return true;
  const name = getPropertyName(callee);
  return name !== undefined && names.includes(name);
}

/** The callee of a call as a MemberExpression, looking through `?.` and TS wrappers. */
export function memberCallee(node: TSESTree.CallExpression): TSESTree.MemberExpression | undefined {
  const callee = unwrapExpression(node.callee);
  return callee.type === AST_NODE_TYPES.MemberExpression ? callee : undefined;
}

/** The identifier at the root of `a.b.c` (or `this`), if any. */
export function memberRoot(node: TSESTree.Node): TSESTree.Identifier | TSESTree.ThisExpression | undefined {
  let current = unwrapExpression(node);
  while (current.type === AST_NODE_TYPES.MemberExpression) current = unwrapExpression(current.object);
  if (current.type === AST_NODE_TYPES.Identifier || current.type === AST_NODE_TYPES.ThisExpression) return current;
  return undefined;
}

/** Whether `inner` lies inside `outer` (ranges, inclusive). */
export function contains(outer: TSESTree.Node, inner: TSESTree.Node): boolean {
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}

/** The nearest enclosing function of a node (not the node itself). */
export function enclosingFunction(node: TSESTree.Node): FunctionNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionNode(current)) return current;
  }
  return undefined;
}

/** `(function () {...})()` / `(async () => {...})()`: the call that runs a function expression at once. */
export function immediateCall(fn: FunctionNode): TSESTree.CallExpression | undefined {
  let current: TSESTree.Node = fn;
  while (current.parent && isTransparentWrapper(current.parent)) current = current.parent;
  const parent = current.parent;
  if (parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === current) return parent;
  return undefined;
}

/** A string literal's value or a template literal without expressions. */
export function getStaticString(node: TSESTree.Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') return node.value;
  if (node.type === AST_NODE_TYPES.TemplateLiteral && node.expressions.length === 0) {
    return node.quasis[0]?.value.cooked ?? undefined;
  }
  return undefined;
}
