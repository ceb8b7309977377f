/**
 * Every message of every rule is one sentence of at most 140 characters, ending in a period: checked on what users
 * see, the messages rendered with real data, from the docs' `❌` examples, the example projects' `before/` files and
 * realistic Lambda code (realistic-code.ts). Every message id a rule declares must come
 * up, so no message escapes the check. The rule tests check their own invalid cases the same way
 * (test/rule-tester.ts).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { rules } from '../../src/rules/index.js';
import { docExamples } from '../helpers/docs.js';
import { emptyProject } from '../helpers/projects.js';
import {
  MAX_MESSAGE_LENGTH,
  formatProblems,
  messageProblems,
  renderedMessages,
  unusedMessageIds,
  type RenderedMessage,
} from '../helpers/messages.js';
import { REALISTIC } from './realistic-code.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ruleNames = Object.keys(rules).sort() as Array<keyof typeof rules>;

/** The files of the example projects as they are often written (examples/README.md). */
function exampleFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string, inBefore: boolean): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(path, inBefore || entry.name === 'before');
      } else if (inBefore && /\.(?:[cm]?[jt]s)$/.test(entry.name)) {
        out.push(path);
      }
    }
  };
  walk(join(root, 'examples'), false);
  return out.sort();
}

/** One rule over one file, as a user's config runs it. */
function lint(
  name: string,
  code: string,
  filename: string,
  source: string,
  options: readonly unknown[] = [],
  settings: Record<string, unknown> = {},
): RenderedMessage[] {
  const ruleId = `lambda-rds/${name}`;
  const commonjs = /\.c[jt]s$/.test(filename);
  // A file on disk is linted from its folder: a Linter ignores a file outside its base path.
  const messages = new Linter(isAbsolute(filename) ? { cwd: dirname(filename) } : {}).verify(
    code,
    [
      {
        files: ['**'],
        languageOptions: {
          parser: tsParser as Linter.Parser,
          ecmaVersion: 'latest',
          sourceType: commonjs ? 'commonjs' : 'module',
          parserOptions: { ecmaFeatures: { jsx: true } },
        },
        plugins: { 'lambda-rds': plugin as never },
        rules: { [ruleId]: ['error', ...options] as Linter.RuleEntry },
        settings,
      },
    ],
    filename,
  );
  expect(messages.filter((m) => m.fatal), `${source} parses`).toEqual([]);
  expect(messages.filter((m) => m.ruleId !== ruleId), `${source}: only the rule's messages`).toEqual([]);
  return renderedMessages(messages, ruleId, source);
}

/** Every message the rule gives on the realistic code of all three sources. */
function realisticMessages(name: keyof typeof rules): RenderedMessage[] {
  const out: RenderedMessage[] = [];
  for (const example of docExamples(name)) {
    if (!example.bad) continue;
    const filename = example.lang.startsWith('t') ? 'example.ts' : 'example.js';
    out.push(...lint(name, example.code, filename, `docs/rules/${name}.md:${example.line}`));
  }
  for (const file of exampleFiles()) {
    out.push(...lint(name, readFileSync(file, 'utf8'), file, relative(root, file)));
  }
  for (const example of REALISTIC[name]) {
    let filename = example.filename ?? 'handler.ts';
    if (example.project) {
      // Written to a project of its own, so that the rules read the modules the code imports.
      const root = emptyProject();
      for (const [file, text] of Object.entries({ ...example.project, [filename]: example.code })) {
        mkdirSync(dirname(join(root, file)), { recursive: true });
        writeFileSync(join(root, file), text);
      }
      filename = join(root, filename);
    }
    out.push(...lint(name, example.code, filename, `realistic-code.ts: ${example.name}`, example.options, example.settings));
  }
  return out;
}

describe('the form of a message', () => {
  it('is one sentence that ends in a period; code spans may hold any punctuation', () => {
    for (const text of [
      '`client.connect()` connects again on each invocation of `handler`; connect once, behind a module-scope promise.',
      "This SQL text of at least 16,412 bytes is over RDS Proxy's 16,384-byte limit and pins the session; split it.",
      '`SET search_path` pins the RDS Proxy session; use `ALTER ROLE … SET`, not `/*! … */` or `pool.end()`.',
    ]) {
      expect(messageProblems(text), text).toEqual([]);
    }
  });

  it('flags what breaks the form, so the checks below can fail', () => {
    const long = `\`orders-db.cluster-c9akciq32lce.eu-west-1.rds.amazonaws.com\` is an Aurora cluster endpoint; ${'connect through RDS Proxy, '.repeat(3)}now.`;
    expect(long.length).toBeGreaterThan(MAX_MESSAGE_LENGTH);
    expect(messageProblems(long)).toEqual([`${long.length} characters, more than ${MAX_MESSAGE_LENGTH}`]);
    expect(messageProblems('The pool is too large. Set `max` to 1.')).toEqual(['has more than one sentence']);
    expect(messageProblems('The pool is too large (see the docs.) Set `max` to 1.')).toEqual(['has more than one sentence']);
    expect(messageProblems('Set `max` to 1')).toEqual(['does not end with a single period']);
    expect(messageProblems('Set `max` to 1..')).toEqual(['does not end with a single period']);
    expect(messageProblems('Set `max to 1.')).toEqual(['has an unclosed code span']);
    expect(messageProblems('Set `{{key}}` to 1.')).toEqual(['has a placeholder without data']);
    expect(messageProblems('Set `max` to 1;\nthen redeploy.')).toEqual(['more than one line']);
  });
});

describe.each(ruleNames)('messages of %s', (name) => {
  const rule = rules[name];
  const messages = realisticMessages(name);

  it(`are one sentence of at most ${MAX_MESSAGE_LENGTH} characters on realistic code`, () => {
    expect(messages.length).toBeGreaterThan(0);
    expect(formatProblems(messages)).toEqual([]);
  });

  it('come up for every message id the rule declares', () => {
    expect(unusedMessageIds(rule.meta.messages, messages)).toEqual([]);
  });

  it("are checked on every invalid case of the rule's tests too", () => {
    // createRuleTester() adds that check to the rule's RuleTester run.
    const test = readFileSync(join(root, 'test/rules', `${name}.test.ts`), 'utf8');
    expect(test).toMatch(/import \{[^}]*\bcreateRuleTester\b[^}]*\} from '\.\.\/rule-tester\.js'/);
    expect(test).toMatch(/\bcreateRuleTester\(\)/);
    expect(test).toContain(`ruleTester.run('${name}', rule,`);
  });
});
