/**
 * Module hooks for rule-cases.mjs: the rule test files are imported outside vitest, with `vitest` and
 * `@typescript-eslint/rule-tester` replaced by stand-ins (rule-cases-stubs.mjs) so that importing a file registers
 * no test and `ruleTester.run()` hands over the cases instead of running them.
 */
const STUBS = new URL('./rule-cases-stubs.mjs', import.meta.url).href;
const REPLACED = new Set(['vitest', '@typescript-eslint/rule-tester']);

export async function resolve(specifier, context, nextResolve) {
  if (REPLACED.has(specifier)) return { url: STUBS, shortCircuit: true };
  return nextResolve(specifier, context);
}
