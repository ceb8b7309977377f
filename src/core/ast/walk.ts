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

/**
 * The innermost node under `root` whose range holds `offset` (`root` itself when no child does): a descent through
 * the children that hold it, so finding the node at a place the text points to costs the depth, not the file.
 */
export function nodeAt(root: TSESTree.Node, offset: number, visitorKeys: VisitorKeys): TSESTree.Node {
  let node = root;
  descend: for (;;) {
    for (const key of visitorKeys[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      const items = Array.isArray(child) ? (child as unknown[]) : [child];
      for (const item of items) {
        const candidate = item as TSESTree.Node | null | undefined;
        if (candidate && typeof candidate.type === 'string' && candidate.range[0] <= offset && offset < candidate.range[1]) {
          node = candidate;
          continue descend;
        }
      }
    }
    return node;
  }
}
