import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { rules } from '../../src/rules/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ruleNames = Object.keys(rules).sort();
const namesIn = (dir: string, suffix: string) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith(suffix) && f !== 'index.ts')
    .map((f) => basename(f, suffix))
    .sort();

describe('plugin shape', () => {
  it('has meta with name, version and namespace', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
    expect(plugin.meta).toEqual({ name: pkg.name, version: pkg.version, namespace: 'lambda-rds' });
  });

  it('lists the same rules in the rule map, src/rules, test/rules and docs/rules', () => {
    expect(namesIn('src/rules', '.ts')).toEqual(ruleNames);
    expect(namesIn('test/rules', '.test.ts')).toEqual(ruleNames);
    expect(namesIn('docs/rules', '.md')).toEqual(ruleNames);
  });

  it('derives every config from rule meta.docs', () => {
    for (const [name, rule] of Object.entries(rules)) {
      const id = `lambda-rds/${name}`;
      const docs = rule.meta.docs as { recommended?: boolean; strict?: boolean };
      expect(plugin.configs.all.rules?.[id], `${id} in all`).toBeDefined();
      expect(Boolean(plugin.configs.recommended.rules?.[id]), `${id} in recommended`).toBe(Boolean(docs.recommended));
      expect(Boolean(plugin.configs.strict.rules?.[id]), `${id} in strict`).toBe(Boolean(docs.recommended || docs.strict));
    }
    for (const config of Object.values(plugin.configs)) {
      expect(Object.keys(config.rules ?? {}).every((id) => id.startsWith('lambda-rds/') && id.slice(11) in rules)).toBe(true);
      expect(config.plugins?.['lambda-rds']).toBe(plugin);
    }
  });
});

