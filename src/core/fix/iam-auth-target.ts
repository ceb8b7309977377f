/**
 * Which connection configs move to IAM authentication, and how each driver gets a fresh token (its recipe).
 *
 * A config is a candidate when every value its password may take is a literal or a `process.env` read (the same
 * password settings `no-hardcoded-credentials` reads). Passwords that are already tokens (a function, a
 * `getAuthToken()` call), secrets fetched at run time and passwords inside a connection URI are not candidates;
 * drivers that cannot take an IAM token are refused with the reason.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { enclosingFunction } from '../ast/nodes.js';
import { passwordSettings, type ConfigEntry, type ConfigSetting, type ResolvedConfig } from '../config/index.js';
import { Refusal } from './plan.js';

/** How a driver gets a fresh token for each new connection (domain notes §3.5). */
export type Recipe =
  /** pg `Client`/`Pool`, pg-pool, pg-promise, postgres.js, TypeORM (postgres): `password: () => signer.getAuthToken()`. */
  | 'password-function'
  /** mysql2 (and mysql, which becomes mysql2): `authPlugins.mysql_clear_password` fetches the token on each login. */
  | 'mysql2-auth-plugin'
  /** serverless-mysql: mysql2 as its `library`, the token plugin in its `config`. */
  | 'serverless-mysql'
  /** knex: `connection` becomes a function that fetches a token, with an `expirationChecker`. */
  | 'knex-connection-function'
  /** Sequelize: a `beforeConnect` hook sets `config.password` before each new connection. */
  | 'sequelize-before-connect'
  /** mariadb `createConnection()` (one connection per call): `password: await signer.getAuthToken()`. */
  | 'mariadb-connection';

export interface IamTarget {
  readonly config: ResolvedConfig;
  readonly recipe: Recipe;
  /** The single place the password is written (a property, or Sequelize's positional argument). */
  readonly entry: ConfigEntry;
  readonly settings: readonly ConfigSetting[];
  /** knex `client` / Sequelize `dialect`: the engine's driver. */
  readonly flavour: 'pg' | 'mysql2' | 'mariadb' | undefined;
  /**
   * The `mysql` package (or knex's `mysql` client) gives way to mysql2, which keeps its callback API and can send a
   * token: `module` for the import or require of `mysql`, `knex-client` for `client: 'mysql'`.
   */
  readonly swap: 'module' | 'knex-client' | undefined;
}

export interface Candidate {
  readonly passwords: readonly ConfigSetting[];
  /** The literal passwords (the findings of `no-hardcoded-credentials`). */
  readonly literals: readonly ConfigSetting[];
}

function isLiteralPassword(setting: ConfigSetting): boolean {
  const v = setting.value;
  return v.kind === 'literal' && (typeof v.value === 'string' ? v.value !== '' : typeof v.value === 'number');
}

/** The config's password settings when they are all literals or `process.env` reads (undefined otherwise). */
export function candidateOf(config: ResolvedConfig): Candidate | undefined {
  const passwords = passwordSettings(config);
  if (passwords.length === 0) return undefined;
  const literals = passwords.filter(isLiteralPassword);
  const env = passwords.filter((s) => s.value.kind === 'env');
  if (literals.length + env.length !== passwords.length || passwords.length === 0) return undefined;
  return { passwords, literals };
}

/** Why a config whose password is reported cannot be rewritten, when it is not a candidate at all. */
export function notCandidateReason(config: ResolvedConfig): string {
  const values = passwordSettings(config).map((s) => s.value);
  if (values.some((v) => v.kind === 'uri-part' && v.known)) {
    return 'the password is inside a connection URI; set `host`, `user` and the other settings as separate keys first';
  }
  return `the password of the ${config.site.label} configuration also comes from elsewhere; change it by hand`;
}

/** The target a config makes, or a `Refusal` with the reason it gets none. */
export function targetOf(config: ResolvedConfig, candidate: Candidate): IamTarget {
  const recipe = recipeFor(config);
  const entries = new Set(candidate.passwords.map((s) => s.entry));
  const entry = candidate.passwords[0]!.entry;
  if (entries.size > 1) throw new Refusal('the password is set in more than one place (a conditional spread or several keys); change it by hand');
  if (entry.kind === 'assignment') throw new Refusal('the password is assigned to the configuration after it is created; change it by hand');
  const swap =
    config.site.driver.id === 'mysql' ? 'module' : config.site.driver.id === 'knex' && literalSetting(config, 'client') === 'mysql' ? 'knex-client' : undefined;
  return { config, recipe, entry, settings: candidate.passwords, flavour: flavourOf(config), swap };
}

