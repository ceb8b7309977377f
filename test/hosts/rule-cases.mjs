#!/usr/bin/env node
/**
 * Prints, as JSON, the valid and invalid cases of every rule test (test/rules/*.test.ts), exactly as each file
 * hands them to `ruleTester.run()`: the test files are imported with stand-ins for vitest and the rule tester
 * (rule-cases-hooks.mjs), so no test runs and the cases are the same objects the tests check. Used by
 * oxlint.test.ts to lint every case with both hosts.
 *
 * Each case: { rule, kind, index, code, errors, filename, project, options, settings, parser, sourceType, jsx,
 * unsupported }, `errors` being how many findings of its rule the test expects (0 for a valid case). A case on disk
 * in a fixture project (test/fixtures/projects, copied by test/helpers/projects.ts) has `project: { fixture, file }`
 * and `filename` the file's path in the project; the caller lints it in a copy of that project.
 * `parser` is `typescript-eslint` (the rule tester's default) or `espree`; `filename` is the case's own, else the
 * rule tester's default (`react.tsx`, as the tester enables JSX). `unsupported` lists case properties this script
 * does not carry over (the caller decides what to do with such a case); it is empty for every case today.
 */
import { register } from 'node:module';
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

register('../helpers/ts-loader.mjs', import.meta.url);
register('./rule-cases-hooks.mjs', import.meta.url);

const { default: tsParser } = await import('@typescript-eslint/parser');
const espree = await import('espree');

const RULES_DIR = fileURLToPath(new URL('../rules/', import.meta.url));
const FIXTURE_PROJECTS = fileURLToPath(new URL('../fixtures/projects/', import.meta.url));

/**
 * A case on disk, in a copy of a fixture project (test/helpers/projects.ts): the project's name and the file's path
 * in it, so that the caller can lint the case in a copy of its own.
 */
function projectOf(filename) {
  if (!isAbsolute(filename)) return undefined;
  for (let dir = dirname(filename); dir !== dirname(dir); dir = dirname(dir)) {
    if (!existsSync(join(dir, '.git'))) continue;
    const fixture = basename(dir);
    if (!existsSync(join(FIXTURE_PROJECTS, fixture))) break;
    return { fixture, file: relative(dir, filename).split('\\').join('/') };
  }
  throw new Error(`${filename}: a case on disk outside a fixture project`);
}
/** Case properties that only matter to the rule tester's own checks (expected results), not to what is linted. */
const EXPECTATIONS = new Set(['code', 'errors', 'output', 'name', 'only', 'skip']);
const CARRIED = new Set(['filename', 'options', 'settings', 'languageOptions']);
const LANGUAGE_OPTIONS = new Set(['parser', 'sourceType', 'ecmaVersion', 'parserOptions']);

function parserName(parser) {
  if (parser === undefined || parser === tsParser) return 'typescript-eslint';
  if (parser === espree || parser?.parse === espree.parse) return 'espree';
  return `unknown parser ${parser?.meta?.name ?? ''}`.trim();
}

function describeCase(rule, kind, index, testCase, testerConfig) {
  const item = typeof testCase === 'string' ? { code: testCase } : testCase;
  const unsupported = Object.keys(item).filter((key) => !EXPECTATIONS.has(key) && !CARRIED.has(key));
  const languageOptions = { ...testerConfig.languageOptions, ...item.languageOptions };
  unsupported.push(...Object.keys(languageOptions).filter((key) => !LANGUAGE_OPTIONS.has(key)).map((key) => `languageOptions.${key}`));
  const parserOptions = { ...testerConfig.languageOptions?.parserOptions, ...item.languageOptions?.parserOptions };
  unsupported.push(...Object.keys(parserOptions).filter((key) => key !== 'ecmaFeatures').map((key) => `parserOptions.${key}`));
  const parser = parserName(languageOptions.parser);
  if (parser.startsWith('unknown')) unsupported.push(parser);
  const jsx = Boolean(parserOptions.ecmaFeatures?.jsx);
  const project = item.filename === undefined ? undefined : projectOf(item.filename);
  return {
    rule,
    kind,
    index,
    code: item.code,
    errors: kind === 'valid' ? 0 : Array.isArray(item.errors) ? item.errors.length : item.errors,
    filename: project?.file ?? item.filename ?? (jsx ? 'react.tsx' : 'file.ts'),
    project,
    options: item.options ?? [],
    settings: item.settings ?? {},
    parser,
    sourceType: languageOptions.sourceType ?? 'module',
    jsx,
    unsupported,
  };
}

const cases = [];
for (const file of readdirSync(RULES_DIR).filter((f) => f.endsWith('.test.ts')).sort()) {
  globalThis.ruleCaseRuns = [];
  await import(pathToFileURL(RULES_DIR + file).href);
  for (const run of globalThis.ruleCaseRuns) {
    run.valid.forEach((c, i) => cases.push(describeCase(run.name, 'valid', i, c, run.config)));
    run.invalid.forEach((c, i) => cases.push(describeCase(run.name, 'invalid', i, c, run.config)));
  }
}
for (const cleanUp of globalThis.ruleCaseCleanups ?? []) await cleanUp();
process.stdout.write(JSON.stringify(cases));
