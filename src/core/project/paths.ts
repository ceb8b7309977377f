/**
 * Where a module specifier or a handler path leads on disk: extensions and index files as Node.js and the
 * TypeScript bundlers resolve them, TypeScript's `.js`-for-`.ts` imports, build output mapped back to the sources
 * (`dist/src/app` → `src/app.ts`), `compilerOptions.paths` aliases of the nearest tsconfig (`@libs/db`), and
 * Lambda layer paths (`/opt/nodejs/db`) mapped to the folder of the repository that holds the layer.
 */
import { homedir } from 'node:os';
import path from 'node:path';
import { BoundedCache } from './cache.js';
import { isDirectory, isFile, listDirectory, listedNames, readText, fileVersion, type FileStat } from './fs.js';

/** Extensions of the source files a handler or an import may name, in the order bundlers try them. */
export const MODULE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;

/** Directories that hold no source of the project: dependencies, build output, deployment artefacts. */
export const IGNORED_DIRECTORIES = [
  'node_modules',
  'dist',
  'build',
  '.aws-sam',
  'cdk.out',
  '.serverless',
  'coverage',
  '.git',
] as const;
const ignored: ReadonlySet<string> = new Set(IGNORED_DIRECTORIES);

export function isIgnoredDirectory(name: string): boolean {
  return ignored.has(name);
}

/** A JavaScript or TypeScript source file's extension (`.js`, `.mts`, `.tsx`, …), any case. */
export const SOURCE_FILE = /\.[cm]?[jt]sx?$/i;
const DECLARATION_FILE = /\.d\.[cm]?ts$/i;

/**
 * The source file a path without (or with) an extension names: `db` → `db.ts`, `db.js` → `db.ts`, `lib` →
 * `lib/index.js`. Every candidate name is looked up in the folder's cached listing (see `listedNames`).
 */
export function resolveModuleFile(base: string): string | undefined {
  const names = listedNames(path.dirname(base));
  if (names.size === 0) return undefined;
  const name = path.basename(base);
  const isListedFile = (candidate: string): boolean => names.get(candidate) === false;
  if (SOURCE_FILE.test(name) && !DECLARATION_FILE.test(name) && isListedFile(name)) return base;
  for (const ext of MODULE_EXTENSIONS) if (isListedFile(name + ext)) return base + ext;
  // TypeScript's ESM imports name the compiled file: `./db.js` is `./db.ts` in the sources.
  const js = /\.([cm]?)jsx?$/i.exec(name);
  if (js) {
    const stem = name.slice(0, -js[0].length);
    for (const ext of [`.${js[1]}ts`, `.${js[1]}tsx`]) if (isListedFile(stem + ext)) return base.slice(0, -js[0].length) + ext;
  }
  if (names.get(name) === true) {
    const manifest = readText(path.join(base, 'package.json'));
    if (manifest) {
      try {
        const main = (JSON.parse(manifest) as { main?: unknown }).main;
        if (typeof main === 'string') {
          const resolved = resolveModuleFile(path.join(base, main));
          if (resolved) return resolved;
        }
      } catch {
        // not a manifest we can read
      }
    }
    const inside = listedNames(base);
    for (const ext of MODULE_EXTENSIONS) if (inside.get(`index${ext}`) === false) return path.join(base, `index${ext}`);
  }
  return undefined;
}

/** First path segments that name build output rather than sources: `dist/src/app` is compiled from `src/app`. */
const BUILD_SEGMENT = /^(?:dist|build|out|\.build|\.webpack|\.esbuild|\.aws-sam|lib-cjs|lib-esm)(?:[-_.][\w-]+)?$/i;

/**
 * A Lambda handler string (`src/users.get`, `index.handler`, `dist/app.main`) relative to `dir`: the module file and
 * the export. The module is the text up to the first dot after the last slash, as the Node.js runtime splits it.
 */
export function resolveHandler(dir: string, handler: string): { file: string; exportName: string } | undefined {
  const slash = handler.lastIndexOf('/');
  const dot = handler.indexOf('.', slash + 1);
  if (dot <= slash + 1 || dot === handler.length - 1) return undefined;
  const modulePath = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1).split('.')[0]!;
  if (!/^[A-Za-z_$][\w$]*$/.test(exportName)) return undefined;
  const file = resolveSourcePath(dir, modulePath);
  return file ? { file, exportName } : undefined;
}

/**
 * The paths a deployment tool's path may stand for in the sources: itself, and when it starts with a build
 * folder (`dist/src/app`, `build/lambda`, `dist-functions/x`), the same path without it and with `src/` instead.
 */
