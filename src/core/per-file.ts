import type { TSESLint } from '@typescript-eslint/utils';

/** What the shared per-file computations read from a rule context. */
export type AnyContext = Readonly<{
  sourceCode: Readonly<TSESLint.SourceCode>;
  settings: Record<string, unknown>;
  /** The file's name as ESLint (or another host) gives it; `<input>` for text without one. */
  filename?: string;
  /** Its path on disk, when the host knows one. */
  physicalFilename?: string;
}>;

/**
 * `compute` run once per file linted and shared by every rule that asks. Hosts lint one file at a time, so the
 * results of the last two files (keyed by their `Program` node) are kept: a hit is one or two identity checks, the
 * hot path of every rule on every file, and a result goes away with the file after next. (Two, so that a file
 * analysed while another is linted does not push that one's result out.)
 */
export function perFile<T>(compute: (context: AnyContext) => T): (context: AnyContext) => T {
  let lastKey: object | undefined;
  let lastValue: T;
  let previousKey: object | undefined;
  let previousValue: T;
  return (context) => {
    const key = context.sourceCode.ast;
    if (key === lastKey) return lastValue;
    if (key === previousKey) return previousValue;
    const value = compute(context);
    previousKey = lastKey;
    previousValue = lastValue;
    lastKey = key;
    lastValue = value;
    return value;
  };
}
