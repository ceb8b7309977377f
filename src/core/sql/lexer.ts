/**
 * A small SQL lexer for the two engine families RDS Proxy pins on by SQL text: PostgreSQL and MySQL/MariaDB.
 *
 * It exists because the SQL the linter sees is partial: template interpolations become placeholders, queries are
 * built by concatenation, and drivers add their own parameter syntax (`$1`, `?`, `:name`). General-purpose SQL
 * parsers reject such text or need the whole statement; the pinning checks only need tokens (comments, strings
 * and quoted identifiers told apart from code) and statement boundaries.
 *
 * One hand-written pass over the text, linear in its length: no regular expression is applied to the SQL.
 */

export type Dialect = 'postgresql' | 'mysql';

/** The character that stands for a JavaScript interpolation (`${…}` or a non-static `+` operand) in SQL text. */
export const PLACEHOLDER = '\uE000';
const PLACEHOLDER_CODE = 0xe000;

export type TokenType =
  /** Keyword or unquoted identifier; `value` is upper-cased. */
  | 'word'
  /** `"…"` (PostgreSQL, and MySQL with ANSI_QUOTES off never) or `` `…` `` (MySQL); `value` is the name. */
  | 'quotedIdentifier'
  /** Any string literal (`'…'`, `E'…'`, `$tag$…$tag$`, MySQL `"…"`); `value` is its content. */
  | 'string'
  | 'number'
  /** Driver or server parameter: `$1` (PostgreSQL), `?` (MySQL). */
  | 'parameter'
  /** A JavaScript interpolation. */
  | 'placeholder'
  /** MySQL user variable `@name`; `value` is the lower-cased name without `@`. */
  | 'userVariable'
  /** MySQL system variable `@@name`, `@@session.name`; `value` is the lower-cased text after `@@`. */
  | 'systemVariable'
  /** `(`, `)`, `,`, `.`, `;` and operators (`=`, `:=`, `::`, …); `value` is the text. */
  | 'punct'
  /** MySQL/MariaDB executable comment opener `/*!…` or `/*M!…`; its content is lexed as code. */
  | 'executableComment';

export interface Token {
  readonly type: TokenType;
  /** Offset of the first character in the SQL text. */
  readonly start: number;
  /** Offset after the last character. */
  readonly end: number;
  readonly value: string;
}

const enum C {
  TAB = 9,
  LF = 10,
  CR = 13,
  SPACE = 32,
  BANG = 33,
  DQUOTE = 34,
  HASH = 35,
  DOLLAR = 36,
  AMP = 38,
  SQUOTE = 39,
  STAR = 42,
  MINUS = 45,
  DOT = 46,
  SLASH = 47,
  ZERO = 48,
  NINE = 57,
  COLON = 58,
  EQUALS = 61,
  QUESTION = 63,
  AT = 64,
  UPPER_A = 65,
  UPPER_E = 69,
  UPPER_M = 77,
  UPPER_Z = 90,
  BACKSLASH = 92,
  UNDERSCORE = 95,
  BACKTICK = 96,
  LOWER_A = 97,
  LOWER_Z = 122,
}

function isDigit(c: number): boolean {
  return c >= C.ZERO && c <= C.NINE;
}

function isIdentStart(c: number): boolean {
  return (
    (c >= C.UPPER_A && c <= C.UPPER_Z) ||
    (c >= C.LOWER_A && c <= C.LOWER_Z) ||
    c === C.UNDERSCORE ||
    (c >= 0x80 && c !== PLACEHOLDER_CODE)
  );
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c) || c === C.DOLLAR;
}

function isSpace(c: number): boolean {
  return c === C.SPACE || (c >= C.TAB && c <= C.CR);
}

/**
 * Split SQL text into tokens. Comments and white space are dropped, except MySQL executable comments whose
 * opener is kept as a token and whose content is lexed as code. Unterminated strings, identifiers and comments
 * run to the end of the text (partial SQL must not throw).
 */
