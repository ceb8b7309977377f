/**
 * MySQL / MariaDB statements that pin an RDS Proxy session, after the AWS list "Avoiding pinning an RDS Proxy"
 * and the list of variables the proxy tracks (domain notes §1.5, §1.10). Works on one statement's tokens.
 */
import type { Token } from './lexer.js';
import type { Statement } from './statements.js';
import { tidyConstruct, type FindingKind, type SqlFinding } from './findings.js';
import { isFunctionCall, isPunct, isWord, nameEnd, verbIndex } from './tokens.js';

/**
 * Session variables RDS Proxy tracks for MySQL and MariaDB: setting them does not pin (the proxy reuses the
 * connection only for sessions with the same values). AWS "What RDS Proxy tracks for MySQL and MariaDB".
 */
export const MYSQL_TRACKED_VARIABLES: ReadonlySet<string> = new Set([
  'autocommit',
  'auto_increment_increment',
  'character_set_client',
  'character_set_connection',
  'character_set_database',
  'character_set_filesystem',
  'character_set_results',
  'character_set_server',
  'collation_connection',
  'collation_database',
  'collation_server',
  'interactive_timeout',
  'net_write_timeout',
  'query_cache_type',
  'session_track_schema',
  'sql_mode',
  'time_zone',
  'transaction_isolation',
  'transaction_read_only',
  'tx_isolation',
  'tx_read_only',
  'wait_timeout',
]);

const ROW_COUNT_FUNCTIONS = new Set(['FOUND_ROWS', 'ROW_COUNT']);

type Scope = 'session' | 'global' | 'local';

const SCOPE_PREFIXES: ReadonlyMap<string, Scope> = new Map([
  ['global', 'global'],
  ['persist', 'global'],
  ['persist_only', 'global'],
  ['session', 'session'],
  ['local', 'local'],
]);

export function classifyMysqlStatement(text: string, statement: Statement, out: SqlFinding[]): void {
  const tokens = statement.tokens;
  const add = (kind: FindingKind, from: number, to: number, construct?: string, variableSet?: boolean): void => {
    const first = tokens[from]!;
    const last = tokens[Math.max(from, to - 1)]!;
    out.push({
      kind,
      start: first.start,
      end: last.end,
      construct: tidyConstruct(construct ?? text.slice(first.start, last.end)),
      ...(variableSet ? { variableSet } : {}),
    });
  };

  const v = verbIndex(tokens);
  const verb = tokens[v];
  let isSet = false;
  if (verb?.type === 'word') {
    switch (verb.value) {
      case 'SET':
        isSet = true;
        classifySet(text, tokens, v, add);
        break;
      case 'LOCK':
        if (isWord(tokens[v + 1], 'TABLE', 'TABLES')) add('tableLock', v, v + 2);
        break;
      case 'FLUSH': {
        const at = tokens.findIndex(
          (t, i) => i > v && isWord(t, 'WITH') && isWord(tokens[i + 1], 'READ') && isWord(tokens[i + 2], 'LOCK'),
        );
        if (at > 0) add('tableLock', v, v + 1, 'FLUSH TABLES WITH READ LOCK');
        break;
      }
      case 'PREPARE':
        add('preparedStatement', v, v + 1);
        break;
      case 'EXECUTE':
        add('preparedStatement', v, isWord(tokens[v + 1], 'IMMEDIATE') ? v + 2 : v + 1);
        break;
      case 'DEALLOCATE':
      case 'DROP':
        if (isWord(tokens[v + 1], 'PREPARE')) add('preparedStatement', v, v + 2);
        break;
      case 'CREATE': {
        let j = v + 1;
        let temporary = false;
        while (isWord(tokens[j], 'OR', 'REPLACE', 'TEMPORARY')) {
          if (tokens[j]!.value === 'TEMPORARY') temporary = true;
          j++;
        }
        if (temporary && isWord(tokens[j], 'TABLE')) add('tempObject', v, j + 1);
        break;
      }
      default:
        break;
    }
  }

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === 'executableComment') {
      add('executableComment', i, i + 1);
      continue;
    }
    if (token.type === 'userVariable') {
      // `@x := …` outside SET (inside SET, assignments are classified above).
      if (!isSet && isPunct(tokens[i + 1], ':=')) add('userVariable', i, i + 1);
      continue;
    }
    if (token.type !== 'word') continue;
    if (token.value === 'INTO') {
      // `SELECT … INTO @a, @b`
      for (let j = i + 1; tokens[j]?.type === 'userVariable'; j += 2) {
        add('userVariable', j, j + 1);
        if (!isPunct(tokens[j + 1], ',')) break;
      }
      continue;
    }
    if (!isFunctionCall(tokens, i, '')) continue;
    const name = text.slice(token.start, token.end);
    if (token.value === 'GET_LOCK') add('namedLock', i, i + 1, `${name}()`);
    else if (ROW_COUNT_FUNCTIONS.has(token.value)) add('rowCountFunction', i, i + 1, `${name}()`);
  }
}

