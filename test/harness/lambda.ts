/**
 * A small emulation of the AWS Lambda Node.js execution model, enough to observe how handler code uses database
 * connections:
 *
 * - Each execution environment is its own Node.js process (`bootstrap.mjs`), so each loads the handler module once
 *   and keeps its own module-scope state, as a real environment does between invocations.
 * - An environment runs one invocation at a time. A burst of requests is served with at most `concurrency`
 *   environments: each request that finds no idle environment starts a new one (a cold start) while the limit
 *   allows, and otherwise waits for the next environment to become free.
 * - Environments can be frozen (SIGSTOP), as Lambda freezes them between invocations; a request thaws a frozen
 *   environment (SIGCONT) after delivering its event, so both the event and anything that reached the process
 *   while it was frozen (a socket closed by the server) are waiting when it resumes.
 * - `shutdown()` kills every environment (SIGKILL): nothing in the handler runs, pools are not closed, and the
 *   operating system drops the sockets, as when Lambda reclaims an environment.
 * - An invocation that runs past the function timeout fails with `Sandbox.Timedout` and its environment is
 *   discarded. An error nothing handles (an `'error'` event without a listener, an unhandled rejection) ends the
 *   environment, as in the Node.js runtime: its in-flight invocation fails with `Runtime.ExitError`, and the next
 *   request starts a new environment.
 *
 * The deployment package is a temporary directory (see `createTaskRoot`) whose `node_modules` links to this
 * repository's, so handlers import the installed drivers whether they are ES modules or CommonJS.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BOOTSTRAP = fileURLToPath(new URL('./bootstrap.mjs', import.meta.url));
const REPO_NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));
/** Lambda's own limit on the Init phase. */
const INIT_TIMEOUT_MS = 10_000;
const LOG_LIMIT = 64 * 1024;

/** Every environment process still running, killed if the test process exits first (even a frozen one). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface TaskRoot {
  readonly dir: string;
  remove(): void;
}

/**
 * Writes a deployment package to a new directory in the OS temp directory: the given files, a `package.json` with
 * the given module type (it decides how `.js` files load), and a `node_modules` link to this repository's.
 */
