/**
 * A throwaway MariaDB server for one test file that authenticates logins the way RDS authenticates IAM logins:
 * through the MySQL cleartext plugin (`mysql_clear_password`), over TLS only.
 *
 * - `mariadb-install-db` into a new temp directory, then `mariadbd` on its own loopback port and its own socket
 *   (never the machine's shared server), as root (`--user=root`), with every option on the command line
 *   (`--no-defaults`: nothing from /etc/mysql).
 * - TLS with a certificate for `127.0.0.1` / `localhost` issued by a certificate authority made for the run, and
 *   `require_secure_transport`: a TCP connection without TLS is refused before it can log in. Clients verify the
 *   certificate against that authority (`ssl.ca`, or `NODE_EXTRA_CA_CERTS` for the handlers' processes).
 * - MariaDB's PAM plugin with `pam_use_cleartext_plugin`, so the server asks a PAM user's client for
 *   `mysql_clear_password`, as RDS asks for the IAM token. The PAM service is a file of its own under /etc/pam.d
 *   (a unique name, removed by `stop()`): `pam_exec.so expose_authtok` hands the password to a script that compares
 *   it with the user's current token, a file under the server's directory (`setToken`), so rotating a token is one
 *   file write. Each check is logged (`attempts()`): which user, accepted or refused.
 *
 * The plugin is `auth_pam_v1` (PAM inside the server process, fine for a server running as root) unless the
 * setuid helper of `auth_pam` (v2), `auth_pam_tool_dir/auth_pam_tool`, is installed: Debian's mariadb-server lists
 * it, but images that strip setuid binaries lack it, and `auth_pam` without it refuses every login. Both register
 * the same `pam` plugin and `pam_use_cleartext_plugin` variable.
 *
 * The test's own connections use the Unix socket as root (no password; `require_secure_transport` allows socket
 * connections). `stop()` shuts the server down, deletes the directory and the PAM service. If the test process ends
 * with the server still up (on exit, or on a signal such as the SIGTERM vitest ends its workers with), the server is
 * killed and the same files are deleted then.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestCertificates, freePort, killOnExit } from './local-server.js';

const SERVER = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld', '/usr/libexec/mariadbd'];
const INSTALL_DB = ['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db', '/usr/local/bin/mariadb-install-db'];
const ADMIN = ['/usr/bin/mariadb-admin', '/usr/bin/mysqladmin'];
const PLUGIN_DIRS = ['/usr/lib/mysql/plugin', '/usr/lib64/mysql/plugin', '/usr/lib/mariadb/plugin', '/usr/lib64/mariadb/plugin'];
const PAM_MODULE_DIRS = ['/lib/x86_64-linux-gnu/security', '/usr/lib/x86_64-linux-gnu/security', '/lib/aarch64-linux-gnu/security',
  '/usr/lib/aarch64-linux-gnu/security', '/usr/lib64/security', '/lib64/security', '/lib/security', '/usr/lib/security'];
const PAM_DIR = '/etc/pam.d';
const INSTALL_TIMEOUT_MS = 60_000;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 30_000;
const POLL_MS = 50;

/** One password check by the PAM service. */
export interface PamAttempt {
  readonly user: string;
  readonly accepted: boolean;
}

export interface MariadbServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The server's Unix socket: root, no password (the test's own connections). */
  readonly socketPath: string;
  /** The run's certificate authority (PEM file), which signed the server certificate. */
  readonly caFile: string;
  readonly ca: string;
  /** The PAM service users are identified with: `CREATE USER … IDENTIFIED VIA pam USING '<pamService>'`. */
  readonly pamService: string;
  /** The PAM plugin the server loaded (`auth_pam_v1` or `auth_pam`). */
  readonly pamPlugin: string;
  /** E.g. `MariaDB 10.11.19`. */
  readonly version: string;
  /** Sets the one password (token) the PAM service accepts for `user` from now on. */
  setToken(user: string, token: string): void;
  /** Every password check so far, in order. */
  attempts(): PamAttempt[];
  /** The server's error log. */
  log(): string;
  stop(): void;
}

function find(candidates: readonly string[], what: string): string {
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error(`${what} not found (looked for ${candidates.join(', ')})`);
  return found;
}

/** The script pam_exec runs for each login: the password arrives on stdin, ended by a NUL byte; PAM_USER is the user. */
function checkScript(dir: string): string {
  return `#!/bin/bash
# lambda-rds proof: accepts a login when its password is the user's current token (${dir}/tokens/<user>).
IFS= read -r -d '' password
expected=
if [[ "$PAM_USER" =~ ^[A-Za-z0-9_]+$ && -f "${dir}/tokens/$PAM_USER" ]]; then expected=$(<"${dir}/tokens/$PAM_USER"); fi
if [[ -n "$expected" && "$password" == "$expected" ]]; then result=accepted; else result=refused; fi
printf '%s %s\\n' "$result" "$PAM_USER" >> "${dir}/pam.log"
[[ $result == accepted ]]
`;
}

