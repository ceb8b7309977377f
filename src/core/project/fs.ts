/**
 * The file system as the project knowledge reads it: stats, directory listings and file texts, cached and bounded.
 * An entry is checked against the disk again (its modification time and size) when it is older than the refresh
 * interval on the project clock (refresh.ts), so an editor session sees a changed deployment descriptor or helper
 * module within a second, while a lint of a whole repository stats each file once. Every failure reads as "not
 * there": nothing here throws.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { BoundedCache } from './cache.js';
import { isFresh, projectClock } from './refresh.js';

export interface FileStat {
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly mtimeMs: number;
  readonly size: number;
}

interface Stamped<T> {
  readonly value: T;
  /** When the entry was last compared with the disk (on the project clock, refresh.ts). */
  checkedAt: number;
}



const stats = new BoundedCache<string, Stamped<FileStat | null>>('stat', 20_000);
/** At most 16 MB of text (UTF-16: twice that in memory). */
const texts = new BoundedCache<string, { stat: FileStat; text: string }>('text', 2_000, {
  max: 16 * 1024 * 1024,
  of: (entry) => entry.text.length,
});
const listings = new BoundedCache<string, { stat: FileStat; entries: readonly DirEntry[] }>('directory', 5_000);

/** Files larger than this are never read (descriptors and source modules are far smaller). */
export const MAX_FILE_BYTES = 1024 * 1024;

function freshStat(path: string): FileStat | null {
  try {
    // Most paths asked about do not exist (module resolution tries extension after extension): no exception for those.
    const s = statSync(path, { throwIfNoEntry: false });
    if (!s) return null;
    return { isFile: s.isFile(), isDirectory: s.isDirectory(), mtimeMs: s.mtimeMs, size: s.size };
  } catch {
    return null;
  }
}

/** The file's or directory's stat, or null when it does not exist (or cannot be read). */
export function stat(path: string): FileStat | null {
  const cached = stats.get(path);
  const time = projectClock();
  if (cached && isFresh(cached.checkedAt, time)) return cached.value;
  const value = freshStat(path);
  if (cached && sameStat(cached.value, value)) {
    cached.checkedAt = time;
    return cached.value;
  }
  stats.set(path, { value, checkedAt: time });
  return value;
}

function sameStat(a: FileStat | null, b: FileStat | null): boolean {
  if (!a || !b) return a === b;
  return a.mtimeMs === b.mtimeMs && a.size === b.size && a.isFile === b.isFile;
}

export function isFile(path: string): boolean {
  return stat(path)?.isFile ?? false;
}

export function isDirectory(path: string): boolean {
  return stat(path)?.isDirectory ?? false;
}

/** Files read while a `recordReads` callback runs, with the stat they were read at. */
let readLog: Map<string, FileStat | null> | undefined;

/**
 * Runs `compute` and returns its result with every file it read (through `readText`) and the version read, so that
 * a cache of the result can tell when any of them changed (`unchanged`).
 */
export function recordReads<T>(compute: () => T): { value: T; reads: ReadonlyMap<string, FileStat | null> } {
  const outer = readLog;
  const log = new Map<string, FileStat | null>();
  readLog = log;
  try {
    return { value: compute(), reads: log };
  } finally {
    readLog = outer;
    if (outer) for (const [file, version] of log) if (!outer.has(file)) outer.set(file, version);
  }
}

/** When each read log was last found unchanged, on the project clock. */
const verifiedAt = new WeakMap<ReadonlyMap<string, FileStat | null>, number>();

/**
 * Whether every file of a read log is as it was read. A log found unchanged at the clock's present time needs no
 * second look: until the clock moves, every stat it depends on is answered from the same fresh entries. (A cached
 * result that depends on many files, a CDK app's stack facts, is otherwise checked file by file on every lint.)
 */
export function unchanged(reads: ReadonlyMap<string, FileStat | null>): boolean {
  const time = projectClock();
  if (verifiedAt.get(reads) === time) return true;
  for (const [file, version] of reads) if (stat(file) !== version) return false;
  verifiedAt.set(reads, time);
  return true;
}

/** The text of a file (UTF-8, BOM removed), or undefined when it is missing, unreadable or too large. */
export function readText(path: string): string | undefined {
  const s = stat(path);
  if (readLog && !readLog.has(path)) readLog.set(path, s);
  if (!s?.isFile || s.size > MAX_FILE_BYTES) return undefined;
  const cached = texts.get(path);
  if (cached && cached.stat === s) return cached.text;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  texts.set(path, { stat: s, text });
  return text;
}

export interface DirEntry {
  readonly name: string;
  readonly isDirectory: boolean;
}

/** The listing of every missing folder: one object, so that what is memoised per listing is computed once for all. */
const NO_ENTRIES: readonly DirEntry[] = Object.freeze([]);

/** The entries of a directory (empty when it is missing or unreadable). */
export function listDirectory(path: string): readonly DirEntry[] {
  const s = stat(path);
  if (!s?.isDirectory) return NO_ENTRIES;
  const cached = listings.get(path);
  if (cached && cached.stat === s) return cached.entries;
  let entries: readonly DirEntry[];
  try {
    entries = readdirSync(path, { withFileTypes: true }).map((e) => ({
      name: e.name,
      isDirectory: e.isDirectory() || (e.isSymbolicLink() && isDirectory(`${path}/${e.name}`)),
    }));
  } catch {
    entries = NO_ENTRIES;
  }
  listings.set(path, { stat: s, entries });
  return entries;
}

/** A listing's entries by name (memoised per listing: the listing changes with the folder). */
const listingNames = new WeakMap<readonly DirEntry[], ReadonlyMap<string, boolean>>();

/**
 * The names in a folder's listing, each mapped to whether it is a folder (empty when the folder is missing): one
 * cached listing per folder answers every name asked in it (module resolution tries many names per import, most of
 * them missing), where a stat per name would cost a system call for each. Names are matched exactly, as on Linux,
 * where Lambda runs.
 */
export function listedNames(dir: string): ReadonlyMap<string, boolean> {
  const entries = listDirectory(dir);
  let names = listingNames.get(entries);
  if (!names) listingNames.set(entries, (names = new Map(entries.map((e) => [e.name, e.isDirectory]))));
  return names;
}

/**
 * A key that changes whenever the file changes (its stat), for caches of what is computed from a file; undefined
 * when the file does not exist.
 */
export function fileVersion(path: string): FileStat | undefined {
  const s = stat(path);
  return s?.isFile ? s : undefined;
}
