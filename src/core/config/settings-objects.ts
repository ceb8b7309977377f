/**
 * Database settings written outside any driver call: object literals whose keys say they describe a database
 * connection — a configuration module (`module.exports = { RDS_HOSTNAME: '…', DB_PASSWORD: '…' }`), a knex-style
 * `{ client: 'mysql', connection: { host, password } }` handed to a library, TypeORM's `{ type: 'postgres', … }`, a
 * Lambda function's `environment` block in infrastructure code. Found in any file, once per file; a cheap text test
 * comes first.
 *
 * An object counts when a password-like key (`password`, `dbPass`, `DB_PASSWORD`, `PGPASSWORD`, …) sits beside a
 * host-, user- or database-like key, or names a relational database's password itself (`DB_PASSWORD`, `dbPass`; not
 * `REDIS_DB_PASSWORD`: see keys.ts), or the object is a knex/TypeORM/Sequelize-shaped configuration. Host keys (`host`, `hostname`, `server`, `RDS_HOSTNAME`, `DB_HOST`,
 * `dbHost`, …, and any `…endpoint` key of such an object) are reported by the endpoint rule when they hold an RDS
 * hostname.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { getPropertyName, getStaticString, unwrapExpression } from '../ast/nodes.js';
import { nodeAt } from '../ast/walk.js';
import { perFile } from '../per-file.js';
import { isDatabasePasswordKey } from './keys.js';

/** Keys longer than this are not settings names (and no pattern below runs on them). */
const MAX_KEY = 64;
// How password-like and host-like keys end (any case; the key tests and the text hints are built from them).
/** `password`, `pass`, `pwd`, `dbPass`, `DB_PASSWORD`, `PGPASSWORD`, `masterUserPassword`, `MYSQL_ROOT_PASSWORD`. */
const PASSWORD_END = '(?:pass(?:word|wd)?|pwd)';
/** `host`, `hostname`, `server`, `endpoint`, `DB_HOST`, `dbHost`, `RDS_HOSTNAME`, `PGHOST`, `proxyEndpoint`. */
const HOST_END = '(?:host(?:name)?|server|endpoint)';
/** Host keys that say they are a database's: `host`, `hostname`, `server`, `DB_HOST`, `dbHost`, `RDS_HOSTNAME`, `PGHOST`. */
const DATABASE_HOST_KEY = /^(?:host|hostname|server)$|(?:db|database|rds|mysql|mariadb|pg|postgres|postgresql|sql|aurora)[_-]?(?:host(?:name)?|endpoint|server)$/i;
/** `database`, `dbname`, `DB_NAME`, `PGDATABASE`, `port`, `DB_PORT` (a user name alone is not enough: login forms have one). */
const OTHER_DB_KEY = /(?:database|dbname|db[_-]?name|^db|schema|port)$/i;
/** Database types of ORM and query-builder configurations (`client`, `type`, `dialect`). */
const DB_TYPES = new Set([
  'pg',
  'postgres',
  'postgresql',
  'mysql',
  'mysql2',
  'mariadb',
  'mssql',
  'tedious',
  'cockroachdb',
  'aurora-mysql',
  'aurora-postgres',
  'aurora-data-api',
  'aurora-data-api-pg',
  'oracledb',
]);

export interface SettingsValue {
  /** The property that holds the value. */
  readonly property: TSESTree.Property;
  readonly key: string;
  /** The literal (or the literal fallback of `process.env.X || 'literal'`). */
  readonly value: TSESTree.Literal | TSESTree.TemplateLiteral;
}

export interface SettingsObjects {
  /** Password literals in objects that describe a database connection. */
  readonly passwords: readonly SettingsValue[];
  /**
   * Literals under host-like keys: keys that name a database host (`host`, `DB_HOST`, `RDS_HOSTNAME`, `dbHost`), or
   * any host-like key (`writerEndpoint`) of an object that describes a database connection.
   */
  readonly hosts: readonly SettingsValue[];
}

// Cheap tests on the text: a password- or host-like key written as a property name (`password:`, `'DB_HOST':`,
// `['dbPass']:`). A shorthand property holds no literal, so it never counts. Where they match is where the
// objects to look at are.
/** The end of a property name as written: a closing quote or bracket, maybe, then the colon. */
const KEY_WRITTEN = '[\'"`]?\\]?\\s*:';

/** Each kind of settings value: the key names, the text test, and where in the text such keys are written. */
interface ValueKind {
  readonly key: RegExp;
  readonly hint: RegExp;
  readonly hints: RegExp;
  /** Whether a literal under such a key counts, in an object that does (not) describe a database connection. */
  counts(key: string, databaseShaped: () => boolean): boolean;
}

/** A kind of value from how its keys end: the key test and the text tests are all built from that ending. */
function valueKind(end: string, counts: ValueKind['counts']): ValueKind {
  return {
    key: new RegExp(`${end}$`, 'i'),
    hint: new RegExp(end + KEY_WRITTEN, 'i'),
    hints: new RegExp(end + KEY_WRITTEN, 'gi'),
    counts,
  };
}

const PASSWORDS = valueKind(PASSWORD_END, (key, databaseShaped) => databaseShaped() || isDatabasePasswordKey(key));
const HOSTS = valueKind(HOST_END, (key, databaseShaped) => DATABASE_HOST_KEY.test(key) || databaseShaped());

/** Whether a text may hold a password-like property (the cheap test before looking for settings objects). */
export function mentionsPasswordKey(text: string): boolean {
  return PASSWORDS.hint.test(text);
}

/**
 * The database settings objects of the file being linted (empty without a password- or host-like key). Passwords
 * and hosts are each looked for on first read: most files are asked for one of them only.
 */
