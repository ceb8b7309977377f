/**
 * Connection-string parsing: URL form (`postgres://user:password@host:5432/db?sslmode=require`, `mysql://…`,
 * `mssql://…`, `sqlserver://host;password=…`, `jdbc:` prefixes, several hosts, IPv6 literals) and the ADO.NET form of
 * SQL Server (`Server=tcp:host,1433;User Id=…;Password=…;Encrypt=true`).
 *
 * Every component keeps its offsets in the parsed text, so a rule can report the exact characters (a password, a
 * host, one query parameter) and a codemod can rewrite them. Texts built from templates carry `HOLE` characters for
 * their `${}` parts; components that contain one are unknown. Parsing is a single left-to-right pass with no
 * regular expression, linear in the text.
 */
import { HOLE } from './hosts.js';

/** A component of a connection string, as written (not percent-decoded), with its offsets. */
export interface Span {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export interface UriHost {
  readonly host: Span;
  readonly port: Span | undefined;
}

export interface UriParam {
  /** Lower-cased parameter name. */
  readonly name: string;
  readonly key: Span;
  readonly value: Span;
  /** The whole `key=value` text. */
  readonly span: Span;
}

export interface ParsedUri {
  readonly format: 'url' | 'ado';
  /** Offsets of the whole connection string in the parsed text. */
  readonly start: number;
  readonly end: number;
  /** Lower-cased scheme without `jdbc:` and `+driver` (`postgresql`, `mysql`, `sqlserver`); `undefined` for ADO. */
  readonly scheme: string | undefined;
  readonly user: Span | undefined;
  readonly password: Span | undefined;
  readonly hosts: readonly UriHost[];
  readonly database: Span | undefined;
  readonly params: readonly UriParam[];
}

/** Schemes of database connection URIs (optionally `+driver`, optionally behind `jdbc:`). */
export const DATABASE_SCHEMES: ReadonlySet<string> = new Set([
  'pg',
  'postgres',
  'postgresql',
  'mysql',
  'mysqlx',
  'mariadb',
  'mssql',
  'sqlserver',
]);

const MAX_SCHEME = 40;

function isSchemeChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 43 || // +
    code === 45 || // -
    code === 46 // .
  );
}

function isLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

/** Characters that end a URI embedded in free text. */
function isUriEnd(code: number): boolean {
  return code <= 32 || code === 34 || code === 39 || code === 96 || code === 60 || code === 62; // " ' ` < >
}

const span = (text: string, start: number, end: number): Span => ({ text: text.slice(start, end), start, end });

function baseScheme(raw: string): string {
  const plus = raw.indexOf('+');
  return (plus >= 0 ? raw.slice(0, plus) : raw).toLowerCase();
}

const URI_HINT = /(?:pg|postgres|mysql|mariadb|mssql|sqlserver)[a-z0-9+]{0,20}:\/\//i;

/** Whether a text may hold a database URI (the cheap test before scanning its strings for one). */
export function mentionsDatabaseUri(text: string): boolean {
  return text.includes('://') && URI_HINT.test(text);
}

/**
 * Parses a whole string as a connection string: a URL with any scheme, or an ADO.NET `key=value;` string with at
 * least one SQL Server connection keyword. `undefined` when it is neither (a bare hostname, a file path...).
 */
export function parseConnectionString(text: string): ParsedUri | undefined {
  let start = 0;
  while (start < text.length && text.charCodeAt(start) <= 32) start++;
  const sep = text.indexOf('://', start);
  if (sep > start) {
    let schemeStart = start;
    if (text.slice(start, start + 5).toLowerCase() === 'jdbc:') schemeStart += 5;
    let ok = sep - schemeStart <= MAX_SCHEME && isLetter(text.charCodeAt(schemeStart));
    for (let i = schemeStart; ok && i < sep; i++) ok = isSchemeChar(text.charCodeAt(i));
    if (ok) return parseUrl(text, start, schemeStart, sep, text.length);
  }
  return parseAdo(text);
}

/**
 * Every database URI (URL form with a database scheme) embedded anywhere in a text: messages, templates,
 * configuration blobs. Linear: each `://` is looked at once, scheme look-back is bounded and each URI ends at the
 * first whitespace or quote.
 */
