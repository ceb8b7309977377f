/**
 * Parsing files other than the one being linted (helper modules, layers, CDK stacks, `serverless.ts`): with
 * `@typescript-eslint/parser`, which reads JavaScript, TypeScript and JSX alike and gives the scopes the analysis
 * needs, in the module kind Node.js runs the file as (core/module-kind.ts). The parser is loaded on first use, so
 * projects that never need another file never load it. A file that does not parse is undefined, never an error.
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
  readonly scopeManager: TSESLint.Scope.ScopeManager;
  readonly visitorKeys: VisitorKeys;
  readonly sourceType: ModuleKind;
}

type ParseForESLint = (code: string, options: Record<string, unknown>) => {
  ast: TSESTree.Program;
  scopeManager: TSESLint.Scope.ScopeManager;
  visitorKeys: VisitorKeys;
};

let parser: ParseForESLint | null | undefined;

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

/** Parses a file as Node.js runs it (the other module kind when that fails), or undefined. */
export function parseFile(file: string, text: string): ParsedModule | undefined {
  const parse = loadParser();
  if (!parse) return undefined;
  const first = moduleKindFor(file, text);
  const jsx = !isTypeScriptFile(file) || /\.tsx$/i.test(file);
  for (const sourceType of [first, otherKind(first)]) {
    try {
      const result = parse(text, {
        sourceType,
        ecmaVersion: 'latest',
        ecmaFeatures: { jsx },
        range: true,
        loc: true,
        tokens: false,
        comment: false,
        filePath: file,
      });
      setParents(result.ast, result.visitorKeys);
      return { file, text, ast: result.ast, scopeManager: result.scopeManager, visitorKeys: result.visitorKeys, sourceType };
    } catch {
      // try the other kind
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
export function sourceCodeOf(parsed: ParsedModule): Readonly<TSESLint.SourceCode> {
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
