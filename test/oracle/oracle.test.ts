/**
 * The real-server oracle for `no-session-pinning`: every statement of the corpus runs on a fresh connection to the
 * real PostgreSQL and MariaDB servers on 127.0.0.1; "leaves session state behind" (read from the server) is
 * compared with "the rule reports it". Every disagreement must be a documented exemption, and every documented
 * exemption must still disagree. The agreement figure is printed and must be the one the rule doc states.
 *
 * The servers must be reachable: the test fails (it never skips) when they are not.
 */
import { readFileSync } from 'node:fs';
import { Linter } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import rule from '../../src/rules/no-session-pinning.js';
import { corpus, type OracleEntry } from './corpus.js';
import {
  createMariadbDatabase,
  createPostgresDatabase,
  dropMariadbDatabase,
  dropPostgresDatabase,
  runMariadb,
  runPostgres,
} from './harness.js';

const DATABASE = `lambda_rds_oracle_${process.pid}_${Date.now().toString(36)}`;
const RULE = 'lambda-rds/no-session-pinning';

/** The code a user would write to send the statement, per engine and way of sending it. */
function codeFor(entry: OracleEntry): string {
  const sql = JSON.stringify(entry.sql);
  if (entry.engine === 'postgresql') {
    const setup = "import pg from 'pg';\nconst pool = new pg.Pool();\n";
    if (entry.via === 'named') return `${setup}await pool.query({ name: 'oracle_named', text: ${sql}, values: [1] });`;
    if (entry.via === 'params') return `${setup}await pool.query(${sql}, [1]);`;
    return `${setup}await pool.query(${sql});`;
  }
  const setup = "import mysql from 'mysql2/promise';\nconst pool = mysql.createPool(process.env.DATABASE_URL);\n";
  if (entry.via === 'execute') return `${setup}await pool.execute(${sql}, [1]);`;
  return `${setup}await pool.query(${sql});`;
}

const linter = new Linter();

/** The rule's verdict: the message ids it reports (default options). */
function verdict(entry: OracleEntry): string[] {
  const messages = linter.verify(codeFor(entry), [
    { files: ['**/*.js'], plugins: { 'lambda-rds': { rules: { 'no-session-pinning': rule } } as never }, rules: { [RULE]: 'error' } },
  ], 'oracle.js');
  const fatal = messages.find((m) => m.fatal);
  if (fatal) throw new Error(`oracle code does not parse: ${fatal.message}`);
  return messages.filter((m) => m.ruleId === RULE).map((m) => m.messageId ?? '?');
}

interface Result {
  readonly entry: OracleEntry;
  readonly state: readonly string[];
  readonly reported: readonly string[];
}

const describeEntry = (r: Result): string =>
  `[${r.entry.engine}${r.entry.via ? ` via ${r.entry.via}` : ''}] ${r.entry.sql.slice(0, 100)}\n    state: ${
    r.state.length ? r.state.join('; ') : 'none'
  }\n    reported: ${r.reported.length ? r.reported.join(', ') : 'nothing'}`;

describe('no-session-pinning against real PostgreSQL and MariaDB servers', () => {
  beforeAll(async () => {
    await createPostgresDatabase(DATABASE);
    await createMariadbDatabase(DATABASE);
  });

  afterAll(async () => {
    await Promise.allSettled([dropPostgresDatabase(DATABASE), dropMariadbDatabase(DATABASE)]);
  });

  it('has a corpus of at least 150 statements across both engines', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(150);
    expect(corpus.filter((e) => e.engine === 'postgresql').length).toBeGreaterThanOrEqual(60);
    expect(corpus.filter((e) => e.engine === 'mariadb').length).toBeGreaterThanOrEqual(60);
  });

  it('agrees with the servers on every statement but the documented exemptions', { timeout: 300_000 }, async () => {
    const results: Result[] = [];
    for (const entry of corpus) {
      const via = entry.via ?? 'query';
      let state: string[];
      try {
        state =
          entry.engine === 'postgresql' ? await runPostgres(DATABASE, entry.sql, via) : await runMariadb(DATABASE, entry.sql, via);
      } catch (error) {
        throw new Error(`[${entry.engine}] ${entry.sql.slice(0, 100)} failed on the server: ${(error as Error).message}`);
      }
      results.push({ entry, state, reported: verdict(entry) });
    }

    const agrees = (r: Result) => (r.state.length > 0) === (r.reported.length > 0);
    const undocumented = results.filter((r) => !agrees(r) && !r.entry.exemption).map(describeEntry);
    const stale = results.filter((r) => agrees(r) && r.entry.exemption).map(describeEntry);
    const agreeing = results.filter(agrees).length;
    const figure = `${agreeing} of ${results.length}`;

    const byReason = new Map<string, number>();
    for (const r of results) if (!agrees(r)) byReason.set(r.entry.exemption!, (byReason.get(r.entry.exemption!) ?? 0) + 1);
    console.log(
      [
        `Oracle: the rule agrees with the servers on ${figure} statements (${((100 * agreeing) / results.length).toFixed(1)}%).`,
        ...[...byReason].map(([reason, n]) => `  ${n} × ${reason}`),
      ].join('\n'),
    );

    expect(undocumented, 'disagreements without a documented exemption').toEqual([]);
    expect(stale, 'documented exemptions that no longer disagree').toEqual([]);
    // Pinning statements and clean ones are both represented.
    expect(results.filter((r) => r.state.length > 0 && r.reported.length > 0).length).toBeGreaterThanOrEqual(60);
    expect(results.filter((r) => r.state.length === 0 && r.reported.length === 0).length).toBeGreaterThanOrEqual(60);
    // The rule doc states this figure.
    const doc = readFileSync(new URL('../../docs/rules/no-session-pinning.md', import.meta.url), 'utf8');
    expect(doc, 'docs/rules/no-session-pinning.md states the agreement figure').toContain(`${figure} statements`);
  });
});
