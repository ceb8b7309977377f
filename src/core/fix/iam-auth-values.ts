/**
 * The host, port and user of a connection config, written for the module-scope `Signer` (which must sign for
 * exactly the endpoint, port and user the driver connects with).
 *
 * An expression is copied only when it means the same at module scope and copying it runs nothing twice: literals,
 * `process.env` reads, module-scope constants, imports, and `Number()` / `parseInt()` / `String()` of those. A
 * constant of a function (a config built inside the handler) whose value is itself such an expression is written
 * out in its place (`const host = process.env.DB_HOST` inside the handler gives `hostname: process.env.DB_HOST`),
 * so settings computed in the handler from values that do not change between invocations still get a signer. A
 * value of the invocation (a parameter such as `event`, anything computed by a call) is refused, with the reason.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { unwrapExpression } from '../ast/nodes.js';
import { findVariable, isModuleScope, isReassigned } from '../ast/scope.js';
import { walk } from '../ast/walk.js';
import { Refusal } from './plan.js';
import { applyEdits, type TextEdit } from './text.js';

const CONVERSIONS = new Set(['Number', 'parseInt', 'String']);
const TS_EXPRESSIONS = new Set(['TSAsExpression', 'TSNonNullExpression', 'TSSatisfiesExpression', 'TSTypeAssertion']);
const MAX_DEPTH = 8;

export interface CopiedValue {
  /** The expression as the signer writes it. */
  readonly text: string;
  /**
   * The end of the last module-scope declaration it reads (0 when none): the signer goes after it. Imports count
   * as declared at the top.
   */
  readonly after: number;
}

/** The expression `node` as module-scope code, or a `Refusal` saying why it cannot be. */
export function copyValue(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node, what: string): CopiedValue {
  return copy(sourceCode, node, what, 0);
}

function copy(sourceCode: Readonly<TSESLint.SourceCode>, expression: TSESTree.Node, what: string, depth: number): CopiedValue {
  if (depth > MAX_DEPTH) throw new Refusal(`the ${what} is built through too many constants to copy to the signer`);
  const scope = sourceCode.scopeManager!.globalScope!;
  const replacements: TextEdit[] = [];
  let after = 0;
  let problem: string | undefined;
  walk(expression, sourceCode.visitorKeys, (node) => {
    if (problem) return false;
    // Types (`as Host`) are not values.
    if (node.type.startsWith('TS') && !TS_EXPRESSIONS.has(node.type)) return false;
    switch (node.type) {
      case AST_NODE_TYPES.ThisExpression:
      case AST_NODE_TYPES.AwaitExpression:
      case AST_NODE_TYPES.YieldExpression:
      case AST_NODE_TYPES.AssignmentExpression:
      case AST_NODE_TYPES.UpdateExpression:
      case AST_NODE_TYPES.NewExpression:
      case AST_NODE_TYPES.FunctionExpression:
      case AST_NODE_TYPES.ArrowFunctionExpression:
      case AST_NODE_TYPES.TaggedTemplateExpression:
        problem = `the ${what} is computed (\`${short(sourceCode.getText(node))}\`), so it cannot be copied to the signer`;
        return false;
      case AST_NODE_TYPES.CallExpression: {
        const callee = unwrapExpression(node.callee);
        if (callee.type !== AST_NODE_TYPES.Identifier || !CONVERSIONS.has(callee.name) || findVariable(scope, callee)?.defs.length) {
          problem = `the ${what} comes from a call (\`${short(sourceCode.getText(node.callee))}\`), which the signer would run a second time`;
          return false;
        }
        // The callee is a global; only its arguments need checking.
        for (const argument of node.arguments) {
          const inner = copy(sourceCode, argument, what, depth + 1);
          after = Math.max(after, inner.after);
          if (inner.text !== sourceCode.getText(argument)) {
            // A whole argument needs no parentheses of its own.
            const text = argument.type === AST_NODE_TYPES.Identifier ? inner.text.replace(/^\((.*)\)$/s, '$1') : inner.text;
            replacements.push({ start: argument.range[0], end: argument.range[1], text });
          }
        }
        return false;
      }
      case AST_NODE_TYPES.Identifier: {
        if (isName(node, node.parent)) return undefined;
        const variable = findVariable(scope, node);
        if (!variable || variable.defs.length === 0) return undefined; // a global: `process`, `Number`
        const def = variable.defs[0]!;
        if (def.type === 'ImportBinding') return undefined;
        if (def.type === 'Parameter') {
          problem = `the ${what} depends on \`${node.name}\`, a parameter of the function the configuration is in (a value of each invocation)`;
          return false;
        }
        const declaration = def.parent as TSESTree.VariableDeclaration | null;
        if (def.type !== 'Variable' || variable.defs.length !== 1 || (declaration?.kind !== 'const' && isReassigned(variable))) {
          problem = `the ${what} depends on \`${node.name}\`, which may change`;
          return false;
        }
        if (isModuleScope(variable.scope)) {
          after = Math.max(after, declaration!.range[1]);
          return undefined;
        }
        // A constant of a function: its value written out, when that value can be copied.
        const declarator = def.node as TSESTree.VariableDeclarator;
        const inlined = inlineLocal(sourceCode, declarator, node, what, depth);
        if (typeof inlined === 'string') {
          problem = inlined;
          return false;
        }
        after = Math.max(after, inlined.after);
        const shorthand = node !== expression && node.parent?.type === AST_NODE_TYPES.Property && node.parent.shorthand;
        const text = shorthand ? `${node.name}: ${inlined.text}` : inlined.text;
        replacements.push({ start: node.range[0], end: node.range[1], text });
        return undefined;
      }
      default:
        return undefined;
    }
  });
  if (problem) throw new Refusal(problem);
  const start = expression.range[0];
  const text = applyEdits(
    sourceCode.text.slice(start, expression.range[1]),
    replacements.map((r) => ({ ...r, start: r.start - start, end: r.end - start })),
  );
  return { text, after };
}

