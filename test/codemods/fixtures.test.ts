/**
 * Fixture pairs of every codemod, found automatically under `test/codemods/<codemod>/fixtures/`:
 * `<case>.input.<ext>` → `<case>.output.<ext>`. `no-change-<case>` inputs must come out identical;
 * `annotate-<case>` runs with `--annotate`; `<case>.options.json` holds other options of the codemod. For every
 * case: the output is as expected, parses, the rule is silent on it (unless the codemod reported a reason to leave
 * something alone), running the codemod again changes nothing, and an editor user who applies the rule's
 * suggestion to each finding in turn ends with the same text as the codemod.
 *
 * iam-auth also fixes code its rule does not report (passwords read from the environment). For it, the editor's
 * text is compared with the codemod run on the findings only (`lambdaRdsFindingsOnly`), and the full run must be
 * that text with the extra fixes applied: running the codemod over the editor's text gives the fixture's output.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lintFindings } from '../../src/codemods/shared/lint.js';
import { codemods } from '../../src/codemods/shared/registry.js';
import { applyEdits } from '../../src/core/fix/text.js';

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, '../../src/codemods');

/** The rule settings a codemod's options turn into. */
function settingsFor(name: string, options: Record<string, unknown>): Record<string, unknown> {
  if (name === 'use-proxy-endpoint' && typeof options.envVar === 'string') {
    return { 'lambda-rds': { proxyEndpointEnvVar: options.envVar } };
  }
  return {};
}

/** What a user gets in an editor by applying the suggestion of the first finding that has one, again and again. */
function applySuggestionsInTurn(text: string, path: string, rule: string, suggestion: readonly string[], settings: Record<string, unknown>): string {
  let current = text;
  for (let i = 0; i < 50; i++) {
    const { findings } = lintFindings({ text: current, filePath: path, rules: [rule], settings });
    const next = findings
      .filter((f) => f.ruleId === rule)
      .sort((a, b) => a.start - b.start)
      .flatMap((f) => f.suggestions.filter((s) => suggestion.includes(s.messageId)))[0];
    if (!next) return current;
    current = applyEdits(current, [{ start: next.range[0], end: next.range[1], text: next.text }]);
  }
  throw new Error('suggestions did not converge');
}

describe.each(codemods.map((c) => [c.name, c.rule, c.suggestions] as const))('%s fixtures', (name, rule, suggestions) => {
  const dir = join(here, name, 'fixtures');
  const cases = readdirSync(dir)
    .filter((f) => f.includes('.input.'))
    .map((f) => ({ name: f.slice(0, f.indexOf('.input.')), input: f, ext: f.slice(f.indexOf('.input.') + 7) }));

  async function run(path: string, source: string, options: Record<string, unknown>) {
    const { default: transform } = (await import(pathToFileURL(join(src, name, 'transform.ts')).href)) as {
      default: (file: unknown, api: unknown, options: unknown) => string | undefined;
    };
    const reports: string[] = [];
    const api = { stats: () => {}, report: (m: string) => reports.push(m) };
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
    const text = first.output.replace(/^\uFEFF/, '');
    const settings = settingsFor(name, options);
    const after = lintFindings({ text, filePath: inputPath, rules: [rule], settings });
    // The output parses.
    expect(after.parseError).toBeUndefined();
    // The rule is silent on the output unless the codemod said why it left something alone.
    const remaining = after.findings.filter((f) => f.ruleId === rule);
    if (first.reports.some((r) => r.startsWith('skipped:'))) expect(remaining.length).toBeGreaterThan(0);
    else expect(remaining).toEqual([]);
    // Idempotent: a second run changes nothing.
    const second = await run(inputPath, first.output, options);
    expect(second.changed).toBe(false);
    expect(second.output).toBe(first.output);
    // The editor's suggestions give the codemod's text (annotations are the codemod's own addition).
    if (!options.annotate) {
      const bom = source.startsWith('\uFEFF') ? '\uFEFF' : '';
      const edited = bom + applySuggestionsInTurn(source.replace(/^\uFEFF/, ''), inputPath, rule, suggestions, settings);
      if (name === 'iam-auth') {
        const findingsOnly = await run(inputPath, source, { ...options, lambdaRdsFindingsOnly: true });
        expect(edited).toBe(findingsOnly.output);
        const completed = await run(inputPath, edited, options);
        expect(completed.output).toBe(first.output);
      } else {
        expect(edited).toBe(first.output);
      }
    }
  });
});
