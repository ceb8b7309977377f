/**
 * What every codemod does around the core's fix planners.
 *
 * A codemod applies the fixes its rule suggests, the way a user would click them one after the other in an editor:
 * lint the file, apply the first finding's suggestion, lint again, and so on until no finding offers one. The
 * suggestion text comes from the planner in src/core/fix, so the editor and the codemod always write the same code.
 * Findings left without a suggestion are reported with the planner's reason.
 *
 * Each step is verified before it is kept: the result parses, the rule reports fewer findings, the codemod's other
 * rules report no more than before, no name is left undefined, and ESLint's `no-use-before-define` finds nothing new
 * (an import placed after its first use, say). A step that fails verification is dropped and reported; the file is
 * written only as the last verified step left it, never half-transformed. A transformer built here never throws.
 */
import type { API, FileInfo } from 'jscodeshift';
import { recordedOutcome, type PlanOutcome } from '../../core/fix/plan.js';
import { applyEdits, indentAt, lineStartOf, type TextEdit } from '../../core/fix/text.js';
import { detectStyle, withEol, type FileStyle } from '../../core/fix/style.js';
import { lintFindings, unresolvedNames, type Finding, type LintOutcome, type SuggestedFix } from './lint.js';
import { record, type CodemodOptions, type FileOutcome } from './report.js';

export interface CodemodDefinition {
  /** `suggestions`: the suggestions of the rule that this codemod applies (message ids). */
  readonly meta: { readonly name: string; readonly rule: string; readonly suggestions: readonly string[] };
  /** A cheap test on the raw text: files it rules out are skipped without parsing. */
  readonly prefilter: (source: string) => boolean;
  /** Why a file the prefilter rules out is skipped. */
  readonly skipReason: string;
  /** Rule settings for the lint run, from the codemod's options. */
  readonly ruleSettings?: (options: CodemodOptions) => Record<string, unknown>;
  /** Other rules of the plugin that must not report more on the output than on the input. */
  readonly verifyRules?: readonly string[];
  /** Checks the codemod's own options; throws an `Error` with a clear message when one is invalid. */
  readonly validateOptions?: (options: CodemodOptions) => void;
  /**
   * Fixes for code the rule does not report (iam-auth also replaces passwords read from the environment), planned
   * by the same core planner: asked for once no finding offers a suggestion. Each must remove one `target` from the
   * next call's list, or the run stops.
   */
  readonly extraPlans?: (lint: LintOutcome, filePath: string, settings: Record<string, unknown>) => ExtraPlan[];
}

export interface ExtraPlan {
  readonly line: number;
  readonly outcome: PlanOutcome;
}

/** Globals that fixes may start to use. Any other new undefined name fails the step. */
const GLOBALS_FIXES_USE = new Set([
  'console', 'process', 'Promise', 'undefined', 'Error', 'require', 'Object', 'JSON', 'Number', 'Buffer', 'Date', 'URLSearchParams',
]);
const MAX_STEPS = 50;
const MARK = 'TODO(lambda-rds):';

interface Step {
  /** A finding's suggestion (else an extra plan). */
  readonly fromFinding: boolean;
  readonly line: number;
  readonly outcome: PlanOutcome;
  readonly fix: { readonly range: readonly [number, number]; readonly text: string };
}

export function createTransformer(definition: CodemodDefinition) {
  return function transformer(file: FileInfo, api: API, options: CodemodOptions = {}): string | undefined {
    try {
      return transformFile(definition, file, api, options);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      record(
        options,
        {
          file: file.path,
          codemod: definition.meta.name,
          status: 'failed',
          changes: [],
          reasons: [],
          error: `internal error, file left unchanged: ${message}`,
        },
        api.report,
      );
      return undefined;
    }
  };
}

/** Maps offsets of the current text back to the original one, through the replacements applied so far. */
class OffsetMap {
  private readonly steps: Array<{ start: number; end: number; length: number }> = [];

  push(start: number, end: number, length: number): void {
    this.steps.push({ start, end, length });
  }

