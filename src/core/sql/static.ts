/**
 * Static reading of configuration objects and constants: `const` bindings, object properties (nested paths,
 * spreads of constant objects), string and boolean values. Anything it cannot prove is `undefined`.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { getPropertyName, unwrapExpression } from '../ast/nodes.js';
import { findVariable, type Variable } from '../ast/scope.js';

type SourceCode = Readonly<TSESLint.SourceCode>;

const MAX_DEPTH = 8;

/** The variable an identifier refers to. */
export function variableOf(sourceCode: SourceCode, id: TSESTree.Identifier): Variable | undefined {
  const scope = sourceCode.scopeManager?.globalScope;
  return scope ? findVariable(scope, id) : undefined;
}

/** The initialiser of the `const` an identifier refers to, when it has exactly one plain declaration. */
export function constInitializer(sourceCode: SourceCode, id: TSESTree.Identifier): TSESTree.Expression | undefined {
  const variable = variableOf(sourceCode, id);
  if (!variable || variable.defs.length !== 1) return undefined;
  const def = variable.defs[0]!;
  if (def.type !== 'Variable') return undefined;
  const declarator = def.node as TSESTree.VariableDeclarator;
  const declaration = declarator.parent as TSESTree.VariableDeclaration | undefined;
  if (declaration?.kind !== 'const' || declarator.id.type !== AST_NODE_TYPES.Identifier || !declarator.init) {
    return undefined;
  }
  return declarator.init;
}

/** Follow TS wrappers and `const` identifiers to the expression that gives the value. */
export function resolveValue(sourceCode: SourceCode, node: TSESTree.Node): TSESTree.Node {
  let current = unwrapExpression(node);
  for (let depth = 0; depth < MAX_DEPTH && current.type === AST_NODE_TYPES.Identifier; depth++) {
    const init = constInitializer(sourceCode, current);
    if (!init) break;
    current = unwrapExpression(init);
  }
  return current;
}

/** The object literal an expression evaluates to (through `const`), if any. */
export function objectOf(sourceCode: SourceCode, node: TSESTree.Node | undefined): TSESTree.ObjectExpression | undefined {
  if (!node) return undefined;
  const value = resolveValue(sourceCode, node);
  return value.type === AST_NODE_TYPES.ObjectExpression ? value : undefined;
}

export interface PropertyLookup {
  /** The value node of the last property with that name, or undefined when absent. */
  readonly value: TSESTree.Node | undefined;
  /** The property node itself (for reports). */
  readonly property: TSESTree.Property | undefined;
  /** Absence cannot be proved: a spread of something that is not a known object, or a computed key. */
  readonly unknown: boolean;
}

/** Look a (dotted) property path up in an object literal; later properties and spreads override earlier ones. */
export function lookupProperty(sourceCode: SourceCode, object: TSESTree.ObjectExpression, path: string): PropertyLookup {
  const keys = path.split('.');
  let current: TSESTree.ObjectExpression | undefined = object;
  let found: PropertyLookup = { value: undefined, property: undefined, unknown: false };
  for (let k = 0; k < keys.length; k++) {
    if (!current) return { value: undefined, property: undefined, unknown: found.unknown };
    found = own(sourceCode, current, keys[k]!, 0);
    if (k < keys.length - 1) {
      if (!found.value) return found;
      current = objectOf(sourceCode, found.value);
      if (!current) return { value: undefined, property: undefined, unknown: true };
    }
  }
  return found;
}

function own(sourceCode: SourceCode, object: TSESTree.ObjectExpression, key: string, depth: number): PropertyLookup {
  let result: PropertyLookup = { value: undefined, property: undefined, unknown: false };
  for (const property of object.properties) {
    if (property.type === AST_NODE_TYPES.SpreadElement) {
      const spread = depth < MAX_DEPTH ? objectOf(sourceCode, property.argument) : undefined;
      if (!spread) {
        result = { value: result.value, property: result.property, unknown: true };
        continue;
      }
      const inner = own(sourceCode, spread, key, depth + 1);
      if (inner.value) result = inner;
      else if (inner.unknown) result = { ...result, unknown: true };
      continue;
    }
    const name = getPropertyName(property);
    if (name === undefined) {
      if (property.computed) result = { ...result, unknown: true };
      continue;
    }
    if (name !== key) continue;
    if (property.kind !== 'init') {
      result = { value: property.value, property, unknown: true };
      continue;
    }
    result = { value: property.value, property, unknown: false };
  }
  return result;
}

/** A string, number or boolean the expression statically evaluates to (literals, plain templates, `const`). */
export function staticValue(
  sourceCode: SourceCode,
  node: TSESTree.Node | undefined,
  depth = 0,
): string | number | boolean | undefined {
  if (!node || depth > MAX_DEPTH) return undefined;
  const value = resolveValue(sourceCode, node);
  if (value.type === AST_NODE_TYPES.Literal) {
    const v = value.value;
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
  }
  if (value.type === AST_NODE_TYPES.TemplateLiteral && value.expressions.length === 0) {
    return value.quasis[0]?.value.cooked ?? undefined;
  }
  if (value.type === AST_NODE_TYPES.UnaryExpression && value.operator === '!' ) {
    const inner = staticValue(sourceCode, value.argument, depth + 1);
    return inner === undefined ? undefined : !inner;
  }
  return undefined;
}

/** The function an expression evaluates to (inline or through `const`), if any. */
export function functionOf(
  sourceCode: SourceCode,
  node: TSESTree.Node | undefined,
): TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression | TSESTree.FunctionDeclaration | undefined {
  if (!node) return undefined;
  if (node.type === AST_NODE_TYPES.Property && node.method) return node.value as TSESTree.FunctionExpression;
  const value = resolveValue(sourceCode, node);
  if (value.type === AST_NODE_TYPES.FunctionExpression || value.type === AST_NODE_TYPES.ArrowFunctionExpression) {
    return value;
  }
  if (value.type === AST_NODE_TYPES.Identifier) {
    const variable = variableOf(sourceCode, value);
    const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
    if (def?.node.type === AST_NODE_TYPES.FunctionDeclaration) return def.node;
  }
  return undefined;
}
