// Lints this repository's own sources: the plugin's recommended config on its own code (dogfooding) and
// eslint-plugin-eslint-plugin's recommended rules on the rule files. Uses the built plugin: `npm run lint` builds
// first.
import tsParser from '@typescript-eslint/parser';
import eslintPlugin from 'eslint-plugin-eslint-plugin';
import lambdaRds from './dist/index.js';

export default [
  {
    name: 'repo/ignores',
    ignores: ['dist/', 'node_modules/', 'examples/', 'test/**/fixtures/', 'bench/', 'coverage/'],
  },
  {
    name: 'repo/typescript',
    files: ['**/*.{ts,mts,cts}'],
    languageOptions: { parser: tsParser, sourceType: 'module' },
  },
  {
    ...lambdaRds.configs.recommended,
    files: ['src/**/*.{ts,mts,cts,js,mjs,cjs}'],
  },
  {
    ...eslintPlugin.configs['rules-recommended'],
    files: ['src/rules/**/*.ts'],
  },
];
