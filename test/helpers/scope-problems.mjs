/**
 * ESLint's core scope rules on a file: `no-use-before-define` (variables and classes; functions are hoisted) and
 * `no-undef` (with Node.js globals), as `rule: message` lines, or `parse: <message>` when the file does not parse.
 * What a codemod must never add to a file.
 */
import { Linter } from 'eslint';
import globals from 'globals';
import * as tsParser from '@typescript-eslint/parser';

const linter = new Linter({ configType: 'flat' });

export function scopeProblems(text, file, kind) {
  const typescript = /\.[cm]?tsx?$/.test(file);
  const messages = linter.verify(
    text.replace(/^\uFEFF/, ''),
    [
      {
        files: ['**/*'],
        languageOptions: {
          ...(typescript ? { parser: tsParser } : {}),
          ecmaVersion: 'latest',
          sourceType: kind,
          globals: { ...globals.builtin, ...globals.node, ...(kind === 'commonjs' ? globals.commonjs : {}) },
          parserOptions: { ecmaFeatures: { jsx: true } },
        },
        rules: {
          'no-use-before-define': ['error', { functions: false, classes: true, variables: true, allowNamedExports: true }],
          // Type positions in TypeScript are the compiler's to check.
          ...(typescript ? {} : { 'no-undef': 'error' }),
        },
      },
    ],
    typescript ? 'file.ts' : 'file.js',
  );
  return messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

/** The lines of `after` that `before` does not have (each counted). */
export function addedProblems(before, after) {
  const left = [...before];
  return after.filter((m) => {
    const i = left.indexOf(m);
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}
