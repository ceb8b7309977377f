import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { createRule } from '../util/create-rule.js';
import { getFileAnalysis, type InstanceCall } from '../core/analysis.js';
import { valueParent } from '../core/modules.js';
import { contains, getPropertyName, isFunctionNode, memberCallee, unwrapExpression } from '../core/ast/nodes.js';
import { findVariable, type Variable } from '../core/ast/scope.js';
import { lineBreak } from '../util/text.js';

export type Options = [];
export type MessageIds = 'neverReleased' | 'notReleasedOnEveryPath' | 'suggestTryFinally';

export default createRule<Options, MessageIds>({
  name: 'require-client-release',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require pool clients checked out in Lambda code to be released in a `finally` block',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      neverReleased:
        '`{{name}}` is checked out with `{{method}}()` and never released; call `{{name}}.{{release}}()` in a `finally` block.',
      notReleasedOnEveryPath:
        '`{{name}}.{{release}}()` is not in a `finally` block, so an error or an early return leaks the connection; move it there.',
      suggestTryFinally: 'Wrap the code that uses `{{name}}` in `try { ... } finally { {{name}}.{{release}}(); }`.',
    },
  },
  defaultOptions: [],
  create(context) {
    const analysis = getFileAnalysis(context);
    if (!analysis || analysis.instances.length === 0) return {};
    if (!analysis.instances.some((i) => i.creator.checkouts) || !analysis.isLambda) return {};
    const sourceCode = context.sourceCode;
    const scope = sourceCode.scopeManager!.globalScope!;

    return {
      'Program:exit'() {
        for (const call of analysis.instanceCalls((i) => i.creator.checkouts?.map((c) => c.method))) {
          const release = call.instance.creator.checkouts!.find((c) => c.method === call.method)!.release;
          // Callback forms (`pool.getConnection((err, conn) => ...)`) hand the connection to code that releases it.
          if (call.node.arguments.some((a) => isFunctionNode(unwrapExpression(a)))) continue;
          checkCheckout(context, scope, call, release);
        }
      },
    };
  },
});

function checkCheckout(
  context: Readonly<TSESLint.RuleContext<MessageIds, Options>>,
  scope: TSESLint.Scope.Scope,
  call: InstanceCall,
  release: readonly string[],
): void {
  const top = valueParent(call.node);
  const parent = top.parent;
  let variable: Variable | undefined;
  let declaration: TSESTree.VariableDeclaration | undefined;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === top && parent.id.type === AST_NODE_TYPES.Identifier) {
    variable = findVariable(scope, parent.id);
    if (parent.parent.declarations.length === 1) declaration = parent.parent;
  } else if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === top) {
    const left = unwrapExpression(parent.left);
    // Stored somewhere else (a property, an outer cache): its owner releases it.
    if (left.type !== AST_NODE_TYPES.Identifier) return;
    variable = findVariable(scope, left);
  } else if (
    parent?.type === AST_NODE_TYPES.ReturnStatement ||
    (parent && isFunctionNode(parent) && parent.body === top) ||
    parent?.type === AST_NODE_TYPES.CallExpression ||
    parent?.type === AST_NODE_TYPES.MemberExpression
  ) {
    // Returned to the caller, passed on, or chained with `.then(...)`: someone else releases it.
    if (parent.type !== AST_NODE_TYPES.MemberExpression || getPropertyName(parent) !== 'query') return;
  }
  const data = { name: variable?.name ?? 'client', method: call.method, release: release[0]! };
  if (!variable) {
    context.report({ node: call.node, messageId: 'neverReleased', data });
    return;
  }

  const releases: TSESTree.CallExpression[] = [];
  for (const ref of variable.references) {
    if (!ref.isRead()) continue;
    let id: TSESTree.Node = ref.identifier as TSESTree.Identifier;
    while (id.parent && unwrapExpression(id.parent) !== id.parent) id = id.parent;
    const p = id.parent;
    if (p?.type === AST_NODE_TYPES.MemberExpression && p.object === id) {
      const grand = p.parent?.type === AST_NODE_TYPES.ChainExpression ? p.parent.parent : p.parent;
      if (grand?.type === AST_NODE_TYPES.CallExpression && memberCallee(grand) === p) {
        const method = getPropertyName(p);
        if (method && release.includes(method)) releases.push(grand);
      }
      continue;
    }
    // Passed to a function, returned, stored or put in a literal: handed to code that owns the release.
    if (
      p?.type === AST_NODE_TYPES.CallExpression ||
      p?.type === AST_NODE_TYPES.NewExpression ||
      p?.type === AST_NODE_TYPES.ReturnStatement ||
      p?.type === AST_NODE_TYPES.AssignmentExpression ||
      p?.type === AST_NODE_TYPES.Property ||
      p?.type === AST_NODE_TYPES.ArrayExpression ||
      p?.type === AST_NODE_TYPES.VariableDeclarator ||
      p?.type === AST_NODE_TYPES.YieldExpression ||
      (p && isFunctionNode(p) && p.body === id)
    ) {
      return;
    }
  }
  if (releases.some((r) => inFinallyAfter(r, call.node))) return;
  const fix = declaration ? tryFinallyFix(context.sourceCode, declaration, data.name, data.release, releases) : undefined;
  context.report({
    node: call.node,
    messageId: releases.length === 0 ? 'neverReleased' : 'notReleasedOnEveryPath',
    data,
    suggest: fix ? [{ messageId: 'suggestTryFinally', data, fix }] : [],
  });
}

