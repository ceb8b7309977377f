import { RuleTester, type InvalidTestCase, type RunTests } from '@typescript-eslint/rule-tester';
import type { RuleModule } from '@typescript-eslint/utils/ts-eslint';
import tsParser from '@typescript-eslint/parser';
import path from 'node:path';
import { Linter } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblems, renderedMessages, unusedMessageIds, type RenderedMessage } from './helpers/messages.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const PARSER_OPTIONS = { ecmaFeatures: { jsx: true } } as const;
/** typescript-eslint's RuleTester names a test file `react.tsx` when JSX is on, as it is here. */
const DEFAULT_FILENAME = 'react.tsx';

/**
 * A RuleTester that parses with typescript-eslint's parser as an ES module (JS and TS alike). Besides the cases, each
 * `run()` checks the rule's messages as users see them: every message and suggestion of the invalid cases is one
 * short sentence (test/helpers/messages.ts), and every message id the rule declares is used by some case.
 */
export function createRuleTester(): RuleTester {
  return new MessageCheckingRuleTester({ languageOptions: { parserOptions: PARSER_OPTIONS } });
}

class MessageCheckingRuleTester extends RuleTester {
  override run<MessageIds extends string, Options extends readonly unknown[]>(
    ruleName: string,
    rule: RuleModule<MessageIds, Options>,
    tests: RunTests<MessageIds, Options>,
  ): void {
    super.run(ruleName, rule, tests);
    describe(`${ruleName} messages`, () => {
      it('renders every message and suggestion of the invalid cases as one sentence of at most 140 characters', () => {
        const messages = tests.invalid.flatMap((item, index) => lintCase(ruleName, rule, item, index));
        expect(formatProblems(messages)).toEqual([]);
        expect(unusedMessageIds(rule.meta.messages, messages), 'message ids no invalid case uses').toEqual([]);
      });
    });
  }
}

/** The case linted as the RuleTester lints it (parser, options, settings, file name), with its rendered messages. */
function lintCase<MessageIds extends string, Options extends readonly unknown[]>(
  ruleName: string,
  rule: RuleModule<MessageIds, Options>,
  item: InvalidTestCase<MessageIds, Options>,
  index: number,
): RenderedMessage[] {
  const ruleId = `rule-to-test/${ruleName}`;
  const languageOptions = item.languageOptions ?? {};
  const config: Linter.Config = {
    files: ['**'],
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      ...(languageOptions as Linter.LanguageOptions),
      parser: (languageOptions.parser ?? tsParser) as Linter.Parser,
      parserOptions: { ...PARSER_OPTIONS, ...languageOptions.parserOptions },
    },
    plugins: { 'rule-to-test': { rules: { [ruleName]: rule as never } } },
    rules: { [ruleId]: ['error', ...(item.options ?? [])] as Linter.RuleEntry },
    settings: (item.settings ?? {}) as Record<string, unknown>,
  };
  const filename = item.filename ?? DEFAULT_FILENAME;
  // A case on disk (a fixture project in a temporary folder) is linted from its folder: a Linter ignores a file
  // outside its base path.
  const linter = new Linter(path.isAbsolute(filename) ? { cwd: path.dirname(filename) } : {});
  const messages = linter.verify(item.code, [config], filename);
  // The same reports as the RuleTester's own run of the case: the messages checked are the ones the case tests.
  expect(messages.filter((m) => m.fatal), `invalid case ${index} parses`).toEqual([]);
  expect(
    messages.map((m) => m.ruleId),
    `invalid case ${index}: reports`,
  ).toEqual(item.errors.map(() => ruleId));
  return renderedMessages(messages, ruleId, `invalid case ${index}: ${item.name ?? item.code.slice(0, 60)}`);
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
