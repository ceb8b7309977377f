import type { TSESTree } from '@typescript-eslint/types';
import { createRule } from '../util/create-rule.js';
import { getFileAnalysis } from '../core/analysis.js';
import { findingsForEngine } from '../core/sql/analysis.js';
import { findDriverBehaviours, type BehaviourKind } from '../core/sql/driver-behaviour.js';
import type { FindingKind, SqlFinding } from '../core/sql/findings.js';
import { getFileSql, isSqlCallCandidate, type SqlSite } from '../core/sql/sites.js';

export type Options = [
  {
    excludeVariableSets?: boolean;
    checkNamedPreparedStatements?: boolean;
    checkSetLocal?: boolean;
  },
];

/** One message per construct the classifiers find, plus engine-specific wordings and driver behaviours. */
export type MessageIds =
  | Exclude<FindingKind, 'transactionSet'>
  | 'postgresSessionSet'
  | 'postgresTransactionSet'
  | 'mysqlSessionSet'
  | 'statementTooLong'
  | BehaviourKind;

/** RDS Proxy pins a session whose statement text is longer than this many bytes. */
export const MAX_STATEMENT_BYTES = 16_384;

const FINDING_MESSAGES: Record<Exclude<FindingKind, 'sessionSet' | 'transactionSet'>, MessageIds> = {
  sessionTrack: 'sessionTrack',
  setTransaction: 'setTransaction',
  userVariable: 'userVariable',
  preparedStatement: 'preparedStatement',
  discard: 'discard',
  tempObject: 'tempObject',
  cursor: 'cursor',
  listen: 'listen',
  load: 'load',
  sequenceFunction: 'sequenceFunction',
  advisoryLock: 'advisoryLock',
  tableLock: 'tableLock',
  namedLock: 'namedLock',
  executableComment: 'executableComment',
  rowCountFunction: 'rowCountFunction',
};

