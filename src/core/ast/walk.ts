import type { TSESTree } from '@typescript-eslint/types';

export type VisitorKeys = Readonly<Record<string, readonly string[] | undefined>>;

/**
 * Depth-first walk over a subtree using the parser's visitor keys. `enter` returning `false` skips the node's
 * children. Iterative, so deep ASTs cannot overflow the stack.
 */
export function walk(
  root: TSESTree.Node,
  visitorKeys: VisitorKeys,
  enter: (node: TSESTree.Node) => boolean | void,
): void {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (enter(node) === false) continue;
    const keys = visitorKeys[node.type];
    if (!keys) continue;
    for (let k = keys.length - 1; k >= 0; k--) {
      const child = (node as unknown as Record<string, unknown>)[keys[k]!];
      if (Array.isArray(child)) {
        for (let i = child.length - 1; i >= 0; i--) {
          const item = child[i] as TSESTree.Node | null;
          if (item && typeof item.type === 'string') stack.push(item);
        }
      } else if (child && typeof (child as TSESTree.Node).type === 'string') {
        stack.push(child as TSESTree.Node);
      }
    }
  }
}
