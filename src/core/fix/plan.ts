/**
 * A fix, planned once: the rules offer it as a suggestion and the codemods apply it, so both write the same text.
 *
 * A planner returns a `PlanOutcome`: a plan (text edits plus what they do, for the codemod's report), or the reason
 * to leave the code alone. Planners build plans with a `FixBuilder` and refuse by throwing `Refusal`.
 *
 * The rule that reports a finding records the finding's outcome for its file (`recordOutcome`) when the codemod, which
 * lints the file with that rule (`withRecordedOutcomes`), asks for it; it reads it back (`recordedOutcome`) for the
 * report: what each applied suggestion changed, and why a finding without one was left alone.
 */
import type { TSESLint } from '@typescript-eslint/utils';
import { perFile } from '../per-file.js';
import { detectStyle, render, withEol, type FileStyle } from './style.js';
import type { TextEdit } from './text.js';

export interface FixPlan {
  readonly edits: readonly TextEdit[];
  /** What the fix does, one line each. */
  readonly changes: readonly string[];
  /** What a user should check after the fix (a behaviour that differs), one line each. */
  readonly notes: readonly string[];
  /** Packages the fixed code imports. */
  readonly dependencies: readonly string[];
}

export type PlanOutcome =
  | { readonly ok: true; readonly plan: FixPlan }
  | { readonly ok: false; readonly reason: string };

/**
 * A reason to leave the code as it is, thrown by a planner and caught by `plan`. Not an `Error`: a refusal is an
 * answer, not a failure, and planners refuse on many findings while a file is linted, where capturing a stack trace
 * for each was a tenth of a stack file's lint time spent in the plugin.
 */
export class Refusal {
  constructor(readonly message: string) {}
}

type SourceCode = Readonly<TSESLint.SourceCode>;

/** What a planner needs of the rule context: the file's text, AST and scopes, and its name (TypeScript or not). */
export interface FixContext {
  readonly sourceCode: SourceCode;
  readonly filename: string;
}

/** Runs a planner: its plan, or the reason it refused. Other errors propagate (they are bugs). */
export function plan(context: FixContext, build: (fix: FixBuilder) => void): PlanOutcome {
  const fix = new FixBuilder(context);
  try {
    build(fix);
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: error.message };
    throw error;
  }
  if (fix.edits.length === 0) return { ok: false, reason: 'nothing to change' };
  return { ok: true, plan: fix.result() };
}

/** The plan as an ESLint fix function (for `suggest` entries). */
export function asFix(plan: FixPlan): TSESLint.ReportFixFunction {
  return (fixer) => plan.edits.map((edit) => fixer.replaceTextRange([edit.start, edit.end], edit.text));
}

/** Every name the file declares or reads, in any scope: generated names avoid them. */
const namesOf = perFile((context): ReadonlySet<string> => {
  const names = new Set<string>();
  const manager = context.sourceCode.scopeManager;
  for (const scope of manager?.scopes ?? []) {
    for (const variable of scope.variables) names.add(variable.name);
    for (const reference of scope.through) names.add(reference.identifier.name);
  }
  return names;
});

const styleOf = perFile((context): FileStyle => detectStyle(context.sourceCode.text));

/** Collects one plan's edits and report lines, in the file's style. */
export class FixBuilder {
  readonly edits: TextEdit[] = [];
  private readonly changes: string[] = [];
  private readonly notes: string[] = [];
  private readonly dependencies = new Set<string>();
  private readonly generated = new Set<string>();
  readonly sourceCode: SourceCode;
  readonly text: string;
  /** Generated module-scope variables get type annotations in TypeScript files. */
  readonly typescript: boolean;

  constructor(context: FixContext) {
    this.sourceCode = context.sourceCode;
    this.text = context.sourceCode.text;
    // A TypeScript file, parsed by a parser that reads TypeScript (an editor may lint `.ts` files with espree).
    this.typescript =
      /\.[cm]?tsx?$/i.test(context.filename) && 'TSNonNullExpression' in (context.sourceCode.visitorKeys ?? {});
  }

  private fileStyle: FileStyle | undefined;

  /** The file's style, read when a plan first writes code (planners that refuse never need it). */
  get style(): FileStyle {
    return (this.fileStyle ??= styleOf({ sourceCode: this.sourceCode, settings: {} }));
  }

  replace(start: number, end: number, text: string): void {
    this.edits.push({ start, end, text });
  }

  insert(at: number, text: string): void {
    this.edits.push({ start: at, end: at, text });
  }

  /** Generated code (see `render`), with the file's line endings. */
  code(code: string): string {
    return withEol(render(code, this.style), this.style);
  }

  change(line: string): void {
    this.changes.push(line);
  }

  note(line: string): void {
    if (!this.notes.includes(line)) this.notes.push(line);
  }

  dependency(name: string): void {
    this.dependencies.add(name);
  }

  /** A name free in the whole file and not yet generated by this plan: `base`, `base2`, … */
  uniqueName(base: string): string {
    const taken = namesOf({ sourceCode: this.sourceCode, settings: {} });
    let name = base;
    for (let i = 2; taken.has(name) || this.generated.has(name); i++) name = `${base}${i}`;
    this.generated.add(name);
    return name;
  }

  result(): FixPlan {
    return {
      edits: [...this.edits],
      changes: [...this.changes],
      notes: [...this.notes],
      dependencies: [...this.dependencies],
    };
  }
}

interface Recorded {
  readonly rule: string;
  readonly outcome: PlanOutcome;
}

const recorded = new WeakMap<object, Map<string, Recorded>>();
let recording = false;

/**
 * Runs `lint` with the rules recording their findings' outcomes, for the codemod that reads them back; an editor or
 * a CI run never asks for them, so the rules skip the bookkeeping there.
 */
export function withRecordedOutcomes<T>(lint: () => T): T {
  const previous = recording;
  recording = true;
  try {
    return lint();
  } finally {
    recording = previous;
  }
}

/**
 * Called by a rule when it reports a finding that starts at `start` (the reported node's or range's first
 * character): the fix it offers, or why it offers none. Kept only inside `withRecordedOutcomes`.
 */
export function recordOutcome(sourceCode: SourceCode, rule: string, start: number, outcome: PlanOutcome): void {
  if (!recording) return;
  let map = recorded.get(sourceCode.ast);
  if (!map) recorded.set(sourceCode.ast, (map = new Map()));
  map.set(`${rule}@${start}`, { rule, outcome });
}

/** The outcome a rule recorded for the finding that starts at `offset`, in the file `sourceCode` holds. */
export function recordedOutcome(sourceCode: SourceCode, rule: string, offset: number): PlanOutcome | undefined {
  return recorded.get(sourceCode.ast)?.get(`${rule}@${offset}`)?.outcome;
}