export default createRule<Options, MessageIds>({
  name: 'no-session-pinning',
  meta: {
    type: 'problem',
    defaultOptions: [{ excludeVariableSets: false, checkNamedPreparedStatements: false, checkSetLocal: false }],
    docs: {
      description: 'Disallow SQL and driver settings that pin RDS Proxy sessions to one database connection',
      recommended: true,
    },
    schema: [
      {
        type: 'object',
        properties: {
          excludeVariableSets: {
            type: 'boolean',
            description:
              "The proxy uses the `EXCLUDE_VARIABLE_SETS` session pinning filter (MySQL and MariaDB only): `SET` statements no longer pin, so they are not reported.",
          },
          checkNamedPreparedStatements: {
            type: 'boolean',
            description:
              'Also report PostgreSQL named protocol-level prepared statements (pg `{ name }` queries, postgres.js `prepare: true`), whose pinning since November 2023 is not documented.',
          },
          checkSetLocal: {
            type: 'boolean',
            description:
              'Also report PostgreSQL transaction-scoped settings (`SET LOCAL`, `SET TRANSACTION`, `set_config(…, true)`), which AWS documents as not pinning only for MySQL.',
          },
        },
        additionalProperties: false,
      },
    ],
    // Each message names the construct, says that it pins (or may pin) the session, and gives the fix; why each
    // one pins, and the fixes in full, are in the rule's doc page.
    messages: {
      sessionSet:
        "`{{construct}}` pins the RDS Proxy session; move it to a role default or the proxy's initialization query.",
      postgresSessionSet: '`{{construct}}` pins the RDS Proxy session; set it per role with `ALTER ROLE … SET` instead.',
      postgresTransactionSet:
        "`{{construct}}` may pin the RDS Proxy session on PostgreSQL; check the proxy's logs or use `ALTER ROLE … SET`.",
      mysqlSessionSet:
        "`{{construct}}` pins the RDS Proxy session; use `SET LOCAL` or the proxy's `EXCLUDE_VARIABLE_SETS` filter.",
      sessionTrack: '`{{construct}}` turns on session tracking, which pins the RDS Proxy session; remove it.',
      setTransaction:
        '`{{construct}}` pins the RDS Proxy session; use `SET SESSION TRANSACTION …` or `START TRANSACTION …` instead.',
      userVariable:
        '`{{construct}}` assigns a user variable, which pins the RDS Proxy session; keep the value in application code.',
      preparedStatement:
        "`{{construct}}` uses a SQL prepared statement, which pins the RDS Proxy session; use the driver's query parameters.",
      discard: '`{{construct}}` pins the RDS Proxy session; remove it, as sessions behind the proxy need no reset.',
      tempObject:
        '`{{construct}}` creates a temporary object, which pins the RDS Proxy session; use a CTE or a subquery instead.',
      cursor: '`{{construct}}` declares a cursor, which pins the RDS Proxy session; page with `LIMIT` and a keyset instead.',
      listen: '`{{construct}}` pins the RDS Proxy session; listen on a direct database connection, outside Lambda.',
      load: '`{{construct}}` loads a library, which pins the RDS Proxy session; preload it through the DB parameter group.',
      sequenceFunction:
        '`{{construct}}` pins the RDS Proxy session; use a column default and `INSERT … RETURNING` instead.',
      advisoryLock:
        '`{{construct}}` takes a session-level lock, which pins the RDS Proxy session; use `pg_advisory_xact_lock()` instead.',
      tableLock:
        '`{{construct}}` pins the RDS Proxy session; lock rows with `SELECT … FOR UPDATE` in a transaction instead.',
      namedLock:
        '`{{construct}}` takes a session lock, which pins the RDS Proxy session; lock a row with `SELECT … FOR UPDATE` instead.',
      executableComment: 'The executable comment `{{construct}}` pins the RDS Proxy session; write the SQL without `/*! … */`.',
      rowCountFunction: "`{{construct}}` may pin the RDS Proxy session; read the row count from the driver's result instead.",
      statementTooLong:
        "This SQL text of at least {{bytes}} bytes is over RDS Proxy's 16,384-byte limit and pins the session; split it or use a stored procedure.",
      binaryPreparedStatement:
        '`{{call}}` uses a server-side prepared statement, which pins the RDS Proxy session; use `query()` instead.',
      sequelizeBind:
        'Sequelize runs `bind` queries as mysql2 prepared statements, which pin the RDS Proxy session; use `replacements` instead.',
      sequelizeSessionSet: "Sequelize's connection setup pins the RDS Proxy session; set {{settings}}.",
      knexSearchPath:
        'The knex `searchPath` option runs `SET search_path`, which pins the RDS Proxy session; use `withSchema()` or `ALTER ROLE … SET`.',
      slonikResetConnection:
        'The slonik pool resets connections with `DISCARD ALL`, which pins the RDS Proxy session; pass `resetConnection: async () => {}`.',
      mariadbSessionVariable:
        "The mariadb `sessionVariables` entry `{{name}}` pins the RDS Proxy session; move it to the proxy's initialization query.",
      postgresPrepare:
        'The postgres.js client makes named prepared statements, which may pin the RDS Proxy session; pass `prepare: false`.',
      namedPreparedStatement:
        'The query `name` makes pg create a named prepared statement, which may pin the RDS Proxy session; drop `name`.',
    },
  },
  create(context, [options]) {
    const analysis = getFileAnalysis(context);
    if (!analysis) return {};
    const sourceCode = context.sourceCode;

    const calls: TSESTree.CallExpression[] = [];
    const tags: TSESTree.TaggedTemplateExpression[] = [];

    return {
      CallExpression(node) {
        if (isSqlCallCandidate(node)) calls.push(node);
      },
      TaggedTemplateExpression(node) {
        tags.push(node);
      },
      'Program:exit'() {
        const fileSql = getFileSql(analysis, { calls, tags });
        const reported = new Set<string>();
        const report = (
          range: readonly [number, number],
          messageId: MessageIds,
          data: Record<string, string>,
        ): void => {
          const key = `${range[0]}:${range[1]}:${messageId}`;
          if (reported.has(key)) return;
          reported.add(key);
          context.report({
            loc: { start: sourceCode.getLocFromIndex(range[0]), end: sourceCode.getLocFromIndex(range[1]) },
            messageId,
            data,
          });
        };

        for (const site of fileSql.sites) {
          const source = site.source;
          if (!source) continue;
          for (const finding of findingsForEngine(source, site.engine)) {
            const messageId = messageFor(finding, site, options);
            if (messageId) report(source.sourceRange(finding.start, finding.end), messageId, { construct: finding.construct });
          }
          // Each UTF-16 code unit is at most 3 bytes of UTF-8: shorter texts cannot be over the limit.
          const bytes = source.text.length * 3 > MAX_STATEMENT_BYTES ? source.staticByteLength : 0;
          if (bytes > MAX_STATEMENT_BYTES) {
            const node = site.sqlNode as TSESTree.Node;
            report(node.range, 'statementTooLong', { bytes: bytes.toLocaleString('en-US') });
          }
        }

        for (const finding of findDriverBehaviours(analysis, fileSql)) {
          if (finding.variableSet && options.excludeVariableSets) continue;
          if (finding.kind === 'namedPreparedStatement' || finding.kind === 'postgresPrepare') {
            if (!options.checkNamedPreparedStatements) continue;
          }
          report(finding.node.range, finding.kind, { ...finding.data });
        }
      },
    };
  },
});

function messageFor(finding: SqlFinding, site: SqlSite, options: Options[0]): MessageIds | undefined {
  if (finding.variableSet && options.excludeVariableSets) return undefined;
  switch (finding.kind) {
    case 'sessionSet':
      if (site.engine === 'postgresql') return 'postgresSessionSet';
      return site.engine === 'mysql' ? 'mysqlSessionSet' : 'sessionSet';
    case 'transactionSet':
      return options.checkSetLocal ? 'postgresTransactionSet' : undefined;
    default:
      return FINDING_MESSAGES[finding.kind];
  }
}
