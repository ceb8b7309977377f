/**
 * The codemods `lambda-rds migrate` can run. Each entry file is also a plain jscodeshift transform:
 * `jscodeshift -t node_modules/eslint-plugin-lambda-rds/dist/codemods/<name>.js <paths>`.
 */
import { fileURLToPath } from 'node:url';
import { meta as hoistConnection } from '../hoist-connection/meta.js';
import { meta as iamAuth } from '../iam-auth/meta.js';
import { meta as useProxyEndpoint } from '../use-proxy-endpoint/meta.js';

export interface CodemodInfo {
  readonly name: string;
  readonly description: string;
  readonly rule: string;
  /** The rule's suggestions (message ids) the codemod applies. */
  readonly suggestions: readonly string[];
  /** Absolute path of the compiled transform (what jscodeshift's workers load). */
  readonly transformPath: string;
  /** Packages the changed code may import, with the version range to add to package.json. */
  readonly dependencies?: Readonly<Record<string, string>>;
  /** A package each dependency takes the place of (mysql2 → mysql), removed when no file of the run imports it. */
  readonly replaces?: Readonly<Record<string, string>>;
}

const entry = (name: string) => fileURLToPath(new URL(`../${name}.js`, import.meta.url));

export const codemods: readonly CodemodInfo[] = [hoistConnection, useProxyEndpoint, iamAuth].map((meta) => ({
  name: meta.name,
  description: meta.description,
  rule: meta.rule,
  suggestions: meta.suggestions,
  transformPath: entry(meta.name),
  ...('dependencies' in meta ? { dependencies: meta.dependencies } : {}),
  ...('replaces' in meta ? { replaces: meta.replaces } : {}),
}));
