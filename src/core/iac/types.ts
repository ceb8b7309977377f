/**
 * What a type annotation says a value is, when it names a catalogued class or interface: `db: rds.IDatabaseInstance`,
 * `{ cluster }: { cluster: aws.rds.Cluster }`, `props.database` with `props: DbProps` and `interface DbProps {
 * database: DatabaseInstance }` in the same file. Syntax only: imports are followed as written, interfaces and type
 * aliases of the same file are read, nothing else (no type checker).
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { getPropertyName, getStaticString, unwrapExpression } from '../ast/nodes.js';
import { findVariable } from '../ast/scope.js';
import { typeAt, type ConstructSpec } from './catalogue.js';

type Node = TSESTree.Node;
type Scope = TSESLint.Scope.Scope;

const MAX_DEPTH = 8;

/** Where an imported name comes from: the module and the property path below its exports. */
export interface ImportedName {
  readonly module: string;
  readonly path: readonly string[];
}

/**
 * The module and export path an identifier is bound to by an import (ESM named, default, namespace; `require`,
 * destructured or not; `import x = require()`; `const x = ns.member`), or undefined.
 */
export function importedName(scope: Scope, id: TSESTree.Identifier, depth = 0): ImportedName | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const variable = findVariable(scope, id);
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (!def) return undefined;
  if (def.type === 'ImportBinding') {
    const node = def.node as Node;
    if (node.type === AST_NODE_TYPES.TSImportEqualsDeclaration) {
      const ref = node.moduleReference;
      if (ref.type !== AST_NODE_TYPES.TSExternalModuleReference) return undefined;
      const module = getStaticString(ref.expression);
      return module === undefined ? undefined : { module, path: [] };
    }
    const declaration = def.parent as Node | null;
    if (declaration?.type !== AST_NODE_TYPES.ImportDeclaration) return undefined;
    const module = declaration.source.value;
    switch (node.type) {
      case AST_NODE_TYPES.ImportNamespaceSpecifier:
        return { module, path: [] };
      case AST_NODE_TYPES.ImportDefaultSpecifier:
        return { module, path: ['default'] };
      case AST_NODE_TYPES.ImportSpecifier: {
        const imported = node.imported.type === AST_NODE_TYPES.Identifier ? node.imported.name : node.imported.value;
        return { module, path: [imported] };
      }
      default:
        return undefined;
    }
  }
  if (def.type !== 'Variable') return undefined;
  const declarator = def.node as TSESTree.VariableDeclarator;
  if (!declarator.init || (def.parent as TSESTree.VariableDeclaration | null)?.kind !== 'const') return undefined;
  const base = expressionImport(scope, declarator.init, depth + 1);
  if (!base) return undefined;
  const keys = patternKeys(def.name as TSESTree.Identifier, declarator.id);
  return keys ? { module: base.module, path: [...base.path, ...keys] } : undefined;
}

/** `require('m')`, an imported identifier, or a member chain below one. */
function expressionImport(scope: Scope, input: Node, depth: number): ImportedName | undefined {
  const node = unwrapExpression(input);
  if (node.type === AST_NODE_TYPES.CallExpression) {
    const callee = unwrapExpression(node.callee);
    if (callee.type === AST_NODE_TYPES.Identifier && callee.name === 'require' && !findVariable(scope, callee)?.defs.length) {
      const module = getStaticString(node.arguments[0]);
      return module === undefined ? undefined : { module, path: [] };
    }
    return undefined;
  }
  if (node.type === AST_NODE_TYPES.Identifier) return importedName(scope, node, depth);
  if (node.type === AST_NODE_TYPES.MemberExpression) {
    const key = getPropertyName(node);
    const base = key === undefined ? undefined : expressionImport(scope, node.object, depth);
    return base ? { module: base.module, path: [...base.path, key!] } : undefined;
  }
  return undefined;
}

