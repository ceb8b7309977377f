import type { TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';

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
