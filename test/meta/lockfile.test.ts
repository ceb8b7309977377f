/**
 * `npm ci` installs exactly what package-lock.json records, and refuses when a recorded dependency spec no longer
 * matches. A spec that is a dist-tag (`"latest"`, `"next"`) matches whatever the tag points to today, so the lock
 * breaks the day the tag moves. No package of the tree, ours or a dependency's, may declare one.
 */
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
};

/** Specs that are not version ranges but still pin what they name: aliases, files, links, git and tarball URLs. */
const NON_RANGE = /^(npm:|file:|link:|workspace:|git\+|git:|github:|https?:)/;

/** Every dependency spec that is neither a semver range nor a pinned non-registry source: a dist-tag. */
function tagSpecs(packages: Record<string, LockEntry>): string[] {
  const found: string[] = [];
  for (const [location, entry] of Object.entries(packages)) {
    const owner = location === '' ? '(this package)' : location.replace(/^.*node_modules\//, '');
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies', 'devDependencies'] as const) {
      for (const [name, spec] of Object.entries(entry[field] ?? {})) {
        if (NON_RANGE.test(spec) || semver.validRange(spec) !== null) continue;
        found.push(`${owner} declares ${name}@"${spec}" in ${field}`);
      }
    }
  }
  return found;
}

describe('package-lock.json', () => {
  it('is a lockfile npm 7 and later read (version 3)', () => {
    expect(lock.lockfileVersion).toBe(3);
  });

  it('declares no dependency by a dist-tag, directly or through a dependency', () => {
    expect(tagSpecs(lock.packages)).toEqual([]);
  });

  it('records oxlint’s native binary for Linux x64 with glibc, at oxlint’s version, so that `npm ci` there installs it', () => {
    const oxlint = lock.packages['node_modules/oxlint'];
    expect(oxlint?.optionalDependencies?.['@oxlint/binding-linux-x64-gnu']).toBe(oxlint?.version);
    expect(lock.packages['node_modules/@oxlint/binding-linux-x64-gnu']?.version).toBe(oxlint?.version);
  });

  it('would name the package that does', () => {
    const packages = {
      '': { dependencies: { a: '^1.0.0' } },
      'node_modules/a': { version: '1.0.0', dependencies: { b: 'latest', c: '~2.1', d: 'npm:e@^1', f: '*' } },
    };
    expect(tagSpecs(packages)).toEqual(['a declares b@"latest" in dependencies']);
  });
});
