/**
 * Parsing files other than the one being linted (helper modules, layers, CDK stacks, `serverless.ts`), in the module
 * kind Node.js runs the file as (core/module-kind.ts): JavaScript with ESLint's own parser and scope analysis
 * (espree and eslint-scope, as ESLint parses JavaScript by default; several times faster), TypeScript, and
 * JavaScript when ESLint's packages cannot be loaded (another host), with the packages `@typescript-eslint/parser`
 * is made of: typescript-estree without tokens or comments, which the analysis never reads, and the scope manager
 * without the type libraries' globals. Parsers are loaded on first use, so projects that never need another file
 * never load them. A file that does not parse is undefined, never an error.
 *
 * A file the host has already linted is not parsed again: the host's own parse is used while it still holds the
 * text on disk (`keepHostParse`).
 */
import { createRequire } from 'node:module';
import type { TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { isTypeScriptFile, moduleKindFor, otherKind, type ModuleKind } from '../module-kind.js';
import { isModuleScope } from '../ast/scope.js';
import type { VisitorKeys } from '../ast/walk.js';
import { BoundedCache } from './cache.js';

/**
 * The bound on the text of the parses a cache keeps. A parse takes far more memory than its text: ESLint's parse of
 * the bench's files (tree with locations, tokens, comments, scopes) held some 180 bytes per byte of text, so 512 KB
 * of text is some 90 MB. Half of it (a generation of the cache) holds the largest module the cross-file analysis
 * reads (`MAX_MODULE_BYTES`); the helpers and stacks of all 80 projects of the real-code bench, linted in one
 * process, come to some 100 KB.
 */
export const PARSE_TEXT_BOUND = 512 * 1024;
const PARSE_WEIGHT = { max: PARSE_TEXT_BOUND, of: (sourceCode: Readonly<TSESLint.SourceCode>) => sourceCode.text.length };

export interface ParsedModule {
  readonly file: string;
  readonly text: string;
  readonly ast: TSESTree.Program;
  /** Undefined when the file was parsed without scope analysis (descriptors evaluated statically need none). */
  readonly scopeManager: TSESLint.Scope.ScopeManager | undefined;
  readonly visitorKeys: VisitorKeys;
  readonly sourceType: ModuleKind;
}

type Parse = (code: string, options: Record<string, unknown>) => TSESTree.Program;
type Analyze = (ast: TSESTree.Program, options: Record<string, unknown>) => TSESLint.Scope.ScopeManager;

/** The TypeScript parser without tokens or comments, its scope analysis and visitor keys. */
interface TypeScriptParser {
  parse: Parse;
  analyze: Analyze;
  visitorKeys: VisitorKeys;
}

let typescript: TypeScriptParser | null | undefined;

/**
 * typescript-estree's `parse` and scope-manager's `analyze`, as `@typescript-eslint/parser` has them: the parser's
 * own `parseForESLint` would also convert every token and comment, which the analysis never reads.
 */
function loadTypeScript(): TypeScriptParser | null {
  if (typescript === undefined) {
    try {
      const require = createRequire(import.meta.url);
      const fromParser = createRequire(require.resolve('@typescript-eslint/parser'));
      typescript = {
        parse: (fromParser('@typescript-eslint/typescript-estree') as { parse: Parse }).parse,
        analyze: (fromParser('@typescript-eslint/scope-manager') as { analyze: Analyze }).analyze,
        visitorKeys: (fromParser('@typescript-eslint/visitor-keys') as { visitorKeys: VisitorKeys }).visitorKeys,
      };
    } catch {
      typescript = null;
    }
  }
  return typescript;
}

interface Espree {
  parse(text: string, options: Record<string, unknown>): TSESTree.Program;
  VisitorKeys: VisitorKeys;
  latestEcmaVersion: number;
}
interface EslintScope {
  analyze(ast: TSESTree.Program, options: Record<string, unknown>): TSESLint.Scope.ScopeManager;
}

let javascript: { espree: Espree; scope: EslintScope } | null | undefined;

/** espree and eslint-scope as ESLint itself has them (undefined outside an ESLint install). */
function loadJavaScript(): { espree: Espree; scope: EslintScope } | null {
  if (javascript === undefined) {
    try {
      const fromHere = createRequire(import.meta.url);
      const fromEslint = createRequire(fromHere.resolve('eslint/package.json'));
      javascript = { espree: fromEslint('espree') as Espree, scope: fromEslint('eslint-scope') as EslintScope };
    } catch {
      javascript = null;
    }
  }
  return javascript;
}

/**
 * Parses a file as Node.js runs it (the other module kind when that fails), or undefined. Without `scope`, no scope
 * analysis is done (cheaper; for code that is only evaluated statically).
 */
export function parseFile(file: string, text: string, scope = true): ParsedModule | undefined {
  const kept = hostParse(file, text, scope);
  if (kept) return kept;
  const first = moduleKindFor(file, text);
  const typescriptFile = isTypeScriptFile(file);
  const jsx = !typescriptFile || /\.tsx$/i.test(file);
  const js = typescriptFile ? null : loadJavaScript();
  const ts = js ? null : loadTypeScript();
  for (const sourceType of [first, otherKind(first)]) {
    try {
      if (js) {
        const ast = js.espree.parse(text, { sourceType, ecmaVersion: 'latest', ecmaFeatures: { jsx }, range: true, loc: true });
        const scopeManager = scope
          ? js.scope.analyze(ast, {
              ignoreEval: true,
              ecmaVersion: js.espree.latestEcmaVersion,
              sourceType,
              childVisitorKeys: js.espree.VisitorKeys,
              jsx,
            })
          : undefined;
        setParents(ast, js.espree.VisitorKeys);
        return { file, text, ast, scopeManager, visitorKeys: js.espree.VisitorKeys, sourceType };
      }
      if (!ts) return undefined;
      return parseTypeScript(ts, file, text, sourceType, jsx, scope);
    } catch {
      // try the other kind
    }
  }
  // JavaScript that espree cannot read (Flow, TypeScript-only syntax in a .js file): the TypeScript parser.
  if (js && !typescriptFile) {
    const fallback = loadTypeScript();
    if (!fallback) return undefined;
    for (const sourceType of [first, otherKind(first)]) {
      try {
        return parseTypeScript(fallback, file, text, sourceType, jsx, scope);
      } catch {
        // try the other kind
      }
    }
  }
  return undefined;
}

/**
 * The host's parses of files it linted that the project knowledge may read later (a helper module linted before
 * the handler that imports it, a `serverless.ts` or CDK stack before the handlers it declares), by path. ESLint
 * makes a new `sourceCode` for every file; oxlint hands every file the same object, which then describes the file
 * linted last: so a kept parse is used only while its text is the file's text on disk (which also leaves out an
 * editor's unsaved text).
 */
const hostParses = new BoundedCache<string, Readonly<TSESLint.SourceCode>>('host-parse', 64, PARSE_WEIGHT);

/** Keeps the host's parse of a file it lints, for `parseFile` of the same file and text later. */
export function keepHostParse(file: string, sourceCode: Readonly<TSESLint.SourceCode>): void {
  hostParses.set(file, sourceCode);
}

/**
 * The kept host parse of the file, if it still holds `text`. With scope analysis, only when the host parsed the file
 * as the module kind Node.js runs it as (ESLint's flat config reads every `.js` file as a module, where a CommonJS
 * file's top-level names are in a function scope of their own). The host's scope analysis of TypeScript declares
 * the type libraries' globals too; like every global without a declaration in the file, the analysis passes over
 * them.
 */
function hostParse(file: string, text: string, scope: boolean): ParsedModule | undefined {
  const sourceCode = hostParses.get(file);
  if (!sourceCode || sourceCode.text !== text) return undefined;
  const { ast, scopeManager, visitorKeys } = sourceCode;
  if (!ast || !visitorKeys) return undefined;
  const sourceType: ModuleKind = ast.sourceType === 'module' ? 'module' : 'commonjs';
  if (scope) {
    if (!scopeManager?.globalScope || sourceType !== moduleKindFor(file, text)) return undefined;
    if (sourceType === 'commonjs' && !isNodeScope(scopeManager)) return undefined;
  }
  return { file, text, ast, scopeManager: scope ? scopeManager! : undefined, visitorKeys: visitorKeys as VisitorKeys, sourceType };
}

/** Whether a script's scope analysis gave the file a function scope of its own, as Node.js runs CommonJS. */
function isNodeScope(scopeManager: TSESLint.Scope.ScopeManager): boolean {
  return scopeManager.globalScope!.childScopes.some((s) => s.type === 'function' && isModuleScope(s));
}

function parseTypeScript(
  ts: TypeScriptParser,
  file: string,
  text: string,
  sourceType: ModuleKind,
  jsx: boolean,
  scope: boolean,
): ParsedModule {
  const ast = ts.parse(text, { sourceType, jsx, range: true, loc: true, tokens: false, comment: false, filePath: file });
  // No type libraries: their globals are never read by the analysis.
  const scopeManager = scope ? ts.analyze(ast, { sourceType, lib: [], childVisitorKeys: ts.visitorKeys }) : undefined;
  setParents(ast, ts.visitorKeys);
  return { file, text, ast, scopeManager, visitorKeys: ts.visitorKeys, sourceType };
}

/** `parent` on every node, as ESLint sets it while it traverses a file it lints (the analysis relies on it). */
function setParents(root: TSESTree.Node, visitorKeys: VisitorKeys): void {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const key of visitorKeys[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      const children = Array.isArray(child) ? child : [child];
      for (const c of children) {
        if (c && typeof (c as TSESTree.Node).type === 'string') {
          (c as { parent?: TSESTree.Node }).parent = node;
          stack.push(c as TSESTree.Node);
        }
      }
    }
  }
}

/**
 * What the shared analysis needs of ESLint's `SourceCode`, for a parsed file that is not the one being linted.
 */
export function sourceCodeOf(parsed: ParsedModule & { scopeManager: TSESLint.Scope.ScopeManager }): Readonly<TSESLint.SourceCode> {
  const { text, ast, scopeManager, visitorKeys } = parsed;
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  return {
    text,
    ast,
    scopeManager,
    visitorKeys,
    lines: text.split('\n'),
    getText(node?: TSESTree.Node) {
      return node ? text.slice(node.range[0], node.range[1]) : text;
    },
    getLocFromIndex(index: number) {
      let lo = 0;
      let hi = lineStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (lineStarts[mid]! <= index) lo = mid;
        else hi = mid - 1;
      }
      return { line: lo + 1, column: index - lineStarts[lo]! };
    },
    getCommentsInside() {
      return [];
    },
  } as unknown as Readonly<TSESLint.SourceCode>;
}