/** The property keys from a destructuring pattern's root down to `name` (`[]` for a plain identifier). */
export function patternKeys(name: TSESTree.Identifier, root: Node): string[] | undefined {
  const keys: string[] = [];
  let node: Node = name;
  while (node !== root) {
    const parent: Node | undefined = node.parent;
    if (!parent) return undefined;
    if (parent.type === AST_NODE_TYPES.AssignmentPattern && parent.left === node) {
      node = parent;
    } else if (parent.type === AST_NODE_TYPES.Property && parent.value === node && parent.parent?.type === AST_NODE_TYPES.ObjectPattern) {
      const key = getPropertyName(parent);
      if (key === undefined) return undefined;
      keys.unshift(key);
      node = parent.parent;
    } else {
      return undefined;
    }
  }
  return keys;
}

/** Type annotations of the file, resolved to catalogued classes. */
export class TypeResolver {
  private readonly cache = new Map<Node, ConstructSpec | null>();

  constructor(private readonly scope: Scope) {}

  /** The catalogued class a type node names (through local type aliases), or undefined. */
  specOf(type: Node | undefined, depth = 0): ConstructSpec | undefined {
    if (!type || depth > MAX_DEPTH) return undefined;
    if (type.type === AST_NODE_TYPES.TSTypeAnnotation) return this.specOf(type.typeAnnotation, depth + 1);
    if (type.type !== AST_NODE_TYPES.TSTypeReference) return undefined;
    const cached = this.cache.get(type);
    if (cached !== undefined) return cached ?? undefined;
    let spec: ConstructSpec | undefined;
    const parts: string[] = [];
    let name: Node = type.typeName;
    while (name.type === AST_NODE_TYPES.TSQualifiedName) {
      parts.unshift(name.right.name);
      name = name.left;
    }
    if (name.type === AST_NODE_TYPES.Identifier) {
      const imported = importedName(this.scope, name);
      if (imported) spec = typeAt(imported.module, [...imported.path, ...parts]);
      else if (parts.length === 0) spec = this.specOf(this.alias(name), depth + 1);
    }
    this.cache.set(type, spec ?? null);
    return spec;
  }

  /** The type of an expression, from annotations: a parameter, a variable, a member of a typed object, `this.x`. */
  typeOf(input: Node, depth = 0): Node | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const node = unwrapExpression(input);
    if (node.type === AST_NODE_TYPES.Identifier) return this.identifierType(node, depth);
    if (node.type === AST_NODE_TYPES.MemberExpression) {
      const key = getPropertyName(node);
      if (key === undefined) return undefined;
      if (node.object.type === AST_NODE_TYPES.ThisExpression) return thisMemberType(node, key);
      return this.memberType(this.typeOf(node.object, depth + 1), key, depth + 1);
    }
    return undefined;
  }

  private identifierType(id: TSESTree.Identifier, depth: number): Node | undefined {
    const variable = findVariable(this.scope, id);
    const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
    if (!def) return undefined;
    const name = def.name as TSESTree.Identifier;
    if (def.type === 'Parameter') {
      // The parameter's root pattern (or identifier) carries the annotation.
      let root: Node = name;
      while (root.parent && (root.parent.type === AST_NODE_TYPES.Property || root.parent.type === AST_NODE_TYPES.ObjectPattern || root.parent.type === AST_NODE_TYPES.AssignmentPattern)) {
        root = root.parent;
      }
      if (root.parent?.type === AST_NODE_TYPES.TSParameterProperty) root = root.parent;
      let annotated: Node = root.type === AST_NODE_TYPES.TSParameterProperty ? root.parameter : root;
      if (annotated.type === AST_NODE_TYPES.AssignmentPattern) annotated = annotated.left;
      const annotation =
        annotated.type === AST_NODE_TYPES.Identifier || annotated.type === AST_NODE_TYPES.ObjectPattern
          ? annotated.typeAnnotation
          : undefined;
      const keys = patternKeys(name, annotated);
      return keys ? this.descend(annotation, keys, depth) : undefined;
    }
    if (def.type === 'Variable') {
      const declarator = def.node as TSESTree.VariableDeclarator;
      if (declarator.id.type === AST_NODE_TYPES.Identifier) {
        return declarator.id.typeAnnotation ?? undefined;
      }
      const keys = patternKeys(name, declarator.id);
      const rootType = declarator.id.typeAnnotation ?? (declarator.init ? this.typeOf(declarator.init, depth + 1) : undefined);
      return keys ? this.descend(rootType, keys, depth) : undefined;
    }
    return undefined;
  }

  private descend(type: Node | undefined, keys: readonly string[], depth: number): Node | undefined {
    let current = type;
    for (const key of keys) current = this.memberType(current, key, depth + 1);
    return current;
  }

  /** The type of property `key` of a type literal, a local interface or type alias, or an intersection. */
  memberType(type: Node | undefined, key: string, depth = 0): Node | undefined {
    if (!type || depth > MAX_DEPTH) return undefined;
    switch (type.type) {
      case AST_NODE_TYPES.TSTypeAnnotation:
        return this.memberType(type.typeAnnotation, key, depth + 1);
      case AST_NODE_TYPES.TSTypeLiteral:
        return signatureType(type.members, key);
      case AST_NODE_TYPES.TSIntersectionType:
        for (const part of type.types) {
          const found = this.memberType(part, key, depth + 1);
          if (found) return found;
        }
        return undefined;
      case AST_NODE_TYPES.TSTypeReference: {
        if (type.typeName.type !== AST_NODE_TYPES.Identifier) return undefined;
        const declaration = this.localType(type.typeName);
        if (declaration?.type === AST_NODE_TYPES.TSInterfaceDeclaration) return signatureType(declaration.body.body, key);
        if (declaration?.type === AST_NODE_TYPES.TSTypeAliasDeclaration) return this.memberType(declaration.typeAnnotation, key, depth + 1);
        return undefined;
      }
      default:
        return undefined;
    }
  }

  private alias(name: TSESTree.Identifier): Node | undefined {
    const declaration = this.localType(name);
    return declaration?.type === AST_NODE_TYPES.TSTypeAliasDeclaration ? declaration.typeAnnotation : undefined;
  }

  private localType(name: TSESTree.Identifier): TSESTree.TSInterfaceDeclaration | TSESTree.TSTypeAliasDeclaration | undefined {
    const variable = findVariable(this.scope, name);
    for (const def of variable?.defs ?? []) {
      const node = def.node as Node;
      if (node.type === AST_NODE_TYPES.TSInterfaceDeclaration || node.type === AST_NODE_TYPES.TSTypeAliasDeclaration) return node;
    }
    return undefined;
  }
}

