import type { TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';

/**
 * The range that removes a statement together with its leading comments and, when the statement stands on its
 * own lines, the whole lines (indentation and line break) so no blank line is left behind.
 */
export function statementRemovalRange(
  sourceCode: Readonly<TSESLint.SourceCode>,
  node: TSESTree.Node,
): [number, number] {
  const text = sourceCode.text;
  const comments = sourceCode.getCommentsBefore(node);
  const start = comments[0]?.range[0] ?? node.range[0];
  let end = node.range[1];
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const rest = text.slice(end, end + 200);
  const after = /^[ \t]*(?:\r?\n|$)/.exec(rest);
  if (after && /^[ \t]*$/.test(text.slice(lineStart, start))) {
    // The statement has its own line(s): remove them whole.
    return [lineStart, end + after[0].length];
  }
  // Shares a line with other code: take the spaces after it too, so `{ a(); b(); }` becomes `{ b(); }`.
  end += /^[ \t]*/.exec(rest)![0].length;
  return [start, end];
}

/** The statement's text with its leading comments, re-indented to column 0. */
export function dedentedStatementText(
  sourceCode: Readonly<TSESLint.SourceCode>,
  node: TSESTree.Node,
): string {
  const text = sourceCode.text;
  const comments = sourceCode.getCommentsBefore(node);
  const start = comments[0]?.range[0] ?? node.range[0];
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart, start))![0];
  const body = text.slice(start, node.range[1]);
  if (!indent) return body;
  return body
    .split('\n')
    .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
    .join('\n');
}

/** The line break the file uses (CRLF files stay CRLF). */
export function lineBreak(sourceCode: Readonly<TSESLint.SourceCode>): string {
  return sourceCode.text.includes('\r\n') ? '\r\n' : '\n';
}
