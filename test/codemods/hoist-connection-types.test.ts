/**
 * The TypeScript the codemod writes type-checks against the real driver typings (pg, mysql2, knex): the
 * `typed-*` fixtures compile under `strict` before and after the transform.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = path.join(ROOT, 'test/codemods/hoist-connection/fixtures');

it('typed fixtures type-check under strict, before and after the codemod', () => {
  const files = readdirSync(FIXTURES)
    .filter((f) => f.startsWith('typed-') || f === 'aws-lambda-types.ts')
    .map((f) => path.join(FIXTURES, f));
  expect(files.filter((f) => f.includes('.output.')).length).toBeGreaterThanOrEqual(4);
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-rds-tsc-'));
  try {
    const config = path.join(dir, 'tsconfig.json');
    writeFileSync(
      config,
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'ES2022',
          module: 'preserve',
          moduleResolution: 'bundler',
          esModuleInterop: true,
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [path.join(ROOT, 'node_modules/@types')],
        },
        files,
      }),
    );
    const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', config], {
      encoding: 'utf8',
    });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