  original(offset: number): number {
    let pos = offset;
    for (let i = this.steps.length - 1; i >= 0; i--) {
      const { start, end, length } = this.steps[i]!;
      if (pos >= start + length) pos = pos - length + (end - start);
      else if (pos > start) pos = start;
    }
    return pos;
  }
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function transformFile(definition: CodemodDefinition, file: FileInfo, api: API, options: CodemodOptions): string | undefined {
  const { meta } = definition;
  const outcome = (status: FileOutcome['status'], extra: Partial<FileOutcome> = {}): FileOutcome => ({
    file: file.path,
    codemod: meta.name,
    status,
    changes: [],
    reasons: [],
    ...extra,
  });
  definition.validateOptions?.(options);
  const source = file.source;
  if (!options.lambdaRdsParseAll && !definition.prefilter(source)) {
    record(options, outcome('skipped', { reasons: [definition.skipReason] }));
    return undefined;
  }
  const bom = source.charCodeAt(0) === 0xfeff;
  const original = bom ? source.slice(1) : source;
  const settings = definition.ruleSettings?.(options) ?? {};
  const rules = [meta.rule, ...(definition.verifyRules ?? [])];
  const lint = (text: string, attempt?: LintOutcome['attempt']): LintOutcome =>
    lintFindings({ text, filePath: file.path, rules, settings, checkScopes: true, ...(attempt ? { attempt } : {}) });

  const first = lint(original);
  if (first.parseError) {
    record(options, outcome('failed', { error: `could not parse: ${first.parseError}` }), api.report);
    return undefined;
  }
  const mine = (result: LintOutcome) => result.findings.filter((f) => f.ruleId === meta.rule);

  let text = original;
  let current = first;
  const map = new OffsetMap();
  const changes: string[] = [];
  const notes: string[] = [];
  const dependencies = new Set<string>();
  const failures: string[] = [];
  /** Findings (by offset in the current text) whose fix failed verification: not tried again. */
  const refused = new Set<number>();
  // Findings only: what an editor user gets by applying the rule's suggestions (the fixture test compares them).
  let extraDone = Boolean(options.lambdaRdsFindingsOnly);

  for (let steps = 0; steps < MAX_STEPS; steps++) {
    const step = nextStep(definition, current, text, refused, map, original, file.path, settings, extraDone);
    if (!step) break;
    const next = applyEdits(text, [{ start: step.fix.range[0], end: step.fix.range[1], text: step.fix.text }]);
    const after = lint(next, current.attempt);
    const problem = verify(definition, current, after, step);
    if (problem) {
      failures.push(`${step.line}: the fix was not applied: ${problem}`);
      refused.add(step.fix.range[0]);
      if (!step.fromFinding) extraDone = true;
      continue;
    }
    if (step.outcome.ok) {
      for (const change of step.outcome.plan.changes) changes.push(`${step.line}: ${change}`);
      for (const note of step.outcome.plan.notes) if (!notes.includes(note)) notes.push(note);
      for (const dependency of step.outcome.plan.dependencies) dependencies.add(dependency);
    }
    map.push(step.fix.range[0], step.fix.range[1], step.fix.text.length);
    text = next;
    current = after;
  }

  // What is left, with the planner's reason.
  const reasons: string[] = [...failures];
  const annotations: TextEdit[] = [];
  const style = detectStyle(text);
  for (const finding of mine(current)) {
    const planned = current.sourceCode ? recordedOutcome(current.sourceCode, meta.rule, finding.start) : undefined;
    const reason = planned && !planned.ok ? planned.reason : 'no fix is planned for this finding';
    const line = lineOf(original, map.original(finding.start));
    if (!failures.some((f) => f.startsWith(`${line}:`))) reasons.push(`${line}: ${reason}`);
    if (options.annotate) {
      const annotation = annotationAt(text, finding, reason, style);
      if (annotation && !annotations.some((a) => a.start === annotation.start)) annotations.push(annotation);
    }
  }
  // Extra targets left alone (a driver without a recipe, say), with the planner's reason.
  if (definition.extraPlans && !options.lambdaRdsFindingsOnly && current.sourceCode) {
    for (const extra of definition.extraPlans(current, file.path, settings)) {
      if (extra.outcome.ok) continue;
      const line = lineOf(original, map.original(offsetOfLine(text, extra.line)));
      if (!reasons.some((r) => r.startsWith(`${line}:`))) reasons.push(`${line}: ${extra.outcome.reason}`);
    }
  }
  if (annotations.length > 0) {
    const annotated = applyEdits(text, annotations);
    const check = lint(annotated, current.attempt);
    if (!check.parseError) text = annotated;
  }

  if (text === original) {
    record(options, outcome(reasons.length ? 'skipped' : 'unchanged', { reasons }), api.report);
    return undefined;
  }
  const final = bom ? `\uFEFF${text}` : text;
  record(
    options,
    outcome('changed', {
      changes,
      reasons,
      ...(notes.length ? { notes } : {}),
      ...(dependencies.size ? { dependencies: [...dependencies] } : {}),
      ...(options.lambdaRdsOutputs ? { output: final } : {}),
    }),
    api.report,
  );
  return final;
}

function offsetOfLine(text: string, line: number): number {
  let offset = 0;
  for (let l = 1; l < line && offset !== -1; l++) {
    const next = text.indexOf('\n', offset);
    offset = next === -1 ? text.length : next + 1;
  }
  return offset;
}

/** The first finding (in file order) whose suggestion has not failed, else the first extra plan. */
function nextStep(
  definition: CodemodDefinition,
  lint: LintOutcome,
  text: string,
  refused: ReadonlySet<number>,
  map: OffsetMap,
  original: string,
  filePath: string,
  settings: Record<string, unknown>,
  extraDone: boolean,
): Step | undefined {
  const { rule } = definition.meta;
  const findings = lint.findings
    .filter((f) => f.ruleId === rule)
    .sort((a, b) => a.start - b.start);
  for (const finding of findings) {
    const suggestion: SuggestedFix | undefined = finding.suggestions.find((s) => definition.meta.suggestions.includes(s.messageId));
    if (!suggestion || refused.has(suggestion.range[0])) continue;
    const outcome = lint.sourceCode ? recordedOutcome(lint.sourceCode, rule, finding.start) : undefined;
    if (!outcome?.ok) continue;
    return { fromFinding: true, line: lineOf(original, map.original(finding.start)), outcome, fix: suggestion };
  }
  if (extraDone || !definition.extraPlans) return undefined;
  for (const extra of definition.extraPlans(lint, filePath, settings)) {
    if (!extra.outcome.ok) continue;
    const edits = extra.outcome.plan.edits;
    const start = Math.min(...edits.map((e) => e.start));
    const end = Math.max(...edits.map((e) => e.end));
    if (refused.has(start)) continue;
    const replaced = applyEdits(text.slice(start, end), edits.map((e) => ({ ...e, start: e.start - start, end: e.end - start })));
    return {
      fromFinding: false,
      line: lineOf(original, map.original(offsetOfLine(text, extra.line))),
      outcome: extra.outcome,
      fix: { range: [start, end], text: replaced },
    };
  }
  return undefined;
}

/** Why the step's result cannot be kept, or undefined when it can. */
function verify(definition: CodemodDefinition, before: LintOutcome, after: LintOutcome, step: Step): string | undefined {
  if (after.parseError) return `the result does not parse (${after.parseError})`;
  const count = (result: LintOutcome, rule: string) => result.findings.filter((f) => f.ruleId === rule).length;
  const { rule } = definition.meta;
  if (step.fromFinding && count(after, rule) >= count(before, rule)) {
    return `${rule} still reports it`;
  }
  for (const other of definition.verifyRules ?? []) {
    if (count(after, other) > count(before, other)) return `${other} would report more than before`;
  }
  const known = unresolvedNames(before.sourceCode!);
  const added = [...unresolvedNames(after.sourceCode!)].filter((name) => !known.has(name) && !GLOBALS_FIXES_USE.has(name));
  if (added.length > 0) return `it would leave ${added.map((n) => `\`${n}\``).join(', ')} undefined`;
  if ((after.useBeforeDefine ?? 0) > (before.useBeforeDefine ?? 0)) return 'it would use a name before its declaration';
  return undefined;
}

/** `--annotate`: a `// TODO(lambda-rds): <reason>` line above the finding's line (once). */
function annotationAt(text: string, finding: Finding, reason: string, style: FileStyle): TextEdit | undefined {
  const lineStart = lineStartOf(text, finding.start);
  const previousStart = lineStartOf(text, Math.max(0, lineStart - 1));
  if (text.slice(previousStart, lineStart).includes(MARK)) return undefined;
  const indent = indentAt(text, finding.start);
  return { start: lineStart, end: lineStart, text: withEol(`${indent}// ${MARK} ${reason}\n`, style) };
}
