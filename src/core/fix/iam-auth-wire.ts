/**
 * Each driver's own way of taking a fresh RDS IAM token for each new connection (domain notes §3.5), written into
 * the config where its password was. Returns the source ranges replaced (so the constants they read can go).
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { ResolvedConfig } from '../config/index.js';
import { ensureImport } from './iam-auth-imports.js';
import {
  addProperties,
  editedSlice,
  indentLines,
  insertProperties,
  isMultiline,
  propertyOf,
  removeProperty,
  replaceProperty,
  replaceValue,
  usesTrailingCommas,
  type ObjectNode,
} from './objects.js';
import { MYSQL2_AS_MYSQL } from './iam-auth-mysql.js';
import { MYSQL2_MODULE } from './iam-auth-packages.js';
import type { IamTarget } from './iam-auth-target.js';
import { tlsProperty } from './iam-auth-tls.js';
import { Refusal, type FixBuilder } from './plan.js';
import { render, withEol } from './style.js';
import { indentAt, type TextEdit } from './text.js';

export type Range = readonly [number, number];

export function wireToken(fix: FixBuilder, target: IamTarget, signer: string, tls: boolean, before: number): Range[] {
  switch (target.recipe) {
    case 'password-function':
      return passwordValue(fix, target, `() => ${signer}.getAuthToken()`, tls);
    case 'mariadb-connection':
      return passwordValue(fix, target, `await ${signer}.getAuthToken()`, tls);
    case 'mysql2-auth-plugin':
      return mysql2AuthPlugin(fix, target, signer, tls, rootObject(target.config));
    case 'serverless-mysql':
      return serverlessMysql(fix, target, signer, tls, before);
    case 'knex-connection-function':
      return knexConnectionFunction(fix, target, signer, tls);
    case 'sequelize-before-connect':
      return sequelizeBeforeConnect(fix, target, signer, tls);
  }
}

/** `password: <value>`; TLS in the root config object. */
function passwordValue(fix: FixBuilder, target: IamTarget, value: string, tls: boolean): Range[] {
  const property = passwordProperty(target);
  replaceValue(fix, property, value);
  if (tls) addProperties(fix, rootObject(target.config), [render(tlsProperty(target.config), fix.style)]);
  return [property.range];
}

/**
 * mysql2 sends an RDS IAM token with the `mysql_clear_password` plugin, which mysql2 3.22 and later refuse unless
 * enabled: a plugin of its own enables it, and fetches the token whenever a new connection authenticates (the
 * plugin may return a promise). The password goes.
 */
function mysql2AuthPlugin(fix: FixBuilder, target: IamTarget, signer: string, tls: boolean, tlsObject: ObjectNode): Range[] {
  const property = passwordProperty(target);
  const holder = property.parent as ObjectNode;
  if (propertyOf(holder, 'authPlugins') || target.config.lookup('authPlugins').length > 0) {
    throw new Refusal('the configuration already has `authPlugins`; add the token plugin by hand');
  }
  const plugin = `async () => Buffer.from(\`\${await ${signer}.getAuthToken()}\\0\`)`;
  replaceProperty(fix, property, authPlugins(fix, plugin, isMultiline(fix.text, holder)));
  if (tls) addProperties(fix, tlsObject, [render(tlsProperty(target.config), fix.style)]);
  return [property.range];
}

function authPlugins(fix: FixBuilder, plugin: string, multiline: boolean): string {
  if (!multiline) return render(`authPlugins: { mysql_clear_password: () => ${plugin} }`, fix.style);
  const comma = usesTrailingCommas(fix) ? ',' : '';
  return render(`authPlugins: {\n  mysql_clear_password: () => ${plugin}${comma}\n}`, fix.style);
}

/**
 * serverless-mysql passes its `config` to its `library`'s `createConnection()` for every connection it opens. The
 * library becomes mysql2 explicitly (serverless-mysql 1.x defaulted to `mysql`, which cannot send a token), and the
 * config gets mysql2's token plugin; TLS goes in the `config`.
 */
function serverlessMysql(fix: FixBuilder, target: IamTarget, signer: string, tls: boolean, before: number): Range[] {
  const root = rootObject(target.config);
  const property = passwordProperty(target);
  const holder = property.parent as ObjectNode;
  const library = propertyOf(root, 'library');
  if (library) throw new Refusal('serverless-mysql already has a `library`; give its connections the token plugin by hand');
  const ranges = mysql2AuthPlugin(fix, target, signer, tls, holder);
  const mysql2 = ensureImport(fix, { module: MYSQL2_MODULE, name: 'default', local: 'mysql2' }, before);
  addProperties(fix, root, [`library: ${mysql2.name}`]);
  return ranges;
}