/** Resolves once something accepts connections on the Unix socket, or rejects when `failed()` says why not. */
async function waitForSocket(socketPath: string, failed: () => string | undefined): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const problem = failed();
    if (problem) throw new Error(problem);
    if (existsSync(socketPath)) {
      const connected = await new Promise<boolean>((resolve) => {
        const socket = net.connect(socketPath);
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
      if (connected) return;
    }
    if (Date.now() > deadline) throw new Error(`mariadbd did not accept connections on ${socketPath} within ${START_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

export async function startMariadbServer(): Promise<MariadbServer> {
  if (process.getuid?.() !== 0) {
    throw new Error(`the throwaway MariaDB server needs root: it writes a PAM service to ${PAM_DIR} and runs mariadbd --user=root`);
  }
  const server = find(SERVER, 'mariadbd (the MariaDB server, Debian package mariadb-server)');
  const installDb = find(INSTALL_DB, 'mariadb-install-db (Debian package mariadb-server)');
  const admin = find(ADMIN, 'mariadb-admin (Debian package mariadb-client)');
  const pluginDir = find(
    PLUGIN_DIRS.map((dir) => path.join(dir, 'auth_pam_v1.so')),
    "MariaDB's PAM plugin auth_pam_v1.so (Debian package mariadb-server)",
  ).replace(/\/auth_pam_v1\.so$/, '');
  find(PAM_MODULE_DIRS.map((dir) => path.join(dir, 'pam_exec.so')), 'pam_exec.so (Debian package libpam-modules)');
  const pamPlugin = existsSync(path.join(pluginDir, 'auth_pam_tool_dir', 'auth_pam_tool')) ? 'auth_pam' : 'auth_pam_v1';

  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-rds-mariadb-'));
  const data = path.join(dir, 'data');
  const socketPath = path.join(dir, 'mariadb.sock');
  const pidFile = path.join(dir, 'mariadb.pid');
  const logFile = path.join(dir, 'error.log');
  const pamService = `lambda-rds-proof-${randomBytes(6).toString('hex')}`;
  const pamFile = path.join(PAM_DIR, pamService);
  let child: ChildProcess | undefined;
  let exited: string | undefined;
  let stderr = '';

  /** Ends the server without waiting (nothing once it has exited), deletes the PAM service and the directory. */
  const kill = () => {
    tracked.untrack();
    child?.kill('SIGKILL');
    rmSync(pamFile, { force: true });
    rmSync(dir, { recursive: true, force: true });
  };
  const tracked = killOnExit(kill);
  const stop = () => {
    // A clean shutdown first; mariadb-admin waits until the server has removed its pid file.
    if (child && exited === undefined) {
      spawnSync(admin, ['--no-defaults', `--socket=${socketPath}`, '--user=root', 'shutdown'], { timeout: STOP_TIMEOUT_MS });
    }
    kill();
  };

  try {
    // Options both mariadb-install-db and mariadbd get: small, fast, and nothing from /etc/mysql.
    const common = ['--no-defaults', `--datadir=${data}`, '--user=root', '--innodb-log-file-size=8M', '--innodb-buffer-pool-size=16M'];
    const install = spawnSync(installDb, [...common, '--auth-root-authentication-method=normal', '--skip-test-db'], {
      encoding: 'utf8',
      timeout: INSTALL_TIMEOUT_MS,
    });
    if (install.status !== 0) {
      throw new Error(`mariadb-install-db failed (${install.status ?? install.signal}): ${install.stderr || install.stdout || install.error?.message}`);
    }

    const certificates = createTestCertificates(dir);
    mkdirSync(path.join(dir, 'tokens'), { mode: 0o700 });
    writeFileSync(path.join(dir, 'pam.log'), '');
    const script = path.join(dir, 'check-token');
    writeFileSync(script, checkScript(dir), { mode: 0o755 });
    writeFileSync(
      pamFile,
      [
        `# lambda-rds proof: logins of the throwaway MariaDB server in ${dir} (removed when its test ends)`,
        `auth required pam_exec.so expose_authtok quiet ${script}`,
        'account required pam_permit.so',
        '',
      ].join('\n'),
    );

    const port = await freePort();
    child = spawn(
      server,
      [
        ...common,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${socketPath}`,
        `--pid-file=${pidFile}`,
        `--log-error=${logFile}`,
        '--skip-name-resolve',
        '--skip-log-bin',
        '--performance-schema=OFF',
        '--max-connections=60',
        `--ssl-ca=${certificates.caFile}`,
        `--ssl-cert=${certificates.certFile}`,
        `--ssl-key=${certificates.keyFile}`,
        '--require-secure-transport=ON',
        `--plugin-dir=${pluginDir}`,
        `--plugin-load-add=${pamPlugin}`,
        '--pam-use-cleartext-plugin=ON',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
    child.once('error', (error) => (exited = `could not run ${server}: ${error.message}`));
    child.once('exit', (code, signal) => (exited ??= `mariadbd exited (${code ?? signal})`));
    await waitForSocket(socketPath, () => exited);

    const version = /Ver (\d+\.\d+\.\d+)-MariaDB/.exec(spawnSync(server, ['--version'], { encoding: 'utf8' }).stdout)?.[1] ?? 'unknown';
    return {
      host: '127.0.0.1',
      port,
      socketPath,
      caFile: certificates.caFile,
      ca: certificates.ca,
      pamService,
      pamPlugin,
      version: `MariaDB ${version}`,
      setToken(user, token) {
        if (!/^[A-Za-z0-9_]+$/.test(user)) throw new Error(`user names of the PAM check are letters, digits and _: ${user}`);
        // Written beside and renamed over: a login never reads half a token.
        const file = path.join(dir, 'tokens', user);
        writeFileSync(`${file}.next`, token, { mode: 0o600 });
        renameSync(`${file}.next`, file);
      },
      attempts: () =>
        readFileSync(path.join(dir, 'pam.log'), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => {
            const [result, user = ''] = line.split(' ');
            return { user, accepted: result === 'accepted' };
          }),
      log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
      stop,
    };
  } catch (error) {
    // mariadbd writes to stderr until it has opened its error log.
    const log = (existsSync(logFile) ? readFileSync(logFile, 'utf8') : stderr).trim().slice(-2000);
    stop();
    throw new Error(`could not start a MariaDB server: ${(error as Error).message}${log ? `\n${log}` : ''}`);
  }
}
