import type { ESLint, Linter } from 'eslint';

/** A finding of either host; `ruleId: null` (and no position) for a file that does not parse. */
export interface Finding {
  readonly file: string;
  readonly ruleId: string | null;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  /** oxlint only: the line and column oxlint itself prints (its columns count UTF-8 bytes). */
  readonly reportedLine?: number;
  readonly reportedColumn?: number;
}

export interface HostRun {
  readonly findings: Finding[];
  readonly filesLinted: number;
}

export type RuleEntries = Record<string, unknown>;

export const PLUGIN_PATH: string;
export const OXLINT_BIN: string;
export const SOURCE_EXTENSIONS: readonly string[];
export function sourceFilesUnder(dir: string): string[];
export function oxlintVersion(): string;
export function oxlintConfig(options: { rules: RuleEntries; settings?: Record<string, unknown>; pluginPath?: string }): {
  plugins: string[];
  categories: Record<string, string>;
  jsPlugins: string[];
  settings: Record<string, unknown>;
  rules: RuleEntries;
};
export function eslintConfig(options: {
  plugin: { meta: { namespace: string } };
  rules: RuleEntries;
  settings?: Record<string, unknown>;
}): Linter.Config[];
export function eslintFindings(results: readonly ESLint.LintResult[], cwd: string): Finding[];
export function lintWithEslint(options: { cwd: string; files: readonly string[]; config: Linter.Config[] }): Promise<HostRun>;
export function positionOfByteOffset(bytes: Uint8Array, offset: number): { line: number; column: number };
export function parseJsonReport(stdout: string, stderr: string, host: string): unknown;
export function oxlintFindings(report: unknown, cwd: string): Finding[];
export function oxlintArgs(options: { configPath: string; files: readonly string[]; format?: string; threads?: number }): string[];
export function runOxlint(options: { cwd: string; args: readonly string[] }): Promise<{ status: number; stdout: string; stderr: string }>;
export function lintWithOxlint(options: {
  cwd: string;
  files: readonly string[];
  config: ReturnType<typeof oxlintConfig>;
  configPath: string;
}): Promise<HostRun>;
export function fixWithOxlint(options: {
  cwd: string;
  files: readonly string[];
  config: ReturnType<typeof oxlintConfig>;
  configPath: string;
  fix: '--fix' | '--fix-suggestions' | '--fix-dangerously';
}): Promise<void>;
