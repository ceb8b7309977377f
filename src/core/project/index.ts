/**
 * Project knowledge: what a file's project says beyond the file itself. Which exports of which files the
 * deployment descriptors name as Lambda handlers, with each function's timeout (descriptors/*, project.ts); where
 * an import leads (relative paths, tsconfig aliases, Lambda layers: paths.ts); what imported modules do when they
 * are called (modules.ts). Read from disk for the file being linted, cached per file and modification time, shared
 * by every rule through the per-file analysis (core/analysis.ts). `settings['lambda-rds'].project: false` turns it
 * off; files without a path on disk (`<input>`, text on standard input without a file name) have none.
 */
import path from 'node:path';
import { projectView, type ProjectView } from './project.js';

export { clearProjectCaches, projectCacheStats, type CacheStats } from './cache.js';
export { setRefreshInterval } from './refresh.js';
export { keepHostParse } from './parse.js';
export { mayDeclareFunctions } from './descriptors/cdk.js';
export { isServerlessSource, projectRoot, projectView, type DescriptorFile, type ProjectView } from './project.js';
export type { DeclaredAt, DescriptorKind, FunctionDeclaration, LayerDeclaration } from './types.js';

/** A path with an empty, `.` or `..` segment (or Windows separators): one that `path.normalize` changes. */
const UNNORMALISED = /\/\/|\/\.\.?(?:\/|$)|\\/;

/** The path on disk of the file being linted, when it has one (hosts give normalised paths; others are normalised). */
export function diskPath(context: { physicalFilename?: string; filename?: string }): string | undefined {
  const file = context.physicalFilename ?? context.filename;
  if (typeof file !== 'string' || !path.isAbsolute(file)) return undefined;
  return UNNORMALISED.test(file) ? path.normalize(file) : file;
}

/** The project view of a file on disk (never throws: a project that cannot be read is none). */
export function projectOfFile(file: string): ProjectView | undefined {
  try {
    return projectView(path.dirname(file));
  } catch {
    return undefined;
  }
}