function sourceCandidates(dir: string, relative: string): string[] {
  const clean = relative.replace(/^\.\//, '');
  const out = [path.resolve(dir, clean)];
  const segments = clean.split('/');
  if (segments.length > 1 && BUILD_SEGMENT.test(segments[0]!)) {
    const rest = segments.slice(1).join('/');
    out.push(path.resolve(dir, rest));
    if (segments[1] !== 'src') out.push(path.resolve(dir, 'src', rest));
  }
  return out;
}

/** A module path as a deployment tool names it, also when it names build output whose sources sit elsewhere. */
export function resolveSourcePath(dir: string, modulePath: string): string | undefined {
  for (const candidate of sourceCandidates(dir, modulePath)) {
    const resolved = resolveModuleFile(candidate);
    if (resolved) return resolved;
  }
  return undefined;
}

/** A code folder as a deployment tool names it (`CodeUri: dist/src/fn`), mapped to the sources when it is build output. */
export function resolveSourceDir(dir: string, relative: string): string | undefined {
  return sourceCandidates(dir, relative).find((candidate) => isDirectory(candidate));
}

// ---------------------------------------------------------------------------------------------------------------
// tsconfig paths

interface PathAliases {
  readonly baseUrl: string;
  readonly paths: ReadonlyArray<readonly [string, readonly string[]]>;
  /** Bare specifiers resolve against `baseUrl` too (`import x from 'src/handlers'`). */
  readonly fromBaseUrl: boolean;
}

const tsconfigs = new BoundedCache<string, { version: FileStat; aliases: PathAliases | null }>('tsconfig', 500);
const nearestTsconfig = new BoundedCache<string, string | null>('tsconfig-lookup', 5_000);

/** `compilerOptions` of a tsconfig file, following relative `extends` (JSON with comments and trailing commas). */
function readTsconfig(file: string, depth = 0): { baseUrl?: string; paths?: Record<string, string[]>; explicitBaseUrl?: boolean } | undefined {
  if (depth > 5) return undefined;
  const text = readText(file);
  if (text === undefined) return undefined;
  const json = parseJsonc(text) as { extends?: unknown; compilerOptions?: Record<string, unknown> } | undefined;
  if (!json || typeof json !== 'object') return undefined;
  let base: { baseUrl?: string; paths?: Record<string, string[]>; explicitBaseUrl?: boolean } = {};
  const extendsList = Array.isArray(json.extends) ? json.extends : json.extends ? [json.extends] : [];
  for (const ext of extendsList) {
    if (typeof ext !== 'string' || !ext.startsWith('.')) continue;
    const target = path.resolve(path.dirname(file), ext.endsWith('.json') ? ext : `${ext}.json`);
    const inherited = readTsconfig(target, depth + 1);
    if (inherited) base = { ...base, ...inherited };
  }
  const options = json.compilerOptions ?? {};
  const out = { ...base };
  if (typeof options.baseUrl === 'string') {
    out.baseUrl = path.resolve(path.dirname(file), options.baseUrl);
    out.explicitBaseUrl = true;
  }
  if (options.paths && typeof options.paths === 'object') {
    out.paths = options.paths as Record<string, string[]>;
    // `paths` without `baseUrl` are relative to the file that declares them.
    out.baseUrl ??= path.dirname(file);
  }
  return out;
}

function aliasesOf(file: string): PathAliases | null {
  const version = fileVersion(file);
  if (!version) return null;
  const cached = tsconfigs.get(file);
  if (cached?.version === version) return cached.aliases;
  const options = readTsconfig(file);
  const aliases: PathAliases | null = options?.baseUrl
    ? {
        baseUrl: options.baseUrl,
        paths: Object.entries(options.paths ?? {}).filter((e): e is [string, string[]] => Array.isArray(e[1])),
        fromBaseUrl: options.explicitBaseUrl === true,
      }
    : null;
  tsconfigs.set(file, { version, aliases });
  return aliases;
}

/** The nearest `tsconfig.json` (or `jsconfig.json`) at or above `dir`, up to `root`. */
function tsconfigFor(dir: string, root: string): string | undefined {
  const key = `${dir}\0${root}`;
  const cached = nearestTsconfig.get(key);
  if (cached !== undefined) return cached ?? undefined;
  let found: string | null = null;
  for (let current = dir; ; current = path.dirname(current)) {
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      if (isFile(path.join(current, name))) {
        found = path.join(current, name);
        break;
      }
    }
    if (found || current === root || path.dirname(current) === current || !isInside(current, root)) break;
  }
  nearestTsconfig.set(key, found);
  return found ?? undefined;
}

