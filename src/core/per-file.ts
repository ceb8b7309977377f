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
 * `compute` run once per file linted and shared by every rule that asks (a WeakMap on the `Program` node, so that
 * the result goes away with the file).
 */
export function perFile<T>(compute: (context: AnyContext) => T): (context: AnyContext) => T {
  const results = new WeakMap<object, { value: T }>();
  return (context) => {
    const key = context.sourceCode.ast;
    let hit = results.get(key);
    if (!hit) results.set(key, (hit = { value: compute(context) }));
    return hit.value;
  };
}
