/**
 * How per-invocation code uses a driver instance once it is shared: its connect calls (they move into the
 * initialiser, or go), its close calls (they go: they would close the shared instance for the next invocation),
 * and uses that cannot be shared (event listeners added on every invocation, reassignment, connection-only
 * methods on what becomes a pool).
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { getPropertyName, isFunctionNode, isTransparentWrapper } from '../../ast/nodes.js';
import type { Variable } from '../../ast/scope.js';
import { Refusal } from '../plan.js';

export interface InstanceCall {
  readonly call: TSESTree.CallExpression;
  readonly method: string;
  /** The statement the call (possibly awaited) makes up, when it is one. */
  readonly statement: TSESTree.ExpressionStatement | undefined;
  /** An arrow function whose whole body is the call: `() => client.end()`. */
  readonly arrowBody: TSESTree.ArrowFunctionExpression | undefined;
}

export interface InstanceUses {
  readonly connects: InstanceCall[];
  readonly closes: InstanceCall[];
  /** References that hand the instance to other code (arguments, returns). */
  readonly escapes: TSESTree.Identifier[];
  /** Property reads a pool does not have (`connection.threadId`), with `allowedMembers`. */
  readonly connectionOnly: TSESTree.MemberExpression[];
}

export interface UseRules {
  readonly connectMethods: readonly string[];
  readonly closeMethods: readonly string[];
  /** Methods the shared instance still has (pool of one): any other method or property stops the fix. */
  readonly allowedMembers?: ReadonlySet<string>;
  /** Connection-only properties that may be read in a `connect()` callback (`threadId`), with `allowedMembers`. */
  readonly connectionProperties?: ReadonlySet<string>;
  /** Writes of `null`/`undefined` after use are harmless (the variable is not the shared instance's own). */
  readonly allowNullWrites: boolean;
  /** References that are the holder itself (the creating declaration or assignment). */
  readonly skip: ReadonlySet<TSESTree.Node>;
}

const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);

export function analyseUses(variable: Variable, rules: UseRules): InstanceUses {
  const connects: InstanceCall[] = [];
  const closes: InstanceCall[] = [];
  const escapes: TSESTree.Identifier[] = [];
  const connectionOnly: TSESTree.MemberExpression[] = [];
  const name = variable.name;
  for (const reference of variable.references) {
    const id = reference.identifier as TSESTree.Identifier;
    if (rules.skip.has(id)) continue;
    if (reference.isWrite()) {
      if (reference.init) continue;
      const assignment = id.parent;
      if (
        rules.allowNullWrites &&
        assignment?.type === AST_NODE_TYPES.AssignmentExpression &&
        isNullish(assignment.right)
      ) {
        continue;
      }
      throw new Refusal(`\`${name}\` is assigned again during the invocation`);
    }
    let node: TSESTree.Node = id;
    while (node.parent && isTransparentWrapper(node.parent) && node.parent.type !== AST_NODE_TYPES.ChainExpression) node = node.parent;
    const parent = node.parent;
    if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === node) {
      const member = getPropertyName(parent);
      let callee: TSESTree.Node = parent;
      while (callee.parent && isTransparentWrapper(callee.parent)) callee = callee.parent;
      const call = callee.parent?.type === AST_NODE_TYPES.CallExpression && callee.parent.callee === callee ? callee.parent : undefined;
      if (parent.parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.parent.left === parent) {
        throw new Refusal(`\`${name}\` has properties set on each invocation`);
      }
      if (member === undefined) {
        if (rules.allowedMembers) throw new Refusal(`\`${name}\` is used through a computed property`);
        continue;
      }
      if (call && LISTENER_METHODS.has(member)) {
        throw new Refusal(`\`${name}\` gets event listeners on each invocation`);
      }
      if (call && rules.connectMethods.includes(member)) {
        connects.push(instanceCall(call, member));
        continue;
      }
      if (call && rules.closeMethods.includes(member)) {
        closes.push(instanceCall(call, member));
        continue;
      }
      if (rules.allowedMembers && !rules.allowedMembers.has(member)) {
        if (call || !rules.connectionProperties?.has(member)) {
          throw new Refusal(`\`${name}.${member}\` needs a single connection, which a shared pool does not give`);
        }
        connectionOnly.push(parent);
      }
      continue;
    }
    if (rules.allowedMembers) throw new Refusal(`\`${name}\` is handed to other code, which may use it as a single connection`);
    escapes.push(id);
  }
  return { connects, closes, escapes, connectionOnly };
}

function isNullish(node: TSESTree.Node): boolean {
  return (
    (node.type === AST_NODE_TYPES.Literal && node.value === null) ||
    (node.type === AST_NODE_TYPES.Identifier && node.name === 'undefined')
  );
}

function instanceCall(call: TSESTree.CallExpression, method: string): InstanceCall {
  let value: TSESTree.Node = call;
  while (value.parent && (value.parent.type === AST_NODE_TYPES.AwaitExpression || isTransparentWrapper(value.parent))) {
    value = value.parent;
  }
  const parent = value.parent;
  const statement = parent?.type === AST_NODE_TYPES.ExpressionStatement ? parent : undefined;
  const arrowBody =
    parent && isFunctionNode(parent) && parent.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === value
      ? parent
      : undefined;
  return { call, method, statement, arrowBody };
}
