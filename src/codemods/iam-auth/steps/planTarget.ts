/**
 * Plans the edits for one config, or throws `Bailout` with the reason to leave it alone: the signer for the
 * config's own host, port and user; the driver's way of fetching a fresh token for each new connection (see
 * `wireToken`); TLS when the config has none; the constants that held the password.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { unwrapExpression } from '../../../core/ast/nodes.js';
import type { ConfigEntry, ConfigRole, ResolvedConfig } from '../../../core/config/index.js';
import { Bailout, type TransformContext } from '../../shared/context.js';
import { addSigner } from './addSigner.js';
import type { IamTarget } from './findTargets.js';
import { needsTls } from './planTls.js';
import { removeUnusedConstants } from './removeUnusedConstants.js';
import { wireToken } from './wireToken.js';

const DEFAULT_PORTS = { postgresql: 5432, mysql: 3306 } as const;

export function planTarget(ctx: TransformContext, target: IamTarget): void {
  const { config, sourceCode } = target;
  if (!config.complete) {
    throw new Bailout(
      'the configuration is not completely known (a spread, argument or connection URI the codemod cannot read), so the endpoint to sign tokens for is uncertain',
    );
  }
  const host = single(config, 'host');
  const user = single(config, 'user');
  const port = single(config, 'port');
  if (!host) throw new Bailout('the configuration sets no host, and a token is signed for the exact host it connects to: set `host` first');
  if (!user) throw new Bailout('the configuration sets no user, and a token is signed for one user: set the user first');
  const engine = config.engine;
  if (engine !== 'postgresql' && engine !== 'mysql') throw new Bailout('the database engine is unknown');
  const tls = needsTls(config);

  const signer = addSigner(ctx, sourceCode, {
    host,
    user,
    port,
    defaultPort: DEFAULT_PORTS[engine],
    holders: [config.site.node, target.entry.holder],
  });
  const replaced = wireToken(ctx, target, signer, tls);
  const removed = removeUnusedConstants(ctx, sourceCode, target.settings, replaced);

  const line = target.entry.expression.loc.start.line;
  ctx.changes.push(`${line}: ${config.site.label} now authenticates with an RDS IAM token from \`${signer}\`, ${FRESH[target.recipe]}`);
  if (tls) ctx.changes.push(`${line}: turned TLS on with certificate verification (RDS Proxy requires TLS for IAM authentication)`);
  for (const name of removed) ctx.changes.push(`${line}: removed \`${name}\`, which held the password and is no longer used`);
}

const FRESH: Record<IamTarget['recipe'], string> = {
  'password-function': 'fetched by a password function the driver calls for each new connection',
  'mysql2-auth-plugin': 'fetched by a `mysql_clear_password` auth plugin whenever a new connection authenticates',
  'knex-connection-function': 'fetched by a `connection` function whose `expirationChecker` renews it before it expires',
  'sequelize-before-connect': 'fetched by a `beforeConnect` hook before each new connection',
  'mariadb-connection': 'fetched as the connection opens',
};

/** The one expression a role is written with (undefined when the config does not set it). */
function single(config: ResolvedConfig, role: ConfigRole): TSESTree.Node | undefined {
  const settings = config.get(role);
  if (settings.length === 0) return undefined;
  const entries = new Set<ConfigEntry>(settings.map((s) => s.entry));
  if (entries.size > 1) throw new Bailout(`the ${role} is set in more than one place, so the endpoint to sign tokens for is uncertain`);
  if (settings.some((s) => s.value.kind === 'uri-part')) {
    throw new Bailout(`the ${role} is inside a connection URI; set it as a separate key first`);
  }
  const entry = settings[0]!.entry;
  if (entry.kind === 'assignment') throw new Bailout(`the ${role} is assigned to the configuration after it is created`);
  const expression = entry.expression;
  if (unwrapExpression(expression).type === AST_NODE_TYPES.SpreadElement) throw new Bailout(`the ${role} comes from a spread`);
  return expression;
}
