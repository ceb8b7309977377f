/**
 * The IAM authentication fix (`no-hardcoded-credentials` suggests it, the `iam-auth` codemod applies it): the
 * password of a connection config gives way to RDS IAM authentication tokens from a module-scope `Signer`, fetched
 * in each driver's own way for every new connection, and TLS goes on. See docs/codemods/iam-auth.md.
 *
 * The pieces, each in its own module:
 * - iam-auth-target: which configs, and each driver's recipe (or the reason for none);
 * - iam-auth-values: the host, port and user copied to module scope;
 * - iam-auth-imports / iam-auth-signer: the `Signer` import and declaration, above every use, below what they read;
 * - iam-auth-wire: the token wired into the config; iam-auth-tls: TLS;
 * - iam-auth-mysql: mysql → mysql2; iam-auth-unused: the constants that held the password.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { getConnectionConfigs, isLoopbackHost, valueText, type ConfigEntry, type ConfigRole, type ResolvedConfig } from '../config/index.js';
import type { AnyContext } from '../per-file.js';
import { unwrapExpression } from '../ast/nodes.js';
import { ensureImport, topLevelStatement } from './iam-auth-imports.js';
import { flushProperties } from './objects.js';
import { MYSQL2_MODULE } from './iam-auth-packages.js';
import { swapToMysql2 } from './iam-auth-mysql.js';
import { signerFor } from './iam-auth-signer.js';
import { candidateOf, notCandidateReason, targetOf, type IamTarget, type Recipe } from './iam-auth-target.js';
import { needsTls } from './iam-auth-tls.js';
import { removeUnusedConstants } from './iam-auth-unused.js';
import { wireToken, type Range } from './iam-auth-wire.js';
import { plan, Refusal, type FixBuilder, type FixContext, type PlanOutcome } from './plan.js';
import { startWithLeadingComments } from './text.js';

const DEFAULT_PORTS = { postgresql: 5432, mysql: 3306 } as const;

const FRESH: Record<Recipe, string> = {
  'password-function': 'fetched by a password function the driver calls for each new connection',
  'mysql2-auth-plugin': 'fetched by a `mysql_clear_password` auth plugin whenever a new connection authenticates',
  'serverless-mysql': 'fetched by a `mysql_clear_password` auth plugin of mysql2 (its `library`) whenever it opens a connection',
  'knex-connection-function': 'fetched by a `connection` function whose `expirationChecker` renews it before it expires',
  'sequelize-before-connect': 'fetched by a `beforeConnect` hook before each new connection',
  'mariadb-connection': 'fetched as the connection opens',
};

/**
 * The fix for a set of configs that read one password (a literal `no-hardcoded-credentials` reports, or an
 * environment read): all of them move to IAM authentication, or none does.
 */
export function planIamAuth(context: FixContext, configs: readonly ResolvedConfig[]): PlanOutcome {
  return plan(context, (fix) => {
    const targets: IamTarget[] = [];
    const byHolder = new Map<TSESTree.Node, IamTarget>();
    for (const config of configs) {
      const candidate = candidateOf(config);
      if (!candidate) throw new Refusal(notCandidateReason(config));
      const target = targetOf(config, candidate);
      const shared = byHolder.get(target.entry.holder);
      if (shared) {
        // A config object shared by several calls is rewritten once, when they all take the token the same way.
        if (shared.recipe !== target.recipe || shared.flavour !== target.flavour) {
          throw new Refusal('the configuration object is shared with a call of another driver; change it by hand');
        }
        continue;
      }
      byHolder.set(target.entry.holder, target);
      targets.push(target);
    }
    const replaced: Range[] = [];
    for (const target of targets) replaced.push(...planTarget(fix, target));
    flushProperties(fix);
    const settings = targets.flatMap((t) => t.settings);
    for (const name of removeUnusedConstants(fix, settings, replaced)) {
      fix.change(`removed \`${name}\`, which held the password and is no longer used`);
    }
  });
}

export interface PasswordGroup {
  /** The configs that read the password (several when they share a config object or a constant). */
  readonly configs: readonly ResolvedConfig[];
  /** The config call of the first, for the report's line. */
  readonly site: TSESTree.Node;
}

/**
 * The configs whose passwords are read from the environment only (no literal, so no finding of
 * `no-hardcoded-credentials`), grouped by the place their password is written: what the `iam-auth` codemod fixes
 * besides the findings.
 */
