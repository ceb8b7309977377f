import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { PLACEHOLDER, getSqlSource, type SqlSource } from '../../../src/core/sql/index.js';

/**
 * The SqlSource of the first argument of every `q(…)` call in `code`, with the source code it came from
 * (collected by a throwaway rule, as a real rule would).
 */
function sources(code: string): Array<{ source: SqlSource | null; sourceCode: Readonly<TSESLint.SourceCode>; again: SqlSource | null }> {
  const out: Array<{ source: SqlSource | null; sourceCode: Readonly<TSESLint.SourceCode>; again: SqlSource | null }> = [];
  const rule = {
    meta: { type: 'problem' as const, schema: [] },
    create(context: Readonly<TSESLint.RuleContext<string, []>>) {
      return {
        CallExpression(node: TSESTree.CallExpression) {
          if (node.callee.type !== 'Identifier' || node.callee.name !== 'q') return;
          const arg = node.arguments[0]!;
          const source = getSqlSource(context.sourceCode, arg);
          out.push({ source, sourceCode: context.sourceCode, again: getSqlSource(context.sourceCode, arg) });
        },
      };
    },
  };
  const linter = new Linter();
  const messages = linter.verify(code, [
    { files: ['**/*.ts'], languageOptions: { parser: tsParser as Linter.Parser }, plugins: { t: { rules: { r: rule as never } } }, rules: { 't/r': 'error' } },
  ], 'file.ts');
  expect(messages.filter((m) => m.fatal)).toEqual([]);
  return out;
}

function one(code: string): SqlSource {
  const [entry] = sources(code);
  expect(entry?.source).not.toBeNull();
  return entry!.source!;
}

/** The source text that `text.slice(start, end)` maps back to. */
function mapped(code: string, source: SqlSource, needle: string): string {
  const start = source.text.indexOf(needle);
  expect(start, `${needle} in ${JSON.stringify(source.text)}`).toBeGreaterThanOrEqual(0);
  const [from, to] = source.sourceRange(start, start + needle.length);
  return code.slice(from, to);
}

describe('SqlSource', () => {
  it('maps a plain string literal one to one', () => {
    const code = "q('SELECT 1; SET search_path TO app');";
    const source = one(code);
    expect(source.text).toBe('SELECT 1; SET search_path TO app');
    expect(mapped(code, source, 'SET search_path')).toBe('SET search_path');
  });

  it('maps through escapes to the raw text', () => {
    const code = "q('SELECT \\'x\\';\\n\\tSET x = 1');";
    const source = one(code);
    expect(source.text).toBe("SELECT 'x';\n\tSET x = 1");
    expect(mapped(code, source, 'SET x')).toBe('SET x');
    expect(mapped(code, source, "'x'")).toBe("\\'x\\'");
  });

  it('maps unicode and hex escapes to the escape that produced them', () => {
    const code = "q('\\u0053ET a = 1; \\x4cISTEN b; \\u{1F600} LOAD c');";
    const source = one(code);
    expect(source.text).toBe('SET a = 1; LISTEN b; \u{1F600} LOAD c');
    expect(mapped(code, source, 'SET')).toBe('\\u0053ET');
    expect(mapped(code, source, 'LISTEN')).toBe('\\x4cISTEN');
    expect(mapped(code, source, 'LOAD')).toBe('LOAD');
  });

  it('maps a template literal across lines, CRLF included', () => {
    const code = 'q(`SELECT 1;\r\n  LISTEN jobs`);';
    const source = one(code);
    expect(source.text).toBe('SELECT 1;\n  LISTEN jobs');
    expect(mapped(code, source, 'LISTEN jobs')).toBe('LISTEN jobs');
  });

  it('joins concatenations and const bindings; other operands are placeholders', () => {
    const code = "const HEAD = 'SELECT 1; ';\nconst TAIL = `LISTEN ${'jobs'}`;\nq(HEAD + 'SET x = ' + value + '; ' + TAIL);";
    const source = one(code);
    expect(source.text).toBe(`SELECT 1; SET x = ${PLACEHOLDER}; LISTEN jobs`);
    expect(source.segments.map((s) => s.kind)).toEqual(['text', 'text', 'placeholder', 'text', 'text', 'text']);
    expect(mapped(code, source, 'SELECT 1')).toBe('SELECT 1');
    expect(mapped(code, source, 'LISTEN')).toBe('LISTEN');
    expect(mapped(code, source, PLACEHOLDER)).toBe('value');
  });

  it('inlines const strings in plain template literals but never in tagged templates', () => {
    const plain = one("const SCHEMA = 'app';\nq(`SET search_path TO ${SCHEMA}, ${other}`);");
    expect(plain.text).toBe(`SET search_path TO app, ${PLACEHOLDER}`);
    expect(plain.tagged).toBe(false);
    // A tagged template's interpolations are bound parameters, whatever they are.
    const tagged = getTaggedSource("const SCHEMA = 'app';\nq(sql`SET search_path TO ${SCHEMA}`);");
    expect(tagged.text).toBe(`SET search_path TO ${PLACEHOLDER}`);
    expect(tagged.tagged).toBe(true);
  });

  it('reads long concatenations whole (no depth limit on operands)', () => {
    const parts = Array.from({ length: 300 }, (_, i) => `'c${i}, '`);
    const code = `q('SET search_path TO ' + ${parts.join(' + ')} + 'app');`;
    const source = one(code);
    expect(source.text.startsWith('SET search_path TO c0, c1, ')).toBe(true);
    expect(source.text.endsWith('c299, app')).toBe(true);
    expect(mapped(code, source, 'SET search_path')).toBe('SET search_path');
  });

  it('does not follow let bindings, reassigned names or cycles', () => {
    const code = "let a = 'SET x = 1';\nq(a);\nconst b = c + 'x';\nconst c = b + 'y';\nq(b);";
    const [first, second] = sources(code);
    expect(first!.source).toBeNull();
    expect(second!.source!.text).toBe(`${PLACEHOLDER}yx`);
  });

  it('is null for an expression with no static text, and cached per node', () => {
    const [first, second] = sources('q(input);\nq(`SELECT ${a}`);');
    expect(first!.source).toBeNull();
    expect(second!.source).not.toBeNull();
    expect(second!.again).toBe(second!.source);
  });

  it('counts the static text in UTF-8 bytes, placeholders excluded', () => {
    const source = one('q(`é${x}a`);');
    expect(source.text).toBe(`é${PLACEHOLDER}a`);
    expect(source.staticByteLength).toBe(3);
  });
});

/** The SqlSource of the first tagged template in `code`. */
function getTaggedSource(code: string): SqlSource {
  let found: SqlSource | null = null;
  const rule = {
    meta: { type: 'problem' as const, schema: [] },
    create(context: Readonly<TSESLint.RuleContext<string, []>>) {
      return {
        TaggedTemplateExpression(node: TSESTree.TaggedTemplateExpression) {
          found ??= getSqlSource(context.sourceCode, node);
        },
      };
    },
  };
  new Linter().verify(code, [
    { files: ['**/*.ts'], languageOptions: { parser: tsParser as Linter.Parser }, plugins: { t: { rules: { r: rule as never } } }, rules: { 't/r': 'error' } },
  ], 'file.ts');
  expect(found).not.toBeNull();
  return found!;
}
