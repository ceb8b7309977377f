/**
 * Driver and ORM behaviour that pins RDS Proxy sessions without any SQL in the source (domain notes §1.8):
 * binary-protocol prepared statements, SQL an ORM runs on every new connection, pool reset queries, and named
 * protocol-level prepared statements (UNCONFIRMED, reported only on request).
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import type { DriverInstance, FileAnalysis } from '../analysis.js';
import { ownValue, queryApis } from '../drivers/queries.js';
import { getPropertyName, unwrapExpression } from '../ast/nodes.js';
import { MYSQL_TRACKED_VARIABLES } from './classify-mysql.js';
import { configObject, type FileSql, type SqlSite } from './sites.js';
import { lookupProperty, objectOf, staticValue } from './static.js';

type SourceCode = Readonly<TSESLint.SourceCode>;

export type BehaviourKind =
  /** mysql2 / mariadb `execute()` / `prepare()`. */
  | 'binaryPreparedStatement'
  /** Sequelize (mysql dialect) `query(sql, { bind })`, run through mysql2 `execute()`. */
  | 'sequelizeBind'
  /** Sequelize (postgres dialect) `SET client_min_messages` / `SET TIME ZONE` on every new connection. */
  | 'sequelizeSessionSet'
  /** knex `searchPath` (PostgreSQL): `SET search_path` on every new connection. */
  | 'knexSearchPath'
  /** slonik's default `resetConnection` runs `DISCARD ALL` on release. */
  | 'slonikResetConnection'
  /** mariadb `sessionVariables` with a variable RDS Proxy does not track. */
  | 'mariadbSessionVariable'
  /** postgres.js named prepared statements (`prepare: true`, the default). UNCONFIRMED. */
  | 'postgresPrepare'
  /** pg `{ name, text }` named prepared statement. UNCONFIRMED. */
  | 'namedPreparedStatement';

export interface BehaviourFinding {
  readonly kind: BehaviourKind;
  readonly node: TSESTree.Node;
  readonly data: Readonly<Record<string, string>>;
  /** A MySQL `SET` (the proxy's `EXCLUDE_VARIABLE_SETS` filter ignores it). */
  readonly variableSet?: boolean;
}

/** Drivers whose `{ name }` query config prepares a named statement on a PostgreSQL connection. */
const NAMED_STATEMENT_DRIVERS = new Set(['pg', 'pg-pool', 'neon', 'vercel-postgres', 'serverless-postgres', 'pg-promise']);

export function findDriverBehaviours(analysis: FileAnalysis, fileSql: FileSql): BehaviourFinding[] {
  const sourceCode = analysis.sourceCode;
  const out: BehaviourFinding[] = [];
  const engineOf = (instance: DriverInstance) =>
    fileSql.engineOf(instance) ?? fileSql.fileEngine ?? analysis.settings.engine;

  for (const site of fileSql.sites) {
    if (site.kind !== 'call' || !site.callee || site.method === undefined) continue;
    const driver = site.origin.driver;
    const api = driver ? ownValue(queryApis, driver.id) : undefined;
    // A handle known only by its name must also be given SQL text: `db.execute(sql\`…\`)` of a query builder
    // imported from elsewhere is not a mysql2 call.
    const plausible = site.origin.by !== 'name' || site.source !== null;
    if (site.engine === 'mysql' && plausible && api?.binaryPrepareMethods?.includes(site.method)) {
      const receiver = receiverText(sourceCode, site.callee);
      out.push({
        kind: 'binaryPreparedStatement',
        node: site.callee.property,
        data: { call: `${receiver}.${site.method}()` },
      });
    }
    if (driver?.id === 'sequelize' && site.method === 'query' && site.origin.instance) {
      const dialect = staticValue(sourceCode, instanceOption(sourceCode, site.origin.instance, 'dialect'));
      const options = objectOf(sourceCode, site.node.type === AST_NODE_TYPES.CallExpression ? site.node.arguments[1] : undefined);
      const bind = options ? lookupProperty(sourceCode, options, 'bind').property : undefined;
      if (dialect === 'mysql' && bind) out.push({ kind: 'sequelizeBind', node: bind, data: {} });
    }
    namedStatement(sourceCode, site, out);
  }

  for (const instance of analysis.instances) {
    switch (instance.driver.id) {
      case 'sequelize':
        if (engineOf(instance) === 'postgresql') sequelizePostgres(sourceCode, instance, out);
        break;
      case 'knex':
        if (engineOf(instance) === 'postgresql') {
          const config = objectOf(sourceCode, instance.node.arguments[0]);
          const searchPath = config ? lookupProperty(sourceCode, config, 'searchPath').property : undefined;
          if (searchPath) out.push({ kind: 'knexSearchPath', node: searchPath, data: {} });
        }
        break;
      case 'slonik':
        slonikReset(sourceCode, instance, out);
        break;
      case 'mariadb':
        mariadbSessionVariables(sourceCode, instance, out);
        break;
      case 'postgres':
        postgresPrepare(sourceCode, instance, out);
        break;
      default:
        break;
    }
  }
  return out;
}