export function lex(text: string, dialect: Dialect): Token[] {
  const tokens: Token[] = [];
  const length = text.length;
  const mysql = dialect === 'mysql';
  let i = 0;
  /** Inside a MySQL executable comment: `*\/` closes it. */
  let inExecutable = false;

  const push = (type: TokenType, start: number, end: number, value: string): void => {
    tokens.push({ type, start, end, value });
  };

  while (i < length) {
    const c = text.charCodeAt(i);

    if (isSpace(c)) {
      i++;
      continue;
    }

    if (c === PLACEHOLDER_CODE) {
      push('placeholder', i, i + 1, PLACEHOLDER);
      i++;
      continue;
    }

    // Comments.
    if (c === C.MINUS && text.charCodeAt(i + 1) === C.MINUS) {
      // MySQL needs white space (or a control character, or the end) after `--`; `1--1` is arithmetic.
      const after = text.charCodeAt(i + 2);
      if (!mysql || i + 2 >= length || after <= C.SPACE) {
        i = skipLine(text, i + 2);
        continue;
      }
    }
    if (mysql && c === C.HASH) {
      i = skipLine(text, i + 1);
      continue;
    }
    if (c === C.SLASH && text.charCodeAt(i + 1) === C.STAR) {
      if (mysql) {
        const third = text.charCodeAt(i + 2);
        const executable =
          third === C.BANG || ((third === C.UPPER_M || third === C.UPPER_M + 32) && text.charCodeAt(i + 3) === C.BANG);
        if (executable && !inExecutable) {
          let j = i + (third === C.BANG ? 3 : 4);
          while (j < length && isDigit(text.charCodeAt(j))) j++;
          push('executableComment', i, j, text.slice(i, j));
          inExecutable = true;
          i = j;
          continue;
        }
        const close = text.indexOf('*/', i + 2);
        i = close < 0 ? length : close + 2;
        continue;
      }
      i = skipNestedComment(text, i);
      continue;
    }
    if (inExecutable && c === C.STAR && text.charCodeAt(i + 1) === C.SLASH) {
      inExecutable = false;
      i += 2;
      continue;
    }

    // Strings.
    if (c === C.SQUOTE) {
      i = readQuoted(text, i, C.SQUOTE, mysql, push, 'string');
      continue;
    }
    if (c === C.DQUOTE) {
      // MySQL: a string (ANSI_QUOTES is off by default). PostgreSQL: a quoted identifier.
      i = readQuoted(text, i, C.DQUOTE, mysql, push, mysql ? 'string' : 'quotedIdentifier');
      continue;
    }
    if (mysql && c === C.BACKTICK) {
      i = readQuoted(text, i, C.BACKTICK, false, push, 'quotedIdentifier');
      continue;
    }
    if (!mysql && c === C.DOLLAR) {
      const next = text.charCodeAt(i + 1);
      if (isDigit(next)) {
        let j = i + 1;
        while (j < length && isDigit(text.charCodeAt(j))) j++;
        push('parameter', i, j, text.slice(i, j));
        i = j;
        continue;
      }
      const dollar = readDollarQuoted(text, i);
      if (dollar) {
        push('string', i, dollar.end, dollar.content);
        i = dollar.end;
        continue;
      }
    }

    // Numbers (a leading `.` followed by a digit too).
    if (isDigit(c) || (c === C.DOT && isDigit(text.charCodeAt(i + 1)))) {
      let j = i + 1;
      while (j < length) {
        const d = text.charCodeAt(j);
        if (isDigit(d) || d === C.DOT || isIdentStart(d)) j++;
        else if ((d === 43 || d === C.MINUS) && (text.charCodeAt(j - 1) | 32) === 101) j++; // 1e+5
        else break;
      }
      push('number', i, j, text.slice(i, j));
      i = j;
      continue;
    }

    // Words, and string prefixes: E'…' / B'…' / X'…' / N'…' / U&'…' (PostgreSQL), _charset'…' / N'…' (MySQL).
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < length && isIdentPart(text.charCodeAt(j))) j++;
      const next = text.charCodeAt(j);
      if (next === C.SQUOTE && j - i === 1) {
        const prefix = c | 32;
        // E'…' honours backslash escapes; other one-letter prefixes do not change quoting.
        const backslashes = mysql || prefix === 101;
        i = readQuoted(text, j, C.SQUOTE, backslashes, push, 'string', i);
        continue;
      }
      if (!mysql && j - i === 1 && (c | 32) === 117 && next === C.AMP) {
        const quote = text.charCodeAt(j + 1);
        if (quote === C.SQUOTE || quote === C.DQUOTE) {
          i = readQuoted(text, j + 1, quote, false, push, quote === C.SQUOTE ? 'string' : 'quotedIdentifier', i);
          continue;
        }
      }
      push('word', i, j, text.slice(i, j).toUpperCase());
      i = j;
      continue;
    }

    if (mysql && c === C.AT) {
      i = readMysqlVariable(text, i, push);
      continue;
    }

    if (mysql && c === C.QUESTION) {
      push('parameter', i, i + 1, '?');
      i++;
      continue;
    }

    if (c === C.COLON) {
      const next = text.charCodeAt(i + 1);
      if (next === C.EQUALS || next === C.COLON) {
        push('punct', i, i + 2, text.slice(i, i + 2));
        i += 2;
        continue;
      }
    }

    push('punct', i, i + 1, text[i]!);
    i++;
  }
  return tokens;
}

