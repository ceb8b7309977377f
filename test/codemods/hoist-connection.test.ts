/**
 * Fixture pairs found automatically: `<case>.input.<ext>` → `<case>.output.<ext>`. `no-change-<case>` inputs
 * must come out identical; `annotate-<case>` runs with `--annotate`. For every case: the output is as expected,
 * parses, the rule is silent on it (unless the codemod reported a reason to leave something alone), and running
 * the codemod again changes nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jscodeshift from 'jscodeshift';
import { describe, expect, it } from 'vitest';
import transform from '../../src/codemods/hoist-connection/transform.js';
import { lintFindings } from '../../src/codemods/shared/findings.js';
import { parserFor } from '../../src/codemods/shared/parse.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'hoist-connection', 'fixtures');
const cases = readdirSync(dir)
  .filter((f) => f.includes('.input.'))
  .map((f) => ({ name: f.slice(0, f.indexOf('.input.')), input: f, ext: f.slice(f.indexOf('.input.') + 7) }));

function run(path: string, source: string, annotate: boolean) {
  const reports: string[] = [];
  const api = { jscodeshift, j: jscodeshift, stats: () => {}, report: (m: string) => reports.push(m) };
  const out = transform({ path, source }, api as never, { annotate });
  return { output: out ?? source, changed: out !== undefined && out !== source, reports };
}

describe('hoist-connection fixtures', () => {
  it('has fixtures of every kind', () => {
    expect(cases.filter((c) => c.name.startsWith('no-change-')).length).toBeGreaterThanOrEqual(3);
    expect(cases.filter((c) => !c.name.startsWith('no-change-')).length).toBeGreaterThanOrEqual(8);
  });

  it.each(cases)('$input', ({ name, input, ext }) => {
    const inputPath = join(dir, input);
    const source = readFileSync(inputPath, 'utf8');
    const annotate = name.startsWith('annotate-');
    const first = run(inputPath, source, annotate);
    if (name.startsWith('no-change-')) {
      expect(first.changed).toBe(false);
      expect(first.output).toBe(source);
    } else {
      const expected = readFileSync(join(dir, `${name}.output.${ext}`), 'utf8');
      expect(first.output).toBe(expected);
      expect(first.changed).toBe(true);
    }
    // The output parses with the parser for its extension.
    expect(() => jscodeshift.withParser(parserFor(inputPath))(first.output)).not.toThrow();
    // The rule is silent on the output unless the codemod said why it left something alone.
    const text = first.output.replace(/^\uFEFF/, '');
    const remaining = lintFindings(text, inputPath, ['no-connection-in-handler']).findings;
    if (first.reports.some((r) => r.startsWith('skipped:'))) expect(remaining.length).toBeGreaterThan(0);
    else expect(remaining).toEqual([]);
    // Idempotent: a second run changes nothing.
    const second = run(inputPath, first.output, annotate);
    expect(second.changed).toBe(false);
    expect(second.output).toBe(first.output);
  });
});
