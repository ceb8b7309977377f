/**
 * Lints cases in a worker thread, so that the caller can give it a larger stack than the main thread has: the
 * parsers and ESLint's own traversal recurse once per nesting level, and deeply nested inputs would otherwise fail
 * to parse before any rule saw them. The plugin is imported from `workerData.pluginUrl`, TypeScript sources
 * included (see `ts-loader.mjs`).
 *
 * workerData: { pluginUrl, cases: [{ name, code, modes: [{ parser: 'espree' | 'typescript', sourceType }] }] }
 * Posts back: [{ name, parser, sourceType, linted, fatal, thrown, ruleIds, ms }]
 */
import { register } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

register('./ts-loader.mjs', import.meta.url);

const { Linter } = await import('eslint');
const { default: tsParser } = await import('@typescript-eslint/parser');
const { default: plugin } = await import(workerData.pluginUrl);

const namespace = plugin.meta.namespace;
const rules = Object.fromEntries(Object.keys(plugin.rules).map((name) => [`${namespace}/${name}`, 'error']));
const linter = new Linter({ configType: 'flat' });

const results = [];
for (const { name, code, modes } of workerData.cases) {
  for (const { parser, sourceType } of modes) {
    const typescript = parser === 'typescript';
    const config = [
      {
        files: ['**/*.js', '**/*.ts'],
        plugins: { [namespace]: plugin },
        rules,
        languageOptions: { ecmaVersion: 'latest', sourceType, ...(typescript ? { parser: tsParser } : {}) },
      },
    ];
    const filename = `odd/${name.replace(/[^\w-]+/g, '-')}.${typescript ? 'ts' : 'js'}`;
    const start = performance.now();
    const result = { name, parser, sourceType, linted: false, fatal: undefined, thrown: undefined, ruleIds: [], ms: 0 };
    try {
      const messages = linter.verify(code, config, { filename });
      result.fatal = messages.find((m) => m.fatal)?.message;
      result.linted = !result.fatal && Boolean(linter.getSourceCode());
      result.ruleIds = messages.map((m) => m.ruleId).filter(Boolean);
    } catch (error) {
      result.thrown = error instanceof Error ? `${error.message}\n${(error.stack ?? '').split('\n').slice(1, 6).join('\n')}` : String(error);
    }
    result.ms = Math.round(performance.now() - start);
    results.push(result);
  }
}
parentPort.postMessage(results);