/** The value of a function's constant, as module-scope code; a string when it cannot be copied (the reason). */
function inlineLocal(
  sourceCode: Readonly<TSESLint.SourceCode>,
  declarator: TSESTree.VariableDeclarator,
  id: TSESTree.Identifier,
  what: string,
  depth: number,
): CopiedValue | string {
  const init = declarator.init;
  if (!init) return `the ${what} depends on \`${id.name}\`, which has no value where it is declared`;
  const value = unwrapExpression(init);
  if (declarator.id.type === AST_NODE_TYPES.Identifier) {
    try {
      const inner = copy(sourceCode, init, what, depth + 1);
      return { text: needsParens(value) ? `(${inner.text})` : inner.text, after: inner.after };
    } catch (error) {
      if (error instanceof Refusal) return error.message;
      throw error;
    }
  }
  // `const { DB_HOST } = process.env` / `const { DB_HOST: host = 'db' } = process.env` inside the function.
  if (declarator.id.type === AST_NODE_TYPES.ObjectPattern && isProcessEnv(value)) {
    for (const property of declarator.id.properties) {
      if (property.type !== AST_NODE_TYPES.Property || property.computed || property.key.type !== AST_NODE_TYPES.Identifier) continue;
      let target = property.value;
      let fallback: TSESTree.Node | undefined;
      if (target.type === AST_NODE_TYPES.AssignmentPattern) {
        fallback = target.right;
        target = target.left;
      }
      if (target.type !== AST_NODE_TYPES.Identifier || target.name !== id.name) continue;
      const read = `process.env.${property.key.name}`;
      if (!fallback) return { text: read, after: 0 };
      try {
        const inner = copy(sourceCode, fallback, what, depth + 1);
        return { text: `(${read} ?? ${inner.text})`, after: inner.after };
      } catch (error) {
        if (error instanceof Refusal) return error.message;
        throw error;
      }
    }
  }
  return `the ${what} depends on \`${id.name}\`, which is computed inside a function`;
}

function needsParens(node: TSESTree.Node): boolean {
  return (
    node.type === AST_NODE_TYPES.LogicalExpression ||
    node.type === AST_NODE_TYPES.ConditionalExpression ||
    node.type === AST_NODE_TYPES.BinaryExpression ||
    node.type === AST_NODE_TYPES.SequenceExpression
  );
}

function isProcessEnv(node: TSESTree.Node): boolean {
  return (
    node.type === AST_NODE_TYPES.MemberExpression &&
    !node.computed &&
    node.property.type === AST_NODE_TYPES.Identifier &&
    node.property.name === 'env' &&
    node.object.type === AST_NODE_TYPES.Identifier &&
    node.object.name === 'process'
  );
}

/** `b` in `a.b` and `{ b: 1 }`: a name, not a reference. */
function isName(id: TSESTree.Identifier, parent: TSESTree.Node | undefined): boolean {
  if (parent?.type === AST_NODE_TYPES.MemberExpression) return parent.property === id && !parent.computed;
  if (parent?.type === AST_NODE_TYPES.Property) return parent.key === id && !parent.computed && !parent.shorthand;
  return false;
}

function short(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 40 ? `${line.slice(0, 39)}…` : line;
}

/** A bare `process.env.X` / `process.env['X']` read (`string | undefined` in TypeScript). */
const BARE_ENV = /^process\.env(?:\.[A-Za-z_$][\w$]*|\[\s*(['"])[^'"]+\1\s*\])$/;

export function isBareEnvText(text: string): boolean {
  return BARE_ENV.test(text);
}

/**
 * The port as the signer wants it: a number. A bare `process.env` read falls back to the driver's default port, as
 * the driver does when the variable is not set; a numeric string is written as the number.
 */
export function portText(text: string, fallback: number): string {
  if (isBareEnvText(text)) return `Number(${text} ?? ${fallback})`;
  if (/^\d+$/.test(text)) return text;
  const quoted = /^(['"`])(\d+)\1$/.exec(text);
  if (quoted) return quoted[2]!;
  if (/^(?:Number|parseInt)\(/.test(text) && text.endsWith(')')) return text;
  return `Number(${text})`;
}

/**
 * Whether TypeScript sees the text as possibly `undefined`: an env read, a name or member that may hold one, or an
 * `||` / `??` chain whose last alternative is one of those.
 */
export function mayBeUndefined(text: string): boolean {
  const last = /(?:\|\||\?\?)\s*([^|?]+)$/.exec(text)?.[1]?.trim() ?? text;
  return isBareEnvText(last) || /^[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)*$/.test(last);
}
