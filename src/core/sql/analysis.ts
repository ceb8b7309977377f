/**
 * The SQL analysis of one text for one engine family: tokens, statements and the constructs that leave session
 * state behind. Each `SqlSource` is analysed at most once per dialect (cached on the source), whatever the number
 * of rules that ask.
 */
import type { Engine } from '../drivers/catalogue.js';
import { lex, type Dialect, type Token } from './lexer.js';
import { splitStatements, type Statement } from './statements.js';
import type { SqlFinding } from './findings.js';
import { classifyPostgresStatement } from './classify-postgresql.js';
import { classifyMysqlStatement } from './classify-mysql.js';
import type { SqlSource } from './source.js';

export interface SqlAnalysis {
  readonly dialect: Dialect;
  readonly tokens: readonly Token[];
  readonly statements: readonly Statement[];
  /** Constructs that leave session state behind, in text order. */
  readonly findings: readonly SqlFinding[];
}

/** Analyse SQL text for a dialect (no caching: use `getSqlAnalysis` for a `SqlSource`). */
export function analyseSqlText(text: string, dialect: Dialect): SqlAnalysis {
  const tokens = lex(text, dialect);
  const statements = splitStatements(tokens);
  const findings: SqlFinding[] = [];
  const classify = dialect === 'postgresql' ? classifyPostgresStatement : classifyMysqlStatement;
  for (const statement of statements) classify(text, statement, findings);
  findings.sort((a, b) => a.start - b.start);
  return { dialect, tokens, statements, findings };
}

const cache = new WeakMap<SqlSource, Map<Dialect, SqlAnalysis>>();

/** The analysis of a SQL source for a dialect, computed once. */
export function getSqlAnalysis(source: SqlSource, dialect: Dialect): SqlAnalysis {
  let byDialect = cache.get(source);
  if (!byDialect) cache.set(source, (byDialect = new Map()));
  let analysis = byDialect.get(dialect);
  if (!analysis) byDialect.set(dialect, (analysis = analyseSqlText(source.text, dialect)));
  return analysis;
}

/**
 * SQL texts longer than this are not classified: far over RDS Proxy's 16,384-byte statement limit, they pin
 * whatever they contain (the size is reported on its own), and lexing them would only cost time.
 */
export const MAX_CLASSIFIED_LENGTH = 256 * 1024;

/**
 * The findings for an engine. Texts over `MAX_CLASSIFIED_LENGTH` have none. PostgreSQL and the MySQL family have their own catalogues; SQL Server has none
 * here (only the size limit, checked elsewhere). When the engine is unknown, only constructs that both
 * PostgreSQL and MySQL report at the same place are returned (temporary tables, SQL prepared statements, `SET`
 * of a variable MySQL does not track): what pins whichever engine the code targets.
 */
export function findingsForEngine(source: SqlSource, engine: Engine | undefined): readonly SqlFinding[] {
  if (source.text.length > MAX_CLASSIFIED_LENGTH) return [];
  if (engine === 'postgresql' || engine === 'mysql') return getSqlAnalysis(source, engine).findings;
  if (engine === 'sqlserver') return [];
  const pg = getSqlAnalysis(source, 'postgresql').findings;
  if (pg.length === 0) return [];
  const my = getSqlAnalysis(source, 'mysql').findings;
  // The MySQL findings are returned: they say which come from `SET` statements (`EXCLUDE_VARIABLE_SETS`).
  return my.filter((m) => pg.some((p) => p.kind === m.kind && p.start === m.start));
}
