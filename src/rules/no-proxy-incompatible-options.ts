import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { createRule } from '../util/create-rule.js';
import { getFileAnalysis, isLambdaFile } from '../core/analysis.js';
import {
  classifyHost,
  getConnectionConfigs,
  isProxyEndpoint,
  locate,
  ReportedLocations,
  reportLocation,
  valueText,
  type ConfigEntry,
  type ConfigValue,
  type ResolvedConfig,
} from '../core/config/index.js';

export type Options = [];
export type MessageIds = 'startupParameter' | 'commandLineOptions' | 'slonikDefaultTimeouts' | 'compressedProtocol';

/**
 * Cheap test of the raw text: every reported option is written in the file as one of these words (slonik's defaults
 * need a slonik import).
 */
const OPTION_HINT = /statement_?timeout|lock_timeout|idle_?in_?transaction|compress|options|slonik/i;

/** PostgreSQL settings node-postgres puts in the startup message (`Client#getStartupConf`), besides user/database. */
const PG_STARTUP = ['options', 'statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout'] as const;
type StartupName = (typeof PG_STARTUP)[number];

/**
 * Sequelize passes only these of its startup-parameter `dialectOptions` on to pg (`dialects/postgres/connection-manager.js`;
 * `options` in recent versions only, `lock_timeout` never).
 */
const SEQUELIZE_PG = ['options', 'statement_timeout', 'idle_in_transaction_session_timeout'] as const;

/** slonik's pg driver turns these into startup parameters (`@slonik/pg-driver` `createClientConfiguration`). */
const SLONIK_TIMEOUTS: Readonly<Record<string, StartupName>> = {
  statementTimeout: 'statement_timeout',
  idleInTransactionSessionTimeout: 'idle_in_transaction_session_timeout',
};

/** What a config sends, by driver family. */
type Family =
  | { kind: 'pg'; prefix: string; names: readonly StartupName[] }
  | { kind: 'postgres.js'; prefix: string }
  | { kind: 'slonik' }
  | { kind: 'mysql'; prefix: string }
  | undefined;

/** The fix for a timeout sent as a startup parameter (the rule's doc page gives the details). */
const TIMEOUT_FIX = 'use `ALTER ROLE … SET` instead';

/** The fix for a slonik timeout option: `'DISABLE_TIMEOUT'` (then a role default, as the doc page says). */
const SLONIK_FIX = "set it to `'DISABLE_TIMEOUT'`";

