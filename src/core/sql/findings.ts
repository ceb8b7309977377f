/** What the SQL classifiers report: constructs that leave session state behind, per engine family. */
import { PLACEHOLDER } from './lexer.js';

export type FindingKind =
  /** PostgreSQL `SET`, `RESET`, `set_config(…, false)`; MySQL `SET` of an untracked session variable, `SET ROLE`. */
  | 'sessionSet'
  /** PostgreSQL `SET LOCAL`, `SET TRANSACTION`, `SET CONSTRAINTS`, `set_config(…, true)` (pinning UNCONFIRMED). */
  | 'transactionSet'
  /** MySQL `SET session_track_*` (except `session_track_schema`). */
  | 'sessionTrack'
  /** MySQL `SET TRANSACTION …` without `SESSION`: next-transaction scope. */
  | 'setTransaction'
  /** MySQL user variable assignment: `SET @x`, `SELECT … INTO @x`, `@x := …`. */
  | 'userVariable'
  /** SQL `PREPARE` / `EXECUTE` / `DEALLOCATE` (both engines). */
  | 'preparedStatement'
  /** PostgreSQL `DISCARD`. */
  | 'discard'
  /** Temporary table, sequence or view (both engines). */
  | 'tempObject'
  /** PostgreSQL `DECLARE … CURSOR`. */
  | 'cursor'
  /** PostgreSQL `LISTEN`. */
  | 'listen'
  /** PostgreSQL `LOAD`. */
  | 'load'
  /** PostgreSQL `nextval()` / `setval()`. */
  | 'sequenceFunction'
  /** PostgreSQL session-level advisory lock functions. */
  | 'advisoryLock'
  /** MySQL `LOCK TABLE(S)`, `FLUSH TABLES … WITH READ LOCK`. */
  | 'tableLock'
  /** MySQL `GET_LOCK()`. */
  | 'namedLock'
  /** MySQL/MariaDB executable comment `/*! … *\/`, `/*M! … *\/`. */
  | 'executableComment'
  /** MySQL `FOUND_ROWS()` / `ROW_COUNT()`: "sometimes" pins. */
  | 'rowCountFunction';

export interface SqlFinding {
  readonly kind: FindingKind;
  /** Offsets in the SQL text of the construct to point at. */
  readonly start: number;
  readonly end: number;
  /** The construct for messages: keywords and names as written, never values. */
  readonly construct: string;
  /** It comes from a MySQL `SET` statement, which the proxy's `EXCLUDE_VARIABLE_SETS` filter ignores. */
  readonly variableSet?: boolean;
}

/** Keywords and names are enough to recognise a construct: the messages stay one short sentence. */
const MAX_CONSTRUCT = 40;

/** Collapse white space and cap the length of a construct quoted in a message. */
export function tidyConstruct(text: string): string {
  let out = '';
  let space = false;
  for (const ch of text) {
    if (ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t') {
      space = out.length > 0;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += ch === PLACEHOLDER ? '${…}' : ch;
    if (out.length > MAX_CONSTRUCT) return `${out.slice(0, MAX_CONSTRUCT)}…`;
  }
  return out;
}
