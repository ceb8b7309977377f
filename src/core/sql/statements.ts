import type { Token } from './lexer.js';

export interface Statement {
  /** The statement's tokens, without the terminating `;`. */
  readonly tokens: readonly Token[];
  /** Offset of the first token in the SQL text. */
  readonly start: number;
  /** Offset after the last token. */
  readonly end: number;
}

const ROUTINE_KINDS = new Set(['PROCEDURE', 'FUNCTION', 'TRIGGER', 'EVENT']);
/** `END IF`, `END LOOP`, … close constructs that this splitter does not count. */
const UNCOUNTED_END = new Set(['IF', 'LOOP', 'WHILE', 'REPEAT', 'FOR']);

/**
 * Split a token list into statements on `;`, except inside parentheses and inside the compound body of a routine
 * definition (`CREATE PROCEDURE … BEGIN …; …; END`, PostgreSQL `BEGIN ATOMIC … END`) or a MariaDB
 * `BEGIN NOT ATOMIC … END` block, whose inner statements are not sent on their own.
 */
export function splitStatements(tokens: readonly Token[]): Statement[] {
  const statements: Statement[] = [];
  /** The current statement is `tokens[from]` up to the token being looked at. */
  let from = 0;
  let parens = 0;
  let blocks = 0;
  /** The current statement defines a routine, so BEGIN/CASE/END are counted. */
  let routine = false;
  let words = 0;

  /**
   * Ends the current statement before `to`; the next starts after it. A statement's tokens are copied once, at their
   * exact size (a text of one statement keeps the lexer's list).
   */
  const flush = (to: number): void => {
    if (to > from) {
      const own = from === 0 && to === tokens.length ? tokens : tokens.slice(from, to);
      statements.push({ tokens: own, start: own[0]!.start, end: own[own.length - 1]!.end });
    }
    from = to + 1;
    parens = 0;
    blocks = 0;
    routine = false;
    words = 0;
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === 'punct') {
      if (token.value === ';' && parens === 0 && blocks === 0) {
        flush(i);
        continue;
      }
      if (token.value === '(') parens++;
      else if (token.value === ')' && parens > 0) parens--;
    } else if (token.type === 'word') {
      words++;
      const value = token.value;
      if (words === 1 && value === 'BEGIN') {
        const next = tokens[i + 1];
        if (next?.type === 'word' && next.value === 'NOT' && tokens[i + 2]?.value === 'ATOMIC') {
          routine = true;
        }
      }
      if (!routine && words <= 12 && ROUTINE_KINDS.has(value) && firstWord(tokens, from) === 'CREATE') routine = true;
      if (routine) {
        if (value === 'BEGIN' || value === 'CASE') blocks++;
        else if (value === 'END' && blocks > 0) {
          const next = tokens[i + 1];
          if (!(next?.type === 'word' && UNCOUNTED_END.has(next.value))) blocks--;
        }
      }
    }
  }
  flush(tokens.length);
  return statements;
}

function firstWord(tokens: readonly Token[], from: number): string | undefined {
  for (let i = from; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === 'word') return token.value;
    if (token.type !== 'executableComment') return undefined;
  }
  return undefined;
}
