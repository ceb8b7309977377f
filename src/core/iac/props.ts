/**
 * A construct's props (CDK) or args (Pulumi), read one key at a time. Props objects of stacks are large (VPC
 * settings, bundling options, nested objects) and the analysis needs a few keys of each, so a key is looked up in
 * the object as written (last write wins; spreads of `const` objects and of alternatives are followed) and only its
 * value is resolved. Below the first key, objects are the value resolver's (`ResolvedObject`).
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { getPropertyName, unwrapExpression } from '../ast/nodes.js';
import { findVariable, isReassigned } from '../ast/scope.js';
import type { ConfigEntry } from '../config/types.js';
import type { ValueResolver } from '../config/values.js';

type Node = TSESTree.Node;

const MAX_DEPTH = 8;

export interface StackProps {
  /** The props argument as written. */
  readonly node: Node;
  /** The entries at a dotted path (`environment.variables`), through spreads, `const`s and nested objects. */
  get(path: string | readonly string[]): ConfigEntry[];
  /** Every key is known: no spread or computed key that could not be resolved. */
  readonly complete: boolean;
}

export class LazyProps implements StackProps {
  private readonly cache = new Map<string, ConfigEntry[]>();
  private completeCache: boolean | undefined;

  constructor(
    private readonly resolver: ValueResolver,
    readonly node: Node,
  ) {}

  get complete(): boolean {
    return (this.completeCache ??= this.isComplete(this.node, 0));
  }

  get(path: string | readonly string[]): ConfigEntry[] {
    const keys = typeof path === 'string' ? path.split('.') : path;
    if (keys.length === 0) return [];
    const [head, ...rest] = keys;
    let top = this.cache.get(head!);
    if (!top) {
      top = this.lookup(this.node, head!, 0);
      this.cache.set(head!, top);
    }
    if (rest.length === 0) return top;
    const out: ConfigEntry[] = [];
    for (const entry of top) {
      for (const value of entry.values) if (value.kind === 'object') out.push(...value.object.get(rest));
    }
    return out;
  }

  /** The entries that set `key` in the object an expression holds: the last write, or each alternative's. */
  private lookup(input: Node, key: string, depth: number): ConfigEntry[] {
    if (depth > MAX_DEPTH) return [];
    const node = unwrapExpression(input);
    switch (node.type) {
      case AST_NODE_TYPES.ObjectExpression:
        for (let i = node.properties.length - 1; i >= 0; i--) {
          const property = node.properties[i]!;
          if (property.type === AST_NODE_TYPES.SpreadElement) {
            const found = this.lookup(property.argument, key, depth + 1);
            if (found.length > 0) return found;
            continue;
          }
          if (this.resolver.propertyKey(property) !== key) continue;
          return [{ key, kind: 'property', holder: property, expression: property.value, values: this.resolver.values(property.value) }];
        }
        return [];
      case AST_NODE_TYPES.Identifier: {
        const init = constInit(this.resolver, node);
        return init ? this.lookup(init, key, depth + 1) : [];
      }
      case AST_NODE_TYPES.ConditionalExpression:
        return [...this.lookup(node.consequent, key, depth + 1), ...this.lookup(node.alternate, key, depth + 1)];
      case AST_NODE_TYPES.LogicalExpression:
        return [...this.lookup(node.left, key, depth + 1), ...this.lookup(node.right, key, depth + 1)];
      default:
        return [];
    }
  }

  private isComplete(input: Node, depth: number): boolean {
    if (depth > MAX_DEPTH) return false;
    const node = unwrapExpression(input);
    switch (node.type) {
      case AST_NODE_TYPES.ObjectExpression:
        return node.properties.every((property) =>
          property.type === AST_NODE_TYPES.SpreadElement
            ? this.isComplete(property.argument, depth + 1)
            : !property.computed || getPropertyName(property) !== undefined,
        );
      case AST_NODE_TYPES.Identifier: {
        const init = constInit(this.resolver, node);
        return init ? this.isComplete(init, depth + 1) : false;
      }
      case AST_NODE_TYPES.ConditionalExpression:
        return this.isComplete(node.consequent, depth + 1) && this.isComplete(node.alternate, depth + 1);
      case AST_NODE_TYPES.LogicalExpression:
        return this.isComplete(node.left, depth + 1) && this.isComplete(node.right, depth + 1);
      default:
        return false;
    }
  }
}

/** The initialiser of a `const` (or never-reassigned `let`) that an identifier reads. */
function constInit(resolver: ValueResolver, id: TSESTree.Identifier): Node | undefined {
  const variable = findVariable(resolver.sourceCode.scopeManager!.globalScope!, id);
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (def?.type !== 'Variable') return undefined;
  const declarator = def.node as TSESTree.VariableDeclarator;
  if (declarator.id.type !== AST_NODE_TYPES.Identifier || !declarator.init) return undefined;
  if ((def.parent as TSESTree.VariableDeclaration | null)?.kind !== 'const' && isReassigned(variable!)) return undefined;
  return declarator.init;
}
