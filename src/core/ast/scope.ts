import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { unwrapExpression, memberRoot } from './nodes.js';

export type Scope = TSESLint.Scope.Scope;
export type Variable = TSESLint.Scope.Variable;

/** The variable an identifier refers to, searching outward from the identifier's own scope. */
export function findVariable(scope: Scope, identifier: TSESTree.Identifier): Variable | undefined {
  let current: Scope | null = innermostScope(scope, identifier);
  while (current) {
    const variable = current.set.get(identifier.name);
    if (variable) return variable;
    current = current.upper;
  }
  return undefined;
}

/** The innermost scope below `scope` that contains `node`. */
export function innermostScope(scope: Scope, node: TSESTree.Node): Scope {
  const [start] = node.range;
  let current = scope;
  for (;;) {
    // Child scopes are in source order: binary search for the last one starting at or before the node.
    const children = current.childScopes;
    let lo = 0;
    let hi = children.length - 1;
    let candidate = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const child = children[mid]!;
      if (child.block.range[0] <= start) {
        candidate = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    // Scopes that share a start (a function and its parameter-default scope) are checked from the last back.
    let next: Scope | undefined;
    for (let i = candidate; i >= 0; i--) {
      const [cs, ce] = children[i]!.block.range;
      if (cs <= start && start < ce) {
        next = children[i];
        break;
      }
      if (ce <= start && cs < start) break;
    }
    if (!next) return current;
    current = next;
  }
}

/** Declared at the top level of the file: ESM module scope, script global scope, or the CommonJS wrapper scope. */
export function isModuleScope(scope: Scope): boolean {
  return scope.block.type === AST_NODE_TYPES.Program;
}

export function isModuleScopeVariable(variable: Variable | undefined): boolean {
  return Boolean(variable && isModuleScope(variable.scope));
}

const GLOBAL_OBJECTS = new Set(['global', 'globalThis']);

/**
 * A place that outlives one invocation: a module-scope variable, a property of one, a property of the global
 * object, or `this.x` inside a class (the handler instance lives at module scope).
 */
export function isLongLivedTarget(scope: Scope, node: TSESTree.Node): boolean {
  const target = unwrapExpression(node);
  const root = memberRoot(target);
  if (!root) return false;
  if (root.type === AST_NODE_TYPES.ThisExpression) return target.type === AST_NODE_TYPES.MemberExpression;
  const variable = findVariable(scope, root);
  if (!variable) return target !== root && GLOBAL_OBJECTS.has(root.name);
  return isModuleScopeVariable(variable);
}

/** The initialiser or declaration a variable was defined with, when it has exactly one definition. */
export function singleDefinition(variable: Variable): TSESLint.Scope.Definition | undefined {
  return variable.defs.length === 1 ? variable.defs[0] : undefined;
}

/** Whether a variable is written anywhere other than its declaration's initialiser. */
export function isReassigned(variable: Variable): boolean {
  return variable.references.some((ref) => ref.isWrite() && !ref.init);
}
