/**
 * The connection configs to move to IAM authentication, found with the config resolver exactly as the rules find
 * them: every config whose password is a literal, a `process.env` read, or an env read with a literal fallback.
 * Passwords that are already tokens (a function, a `getAuthToken()` call), come from Secrets Manager or any other
 * call, and HTTP Data API clients are not targets. Configs of drivers that cannot take an IAM token are left alone
 * with the reason.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { enclosingFunction } from '../../../core/ast/nodes.js';
import {
  getConnectionConfigs,
  type ConfigEntry,
  type ConfigSetting,
  type ResolvedConfig,
  type ValueResolver,
  passwordSettings,
} from '../../../core/config/index.js';
import type { Finding, LintOutcome } from '../../shared/legacy-findings.js';
import { callAt, type AnyPath } from '../../shared/ast.js';
import type { TransformContext } from '../../shared/context.js';
import type { PlannedTarget } from '../../shared/legacy-runner.js';
import { meta } from '../meta.js';

/** How a driver gets a fresh token for each new connection (domain notes §3.5). */
export type Recipe =
  /** pg `Client`/`Pool`, pg-pool, pg-promise, postgres.js, TypeORM (postgres): `password: () => signer.getAuthToken()`. */
  | 'password-function'
  /** mysql2: `authPlugins.mysql_clear_password` fetches the token whenever the server asks for it. */
  | 'mysql2-auth-plugin'
  /** knex: `connection` becomes a function that fetches a token, with an `expirationChecker`. */
  | 'knex-connection-function'
  /** Sequelize: a `beforeConnect` hook sets `config.password` before each new connection. */
  | 'sequelize-before-connect'
  /** mariadb `createConnection()` (one connection per call): `password: await signer.getAuthToken()`. */
  | 'mariadb-connection';

export interface IamTarget extends PlannedTarget {
  readonly config: ResolvedConfig;
  readonly recipe: Recipe;
  /** The single place the password is written (a property, or Sequelize's positional argument). */
  readonly entry: ConfigEntry;
  readonly settings: readonly ConfigSetting[];
  /** knex `client` / Sequelize `dialect`: the engine's driver (`pg`, `mysql2`, `mariadb`). */
  readonly flavour: 'pg' | 'mysql2' | 'mariadb' | undefined;
  readonly sourceCode: Readonly<TSESLint.SourceCode>;
  readonly resolver: ValueResolver;
}

export function findTargets(ctx: TransformContext, lint: LintOutcome, settings: Record<string, unknown>): IamTarget[] {
  const sourceCode = lint.sourceCode as unknown as Readonly<TSESLint.SourceCode> | undefined;
  if (!sourceCode) return [];
  const files = getConnectionConfigs({ sourceCode, settings });
  if (!files) return [];
  const findings = lint.findings.filter((f) => f.ruleId === meta.rule);
  const claimed = new Set<Finding>();
  const targets: IamTarget[] = [];
  const byHolder = new Map<TSESTree.Node, IamTarget>();
  for (const config of files.configs) {
    const passwords = passwordSettings(config);
    if (passwords.length === 0) continue;
    const line = config.site.node.loc.start.line;
    const values = passwords.map((s) => s.value);
    const literal = values.filter((v) => v.kind === 'literal' && (typeof v.value === 'string' ? v.value !== '' : typeof v.value === 'number'));
    const env = values.filter((v) => v.kind === 'env');
    const reason = (text: string) => ctx.reasons.push(`${passwords[0]!.value.node.loc.start.line}: ${text}`);
    if (literal.length + env.length === 0) {
      // Already a token, a secret fetched at run time, or a password inside a connection URI.
      if (values.some((v) => v.kind === 'uri-part' && v.known)) {
        reason('the password is inside a connection URI; set `host`, `user` and the other settings as separate keys first');
      }
      continue;
    }
    if (literal.length + env.length !== values.length) {
      if (literal.length > 0) reason(`the password of the ${config.site.label} configuration also comes from elsewhere; change it by hand`);
      continue;
    }
    const recipe = recipeFor(config);
    if (typeof recipe !== 'string') {
      reason(recipe.skip);
      continue;
    }
    const entries = new Set(passwords.map((s) => s.entry));
    const entry = passwords[0]!.entry;
    if (entries.size > 1) {
      reason('the password is set in more than one place (a conditional spread or several keys); change it by hand');
      continue;
    }
    if (entry.kind === 'assignment') {
      reason('the password is assigned to the configuration after it is created; change it by hand');
      continue;
    }
    const path = callAt(ctx.j, ctx.root, config.site.node.range[0]) as AnyPath | undefined;
    if (!path) {
      reason('could not locate the configuring call');
      continue;
    }
    // The findings this target removes (each counted once, for the first config that holds it).
    let covered = 0;
    for (const value of literal) {
      for (const finding of findings) {
        if (!claimed.has(finding) && finding.start >= value.node.range[0] && finding.end <= value.node.range[1]) {
          claimed.add(finding);
          covered++;
        }
      }
    }
    const target: IamTarget = {
      line,
      path,
      findings: covered,
      config,
      recipe,
      entry,
      settings: passwords,
      flavour: flavourOf(config),
      sourceCode,
      resolver: files.resolver,
    };
    // A config object shared by several calls is rewritten once, when they all take the token the same way.
    const shared = byHolder.get(entry.holder);
    if (shared) {
      if (shared.recipe !== recipe || shared.flavour !== target.flavour) {
        reason('the configuration object is shared with a call of another driver; change it by hand');
        const index = targets.indexOf(shared);
        if (index >= 0) targets.splice(index, 1);
      }
      continue;
    }
    byHolder.set(entry.holder, target);
    targets.push(target);
  }
  return targets;
}