export function findDatabaseUris(text: string): ParsedUri[] {
  const found: ParsedUri[] = [];
  let from = 0;
  for (;;) {
    const sep = text.indexOf('://', from);
    if (sep < 0) break;
    let schemeStart = sep;
    while (schemeStart > 0 && sep - schemeStart < MAX_SCHEME && isSchemeChar(text.charCodeAt(schemeStart - 1))) {
      schemeStart--;
    }
    // The scheme starts at a letter.
    while (schemeStart < sep && !isLetter(text.charCodeAt(schemeStart))) schemeStart++;
    const scheme = baseScheme(text.slice(schemeStart, sep));
    if (schemeStart === sep || !DATABASE_SCHEMES.has(scheme)) {
      from = sep + 3;
      continue;
    }
    let start = schemeStart;
    if (start >= 5 && text.slice(start - 5, start).toLowerCase() === 'jdbc:') start -= 5;
    let end = sep + 3;
    while (end < text.length && !isUriEnd(text.charCodeAt(end))) end++;
    found.push(parseUrl(text, start, schemeStart, sep, end));
    from = end;
  }
  return found;
}

function parseUrl(text: string, start: number, schemeStart: number, sep: number, end: number): ParsedUri {
  const scheme = baseScheme(text.slice(schemeStart, sep));
  const sqlserver = scheme === 'sqlserver';
  const authStart = sep + 3;
  let authEnd = authStart;
  while (authEnd < end) {
    const c = text.charCodeAt(authEnd);
    if (c === 47 || c === 63 || c === 35 || (sqlserver && c === 59)) break; // / ? # ;
    authEnd++;
  }
  const at = lastIndexIn(text, 64 /* @ */, authStart, authEnd);
  let user: Span | undefined;
  let password: Span | undefined;
  let hostStart = authStart;
  if (at >= 0) {
    const colon = indexIn(text, 58 /* : */, authStart, at);
    if (colon >= 0) {
      user = span(text, authStart, colon);
      password = span(text, colon + 1, at);
    } else {
      user = span(text, authStart, at);
    }
    hostStart = at + 1;
  }
  const hosts = parseHostList(text, hostStart, authEnd);

  let database: Span | undefined;
  const params: UriParam[] = [];
  let i = authEnd;
  if (i < end && text.charCodeAt(i) === 47) {
    let pathEnd = i + 1;
    while (pathEnd < end && text.charCodeAt(pathEnd) !== 63 && text.charCodeAt(pathEnd) !== 35) pathEnd++;
    if (pathEnd > i + 1) database = span(text, i + 1, pathEnd);
    i = pathEnd;
  }
  if (i < end && text.charCodeAt(i) === 63) {
    let queryEnd = i + 1;
    while (queryEnd < end && text.charCodeAt(queryEnd) !== 35) queryEnd++;
    parsePairs(text, i + 1, queryEnd, 38 /* & */, params);
    i = queryEnd;
  } else if (sqlserver && i < end && text.charCodeAt(i) === 59) {
    parsePairs(text, i + 1, end, 59 /* ; */, params);
  }

  // Parameters that carry the same components (`?user=&password=&host=`, `;database=` for SQL Server).
  const allHosts = [...hosts];
  for (const param of params) {
    if (!user && (param.name === 'user' || param.name === 'username' || param.name === 'user id' || param.name === 'uid')) {
      user = param.value;
    } else if (!password && (param.name === 'password' || param.name === 'pwd')) {
      password = param.value;
    } else if (!database && (param.name === 'database' || param.name === 'dbname' || param.name === 'initial catalog')) {
      database = param.value;
    } else if (param.name === 'host' || param.name === 'hostaddr') {
      allHosts.push(...parseHostList(text, param.value.start, param.value.end));
    }
  }
  return { format: 'url', start, end, scheme, user, password, hosts: allHosts, database, params };
}

function parseHostList(text: string, start: number, end: number): UriHost[] {
  const hosts: UriHost[] = [];
  let i = start;
  while (i < end) {
    let next = i;
    while (next < end && text.charCodeAt(next) !== 44) next++; // ,
    hosts.push(...splitHostPort(text, i, next));
    i = next + 1;
  }
  return hosts;
}

function splitHostPort(text: string, start: number, end: number): UriHost[] {
  if (end <= start) return [];
  if (text.charCodeAt(start) === 91) {
    // [IPv6]:port
    const close = indexIn(text, 93 /* ] */, start, end);
    if (close < 0) return [{ host: span(text, start, end), port: undefined }];
    const port = close + 1 < end && text.charCodeAt(close + 1) === 58 ? span(text, close + 2, end) : undefined;
    return [{ host: span(text, start + 1, close), port }];
  }
  const colon = lastIndexIn(text, 58 /* : */, start, end);
  if (colon >= 0) return [{ host: span(text, start, colon), port: span(text, colon + 1, end) }];
  return [{ host: span(text, start, end), port: undefined }];
}

