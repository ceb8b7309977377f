import { Linter } from 'eslint';
import * as espree from 'espree';
import tsParser from '@typescript-eslint/parser';
import { getConnectionConfigs, type FileConfigs } from '../../../src/core/config/index.js';

/** Lints `code` with a probe rule and returns the file's resolved connection configs (`null`: no database module). */
export function configsOf(code: string, options: { commonjs?: boolean; filename?: string } = {}): FileConfigs | null {
  let captured: FileConfigs | null = null;
  const linter = new Linter();
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.ts', '**/*.js', '**/*.cjs', '**/*.mjs'],
        languageOptions: options.commonjs
          ? { parser: espree, sourceType: 'commonjs', ecmaVersion: 'latest' }
          : { parser: tsParser },
        plugins: {
          probe: {
            rules: {
              configs: {
                create(context) {
                  captured = getConnectionConfigs(context as never);
                  return {};
                },
              },
            },
          },
        },
        rules: { 'probe/configs': 'error' },
      },
    ],
    options.filename ?? (options.commonjs ? 'file.cjs' : 'file.ts'),
  );
  const fatal = messages.find((m) => m.fatal);
  if (fatal) throw new Error(`parse error: ${fatal.message}`);
  return captured;
}
