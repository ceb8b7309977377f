/**
 * What every codemod does around its own steps: skip files the prefilter rules out (unparsed), keep the file's
 * byte-order mark, run the plugin's rule on the file, parse it with jscodeshift's parser for its extension, let
 * the codemod plan text edits per finding (or bail out with a reason), check that the result parses and that the
 * rule no longer reports what was changed, and record the outcome. A transformer built here never throws: an
 * unexpected error is reported as a failure and the file is left as it is.
 */
import type { API, FileInfo } from 'jscodeshift';
import { annotateBailout } from './annotateBailout.js';
import type { AnyPath } from './ast.js';
import { Bailout, type TransformContext } from './context.js';
import { applyEdits } from './edits.js';
import { lintFindings, type LintOutcome } from './legacy-findings.js';
import { jscodeshiftFor, parseFile, parserFor } from './parse.js';
import { record, type CodemodOptions, type FileOutcome } from './report.js';
import { detectStyle } from './style.js';

export interface PlannedTarget {
  readonly line: number;
  /** Where a `--annotate` comment goes when the target is left alone. */
  readonly path: AnyPath;
  /** How many of the rule's findings the target's edits remove (default 1; 0 for a target the rule does not report). */
  readonly findings?: number;
}

export interface CodemodDefinition<T extends PlannedTarget> {
  readonly meta: { readonly name: string; readonly rule: string };
  /** A cheap test on the raw text: files it rules out are skipped without parsing. */
  readonly prefilter: (source: string) => boolean;
  /** Why a file the prefilter rules out is skipped. */
  readonly skipReason: string;
  /** Rule settings and options for the lint run. */
  readonly ruleSettings?: (options: CodemodOptions) => Record<string, unknown>;
  /**
   * The codemod also changes code its rule does not report (`iam-auth` rewrites passwords read from the
   * environment), so a file without findings is still planned; verification then counts each target's `findings`.
   */
  readonly planWithoutFindings?: boolean;
  /** Other rules of the plugin that must not report more on the output than on the input. */
  readonly verifyRules?: readonly string[];
  /** Checks the codemod's own options; throws an `Error` with a clear message when one is invalid. */
  readonly validateOptions?: (options: CodemodOptions) => void;
  /** The findings located in the jscodeshift AST. */
  readonly targets: (ctx: TransformContext, lint: LintOutcome) => T[];
  /** Pushes the edits for one target onto `ctx.edits`, or throws `Bailout`. */
  readonly plan: (ctx: TransformContext, target: T, options: CodemodOptions) => void;
}

export function createTransformer<T extends PlannedTarget>(definition: CodemodDefinition<T>) {
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

function transformFile<T extends PlannedTarget>(
  definition: CodemodDefinition<T>,
  file: FileInfo,
  api: API,
  options: CodemodOptions,
): string | undefined {
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
  const style = detectStyle(source);
  const text = style.bom ? source.slice(1) : source;
  const settings = definition.ruleSettings?.(options) ?? {};

  const ruleIds = [meta.rule, ...(definition.verifyRules ?? [])];
  const lint = lintFindings(text, file.path, ruleIds, settings);
  if (lint.parseError) {
    record(options, outcome('failed', { error: `could not parse: ${lint.parseError}` }), api.report);
    return undefined;
  }
  const count = (result: typeof lint, rule: string) => result.findings.filter((f) => f.ruleId === rule).length;
  if (count(lint, meta.rule) === 0 && !definition.planWithoutFindings) {
    record(options, outcome('unchanged'));
    return undefined;
  }

  const j = jscodeshiftFor(api, file.path);
  let root: ReturnType<typeof j>;
  try {
    root = parseFile(j, file.path, text) as ReturnType<typeof j>;
  } catch (error) {
    record(options, outcome('failed', { error: `could not parse: ${(error as Error).message}` }), api.report);
    return undefined;
  }
  const taken = new Set<string>();
  root.find(j.Identifier).forEach((p) => {
    taken.add(p.node.name);
  });
  const ctx: TransformContext = {
    j,
    root,
    text,
    style,
    edits: [],
    changes: [],
    reasons: [],
    taken,
    annotate: Boolean(options.annotate),
    typescript: parserFor(file.path) !== 'babylon',
    dependencies: new Set(),
  };

  let planned = 0;
  for (const target of definition.targets(ctx, lint)) {
    const editsBefore = ctx.edits.length;
    const changesBefore = ctx.changes.length;
    try {
      definition.plan(ctx, target, options);
      planned += target.findings ?? 1;
    } catch (error) {
      if (!(error instanceof Bailout)) throw error;
      ctx.edits.length = editsBefore;
      ctx.changes.length = changesBefore;
      ctx.reasons.push(`${target.line}: ${error.message}`);
      if (ctx.annotate) annotateBailout(ctx, target.path, error.message);
    }
  }

  if (ctx.edits.length === 0) {
    record(options, outcome(ctx.reasons.length ? 'skipped' : 'unchanged', { reasons: ctx.reasons }), api.report);
    return undefined;
  }

  let output: string;
  try {
    output = applyEdits(text, ctx.edits);
    parseFile(j, file.path, output); // the result must parse
  } catch (error) {
    record(options, outcome('failed', { error: `internal error, file left unchanged: ${(error as Error).message}` }), api.report);
    return undefined;
  }
  const after = lintFindings(output, file.path, ruleIds, settings);
  if (
    after.parseError ||
    count(after, meta.rule) > count(lint, meta.rule) - planned ||
    (definition.verifyRules ?? []).some((rule) => count(after, rule) > count(lint, rule))
  ) {
    record(
      options,
      outcome('failed', { error: 'internal error, file left unchanged: the rule still reports what was changed' }),
      api.report,
    );
    return undefined;
  }
  const final = style.bom ? `\uFEFF${output}` : output;
  record(
    options,
    outcome('changed', {
      changes: ctx.changes,
      reasons: ctx.reasons,
      ...(ctx.dependencies?.size ? { dependencies: [...ctx.dependencies] } : {}),
      ...(options.lambdaRdsOutputs ? { output: final } : {}),
    }),
    api.report,
  );
  return final;
}
