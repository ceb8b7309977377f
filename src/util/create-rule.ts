import { applyDefault, RuleCreator } from '@typescript-eslint/utils/eslint-utils';

import { keepParseForProject } from '../core/host-parse.js';
import type { AnyContext } from '../core/per-file.js';
import { REPOSITORY_URL as REPO } from '../meta.js';

/** Extra `meta.docs` fields every rule of this plugin declares. */
export interface LambdaRdsDocs {
  /** Short description, shown in the README rules table. */
  description: string;
  /** Configs the rule is enabled in. `recommended` implies `strict`; every rule is in `all`. */
  recommended?: boolean;
  strict?: boolean;
  /** The rule needs type information (never true for the syntactic set). */
  requiresTypeChecking?: boolean;
}

export const docsUrl = (name: string): string => `${REPO}/blob/main/docs/rules/${name}.md`;

const namedRule = RuleCreator<LambdaRdsDocs>(docsUrl);

/**
 * One rule factory for the whole plugin: typed options and message ids, docs URL from the rule name.
 *
 * typescript-eslint's factory merges the default options into the configured ones (a `structuredClone` and a deep
 * merge) on every `create()`, that is for every rule and every file linted. Here the merged options are computed
 * once per distinct configuration and shared (frozen, so no rule can change them for the next file); the merge
 * itself is the same `applyDefault`.
 *
 * Every rule's `create` also offers the host's parse of the file to the project knowledge (`keepParseForProject`),
 * whichever rules are on.
 */
export const createRule = ((rule: LooseRule) => {
  const created = (namedRule as unknown as (r: LooseRule) => LooseRule)(rule);
  const defaults = rule.meta.defaultOptions ?? rule.defaultOptions ?? [];
  const withoutOptions = deepFreeze(applyDefault<readonly unknown[], readonly unknown[]>(defaults, []));
  /**
   * The configuration of the last file: hosts hand every file a new options array (ESLint 9.15 and later merge
   * `meta.defaultOptions` into one per file), but with the same option objects in it when nothing is configured
   * beyond the defaults. A file of the same configuration as the last costs a comparison of those few items.
   */
  let last: { configured: readonly unknown[]; options: readonly unknown[] } | undefined;
  /** Otherwise, the configurations seen last, compared structurally (cheaper than a key text). */
  const recent: { configured: readonly unknown[]; options: readonly unknown[] }[] = [];
  const resolve = (configured: readonly unknown[]): readonly unknown[] => {
    if (configured.length === 0) return withoutOptions;
    if (last && sameItems(last.configured, configured)) return last.options;
    let options = recent.find((entry) => sameData(entry.configured, configured))?.options;
    if (!options) {
      options = deepFreeze(applyDefault<readonly unknown[], readonly unknown[]>(defaults, configured));
      if (recent.length >= 8) recent.pop();
      recent.unshift({ configured: structuredClone(configured), options });
    }
    last = { configured: [...configured], options };
    return options;
  };
  return {
    ...created,
    create: (context: { options: readonly unknown[] }) => {
      keepParseForProject(context as unknown as AnyContext);
      return rule.create(context, resolve(context.options));
    },
  };
}) as unknown as typeof namedRule;

interface LooseRule {
  meta: { defaultOptions?: readonly unknown[] };
  defaultOptions?: readonly unknown[];
  create(context: { options: readonly unknown[] }, options?: readonly unknown[]): unknown;
}

/** Whether two option arrays hold the same values (the same objects, not equal ones). */
function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** Whether two option values (JSON-like data) are equal. */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  return keysA.every((key) => Object.hasOwn(b, key) && sameData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