/**
 * knex: `connection` becomes a function that fetches a token and returns the settings with it. knex calls it for
 * the first connection and again whenever `expirationChecker` says the settings expired, before it opens a new
 * connection; the settings are renewed a minute before the token's lifetime (the `X-Amz-Expires` it was signed
 * for, 900 seconds) ends.
 */
function knexConnectionFunction(fix: FixBuilder, target: IamTarget, signer: string, tls: boolean): Range[] {
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
    throw new Refusal('the knex `connection` is not an object written in the knex configuration; change it by hand');
  }
  if (propertyOf(connection, 'expirationChecker')) throw new Refusal('the knex `connection` already has an `expirationChecker`');
  const token = fix.uniqueName('token');
  const lifetime = fix.uniqueName('lifetime');
  const renewAt = fix.uniqueName('renewAt');
  const inner: TextEdit[] = [];
  if (target.flavour === 'mysql2') {
    if (propertyOf(connection, 'authPlugins')) throw new Refusal('the knex `connection` already has `authPlugins`');
    replaceProperty(fix, property, authPlugins(fix, `() => Buffer.from(\`\${${token}}\\0\`)`, isMultiline(fix.text, connection)), inner);
  } else {
    replaceValue(fix, property, token, inner);
  }
  insertProperties(
    fix,
    connection,
    [
      ...(target.swap === 'knex-client' ? MYSQL2_AS_MYSQL : []),
      ...(tls ? [render(tlsProperty(target.config), fix.style)] : []),
      `expirationChecker: () => Date.now() >= ${renewAt}`,
    ],
    inner,
  );
  const settings = editedSlice(fix.text, connection.range[0], connection.range[1], inner);
  const indent = indentAt(fix.text, holder.range[0]);
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
    fix.style,
  );
  const text = `${indentLines(head, indent)}${indentLines(settings, fix.style.indent)}${fix.style.semi ? ';' : ''}\n${indent}}`;
  fix.replace(connection.range[0], connection.range[1], withEol(text, fix.style));
  return [property.range];
}

/**
 * Sequelize: a `beforeConnect` hook sets a fresh token as the password before each new connection (it may be
 * declared in the constructor's `hooks`); the password goes. TLS goes in `dialectOptions.ssl`; with the mysql
 * dialect, mysql2 3.22 and later also need `enableCleartextPlugin` to send the token.
 */
function sequelizeBeforeConnect(fix: FixBuilder, target: IamTarget, signer: string, tls: boolean): Range[] {
  const { config, entry } = target;
  const options = rootObject(config);
  const hook = render(`beforeConnect: async (config) => {\n  config.password = await ${signer}.getAuthToken();\n}`, fix.style);
  const comma = usesTrailingCommas(fix) ? ',' : '';
  const additions: string[] = [];

  const hooks = propertyOf(options, 'hooks');
  if (hooks) {
    if (hooks.value.type !== AST_NODE_TYPES.ObjectExpression) throw new Refusal('Sequelize `hooks` is not an object literal');
    if (propertyOf(hooks.value, 'beforeConnect')) throw new Refusal('Sequelize already has a `beforeConnect` hook');
    insertProperties(fix, hooks.value, [hook]);
  } else {
    additions.push(`hooks: {\n${indentLines(`${fix.style.indent}${hook}`, fix.style.indent)}${comma}\n}`);
  }

  const dialectAdditions: string[] = [];
  if (tls) dialectAdditions.push(render(tlsProperty(config), fix.style));
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
        throw new Refusal('Sequelize `dialectOptions` is not an object literal');
      }
      insertProperties(fix, dialectOptions.value, dialectAdditions);
    } else {
      additions.push(`dialectOptions: { ${dialectAdditions.join(', ')} }`);
    }
  }

  if (entry.kind === 'argument') {
    // `new Sequelize(database, username, password, options)`: the password argument stays in its place, empty.
    fix.replace(entry.expression.range[0], entry.expression.range[1], 'undefined');
    insertProperties(fix, options, additions);
    return [entry.expression.range];
  }
  const property = passwordProperty(target);
  if (property.parent !== options) throw new Refusal('the password is not written in the Sequelize options object');
  if (additions.length > 0) replaceProperty(fix, property, additions.join(',\n'));
  else removeProperty(fix, options, property);
  return [property.range];
}

function passwordProperty(target: IamTarget): TSESTree.Property {
  const holder = target.entry.holder;
  if (target.entry.kind !== 'property' || holder.type !== AST_NODE_TYPES.Property || holder.parent.type !== AST_NODE_TYPES.ObjectExpression) {
    throw new Refusal('the password is not a property of an object literal');
  }
  return holder;
}

export function rootObject(config: ResolvedConfig): ObjectNode {
  if (config.objects.length !== 1) throw new Refusal('the configuration is one of several alternative objects');
  return config.objects[0]!.node;
}
