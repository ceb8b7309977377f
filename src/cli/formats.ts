/**
 * The three report formats of `lambda-rds scan`. Paths in `text` and `json` are relative to the working directory
 * with `/` separators; SARIF's are relative to the `%SRCROOT%` base, the working directory (see sarif.ts).
 */
import { NAMESPACE, VERSION } from '../meta.js';
import { rules } from '../rules/index.js';
import type { RuleId } from './config.js';
import { displayPath } from './files.js';
import type { LintOutcome } from './lint.js';
import { renderSarif } from './sarif.js';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export function renderReport(format: Format, outcome: LintOutcome, cwd: string): string {
  if (format === 'json') return renderJson(outcome, cwd);
  if (format === 'sarif') return renderSarif(outcome, cwd);
  return renderText(outcome, cwd);
}

export function countFindings(outcome: LintOutcome): number {
  return outcome.files.reduce((sum, file) => sum + file.findings.length, 0);
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The page that explains a rule (its `meta.docs.url`). */
function ruleDocsUrl(id: RuleId): string | undefined {
  const name = id.slice(NAMESPACE.length + 1);
  const rule = Object.hasOwn(rules, name) ? rules[name as keyof typeof rules] : undefined;
  return (rule?.meta.docs as { url?: string } | undefined)?.url;
}

/**
 * One paragraph per file: `line:column  message  rule-id`; then skipped and failed files; then `Rule docs:`, the page
 * that explains each rule that reported, once per rule (the messages are one sentence each); then a summary.
 */
export function renderText(outcome: LintOutcome, cwd: string): string {
  const blocks: string[] = [];
  for (const { file, findings } of outcome.files) {
    const positions = findings.map((f) => `${f.line}:${f.column}`);
    const width = Math.max(...positions.map((p) => p.length));
    const lines = findings.map((f, i) => `  ${positions[i]!.padEnd(width)}  ${f.message}  ${f.ruleId}`);
    blocks.push([displayPath(file, cwd), ...lines].join('\n'));
  }

  const parseErrors = outcome.skipped.filter((s) => s.reason === 'parse-error');
  const readErrors = outcome.skipped.filter((s) => s.reason === 'read-error');
  const where = (file: string, line?: number, column?: number): string =>
    `${displayPath(file, cwd)}${line ? `:${line}${column ? `:${column}` : ''}` : ''}`;
  if (parseErrors.length > 0) {
    blocks.push(
      [
        `Skipped ${plural(parseErrors.length, 'file')} that could not be parsed:`,
        ...parseErrors.map((s) => `  ${where(s.file, s.line, s.column)}  ${s.message}`),
      ].join('\n'),
    );
  }
  if (readErrors.length > 0) {
    blocks.push(
      [
        `Skipped ${plural(readErrors.length, 'path')} that could not be read:`,
        ...readErrors.map((s) => `  ${where(s.file)}  ${s.message}`),
      ].join('\n'),
    );
  }
  if (outcome.failed.length > 0) {
    blocks.push(
      [
        `Internal error on ${plural(outcome.failed.length, 'file')} (please report it):`,
        ...outcome.failed.map((f) => `  ${where(f.file)}  ${f.message.split('\n').join('\n    ')}`),
      ].join('\n'),
    );
  }

  const docs = ruleDocsBlock(outcome);
  if (docs) blocks.push(docs);

  const findings = countFindings(outcome);
  const counts = [
    `${plural(outcome.filesLinted, 'file')} scanned`,
    outcome.skipped.length > 0 ? `${outcome.skipped.length} skipped` : '',
    outcome.failed.length > 0 ? `${outcome.failed.length} failed` : '',
  ].filter(Boolean);
  blocks.push(
    findings === 0
      ? `No findings (${counts.join(', ')}).`
      : `${plural(findings, 'finding')} in ${plural(outcome.files.length, 'file')} (${counts.join(', ')}).`,
  );
  return `${blocks.join('\n\n')}\n`;
}

/** `Rule docs:` and a line per rule that reported, in the order the rules ran; `undefined` when none did. */
function ruleDocsBlock(outcome: LintOutcome): string | undefined {
  const reported = new Set(outcome.files.flatMap((file) => file.findings.map((f) => f.ruleId)));
  const ids = outcome.rules.filter((id) => reported.has(id));
  if (ids.length === 0) return undefined;
  const width = Math.max(...ids.map((id) => id.length));
  const lines = ids.map((id) => {
    const url = ruleDocsUrl(id);
    return url ? `  ${id.padEnd(width)}  ${url}` : `  ${id}`;
  });
  return ['Rule docs:', ...lines].join('\n');
}

/**
 * The JSON report, a stable shape (`version` changes if it ever does):
 *
 * ```
 * {
 *   "version": 1,
 *   "tool": { "name": "lambda-rds", "version": "<package version>" },
 *   "rules": ["lambda-rds/<rule>", ...],                       // the rules that ran
 *   "summary": { "filesScanned": n, "filesWithFindings": n, "findings": n, "skipped": n, "failed": n },
 *   "files": [                                                 // only files with findings, by path
 *     { "path": "src/handler.ts",
 *       "messages": [{ "ruleId", "message", "line", "column", "endLine", "endColumn" }] }  // 1-based; ends may be null
 *   ],
 *   "skipped": [{ "path", "reason": "parse-error" | "read-error", "message", "line", "column" }],  // line/column may be null
 *   "failed": [{ "path", "message" }]                          // internal errors
 * }
 * ```
 */
export function renderJson(outcome: LintOutcome, cwd: string): string {
  const report = {
    version: 1,
    tool: { name: 'lambda-rds', version: VERSION },
    rules: outcome.rules,
    summary: {
      filesScanned: outcome.filesLinted,
      filesWithFindings: outcome.files.length,
      findings: countFindings(outcome),
      skipped: outcome.skipped.length,
      failed: outcome.failed.length,
    },
    files: outcome.files.map(({ file, findings }) => ({
      path: displayPath(file, cwd),
      messages: findings.map((f) => ({
        ruleId: f.ruleId,
        message: f.message,
        line: f.line,
        column: f.column,
        endLine: f.endLine ?? null,
        endColumn: f.endColumn ?? null,
      })),
    })),
    skipped: outcome.skipped.map((s) => ({
      path: displayPath(s.file, cwd),
      reason: s.reason,
      message: s.message,
      line: s.line ?? null,
      column: s.column ?? null,
    })),
    failed: outcome.failed.map((f) => ({ path: displayPath(f.file, cwd), message: f.message })),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
