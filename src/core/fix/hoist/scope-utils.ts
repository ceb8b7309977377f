/** Scope questions the hoist planner asks: references inside a subtree, and names free at module scope. */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { isFunctionNode, type FunctionNode } from '../../ast/nodes.js';
import { innermostScope, isModuleScope, type Scope, type Variable } from '../../ast/scope.js';

export type Reference = TSESLint.Scope.Reference;
type SourceCode = Readonly<TSESLint.SourceCode>;

/**
 * Every reference whose identifier lies inside `node` (type-only references of TypeScript excluded). A function's
 * body is read with the function's scope current, so when `node` lies in one, the references inside it belong to
 * that scope or to scopes below it, and only those overlapping the node are visited: the rest of the file, however
 * large, is not looked at. Elsewhere (module-level code) the descent starts at the global scope.
 */
export function referencesIn(sourceCode: SourceCode, node: TSESTree.Node): Reference[] {
  const [start, end] = node.range;
  const out: Reference[] = [];
  const visit = (scope: Scope): void => {
    for (const reference of scope.references) {
      const [is, ie] = reference.identifier.range;
      if (is < start || ie > end) continue;
      if ((reference as { isValueReference?: boolean }).isValueReference === false) continue;
      out.push(reference);
    }
    for (const child of scope.childScopes) {
      const [bs, be] = child.block.range;
      if (be > start && bs < end) visit(child);
    }
  };
  const global = sourceCode.scopeManager?.globalScope;
  if (global) visit(bodyScope(global, node) ?? global);
  return out;
}

/** The scope of the innermost function whose body contains `node`. */
function bodyScope(global: Scope, node: TSESTree.Node): Scope | undefined {
  for (let scope: Scope | null = innermostScope(global, node); scope; scope = scope.upper) {
    if (scope.type !== 'function' || !isFunctionNode(scope.block as TSESTree.Node)) continue;
    const body = (scope.block as FunctionNode).body as TSESTree.Node | null | undefined;
    if (body && body.range[0] <= node.range[0] && node.range[1] <= body.range[1]) return scope;
  }
  return undefined;
}

/** The module scope: ESM module scope, the CommonJS wrapper scope, or the script's global scope. */
export function moduleScope(sourceCode: SourceCode): Scope {
  const global = sourceCode.scopeManager!.globalScope!;
  return global.childScopes.find(isModuleScope) ?? global;
}

/** Whether a new module-scope declaration may take `name`: nothing at module scope or as a global uses it. */
export function isFreeAtModuleScope(sourceCode: SourceCode, name: string): boolean {
  const scope = moduleScope(sourceCode);
  if (scope.set.has(name)) return false;
  const global = sourceCode.scopeManager!.globalScope!;
  if (global.set.has(name)) return false;
  return !global.through.some((reference) => reference.identifier.name === name);
}

/** Whether an identifier node is the variable's own declaration or one of its references. */
export function identifiersOf(variable: Variable): TSESTree.Identifier[] {
  const out = new Set<TSESTree.Identifier>();
  for (const id of variable.identifiers) out.add(id as TSESTree.Identifier);
  for (const reference of variable.references) out.add(reference.identifier as TSESTree.Identifier);
  return [...out];
}

/**
 * The text of `[start, end)` with each given variable renamed (declarations and references), shorthand properties
 * and patterns expanded (`{ host }` → `{ host: host2 }`).
 */
export function textWithRenames(text: string, start: number, end: number, renames: ReadonlyMap<Variable, string>): string {
  const edits: Array<{ start: number; end: number; text: string }> = [];
  for (const [variable, name] of renames) {
    if (variable.name === name) continue;
    for (const id of identifiersOf(variable)) {
      if (id.range[0] < start || id.range[1] > end) continue;
      const parent = id.parent;
      if (parent?.type === AST_NODE_TYPES.Property && parent.shorthand && (parent.value === id || parent.key === id)) {
        if (edits.some((e) => e.start === parent.range[0])) continue;
        // `{ host }` (or `{ host = 1 }` in a pattern): keep the key, rename the binding.
        const valueText = text.slice(parent.value.range[0], parent.value.range[1]).replace(variable.name, name);
        edits.push({ start: parent.range[0], end: parent.range[1], text: `${variable.name}: ${valueText}` });
        continue;
      }
      edits.push({ start: id.range[0], end: id.range[0] + variable.name.length, text: name });
    }
  }
  edits.sort((a, b) => a.start - b.start);
  let out = '';
  let pos = start;
  for (const edit of edits) {
    if (edit.start < pos) continue;
    out += text.slice(pos, edit.start) + edit.text;
    pos = edit.end;
  }
  return out + text.slice(pos, end);
}
