/**
 * Runs the plugin's own rules on a file with ESLint's `Linter`, so a codemod changes exactly what the rules
 * report and the two can never disagree.
 */
import { Linter, type SourceCode } from 'eslint';
import * as tsParser from '@typescript-eslint/parser';
import plugin from '../../index.js';
import { getFileAnalysis, type FileAnalysis } from '../../core/analysis.js';

export interface Finding {
  readonly ruleId: string;
  readonly messageId: string;
  /** Offsets in the text without its byte-order mark. */
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
}

export interface LintOutcome {
  readonly findings: Finding[];
  /** The parser's message when the file does not parse. */
  readonly parseError?: string;
  /** The shared analysis the rules computed (drivers, instances, handlers), when the file uses a DB module. */
  readonly analysis?: FileAnalysis | null;
  /** ESLint's view of the file (AST, scopes), for codemods that use the shared resolvers such as the config resolver. */
  readonly sourceCode?: SourceCode;
}

const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/g;

function lineStarts(text: string): number[] {
  const starts = [0];
  for (const match of text.matchAll(LINE_BREAK)) starts.push(match.index + match[0].length);
  return starts;
}

const linter = new Linter({ configType: 'flat' });

export function lintFindings(
  text: string,
  filePath: string,
  ruleIds: readonly string[],
  settings: Record<string, unknown> = {},
): LintOutcome {
  const ext = /\.([cm]?[jt]sx?)$/i.exec(filePath)?.[1]?.toLowerCase() ?? 'js';
  const rules: Linter.RulesRecord = {};
  for (const id of ruleIds) rules[`lambda-rds/${id}`] = 'error';
  const messages = linter.verify(
    text,
    [
      {
        files: ['**/*.*'],
        languageOptions: {
          parser: tsParser,
          sourceType: ext === 'cjs' || ext === 'cts' ? 'commonjs' : 'module',
          parserOptions: { ecmaFeatures: { jsx: ext.endsWith('x') } },
        },
        plugins: { 'lambda-rds': plugin as never },
        settings,
        rules,
      },
    ],
    `file.${ext}`,
  );
  const fatal = messages.find((m) => m.fatal);
  if (fatal) return { findings: [], parseError: `${fatal.message} (${fatal.line}:${fatal.column})` };
  const sourceCode = linter.getSourceCode();
  const analysis = sourceCode
    ? getFileAnalysis({ sourceCode: sourceCode as never, settings: settings as Record<string, unknown> })
    : null;
  const starts = lineStarts(text);
  const offset = (line: number, column: number) => (starts[line - 1] ?? 0) + column - 1;
  return {
    analysis,
    ...(sourceCode ? { sourceCode } : {}),
    findings: messages
      .filter((m) => m.ruleId !== null && m.ruleId.startsWith('lambda-rds/'))
      .map((m) => ({
        ruleId: m.ruleId!.slice('lambda-rds/'.length),
        messageId: m.messageId ?? '',
        start: offset(m.line, m.column),
        end: offset(m.endLine ?? m.line, m.endColumn ?? m.column),
        line: m.line,
        column: m.column,
      })),
  };
}
