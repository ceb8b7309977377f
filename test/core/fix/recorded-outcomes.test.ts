/**
 * The outcome of each finding's fix, recorded for the codemod's report: only while the codemod lints, never in an
 * editor or CI lint, which have no reader for it.
 */
import { Linter } from 'eslint';
import type { TSESLint } from '@typescript-eslint/utils';
import { expect, it } from 'vitest';
import plugin from '../../../src/index.js';
import { recordedOutcome, withRecordedOutcomes } from '../../../src/core/fix/plan.js';

const code = "const pg = require('pg');\nexports.handler = async () => {\n  const pool = new pg.Pool();\n  return pool.query('SELECT 1');\n};\n";
const config: Linter.Config[] = [
  {
    plugins: { 'lambda-rds': plugin as never },
    languageOptions: { sourceType: 'commonjs' },
    rules: { 'lambda-rds/no-connection-in-handler': 'error' },
  },
];

function lint(): { messages: Linter.LintMessage[]; sourceCode: Readonly<TSESLint.SourceCode> } {
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(code, config, { filename: 'handler.js' });
  return { messages, sourceCode: linter.getSourceCode() as unknown as Readonly<TSESLint.SourceCode> };
}

const poolStart = code.indexOf('new pg.Pool()');

it('records no outcome when ESLint lints on its own', () => {
  const { messages, sourceCode } = lint();
  expect(messages.map((m) => m.messageId)).toEqual(['connectionInHandler']);
  expect(messages[0]!.suggestions).toHaveLength(1);
  expect(recordedOutcome(sourceCode, 'no-connection-in-handler', poolStart)).toBeUndefined();
});

it('records the outcome of each finding while the codemod lints', () => {
  const { messages, sourceCode } = withRecordedOutcomes(lint);
  expect(messages.map((m) => m.messageId)).toEqual(['connectionInHandler']);
  const outcome = recordedOutcome(sourceCode, 'no-connection-in-handler', poolStart);
  expect(outcome?.ok).toBe(true);
  // The suggestion the editor gets is the recorded plan.
  const edits = outcome?.ok ? outcome.plan.edits : [];
  expect(edits.length).toBeGreaterThan(0);
  // Recording ends with the lint it was asked for.
  expect(recordedOutcome(lint().sourceCode, 'no-connection-in-handler', poolStart)).toBeUndefined();
});
