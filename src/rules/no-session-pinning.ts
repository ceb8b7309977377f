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

const PINNED = 'pins the client session to one database connection until the client disconnects';

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
    messages: {
      sessionSet: `\`{{construct}}\` changes a session setting that RDS Proxy does not track (it tracks none on PostgreSQL and only a few variables on MySQL), so it ${PINNED}. Pass the setting at connection time or in the proxy's initialization query, or set \`settings['lambda-rds'].engine\` for engine-specific advice.`,
      postgresSessionSet: `\`{{construct}}\` changes PostgreSQL session state, which RDS Proxy does not track, so it ${PINNED}. Set it per role or database (\`ALTER ROLE … SET\`), pass it as a startup parameter only if RDS Proxy supports that one (\`application_name\`, \`client_encoding\`, \`DateStyle\`, \`TimeZone\`, \`extra_float_digits\`, \`search_path\`), or use fully qualified names instead of \`search_path\`.`,
      postgresTransactionSet:
        "`{{construct}}` is transaction-scoped; AWS documents that this does not pin only for MySQL, so behind RDS Proxy it may pin the PostgreSQL session to one database connection. Check the proxy's enhanced logging, or set it per role or database (`ALTER ROLE … SET`).",
      mysqlSessionSet: `\`{{construct}}\` sets a session variable that RDS Proxy does not track, so it ${PINNED}. Use \`SET LOCAL\` in each transaction that needs it, move it to the proxy's initialization query, or turn on the proxy's \`EXCLUDE_VARIABLE_SETS\` session pinning filter (and this rule's \`excludeVariableSets\` option).`,
      sessionTrack: `\`{{construct}}\` turns on server session-state tracking, which RDS Proxy does not use and which ${PINNED}. Remove it: the proxy tracks session state its own way.`,
      setTransaction: `\`{{construct}}\` without \`SESSION\` sets the characteristics of the next transaction only, which RDS Proxy does not track, so it ${PINNED}. Use \`START TRANSACTION READ ONLY\` (or \`READ WRITE\`), or \`SET SESSION TRANSACTION …\`, which the proxy tracks.`,
      userVariable: `\`{{construct}}\` assigns a user variable, session state that RDS Proxy does not track, so it ${PINNED}. Keep the value in application code, or compute it within one statement (a derived table or a CTE).`,
      preparedStatement: `\`{{construct}}\` manages a SQL-level prepared statement, which lives in the database session, so it ${PINNED}. Send parameterised queries through the driver instead (unnamed \`$1\` parameters on PostgreSQL, \`query()\` placeholders on MySQL).`,
      discard: `\`{{construct}}\` discards session state, and RDS Proxy pins a session that runs \`DISCARD\` (also as a pool reset query) to one database connection until the client disconnects. Remove it: sessions behind the proxy need no reset.`,
      tempObject: `\`{{construct}}\` creates a temporary object, which belongs to the database session, so it ${PINNED}. Use a CTE or a subquery, or a regular table keyed by request.`,
      cursor: `\`{{construct}}\` declares a cursor, session state that ${PINNED}. Page with \`LIMIT\` and a keyset (\`WHERE id > $1\`), or read the rows in one query.`,
      listen: `\`{{construct}}\` subscribes the session to notifications, which ${PINNED}. Listen on a dedicated connection to the database itself, not through the proxy and not in a Lambda function.`,
      load: `\`{{construct}}\` loads a library into the session, which ${PINNED}. Load the library through the DB parameter group (\`shared_preload_libraries\` or \`session_preload_libraries\`).`,
      sequenceFunction: `\`{{construct}}\` changes the session's sequence state (\`currval\`, \`lastval\`), which ${PINNED}. Let a column default generate the value and read it back with \`INSERT … RETURNING\`.`,
      advisoryLock: `\`{{construct}}\` takes a session-level advisory lock that outlives the transaction, which ${PINNED}. Use \`pg_advisory_xact_lock()\` or \`pg_try_advisory_xact_lock()\` inside a transaction instead.`,
      tableLock: `\`{{construct}}\` holds table locks for the session, which ${PINNED}. Lock the rows you need inside a transaction instead (\`SELECT … FOR UPDATE\`).`,
      namedLock: `\`{{construct}}\` takes a named lock held by the session, which ${PINNED}. Lock a row of a lock table inside a transaction instead (\`SELECT … FOR UPDATE\`).`,
      executableComment: `The executable comment \`{{construct}}\` hides SQL that RDS Proxy cannot parse, so it ${PINNED}. Write the statement without \`/*! … */\` or \`/*M! … */\`.`,
      rowCountFunction:
        "`{{construct}}` may pin the client session to one database connection behind RDS Proxy (AWS: it sometimes causes pinning). Read the row count from the driver's result (`affectedRows`, the number of rows) or run a separate `COUNT(*)` query.",
      statementTooLong: `This SQL text is at least {{bytes}} bytes, over RDS Proxy's 16,384-byte limit, so running it ${PINNED}. Shorten or split it, or move it into a stored procedure or a view.`,
      binaryPreparedStatement: `\`{{call}}\` uses binary-protocol prepared statements (\`COM_STMT_PREPARE\`), which RDS Proxy cannot multiplex, so it ${PINNED}. Use \`{{alternative}}\`, which escapes placeholders on the client.`,
      sequelizeBind: `Sequelize (mysql dialect) runs queries with \`bind\` parameters as mysql2 prepared statements (\`execute()\`), which ${PINNED}. Use \`replacements\` instead of \`bind\`.`,
      sequelizeSessionSet:
        "Sequelize with the postgres dialect runs {{statements}} on every new connection, so RDS Proxy pins every session to one database connection. Set `keepDefaultTimezone: true` and `dialectOptions: { clientMinMessages: 'ignore' }`, and set the time zone on the database or role.",
      knexSearchPath:
        'The knex `searchPath` option runs `SET search_path` on every new connection, so RDS Proxy pins every session to one database connection. Use schema-qualified names (`withSchema()`), or set the path on the role (`ALTER ROLE … SET search_path`).',
      slonikResetConnection:
        'The slonik pool resets every connection with `DISCARD ALL` when it returns to the pool, and RDS Proxy pins a session that runs `DISCARD` to one database connection. Pass `resetConnection: async () => {}` in the pool configuration: connections behind the proxy need no reset.',
      mariadbSessionVariable:
        "The mariadb `sessionVariables` option sets `{{name}}` on every new connection; RDS Proxy does not track it, so every session is pinned to one database connection. Move it to the proxy's initialization query or the DB parameter group.",
      postgresPrepare:
        'The postgres.js client prepares every query as a named statement (`prepare: true` is its default); whether RDS Proxy pins PostgreSQL sessions on named prepared statements since its November 2023 extended-query change is not documented. Pass `prepare: false` to be safe behind the proxy.',
      namedPreparedStatement:
        'The query `name` makes pg create a named prepared statement on the connection; whether RDS Proxy pins PostgreSQL sessions on named prepared statements is not documented. Drop `name`: unnamed `$1` queries are multiplexed.',
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