export default createRule<Options, MessageIds>({
  name: 'no-proxy-incompatible-options',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow connection options that RDS Proxy does not support',
      recommended: true,
    },
    schema: [],
    messages: {
      startupParameter: '`{{name}}` is sent as a startup parameter, which RDS Proxy does not support; {{fix}}.',
      commandLineOptions: '`options` is sent as a startup parameter, which RDS Proxy refuses; {{fix}}.',
      slonikDefaultTimeouts: "Slonik sends {{keys}} by default, unsupported by RDS Proxy; set {{them}} to `'DISABLE_TIMEOUT'`.",
      compressedProtocol: '`{{key}}` asks for the MySQL compressed protocol, which RDS Proxy does not support; remove it.',
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    // The shared (cached) connection configs first: most files have none, and then this rule's text check is not run.
    const files = getConnectionConfigs(context);
    if (!files || !OPTION_HINT.test(sourceCode.text)) return {};
    const analysis = getFileAnalysis(context);
    const isLambda = (): boolean => isLambdaFile(context);
    const reported = new ReportedLocations();

    function report(
      node: TSESTree.Node,
      range: readonly [number, number] | undefined,
      messageId: MessageIds,
      data: Record<string, string>,
    ): void {
      if (reported.add(node, range)) context.report({ ...reportLocation(sourceCode, node, range), messageId, data });
    }

    /** A startup parameter written as a config key (the report is on the key, so the message names the parameter). */
    function reportKey(config: ResolvedConfig, entry: ConfigEntry, name: StartupName, fix: string = TIMEOUT_FIX): void {
      const node = reportNode(entry);
      if (name === 'options') report(node, undefined, 'commandLineOptions', { fix: optionsFix(config) });
      else report(node, undefined, 'startupParameter', { name, fix });
    }

    function checkPgKeys(config: ResolvedConfig, prefix: string, names: readonly StartupName[]): void {
      for (const name of names) {
        for (const entry of entries(config, `${prefix}${name}`)) {
          if (entry.values.some(maySend)) reportKey(config, entry, name);
        }
      }
    }

    /** URI query parameters the driver turns into startup parameters (`?options=-c%20search_path%3Dapp`). */
    function checkUriParams(config: ResolvedConfig, names: readonly StartupName[]): void {
      for (const uri of config.uris) {
        for (const param of uri.parsed.params) {
          const name = names.find((n) => n === param.name);
          if (!name || param.value.text === '' || param.value.text === '0') continue;
          const location = locate(uri.text, param.span.start, param.span.end);
          if (name === 'options') {
            report(location.node, location.range, 'commandLineOptions', { fix: optionsFix(config) });
          } else {
            report(location.node, location.range, 'startupParameter', { name, fix: TIMEOUT_FIX });
          }
        }
      }
    }

    function checkSlonik(config: ResolvedConfig): void {
      for (const [key, name] of Object.entries(SLONIK_TIMEOUTS)) {
        for (const entry of entries(config, key)) {
          if (entry.values.some((v) => !isLiteral(v, 'DISABLE_TIMEOUT'))) reportKey(config, entry, name, SLONIK_FIX);
        }
      }
      checkUriParams(config, ['options']);
      // Left out, both are sent with their defaults; reported once at the call.
      const missing = Object.keys(SLONIK_TIMEOUTS).filter((key) => entries(config, key).length === 0);
      if (missing.length > 0 && optionsKnown(config)) {
        report(config.site.node, undefined, 'slonikDefaultTimeouts', {
          keys: missing.map((k) => `\`${k}\``).join(' and '),
          them: missing.length > 1 ? 'them' : 'it',
        });
      }
    }

    function checkCompress(config: ResolvedConfig, prefix: string): void {
      for (const entry of entries(config, `${prefix}compress`)) {
        if (entry.values.some(maySend)) report(reportNode(entry), undefined, 'compressedProtocol', { key: 'compress' });
      }
      for (const uri of config.uris) {
        for (const param of uri.parsed.params) {
          if (param.name !== 'compress' || !/^(?:true|1)$/i.test(param.value.text)) continue;
          const location = locate(uri.text, param.span.start, param.span.end);
          report(location.node, location.range, 'compressedProtocol', { key: param.span.text });
        }
      }
    }

    function checkConfig(config: ResolvedConfig): void {
      const family = familyOf(config);
      if (!family) return;
      if (!isLambda() && !connectsToProxy(config)) return;
      switch (family.kind) {
        case 'pg':
          checkPgKeys(config, family.prefix, family.names);
          checkUriParams(config, family.names);
          return;
        case 'postgres.js':
          checkPgKeys(config, family.prefix, PG_STARTUP);
          checkUriParams(config, PG_STARTUP);
          return;
        case 'slonik':
          checkSlonik(config);
          return;
        case 'mysql':
          checkCompress(config, family.prefix);
          return;
      }
    }

    return {
      'Program:exit'() {
        for (const config of files.configs) checkConfig(config);
      },
    };
  },
});

