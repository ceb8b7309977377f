import type { Linter } from 'eslint';

export function lintBigLiteral(options: {
  linter: Linter;
  plugin: unknown;
  parser: unknown;
  /** A rule name without the plugin prefix. */
  rule: string;
  /** The pool's config object, as source text that may use `big`. */
  poolConfig: string;
  payload: string;
}): Linter.LintMessage[];
