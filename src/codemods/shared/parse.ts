import { createRequire } from 'node:module';
import type { API, Collection, JSCodeshift } from 'jscodeshift';

const require = createRequire(import.meta.url);
const getParser = require('jscodeshift/src/getParser.js') as (name: string) => { parse(code: string): unknown };

export type ParserName = 'ts' | 'tsx' | 'babylon';

/** The jscodeshift parser for a file, by its extension: TypeScript, TSX, or Babel with JSX and Flow. */
export function parserFor(path: string): ParserName {
  if (/\.tsx$/i.test(path)) return 'tsx';
  if (/\.[cm]?ts$/i.test(path)) return 'ts';
  return 'babylon';
}

export function jscodeshiftFor(api: API, path: string): JSCodeshift {
  return api.jscodeshift.withParser(parserFor(path));
}

/**
 * Parses a file with jscodeshift's parser for its extension, without recast's reprinting layer, so every
 * node's `start`/`end` are exact offsets in the text as given (recast expands tabs and line endings before
 * parsing, which would shift them). Edits are applied to the text at those offsets.
 */
export function parseFile(j: JSCodeshift, path: string, text: string): Collection<unknown> {
  const ast = getParser(parserFor(path)).parse(text);
  return j(ast as never) as Collection<unknown>;
}
