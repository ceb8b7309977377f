/**
 * Every codemod output is code that runs: for every fixture of every codemod (the output of a changed case, the
 * input of a `no-change-` case),
 *
 * - ESLint's `no-undef` (with Node.js globals) and `no-use-before-define` (variables and classes) find nothing in the
 *   output that they do not find in the input: a codemod never leaves a name undefined, and never uses a name
 *   before its declaration (an import placed after its first use is the classic way to break a file);
 * - the output loads in Node.js, as the module kind Node gives it, with its driver modules present: the real package
 *   where this repository has it installed (pg, mysql2, knex, postgres, @aws-sdk/rds-signer, …), a stand-in that
 *   exports the names the file imports otherwise (TypeORM, mssql, Prisma, …). TypeScript is compiled first. Loading
 *   a Lambda handler module must not throw (`ReferenceError: Cannot access 'Signer' before initialization`, say).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import globals from 'globals';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { codemods } from '../../src/codemods/shared/registry.js';
import { moduleKindFor } from '../../src/core/module-kind.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);
const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

interface Fixture {
  readonly codemod: string;
  readonly name: string;
  readonly path: string;
  readonly input: string;
  readonly output: string;
}

function fixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const { name: codemod } of codemods) {
    const dir = path.join(ROOT, 'test/codemods', codemod, 'fixtures');
    for (const file of readdirSync(dir)) {
      if (!file.includes('.input.')) continue;
      const input = readFileSync(path.join(dir, file), 'utf8');
      const outputFile = path.join(dir, file.replace('.input.', '.output.'));
      const output = existsSync(outputFile) ? readFileSync(outputFile, 'utf8') : input;
      out.push({ codemod, name: file, path: path.join(dir, file), input, output });
    }
  }
  return out;
}

const linter = new Linter({ configType: 'flat' });

/** `rule: message` of the scope problems ESLint finds in a file (TypeScript through its parser). */
function scopeProblems(text: string, file: string): string[] {
  const typescript = /\.[cm]?tsx?$/.test(file);
  const kind = moduleKindFor(file, text, () => 'commonjs');
  const messages = linter.verify(
    text.replace(/^\uFEFF/, ''),
    [
      {
        files: ['**/*.*'],
        languageOptions: {
          ecmaVersion: 'latest',
          sourceType: kind,
          globals: { ...globals.node, ...globals.es2024 },
          ...(typescript ? { parser: tsParser as Linter.Parser } : {}),
          parserOptions: { ecmaFeatures: { jsx: true } },
        },
        rules: {
          // TypeScript type positions are names the compiler checks; `no-undef` does not know them.
          ...(typescript ? {} : { 'no-undef': 'error' }),
          'no-use-before-define': ['error', { functions: false, classes: true, variables: true, allowNamedExports: true }],
        },
      },
    ],
    `check/${path.basename(file)}`,
  );
  const fatal = messages.find((m) => m.fatal);
  if (fatal) return [`parse: ${fatal.message}`];
  return messages.map((m) => `${m.ruleId}: ${m.message}`);
}

/** Bare module specifiers the file imports or requires, with the names it imports from each. */
function importedModules(text: string): Map<string, Set<string>> {
  const modules = new Map<string, Set<string>>();
  const add = (specifier: string, names: string[]) => {
    if (specifier.startsWith('.') || specifier.startsWith('node:') || specifier.startsWith('/')) return;
    const set = modules.get(specifier) ?? new Set<string>();
    names.forEach((n) => set.add(n));
    modules.set(specifier, set);
  };
  for (const m of text.matchAll(/import\s+(?:type\s+)?([\s\S]*?)\s+from\s+['"]([^'"]+)['"]/g)) {
    const names = [...(m[1]!.match(/\{([\s\S]*?)\}/)?.[1] ?? '').split(',')]
      .map((n) => n.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!.trim())
      .filter(Boolean);
    add(m[2]!, names);
  }
  for (const m of text.matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g)) add(m[1]!, []);
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) add(m[1]!, []);
  return modules;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function installed(name: string): boolean {
  try {
    require.resolve(`${name}/package.json`, { paths: [ROOT] });
    return true;
  } catch {
    return existsSync(path.join(ROOT, 'node_modules', name));
  }
}

