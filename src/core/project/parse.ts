/**
 * Parsing files other than the one being linted (helper modules, layers, CDK stacks, `serverless.ts`), in the module
 * kind Node.js runs the file as (core/module-kind.ts): JavaScript with ESLint's own parser and scope analysis
 * (espree and eslint-scope, as ESLint parses JavaScript by default; several times faster), TypeScript, and
 * JavaScript when ESLint's packages cannot be loaded (another host), with `@typescript-eslint/parser` (without the
 * type libraries' globals, which the analysis does not read). Parsers are loaded on first use, so projects that
 * never need another file never load them. A file that does not parse is undefined, never an error.
 */
import { createRequire } from 'node:module';
import type { TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { isTypeScriptFile, moduleKindFor, otherKind, type ModuleKind } from '../module-kind.js';
import type { VisitorKeys } from '../ast/walk.js';

export interface ParsedModule {
  readonly file: string;
  readonly text: string;
  readonly ast: TSESTree.Program;
  /** Undefined when the file was parsed without scope analysis (descriptors evaluated statically need none). */
  readonly scopeManager: TSESLint.Scope.ScopeManager | undefined;
  readonly visitorKeys: VisitorKeys;
  readonly sourceType: ModuleKind;
}

type ParseForESLint = (code: string, options: Record<string, unknown>) => {
  ast: TSESTree.Program;
  scopeManager: TSESLint.Scope.ScopeManager;
  visitorKeys: VisitorKeys;
};

type Parse = (code: string, options: Record<string, unknown>) => TSESTree.Program;

let parser: ParseForESLint | null | undefined;
let plainParser: { parse: Parse; visitorKeys: VisitorKeys } | null | undefined;

function loadParser(): ParseForESLint | null {
  if (parser === undefined) {
    try {
      const require = createRequire(import.meta.url);
      parser = (require('@typescript-eslint/parser') as { parseForESLint: ParseForESLint }).parseForESLint;
    } catch {
      parser = null;
    }
  }
  return parser;
}

/** The TypeScript parser without scope analysis or tokens, and its visitor keys. */
function loadPlainParser(): { parse: Parse; visitorKeys: VisitorKeys } | null {
  if (plainParser === undefined) {
    try {
      const require = createRequire(import.meta.url);
      const fromParser = createRequire(require.resolve('@typescript-eslint/parser'));
      // typescript-estree's own `parse`: the parser's `parse` would also analyse scopes and convert tokens.
      plainParser = {
        parse: (fromParser('@typescript-eslint/typescript-estree') as { parse: Parse }).parse,
        visitorKeys: (fromParser('@typescript-eslint/visitor-keys') as { visitorKeys: VisitorKeys }).visitorKeys,
      };
    } catch {
      plainParser = null;
    }
  }
  return plainParser;
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
  const first = moduleKindFor(file, text);
  const typescript = isTypeScriptFile(file);
  const jsx = !typescript || /\.tsx$/i.test(file);
  const js = typescript ? null : loadJavaScript();
  const plain = js || scope ? null : loadPlainParser();
  const ts = js || plain ? null : loadParser();
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
      if (plain) {
        const ast = plain.parse(text, { sourceType, jsx, range: true, loc: true, tokens: false, comment: false, filePath: file });
        setParents(ast, plain.visitorKeys);
        return { file, text, ast, scopeManager: undefined, visitorKeys: plain.visitorKeys, sourceType };
      }
      if (!ts) return undefined;
      const result = ts(text, {
        sourceType,
        ecmaVersion: 'latest',
        ecmaFeatures: { jsx },
        range: true,
        loc: true,
        tokens: false,
        comment: false,
        lib: [],
        filePath: file,
      });
      setParents(result.ast, result.visitorKeys);
      return { file, text, ast: result.ast, scopeManager: result.scopeManager, visitorKeys: result.visitorKeys, sourceType };
    } catch {
      // try the other kind
    }
  }
  // JavaScript that espree cannot read (Flow, TypeScript-only syntax in a .js file): the TypeScript parser.
  if (js && !typescript) {
    const fallback = loadParser();
    for (const sourceType of [first, otherKind(first)]) {
      try {
        const result = fallback?.(text, { sourceType, ecmaVersion: 'latest', ecmaFeatures: { jsx }, range: true, loc: true, lib: [], filePath: file });
        if (!result) return undefined;
        setParents(result.ast, result.visitorKeys);
        return { file, text, ast: result.ast, scopeManager: result.scopeManager, visitorKeys: result.visitorKeys, sourceType };
      } catch {
        // try the other kind
      }
    }
  }
  return undefined;
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