describe.each(ruleNames)('rule %s', (name) => {
  const rule = rules[name as keyof typeof rules];

  it('follows the rule anatomy', () => {
    const meta = rule.meta;
    expect(meta.docs?.description).toMatch(/^[A-Z].*[^.]$/);
    expect(meta.docs?.url).toBe(`https://github.com/eslint-plugin-lambda-rds/eslint-plugin-lambda-rds/blob/main/docs/rules/${name}.md`);
    expect(['problem', 'suggestion', 'layout']).toContain(meta.type);
    for (const [id, message] of Object.entries(meta.messages)) {
      expect(id, 'message ids are camelCase').toMatch(/^[a-z][a-zA-Z]*$/);
      expect(message, `${id} is a whole sentence`).toMatch(/^[`A-Z{].*\.$/s);
    }
    const suggestionIds = Object.keys(meta.messages).filter((id) => id.startsWith('suggest'));
    expect(Boolean(meta.hasSuggestions)).toBe(suggestionIds.length > 0);
  });

  it('has schema properties with descriptions and no additional properties', () => {
    const schema = rule.meta.schema;
    const items = Array.isArray(schema) ? schema : schema ? [schema] : [];
    for (const item of items as Array<Record<string, unknown>>) {
      if (item.type !== 'object') continue;
      expect(item.additionalProperties).toBe(false);
      for (const [prop, def] of Object.entries((item.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        expect(def.description, `${prop} has a description`).toEqual(expect.any(String));
        expect(def.default, `${prop} has no schema default (defaults live in meta.defaultOptions)`).toBeUndefined();
      }
    }
  });

  it('accepts its own default options (validated by ESLint against the schema)', () => {
    const linter = new Linter();
    const defaults = (rule.defaultOptions ?? []) as unknown[];
    const run = () =>
      linter.verify('export const handler = async () => 1;', [
        {
          files: ['**/*.js'],
          plugins: { 'lambda-rds': plugin as never },
          rules: { [`lambda-rds/${name}`]: ['error', ...defaults] as Linter.RuleEntry },
        },
      ], 'x.js');
    expect(run).not.toThrow();
    // And the check is real: an unknown option is rejected.
    const bad = () =>
      linter.verify('x', [
        {
          files: ['**/*.js'],
          plugins: { 'lambda-rds': plugin as never },
          rules: { [`lambda-rds/${name}`]: ['error', { definitelyNotAnOption: true }] as Linter.RuleEntry },
        },
      ], 'x.js');
    expect(bad).toThrow();
  });
});

/**
 * `❌`/`✅` examples of a rule doc: fenced js/ts blocks under `## Examples` (and `## Stack code`, for the rules that
 * check CDK and Pulumi stacks), labelled by the line before.
 */
function docExamples(name: string): Array<{ bad: boolean; lang: string; code: string; line: number }> {
  const lines = readDoc(name).split('\n');
  const out: Array<{ bad: boolean; lang: string; code: string; line: number }> = [];
  lines.forEach((line, index) => {
    if (/^## (?:Examples|Stack code)\b/.test(line)) out.push(...sectionExamples(lines, index));
  });
  return out;
}

function sectionExamples(lines: readonly string[], start: number): Array<{ bad: boolean; lang: string; code: string; line: number }> {
  const out: Array<{ bad: boolean; lang: string; code: string; line: number }> = [];
  let label: boolean | undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^## /.test(line)) break;
    if (line.startsWith('❌')) label = true;
    else if (line.startsWith('✅')) label = false;
    const fence = /^```(js|ts|javascript|typescript)\s*$/.exec(line);
    if (fence) {
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length && !lines[j]!.startsWith('```'); j++) body.push(lines[j]!);
      if (label !== undefined) out.push({ bad: label, lang: fence[1]!, code: body.join('\n'), line: i + 1 });
      label = undefined;
      i = j;
    } else if (line.trim() !== '' && !line.startsWith('❌') && !line.startsWith('✅')) {
      label = undefined;
    }
  }
  return out;
}

/** A rule doc's text ('' when missing: the file-list test above names the missing doc). */
function readDoc(name: string): string {
  const file = join(root, 'docs/rules', `${name}.md`);
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

describe.each(ruleNames)('docs/rules/%s.md', (name) => {
  const examples = docExamples(name);
  const text = readDoc(name);

  it('has the sections every rule doc has', () => {
    for (const heading of ['## Rule details', '## Examples', '## Options', '## When not to use it', '## Further reading']) {
      expect(text, heading).toContain(heading);
    }
  });

  it('has both ❌ and ✅ examples', () => {
    expect(examples.some((e) => e.bad)).toBe(true);
    expect(examples.some((e) => !e.bad)).toBe(true);
  });

  it.each(examples.map((e) => [e.line, e.bad ? '❌' : '✅', e] as const))('example at line %i (%s) behaves as labelled', (_line, _label, example) => {
    const linter = new Linter();
    const filename = example.lang.startsWith('t') ? 'example.ts' : 'example.js';
    const messages = linter.verify(example.code, [
      {
        files: ['**/*.js', '**/*.ts'],
        languageOptions: { parser: tsParser },
        plugins: { 'lambda-rds': plugin as never },
        rules: { [`lambda-rds/${name}`]: 'error' },
      },
    ], filename);
    expect(messages.filter((m) => m.fatal), 'the example parses').toEqual([]);
    const reported = messages.some((m) => m.ruleId === `lambda-rds/${name}`);
    expect(reported).toBe(example.bad);
    // Every suggestion on a doc example yields code that parses and differs from the example.
    for (const message of messages) {
      for (const suggestion of message.suggestions ?? []) {
        const { range, text } = suggestion.fix;
        const output = example.code.slice(0, range[0]) + text + example.code.slice(range[1]);
        expect(output).not.toBe(example.code);
        const after = linter.verify(output, [{ files: ['**/*.js', '**/*.ts'], languageOptions: { parser: tsParser } }], filename);
        expect(after.filter((m) => m.fatal), `suggestion "${suggestion.desc}" output parses`).toEqual([]);
      }
    }
  });
});

describe('codemods', () => {
  it('each codemod has a doc, fixtures, a README entry and fixes a rule of the plugin', async () => {
    const { codemods } = await import('../../src/codemods/shared/registry.js');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const dirs = readdirSync(join(root, 'src/codemods'), { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== 'shared')
      .map((e) => e.name)
      .sort();
    expect(codemods.map((c) => c.name).sort()).toEqual(dirs);
    for (const codemod of codemods) {
      expect(readFileSync(join(root, 'docs/codemods', `${codemod.name}.md`), 'utf8')).toContain(`# \`${codemod.name}\``);
      expect(readdirSync(join(root, 'test/codemods', codemod.name, 'fixtures')).length).toBeGreaterThan(0);
      expect(readme).toContain(`\`${codemod.name}\``);
      expect(ruleNames).toContain(codemod.rule);
    }
  });
});
