/**
 * Each driver's own way of taking a fresh RDS IAM token for each new connection (domain notes §3.5), written into
 * the config where its password was. Returns the source ranges replaced (so the constants they read can go).
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { ResolvedConfig } from '../../../core/config/index.js';
import { indentAt, indentLines, type TextEdit } from '../../shared/edits.js';
import { render, withEol } from '../../shared/style.js';
import { Bailout, uniqueName, type TransformContext } from '../../shared/context.js';
import type { IamTarget } from './findTargets.js';
import {
  editedSlice,
  insertProperties,
  isMultiline,
  propertyOf,
  removeProperty,
  replaceProperty,
  replaceValue,
  usesTrailingCommas,
  type ObjectNode,
} from './objects.js';
import { tlsProperty } from './planTls.js';

type Range = readonly [number, number];

export function wireToken(ctx: TransformContext, target: IamTarget, signer: string, tls: boolean): Range[] {
  switch (target.recipe) {
    case 'password-function':
      return passwordValue(ctx, target, `() => ${signer}.getAuthToken()`, tls);
    case 'mariadb-connection':
      return passwordValue(ctx, target, `await ${signer}.getAuthToken()`, tls);
    case 'mysql2-auth-plugin':
      return mysql2AuthPlugin(ctx, target, signer, tls);
    case 'knex-connection-function':
      return knexConnectionFunction(ctx, target, signer, tls);
    case 'sequelize-before-connect':
      return sequelizeBeforeConnect(ctx, target, signer, tls);
  }
}

/** `password: <value>`; TLS in the root config object. */
function passwordValue(ctx: TransformContext, target: IamTarget, value: string, tls: boolean): Range[] {
  const property = passwordProperty(target);
  replaceValue(ctx, property, value);
  if (tls) insertProperties(ctx, rootObject(target.config), [render(tlsProperty(target.config), ctx.style)]);
  return [property.range];
}

/**
 * mysql2 sends an RDS IAM token with the `mysql_clear_password` plugin, which mysql2 3.22 and later refuse unless
 * enabled: a plugin of its own enables it, and fetches the token whenever a new connection authenticates (the
 * plugin may return a promise). The password goes.
 */
function mysql2AuthPlugin(ctx: TransformContext, target: IamTarget, signer: string, tls: boolean): Range[] {
  const property = passwordProperty(target);
  if (target.config.lookup('authPlugins').length > 0) throw new Bailout('the configuration already has `authPlugins`; add the token plugin by hand');
  const plugin = `async () => Buffer.from(\`\${await ${signer}.getAuthToken()}\\0\`)`;
  replaceProperty(ctx, property, authPlugins(ctx, plugin, isMultiline(ctx, property.parent as ObjectNode)));
  if (tls) insertProperties(ctx, rootObject(target.config), [render(tlsProperty(target.config), ctx.style)]);
  return [property.range];
}

function authPlugins(ctx: TransformContext, plugin: string, multiline: boolean): string {
  if (!multiline) return render(`authPlugins: { mysql_clear_password: () => ${plugin} }`, ctx.style);
  const comma = usesTrailingCommas(ctx) ? ',' : '';
  return render(`authPlugins: {\n  mysql_clear_password: () => ${plugin}${comma}\n}`, ctx.style);
}

/**
 * knex: `connection` becomes a function that fetches a token and returns the settings with it. knex calls it for
 * the first connection and again whenever `expirationChecker` says the settings expired, before it opens a new
 * connection; the settings are renewed a minute before the token's lifetime (the `X-Amz-Expires` it was signed
 * for, 900 seconds) ends.
 */