/** A literal `client` (knex) or `dialect` (Sequelize) or `type` (TypeORM) value. */
export function literalSetting(config: ResolvedConfig, key: string): string | undefined {
  const values = config.lookup(key).map((s) => s.value);
  const strings = new Set(values.map((v) => (v.kind === 'literal' && typeof v.value === 'string' ? v.value.toLowerCase() : '?')));
  return strings.size === 1 && !strings.has('?') ? [...strings][0] : undefined;
}

function flavourOf(config: ResolvedConfig): IamTarget['flavour'] {
  const id = config.site.driver.id;
  if (id === 'knex') {
    const client = literalSetting(config, 'client');
    if (client === 'pg' || client === 'postgres' || client === 'postgresql') return 'pg';
    if (client === 'mysql2' || client === 'mysql') return 'mysql2';
    return undefined;
  }
  if (id === 'sequelize') {
    const dialect = literalSetting(config, 'dialect');
    if (dialect === 'postgres') return 'pg';
    if (dialect === 'mysql') return 'mysql2';
    if (dialect === 'mariadb') return 'mariadb';
    return undefined;
  }
  return undefined;
}

const NO_IAM_SQL_SERVER =
  'SQL Server has no RDS IAM database authentication for this driver; use a password from AWS Secrets Manager instead';

/** The recipe for a config, or a `Refusal` with the reason it gets none. */
function recipeFor(config: ResolvedConfig): Recipe {
  const { site } = config;
  const creator = site.kind === 'creator';
  switch (site.driver.id) {
    case 'pg':
    case 'pg-pool':
    case 'pg-promise':
    case 'postgres':
      if (creator) return 'password-function';
      throw new Refusal(`${site.label} is not handled by this fix; change it by hand`);
    case 'typeorm':
      if (config.engine === 'postgresql' && literalSetting(config, 'type') === 'postgres') return 'password-function';
      throw new Refusal(
        `${site.label} with this \`type\` is not handled: TypeORM gets a fresh token per connection only for \`type: 'postgres'\` (a password function); for mysql, pass an \`authPlugins\` plugin in \`extra\` by hand`,
      );
    case 'mysql2':
    case 'mysql':
      if (creator || /`add\(\)`$/.test(site.label)) return 'mysql2-auth-plugin';
      throw new Refusal(`${site.label} is not handled by this fix`);
    case 'serverless-mysql':
      if (creator) return 'serverless-mysql';
      throw new Refusal(
        'serverless-mysql configured with `config()` is not handled: pass `{ library: mysql2, config: {...} }` to serverless-mysql, with the settings, instead',
      );
    case 'mariadb': {
      const path = site.instance?.creator.path.join('.');
      if (path !== 'createConnection') {
        throw new Refusal(
          `the mariadb connector reads \`password\` as a string when ${site.label} opens a connection, and has no hook to fetch a token for each new one; open connections with \`createConnection({ ..., password: await signer.getAuthToken() })\` instead`,
        );
      }
      const fn = enclosingFunction(site.node);
      const topLevelAwait = !fn && isModule(site.node);
      if (!(fn?.async || topLevelAwait)) {
        throw new Refusal('the mariadb connection is not created where a token can be awaited (an `async` function or module top level)');
      }
      return 'mariadb-connection';
    }
    case 'knex': {
      const client = literalSetting(config, 'client');
      if (client === 'mssql') throw new Refusal(NO_IAM_SQL_SERVER);
      if (!flavourOf(config)) throw new Refusal('knex `client` is not `pg`, `mysql` or `mysql2` (or not a literal), so the token recipe is unknown');
      return 'knex-connection-function';
    }
    case 'sequelize': {
      const dialect = literalSetting(config, 'dialect');
      if (dialect === 'mssql') throw new Refusal(NO_IAM_SQL_SERVER);
      if (!flavourOf(config)) throw new Refusal('Sequelize `dialect` is not postgres, mysql or mariadb (or not a literal)');
      return 'sequelize-before-connect';
    }
    case 'mssql':
    case 'tedious':
      throw new Refusal(NO_IAM_SQL_SERVER);
    case 'neon':
    case 'vercel-postgres':
      throw new Refusal(`${site.label} does not connect to RDS, so RDS IAM tokens do not apply`);
    default:
      throw new Refusal(`${site.label} is not handled by this fix; see docs/codemods/iam-auth.md for the recipe`);
  }
}

function isModule(node: TSESTree.Node): boolean {
  let current: TSESTree.Node | undefined = node;
  while (current?.parent) current = current.parent;
  return current?.type === AST_NODE_TYPES.Program && current.sourceType === 'module';
}