export const getSettingsObjects = perFile((context): SettingsObjects => {
  const sourceCode = context.sourceCode;
  let passwords: readonly SettingsValue[] | undefined;
  let hosts: readonly SettingsValue[] | undefined;
  return {
    get passwords() {
      return (passwords ??= settingsValues(sourceCode, PASSWORDS));
    },
    get hosts() {
      return (hosts ??= settingsValues(sourceCode, HOSTS));
    },
  };
});

/** The literals under keys of one kind in the objects that hold such keys, in source order. */
function settingsValues(sourceCode: Readonly<TSESLint.SourceCode>, kind: ValueKind): SettingsValue[] {
  const out: SettingsValue[] = [];
  if (!kind.hint.test(sourceCode.text)) return out;
  for (const node of objectsWithHintedKeys(sourceCode, kind.hints)) {
    let databaseShaped: boolean | undefined;
    const shaped = (): boolean => (databaseShaped ??= isDatabaseSettings(node));
    for (const prop of node.properties) {
      if (prop.type !== AST_NODE_TYPES.Property || prop.kind !== 'init') continue;
      const key = getPropertyName(prop);
      if (key === undefined || key.length > MAX_KEY || !kind.key.test(key)) continue;
      const value = literalOf(prop.value as TSESTree.Node);
      if (value && kind.counts(key, shaped)) out.push({ property: prop, key, value });
    }
  }
  return out;
}

/**
 * The object literals with a key the hints match, in source order (an object before the objects inside it): found
 * from each match in the text down to the property it names, not by walking the whole file.
 */
function objectsWithHintedKeys(sourceCode: Readonly<TSESLint.SourceCode>, hints: RegExp): TSESTree.ObjectExpression[] {
  const objects = new Set<TSESTree.ObjectExpression>();
  const root = sourceCode.ast as TSESTree.Node;
  for (const match of sourceCode.text.matchAll(hints)) {
    let node: TSESTree.Node | undefined = nodeAt(root, match.index, sourceCode.visitorKeys);
    while (node && node.type !== AST_NODE_TYPES.Property) node = node.parent;
    if (node?.parent?.type !== AST_NODE_TYPES.ObjectExpression) continue;
    if (node.key.range[0] <= match.index && match.index < node.key.range[1]) objects.add(node.parent);
  }
  return [...objects].sort((a, b) => a.range[0] - b.range[0]);
}

/** A literal value, or the literal fallback of `a || 'x'` / `a ?? 'x'` (an environment read with a default). */
function literalOf(raw: TSESTree.Node): TSESTree.Literal | TSESTree.TemplateLiteral | undefined {
  let node = unwrapExpression(raw);
  while (node.type === AST_NODE_TYPES.LogicalExpression && (node.operator === '||' || node.operator === '??')) {
    node = unwrapExpression(node.right);
  }
  if (node.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') return node;
  // Templates: the caller decides (a password with `${…}` parts is not a literal; a hostname may be).
  if (node.type === AST_NODE_TYPES.TemplateLiteral) return node;
  return undefined;
}

/** An object whose other keys describe a database connection, or a knex/TypeORM/Sequelize configuration. */
function isDatabaseSettings(object: TSESTree.ObjectExpression): boolean {
  // The `connection` of a knex configuration.
  const parent = object.parent;
  if (parent?.type === AST_NODE_TYPES.Property && getPropertyName(parent) === 'connection') return true;
  for (const prop of object.properties) {
    if (prop.type !== AST_NODE_TYPES.Property) continue;
    const key = getPropertyName(prop);
    if (key === undefined || key.length > MAX_KEY) continue;
    if (DATABASE_HOST_KEY.test(key) || OTHER_DB_KEY.test(key)) return true;
  }
  return libraryOf(object) !== undefined;
}

/** The key that names the database of an ORM or query-builder configuration, and the library that reads it. */
const LIBRARY_KEYS: Readonly<Record<string, SettingsLibrary>> = { client: 'knex', dialect: 'sequelize', type: 'typeorm' };

/** The libraries whose configurations say what they are: knex `client`, Sequelize `dialect`, TypeORM `type`. */
export type SettingsLibrary = 'knex' | 'sequelize' | 'typeorm';

/** The library a configuration object is written for, from its `client`, `dialect` or `type` naming a database. */
function libraryOf(object: TSESTree.ObjectExpression): SettingsLibrary | undefined {
  for (const prop of object.properties) {
    if (prop.type !== AST_NODE_TYPES.Property) continue;
    const key = getPropertyName(prop);
    if (key === undefined || !Object.hasOwn(LIBRARY_KEYS, key)) continue;
    const value = getStaticString(unwrapExpression(prop.value as TSESTree.Node));
    if (value !== undefined && DB_TYPES.has(value.toLowerCase())) return LIBRARY_KEYS[key];
  }
  return undefined;
}

/**
 * The configuration a settings value is part of, when that configuration names its library: knex's `{ client:
 * 'mysql', connection: { password } }` (the whole object, not its `connection`), Sequelize's `{ dialect, password }`,
 * TypeORM's `{ type, password }`.
 */
export function librarySettingsOf(value: SettingsValue): { object: TSESTree.ObjectExpression; library: SettingsLibrary } | undefined {
  let object = value.property.parent as TSESTree.ObjectExpression;
  const parent = object.parent;
  if (parent?.type === AST_NODE_TYPES.Property && getPropertyName(parent) === 'connection' && parent.parent?.type === AST_NODE_TYPES.ObjectExpression) {
    object = parent.parent;
  }
  const library = libraryOf(object);
  return library ? { object, library } : undefined;
}
