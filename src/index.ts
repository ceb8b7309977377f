import type { Linter } from 'eslint';
import type { TSESLint } from '@typescript-eslint/utils';
import { rules } from './rules/index.js';
import { NAMESPACE, PACKAGE_NAME, VERSION } from './meta.js';

export type RuleName = keyof typeof rules;
type ConfigName = 'recommended' | 'strict' | 'all';

const ruleEntries = Object.entries(rules) as Array<[RuleName, (typeof rules)[RuleName]]>;

/** A config's rule set, derived from each rule's `meta.docs` (never a second list kept by hand). */
function inConfig(config: ConfigName, rule: (typeof rules)[RuleName]): boolean {
  const docs = rule.meta.docs as { recommended?: boolean; strict?: boolean } | undefined;
  if (config === 'all') return true;
  if (config === 'strict') return Boolean(docs?.recommended || docs?.strict);
  return Boolean(docs?.recommended);
}

function configRules(config: ConfigName): Linter.RulesRecord {
  const out: Linter.RulesRecord = {};
  for (const [name, rule] of ruleEntries) {
    if (inConfig(config, rule)) out[`${NAMESPACE}/${name}`] = 'error';
  }
  return out;
}

/** Per-rule option overrides a config applies (strict turns on the stricter checks). */
const configOptions: Partial<Record<ConfigName, Linter.RulesRecord>> = {
  strict: { [`${NAMESPACE}/max-pool-size`]: ['error', { checkDefaults: true }] },
};

const plugin = {
  meta: { name: PACKAGE_NAME, version: VERSION, namespace: NAMESPACE },
  rules: rules as unknown as Record<RuleName, TSESLint.LooseRuleDefinition>,
  configs: {} as Record<ConfigName, Linter.Config>,
};

for (const name of ['recommended', 'strict', 'all'] as const) {
  plugin.configs[name] = {
    name: `${NAMESPACE}/${name}`,
    plugins: { [NAMESPACE]: plugin as never },
    rules: { ...configRules(name), ...configOptions[name] },
  };
}

export default plugin;