type Add = (kind: FindingKind, from: number, to: number, construct?: string, variableSet?: boolean) => void;

/**
 * `SET [GLOBAL|SESSION|LOCAL] var = …, @user = …, @@session.var = …`, `SET NAMES`, `SET CHARACTER SET`,
 * `SET [SESSION] TRANSACTION …`, `SET ROLE`, `SET PASSWORD`, `SET STATEMENT … FOR …` (MariaDB).
 */
function classifySet(text: string, tokens: readonly Token[], v: number, add: Add): void {
  const head = tokens[v + 1];
  if (!head) return;
  // Not session variables: statement-scoped (MariaDB), account settings.
  if (isWord(head, 'STATEMENT', 'PASSWORD', 'DEFAULT')) return;
  if (isWord(head, 'ROLE')) {
    add('sessionSet', v, v + 2, undefined, true);
    return;
  }

  let scope: Scope = 'session';
  let explicit = false;
  let i = v + 1;
  while (i < tokens.length) {
    // The first item's report covers `SET` itself.
    const itemStart = i === v + 1 ? v : i;
    // Scope modifier.
    const modifier = tokens[i];
    if (isWord(modifier, 'GLOBAL', 'PERSIST', 'PERSIST_ONLY')) {
      scope = 'global';
      explicit = true;
      i++;
    } else if (isWord(modifier, 'SESSION')) {
      scope = 'session';
      explicit = true;
      i++;
    } else if (isWord(modifier, 'LOCAL')) {
      scope = 'local';
      explicit = true;
      i++;
    }

    const target = tokens[i];
    if (!target) return;
    let itemScope = scope;
    if (isWord(target, 'TRANSACTION')) {
      // Next-transaction scope pins; `SET SESSION TRANSACTION …` sets tracked variables.
      if (!explicit) add('setTransaction', itemStart, i + 1, 'SET TRANSACTION', true);
    } else if (isWord(target, 'NAMES', 'CHARSET') || (isWord(target, 'CHARACTER') && isWord(tokens[i + 1], 'SET'))) {
      // Tracked.
    } else if (target.type === 'userVariable') {
      add('userVariable', i, i + 1, undefined, true);
    } else {
      let name: string | undefined;
      let end = i + 1;
      if (target.type === 'systemVariable') {
        // `@@var` is session scope; `@@global.var`, `@@session.var`, `@@local.var` name theirs.
        const dot = target.value.indexOf('.');
        const prefix = dot > 0 ? target.value.slice(0, dot) : '';
        const prefixScope = SCOPE_PREFIXES.get(prefix);
        itemScope = prefixScope ?? 'session';
        name = prefixScope ? target.value.slice(dot + 1) : target.value;
      } else if (target.type === 'word' || target.type === 'quotedIdentifier') {
        end = nameEnd(tokens, i);
        name = text.slice(target.start, tokens[end - 1]!.end).replace(/`/g, '').toLowerCase();
      } else if (target.type === 'placeholder') {
        name = undefined;
      }
      if (itemScope === 'session') {
        const display = `SET ${text.slice(target.start, tokens[end - 1]!.end)}`;
        if (name === undefined) add('sessionSet', itemStart, end, display, true);
        else if (MYSQL_TRACKED_VARIABLES.has(name)) {
          // Tracked: no pinning.
        } else if (name.startsWith('session_track_')) add('sessionTrack', itemStart, end, display, true);
        else add('sessionSet', itemStart, end, display, true);
      }
    }
    i = nextItem(tokens, i);
    if (i < 0) return;
  }
}

/** Index after the next top-level `,` from `from`, or -1 when the statement ends. */
function nextItem(tokens: readonly Token[], from: number): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type !== 'punct') continue;
    if (token.value === '(') depth++;
    else if (token.value === ')') depth--;
    else if (token.value === ',' && depth === 0) return i + 1;
  }
  return -1;
}
