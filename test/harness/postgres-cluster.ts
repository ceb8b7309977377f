/**
 * A throwaway PostgreSQL cluster for one test file: `initdb` from the installed PostgreSQL binaries into a new temp
 * directory, its own loopback port, `scram-sha-256` password authentication, and TLS only: the server presents a
 * certificate for `127.0.0.1` / `localhost` issued by a certificate authority made for the run, and `pg_hba.conf`
 * rejects every connection without TLS. Clients verify the certificate against that authority (`ca` for the
 * test's own connections, `NODE_EXTRA_CA_CERTS` for the handlers' processes), so TLS is real and verified.
 *
 * `log_connections` is on: the server log says which role authenticated, and that the connection used TLS.
 *
 * PostgreSQL refuses to run as root; when the tests do, the cluster belongs to the `postgres` user and its
 * commands run through `runuser`. `stop()` stops the server and removes the directory; a server still running when
 * the test process ends (on exit, or on a signal such as the SIGTERM vitest ends its workers with) is stopped then,
 * without waiting for it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createTestCertificates, freePort, killOnExit } from './local-server.js';

const BIN_DIRS = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin'];
const COMMAND_TIMEOUT_MS = 60_000;

export interface PostgresCluster {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The superuser's name and password (for the test's own setup connections). */
  readonly superuser: { readonly user: string; readonly password: string };
  /** The run's certificate authority (PEM file), which signed the server certificate. */
  readonly caFile: string;
  readonly ca: string;
  /** The server log (connections authorized, with TLS details). */
  readonly logFile: string;
  /** The server version, e.g. `PostgreSQL 15.14`. */
  readonly version: string;
  log(): string;
  stop(): void;
}

function binDir(): string {
  const dir = BIN_DIRS.find((d) => existsSync(path.join(d, 'initdb')));
  if (!dir) throw new Error(`no PostgreSQL binaries (initdb) in ${BIN_DIRS.join(', ')}`);
  return dir;
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = binDir();
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-rds-pg-'));
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot
    ? {
        uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
        gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
      }
    : undefined;
  /** Runs a PostgreSQL program as the cluster's owner. */
  const run = (program: string, args: string[]) => {
    const command = asRoot ? 'runuser' : path.join(bin, program);
    const argv = asRoot ? ['-u', 'postgres', '--', path.join(bin, program), ...args] : args;
    const result = spawnSync(command, argv, { encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS });
    if (result.status !== 0) {
      throw new Error(`${program} failed (${result.status ?? result.signal}): ${result.stderr || result.stdout || result.error?.message}`);
    }
  };
  const own = (file: string) => {
    if (owner) chownSync(file, owner.uid, owner.gid);
  };
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  let started = false;
  const stop = () => {
    tracked.untrack();
    if (started) {
      started = false;
      try {
        run('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w', '-t', '30']);
      } catch {
        // Already stopped.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  /** When the test process ends first: what `pg_ctl stop -m immediate` does (SIGQUIT to the postmaster), unwaited. */
  const kill = () => {
    tracked.untrack();
    try {
      const pid = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (started && pid > 0) process.kill(pid, 'SIGQUIT');
    } catch {
      // Not running.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const tracked = killOnExit(kill);
  try {
    own(dir);
    const password = randomBytes(18).toString('base64url');
    const pwfile = path.join(dir, 'superuser-password');
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    own(pwfile);
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-instructions']);

    // The run's certificate authority, and the server certificate it signs for the loopback address.
    const certificates = createTestCertificates(dir);
    for (const file of [certificates.keyFile, certificates.certFile]) own(file);

    const port = await freePort();
    appendFileSync(
      path.join(data, 'postgresql.conf'),
      [
        '',
        "listen_addresses = '127.0.0.1'",
        `port = ${port}`,
        `unix_socket_directories = '${dir}'`,
        'ssl = on',
        `ssl_cert_file = '${certificates.certFile}'`,
        `ssl_key_file = '${certificates.keyFile}'`,
        "password_encryption = 'scram-sha-256'",
        'log_connections = on',
        'max_connections = 40',
        'shared_buffers = 16MB',
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        '',
      ].join('\n'),
    );
    // TLS and a password for every connection; nothing else gets in.
    writeFileSync(
      path.join(data, 'pg_hba.conf'),
      ['hostssl all all 127.0.0.1/32 scram-sha-256', 'hostnossl all all 127.0.0.1/32 reject', ''].join('\n'),
    );
    own(path.join(data, 'pg_hba.conf'));
    writeFileSync(logFile, '');
    own(logFile);
    run('pg_ctl', ['start', '-D', data, '-l', logFile, '-w', '-t', '30']);
    started = true;
    const version = /\(PostgreSQL\) (\S+)/.exec(execFileSync(path.join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }))?.[1] ?? 'unknown';
    return {
      host: '127.0.0.1',
      port,
      superuser: { user: 'postgres', password },
      caFile: certificates.caFile,
      ca: certificates.ca,
      logFile,
      version: `PostgreSQL ${version}`,
      log: () => readFileSync(logFile, 'utf8'),
      stop,
    };
  } catch (error) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
    stop();
    throw new Error(`could not start a PostgreSQL cluster: ${(error as Error).message}${log ? `\n${log}` : ''}`);
  }
}
