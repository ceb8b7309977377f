/**
 * Numbers a setting may hold (a pool size, a timeout): number literals, numeric strings, and what `Number()`,
 * `parseInt()` and `parseFloat()` are given.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { getPropertyName, unwrapExpression } from '../ast/nodes.js';
import type { ConfigValue } from './types.js';
import type { ValueResolver } from './values.js';

const NUMBER_PARSERS = new Set(['Number', 'parseInt', 'parseFloat']);

/**
 * The known numbers a value may be: number literals, numeric strings, and the arguments of `Number(...)`,
 * `parseInt(...)`, `parseFloat(...)` (whose `process.env.X ?? '10'` fallbacks are possible values too).
 */
export function knownNumbers(
  value: ConfigValue,
  resolver: ValueResolver,
  depth = 0,
): Array<{ value: number; node: TSESTree.Node; literal: boolean }> {
  if (value.kind === 'literal') {
    if (typeof value.value === 'number') {
      return [{ value: value.value, node: value.node, literal: value.node.type === AST_NODE_TYPES.Literal }];
    }
    if (typeof value.value === 'string' && /^\s*\d+\s*$/.test(value.value)) {
      return [{ value: Number(value.value), node: value.node, literal: false }];
    }
    return [];
  }
  if (value.kind === 'call' && depth < 2 && value.node.type === AST_NODE_TYPES.CallExpression) {
    const callee = unwrapExpression(value.node.callee);
    const name =
      callee.type === AST_NODE_TYPES.Identifier
        ? callee.name
        : callee.type === AST_NODE_TYPES.MemberExpression && getPropertyName(callee) !== undefined
          ? `${getPropertyName(callee)}`
          : undefined;
    const argument = value.node.arguments[0];
    if (!name || !NUMBER_PARSERS.has(name) || !argument || argument.type === AST_NODE_TYPES.SpreadElement) return [];
    return resolver
      .values(argument)
      .flatMap((v) => knownNumbers(v, resolver, depth + 1))
      .map((n) => ({ ...n, literal: false }));
  }
  return [];
}
