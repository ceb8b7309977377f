/**
 * Fixture pairs of every codemod, found automatically under `test/codemods/<codemod>/fixtures/`:
 * `<case>.input.<ext>` → `<case>.output.<ext>`. `no-change-<case>` inputs must come out identical;
 * `annotate-<case>` runs with `--annotate`; `<case>.options.json` holds other options of the codemod. For every
 * case: the output is as expected, parses, the rule is silent on it (unless the codemod reported a reason to leave
 * something alone), and running the codemod again changes nothing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import jscodeshift from 'jscodeshift';
import { describe, expect, it } from 'vitest';
import { lintFindings } from '../../src/codemods/shared/findings.js';
import { parserFor } from '../../src/codemods/shared/parse.js';
import { codemods } from '../../src/codemods/shared/registry.js';

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, '../../src/codemods');

describe.each(codemods.map((c) => [c.name, c.rule] as const))('%s fixtures', (name, rule) => {
  const dir = join(here, name, 'fixtures');
  const cases = readdirSync(dir)
    .filter((f) => f.includes('.input.'))
    .map((f) => ({ name: f.slice(0, f.indexOf('.input.')), input: f, ext: f.slice(f.indexOf('.input.') + 7) }));

  async function run(path: string, source: string, options: Record<string, unknown>) {
    const { default: transform } = (await import(pathToFileURL(join(src, name, 'transform.ts')).href)) as {
      default: (file: unknown, api: unknown, options: unknown) => string | undefined;
    };
    const reports: string[] = [];
    const api = { jscodeshift, j: jscodeshift, stats: () => {}, report: (m: string) => reports.push(m) };
    const out = transform({ path, source }, api, options);
    return { output: out ?? source, changed: out !== undefined && out !== source, reports };
  }

  it('has fixtures that change code and fixtures that must not', () => {
    expect(cases.filter((c) => c.name.startsWith('no-change-')).length).toBeGreaterThanOrEqual(2);
    expect(cases.filter((c) => !c.name.startsWith('no-change-')).length).toBeGreaterThanOrEqual(3);
  });

  it.each(cases)('$input', async ({ name: caseName, input, ext }) => {
    const inputPath = join(dir, input);
    const source = readFileSync(inputPath, 'utf8');
    const optionsFile = join(dir, `${caseName}.options.json`);
    const options = {
      annotate: caseName.startsWith('annotate-'),
      ...(existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, 'utf8')) as Record<string, unknown>) : {}),
    };
    const first = await run(inputPath, source, options);
    if (caseName.startsWith('no-change-')) {
      expect(first.changed).toBe(false);
      expect(first.output).toBe(source);
    } else {
      const expected = readFileSync(join(dir, `${caseName}.output.${ext}`), 'utf8');
      expect(first.output).toBe(expected);
      expect(first.changed).toBe(true);
    }
    // The output parses with the parser for its extension.
    expect(() => jscodeshift.withParser(parserFor(inputPath))(first.output)).not.toThrow();
    // The rule is silent on the output unless the codemod said why it left something alone.
    const text = first.output.replace(/^\uFEFF/, '');
    const remaining = lintFindings(text, inputPath, [rule]).findings;
    if (first.reports.some((r) => r.startsWith('skipped:'))) expect(remaining.length).toBeGreaterThan(0);
    else expect(remaining).toEqual([]);
    // Idempotent: a second run changes nothing.
    const second = await run(inputPath, first.output, options);
    expect(second.changed).toBe(false);
    expect(second.output).toBe(first.output);
  });
});
