/**
 * Loads a source file in a fresh Node.js process, the way Lambda's runtime loads a handler module, and says what
 * happened: `loaded`, `error: <name>: <message>` (thrown while loading, e.g. `ReferenceError: Cannot access 'Signer'
 * before initialization`), or `pending` (a top-level `await` that waits for the network).
 *
 * - The file is written into a directory with a package.json of its module type; TypeScript is transpiled first
 *   (`typescript.transpileModule`, types erased, nothing else changed).
 * - `node_modules` links every package this repository installs: the drivers (pg, mysql2, mysql, knex, postgres,
 *   serverless-mysql) and `@aws-sdk/rds-signer` are the real ones.
 * - A module that does not resolve (a package this repository does not install, such as typeorm or sequelize, or a
 *   file of the original project that is not there) is replaced by an inert stand-in whose every export is a
 *   function that accepts any use, so the file's own top-level code still runs in order.
 * - The network is the only other thing stubbed: sockets never connect (`net.Socket#connect` does nothing), so
 *   loading a module that opens a connection at start-up neither connects nor fails.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const REPO_NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));

const STAND_IN = `'use strict';
const handler = {
  get(target, key) {
    if (key === 'then') return undefined;
    if (key === Symbol.toPrimitive) return () => '';
    if (key === '__esModule') return false;
    return standIn;
  },
  apply() { return standIn; },
  construct() { return standIn; },
};
const standIn = new Proxy(function standIn() {}, handler);
module.exports = standIn;
`;

const PRELOAD = `'use strict';
// Network: sockets never connect.
const net = require('node:net');
net.Socket.prototype.connect = function connect() { return this; };
// Modules that do not resolve: the inert stand-in.
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  try {
    return resolve.call(this, request, ...rest);
  } catch (error) {
    if (error && error.code === 'MODULE_NOT_FOUND') return process.env.LAMBDA_RDS_STAND_IN;
    throw error;
  }
};
Module.register(require('node:url').pathToFileURL(process.env.LAMBDA_RDS_HOOKS).href);
`;

const HOOKS = `
const names = JSON.parse(process.env.LAMBDA_RDS_STAND_IN_NAMES || '{}');
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (error && (error.code === 'ERR_MODULE_NOT_FOUND' || error.code === 'ERR_UNSUPPORTED_DIR_IMPORT')) {
      return { url: 'lambda-rds-stand-in:' + encodeURIComponent(specifier), shortCircuit: true };
    }
    throw error;
  }
}
export async function load(url, context, next) {
  if (!url.startsWith('lambda-rds-stand-in:')) return next(url, context);
  const specifier = decodeURIComponent(url.slice('lambda-rds-stand-in:'.length));
  const exported = (names[specifier] || []).filter((n) => n !== 'default');
  const source = 'import { createRequire } from "node:module";\\n' +
    'const standIn = createRequire(process.env.LAMBDA_RDS_STAND_IN)(process.env.LAMBDA_RDS_STAND_IN);\\n' +
    'export default standIn;\\n' +
    exported.map((n) => 'export const ' + n + ' = standIn;').join('\\n');
  return { format: 'module', source, shortCircuit: true };
}
`;

const RUNNER = `
import(process.env.LAMBDA_RDS_TARGET).then(
  () => { process.stdout.write('loaded'); process.exit(0); },
  (error) => { process.stdout.write('error: ' + (error && error.name) + ': ' + (error && error.message)); process.exit(0); },
);
`;

/** The names a file imports from each module specifier (for stand-ins that must export them). */
function importedNames(text) {
  /** @type {Record<string, string[]>} */
  const out = {};
  const pattern = /import\s+(?:type\s+)?([\w$]+\s*,?\s*)?(?:\{([^}]*)\}|\*\s*as\s+([\w$]+))?\s*from\s*['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(pattern)) {
    const list = (out[m[4]] ??= []);
    const add = (name) => {
      if (/^[A-Za-z_$][\w$]*$/.test(name) && !list.includes(name)) list.push(name);
    };
    for (const part of (m[2] ?? '').split(',')) add(part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0].trim());
    // A namespace import (`import * as cdk`): the members the file reads from it (`cdk.Stack`).
    if (m[3]) for (const use of text.matchAll(new RegExp(`(?<![\\w$.])${m[3].replace(/\$/g, '\\$')}\\.([A-Za-z_$][\\w$]*)`, 'g'))) add(use[1]);
  }
  return out;
}

/** @returns {import('./load-module.mjs').LoadArea} */
export function createLoadArea() {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-rds-load-'));
  const modules = path.join(dir, 'node_modules');
  mkdirSync(modules);
  for (const entry of readdirSync(REPO_NODE_MODULES)) {
    if (entry.startsWith('.')) continue;
    symlinkSync(path.join(REPO_NODE_MODULES, entry), path.join(modules, entry), 'junction');
  }
  const standIn = path.join(dir, 'stand-in.cjs');
  const preload = path.join(dir, 'preload.cjs');
  const hooks = path.join(dir, 'hooks.mjs');
  const runner = path.join(dir, 'runner.mjs');
  writeFileSync(standIn, STAND_IN);
  writeFileSync(preload, PRELOAD);
  writeFileSync(hooks, HOOKS);
  writeFileSync(runner, RUNNER);
  let count = 0;
  return {
    dir,
    load(name, text, kind) {
      const caseDir = path.join(dir, `case-${++count}`);
      mkdirSync(caseDir);
      writeFileSync(path.join(caseDir, 'package.json'), JSON.stringify({ type: kind }));
      let source = text.replace(/^\uFEFF/, '');
      let file = path.basename(name);
      if (/\.[cm]?tsx?$/.test(file)) {
        source = ts.transpileModule(source, {
          fileName: file,
          compilerOptions: {
            module: kind === 'module' ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS,
            target: ts.ScriptTarget.ES2022,
            esModuleInterop: true,
            experimentalDecorators: true,
            jsx: ts.JsxEmit.React,
          },
        }).outputText;
        file = file.replace(/\.[cm]?tsx?$/, kind === 'module' ? '.mjs' : '.cjs');
      } else {
        file = file.replace(/\.[cm]?jsx?$/, kind === 'module' ? '.mjs' : '.cjs');
      }
      const target = path.join(caseDir, file);
      writeFileSync(target, source);
      const result = spawnSync(process.execPath, ['--no-warnings', '--require', preload, runner], {
        cwd: caseDir,
        encoding: 'utf8',
        timeout: 15_000,
        env: {
          PATH: process.env.PATH,
          AWS_REGION: 'us-east-1',
          LAMBDA_RDS_TARGET: pathToFileURL(target).href,
          LAMBDA_RDS_STAND_IN: standIn,
          LAMBDA_RDS_HOOKS: hooks,
          LAMBDA_RDS_STAND_IN_NAMES: JSON.stringify(importedNames(source)),
        },
      });
      if (result.error && result.error.code === 'ETIMEDOUT') return 'pending';
      const out = result.stdout.trim();
      if (out === '') return result.signal ? 'pending' : `error: exited ${result.status}: ${result.stderr.trim().split('\n').slice(0, 3).join(' ')}`;
      return out.replaceAll(caseDir, '<dir>');
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
