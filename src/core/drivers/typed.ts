/**
 * Type annotations as evidence of a driver instance, without a type checker: a variable, parameter or class field
 * annotated with a type a driver module exports (`private connection: Connection` with `Connection` imported from
 * `mysql2/promise`, `client: PoolClient` from `pg`, `db: Knex`, `sql: postgres.Sql`) holds an instance of that
 * driver. So does a variable initialised by a call of a function whose declared return type is one
 * (`const pool = await getPool()` with `getPool(): Promise<Pool>`), in the file or, through `importedReturn`, in the
 * module it is imported from. The types are listed in the driver catalogue (`DriverSpec.types`).
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { getPropertyName, unwrapExpression } from '../ast/nodes.js';
import { findVariable } from '../ast/scope.js';
import { importOf, type ImportRef } from '../lambda/imports.js';
import { driverType, type DriverSpec, type DriverType } from './catalogue.js';

export interface TypedInstance {
  readonly driver: DriverSpec;
  readonly type: DriverType;
}

/**
 * The driver instance a receiver is declared as: an identifier (variable or parameter with a type annotation) or
 * `this.field` (a class field or constructor parameter property with one).
 */
export function typedInstance(
  sourceCode: Readonly<TSESLint.SourceCode>,
  receiver: TSESTree.Node,
  importedReturn?: (ref: ImportRef) => TypedInstance | undefined,
): TypedInstance | undefined {
  const globalScope = sourceCode.scopeManager?.globalScope;
  if (!globalScope) return undefined;
  const node = unwrapExpression(receiver);
  let annotation: TSESTree.TypeNode | undefined;
  if (node.type === AST_NODE_TYPES.Identifier) {
    const variable = findVariable(globalScope, node);
    const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
    if (!def) return undefined;
    const name = def.name as TSESTree.Node;
    if (name.type === AST_NODE_TYPES.Identifier) annotation = name.typeAnnotation?.typeAnnotation;
    if (!annotation && def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.id === name && def.node.init) {
      return returnedInstance(globalScope, def.node.init, importedReturn);
    }
  } else if (node.type === AST_NODE_TYPES.MemberExpression && unwrapExpression(node.object).type === AST_NODE_TYPES.ThisExpression) {
    const name = getPropertyName(node);
    annotation = name === undefined ? undefined : classFieldType(node, name);
  }
  return annotation ? typeOf(globalScope, annotation, 0) : undefined;
}

/** `await getPool()` / `getPool()`: the declared return type of the function called, local or imported. */
function returnedInstance(
  scope: TSESLint.Scope.Scope,
  init: TSESTree.Node,
  importedReturn: ((ref: ImportRef) => TypedInstance | undefined) | undefined,
): TypedInstance | undefined {
  let value = unwrapExpression(init);
  if (value.type === AST_NODE_TYPES.AwaitExpression) value = unwrapExpression(value.argument);
  if (value.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const callee = unwrapExpression(value.callee);
  if (callee.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = findVariable(scope, callee);
  if (!variable) return undefined;
  const ref = importOf(variable);
  if (ref) return importedReturn?.(ref);
  const def = variable.defs.length === 1 ? variable.defs[0] : undefined;
  const fn =
    def?.node.type === AST_NODE_TYPES.FunctionDeclaration
      ? def.node
      : def?.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init
        ? unwrapExpression(def.node.init)
        : undefined;
  return fn ? declaredReturn(scope, fn) : undefined;
}

/** The driver instance a function declares it returns (`(): Promise<Pool>`, `function f(): Connection`). */
export function declaredReturn(scope: TSESLint.Scope.Scope, fn: TSESTree.Node): TypedInstance | undefined {
  if (
    fn.type !== AST_NODE_TYPES.FunctionDeclaration &&
    fn.type !== AST_NODE_TYPES.FunctionExpression &&
    fn.type !== AST_NODE_TYPES.ArrowFunctionExpression
  ) {
    return undefined;
  }
  const type = fn.returnType?.typeAnnotation;
  return type ? typeOf(scope, type, 0) : undefined;
}

/** The annotation of a class field or constructor parameter property `name` of the class around `node`. */
function classFieldType(node: TSESTree.Node, name: string): TSESTree.TypeNode | undefined {
  let body: TSESTree.ClassBody | undefined;
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === AST_NODE_TYPES.ClassBody) {
      body = current;
      break;
    }
  }
  for (const element of body?.body ?? []) {
    if (element.type === AST_NODE_TYPES.PropertyDefinition && getPropertyName(element) === name) {
      return element.typeAnnotation?.typeAnnotation;
    }
    if (element.type === AST_NODE_TYPES.MethodDefinition && element.kind === 'constructor') {
      for (const param of element.value.params) {
        if (param.type !== AST_NODE_TYPES.TSParameterProperty) continue;
        const inner = param.parameter.type === AST_NODE_TYPES.AssignmentPattern ? param.parameter.left : param.parameter;
        if (inner.type === AST_NODE_TYPES.Identifier && inner.name === name) return inner.typeAnnotation?.typeAnnotation;
      }
    }
  }
  return undefined;
}

/** `Connection`, `mysql.Connection`, `Pool | undefined`, `Readonly<PoolClient>`: the driver type it names. */
function typeOf(scope: TSESLint.Scope.Scope, type: TSESTree.TypeNode, depth: number): TypedInstance | undefined {
  if (depth > 4) return undefined;
  if (type.type === AST_NODE_TYPES.TSUnionType) {
    for (const member of type.types) {
      const found = typeOf(scope, member, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  if (type.type !== AST_NODE_TYPES.TSTypeReference) return undefined;
  const name = type.typeName;
  let local: TSESTree.Identifier | undefined;
  let member: string | undefined;
  if (name.type === AST_NODE_TYPES.Identifier) local = name;
  else if (name.type === AST_NODE_TYPES.TSQualifiedName && name.left.type === AST_NODE_TYPES.Identifier) {
    local = name.left;
    member = name.right.name;
  }
  if (!local) return undefined;
  const variable = scope.set.get(local.name) ?? findVariable(scope, local);
  const ref = variable ? importOf(variable) : undefined;
  if (!ref) {
    // `Readonly<PoolClient>`, `Promise<Pool>`: wrappers of one type argument.
    const argument = type.typeArguments?.params.length === 1 ? type.typeArguments.params[0] : undefined;
    return argument && (local.name === 'Readonly' || local.name === 'Promise') ? typeOf(scope, argument, depth + 1) : undefined;
  }
  const path = member === undefined ? ref.path : [...ref.path.filter((p) => p !== 'default'), member];
  if (path.length !== 1) return undefined;
  const found = driverType(ref.specifier, path[0]!);
  return found ? { driver: found.driver, type: found.type } : undefined;
}