/** A literal `client` (knex) or `dialect` (Sequelize) or `type` (TypeORM) value. */
function literalSetting(config: ResolvedConfig, key: string): string | undefined {
  const values = config.lookup(key).map((s) => s.value);
  const strings = new Set(values.map((v) => (v.kind === 'literal' && typeof v.value === 'string' ? v.value.toLowerCase() : '?')));
  return strings.size === 1 && !strings.has('?') ? [...strings][0] : undefined;
}

function flavourOf(config: ResolvedConfig): IamTarget['flavour'] {
  const id = config.site.driver.id;
  if (id === 'knex') {
    const client = literalSetting(config, 'client');
    if (client === 'pg' || client === 'postgres' || client === 'postgresql') return 'pg';
    if (client === 'mysql2') return 'mysql2';
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
const NO_IAM_MYSQL =
  'the mysql package cannot authenticate with an RDS IAM token (it has no `mysql_clear_password` support); move to mysql2 first';

/** The recipe for a config, or why it gets none. */
function recipeFor(config: ResolvedConfig): Recipe | { skip: string } {
  const { site } = config;
  const creator = site.kind === 'creator';
  switch (site.driver.id) {
    case 'pg':
    case 'pg-pool':
    case 'pg-promise':
    case 'postgres':
      return creator ? 'password-function' : { skip: `${site.label} is not handled by this codemod; change it by hand` };
    case 'typeorm':
      if (config.engine === 'postgresql' && literalSetting(config, 'type') === 'postgres') return 'password-function';
      return {
        skip: `${site.label} with this \`type\` is not handled: TypeORM gets a fresh token per connection only for \`type: 'postgres'\` (a password function); for mysql, pass an \`authPlugins\` plugin in \`extra\` by hand`,
      };
    case 'mysql2':
      return creator || /`add\(\)`$/.test(site.label) ? 'mysql2-auth-plugin' : { skip: `${site.label} is not handled by this codemod` };
    case 'mysql':
      return { skip: NO_IAM_MYSQL };
    case 'mariadb': {
      const path = site.instance?.creator.path.join('.');
      if (path !== 'createConnection') {
        return {
          skip: `the mariadb connector reads \`password\` as a string when ${site.label} opens a connection, and has no hook to fetch a token for each new one; open connections with \`createConnection({ ..., password: await signer.getAuthToken() })\` instead`,
        };
      }
      const fn = enclosingFunction(site.node);
      const topLevelAwait = !fn && isModule(site.node);
      if (!(fn?.async || topLevelAwait)) {
        return { skip: 'the mariadb connection is not created where a token can be awaited (an `async` function or module top level)' };
      }
      return 'mariadb-connection';
    }
    case 'knex': {
      const client = literalSetting(config, 'client');
      if (client === 'mysql') return { skip: NO_IAM_MYSQL.replace('the mysql package', "knex's `mysql` client") };
      if (client === 'mssql') return { skip: NO_IAM_SQL_SERVER };
      if (!flavourOf(config)) return { skip: 'knex `client` is not `pg` or `mysql2` (or not a literal), so the token recipe is unknown' };
      return 'knex-connection-function';
    }
    case 'sequelize': {
      const dialect = literalSetting(config, 'dialect');
      if (dialect === 'mssql') return { skip: NO_IAM_SQL_SERVER };
      if (!flavourOf(config)) return { skip: 'Sequelize `dialect` is not postgres, mysql or mariadb (or not a literal)' };
      return 'sequelize-before-connect';
    }
    case 'mssql':
    case 'tedious':
      return { skip: NO_IAM_SQL_SERVER };
    case 'neon':
    case 'vercel-postgres':
      return { skip: `${site.label} does not connect to RDS, so RDS IAM tokens do not apply` };
    default:
      return { skip: `${site.label} is not handled by this codemod; see docs/codemods/iam-auth.md for the recipe` };
  }
}

function isModule(node: TSESTree.Node): boolean {
  let current: TSESTree.Node | undefined = node;
  while (current?.parent) current = current.parent;
  return current?.type === AST_NODE_TYPES.Program && current.sourceType === 'module';
}
