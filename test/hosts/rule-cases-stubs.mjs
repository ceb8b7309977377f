/**
 * Stand-ins for `vitest` and `@typescript-eslint/rule-tester` while rule-cases.mjs imports the rule test files:
 * suites and tests are not registered (their callbacks never run), `afterAll` callbacks are kept for the end, and
 * `RuleTester#run` records the cases it is given in `globalThis.ruleCaseRuns` instead of running them.
 */
const ignore = new Proxy(function () {}, {
  get: (_target, key) => (key === Symbol.toPrimitive ? undefined : ignore),
  apply: () => ignore,
});

export const describe = ignore;
export const it = ignore;
export const test = ignore;
export const expect = ignore;
export const vi = ignore;
export const beforeAll = ignore;
/** Clean-ups of the helpers the test files import (temporary fixture projects): rule-cases.mjs runs them at the end. */
export const afterAll = (fn) => {
  (globalThis.ruleCaseCleanups ??= []).push(fn);
};
export const beforeEach = ignore;
export const afterEach = ignore;

export class RuleTester {
  static afterAll;
  static describe;
  static it;
  static itOnly;

  constructor(config = {}) {
    this.config = config;
  }

  run(name, rule, { valid = [], invalid = [] }) {
    (globalThis.ruleCaseRuns ??= []).push({ name, config: this.config, valid, invalid });
  }
}