export function createTaskRoot(files: Record<string, string>, type: 'module' | 'commonjs' = 'commonjs'): TaskRoot {
  const dir = mkdtempSync(join(tmpdir(), 'lambda-rds-task-'));
  try {
    symlinkSync(REPO_NODE_MODULES, join(dir, 'node_modules'), 'junction');
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'function', private: true, type })}\n`);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface LambdaFunctionOptions {
  /** The deployment package (`LAMBDA_TASK_ROOT`). */
  readonly taskRoot: string;
  /** The handler setting, `<module>.<export>`, e.g. `index.handler`. */
  readonly handler: string;
  /** The function's environment variables. */
  readonly environment?: Record<string, string>;
  readonly functionName?: string;
  /** The function timeout for one invocation. Default 10 s. */
  readonly timeoutMs?: number;
}

export interface InvocationError {
  readonly errorType: string;
  readonly errorMessage: string;
}

export interface Invocation {
  /** Position of the event in its batch. */
  readonly index: number;
  readonly event: unknown;
  readonly requestId: string;
  /** The execution environment that ran it (1-based, in creation order). */
  readonly environment: number;
  /** Whether this invocation started its environment. */
  readonly coldStart: boolean;
  /** The handler's return value after a JSON round trip, as Lambda returns it; `undefined` on error. */
  readonly result?: unknown;
  readonly error?: InvocationError;
}

type Message =
  | { type: 'ready'; initMs: number }
  | { type: 'init-error'; error: InvocationError }
  | { type: 'result'; id: string; payload: string }
  | { type: 'error'; id: string; error: InvocationError }
  | { type: 'pong'; id: string }
  | { type: 'crash'; event: string; error: InvocationError };

type Settle = (outcome: { result?: unknown; error?: InvocationError }) => void;

/** One execution environment: a forked process that has loaded (or is loading) the handler. */
export class Environment {
  readonly id: number;
  private readonly child: ChildProcess;
  private readonly waiting = new Map<string, Settle>();
  private initError: InvocationError | undefined;
  private readonly ready: Promise<void>;
  private readonly exited: Promise<void>;
  private dead = false;
  private busy = false;
  private isFrozen = false;
  private log = '';
  private crash: string | undefined;

  constructor(id: number, options: LambdaFunctionOptions) {
    this.id = id;
    const functionName = options.functionName ?? 'orders-summary';
    const stream = `2025/01/01/[$LATEST]${randomUUID().replaceAll('-', '')}`;
    this.child = fork(BOOTSTRAP, [], {
      cwd: options.taskRoot,
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // The environment of a Lambda function: its own variables plus the runtime's, nothing from the test run.
      env: {
        PATH: process.env.PATH ?? '',
        LANG: 'en_US.UTF-8',
        TZ: 'UTC',
        AWS_REGION: 'us-east-1',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${process.versions.node.split('.')[0]}.x`,
        AWS_LAMBDA_FUNCTION_NAME: functionName,
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
        AWS_LAMBDA_LOG_STREAM_NAME: stream,
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        LAMBDA_TASK_ROOT: options.taskRoot,
        _HANDLER: options.handler,
        ...options.environment,
      },
    });
    running.add(this.child);
    this.child.once('exit', () => running.delete(this.child));
    const append = (chunk: Buffer) => {
      this.log = (this.log + chunk.toString('utf8')).slice(-LOG_LIMIT);
    };
    this.child.stdout?.on('data', append);
    this.child.stderr?.on('data', append);
    this.exited = new Promise((resolve) => this.child.once('close', () => resolve()));
    this.ready = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.initError = { errorType: 'Runtime.InitTimeout', errorMessage: `Init did not finish in ${INIT_TIMEOUT_MS} ms` };
        this.kill();
        resolve();
      }, INIT_TIMEOUT_MS);
      this.child.on('message', (message: Message) => {
        if (message.type === 'ready' || message.type === 'init-error') {
          clearTimeout(timer);
          if (message.type === 'init-error') this.initError = message.error;
          resolve();
          return;
        }
        if (message.type === 'crash') {
          this.crash = `${message.event}: ${message.error.errorType}: ${message.error.errorMessage}`;
          return;
        }
        const settle = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        if (message.type === 'result') settle?.({ result: JSON.parse(message.payload) });
        else if (message.type === 'error') settle?.({ error: message.error });
        else settle?.({});
      });
      // 'close', not 'exit': it comes after the last IPC message, such as a crash report.
      this.child.once('close', (code, signal) => {
        clearTimeout(timer);
        this.dead = true;
        const error = {
          errorType: 'Runtime.ExitError',
          errorMessage: `The environment exited (code ${code}, signal ${signal})${this.crash ? ` after ${this.crash}` : ''}`,
        };
        this.initError ??= error;
        for (const settle of this.waiting.values()) settle({ error });
        this.waiting.clear();
        resolve();
      });
    });
  }

  get alive(): boolean {
    return !this.dead;
  }

  /** Alive and not running an invocation. A frozen environment is idle: a request thaws it. */
  get idle(): boolean {
    return !this.dead && !this.busy;
  }

  get frozen(): boolean {
    return this.isFrozen;
  }

  /** The error that ended the environment, if one did: `uncaughtException: <type>: <message>`. */
  get crashedWith(): string | undefined {
    return this.crash;
  }

  /** Everything the handler wrote to stdout and stderr (the last 64 KiB). */
  get logs(): string {
    return this.log;
  }

  /**
   * Runs one invocation. Only one runs at a time in an environment. A frozen environment is thawed once the event
   * has been delivered to it, so it finds the event waiting together with whatever else reached it while frozen.
   */
  async invoke(event: unknown, timeoutMs: number): Promise<{ result?: unknown; error?: InvocationError; requestId: string }> {
    if (this.busy) throw new Error(`Environment ${this.id} is already running an invocation`);
    this.busy = true;
    const requestId = randomUUID();
    try {
      await this.ready;
      if (this.initError) {
        // Lambda discards an environment whose Init failed; the next request starts a new one.
        this.kill();
        return { requestId, error: this.initError };
      }
      const outcome = await this.request({ type: 'invoke', event, context: { awsRequestId: requestId } }, timeoutMs);
      return { requestId, ...outcome };
    } finally {
      this.busy = false;
    }
  }

  /**
   * A round trip through the environment's event loop (answered after two more turns of it): events the process had
   * already received when the ping arrived, such as a socket closed by the server, have been handled.
   */
  async ping(timeoutMs = 5_000): Promise<void> {
    if (this.dead || this.isFrozen) return;
    const outcome = await this.request({ type: 'ping' }, timeoutMs);
    // An environment that has exited meanwhile has nothing left to handle.
    if (outcome.error && outcome.error.errorType !== 'Runtime.ExitError') throw new Error(outcome.error.errorMessage);
  }

  private request(
    message: { type: 'invoke'; event: unknown; context: { awsRequestId: string } } | { type: 'ping' },
    timeoutMs: number,
  ): Promise<{ result?: unknown; error?: InvocationError }> {
    if (this.dead) {
      return Promise.resolve({ error: { errorType: 'Runtime.ExitError', errorMessage: 'The environment has exited' } });
    }
    const id = randomUUID();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        // Lambda discards an environment whose invocation timed out.
        this.kill();
        resolve({ error: { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${timeoutMs} ms` } });
      }, timeoutMs);
      this.waiting.set(id, (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      });
      const payload =
        message.type === 'invoke'
          ? { ...message, id, context: { ...message.context, deadlineMs: Date.now() + timeoutMs } }
          : { ...message, id };
      this.child.send(payload, (error) => {
        if (error) this.waiting.get(id)?.({ error: { errorType: 'Runtime.ExitError', errorMessage: error.message } });
        else this.thaw();
      });
    });
  }

  /** Stops the process, as Lambda freezes an environment between invocations. POSIX only. */
  freeze(): void {
    if (this.dead || this.isFrozen) return;
    this.child.kill('SIGSTOP');
    this.isFrozen = true;
  }

  thaw(): void {
    if (this.dead || !this.isFrozen) return;
    this.child.kill('SIGCONT');
    this.isFrozen = false;
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  /** Kills the process and waits (bounded) until it has exited. */
  async shutdown(): Promise<void> {
    this.kill();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise((resolve) => (timer = setTimeout(resolve, 5_000)))]);
    clearTimeout(timer);
  }
}

/** A function with its execution environments. */
export class LambdaFunction {
  private readonly options: LambdaFunctionOptions;
  private readonly envs: Environment[] = [];

  constructor(options: LambdaFunctionOptions) {
    this.options = options;
  }

  /** Every environment created so far, in creation order (including those that have exited). */
  get environments(): readonly Environment[] {
    return this.envs;
  }

  /**
   * Invokes the function once per event, all requests arriving at once, with at most `concurrency` environments
   * alive. Resolves when every invocation has finished; results are in event order.
   */
  async invokeAll(events: readonly unknown[], concurrency: number): Promise<Invocation[]> {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('concurrency must be a positive integer');
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const results: Invocation[] = [];
    let next = 0;
    const lane = async () => {
      for (let index = next++; index < events.length; index = next++) {
        // A warm environment if one is idle, else a cold start (the lanes bound the number alive).
        let env = this.envs.find((e) => e.idle);
        const coldStart = env === undefined;
        if (!env) {
          env = new Environment(this.envs.length + 1, this.options);
          this.envs.push(env);
        }
        const outcome = await env.invoke(events[index], timeoutMs);
        results[index] = { index, event: events[index], environment: env.id, coldStart, ...outcome };
      }
    };
    const alive = this.envs.filter((e) => e.alive).length;
    if (alive > concurrency) throw new Error(`${alive} environments are alive, more than the concurrency ${concurrency}`);
    await Promise.all(Array.from({ length: concurrency }, lane));
    return results;
  }

  /**
   * Sends the k-th list of events, one at a time and in order, to the k-th environment that is alive (or to a new
   * one if fewer are alive); the environments work in parallel. If that environment exits, the next event starts a
   * new one in its place (a cold start), as Lambda replaces a failed environment. For scenarios that need to know
   * which environment gets which request.
   */
  async invokeEach(eventsPerEnvironment: readonly (readonly unknown[])[]): Promise<Invocation[][]> {
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const alive = this.envs.filter((e) => e.alive);
    return Promise.all(
      eventsPerEnvironment.map(async (events, k) => {
        let env = alive[k];
        const results: Invocation[] = [];
        for (const [index, event] of events.entries()) {
          let coldStart = false;
          if (!env?.alive) {
            env = new Environment(this.envs.length + 1, this.options);
            this.envs.push(env);
            coldStart = true;
          }
          results.push({ index, event, environment: env.id, coldStart, ...(await env.invoke(event, timeoutMs)) });
        }
        return results;
      }),
    );
  }

  freeze(): void {
    for (const env of this.envs) env.freeze();
  }

  /** A round trip through the event loop of every environment that is running and idle (see `Environment.ping`). */
  async ping(): Promise<void> {
    await Promise.all(this.envs.filter((e) => e.idle).map((e) => e.ping()));
  }

  thaw(): void {
    for (const env of this.envs) env.thaw();
  }

  /** Kills every environment; safe to call more than once. */
  async shutdown(): Promise<void> {
    await Promise.all(this.envs.map((env) => env.shutdown()));
  }
}
