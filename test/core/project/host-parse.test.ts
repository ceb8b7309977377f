/**
 * A file the host has linted is not parsed again when the project knowledge reads it for another file (a helper
 * module linted before the handler that calls it, a `serverless.ts` before the handlers it declares): the host's
 * parse is used while it holds the file's text on disk, and only then.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { beforeEach, expect, it } from 'vitest';
import plugin from '../../../src/index.js';
import { clearProjectCaches, keepHostParse, projectCacheStats, setRefreshInterval } from '../../../src/core/project/index.js';
import { PARSE_TEXT_BOUND, parseFile } from '../../../src/core/project/parse.js';
import { emptyProject } from '../../helpers/projects.js';

beforeEach(() => {
  clearProjectCaches();
  setRefreshInterval(0);
});

const linter = new Linter({ configType: 'flat', cwd: '/' });
const config: Linter.Config[] = [
  {
    files: ['**/*.js', '**/*.ts'],
    plugins: { 'lambda-rds': plugin as never },
    rules: plugin.configs.recommended.rules as Linter.RulesRecord,
  },
  { files: ['**/*.ts'], languageOptions: { parser: tsParser as never } },
];

const HELPER = "import { Pool } from 'pg';\nexport function getPool(): Pool {\n  return new Pool({ host: process.env.DB_HOST });\n}\n";
const HANDLER = "import { getPool } from '../lib/db';\nexport const handler = async () => getPool().query('SELECT 1');\n";

function project(): { helper: string; handler: string } {
  const root = emptyProject();
  for (const dir of ['lib', 'handlers']) mkdirSync(path.join(root, dir));
  const helper = path.join(root, 'lib', 'db.ts');
  const handler = path.join(root, 'handlers', 'users.ts');
  writeFileSync(helper, HELPER);
  writeFileSync(handler, HANDLER);
  return { helper, handler };
}

function lint(file: string, code: string): string[] {
  return linter.verify(code, config, { filename: file }).map((m) => `${m.line}:${m.messageId ?? m.message}`);
}

it('uses the host parse of a helper linted first, and reports the handler the same either way', () => {
  const first = project();
  const before = lint(first.handler, HANDLER);
  expect(before).toEqual(['2:connectionInImport']);

  const second = project();
  expect(lint(second.helper, HELPER)).toEqual([]);
  const hostAst = linter.getSourceCode().ast;
  // The helper names a database module: its parse is kept, and it is what the project knowledge reads.
  expect(parseFile(second.helper, HELPER)?.ast).toBe(hostAst);
  expect(lint(second.handler, HANDLER)).toEqual(before);
});

it('parses the file again when its text on disk is not what the host linted (an unsaved edit, a shared object)', () => {
  const { helper } = project();
  const edited = `${HELPER}// edited in the editor\n`;
  expect(lint(helper, edited)).toEqual([]);
  const hostAst = linter.getSourceCode().ast;
  const parsed = parseFile(helper, HELPER);
  expect(parsed?.ast).toBeDefined();
  expect(parsed?.ast).not.toBe(hostAst);
  expect(parsed?.text).toBe(HELPER);

  // A host that hands every file the same object (oxlint): once it describes another file, it is not used.
  expect(lint(helper, HELPER)).toEqual([]);
  const shared = linter.getSourceCode();
  expect(parseFile(helper, HELPER)?.ast).toBe(shared.ast);
  keepHostParse(helper, Object.create(shared, { text: { value: 'export const other = 1;\n' } }) as Parameters<typeof keepHostParse>[1]);
  expect(parseFile(helper, HELPER)?.ast).not.toBe(shared.ast);
});

it('keeps host parses within a bound on their text: a very large file is parsed again when read', () => {
  const { helper } = project();
  const large = `${HELPER}${'// padding\n'.repeat(PARSE_TEXT_BOUND / 10)}`;
  writeFileSync(helper, large);
  expect(lint(helper, large)).toEqual([]);
  const hostAst = linter.getSourceCode().ast;
  expect(parseFile(helper, large)?.ast).not.toBe(hostAst);
  const stats = projectCacheStats()['host-parse']!;
  expect([stats.size, stats.weight, stats.maxWeight]).toEqual([0, 0, PARSE_TEXT_BOUND]);
});

it('does not use a host parse of another module kind for scope analysis, but does for a static read', () => {
  const root = emptyProject();
  const file = path.join(root, 'db.js');
  const text = "const { Pool } = require('pg');\nexports.getPool = () => new Pool();\n";
  writeFileSync(file, text);
  // ESLint's flat config reads a `.js` file as a module; Node.js runs this one as CommonJS.
  expect(lint(file, text)).toEqual([]);
  const hostAst = linter.getSourceCode().ast;
  expect(hostAst.sourceType).toBe('module');
  expect(parseFile(file, text)?.ast).not.toBe(hostAst);
  expect(parseFile(file, text)?.sourceType).toBe('commonjs');
  expect(parseFile(file, text, false)?.ast).toBe(hostAst);
});

it('keeps no parse of a file that names no database module and declares no function', () => {
  const { helper } = project();
  const text = 'export const region = process.env.AWS_REGION;\n';
  writeFileSync(helper, text);
  expect(lint(helper, text)).toEqual([]);
  expect(parseFile(helper, text)?.ast).not.toBe(linter.getSourceCode().ast);
});

it('keeps the parse of a Serverless Framework file and of a CDK stack that may declare functions', () => {
  const root = emptyProject();
  const serverless = path.join(root, 'serverless.ts');
  const serverlessText = "const config = { service: 'users', functions: { list: { handler: 'src/list.handler' } } };\nexport default config;\n";
  const stack = path.join(root, 'stack.ts');
  const stackText =
    "import * as lambda from 'aws-cdk-lib/aws-lambda';\nimport { Stack } from 'aws-cdk-lib';\n" +
    "export class Users extends Stack { fn = new lambda.Function(this, 'List', {} as never); }\n";
  for (const [file, text] of [
    [serverless, serverlessText],
    [stack, stackText],
  ] as const) {
    writeFileSync(file, text);
    expect(lint(file, text)).toEqual([]);
    expect(parseFile(file, text, false)?.ast).toBe(linter.getSourceCode().ast);
  }
});
