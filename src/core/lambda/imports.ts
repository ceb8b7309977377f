/**
 * What a variable was imported as: the module specifier and the export path (`import { a } from './m'` → `['a']`,
 * `import m from './m'` → `['default']`, `import * as m` / `const m = require('./m')` → `[]`, the whole module;
 * `const { a: b } = require('./m')` → `['a']`, `const a = require('./m').a` → `['a']`). Package imports are included;
 * the cross-file analysis resolves only local modules.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { getPropertyName, getStaticString, unwrapExpression } from '../ast/nodes.js';
import type { Variable } from '../ast/scope.js';

export interface ImportRef {
  readonly specifier: string;
  /** Export names from the module object (`[]`: the module itself). */
  readonly path: readonly string[];
  /** Imported with ESM syntax (`default` then means the ESM default export). */
  readonly esm: boolean;
}

export function importOf(variable: Variable): ImportRef | undefined {
  if (variable.defs.length !== 1) return undefined;
  const def = variable.defs[0]!;
  const node = def.node as TSESTree.Node;
  if (def.type === 'ImportBinding') {
    const declaration = node.parent;
    if (declaration?.type !== AST_NODE_TYPES.ImportDeclaration) return undefined;
    const specifier = declaration.source.value;
    if (node.type === AST_NODE_TYPES.ImportNamespaceSpecifier) return { specifier, path: [], esm: true };
    if (node.type === AST_NODE_TYPES.ImportDefaultSpecifier) return { specifier, path: ['default'], esm: true };
    if (node.type === AST_NODE_TYPES.ImportSpecifier) {
      const name = node.imported.type === AST_NODE_TYPES.Identifier ? node.imported.name : node.imported.value;
      return { specifier, path: [name], esm: true };
    }
    if (node.type === AST_NODE_TYPES.TSImportEqualsDeclaration && node.moduleReference.type === AST_NODE_TYPES.TSExternalModuleReference) {
      const spec = getStaticString(node.moduleReference.expression);
      return spec === undefined ? undefined : { specifier: spec, path: [], esm: false };
    }
    return undefined;
  }
  if (def.type !== 'Variable' || node.type !== AST_NODE_TYPES.VariableDeclarator || !node.init) return undefined;
  const required = requiredModule(node.init);
  if (!required) return undefined;
  if (node.id.type === AST_NODE_TYPES.Identifier) return { specifier: required.specifier, path: required.path, esm: false };
  if (node.id.type === AST_NODE_TYPES.ObjectPattern && required.path.length === 0) {
    for (const prop of node.id.properties) {
      if (prop.type !== AST_NODE_TYPES.Property) continue;
      const value = prop.value.type === AST_NODE_TYPES.AssignmentPattern ? prop.value.left : prop.value;
      if (value === def.name) {
        const key = getPropertyName(prop);
        return key === undefined ? undefined : { specifier: required.specifier, path: [key], esm: false };
      }
    }
  }
  return undefined;
}

/** `require('m')`, `require('m').a.b`, `await import('m')`, `(await import('m')).a`. */
function requiredModule(init: TSESTree.Node): { specifier: string; path: string[] } | undefined {
  const path: string[] = [];
  let current = unwrapExpression(init);
  while (current.type === AST_NODE_TYPES.MemberExpression) {
    const name = getPropertyName(current);
    if (name === undefined) return undefined;
    path.unshift(name);
    current = unwrapExpression(current.object);
  }
  if (current.type === AST_NODE_TYPES.AwaitExpression) current = unwrapExpression(current.argument);
  if (current.type === AST_NODE_TYPES.ImportExpression) {
    const specifier = getStaticString(current.source);
    return specifier === undefined ? undefined : { specifier, path };
  }
  if (
    current.type === AST_NODE_TYPES.CallExpression &&
    current.callee.type === AST_NODE_TYPES.Identifier &&
    current.callee.name === 'require' &&
    current.arguments.length === 1
  ) {
    const specifier = getStaticString(current.arguments[0]);
    return specifier === undefined ? undefined : { specifier, path };
  }
  return undefined;
}
