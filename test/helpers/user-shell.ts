/**
 * Runs a command the way a user would from their shell, for the tests that install this package like a user does
 * (test/pack.test.ts, test/hosts/*): without the variables `npm test` sets for this repository's scripts.
 */
import { spawn } from 'node:child_process';

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** npm settings a user's shell may carry (registry, cache, proxies, certificates) and that are kept. */
const KEPT_NPM_SETTINGS = /^npm_config_(?:cache|userconfig|globalconfig|registry|cafile|ca|proxy|https_proxy|noproxy|strict_ssl)$/i;

/**
 * The environment of a user's shell: without the variables `npm test` sets for this repository's scripts. Above
 * all `npm_config_local_prefix`, which would make `npm install` in a temporary project install into this
 * repository instead.
 */
export function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if ((/^npm_/i.test(key) && !KEPT_NPM_SETTINGS.test(key)) || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  return { ...env, npm_config_update_notifier: 'false', NO_COLOR: '1' };
}

/** Runs `command` in `cwd` with no standard input; resolves with its exit code and output, whatever the code. */
export function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = userEnv()): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A command's output for an assertion message. */
export function explain(what: string, result: Result): string {
  return `${what} exited with ${result.code}\n--- stdout ---\n${result.stdout.slice(-4000)}\n--- stderr ---\n${result.stderr.slice(-4000)}`;
}
