// The ESLint configuration bench/real-detection.mjs times whole repositories with, through ESLint's own CLI:
// ESLint's recommended core rules plus the plugin's `recommended`, TypeScript through @typescript-eslint/parser.
// LAMBDA_RDS_PROJECT=off turns the project knowledge off (`settings['lambda-rds'].project: false`).
import { builtinRules } from 'eslint/use-at-your-own-risk';
import * as tsParser from '@typescript-eslint/parser';
import plugin from '../../dist/index.js';

const core = Object.fromEntries(
  [...builtinRules].filter(([, rule]) => rule.meta?.docs?.recommended === true && !rule.meta.deprecated).map(([name]) => [name, 'error']),
);
const project = process.env.LAMBDA_RDS_PROJECT !== 'off';

export default [
  {
    files: ['**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}'],
    languageOptions: { ecmaVersion: 'latest' },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    plugins: { 'lambda-rds': plugin },
    settings: project ? {} : { 'lambda-rds': { project: false } },
    rules: { ...core, ...plugin.configs.recommended.rules },
  },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
  { files: ['**/*.{ts,mts,cts,tsx}'], languageOptions: { parser: tsParser } },
];
