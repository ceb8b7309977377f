/**
 * PostgreSQL statements that leave session state behind, after the AWS list "Avoiding pinning an RDS Proxy"
 * (domain notes §1.4, §1.10). Works on one statement's tokens.
 */
import type { Token } from './lexer.js';
import type { Statement } from './statements.js';
import { tidyConstruct, type FindingKind, type SqlFinding } from './findings.js';
import { callArguments, isFunctionCall, isPunct, isWord, nameEnd, verbIndex } from './tokens.js';

const SEQUENCE_FUNCTIONS = new Set(['NEXTVAL', 'SETVAL']);
/** Session-level advisory locks pin; the `_xact_` variants are released at commit and do not. */
const SESSION_ADVISORY_LOCKS = new Set([
  'PG_ADVISORY_LOCK',
  'PG_ADVISORY_LOCK_SHARED',
  'PG_TRY_ADVISORY_LOCK',
  'PG_TRY_ADVISORY_LOCK_SHARED',
]);
/** Words that may stand between `CREATE` and the kind of object it creates. */
const CREATE_MODIFIERS = new Set(['OR', 'REPLACE', 'GLOBAL', 'LOCAL', 'UNLOGGED', 'RECURSIVE', 'UNIQUE', 'MATERIALIZED']);
const TEMP_KINDS = new Set(['TABLE', 'VIEW', 'SEQUENCE']);
/** Kinds of object that can be created in the session's temporary schema by naming it (`pg_temp.x`). */
const QUALIFIABLE_KINDS = new Set(['TABLE', 'VIEW', 'SEQUENCE', 'FUNCTION', 'PROCEDURE', 'TYPE', 'DOMAIN']);
/** After `INTO TEMP`, these words mean `temp` was the name of the target table. */
const CLAUSE_WORDS = new Set(['FROM', 'WHERE', 'GROUP', 'HAVING', 'WINDOW', 'ORDER', 'LIMIT', 'OFFSET', 'UNION', 'FOR']);
const TRUE_WORDS = new Set(['TRUE', 'ON', 'YES', 'T', 'Y', '1']);
const FALSE_WORDS = new Set(['FALSE', 'OFF', 'NO', 'F', 'N', '0']);

export function classifyPostgresStatement(text: string, statement: Statement, out: SqlFinding[]): void {
  const tokens = statement.tokens;
  const v = verbIndex(tokens);
  const verb = tokens[v];
  const add = (kind: FindingKind, from: number, to: number, construct?: string): void => {
    const first = tokens[from]!;
    const last = tokens[Math.max(from, to - 1)]!;
    out.push({
      kind,
      start: first.start,
      end: last.end,
      construct: tidyConstruct(construct ?? text.slice(first.start, last.end)),
    });
  };

  if (verb?.type === 'word') {
    switch (verb.value) {
      case 'SET':
        classifySet(tokens, v, add);
        break;
      case 'RESET':
        add('sessionSet', v, Math.max(v + 1, settingNameEnd(tokens, v + 1)));
        break;
      case 'PREPARE':
        // `PREPARE TRANSACTION 'id'` is two-phase commit, not a prepared statement.
        if (!isWord(tokens[v + 1], 'TRANSACTION')) add('preparedStatement', v, v + 1);
        break;
      case 'EXECUTE':
      case 'DEALLOCATE':
        add('preparedStatement', v, v + 1);
        break;
      case 'DISCARD':
        add('discard', v, isWord(tokens[v + 1]) ? v + 2 : v + 1);
        break;
      case 'DECLARE': {
        const cursor = tokens.findIndex((t, i) => i > v && isWord(t, 'CURSOR'));
        add('cursor', v, v + 1, cursor > 0 ? 'DECLARE … CURSOR' : 'DECLARE');
        break;
      }
      case 'LISTEN':
        add('listen', v, v + 1);
        break;
      case 'LOAD':
        add('load', v, v + 1);
        break;
      case 'CREATE':
        classifyCreate(tokens, v, add);
        break;
      default:
        break;
    }
  }

  const selectLike = isWord(verb, 'SELECT', 'WITH', 'TABLE', 'VALUES');
  for (let i = v; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type !== 'word') continue;
    const value = token.value;
    if (value === 'INTO' && selectLike) {
      classifySelectInto(tokens, i, add);
      continue;
    }
    if (!isFunctionCall(tokens, i, 'PG_CATALOG')) continue;
    if (SEQUENCE_FUNCTIONS.has(value)) add('sequenceFunction', i, i + 1, `${text.slice(token.start, token.end)}()`);
    else if (SESSION_ADVISORY_LOCKS.has(value)) add('advisoryLock', i, i + 1, `${text.slice(token.start, token.end)}()`);
    else if (value === 'SET_CONFIG') classifySetConfig(text, tokens, i, add);
  }
}