function signatureType(members: readonly TSESTree.TypeElement[], key: string): Node | undefined {
  for (const member of members) {
    if (member.type !== AST_NODE_TYPES.TSPropertySignature || member.computed) continue;
    const name =
      member.key.type === AST_NODE_TYPES.Identifier ? member.key.name : member.key.type === AST_NODE_TYPES.Literal ? String(member.key.value) : undefined;
    if (name === key) return member.typeAnnotation ?? undefined;
  }
  return undefined;
}

/** `this.key`: the annotation of the class's field or constructor parameter property of that name. */
function thisMemberType(member: TSESTree.MemberExpression, key: string): Node | undefined {
  const body = enclosingClassBody(member);
  if (!body) return undefined;
  for (const element of body.body) {
    if (element.type === AST_NODE_TYPES.PropertyDefinition && !element.computed && getPropertyName(element) === key) {
      return element.typeAnnotation ?? undefined;
    }
    if (element.type === AST_NODE_TYPES.MethodDefinition && element.kind === 'constructor') {
      for (const param of element.value.params) {
        if (param.type !== AST_NODE_TYPES.TSParameterProperty) continue;
        const inner = param.parameter.type === AST_NODE_TYPES.AssignmentPattern ? param.parameter.left : param.parameter;
        if (inner.type === AST_NODE_TYPES.Identifier && inner.name === key) return inner.typeAnnotation ?? undefined;
      }
    }
  }
  return undefined;
}

/**
 * The body of the class whose `this` a node sees: the nearest class, looking through arrow functions and the
 * class's own methods, but not through other functions (they have a `this` of their own).
 */
export function enclosingClassBody(node: Node): TSESTree.ClassBody | undefined {
  let current: Node | undefined = node.parent;
  while (current) {
    if (current.type === AST_NODE_TYPES.ClassBody) return current;
    if (current.type === AST_NODE_TYPES.FunctionExpression || current.type === AST_NODE_TYPES.FunctionDeclaration) {
      const parent = current.parent;
      if (parent?.type !== AST_NODE_TYPES.MethodDefinition) return undefined;
    }
    current = current.parent;
  }
  return undefined;
}
