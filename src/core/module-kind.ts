/**
 * How Node.js runs a file, which decides how it must be parsed: a `.cjs` file, or a `.js` file under a CommonJS
 * `package.json` that has no `import`/`export`, is a sloppy-mode script (where `delete x`, `with` and legacy octal
 * literals are valid); an ES module is strict. Used by the `lambda-rds` command and the codemods, which read files
 * from disk; an editor's ESLint has its own configuration for this.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export type ModuleKind = 'module' | 'commonjs';

export function isTypeScriptFile(file: string): boolean {
  return /\.[cm]?tsx?$/i.test(file);
}

/**
 * `import` or `export` declarations (not `import()` or `import x = require()`), or `import.meta`, at the start of
 * a line. A cheap test: when it is wrong, parsing with the other kind follows (see `otherKind`).
 */
const MODULE_SYNTAX =
  /^[ \t]*(?:import\s*(?:["'{*]|type\s|[\w$]+\s*(?:,|from\b))|import\.meta\b|export\s*(?:[{*]|default\b|(?:async\s+)?function\b|class\b|const\b|let\b|var\b|enum\b|type\b|interface\b|declare\b|abstract\b|=))/m;

export function hasModuleSyntax(text: string): boolean {
  return MODULE_SYNTAX.test(text);
}

const packageTypes = new Map<string, ModuleKind>();

/** `"type"` of the nearest `package.json` above the file (`commonjs` when it has none), cached per directory. */
export function nearestPackageType(file: string): ModuleKind {
  const visited: string[] = [];
  let dir = path.dirname(path.resolve(file));
  let kind: ModuleKind = 'commonjs';
  for (;;) {
    const cached = packageTypes.get(dir);
    if (cached) {
      kind = cached;
      break;
    }
    visited.push(dir);
    let manifest: string | undefined;
    try {
      manifest = readFileSync(path.join(dir, 'package.json'), 'utf8');
    } catch {
      manifest = undefined;
    }
    if (manifest !== undefined) {
      try {
        kind = (JSON.parse(manifest) as { type?: unknown }).type === 'module' ? 'module' : 'commonjs';
      } catch {
        kind = 'commonjs';
      }
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const d of visited) packageTypes.set(d, kind);
  return kind;
}

/**
 * The module kind Node.js gives the file: by extension (`.mjs`/`.mts` modules, `.cjs`/`.cts` CommonJS), else a file
 * with `import`/`export` is a module (TypeScript and bundlers compile those), else the `package.json` type decides.
 */
export function moduleKindFor(file: string, text: string, packageType: () => ModuleKind = () => nearestPackageType(file)): ModuleKind {
  if (/\.m[jt]s$/i.test(file)) return 'module';
  if (/\.c[jt]s$/i.test(file)) return 'commonjs';
  if (hasModuleSyntax(text)) return 'module';
  return packageType();
}

export function otherKind(kind: ModuleKind): ModuleKind {
  return kind === 'module' ? 'commonjs' : 'module';
}

export interface ParseAttempt {
  /** `default`: ESLint's own parser (espree), as editors parse JavaScript; `typescript`: `@typescript-eslint/parser`. */
  readonly parser: 'default' | 'typescript';
  readonly sourceType: ModuleKind;
  readonly jsx: boolean;
}

/**
 * The ways to parse a file, most faithful first: JavaScript with ESLint's own parser in the module kind Node.js
 * gives it, then the other kind; then the TypeScript parser (JavaScript with Flow or TypeScript-only syntax, and
 * every TypeScript file), in the same order.
 */
export function parseAttempts(file: string, text: string, packageType?: () => ModuleKind): ParseAttempt[] {
  const kind = moduleKindFor(file, text, packageType);
  const kinds: ModuleKind[] = [kind, otherKind(kind)];
  const ts = isTypeScriptFile(file);
  const jsx = !ts || /\.tsx$/i.test(file);
  const attempts: ParseAttempt[] = [];
  if (!ts) for (const sourceType of kinds) attempts.push({ parser: 'default', sourceType, jsx });
  for (const sourceType of kinds) attempts.push({ parser: 'typescript', sourceType, jsx });
  return attempts;
}

/** What a host says of one file's lint: its messages' rule, fatality and text. */
interface HostMessage {
  readonly ruleId: string | null;
  readonly fatal?: boolean;
  readonly message: string;
}

/**
 * The message that says a file did not parse, among the messages of one lint: the parser's error, which ESLint
 * reports as a fatal message starting with "Parsing error". Other fatal messages are about the file's own inline
 * configuration comments (ESLint 10 rejects every `/* eslint-env *\/` comment; a `/* eslint … *\/` comment may not
 * read as JSON): the file was parsed and the rules ran, so their findings stand.
 */
export function parseFailure<M extends HostMessage>(messages: readonly M[]): M | undefined {
  return messages.find((message) => message.fatal === true && message.ruleId === null && message.message.startsWith('Parsing error'));
}