export function environmentPasswordGroups(context: AnyContext): PasswordGroup[] {
  const groups = new Map<TSESTree.Node, ResolvedConfig[]>();
  for (const config of getConnectionConfigs(context)?.configs ?? []) {
    const candidate = candidateOf(config);
    if (!candidate || candidate.literals.length > 0) continue;
    const holder = candidate.passwords[0]!.entry.holder;
    const list = groups.get(holder) ?? [];
    list.push(config);
    groups.set(holder, list);
  }
  return [...groups.values()].map((configs) => ({ configs, site: configs[0]!.site.node }));
}

/** Plans one config; returns the source ranges it replaced. */
function planTarget(fix: FixBuilder, target: IamTarget): Range[] {
  const { config } = target;
  if (!config.complete) {
    throw new Refusal(
      'the configuration is not completely known (a spread, argument or connection URI the fix cannot read), so the endpoint to sign tokens for is uncertain',
    );
  }
  const host = single(config, 'host');
  const user = single(config, 'user');
  const port = single(config, 'port');
  if (!host) throw new Refusal('the configuration sets no host, and a token is signed for the exact host it connects to: set `host` first');
  // Only a local database: a host read from the environment with a local fallback (`process.env.DB_HOST ||
  // 'localhost'`) is the deployed database's.
  const hosts = config.get('host').map((setting) => (setting.value.kind === 'literal' ? valueText(setting.value)?.text : undefined));
  const local = hosts.every((text) => text !== undefined && isLoopbackHost(text)) ? hosts[0] : undefined;
  if (local !== undefined) {
    throw new Refusal(
      `the host is \`${local}\`, a database on the machine the code runs on (local development or tests), and IAM authentication works with RDS and Aurora only: read the password from the environment instead`,
    );
  }
  if (!user) throw new Refusal('the configuration sets no user, and a token is signed for one user: set the user first');
  const engine = config.engine;
  if (engine !== 'postgresql' && engine !== 'mysql') throw new Refusal('the database engine is unknown');
  const tls = needsTls(config);

  // The signer is declared above the first top-level statement that holds part of the config.
  const statements = [config.site.node, target.entry.holder, ...config.objects.map((o) => o.node)]
    .map((n) => topLevelStatement(fix, n))
    .filter((s): s is TSESTree.ProgramStatement => !!s);
  if (statements.length === 0) throw new Refusal('the configuration is not inside a top-level statement');
  const statement = statements.reduce((a, b) => (a.range[0] <= b.range[0] ? a : b));
  const program = fix.sourceCode.ast as TSESTree.Program;
  const index = program.body.indexOf(statement);
  const before = startWithLeadingComments(fix.text, statement.range[0], index > 0 ? program.body[index - 1]!.range[1] : 0);

  if (target.swap) swapToMysql2(fix, config, target.swap);
  // serverless-mysql's `library`: imported before the signer is declared, so the imports stay together.
  if (target.recipe === 'serverless-mysql') ensureImport(fix, { module: MYSQL2_MODULE, name: 'default', local: 'mysql2' }, before);
  const signer = signerFor(fix, { host, user, port, defaultPort: DEFAULT_PORTS[engine], statement });
  const replaced = wireToken(fix, target, signer.name, tls, before);
  fix.change(`${config.site.label} now authenticates with an RDS IAM token from \`${signer.name}\`, ${FRESH[target.recipe]}`);
  if (config.site.kind === 'settings-object') {
    fix.note(`no call in this file reads the ${config.site.label}: check that the code that does hands them to ${config.site.module} as they are`);
  }
  if (tls) fix.change('turned TLS on with certificate verification (RDS Proxy requires TLS for IAM authentication)');
  return replaced;
}

/** The one expression a role is written with (undefined when the config does not set it). */
function single(config: ResolvedConfig, role: ConfigRole): TSESTree.Node | undefined {
  const settings = config.get(role);
  if (settings.length === 0) return undefined;
  const entries = new Set<ConfigEntry>(settings.map((s) => s.entry));
  if (entries.size > 1) throw new Refusal(`the ${role} is set in more than one place, so the endpoint to sign tokens for is uncertain`);
  if (settings.some((s) => s.value.kind === 'uri-part')) {
    throw new Refusal(`the ${role} is inside a connection URI; set it as a separate key first`);
  }
  const entry = settings[0]!.entry;
  if (entry.kind === 'assignment') throw new Refusal(`the ${role} is assigned to the configuration after it is created`);
  const expression = entry.expression;
  if (unwrapExpression(expression).type === AST_NODE_TYPES.SpreadElement) throw new Refusal(`the ${role} comes from a spread`);
  return expression;
}
