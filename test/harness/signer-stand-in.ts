/**
 * A stand-in for `@aws-sdk/rds-signer` (AWS is not reachable from the tests), and a deployment package that loads
 * it in place of the real one. It is the only fake in the IAM proof: the handler is the codemod's real output, the
 * drivers are the installed ones, and the database is a real PostgreSQL server that checks every password.
 *
 * Like the real `Signer`, the stand-in requires `hostname`, `port` and `username`, and makes a token in the shape
 * of the real one, a presigned URL for exactly that endpoint and user:
 *
 *     <hostname>:<port>/?Action=connect&DBUser=<username>&X-Amz-Expires=<lifetime>&X-Amz-Signature=<signature>
 *
 * The "signature" is a secret the test keeps in a file and the role's password is set to the token the right
 * hostname, port and user produce (`tokenFor`), so the server accepts a token only when the signer was built for
 * the endpoint and user the driver connects with, as RDS does. Rotating the secret (and the role's password with
 * it) stands for the token expiring: tokens made before no longer authenticate, tokens made after do.
 * `X-Amz-Expires` is the lifetime the stand-in signs for, shorter than the real 900 seconds so that code that renews
 * tokens by their lifetime (the knex `expirationChecker`) does so within the test.
 *
 * Every `getAuthToken()` call appends a JSON line (time, process, hostname, port, username, region) to a log file,
 * so the test sees when each execution environment fetched a token and for which endpoint.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));

const STAND_IN = `'use strict';
// Stand-in for @aws-sdk/rds-signer in the lambda-rds IAM proof (see test/harness/signer-stand-in.ts).
const { appendFileSync, readFileSync } = require('node:fs');

class Signer {
  constructor(config) {
    for (const key of ['hostname', 'port', 'username']) {
      if (config == null || config[key] === undefined || config[key] === null || config[key] === '') {
        throw new TypeError('Signer: ' + key + ' is required');
      }
    }
    this.config = config;
  }

  async getAuthToken() {
    const { hostname, port, username, region } = this.config;
    const secret = readFileSync(process.env.RDS_SIGNER_STAND_IN_SECRET_FILE, 'utf8').trim();
    const lifetime = process.env.RDS_SIGNER_STAND_IN_LIFETIME;
    appendFileSync(
      process.env.RDS_SIGNER_STAND_IN_LOG,
      JSON.stringify({ at: Date.now(), pid: process.pid, hostname, port, username, region }) + '\\n',
    );
    return hostname + ':' + port + '/?Action=connect&DBUser=' + encodeURIComponent(username) +
      '&X-Amz-Expires=' + lifetime + '&X-Amz-Signature=' + secret;
  }
}

module.exports = { Signer };
`;

/** The token the stand-in makes for an endpoint, user and secret (what the role's password is set to). */
export function tokenFor(hostname: string, port: number, username: string, lifetimeSeconds: number, secret: string): string {
  return `${hostname}:${port}/?Action=connect&DBUser=${encodeURIComponent(username)}&X-Amz-Expires=${lifetimeSeconds}&X-Amz-Signature=${secret}`;
}

export interface SignerCall {
  readonly at: number;
  readonly pid: number;
  readonly hostname: unknown;
  readonly port: unknown;
  readonly username: unknown;
  readonly region: unknown;
}

export interface StandInTaskRoot {
  readonly dir: string;
  /** The environment variables the stand-in reads (add them to the function's environment). */
  readonly environment: Record<string, string>;
  /** Sets the secret the stand-in signs with. */
  setSecret(secret: string): void;
  /** Every `getAuthToken()` call so far. */
  calls(): SignerCall[];
  remove(): void;
}

/**
 * A deployment package: the handler files, a `package.json` of the given module type, and a `node_modules` that
 * holds the stand-in as `@aws-sdk/rds-signer` and links the given packages to this repository's installed ones
 * (their own dependencies resolve from there).
 */
export function createStandInTaskRoot(
  files: Record<string, string>,
  options: { type: 'module' | 'commonjs'; packages: readonly string[]; lifetimeSeconds: number },
): StandInTaskRoot {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-rds-iam-task-'));
  const secretFile = path.join(dir, '.signer-secret');
  const logFile = path.join(dir, '.signer-calls.jsonl');
  try {
    const modules = path.join(dir, 'node_modules');
    mkdirSync(path.join(modules, '@aws-sdk', 'rds-signer'), { recursive: true });
    writeFileSync(
      path.join(modules, '@aws-sdk', 'rds-signer', 'package.json'),
      `${JSON.stringify({ name: '@aws-sdk/rds-signer', version: '0.0.0-stand-in', main: 'index.js' })}\n`,
    );
    writeFileSync(path.join(modules, '@aws-sdk', 'rds-signer', 'index.js'), STAND_IN);
    for (const name of options.packages) symlinkSync(path.join(REPO_NODE_MODULES, name), path.join(modules, name), 'junction');
    writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'function', private: true, type: options.type })}\n`);
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    writeFileSync(logFile, '');
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    environment: {
      RDS_SIGNER_STAND_IN_SECRET_FILE: secretFile,
      RDS_SIGNER_STAND_IN_LOG: logFile,
      RDS_SIGNER_STAND_IN_LIFETIME: String(options.lifetimeSeconds),
    },
    setSecret: (secret) => writeFileSync(secretFile, `${secret}\n`),
    calls: () =>
      readFileSync(logFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as SignerCall),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