/** The longest receiver a message quotes: longer ones read `connection`, so the message stays one short line. */
const MAX_RECEIVER = 30;

/**
 * The receiver as it is written, when it is a plain chain of names and argument-less calls (`pool`,
 * `this.db`, `pool.promise()`, `getPool()`); otherwise `connection`. Never any literal, so never a secret.
 */
function receiverText(_sourceCode: SourceCode, callee: TSESTree.MemberExpression): string {
  const text = renderChain(callee.object, 0);
  return text !== undefined && text.length <= MAX_RECEIVER ? text : 'connection';
}

function renderChain(raw: TSESTree.Node, depth: number): string | undefined {
  if (depth > 8) return undefined;
  const node = unwrapExpression(raw);
  switch (node.type) {
    case AST_NODE_TYPES.Identifier:
      return node.name;
    case AST_NODE_TYPES.ThisExpression:
      return 'this';
    case AST_NODE_TYPES.MemberExpression: {
      const name = node.computed ? undefined : getPropertyName(node);
      const object = renderChain(node.object, depth + 1);
      return name !== undefined && object !== undefined ? `${object}.${name}` : undefined;
    }
    case AST_NODE_TYPES.CallExpression: {
      if (node.arguments.length > 0) return undefined;
      const callee = renderChain(node.callee, depth + 1);
      return callee === undefined ? undefined : `${callee}()`;
    }
    default:
      return undefined;
  }
}

function instanceOption(sourceCode: SourceCode, instance: DriverInstance, key: string): TSESTree.Node | undefined {
  const config = configObject(sourceCode, instance);
  return config ? lookupProperty(sourceCode, config, key).value : undefined;
}

/** pg `client.query({ name, text })`: a named protocol-level prepared statement. */
function namedStatement(sourceCode: SourceCode, site: SqlSite, out: BehaviourFinding[]): void {
  if (!site.queryConfig || site.engine !== 'postgresql') return;
  const driver = site.origin.driver;
  if (driver ? !NAMED_STATEMENT_DRIVERS.has(driver.id) : site.origin.by !== 'name') return;
  const name = lookupProperty(sourceCode, site.queryConfig, 'name');
  if (name.property && name.value && staticValue(sourceCode, name.value) !== '') {
    out.push({ kind: 'namedPreparedStatement', node: name.property, data: {} });
  }
}

/** What turns off each `SET` Sequelize's postgres dialect runs on a new connection. */
const CLIENT_MIN_MESSAGES_OFF = "`dialectOptions.clientMinMessages: 'ignore'`";
const KEEP_TIMEZONE = '`keepDefaultTimezone: true`';

/**
 * Sequelize's postgres dialect runs `SET client_min_messages TO warning` unless
 * `dialectOptions.clientMinMessages` is `'ignore'` or `clientMinMessages` is `false`, and `SET TIME ZONE …`
 * unless `keepDefaultTimezone` is true, on every new connection (v6 `connection-manager.js`).
 */
