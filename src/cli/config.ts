/**
 * The configuration the CLI lints with. It is built here, in code: the scanned project needs no ESLint setup, and
 * any `eslint.config.*` it has is not loaded.
 */
import type { Linter } from 'eslint';
import plugin from '../index.js';
import { rules } from '../rules/index.js';
import { NAMESPACE } from '../meta.js';
import { UsageError } from './errors.js';
import { SOURCE_EXTENSIONS } from './files.js';
import type { ParseAttempt } from '../core/module-kind.js';
import { languageOptionsFor } from '../codemods/shared/lint.js';

const PREFIX = `${NAMESPACE}/`;

/** A rule's full id, as ESLint reports it: `lambda-rds/<name>`. */
export type RuleId = `${typeof NAMESPACE}/${string}`;

function needsTypes(name: string): boolean {
  const docs = rules[name as keyof typeof rules].meta.docs as { requiresTypeChecking?: boolean } | undefined;
  return Boolean(docs?.requiresTypeChecking);
}

/** Every rule the CLI can run: the plugin's rules that need no type information, in rule-map order. */
export function selectableRules(): RuleId[] {
  return Object.keys(rules)
    .filter((name) => !needsTypes(name))
    .map((name): RuleId => `${PREFIX}${name}`);
}

/** The rules of the plugin's `recommended` config (those the CLI can run: it sets up no type information). */
export function recommendedRules(): RuleId[] {
  const recommended = new Set(Object.keys(plugin.configs.recommended.rules ?? {}));
  return selectableRules().filter((id) => recommended.has(id));
}

/**
 * Turns `--rule` values into rule ids. Each value may be a comma-separated list; ids may omit the `lambda-rds/`
 * prefix. An unknown id is a `UsageError` that lists the valid ones. The result follows the rule map's order and
 * has no duplicates.
 */
export function selectRules(values: readonly string[], command?: string): RuleId[] {
  const names = values
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
  const valid = selectableRules();
  if (names.length === 0) {
    throw new UsageError(`--rule needs a rule id. Valid rules: ${valid.join(', ')}.`, command);
  }
  const chosen = new Set<RuleId>();
  const unknown: string[] = [];
  for (const name of names) {
    const id = (name.startsWith(PREFIX) ? name : `${PREFIX}${name}`) as RuleId;
    if (valid.includes(id)) chosen.add(id);
    else unknown.push(name);
  }
  if (unknown.length > 0) {
    const isTyped = (name: string): boolean => {
      const bare = name.startsWith(PREFIX) ? name.slice(PREFIX.length) : name;
      return Object.hasOwn(rules, bare) && needsTypes(bare);
    };
    const quote = (list: string[]): string => list.map((name) => `'${name}'`).join(', ');
    const notRules = unknown.filter((name) => !isTyped(name));
    const typed = unknown.filter(isTyped);
    const problems: string[] = [];
    if (notRules.length > 0) {
      problems.push(`${quote(notRules)} ${notRules.length === 1 ? 'is not a rule' : 'are not rules'} of ${NAMESPACE}.`);
    }
    if (typed.length > 0) {
      problems.push(
        `${quote(typed)} ${typed.length === 1 ? 'needs' : 'need'} type information, which the CLI does not set up; run ${typed.length === 1 ? 'it' : 'them'} through ESLint with a typed configuration.`,
      );
    }
    throw new UsageError(`${problems.join(' ')} Valid rules: ${valid.join(', ')}.`, command);
  }
  return valid.filter((id) => chosen.has(id));
}

/**
 * The flat config for a scan running `ruleIds`, parsing files one way (see `parseAttempts` in core/module-kind.ts:
 * the CLI parses each file as Node.js runs it, JavaScript with ESLint's own parser first and TypeScript, or
 * JavaScript it cannot read, with `@typescript-eslint/parser`). Severities and options are those of the
 * `recommended` config; a rule outside it runs as an error with its default options. Disable comments in the scanned
 * code are honoured, but unused ones are not reported: the scan runs only this plugin's rules, so comments for other
 * rules would all look unused.
 */
export function scanConfig(ruleIds: readonly RuleId[], attempt: ParseAttempt): Linter.Config[] {
  const recommended = plugin.configs.recommended.rules ?? {};
  const ruleEntries: Linter.RulesRecord = {};
  for (const id of ruleIds) ruleEntries[id] = recommended[id] ?? 'error';
  return [
    {
      // The files were chosen by `findSourceFiles`; ESLint's default ignores must not drop one named explicitly.
      name: `${NAMESPACE}/cli/no-default-ignores`,
      ignores: ['!**/node_modules/', '!.git/'],
    },
    {
      name: `${NAMESPACE}/cli/sources`,
      files: SOURCE_EXTENSIONS.map((ext) => `**/*${ext}`),
      plugins: { [NAMESPACE]: plugin as never },
      languageOptions: languageOptionsFor(attempt),
      linterOptions: { reportUnusedDisableDirectives: 'off' },
      rules: ruleEntries,
    },
  ];
}
