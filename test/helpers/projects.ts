/**
 * Fixture projects (test/fixtures/projects/<name>) copied to a temporary folder with a `.git` folder at the top, so
 * that each is a project root of its own, as a checkout is; removed after the test file.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

const FIXTURES = fileURLToPath(new URL('../fixtures/projects/', import.meta.url));

/** Every folder made for the test file, removed after it (registered when the test file imports this module). */
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function fixtureProject(name: string): string {
  const parent = mkdtempSync(path.join(tmpdir(), 'lambda-rds-project-'));
  const root = path.join(parent, name);
  cpSync(path.join(FIXTURES, name), root, { recursive: true });
  mkdirSync(path.join(root, '.git'));
  made.push(parent);
  return root;
}

/** An empty project root in a temporary folder (with `.git`), for tests that write their own files. */
export function emptyProject(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'lambda-rds-project-'));
  mkdirSync(path.join(root, '.git'));
  made.push(root);
  return root;
}