/** Inside the `finally` of a `try` that contains the checkout or comes after it. */
function inFinallyAfter(releaseCall: TSESTree.Node, checkout: TSESTree.Node): boolean {
  let child: TSESTree.Node = releaseCall;
  for (let current = releaseCall.parent; current; child = current, current = current.parent) {
    if (current.type === AST_NODE_TYPES.TryStatement && current.finalizer === child) {
      return contains(current.block, checkout) || current.range[0] >= checkout.range[1];
    }
    if (isFunctionNode(current) && !contains(current, checkout)) return false;
  }
  return false;
}

/**
 * `const client = await pool.connect();` followed by statements in the same block: those statements go into
 * `try { ... } finally { client.release(); }`. A trailing `client.release();` statement moves into the
 * `finally`. No fix when releases happen elsewhere (in branches), or nothing follows the checkout.
 */
function tryFinallyFix(
  sourceCode: Readonly<TSESLint.SourceCode>,
  declaration: TSESTree.VariableDeclaration,
  name: string,
  release: string,
  releases: readonly TSESTree.CallExpression[],
): TSESLint.ReportFixFunction | undefined {
  const block = declaration.parent;
  if (block?.type !== AST_NODE_TYPES.BlockStatement) return undefined;
  const index = block.body.indexOf(declaration);
  const following = block.body.slice(index + 1);
  const isReleaseStatement = (s: TSESTree.Statement) =>
    s.type === AST_NODE_TYPES.ExpressionStatement &&
    releases.some(
      (r) => s.expression === r || (s.expression.type === AST_NODE_TYPES.AwaitExpression && s.expression.argument === r),
    );
  const releaseStatements = following.filter(isReleaseStatement);
  // Every existing release must be a statement of this block (it moves into `finally`); none in branches.
  if (releaseStatements.length !== releases.length) return undefined;
  const kept = following.filter((s) => !releaseStatements.includes(s));
  if (kept.length === 0) return undefined;
  const text = sourceCode.text;
  const eol = lineBreak(sourceCode, declaration);
  const lineStartOf = (pos: number) => text.lastIndexOf('\n', pos - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStartOf(declaration.range[0])))![0];
  const blockIndent = /^[ \t]*/.exec(text.slice(lineStartOf(block.range[0])))![0];
  const unit = indent.startsWith(blockIndent) && indent.length > blockIndent.length ? indent.slice(blockIndent.length) : '  ';
  const first = following[0]!;
  const start = sourceCode.getCommentsBefore(first)[0]?.range[0] ?? first.range[0];
  const end = following.at(-1)!.range[1];
  // The statements' own text, minus the release statements (whole lines), one level deeper.
  let body = '';
  let pos = start;
  for (const statement of releaseStatements) {
    const lineStart = lineStartOf(statement.range[0]);
    const after = /^[ \t]*\r?\n/.exec(text.slice(statement.range[1]));
    body += text.slice(pos, Math.max(pos, lineStart));
    pos = statement.range[1] + (after?.[0].length ?? 0);
  }
  body += text.slice(pos, end);
  body = body
    .replace(/\s+$/, '')
    .split('\n')
    .map((line, i) => (i === 0 || line.trim() === '' ? line : unit + line))
    .join('\n');
  const semi = /;\s*$/.test(sourceCode.getText(declaration)) ? ';' : '';
  const replacement = `try {${eol}${indent}${unit}${body}${eol}${indent}} finally {${eol}${indent}${unit}${name}.${release}()${semi}${eol}${indent}}`;
  return (fixer) => fixer.replaceTextRange([start, end], replacement);
}
