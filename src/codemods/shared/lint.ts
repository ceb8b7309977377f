/**
 * Runs the plugin's own rules on a file with ESLint's `Linter`, so a codemod changes exactly what the rules report
 * and applies exactly the fixes they suggest. The file is parsed as Node.js runs it (see core/module-kind.ts).
 */
import { Linter, type SourceCode } from 'eslint';
import * as tsParser from '@typescript-eslint/parser';
import type { TSESLint } from '@typescript-eslint/utils';
import plugin from '../../index.js';
import { parseAttempts, parseFailure, type ModuleKind, type ParseAttempt } from '../../core/module-kind.js';
import { withRecordedOutcomes } from '../../core/fix/plan.js';

export interface SuggestedFix {
  readonly messageId: string;
  readonly range: readonly [number, number];
  readonly text: string;
}

export interface Finding {
  readonly ruleId: string;
  readonly messageId: string;
  /** Offsets in the text as linted. */
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
  readonly suggestions: readonly SuggestedFix[];
}

export interface LintOutcome {
  readonly findings: Finding[];
  /** The parser's message when no way of parsing the file works. */
  readonly parseError?: string;
  /** How the file was parsed (later passes over the same file parse it the same way). */
  readonly attempt?: ParseAttempt;
  /** ESLint's view of the file (AST, scopes), for the rules' recorded fix outcomes and the scope checks. */
  readonly sourceCode?: Readonly<TSESLint.SourceCode>;
  /** Findings of ESLint's core `no-use-before-define` (only when asked for). */
  readonly useBeforeDefine?: number;
}

export interface LintRequest {
  readonly text: string;
  readonly filePath: string;
  /** Rule names without the `lambda-rds/` prefix. */
  readonly rules: readonly string[];
  readonly settings?: Record<string, unknown>;
  /** Parse as this attempt only (a later pass over a file whose first pass chose it). */
  readonly attempt?: ParseAttempt;
  /** The `package.json` type that decides how a `.js` file runs (default: read from disk). */
  readonly packageType?: () => ModuleKind;
  /** Also count ESLint's `no-use-before-define` findings (scope checks of a fix). */
  readonly checkScopes?: boolean;
}

const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/g;

function lineStarts(text: string): number[] {
  const starts = [0];
  for (const match of text.matchAll(LINE_BREAK)) starts.push(match.index + match[0].length);
  return starts;
}

const linter = new Linter({ configType: 'flat', cwd: '/' });
const FILES = ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.jsx', '**/*.ts', '**/*.mts', '**/*.cts', '**/*.tsx'];
const USE_BEFORE_DEFINE = 'no-use-before-define';

/** ESLint's language options for one way of parsing a file (see `parseAttempts`); the CLI's scan uses them too. */
export function languageOptionsFor(attempt: ParseAttempt): Linter.LanguageOptions {
  return {
    ...(attempt.parser === 'typescript' ? { parser: tsParser as Linter.Parser } : {}),
    ecmaVersion: 'latest',
    sourceType: attempt.sourceType,
    parserOptions: { ecmaFeatures: { jsx: attempt.jsx } },
  };
}

function config(request: LintRequest, attempt: ParseAttempt): Linter.Config[] {
  const rules: Linter.RulesRecord = {};
  for (const id of request.rules) rules[`lambda-rds/${id}`] = 'error';
  if (request.checkScopes) {
    rules[USE_BEFORE_DEFINE] = ['error', { functions: false, classes: true, variables: true, allowNamedExports: true }];
  }
  return [
    {
      files: FILES,
      languageOptions: languageOptionsFor(attempt),
      linterOptions: { reportUnusedDisableDirectives: 'off' },
      plugins: { 'lambda-rds': plugin as never },
      settings: request.settings ?? {},
      rules,
    },
  ];
}

export function lintFindings(request: LintRequest): LintOutcome {
  const { text, filePath } = request;
  const attempts = request.attempt ? [request.attempt] : parseAttempts(filePath, text, request.packageType);
  let firstError: string | undefined;
  for (const attempt of attempts) {
    const messages = withRecordedOutcomes(() => linter.verify(text, config(request, attempt), filePath));
    const fatal = parseFailure(messages);
    if (fatal) {
      firstError ??= `${fatal.message} (${fatal.line}:${fatal.column})`;
      continue;
    }
    const sourceCode = linter.getSourceCode() as SourceCode as unknown as Readonly<TSESLint.SourceCode>;
    const starts = lineStarts(text);
    const offset = (line: number, column: number) => (starts[line - 1] ?? 0) + column - 1;
    const findings: Finding[] = [];
    let useBeforeDefine = 0;
    for (const m of messages) {
      if (m.ruleId === USE_BEFORE_DEFINE) {
        useBeforeDefine++;
        continue;
      }
      if (m.ruleId === null || !m.ruleId.startsWith('lambda-rds/')) continue;
      findings.push({
        ruleId: m.ruleId.slice('lambda-rds/'.length),
        messageId: m.messageId ?? '',
        start: offset(m.line, m.column),
        end: offset(m.endLine ?? m.line, m.endColumn ?? m.column),
        line: m.line,
        column: m.column,
        suggestions: (m.suggestions ?? []).map((s) => ({
          messageId: s.messageId ?? '',
          range: [s.fix.range[0], s.fix.range[1]] as const,
          text: s.fix.text,
        })),
      });
    }
    return {
      findings,
      attempt,
      sourceCode,
      ...(request.checkScopes ? { useBeforeDefine } : {}),
    };
  }
  return { findings: [], parseError: firstError ?? 'the file could not be parsed' };
}

/** Names the file reads that nothing in it declares (globals, or names a fix left undefined). */
export function unresolvedNames(sourceCode: Readonly<TSESLint.SourceCode>): Set<string> {
  const names = new Set<string>();
  for (const reference of sourceCode.scopeManager?.globalScope?.through ?? []) names.add(reference.identifier.name);
  return names;
}
