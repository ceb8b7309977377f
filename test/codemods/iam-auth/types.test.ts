/**
 * The TypeScript `iam-auth` writes type-checks against the real typings of the drivers and of
 * `@aws-sdk/rds-signer` (dev dependencies): the `typed-*` fixtures (pg, mysql2, knex, postgres.js) compile under
 * `strict` before and after the transform. That covers the shapes each driver accepts: a password function, a
 * `mysql_clear_password` auth plugin, a knex connection function with `expirationChecker`, and the `Signer` config.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { typeCheck } from '../../helpers/type-check.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURES = path.join(ROOT, 'test/codemods/iam-auth/fixtures');

it('typed fixtures type-check under strict, before and after the codemod', () => {
  const files = readdirSync(FIXTURES)
    .filter((f) => f.startsWith('typed-') || f === 'aws-lambda-types.ts')
    .map((f) => path.join(FIXTURES, f));
  const outputs = files.filter((f) => f.includes('.output.'));
  expect(outputs.map((f) => path.basename(f).split('.')[0]).sort()).toEqual([
    'typed-knex-pg',
    'typed-mysql2-promise',
    'typed-pg-client-handler',
    'typed-pg-pool-constants',
    'typed-postgres-js',
  ]);
  for (const output of outputs) expect(files).toContain(output.replace('.output.', '.input.'));
  const { status, output } = typeCheck(files);
  expect(output).toBe('');
  expect(status).toBe(0);
}, 120_000);
