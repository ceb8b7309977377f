import type { TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';

/**
 * The range that removes a statement together with its leading comments and, when the statement stands on its
 * own lines, the whole lines (indentation and line break) so no blank line is left behind.
 */
export function statementRemovalRange(
  sourceCode: Readonly<TSESLint.SourceCode>,
  node: TSESTree.Node,
  start: number = leadingCommentStart(sourceCode, node),
): [number, number] {
  const text = sourceCode.text;
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
  start: number = leadingCommentStart(sourceCode, node),
): string {
  const text = sourceCode.text;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart, start))![0];
  const body = text.slice(start, node.range[1]);
  if (!indent) return body;
  return body
    .split('\n')
    .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
    .join('\n');
}

/**
 * The line break used where `node` is (CRLF files stay CRLF). Looks at the node's own line ending instead of
 * scanning the whole file, which matters on the hot path of a large file.
 */
export function lineBreak(sourceCode: Readonly<TSESLint.SourceCode>, node?: TSESTree.Node): string {
  const text = sourceCode.text;
  const newline = text.indexOf('\n', node ? node.range[1] : 0);
  if (newline > 0) return text[newline - 1] === '\r' ? '\r\n' : '\n';
  return '\n';
}

/** Where a statement starts once the comments directly before it are included. */
export function leadingCommentStart(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node): number {
  return sourceCode.getCommentsBefore(node)[0]?.range[0] ?? node.range[0];
}