/** A package that loads and gives every imported name a callable, constructible stand-in. */
function writeStandIn(dir: string, name: string, names: ReadonlySet<string>): void {
  mkdirSync(dir, { recursive: true });
  const exported = [...names].filter((n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n));
  const stub = `const handler = { get: (target, key) => (key === 'then' ? undefined : stub), apply: () => stub, construct: () => stub };
const stub = new Proxy(function standIn() {}, handler);`;
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name, version: '0.0.0', exports: { '.': { import: './index.mjs', require: './index.cjs' }, './*': { import: './index.mjs', require: './index.cjs' } } }),
  );
  writeFileSync(path.join(dir, 'index.cjs'), `${stub}\nmodule.exports = stub;\n`);
  writeFileSync(
    path.join(dir, 'index.mjs'),
    `${stub}\nexport default stub;\n${exported.map((n) => `export const ${n} = stub;`).join('\n')}\n`,
  );
}

/** Loads the file in a fresh Node.js process; the error text when it throws. */
function load(fixture: Fixture): string | undefined {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-rds-load-'));
  temporary.push(dir);
  const text = fixture.output.replace(/^\uFEFF/, '');
  const kind = moduleKindFor(fixture.path, text, () => 'commonjs');
  const typescript = /\.[cm]?tsx?$/.test(fixture.path);
  const code = typescript
    ? ts.transpileModule(text, {
        compilerOptions: {
          module: kind === 'module' ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS,
          target: ts.ScriptTarget.ES2022,
          esModuleInterop: true,
          verbatimModuleSyntax: false,
        },
      }).outputText
    : text;
  const entry = path.join(dir, `handler.${kind === 'module' ? 'mjs' : 'cjs'}`);
  writeFileSync(entry, code);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'commonjs' }));
  // Relative modules the fixture reads (`./settings`): empty stand-ins.
  for (const m of code.matchAll(/(?:require\(|from\s+|import\()\s*['"](\.\.?\/[^'"]+)['"]/g)) {
    const target = path.join(dir, m[1]!);
    mkdirSync(path.dirname(target), { recursive: true });
    if (!existsSync(target)) writeFileSync(/\.[cm]?js$/.test(target) ? target : `${target}.js`, 'module.exports = {};\n');
  }
  const modules = path.join(dir, 'node_modules');
  mkdirSync(modules);
  for (const [specifier, names] of importedModules(code)) {
    const name = packageName(specifier);
    const at = path.join(modules, name);
    if (existsSync(at)) continue;
    mkdirSync(path.dirname(at), { recursive: true });
    if (installed(name)) symlinkSync(path.join(ROOT, 'node_modules', name), at, 'dir');
    else writeStandIn(at, name, names);
  }
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", `await import(${JSON.stringify(entry)}); process.exit(0);`], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, NODE_PATH: modules },
    timeout: 20_000,
  });
  if (run.status === 0) return undefined;
  return (run.stderr || run.stdout || `exit ${run.status}`).split('\n').slice(0, 6).join('\n');
}

describe.each(codemods.map((c) => c.name))('%s outputs', (codemod) => {
  const cases = fixtures().filter((f) => f.codemod === codemod);

  it('has fixtures', () => {
    expect(cases.length).toBeGreaterThan(2);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: no scope problem the input did not have', (_, fixture) => {
    const before = new Set(scopeProblems(fixture.input, fixture.path));
    const added = scopeProblems(fixture.output, fixture.path).filter((p) => !before.has(p));
    expect(added).toEqual([]);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: loads in Node.js', (_, fixture) => {
    expect(load(fixture)).toBeUndefined();
  });
});