type Add = (kind: FindingKind, from: number, to: number, construct?: string) => void;

/** `SET …` at the start of a statement. */
function classifySet(tokens: readonly Token[], v: number, add: Add): void {
  const first = tokens[v + 1];
  if (!first) return;
  if (isWord(first, 'LOCAL')) {
    add('transactionSet', v, Math.max(v + 2, settingNameEnd(tokens, v + 2)));
    return;
  }
  if (isWord(first, 'TRANSACTION', 'CONSTRAINTS')) {
    add('transactionSet', v, v + 2);
    return;
  }
  if (isWord(first, 'SESSION')) {
    const second = tokens[v + 2];
    if (isWord(second, 'CHARACTERISTICS', 'AUTHORIZATION')) {
      add('sessionSet', v, v + 3);
      return;
    }
    add('sessionSet', v, Math.max(v + 2, settingNameEnd(tokens, v + 2)));
    return;
  }
  add('sessionSet', v, Math.max(v + 1, settingNameEnd(tokens, v + 1)));
}

/** The end of the setting name: `TIME ZONE` is two words; other names may be qualified (`app.user_id`). */
function settingNameEnd(tokens: readonly Token[], from: number): number {
  if (isWord(tokens[from], 'TIME') && isWord(tokens[from + 1], 'ZONE')) return from + 2;
  if (isWord(tokens[from], 'XML') && isWord(tokens[from + 1], 'OPTION')) return from + 2;
  return nameEnd(tokens, from);
}

/** `set_config(name, value, is_local)`: session scope unless `is_local` is literally true. */
function classifySetConfig(text: string, tokens: readonly Token[], i: number, add: Add): void {
  const { args } = callArguments(tokens, i + 1);
  const third = args[2];
  const name = text.slice(tokens[i]!.start, tokens[i]!.end);
  let local: boolean | undefined;
  if (third && third[1] - third[0] === 1) {
    const token = tokens[third[0]]!;
    const value = token.type === 'string' ? token.value.trim().toUpperCase() : token.type === 'word' ? token.value : '';
    if (TRUE_WORDS.has(value)) local = true;
    else if (FALSE_WORDS.has(value)) local = false;
  }
  if (local === true) add('transactionSet', i, i + 1, `${name}(…, true)`);
  else add('sessionSet', i, i + 1, local === false ? `${name}(…, false)` : `${name}()`);
}

/** `CREATE [GLOBAL|LOCAL] TEMP[ORARY] TABLE|VIEW|SEQUENCE`, or an object created in `pg_temp`. */
function classifyCreate(tokens: readonly Token[], v: number, add: Add): void {
  let j = v + 1;
  let temp = false;
  while (j < tokens.length && isWord(tokens[j])) {
    const value = tokens[j]!.value;
    if (value === 'TEMP' || value === 'TEMPORARY') temp = true;
    else if (!CREATE_MODIFIERS.has(value)) break;
    j++;
  }
  const kind = tokens[j];
  if (!isWord(kind)) return;
  if (temp && TEMP_KINDS.has(kind.value)) {
    add('tempObject', v, j + 1);
    return;
  }
  if (!QUALIFIABLE_KINDS.has(kind.value)) return;
  let n = j + 1;
  if (isWord(tokens[n], 'IF') && isWord(tokens[n + 1], 'NOT') && isWord(tokens[n + 2], 'EXISTS')) n += 3;
  if (isTempSchema(tokens[n]) && isPunct(tokens[n + 1], '.')) add('tempObject', v, n + 3);
}

function isTempSchema(token: Token | undefined): boolean {
  if (!token) return false;
  if (token.type === 'word') return token.value === 'PG_TEMP';
  return token.type === 'quotedIdentifier' && token.value === 'pg_temp';
}

/** `SELECT … INTO [TEMP|TEMPORARY] [TABLE] name` creates a table; with TEMP (or `pg_temp.`) a temporary one. */
function classifySelectInto(tokens: readonly Token[], i: number, add: Add): void {
  if (isWord(tokens[i - 1], 'INSERT', 'MERGE')) return;
  const next = tokens[i + 1];
  if (isWord(next, 'TEMP', 'TEMPORARY')) {
    const after = tokens[i + 2];
    const named =
      isWord(after, 'TABLE') ||
      after?.type === 'quotedIdentifier' ||
      after?.type === 'placeholder' ||
      (isWord(after) && !CLAUSE_WORDS.has(after.value));
    if (named) add('tempObject', i, i + 2, 'SELECT … INTO TEMP');
    return;
  }
  if (isTempSchema(next) && isPunct(tokens[i + 2], '.')) add('tempObject', i, i + 3, 'SELECT … INTO pg_temp');
}
