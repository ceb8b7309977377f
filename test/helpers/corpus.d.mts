export interface CorpusFile {
  /** Absolute path. */
  readonly path: string;
  /** Path relative to the listed root, with `/` separators. */
  readonly relative: string;
  readonly size: number;
}

export type SourceType = 'module' | 'commonjs' | 'script';

export interface ParseModes {
  readonly typescript: boolean;
  readonly declaration: boolean;
  readonly sourceTypes: readonly SourceType[];
}

export function listSourceFiles(root: string, options?: { maxBytes?: number; declarations?: boolean }): CorpusFile[];
export function spread<T>(list: readonly T[], limit: number): T[];
export function selectCorpus(files: readonly CorpusFile[], limit: number): CorpusFile[];
export function parseModes(path: string): ParseModes;
export function readText(path: string): string;
export function topLevelFunctionNames(text: string, limit?: number): string[];
export const PROBE: { readonly driver: string; readonly handler: string; readonly pool: string };
export function handlerVariant(text: string, sourceType: SourceType, functionNames?: readonly string[]): string;
export function importsDatabaseDriver(text: string): boolean;
export function virtualFilename(relative: string): string;