/** Which options the config's driver sends, and where in the config they are written. */
function familyOf(config: ResolvedConfig): Family {
  const { site } = config;
  const engine = config.engine;
  switch (site.driver.id) {
    case 'pg':
    case 'pg-pool':
    case 'pg-promise':
    case 'serverless-postgres':
      return { kind: 'pg', prefix: '', names: PG_STARTUP };
    case 'postgres':
      return { kind: 'postgres.js', prefix: 'connection.' };
    case 'slonik':
      return { kind: 'slonik' };
    case 'mysql2':
    case 'mariadb':
      return { kind: 'mysql', prefix: '' };
    case 'serverless-mysql':
      // `serverlessMysql({ config: {...} })`; `mysql.config({...})` takes the mysql2 options directly.
      return { kind: 'mysql', prefix: site.kind === 'creator' ? 'config.' : '' };
    case 'knex':
      if (engine === 'postgresql') return { kind: 'pg', prefix: 'connection.', names: PG_STARTUP };
      // knex's `mysql` client is mysqljs, which has no compressed protocol.
      if (engine === 'mysql' && !literalIn(config, 'client', 'mysql')) return { kind: 'mysql', prefix: 'connection.' };
      return undefined;
    case 'sequelize':
      if (engine === 'postgresql') return { kind: 'pg', prefix: 'dialectOptions.', names: SEQUELIZE_PG };
      if (engine === 'mysql') return { kind: 'mysql', prefix: 'dialectOptions.' };
      return undefined;
    case 'typeorm':
      if (engine === 'postgresql') return { kind: 'pg', prefix: 'extra.', names: PG_STARTUP };
      if (engine === 'mysql') return { kind: 'mysql', prefix: 'extra.' };
      return undefined;
    case 'drizzle':
      if (site.module === 'drizzle-orm/node-postgres') return { kind: 'pg', prefix: 'connection.', names: PG_STARTUP };
      if (site.module === 'drizzle-orm/postgres-js') return { kind: 'postgres.js', prefix: 'connection.connection.' };
      if (site.module === 'drizzle-orm/mysql2') return { kind: 'mysql', prefix: 'connection.' };
      return undefined;
    default:
      return undefined;
  }
}

/** The code says it connects to an RDS Proxy endpoint (a host key or a URI host). */
function connectsToProxy(config: ResolvedConfig): boolean {
  for (const setting of config.get('host')) {
    const value = setting.value;
    const host = value.kind === 'uri-part' ? value.span.text : valueText(value)?.text;
    if (host !== undefined && isProxyEndpoint(classifyHost(host))) return true;
  }
  return false;
}

function entries(config: ResolvedConfig, path: string): ConfigEntry[] {
  const out: ConfigEntry[] = [];
  for (const object of config.objects) out.push(...object.get(path));
  return out;
}

/** The property (`statement_timeout: 5000`) or assignment that sets an option; else the value. */
function reportNode(entry: ConfigEntry): TSESTree.Node {
  return entry.holder.type === AST_NODE_TYPES.Property || entry.holder.type === AST_NODE_TYPES.AssignmentExpression
    ? entry.holder
    : entry.expression;
}

/** Whether a value may make the driver send the option: anything but `undefined`, `null`, `false`, `0`, `''`. */
function maySend(value: ConfigValue): boolean {
  if (value.kind === 'literal') return Boolean(value.value);
  if (value.kind === 'unknown') {
    return !(value.node.type === AST_NODE_TYPES.Identifier && value.node.name === 'undefined');
  }
  return true;
}

function isLiteral(value: ConfigValue, expected: string): boolean {
  return value.kind === 'literal' && value.value === expected;
}

function literalIn(config: ResolvedConfig, key: string, expected: string): boolean {
  return config.lookup(key).some((s) => isLiteral(s.value, expected));
}

/** Nothing the rule cannot see can set slonik's options: the options argument is absent or fully known. */
function optionsKnown(config: ResolvedConfig): boolean {
  if (config.objects.some((o) => !o.complete)) return false;
  for (const arg of config.arguments) {
    if (arg.role === 'config' && !arg.entry.values.every((v) => v.kind === 'object')) return false;
  }
  return true;
}

/** Role defaults for every `-c`; postgres.js can also send `search_path` as a startup parameter the proxy supports. */
function optionsFix(config: ResolvedConfig): string {
  const postgresJs = config.site.driver.id === 'postgres' || config.site.module === 'drizzle-orm/postgres-js';
  return postgresJs
    ? 'move each `-c` to `ALTER ROLE … SET` or `connection: { search_path }`'
    : 'move each `-c` setting to `ALTER ROLE … SET`';
}
