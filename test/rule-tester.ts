import { RuleTester, type InvalidTestCase } from '@typescript-eslint/rule-tester';
import { afterAll, describe, it } from 'vitest';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

/** A RuleTester that parses with typescript-eslint's parser as an ES module (JS and TS alike). */
export function createRuleTester(): RuleTester {
  return new RuleTester({
    languageOptions: {
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
  });
}

/**
 * `bad(code, errors, extra)` for a rule's invalid cases: the expected errors are computed from the code (their
 * locations come from searching it), and `extra` adds options, output or a filename.
 */
export function invalidCases<MessageIds extends string, Options extends readonly unknown[]>() {
  return (
    code: string,
    errors: (code: string) => InvalidTestCase<MessageIds, Options>['errors'],
    extra: Partial<InvalidTestCase<MessageIds, Options>> = {},
  ): InvalidTestCase<MessageIds, Options> => ({ code, errors: errors(code), ...extra });
}

export { RuleTester };