export function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** A bare specifier through the `paths` of the nearest tsconfig: `@libs/db` → `src/libs/db.ts`. */
function resolveAlias(specifier: string, fromDir: string, root: string): string | undefined {
  const config = tsconfigFor(fromDir, root);
  const aliases = config ? aliasesOf(config) : null;
  if (!aliases) return undefined;
  for (const [pattern, targets] of aliases.paths) {
    const star = pattern.indexOf('*');
    let rest: string | undefined;
    if (star < 0) rest = pattern === specifier ? '' : undefined;
    else {
      const prefix = pattern.slice(0, star);
      const suffix = pattern.slice(star + 1);
      if (specifier.startsWith(prefix) && specifier.endsWith(suffix) && specifier.length >= prefix.length + suffix.length) {
        rest = specifier.slice(prefix.length, specifier.length - suffix.length);
      }
    }
    if (rest === undefined) continue;
    for (const target of targets) {
      const resolved = resolveModuleFile(path.resolve(aliases.baseUrl, target.replace('*', rest)));
      if (resolved) return resolved;
    }
  }
  return aliases.fromBaseUrl ? resolveModuleFile(path.resolve(aliases.baseUrl, specifier)) : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Layers

const HOME = (() => {
  try {
    return homedir();
  } catch {
    return undefined;
  }
})();

const layerLookups = new BoundedCache<string, string | null>('layer-lookup', 2_000);

/**
 * `/opt/<rest>` from a function in `fromDir`: `<rest>` under the content folder of a layer the deployment descriptors
 * declare, else under a layer folder laid out as Lambda mounts it (a folder holding `nodejs/`, such as
 * `layers/db/nodejs/…`, `mysql-layer/nodejs/…`, or Amplify's `<layer>/lib/nodejs/…`) found beside the function's
 * folders, up to `limit` (the project root; when the root has no `.git`, up to two folders above it, since
 * function folders with a `package.json` each are often the roots and the layer folder sits beside them).
 */
export function resolveLayerPath(
  rest: string,
  fromDir: string,
  limit: string,
  declaredLayers: readonly string[],
): string | undefined {
  for (const content of declaredLayers) {
    const resolved = resolveModuleFile(path.join(content, rest));
    if (resolved) return resolved;
  }
  if (!rest.startsWith('nodejs/')) return undefined;
  const key = `${rest}\0${fromDir}\0${limit}`;
  const cached = layerLookups.get(key);
  if (cached !== undefined) return cached ?? undefined;
  const inner = rest.slice('nodejs/'.length);
  let top = limit;
  if (!listDirectory(limit).some((e) => e.name === '.git')) {
    for (let i = 0; i < 2 && path.dirname(top) !== top && path.dirname(top) !== HOME; i++) top = path.dirname(top);
  }
  let found: string | null = null;
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    found = searchLayerFolders(dir, inner) ?? null;
    if (found || dir === top || path.dirname(dir) === dir || !isInside(dir, top)) break;
  }
  layerLookups.set(key, found);
  return found ?? undefined;
}

/** `<dir>/<a>/nodejs/<inner>`, `<dir>/<a>/<b>/nodejs/<inner>` (folders at most two levels below `dir`). */
function searchLayerFolders(dir: string, inner: string): string | undefined {
  for (const a of listDirectory(dir)) {
    if (!a.isDirectory || isIgnoredDirectory(a.name) || a.name.startsWith('.')) continue;
    const first = path.join(dir, a.name);
    if (a.name === 'nodejs') continue;
    const direct = tryLayer(first, inner);
    if (direct) return direct;
    for (const b of listDirectory(first)) {
      if (!b.isDirectory || isIgnoredDirectory(b.name) || b.name.startsWith('.') || b.name === 'nodejs') continue;
      const nested = tryLayer(path.join(first, b.name), inner);
      if (nested) return nested;
    }
  }
  return undefined;
}

function tryLayer(folder: string, inner: string): string | undefined {
  if (!listDirectory(folder).some((e) => e.isDirectory && e.name === 'nodejs')) return undefined;
  return resolveModuleFile(path.join(folder, 'nodejs', inner));
}

// ---------------------------------------------------------------------------------------------------------------

export interface SpecifierContext {
  /** The project root: aliases and layer folders are looked for up to it. */
  readonly root: string;
  /** Content folders of the layers the descriptors declare (mounted at `/opt`); read only when a layer path is. */
  layers(): readonly string[];
}

/**
 * The source file an import or `require` names, for relative paths, layer paths (`/opt/...`) and tsconfig
 * aliases; undefined for packages and anything that does not resolve inside the project.
 */
export function resolveSpecifier(specifier: string, fromFile: string, context: SpecifierContext): string | undefined {
  const fromDir = path.dirname(fromFile);
  if (specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..') {
    return resolveModuleFile(path.resolve(fromDir, specifier));
  }
  if (specifier.startsWith('/opt/')) {
    return resolveLayerPath(specifier.slice('/opt/'.length), fromDir, context.root, context.layers());
  }
  if (specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  return resolveAlias(specifier, fromDir, context.root);
}

const IMPORT_SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"\n]+)['"]/g;

/** Module specifiers of the file's imports and requires that can be local (relative paths and aliases). */
export function importSpecifiers(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(IMPORT_SPECIFIER)) {
    const specifier = match[1]!;
    if (specifier.startsWith('node:')) continue;
    out.push(specifier);
  }
  return out;
}

/** JSON with comments and trailing commas (tsconfig files), or undefined. */
export function parseJsonc(text: string): unknown {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  try {
    return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
  } catch {
    return undefined;
  }
}
