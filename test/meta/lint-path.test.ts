/**
 * What an editor loads: `import('eslint-plugin-lambda-rds')` brings in the rules and what they need, and nothing of
 * the codemods (jscodeshift, Babel, recast), the CLI, the SARIF writer or the diff printer. Checked on the built
 * package in a fresh Node.js process, with a module loader hook that records every module it resolves and
 * `require.cache` for CommonJS modules loaded from those.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'lambda-rds-lint-path-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOOKS = `
let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  port.postMessage(result.url);
  return result;
}
`;

const TRACE = `
import { register, createRequire } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const seen = new Set();
port1.on('message', (url) => seen.add(url));
port1.unref();
register(process.argv[2], { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] });
const plugin = (await import(process.argv[3])).default;
await new Promise((resolve) => setTimeout(resolve, 100));
const require = createRequire(import.meta.url);
for (const file of Object.keys(require.cache)) seen.add('file://' + file);
process.stdout.write(JSON.stringify({ rules: Object.keys(plugin?.rules ?? {}).length, modules: [...seen] }));
`;

function modulesLoadedBy(entry: string): { rules: number; modules: string[] } {
  writeFileSync(path.join(dir, 'hooks.mjs'), HOOKS);
  writeFileSync(path.join(dir, 'trace.mjs'), TRACE);
  const run = spawnSync(
    process.execPath,
    [path.join(dir, 'trace.mjs'), pathToFileURL(path.join(dir, 'hooks.mjs')).href, pathToFileURL(entry).href],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as { rules: number; modules: string[] };
}

/** The package a module URL belongs to (`@scope/name` or `name`), or `self` for this package's own files. */
function packageOf(url: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (match) return match[1]!;
  return url.startsWith('node:') ? 'node' : 'self';
}

it('loads the rules and no codemod, CLI, SARIF or diff module', () => {
  const { rules, modules } = modulesLoadedBy(path.join(ROOT, 'dist/index.js'));
  expect(rules).toBeGreaterThanOrEqual(9);
  const packages = new Set(modules.map(packageOf));
  for (const heavy of ['jscodeshift', '@babel/core', '@babel/parser', 'recast', 'flow-parser', 'diff', 'typescript']) {
    expect(packages, heavy).not.toContain(heavy);
  }
  const own = modules.filter((url) => packageOf(url) === 'self').map((url) => path.relative(ROOT, fileURLToPath(url)));
  expect(own.filter((file) => file.startsWith('dist/codemods') || file.startsWith('dist/cli'))).toEqual([]);
  // The check sees what it should: the plugin's own rules were loaded through it.
  expect(own).toContain(path.join('dist', 'rules', 'no-connection-in-handler.js'));
});

it('would see the CLI and the SARIF writer if the entry loaded them', () => {
  const { modules } = modulesLoadedBy(path.join(ROOT, 'dist/cli/main.js'));
  const own = modules.filter((url) => packageOf(url) === 'self').map((url) => path.relative(ROOT, fileURLToPath(url)));
  expect(own).toContain(path.join('dist', 'cli', 'sarif.js'));
});
