import { appendFileSync } from 'node:fs';

/** What a codemod did to one file; the migrate CLI collects these into its report. */
export interface FileOutcome {
  readonly file: string;
  readonly codemod: string;
  readonly status: 'changed' | 'unchanged' | 'skipped' | 'failed';
  /** What was changed, one line each. */
  readonly changes: readonly string[];
  /** Why something was left as it is, one line each (file:line: reason). */
  readonly reasons: readonly string[];
  /** What to check after the change (a behaviour that differs), one line each. */
  readonly notes?: readonly string[];
  readonly error?: string;
  /** Packages the changed code now imports (the migrate CLI adds missing ones to the nearest package.json). */
  readonly dependencies?: readonly string[];
  /** The transformed text, only with `lambdaRdsOutputs`. */
  readonly output?: string;
}

/** Options a codemod reads (from jscodeshift's options, so plain `jscodeshift -t` works too). */
export interface CodemodOptions {
  /** Leave a `// TODO(lambda-rds): ...` comment where the codemod bails out. */
  readonly annotate?: boolean;
  /** Append one JSON line per file to this path (used by `lambda-rds migrate`). */
  readonly lambdaRdsReport?: string;
  /** Include the transformed text in the report line (used by `lambda-rds migrate --dry` for diffs). */
  readonly lambdaRdsOutputs?: boolean;
  /** `use-proxy-endpoint`: the environment variable that holds the RDS Proxy endpoint. */
  readonly envVar?: string;
  /** Programmatic use (tests, benchmarks): receives each file's outcome instead of the report file. */
  readonly lambdaRdsOnOutcome?: (outcome: FileOutcome) => void;
  /**
   * Apply only the fixes the rule suggests for its findings, not the extra ones (iam-auth's environment passwords):
   * the text an editor user gets by applying every suggestion.
   */
  readonly lambdaRdsFindingsOnly?: boolean;
  /** Benchmarks only: analyse every file, without the text prefilter that skips files importing no DB module. */
  readonly lambdaRdsParseAll?: boolean;
  readonly [key: string]: unknown;
}

export function record(options: CodemodOptions, outcome: FileOutcome, report?: (msg: string) => void): void {
  if (typeof options.lambdaRdsOnOutcome === 'function') {
    options.lambdaRdsOnOutcome(outcome);
    return;
  }
  if (typeof options.lambdaRdsReport === 'string' && options.lambdaRdsReport) {
    appendFileSync(options.lambdaRdsReport, `${JSON.stringify(outcome)}\n`);
    return;
  }
  if (report) {
    for (const line of outcome.reasons) report(`skipped: ${line}`);
    if (outcome.error) report(`failed: ${outcome.error}`);
  }
}
