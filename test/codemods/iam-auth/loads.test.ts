/**
 * Every output of iam-auth still loads: the codemod adds imports, a module-scope signer and reads of it, and none of
 * them may be used before it exists (`ReferenceError: Cannot access 'Signer' before initialization` is what an
 * import placed below its first use gives when Node loads the function).
 *
 * For every fixture output and every output on the labelled real-code corpus (bench/iam-auth-real.mjs; the corpus
 * must be there, see the bench):
 * - ESLint's core `no-use-before-define` (variables and classes) and `no-undef` (Node.js globals, from the `globals`
 *   package) report nothing on the output that they do not report on the input;
 * - Node.js loads the output as it loads the input (test/harness/load-module.ts: real drivers and signer, inert
 *   stand-ins for modules that are not installed, sockets that never connect): an input that loads gives an output
 *   that loads, and an input that fails to load fails the same way.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Linter } from 'eslint';
import globals from 'globals';
import * as tsParser from '@typescript-eslint/parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import transform from '../../../src/codemods/iam-auth/transform.js';
import { lintFindings } from '../../../src/codemods/shared/lint.js';
import { isTypeScriptFile, moduleKindFor, type ModuleKind } from '../../../src/core/module-kind.js';
import { createLoadArea, type LoadArea } from '../../harness/load-module.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURES = path.join(ROOT, 'test/codemods/iam-auth/fixtures');

const linter = new Linter({ configType: 'flat' });

/** The core scope rules' findings on a file, as `rule: message` lines. */
function scopeFindings(text: string, file: string, kind: ModuleKind): string[] {
  const messages = linter.verify(
    text.replace(/^\uFEFF/, ''),
    [
      {
        files: ['**/*'],
        languageOptions: {
          ...(isTypeScriptFile(file) ? { parser: tsParser as Linter.Parser } : {}),
          ecmaVersion: 'latest',
          sourceType: kind,
          globals: { ...globals.builtin, ...globals.node, ...(kind === 'commonjs' ? globals.commonjs : {}) },
        },
        rules: {
          'no-use-before-define': ['error', { functions: false, classes: true, variables: true }],
          'no-undef': 'error',
        },
      },
    ],
    file.replace(/\.[^.]+$/, isTypeScriptFile(file) ? '.ts' : '.js'),
  );
  return messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

/** What ESLint reports on the output and not on the input (each message counted). */
function added(before: string[], after: string[]): string[] {
  const left = [...before];
  return after.filter((m) => {
    const i = left.indexOf(m);
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}

interface Case {
  readonly label: string;
  readonly file: string;
  readonly kind: ModuleKind;
  readonly input: string;
  readonly output: string;
}

function fixtureCases(): Case[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.includes('.output.'))
    .map((name) => {
      const file = path.join(FIXTURES, name.replace('.output.', '.input.'));
      const input = readFileSync(file, 'utf8');
      // How the fixture would run on its own (this repository's package.json is not the function's).
      return { label: name, file, kind: moduleKindFor(file, input, () => 'commonjs'), input, output: readFileSync(path.join(FIXTURES, name), 'utf8') };
    });
}

let area: LoadArea;
beforeAll(() => {
  area = createLoadArea();
});
afterAll(() => area?.remove());

describe('iam-auth fixture outputs', () => {
  const cases = fixtureCases();

  it.each(cases.map((c) => [c.label, c] as const))('%s: no new scope error, and it loads', (_, c) => {
    expect(added(scopeFindings(c.input, c.file, c.kind), scopeFindings(c.output, c.file, c.kind))).toEqual([]);
    // Fixtures are whole programs: input and output both load.
    expect(area.load(c.file, c.input, c.kind), `${c.label} input`).toBe('loaded');
    expect(area.load(c.file, c.output, c.kind), c.label).toBe('loaded');
  }, 60_000);

  it('the loader catches an import placed below its first use (the bug this guards against)', () => {
    const file = path.join(FIXTURES, 'load-probe.js');
    const broken = [
      "const signer = new Signer({ hostname: 'db', port: 5432, username: 'app' });",
      "const { Signer } = require('@aws-sdk/rds-signer');",
      "const db = require('knex')({ client: 'pg', connection: async () => ({ password: await signer.getAuthToken() }) });",
      'module.exports = db;',
      '',
    ].join('\n');
    expect(area.load(file, broken, 'commonjs')).toBe("error: ReferenceError: Cannot access 'Signer' before initialization");
    expect(scopeFindings(broken, file, 'commonjs')).toContain("no-use-before-define: 'Signer' was used before it was defined.");
  });
});

describe('iam-auth outputs on the labelled real-code corpus', () => {
  let outputs: Case[] = [];
  let workDir: string | undefined;

  beforeAll(async () => {
    const bench = (await import(pathToFileURL(path.join(ROOT, 'bench/iam-auth-real.mjs')).href)) as {
      corpusDir(): string;
      iamAuthReal(options: { keep: boolean; transform?: unknown; lintFindings?: unknown }): Promise<{
        workDir: string;
        outputs: Array<{ label: string; file: string; input: string; output: string }>;
      }>;
    };
    if (!existsSync(path.join(bench.corpusDir(), 'labels.json'))) {
      throw new Error(`the labelled corpus is missing at ${bench.corpusDir()} (set LAMBDA_RDS_CORPUS)`);
    }
    const figures = await bench.iamAuthReal({ keep: true, transform, lintFindings });
    workDir = figures.workDir;
    outputs = figures.outputs.map((o) => ({ ...o, kind: moduleKindFor(o.file, o.input) }));
  }, 120_000);
  afterAll(() => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('changes files', () => {
    expect(outputs.length).toBeGreaterThanOrEqual(20);
  });

  it('adds no scope error to any output', () => {
    const problems = outputs.flatMap((c) =>
      added(scopeFindings(c.input, c.file, c.kind), scopeFindings(c.output, c.file, c.kind)).map((m) => `${c.label}: ${m}`),
    );
    expect(problems).toEqual([]);
  });

  it('leaves every output loading as its input does', () => {
    const problems: string[] = [];
    let loaded = 0;
    for (const c of outputs) {
      const before = area.load(c.file, c.input, c.kind);
      const after = area.load(c.file, c.output, c.kind);
      if (after === 'loaded') loaded++;
      if (before === 'loaded' ? after !== 'loaded' : after !== before) problems.push(`${c.label}: input ${before}, output ${after}`);
    }
    expect(problems).toEqual([]);
    // Most of them load at all (the rest fail the same way before and after, e.g. a layer path under /opt).
    expect(loaded).toBeGreaterThanOrEqual(outputs.length / 2);
  }, 300_000);
});
