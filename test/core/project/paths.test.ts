/**
 * Module resolution for calls into other files: a specifier as Node.js and the TypeScript bundlers resolve it, every
 * candidate looked up in its folder's listing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { clearProjectCaches, diskPath, setRefreshInterval } from '../../../src/core/project/index.js';
import { resolveSpecifier } from '../../../src/core/project/paths.js';
import { emptyProject } from '../../helpers/projects.js';

beforeEach(() => {
  clearProjectCaches();
  setRefreshInterval(0);
});

function project(files: Record<string, string>): string {
  const root = emptyProject();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

describe('resolveSpecifier', () => {
  const root = project({
    'src/handler.ts': '',
    'src/db.ts': '',
    'src/esm.mts': '',
    'src/lib/index.js': '',
    'src/pkg/package.json': '{ "main": "dist/entry.js" }',
    'src/pkg/dist/entry.js': '',
    'src/types.d.ts': '',
    'src/both.js': '',
    'src/both.ts': '',
  });
  const from = path.join(root, 'src', 'handler.ts');
  const resolve = (specifier: string) => {
    const file = resolveSpecifier(specifier, from, { root, layers: () => [] });
    return file && path.relative(root, file);
  };

  it('adds the extensions bundlers try, in their order', () => {
    expect(resolve('./db')).toBe('src/db.ts');
    expect(resolve('./both')).toBe('src/both.ts');
    expect(resolve('./both.js')).toBe('src/both.js');
  });

  it('reads `./db.js` as the TypeScript source it is compiled from, `.mjs` as `.mts`', () => {
    expect(resolve('./db.js')).toBe('src/db.ts');
    expect(resolve('./esm.mjs')).toBe('src/esm.mts');
  });

  it("follows a folder's package.json `main`, else its index file", () => {
    expect(resolve('./lib')).toBe('src/lib/index.js');
    expect(resolve('./pkg')).toBe('src/pkg/dist/entry.js');
  });

  it('finds nothing for declaration files, missing files and files in missing folders', () => {
    expect(resolve('./types')).toBeUndefined();
    expect(resolve('./nothing')).toBeUndefined();
    expect(resolve('./missing/db')).toBeUndefined();
    expect(resolve('../../no/such/folder/db')).toBeUndefined();
  });

  it('sees a file created after its folder was first listed', () => {
    expect(resolve('./later')).toBeUndefined();
    writeFileSync(path.join(root, 'src', 'later.ts'), '');
    expect(resolve('./later')).toBe('src/later.ts');
  });
});

describe('diskPath', () => {
  it('is the normalised absolute path of the linted file, and none for text without one', () => {
    expect(diskPath({ physicalFilename: '/repo/src/handler.ts' })).toBe('/repo/src/handler.ts');
    expect(diskPath({ physicalFilename: '/repo/src/./lib/../handler.ts' })).toBe('/repo/src/handler.ts');
    expect(diskPath({ physicalFilename: '/repo//src/handler.ts' })).toBe('/repo/src/handler.ts');
    expect(diskPath({ filename: '/repo/src/handler.ts' })).toBe('/repo/src/handler.ts');
    expect(diskPath({ physicalFilename: '<input>' })).toBeUndefined();
    expect(diskPath({ physicalFilename: 'src/handler.ts' })).toBeUndefined();
  });
});
