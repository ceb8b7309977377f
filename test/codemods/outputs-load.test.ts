/**
 * Every codemod output is code that runs. For every fixture of every codemod (the output of a changed case, the
 * input of a `no-change-` case):
 *
 * - ESLint's `no-use-before-define` (variables and classes) and `no-undef` (Node.js globals) report nothing on the
 *   output that they do not report on the input (test/helpers/scope-problems.mjs): a codemod never leaves a name
 *   undefined, and never uses a name before its declaration (an import placed below its first use is the classic way
 *   to break a file);
 * - Node.js loads the output as it loads the input (test/helpers/load-module.mjs), as the module kind Node gives it:
 *   the real drivers and signer where this repository installs them, inert stand-ins for the others (TypeORM,
 *   Sequelize, files of the original project), sockets that never connect. Both load.
 *
 * bench/real-fixes.mjs runs the same two checks over the codemods' outputs on real public Lambda code.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { codemods } from '../../src/codemods/shared/registry.js';
import { moduleKindFor } from '../../src/core/module-kind.js';
import { createLoadArea } from '../helpers/load-module.mjs';
import { addedProblems, scopeProblems } from '../helpers/scope-problems.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const area = createLoadArea();
afterAll(() => area.remove());

interface Fixture {
  readonly name: string;
  readonly path: string;
  readonly input: string;
  readonly output: string;
  readonly kind: 'module' | 'commonjs';
}

function fixtures(codemod: string): Fixture[] {
  const dir = path.join(ROOT, 'test/codemods', codemod, 'fixtures');
  return readdirSync(dir)
    .filter((file) => file.includes('.input.'))
    .map((file) => {
      const input = readFileSync(path.join(dir, file), 'utf8');
      const outputFile = path.join(dir, file.replace('.input.', '.output.'));
      const output = existsSync(outputFile) ? readFileSync(outputFile, 'utf8') : input;
      // Fixtures stand for files of a CommonJS package unless their extension or syntax says otherwise.
      return { name: file, path: path.join(dir, file), input, output, kind: moduleKindFor(file, input, () => 'commonjs') };
    });
}

describe.each(codemods.map((c) => c.name))('%s outputs', (codemod) => {
  const cases = fixtures(codemod).map((f) => [f.name, f] as const);

  it.each(cases)('%s: no scope problem the input did not have', (_, fixture) => {
    const before = scopeProblems(fixture.input, fixture.path, fixture.kind);
    expect(addedProblems(before, scopeProblems(fixture.output, fixture.path, fixture.kind))).toEqual([]);
  });

  it.each(cases)('%s: input and output load in Node.js', (_, fixture) => {
    // The input loading shows the stand-ins are enough for the file's top level to run.
    expect(area.load(fixture.path, fixture.input, fixture.kind)).toBe('loaded');
    expect(area.load(fixture.path, fixture.output, fixture.kind)).toBe('loaded');
  });
});

describe('the checks', () => {
  it('catch an import placed below its first use', () => {
    const file = 'load-probe.js';
    const broken = [
      "const signer = new Signer({ hostname: 'db', port: 5432, username: 'app' });",
      "const { Signer } = require('@aws-sdk/rds-signer');",
      "const db = require('knex')({ client: 'pg', connection: async () => ({ password: await signer.getAuthToken() }) });",
      'module.exports = db;',
      '',
    ].join('\n');
    expect(area.load(file, broken, 'commonjs')).toBe("error: ReferenceError: Cannot access 'Signer' before initialization");
    expect(scopeProblems(broken, file, 'commonjs')).toContain("no-use-before-define: 'Signer' was used before it was defined.");
  });
});
