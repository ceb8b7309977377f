/**
 * Which files a command works on: JavaScript and TypeScript sources under the paths it is given, minus
 * dependencies, build output and deployment artefacts. Shared by every command that walks a source tree.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { IGNORED_DIRECTORIES, isIgnoredDirectory } from '../core/project/paths.js';
import { UsageError } from './errors.js';

/** Extensions of the files the commands read (each parsed as Node.js runs it: see core/module-kind.ts). */
export const SOURCE_EXTENSIONS = ['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx'] as const;

/**
 * Directories skipped while walking a tree: dependencies, build output, deployment packages that copy the
 * sources (SAM, CDK, Serverless), coverage reports, and version control: the project knowledge's list
 * (core/project/paths.ts). A directory given explicitly as a path is still walked; the names only apply to what is
 * found below it.
 */
export { IGNORED_DIRECTORIES };

const sourceExtensions: ReadonlySet<string> = new Set(SOURCE_EXTENSIONS);

export function isSourceFile(file: string): boolean {
  return sourceExtensions.has(path.extname(file));
}

/** `.d.ts`, `.d.mts`, `.d.cts`: declarations, no runtime code. Skipped when walking a directory. */
function isDeclarationFile(file: string): boolean {
  return /\.d\.[cm]?ts$/i.test(file);
}

export interface UnreadablePath {
  /** Absolute path. */
  readonly path: string;
  readonly message: string;
}

export interface SourceFiles {
  /** Absolute paths, sorted, without duplicates. */
  readonly files: string[];
  /** Directories found while walking that could not be listed (permissions, vanished). */
  readonly unreadable: UnreadablePath[];
}

/**
 * The source files under `paths` (files or directories, relative to `cwd`). A path that does not exist, or a file
 * that is not a JavaScript or TypeScript source, is a `UsageError` naming every such path. Symbolic links to files
 * are followed; symbolic links to directories are not (they can form cycles and usually point at shared or
 * installed code).
 */
export async function findSourceFiles(paths: readonly string[], cwd: string): Promise<SourceFiles> {
  const files = new Set<string>();
  const unreadable: UnreadablePath[] = [];
  const problems: string[] = [];

  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    let stats;
    try {
      stats = await stat(absolute);
    } catch (error) {
      problems.push(
        errorCode(error) === 'ENOENT' ? `${given}: no such file or directory` : `${given}: ${errorText(error)}`,
      );
      continue;
    }
    if (stats.isDirectory()) {
      await walk(absolute, files, unreadable);
    } else if (isSourceFile(absolute)) {
      files.add(absolute);
    } else {
      problems.push(`${given}: not a JavaScript or TypeScript file (expected ${SOURCE_EXTENSIONS.join(' ')})`);
    }
  }

  if (problems.length > 0) {
    throw new UsageError(
      problems.length === 1 ? `Cannot scan ${problems[0]}.` : `Cannot scan:\n  ${problems.join('\n  ')}`,
    );
  }
  return { files: [...files].sort(), unreadable };
}

async function walk(root: string, files: Set<string>, unreadable: UnreadablePath[]): Promise<void> {
  const pending = [root];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      unreadable.push({ path: dir, message: errorText(error) });
      continue;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!isIgnoredDirectory(entry.name)) pending.push(full);
      } else if (isSourceFile(entry.name) && !isDeclarationFile(entry.name)) {
        if (entry.isFile() || (entry.isSymbolicLink() && (await isFileLink(full)))) files.add(full);
      }
    }
  }
}

async function isFileLink(link: string): Promise<boolean> {
  try {
    return (await stat(link)).isFile();
  } catch {
    return false; // a dangling link is not a source file
  }
}

/** The deepest directory that contains every file (used as the linter's base path). */
export function commonDirectory(files: readonly string[]): string {
  const [first, ...rest] = files.map((file) => path.dirname(file));
  if (first === undefined) return process.cwd();
  let common = first;
  for (const dir of rest) {
    while (dir !== common && !dir.startsWith(common.endsWith(path.sep) ? common : common + path.sep)) {
      const parent = path.dirname(common);
      if (parent === common) break;
      common = parent;
    }
  }
  return common;
}

/** A path as the user reads it: relative to `cwd`, with `/` separators on every platform. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  if (relative === '' || path.isAbsolute(relative)) return file.split(path.sep).join('/');
  return relative.split(path.sep).join('/');
}

function errorCode(error: unknown): string | undefined {
  return (error as { code?: string } | null)?.code;
}

export function errorText(error: unknown): string {
  const code = errorCode(error);
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'no such file or directory';
  return error instanceof Error ? error.message : String(error);
}
