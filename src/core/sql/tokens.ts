import type { Token } from './lexer.js';

/** Token predicates and small scanners shared by the classifiers. */

export function isWord(token: Token | undefined, ...values: string[]): token is Token & { readonly type: 'word' } {
  return token?.type === 'word' && (values.length === 0 || values.includes(token.value));
}

export function isPunct(token: Token | undefined, value: string): token is Token & { readonly type: 'punct' } {
  return token?.type === 'punct' && token.value === value;
}

/** Index of the first token that is not `(` nor an executable-comment opener: where the statement's verb is. */
export function verbIndex(tokens: readonly Token[]): number {
  let i = 0;
  while (i < tokens.length && (isPunct(tokens[i], '(') || tokens[i]!.type === 'executableComment')) i++;
  return i;
}

/**
 * The index after a (possibly qualified) name starting at `from`: `name`, `"name"`, `a.b`, `` `a`.`b` ``, or a
 * placeholder. Returns `from` when there is no name there.
 */
export function nameEnd(tokens: readonly Token[], from: number): number {
  let i = from;
  for (;;) {
    const token = tokens[i];
    if (!token || (token.type !== 'word' && token.type !== 'quotedIdentifier' && token.type !== 'placeholder')) {
      return i;
    }
    i++;
    if (!isPunct(tokens[i], '.')) return i;
    i++;
  }
}

/**
 * Split the tokens of a call's argument list into arguments. `open` is the index of the `(`; returns the
 * arguments' token ranges (half-open index pairs) and the index of the closing `)`.
 */
export function callArguments(tokens: readonly Token[], open: number): { args: Array<[number, number]>; close: number } {
  const args: Array<[number, number]> = [];
  let depth = 0;
  let argStart = open + 1;
  for (let i = open; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type !== 'punct') continue;
    if (token.value === '(' || token.value === '[') depth++;
    else if (token.value === ')' || token.value === ']') {
      depth--;
      if (depth === 0) {
        if (i > argStart) args.push([argStart, i]);
        return { args, close: i };
      }
    } else if (token.value === ',' && depth === 1) {
      args.push([argStart, i]);
      argStart = i + 1;
    }
  }
  if (tokens.length > argStart) args.push([argStart, tokens.length]);
  return { args, close: tokens.length };
}

/** A word followed by `(`: a function call, unless qualified by a schema other than `allowedQualifier`. */
export function isFunctionCall(tokens: readonly Token[], i: number, allowedQualifier: string): boolean {
  if (!isPunct(tokens[i + 1], '(')) return false;
  if (isPunct(tokens[i - 1], '.')) {
    const qualifier = tokens[i - 2];
    return qualifier?.type === 'word' && qualifier.value === allowedQualifier;
  }
  return true;
}
