/**
 * What the throwaway database servers of the proofs share: a free loopback port; a certificate authority made for
 * the run with a server certificate it signs for `127.0.0.1` / `localhost`, so that clients verify TLS for real
 * (against the CA, never with `rejectUnauthorized: false`); and stopping the servers a test process leaves running.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const OPENSSL_TIMEOUT_MS = 60_000;

const running = new Set<() => void>();
const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

function killAll(): void {
  for (const kill of [...running]) kill();
}

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  // The listeners went with the last server: the signal now ends the process as it would have.
  process.kill(process.pid, signal);
}

/**
 * Runs `kill` if the process ends before `untrack()`: on exit, and on SIGTERM (how vitest ends its worker processes,
 * which skips `'exit'`), SIGINT and SIGHUP, which then end the process as they would have. `kill` must be
 * synchronous and quick (vitest sends SIGKILL 500 ms after SIGTERM): end the server without waiting for it, delete
 * its files. The listeners are there only while a server runs.
 */
export function killOnExit(kill: () => void): { untrack(): void } {
  if (running.size === 0) {
    process.on('exit', killAll);
    for (const signal of SIGNALS) process.on(signal, onSignal);
  }
  running.add(kill);
  return {
    untrack() {
      if (!running.delete(kill) || running.size > 0) return;
      process.off('exit', killAll);
      for (const signal of SIGNALS) process.off(signal, onSignal);
    },
  };
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], timeout: OPENSSL_TIMEOUT_MS });
  } catch (error) {
    const { code, stderr } = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (code === 'ENOENT') throw new Error('openssl is not installed (it makes the TLS certificates of the test servers)');
    throw new Error(`openssl ${args[0]} failed: ${stderr?.toString().trim() || (error as Error).message}`);
  }
}

export interface TestCertificates {
  /** The CA certificate (PEM file) and its text. */
  readonly caFile: string;
  readonly ca: string;
  /** The server certificate and its private key (mode 0600). */
  readonly certFile: string;
  readonly keyFile: string;
}

/** Writes `ca.pem`, `server.crt` and `server.key` (and their by-products) to `dir`. */
export function createTestCertificates(dir: string): TestCertificates {
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2',
    '-subj', '/CN=lambda-rds proof CA', '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost'], dir);
  writeFileSync(
    path.join(dir, 'server.ext'),
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n',
  );
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt',
    '-days', '2', '-extfile', 'server.ext'], dir);
  const keyFile = path.join(dir, 'server.key');
  chmodSync(keyFile, 0o600);
  const caFile = path.join(dir, 'ca.pem');
  return {
    caFile,
    ca: readFileSync(caFile, 'utf8'),
    certFile: path.join(dir, 'server.crt'),
    keyFile,
  };
}
