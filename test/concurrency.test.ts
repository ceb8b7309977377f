/**
 * ESLint's multithreaded linting (`--concurrency`) loads the plugin once per worker thread; the plugin's caches and
 * module state must not change what it reports. Every rule (`configs.all`, from the built `dist/`) runs over
 * `examples/` serially and with two threads, and the two JSON reports must be the same.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONFIG = 'test/fixtures/concurrency/eslint.config.mjs';
const TARGET = 'examples';

interface Message {
  ruleId: string | null;
  line: number;
  column: number;
  fatal?: boolean;
  [key: string]: unknown;
}
interface FileResult {
  filePath: string;
  messages: Message[];
  errorCount: number;
  warningCount: number;
  fatalErrorCount: number;
}
interface Run {
  code: number | null;
  results: FileResult[];
  stderr: string;
}

function eslint(args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['--no', '--', 'eslint', '--config', CONFIG, '--format', 'json', ...args, TARGET], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      try {
        resolve({ code, results: JSON.parse(stdout) as FileResult[], stderr });
      } catch {
        reject(new Error(`eslint ${args.join(' ')} exited with ${code} and printed no JSON report:\n${stdout.slice(0, 2000)}\n${stderr.slice(-4000)}`));
      }
    });
  });
}

/** Results keyed by relative path, in path order; each file's messages in position order. */
function normalise(results: readonly FileResult[]): Array<{ file: string; messages: Message[] }> {
  return results
    .map((r) => ({
      file: relative(ROOT, r.filePath).split('\\').join('/'),
      messages: [...r.messages].sort(
        (a, b) => a.line - b.line || a.column - b.column || String(a.ruleId).localeCompare(String(b.ruleId)),
      ),
    }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

describe('eslint --concurrency', () => {
  it(`reports the same findings on ${TARGET}/ with two threads as serially`, async () => {
    expect(existsSync(`${ROOT}/${TARGET}`), `${TARGET}/ exists`).toBe(true);
    const serial = await eslint([]);
    const threaded = await eslint(['--concurrency', '2']);

    const findings = serial.results.flatMap((r) => r.messages);
    expect(serial.results.length, 'files linted').toBeGreaterThan(1);
    expect(findings.filter((m) => m.fatal), 'parse errors').toEqual([]);
    expect(findings.length, 'findings (the comparison must not be vacuous)').toBeGreaterThan(0);
    expect(serial.code, serial.stderr).toBe(1);

    expect(threaded.code, threaded.stderr).toBe(serial.code);
    expect(normalise(threaded.results)).toEqual(normalise(serial.results));
  }, 300_000);
});