function knexConnectionFunction(ctx: TransformContext, target: IamTarget, signer: string, tls: boolean): Range[] {
  const property = passwordProperty(target);
  const connection = property.parent as ObjectNode;
  const holders = target.config.lookup('connection');
  const holder = holders[0]?.entry.holder;
  if (
    holders.length !== 1 ||
    holder?.type !== AST_NODE_TYPES.Property ||
    holders[0]!.entry.expression !== connection ||
    target.config.objects.length !== 1
  ) {
    throw new Bailout('the knex `connection` is not an object written in the knex configuration; change it by hand');
  }
  if (propertyOf(connection, 'expirationChecker')) throw new Bailout('the knex `connection` already has an `expirationChecker`');
  const token = uniqueName(ctx, 'token');
  const lifetime = uniqueName(ctx, 'lifetime');
  const renewAt = uniqueName(ctx, 'renewAt');
  const inner: TextEdit[] = [];
  if (target.flavour === 'mysql2') {
    if (propertyOf(connection, 'authPlugins')) throw new Bailout('the knex `connection` already has `authPlugins`');
    replaceProperty(ctx, property, authPlugins(ctx, `() => Buffer.from(\`\${${token}}\\0\`)`, isMultiline(ctx, connection)), inner);
  } else {
    replaceValue(ctx, property, token, inner);
  }
  insertProperties(
    ctx,
    connection,
    [...(tls ? [render(tlsProperty(target.config), ctx.style)] : []), `expirationChecker: () => Date.now() >= ${renewAt}`],
    inner,
  );
  const settings = editedSlice(ctx, connection.range[0], connection.range[1], inner);
  const indent = indentAt(ctx.text, holder.range[0]);
  const head = render(
    [
      'async () => {',
      `  const ${token} = await ${signer}.getAuthToken();`,
      '  // knex reuses these settings for new connections until `expirationChecker` returns true: renew them a',
      '  // minute before the token expires (it is valid for the X-Amz-Expires seconds it was signed for, 900).',
      `  const ${lifetime} = Number(new URLSearchParams(${token}.split('?')[1]).get('X-Amz-Expires')) || 900;`,
      `  const ${renewAt} = Date.now() + (${lifetime} - 60) * 1000;`,
      '  return ',
    ].join('\n'),
    ctx.style,
  );
  const text = `${indentLines(head, indent)}${indentLines(settings, ctx.style.indent)}${ctx.style.semi ? ';' : ''}\n${indent}}`;
  ctx.edits.push({ start: connection.range[0], end: connection.range[1], text: withEol(text, ctx.style) });
  return [property.range];
}

/**
 * Sequelize: a `beforeConnect` hook sets a fresh token as the password before each new connection (it may be
 * declared in the constructor's `hooks`); the password goes. TLS goes in `dialectOptions.ssl`; with the mysql
 * dialect, mysql2 3.22 and later also need `enableCleartextPlugin` to send the token.
 */
function sequelizeBeforeConnect(ctx: TransformContext, target: IamTarget, signer: string, tls: boolean): Range[] {
  const { config, entry } = target;
  const options = rootObject(config);
  const hook = render(`beforeConnect: async (config) => {\n  config.password = await ${signer}.getAuthToken();\n}`, ctx.style);
  const comma = usesTrailingCommas(ctx) ? ',' : '';
  const additions: string[] = [];

  const hooks = propertyOf(options, 'hooks');
  if (hooks) {
    if (hooks.value.type !== AST_NODE_TYPES.ObjectExpression) throw new Bailout('Sequelize `hooks` is not an object literal');
    if (propertyOf(hooks.value, 'beforeConnect')) throw new Bailout('Sequelize already has a `beforeConnect` hook');
    insertProperties(ctx, hooks.value, [hook]);
  } else {
    additions.push(`hooks: {\n${indentLines(`${ctx.style.indent}${hook}`, ctx.style.indent)}${comma}\n}`);
  }

  const dialectAdditions: string[] = [];
  if (tls) dialectAdditions.push(render(tlsProperty(config), ctx.style));
  if (
    target.flavour === 'mysql2' &&
    config.lookup('dialectOptions.enableCleartextPlugin').length === 0 &&
    config.lookup('dialectOptions.authPlugins').length === 0
  ) {
    dialectAdditions.push('enableCleartextPlugin: true');
  }
  if (dialectAdditions.length > 0) {
    const dialectOptions = propertyOf(options, 'dialectOptions');
    if (dialectOptions) {
      if (dialectOptions.value.type !== AST_NODE_TYPES.ObjectExpression) {
        throw new Bailout('Sequelize `dialectOptions` is not an object literal');
      }
      insertProperties(ctx, dialectOptions.value, dialectAdditions);
    } else {
      additions.push(`dialectOptions: { ${dialectAdditions.join(', ')} }`);
    }
  }

  if (entry.kind === 'argument') {
    // `new Sequelize(database, username, password, options)`: the password argument stays in its place, empty.
    ctx.edits.push({ start: entry.expression.range[0], end: entry.expression.range[1], text: 'undefined' });
    insertProperties(ctx, options, additions);
    return [entry.expression.range];
  }
  const property = passwordProperty(target);
  if (property.parent !== options) throw new Bailout('the password is not written in the Sequelize options object');
  if (additions.length > 0) replaceProperty(ctx, property, additions.join(',\n'));
  else removeProperty(ctx, options, property);
  return [property.range];
}

function passwordProperty(target: IamTarget): TSESTree.Property {
  const holder = target.entry.holder;
  if (target.entry.kind !== 'property' || holder.type !== AST_NODE_TYPES.Property || holder.parent.type !== AST_NODE_TYPES.ObjectExpression) {
    throw new Bailout('the password is not a property of an object literal');
  }
  return holder;
}

function rootObject(config: ResolvedConfig): ObjectNode {
  if (config.objects.length !== 1) throw new Bailout('the configuration is one of several alternative objects');
  return config.objects[0]!.node;
}
