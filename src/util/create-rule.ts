import { RuleCreator } from '@typescript-eslint/utils/eslint-utils';

const REPO = 'https://github.com/eslint-plugin-lambda-rds/eslint-plugin-lambda-rds';

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

/** One rule factory for the whole plugin: typed options and message ids, docs URL from the rule name. */
export const createRule = RuleCreator<LambdaRdsDocs>(docsUrl);