function skipLine(text: string, from: number): number {
  const lf = text.indexOf('\n', from);
  return lf < 0 ? text.length : lf + 1;
}

/** PostgreSQL block comments nest: `/* a /* b *\/ c *\/`. */
function skipNestedComment(text: string, start: number): number {
  let depth = 0;
  let i = start;
  const length = text.length;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === C.SLASH && text.charCodeAt(i + 1) === C.STAR) {
      depth++;
      i += 2;
    } else if (c === C.STAR && text.charCodeAt(i + 1) === C.SLASH) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return length;
}

/**
 * A quoted string or identifier starting at `quoteAt`: the quote doubled stands for itself; with `backslashes`
 * a backslash escapes the next character (MySQL strings, PostgreSQL `E'…'`).
 */
function readQuoted(
  text: string,
  quoteAt: number,
  quote: number,
  backslashes: boolean,
  push: (type: TokenType, start: number, end: number, value: string) => void,
  type: TokenType,
  tokenStart = quoteAt,
): number {
  const length = text.length;
  let i = quoteAt + 1;
  let value = '';
  let chunk = i;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (backslashes && c === C.BACKSLASH) {
      value += text.slice(chunk, i);
      if (i + 1 < length) value += text[i + 1];
      i += 2;
      chunk = i;
      continue;
    }
    if (c === quote) {
      if (text.charCodeAt(i + 1) === quote) {
        value += text.slice(chunk, i + 1);
        i += 2;
        chunk = i;
        continue;
      }
      value += text.slice(chunk, i);
      push(type, tokenStart, i + 1, value);
      return i + 1;
    }
    i++;
  }
  value += text.slice(chunk, Math.min(i, length));
  push(type, tokenStart, length, value);
  return length;
}

/** `$$…$$` or `$tag$…$tag$`; undefined when the `$` does not open a dollar quote. */
function readDollarQuoted(text: string, start: number): { end: number; content: string } | undefined {
  let j = start + 1;
  const length = text.length;
  if (text.charCodeAt(j) !== C.DOLLAR) {
    if (!isIdentStart(text.charCodeAt(j))) return undefined;
    while (j < length) {
      const c = text.charCodeAt(j);
      if (c === C.DOLLAR) break;
      if (!isIdentStart(c) && !isDigit(c)) return undefined;
      j++;
    }
    if (j >= length) return undefined;
  }
  const tag = text.slice(start, j + 1);
  const close = text.indexOf(tag, j + 1);
  if (close < 0) return { end: length, content: text.slice(j + 1) };
  return { end: close + tag.length, content: text.slice(j + 1, close) };
}

/** `@name`, `@'name'`, `` @`name` ``, `@"name"`, `@@name`, `@@session.name`. */
function readMysqlVariable(
  text: string,
  start: number,
  push: (type: TokenType, start: number, end: number, value: string) => void,
): number {
  const length = text.length;
  const system = text.charCodeAt(start + 1) === C.AT;
  let i = start + (system ? 2 : 1);
  const first = text.charCodeAt(i);
  if (!system && (first === C.SQUOTE || first === C.DQUOTE || first === C.BACKTICK)) {
    let value = '';
    const end = readQuoted(text, i, first, first !== C.BACKTICK, (_type, _start, _end, v) => {
      value = v;
    }, 'string');
    push('userVariable', start, end, value.toLowerCase());
    return end;
  }
  while (i < length) {
    const c = text.charCodeAt(i);
    if (isIdentPart(c) || c === C.DOT) i++;
    else if (system && c === C.BACKTICK) {
      // @@session.`var`
      const close = text.indexOf('`', i + 1);
      i = close < 0 ? length : close + 1;
    } else break;
  }
  if (i === start + (system ? 2 : 1)) {
    push('punct', start, start + 1, '@');
    return start + 1;
  }
  const name = text.slice(start + (system ? 2 : 1), i).replace(/`/g, '').toLowerCase();
  push(system ? 'systemVariable' : 'userVariable', start, i, name);
  return i;
}
