/**
 * Reaching another export of a module the file already uses: `pg.Pool` beside `pg.Client`, or a new name in the
 * import or destructuring that brought the first one in (`import { Client, Pool } from 'pg'`,
 * `const { Client, Pool } = require('pg')`).
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { unwrapExpression } from '../ast/nodes.js';
import { findVariable, isModuleScope } from '../ast/scope.js';
import { Refusal, type FixBuilder } from './plan.js';

/**
 * An expression for export `to` of the module whose export `from` the expression `callee` reads. Adds the name to the
 * module-scope import or destructuring when `callee` is a bare name.
 */
export function siblingExport(fix: FixBuilder, callee: TSESTree.Node, from: readonly string[], to: readonly string[]): string {
  const node = unwrapExpression(callee);
  if (node.type === AST_NODE_TYPES.MemberExpression) {
    // `pg.Client`, `pg.native.Client`, `require('pg').Client`: swap the path's tail.
    let object: TSESTree.Node = node;
    for (let i = from.length - 1; i >= 0; i--) {
      const current = unwrapExpression(object);
      if (current.type !== AST_NODE_TYPES.MemberExpression || current.computed) throw new Refusal('the driver is reached through a computed property');
      const property = current.property as TSESTree.Identifier;
      if (property.name !== from[i]) throw new Refusal('the driver is reached in a way the fix does not follow');
      object = current.object;
    }
    return `${fix.text.slice(object.range[0], object.range[1])}.${to.join('.')}`;
  }
  if (node.type !== AST_NODE_TYPES.Identifier || from.length !== 1 || to.length !== 1) {
    throw new Refusal('the driver is reached in a way the fix does not follow');
  }
  const scope = fix.sourceCode.scopeManager!.globalScope!;
  const variable = findVariable(scope, node);
  const def = variable?.defs[0];
  if (!variable || !def || !isModuleScope(variable.scope)) {
    throw new Refusal(`\`${node.name}\` is not imported at module scope, so \`${to[0]}\` cannot be added beside it`);
  }
  const name = to[0]!;
  if (def.type === 'ImportBinding' && def.node.type === AST_NODE_TYPES.ImportSpecifier) {
    const declaration = def.parent as TSESTree.ImportDeclaration;
    if (declaration.importKind === 'type') throw new Refusal('the driver is imported as a type');
    const existing = declaration.specifiers.find(
      (s) => s.type === AST_NODE_TYPES.ImportSpecifier && importedName(s) === name,
    );
    if (existing) return existing.local.name;
    const local = freeName(fix, name);
    const last = declaration.specifiers.at(-1)!;
    fix.insert(last.range[1], `, ${local === name ? name : `${name} as ${local}`}`);
    return local;
  }
  if (def.type === 'Variable' && def.node.type === AST_NODE_TYPES.VariableDeclarator) {
    const declarator = def.node;
    if (declarator.id.type === AST_NODE_TYPES.ObjectPattern) {
      const pattern = declarator.id;
      const existing = pattern.properties.find(
        (p): p is TSESTree.Property =>
          p.type === AST_NODE_TYPES.Property && !p.computed && p.key.type === AST_NODE_TYPES.Identifier && p.key.name === name,
      );
      if (existing) {
        if (existing.value.type !== AST_NODE_TYPES.Identifier) throw new Refusal(`\`${name}\` is destructured into a pattern`);
        return existing.value.name;
      }
      const local = freeName(fix, name);
      const last = pattern.properties.at(-1);
      if (!last || last.type === AST_NODE_TYPES.RestElement) throw new Refusal('the driver is destructured with a rest element');
      fix.insert(last.range[1], `, ${local === name ? name : `${name}: ${local}`}`);
      return local;
    }
    const init = declarator.init && unwrapExpression(declarator.init);
    if (init?.type === AST_NODE_TYPES.MemberExpression && !init.computed) {
      // `const Client = pg.Client` → `pg.Pool`.
      return `${fix.text.slice(init.object.range[0], init.object.range[1])}.${name}`;
    }
  }
  throw new Refusal(`\`${node.name}\` is brought in in a way the fix does not follow`);
}

function importedName(specifier: TSESTree.ImportSpecifier): string {
  return specifier.imported.type === AST_NODE_TYPES.Identifier ? specifier.imported.name : String(specifier.imported.value);
}

function freeName(fix: FixBuilder, name: string): string {
  return fix.uniqueName(name);
}
