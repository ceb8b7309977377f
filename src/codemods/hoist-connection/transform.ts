/**
 * `hoist-connection`: fixes what `no-connection-in-handler` reports. It runs the rule on the file, locates each
 * finding in the jscodeshift AST, plans minimal text edits (so untouched code stays byte for byte), checks the
 * result parses and that the rule no longer reports the fixed findings, and only then returns it. Anything it is
 * unsure about is left as it is, with the reason in the report (and, with `--annotate`, a TODO comment).
 */
import type { API, FileInfo } from 'jscodeshift';
import { mentionsDatabaseModule } from '../../core/modules.js';
import { applyEdits } from '../shared/edits.js';
import { lintFindings } from '../shared/findings.js';
import { jscodeshiftFor, parseFile, parserFor } from '../shared/parse.js';
import { record, type CodemodOptions, type FileOutcome } from '../shared/report.js';
import { detectStyle } from '../shared/style.js';
import { meta } from './meta.js';
import { annotateBailout } from './steps/annotateBailout.js';
import { Bailout, type TransformContext } from './steps/context.js';
import { findTargets } from './steps/findTargets.js';
import { planTarget } from './steps/planTarget.js';

/**
 * jscodeshift entry: never throws, so one bad file cannot stop a migration; an unexpected error is reported as
 * a failure and the file is left as it is.
 */
export default function transformer(file: FileInfo, api: API, options: CodemodOptions = {}): string | undefined {
  try {
    return transformFile(file, api, options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    record(
      options,
      { file: file.path, codemod: meta.name, status: 'failed', changes: [], reasons: [], error: `internal error, file left unchanged: ${message}` },
      api.report,
    );
    return undefined;
  }
}

function transformFile(file: FileInfo, api: API, options: CodemodOptions): string | undefined {
  const outcome = (status: FileOutcome['status'], extra: Partial<FileOutcome> = {}): FileOutcome => ({
    file: file.path,
    codemod: meta.name,
    status,
    changes: [],
    reasons: [],
    ...extra,
  });
  const source = file.source;
  if (!options.lambdaRdsParseAll && !mentionsDatabaseModule(source)) {
    record(options, outcome('skipped', { reasons: ['imports no database module'] }));
    return undefined;
  }
  const style = detectStyle(source);
  const text = style.bom ? source.slice(1) : source;

  const lint = lintFindings(text, file.path, [meta.rule]);
  if (lint.parseError) {
    record(options, outcome('failed', { error: `could not parse: ${lint.parseError}` }), api.report);
    return undefined;
  }
  if (lint.findings.length === 0 || !lint.analysis) {
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
  };

  const targets = findTargets(ctx, lint.findings, lint.analysis);
  let planned = 0;
  for (const target of targets) {
    const editsBefore = ctx.edits.length;
    const changesBefore = ctx.changes.length;
    try {
      planTarget(ctx, target);
      planned++;
    } catch (error) {
      if (!(error instanceof Bailout)) throw error;
      ctx.edits.length = editsBefore;
      ctx.changes.length = changesBefore;
      ctx.reasons.push(`${target.line}: ${error.message}`);
      if (ctx.annotate) annotateBailout(ctx, target.call, error.message);
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
  const after = lintFindings(output, file.path, [meta.rule]);
  if (after.parseError || after.findings.length > lint.findings.length - planned) {
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
    outcome('changed', { changes: ctx.changes, reasons: ctx.reasons, ...(options.lambdaRdsOutputs ? { output: final } : {}) }),
    api.report,
  );
  return final;
}
