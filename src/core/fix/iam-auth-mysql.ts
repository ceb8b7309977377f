/**
 * `mysql` → `mysql2`. The mysql package cannot send an RDS IAM token: its handshake knows no
 * `mysql_clear_password`. mysql2 keeps mysql's callback API (`createConnection`, `createPool`,
 * `createPoolCluster`, `query`, `escape`, `format`, pool `getConnection`/`release`, the `end`/`destroy` methods),
 * so the fix swaps the module in the file's imports and requires (knex: `client: 'mysql'` becomes `'mysql2'`),
 * then wires the token as for mysql2. What mysql2 does differently is listed in the plan's notes (and in
 * docs/codemods/iam-auth.md); `test/real/mysql-to-mysql2.test.ts` runs the same handlers on both drivers against
 * MariaDB.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { getPropertyName, getStaticString, unwrapExpression } from '../ast/nodes.js';
import { walk } from '../ast/walk.js';
import { getConnectionConfigs, type ResolvedConfig } from '../config/index.js';
import { addProperties } from './objects.js';
import { literalSetting } from './iam-auth-target.js';
import { MYSQL_MODULE, MYSQL2_MODULE } from './iam-auth-packages.js';
import { programOf } from './iam-auth-imports.js';
import { Refusal, type FixBuilder } from './plan.js';

/**
 * Options that make mysql2 return what mysql returned: DECIMAL columns as numbers (mysql2 gives strings by default)
 * and JSON columns as their text (mysql2 parses them, on MariaDB too). Checked on MariaDB by
 * test/real/mysql-to-mysql2.test.ts.
 */
export const MYSQL2_AS_MYSQL: readonly string[] = ['decimalNumbers: true', 'jsonStrings: true'];

/** What a user should check after the swap (each checked against mysql2 3.24 and mysql 2.18, and on MariaDB). */
export const MYSQL2_NOTES: readonly string[] = [
  'mysql2 replaced mysql: `decimalNumbers: true` and `jsonStrings: true` keep DECIMAL columns as numbers and JSON columns as text, as mysql returned them',
  'mysql2 replaced mysql: `createConnection()` now connects as soon as it is called (mysql waited for `connect()` or the first query); a connection error with no callback waiting is emitted as an `error` event',
  'mysql2 replaced mysql: results of INSERT/UPDATE/DELETE are a `ResultSetHeader` (`affectedRows`, `insertId`, `changedRows`, `info`, `warningStatus`) instead of an `OkPacket` (`message`, `warningCount`, `protocol41`)',
  "mysql2 replaced mysql: the default connection charset is utf8mb4 (`UTF8MB4_UNICODE_CI`) instead of mysql's `UTF8_GENERAL_CI` (utf8mb3), which changes the collation string literals compare with",
  'mysql2 replaced mysql: options mysql2 does not know (mysql pool `acquireTimeout`, for example) are ignored with a warning',
];

/** Instance members only mysql has. */
const MYSQL_ONLY_MEMBERS = new Set(['state', '_protocol', '_socket', '_implyConnect']);

/** Plans the swap; throws a `Refusal` when the file uses something of mysql that mysql2 lacks. */
export function swapToMysql2(fix: FixBuilder, config: ResolvedConfig, how: 'module' | 'knex-client'): void {
  if (how === 'knex-client') {
    const client = config.lookup('client');
    if (client.length !== 1 || literalSetting(config, 'client') !== 'mysql') throw new Refusal("knex's `client` is not a single `'mysql'` literal");
    const literal = client[0]!.value.node;
    fix.replace(literal.range[0] + 1, literal.range[1] - 1, MYSQL2_MODULE);
    fix.change("knex's `client: 'mysql'` became `'mysql2'` (the mysql package cannot send an RDS IAM token)");
  } else {
    const specifiers = mysqlSpecifiers(fix);
    if (specifiers.length === 0) throw new Refusal('the `mysql` import could not be found to switch it to mysql2');
    checkMembers(config);
    for (const literal of specifiers) fix.replace(literal.range[0] + 1, literal.range[1] - 1, MYSQL2_MODULE);
    // Every mysql config of the file now goes to mysql2: each keeps mysql's results.
    for (const other of getConnectionConfigs({ sourceCode: fix.sourceCode, settings: {} })?.configs ?? []) {
      if (other.site.driver.id !== 'mysql') continue;
      // A pool cluster's own options hold no connection settings; its `add()` configs do.
      if (other.site.instance?.creator.path.join('.') === 'createPoolCluster') continue;
      if (other.objects.length !== 1 || other.arguments.length === 0) {
        throw new Refusal(
          `the ${other.site.label} configuration at line ${other.site.node.loc.start.line} is not one object literal, so it cannot get the options that keep mysql's results; move it to mysql2 by hand`,
        );
      }
      const object = other.objects[0]!;
      const missing = MYSQL2_AS_MYSQL.filter((p) => object.get(p.split(':')[0]!).length === 0);
      addProperties(fix, object.node, missing);
    }
    fix.change('the mysql package became mysql2, which keeps its callback API and can send an RDS IAM token');
  }
  for (const note of MYSQL2_NOTES) fix.note(note);
  fix.dependency(MYSQL2_MODULE);
}

/** The string literals that name the `mysql` module: imports, re-exports, `require()`, `import()`, `import x = require()`. */
function mysqlSpecifiers(fix: FixBuilder): TSESTree.Node[] {
  const found: TSESTree.Node[] = [];
  walk(programOf(fix), fix.sourceCode.visitorKeys, (node) => {
    let source: TSESTree.Node | null | undefined;
    switch (node.type) {
      case AST_NODE_TYPES.ImportDeclaration:
      case AST_NODE_TYPES.ExportAllDeclaration:
      case AST_NODE_TYPES.ExportNamedDeclaration:
        source = node.source;
        break;
      case AST_NODE_TYPES.ImportExpression:
        source = node.source;
        break;
      case AST_NODE_TYPES.TSExternalModuleReference:
        source = node.expression;
        break;
      case AST_NODE_TYPES.CallExpression:
        if (node.callee.type === AST_NODE_TYPES.Identifier && node.callee.name === 'require') source = node.arguments[0];
        break;
      default:
        return undefined;
    }
    if (source && getStaticString(source) === MYSQL_MODULE && (source.type === AST_NODE_TYPES.Literal || isPlainTemplate(source))) {
      found.push(source);
    }
    return undefined;
  });
  return found;
}

function isPlainTemplate(node: TSESTree.Node): boolean {
  return node.type === AST_NODE_TYPES.TemplateLiteral && node.expressions.length === 0;
}

/** Refuses when the file reads a member of a mysql connection or pool that mysql2 does not have. */
function checkMembers(config: ResolvedConfig): void {
  const instance = config.site.instance;
  for (const ref of instance?.variable?.references ?? []) {
    let id: TSESTree.Node = ref.identifier as TSESTree.Identifier;
    while (id.parent && unwrapExpression(id.parent) !== id.parent) id = id.parent;
    const member = id.parent;
    if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== id) continue;
    const name = getPropertyName(member);
    if (name !== undefined && MYSQL_ONLY_MEMBERS.has(name)) {
      throw new Refusal(`the code reads \`${name}\` of the mysql ${instance!.creator.kind}, which mysql2 does not have; move to mysql2 by hand first`);
    }
  }
}