function parsePairs(text: string, start: number, end: number, separator: number, out: UriParam[]): void {
  let i = start;
  while (i < end) {
    let next = i;
    while (next < end && text.charCodeAt(next) !== separator) next++;
    const eq = indexIn(text, 61 /* = */, i, next);
    if (eq >= 0) {
      const keyStart = skipSpaces(text, i, eq);
      const keyEnd = trimEnd(text, keyStart, eq);
      const key = span(text, keyStart, keyEnd);
      const valueStart = skipSpaces(text, eq + 1, next);
      const value = span(text, valueStart, trimEnd(text, valueStart, next));
      if (key.text) out.push({ name: key.text.toLowerCase(), key, value, span: span(text, keyStart, value.end) });
    }
    i = next + 1;
  }
}

function indexIn(text: string, code: number, start: number, end: number): number {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === code) return i;
  return -1;
}

function lastIndexIn(text: string, code: number, start: number, end: number): number {
  for (let i = end - 1; i >= start; i--) if (text.charCodeAt(i) === code) return i;
  return -1;
}

function skipSpaces(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i;
}

function trimEnd(text: string, start: number, end: number): number {
  let i = end;
  while (i > start && (text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 9)) i--;
  return i;
}

const ADO_HOST = new Set(['server', 'data source', 'address', 'addr', 'network address']);
const ADO_USER = new Set(['user id', 'uid', 'user', 'username', 'user name']);
const ADO_PASSWORD = new Set(['password', 'pwd']);
const ADO_DATABASE = new Set(['database', 'initial catalog']);

/** `Server=tcp:host,1433;Database=db;User Id=u;Password=p;Encrypt=true` (values may be wrapped in `{}`). */
function parseAdo(text: string): ParsedUri | undefined {
  if (!text.includes('=')) return undefined;
  const params: UriParam[] = [];
  const end = text.length;
  let i = 0;
  while (i < end) {
    // The key runs to the first `=` (a segment without one is skipped up to its `;`).
    let eq = i;
    while (eq < end && text.charCodeAt(eq) !== 61 && text.charCodeAt(eq) !== 59) eq++;
    if (eq >= end || text.charCodeAt(eq) === 59) {
      i = eq + 1;
      continue;
    }
    const valueStart = skipSpaces(text, eq + 1, end);
    let next = valueStart;
    if (text.charCodeAt(valueStart) === 123) {
      // `{…}` quotes a value that may contain `;`.
      while (next < end && text.charCodeAt(next) !== 125) next++;
    }
    while (next < end && text.charCodeAt(next) !== 59) next++;
    const keyStart = skipSpaces(text, i, eq);
    const key = span(text, keyStart, trimEnd(text, keyStart, eq));
    let vs = valueStart;
    let ve = trimEnd(text, vs, next);
    if (ve - vs >= 2 && text.charCodeAt(vs) === 123 && text.charCodeAt(ve - 1) === 125) {
      vs++;
      ve--;
    }
    if (key.text) {
      const value = span(text, vs, ve);
      params.push({ name: key.text.toLowerCase(), key, value, span: span(text, key.start, value.end) });
    }
    i = next + 1;
  }

  let user: Span | undefined;
  let password: Span | undefined;
  let database: Span | undefined;
  const hosts: UriHost[] = [];
  let recognised = false;
  for (const param of params) {
    if (ADO_HOST.has(param.name)) {
      recognised = true;
      hosts.push(adoHost(text, param.value));
    } else if (ADO_PASSWORD.has(param.name)) {
      recognised = true;
      password ??= param.value;
    } else if (ADO_USER.has(param.name)) {
      recognised = true;
      user ??= param.value;
    } else if (ADO_DATABASE.has(param.name)) {
      recognised = true;
      database ??= param.value;
    }
  }
  if (!recognised) return undefined;
  return { format: 'ado', start: 0, end: text.length, scheme: undefined, user, password, hosts, database, params };
}

/** `tcp:host\instance,1433` → host and port. */
function adoHost(text: string, value: Span): UriHost {
  let start = value.start;
  if (value.text.slice(0, 4).toLowerCase() === 'tcp:') start += 4;
  let end = value.end;
  let port: Span | undefined;
  const comma = indexIn(text, 44 /* , */, start, end);
  if (comma >= 0) {
    port = span(text, comma + 1, end);
    end = comma;
  }
  const backslash = indexIn(text, 92 /* \\ */, start, end);
  if (backslash >= 0) end = backslash;
  return { host: span(text, start, end), port };
}

/** The last parameter with one of the given (lower-case) names. */
export function uriParam(uri: ParsedUri, ...names: string[]): UriParam | undefined {
  let found: UriParam | undefined;
  for (const param of uri.params) if (names.includes(param.name)) found = param;
  return found;
}

/** Whether a component is fully known (it contains no `${}` hole). */
export function isStatic(part: Span): boolean {
  return !part.text.includes(HOLE);
}