function sequelizePostgres(sourceCode: SourceCode, instance: DriverInstance, out: BehaviourFinding[]): void {
  const config = configObject(sourceCode, instance);
  // The settings that turn off the `SET`s it would run (for the message).
  const settings: string[] = [];
  if (!config) {
    // `new Sequelize('postgres://…')` with no options: both defaults apply.
    if (instance.node.arguments.length !== 1) return;
    settings.push(CLIENT_MIN_MESSAGES_OFF, KEEP_TIMEZONE);
  } else {
    const keep = lookupProperty(sourceCode, config, 'keepDefaultTimezone');
    const nested = lookupProperty(sourceCode, config, 'dialectOptions.clientMinMessages');
    const top = lookupProperty(sourceCode, config, 'clientMinMessages');
    const nestedValue = staticValue(sourceCode, nested.value);
    const minMessagesOff =
      (typeof nestedValue === 'string' && nestedValue.toLowerCase() === 'ignore') ||
      staticValue(sourceCode, top.value) === false;
    const minMessagesUnknown = (nested.value !== undefined && nestedValue === undefined) || nested.unknown || top.unknown;
    if (!minMessagesOff && !minMessagesUnknown) settings.push(CLIENT_MIN_MESSAGES_OFF);
    const keepValue = staticValue(sourceCode, keep.value);
    if (keepValue !== true && !keep.unknown && (keep.value === undefined || keepValue !== undefined)) {
      settings.push(KEEP_TIMEZONE);
    }
  }
  if (settings.length === 0) return;
  const dialect = config ? lookupProperty(sourceCode, config, 'dialect').property : undefined;
  out.push({ kind: 'sequelizeSessionSet', node: dialect ?? instance.node, data: { settings: settings.join(' and ') } });
}

/** slonik `createPool(uri, config?)` without a `resetConnection` of its own. */
function slonikReset(sourceCode: SourceCode, instance: DriverInstance, out: BehaviourFinding[]): void {
  const configArg = instance.node.arguments[1];
  if (configArg) {
    const config = objectOf(sourceCode, configArg);
    if (!config) return;
    const reset = lookupProperty(sourceCode, config, 'resetConnection');
    if (reset.value || reset.unknown) return;
  }
  out.push({ kind: 'slonikResetConnection', node: instance.node, data: {} });
}

/** mariadb `sessionVariables: { name: value }`: `SET` of each on every new connection. */
function mariadbSessionVariables(sourceCode: SourceCode, instance: DriverInstance, out: BehaviourFinding[]): void {
  const config = objectOf(sourceCode, instance.node.arguments[0]);
  const variables = config ? objectOf(sourceCode, lookupProperty(sourceCode, config, 'sessionVariables').value) : undefined;
  if (!variables) return;
  for (const property of variables.properties) {
    if (property.type !== AST_NODE_TYPES.Property) continue;
    const name = getPropertyName(property);
    if (name === undefined || MYSQL_TRACKED_VARIABLES.has(name.toLowerCase())) continue;
    out.push({ kind: 'mariadbSessionVariable', node: property.key, data: { name }, variableSet: true });
  }
}

/** postgres.js `postgres(url?, options?)` without `prepare: false`. */
function postgresPrepare(sourceCode: SourceCode, instance: DriverInstance, out: BehaviourFinding[]): void {
  const args = instance.node.arguments;
  const first = args[0] ? unwrapExpression(args[0]) : undefined;
  const optionsArg = first && objectOf(sourceCode, first) ? first : args[1];
  if (optionsArg) {
    const options = objectOf(sourceCode, optionsArg);
    if (!options) return;
    const prepare = lookupProperty(sourceCode, options, 'prepare');
    if (prepare.unknown) return;
    if (prepare.value) {
      if (staticValue(sourceCode, prepare.value) === true) {
        out.push({ kind: 'postgresPrepare', node: prepare.property!, data: {} });
      }
      return;
    }
  }
  out.push({ kind: 'postgresPrepare', node: instance.node, data: {} });
}
