/**
 * What linting one file makes the project knowledge look at: a file that cannot have a Lambda handler (a test, a
 * script, a module of classes or types, a CDK stack) looks at no project, however many local modules it imports.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Linter } from 'eslint';
import { beforeEach, expect, it } from 'vitest';
import plugin from '../../../src/index.js';
import { clearProjectCaches, projectCacheStats, setRefreshInterval } from '../../../src/core/project/index.js';
import { emptyProject } from '../../helpers/projects.js';

beforeEach(() => {
  clearProjectCaches();
  setRefreshInterval(0);
});

const linter = new Linter({ configType: 'flat', cwd: '/' });
const config: Linter.Config[] = [
  {
    files: ['**/*.js', '**/*.mjs'],
    plugins: { 'lambda-rds': plugin as never },
    rules: plugin.configs.recommended.rules as Linter.RulesRecord,
  },
  { files: ['**/*.js'], languageOptions: { sourceType: 'commonjs' } },
];

function lint(file: string, code: string): string[] {
  writeFileSync(file, code);
  return linter.verify(code, config, { filename: file }).map((m) => m.messageId ?? m.message);
}

const viewsRead = (): number => projectCacheStats()['project-view']!.size;

it('looks at no project for files without handlers, and at the project for a handler that calls into it', () => {
  const root = emptyProject();
  for (const dir of ['lib', 'test', 'handlers']) mkdirSync(path.join(root, dir));
  writeFileSync(
    path.join(root, 'lib', 'db.js'),
    "const { Pool } = require('pg');\nexports.getPool = () => new Pool({ host: process.env.DB_HOST });\n",
  );
  expect(lint(path.join(root, 'test', 'db.test.js'), "const { getPool } = require('../lib/db');\ngetPool();\n")).toEqual([]);
  expect(
    lint(path.join(root, 'lib', 'service.mjs'), "import { getPool } from './db.js';\nexport class UserService { list() { return getPool(); } }\n"),
  ).toEqual([]);
  expect(viewsRead()).toBe(0);
  expect(
    lint(path.join(root, 'handlers', 'users.js'), "const { getPool } = require('../lib/db');\nexports.handler = async () => getPool().query('SELECT 1');\n"),
  ).toEqual(['connectionInImport']);
  expect(viewsRead()).toBeGreaterThan(0);
});

it('reads no descriptors for exports that can never be a function, and does for one that can', () => {
  const root = emptyProject();
  writeFileSync(path.join(root, 'serverless.yml'), 'functions:\n  users:\n    handler: config.settings\n');
  // Constants, objects, arrays and classes, directly or through a module `const`: Lambda can call none of them.
  expect(
    lint(
      path.join(root, 'config.mjs'),
      [
        // The driver import makes the rules look for handlers.
        "import pg from 'pg';",
        "const table = 'users';",
        'class Repository {}',
        'const defaults = { ssl: true };',
        'export const settings = { table, ssl: defaults.ssl };',
        "export const region = 'eu-west-1';",
        'export const retries = 2 * 3;',
        'export const tags = [`a${table}`];',
        'export { Repository, defaults };',
        'export default class Service {}',
      ].join('\n'),
    ),
  ).toEqual([]);
  expect(viewsRead()).toBe(0);
  // A function export not named like a handler may be one: the descriptors are asked.
  expect(lint(path.join(root, 'users.mjs'), "import pg from 'pg';\nexport const list = async () => [];\n")).toEqual([]);
  expect(viewsRead()).toBeGreaterThan(0);
});

it('reads the layers the descriptors declare only for a call of a layer module that runs per invocation', () => {
  const root = emptyProject();
  for (const dir of ['handlers', 'layers/db/nodejs']) mkdirSync(path.join(root, dir), { recursive: true });
  writeFileSync(
    path.join(root, 'serverless.yml'),
    'functions:\n  orders:\n    handler: handlers/orders.handler\nlayers:\n  db:\n    path: layers/db\n',
  );
  writeFileSync(
    path.join(root, 'layers', 'db', 'nodejs', 'db.js'),
    "const { Pool } = require('pg');\nexports.getPool = () => new Pool({ host: process.env.DB_HOST });\n",
  );
  const descriptorsRead = (): number => projectCacheStats().descriptor!.size;
  // The layer module is called once, at module scope: where `/opt/nodejs/db` leads is never asked.
  expect(
    lint(
      path.join(root, 'handlers', 'users.js'),
      "const { getPool } = require('/opt/nodejs/db');\nconst pool = getPool();\nexports.handler = async () => pool.query('SELECT 1');\n",
    ),
  ).toEqual([]);
  expect(descriptorsRead()).toBe(0);
  // Called on every invocation: the layer is looked up in serverless.yml and the call reported.
  expect(
    lint(
      path.join(root, 'handlers', 'accounts.js'),
      "const { getPool } = require('/opt/nodejs/db');\nexports.handler = async () => getPool().query('SELECT 1');\n",
    ),
  ).toEqual(['connectionInImport']);
  expect(descriptorsRead()).toBeGreaterThan(0);
});
