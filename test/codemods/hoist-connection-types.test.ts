/**
 * The TypeScript the codemod writes type-checks against the real driver typings (pg, mysql2, knex): the
 * `typed-*` fixtures compile under `strict` before and after the transform.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { typeCheck } from '../helpers/type-check.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = path.join(ROOT, 'test/codemods/hoist-connection/fixtures');

it('typed fixtures type-check under strict, before and after the codemod', () => {
  const files = readdirSync(FIXTURES)
    .filter((f) => f.startsWith('typed-') || f === 'aws-lambda-types.ts')
    .map((f) => path.join(FIXTURES, f));
  expect(files.filter((f) => f.includes('.output.')).length).toBeGreaterThanOrEqual(4);
  const { status, output } = typeCheck(files);
  expect(output).toBe('');
  expect(status).toBe(0);
}, 120_000);
