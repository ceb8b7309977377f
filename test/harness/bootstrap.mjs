/**
 * One Lambda execution environment: a Node.js process forked by `lambda.ts`. Like the Node.js runtime, it loads
 * the handler named by `_HANDLER` from `LAMBDA_TASK_ROOT` once (the Init phase), then runs invocations one at a
 * time as the parent sends them over the IPC channel, and reports each result or error the way Lambda serialises
 * them (JSON text, or `{ errorType, errorMessage }`).
 *
 * Messages in:  { type: 'invoke', id, event, context: { awsRequestId, deadlineMs } } | { type: 'ping', id }
 * Messages out: { type: 'ready', initMs } | { type: 'init-error', error }
 *               | { type: 'result', id, payload } | { type: 'error', id, error } | { type: 'pong', id }
 *
 * Errors that escape the handler (an unhandled `'error'` event, an unhandled rejection) end the process, as they
 * end a real execution environment, after a `{ type: 'crash', event, error }` message. The process exits when the
 * parent goes away.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

process.on('disconnect', () => process.exit(0));

// Like the Node.js runtime: an error nothing handled ends the environment, after it is reported.
for (const event of ['uncaughtException', 'unhandledRejection']) {
  process.on(event, (error) => {
    const report = { type: 'crash', event, error: toError(error) };
    process.send(report, () => process.exit(129));
  });
}

const taskRoot = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
const handlerSetting = process.env._HANDLER ?? 'index.handler';

function toError(error) {
  if (error instanceof Error) {
    return { errorType: error.name || 'Error', errorMessage: error.message, stack: (error.stack ?? '').split('\n') };
  }
  return { errorType: typeof error, errorMessage: String(error), stack: [] };
}

/** `dir/module.export.path`: the module is everything before the first dot after the last slash. */
function splitHandler(setting) {
  const slash = setting.lastIndexOf('/');
  const dot = setting.indexOf('.', slash + 1);
  if (dot < 0) throw Object.assign(new Error(`Bad handler ${setting}`), { name: 'Runtime.MalformedHandlerName' });
  return { module: setting.slice(0, dot), path: setting.slice(dot + 1).split('.') };
}

function packageType(file) {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')).type === 'module' ? 'module' : 'commonjs';
    if (dirname(dir) === dir) return 'commonjs';
  }
}

/** The Node.js runtime's order: `.js` (CommonJS or ESM by the nearest package.json), then `.mjs`, then `.cjs`. */
async function loadModule(base) {
  for (const ext of ['.js', '.mjs', '.cjs']) {
    const file = resolve(taskRoot, base + ext);
    if (!existsSync(file)) continue;
    const esm = ext === '.mjs' || (ext === '.js' && packageType(file) === 'module');
    return esm ? import(pathToFileURL(file).href) : createRequire(file)(file);
  }
  throw Object.assign(new Error(`Cannot find module '${base}'`), { name: 'Runtime.ImportModuleError' });
}

async function init() {
  const { module, path } = splitHandler(handlerSetting);
  let target = await loadModule(module);
  for (const key of path) target = target?.[key];
  if (typeof target !== 'function') {
    throw Object.assign(new Error(`${handlerSetting} is undefined or not exported`), {
      name: 'Runtime.HandlerNotFound',
    });
  }
  return target;
}

function makeContext({ awsRequestId, deadlineMs }) {
  const name = process.env.AWS_LAMBDA_FUNCTION_NAME;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: name,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${name}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
  };
}

/** What keeps the event loop busy in an environment that has done nothing yet, taken when the first invocation arrives. */
let baseline;

/** Whether nothing but the baseline keeps the event loop alive: no socket, timer or request of the handler's. */
function eventLoopIsEmpty() {
  // Pipes are the emulation's own: the IPC channel standing in for the runtime API, and stdout/stderr to the parent.
  const active = process.getActiveResourcesInfo().filter((resource) => resource !== 'PipeWrap');
  for (const resource of baseline) {
    const index = active.indexOf(resource);
    if (index >= 0) active.splice(index, 1);
  }
  return active.length === 0;
}

/** Resolves once the event loop is empty, polling with a timer that does not itself keep the loop alive. */
function eventLoopEmpty() {
  return new Promise((resolve) => {
    const check = () => (eventLoopIsEmpty() ? resolve() : setTimeout(check, 5).unref());
    check();
  });
}

/**
 * Async handlers return a promise; callback handlers call the third argument. As in the Node.js runtime, the
 * response of a callback handler is sent only once the event loop is empty, unless the handler set
 * `context.callbackWaitsForEmptyEventLoop = false`: a database socket left open makes the invocation wait until
 * the function times out.
 */
function callHandler(handler, event, context) {
  return new Promise((resolvePromise, reject) => {
    const settle = (error, value) => (error ? reject(error) : resolvePromise(value));
    const callback = (error, value) => {
      if (!context.callbackWaitsForEmptyEventLoop) return settle(error, value);
      setImmediate(() => eventLoopEmpty().then(() => settle(error, value)));
    };
    const returned = handler(event, context, callback);
    if (returned && typeof returned.then === 'function') returned.then(resolvePromise, reject);
  });
}

const started = performance.now();
let handler;
try {
  handler = await init();
  process.send({ type: 'ready', initMs: performance.now() - started });
} catch (error) {
  process.send({ type: 'init-error', error: toError(error) });
}

// The parent sends one invocation at a time; the queue only guards against a misbehaving parent.
let queue = Promise.resolve();
process.on('message', (message) => {
  if (message.type === 'ping') {
    // Answer after two more turns of the event loop, so that socket events already received (and the close
    // callbacks they lead to) have been handled.
    setImmediate(() => setImmediate(() => process.send({ type: 'pong', id: message.id })));
    return;
  }
  if (message.type !== 'invoke') return;
  queue = queue.then(async () => {
    if (!handler) {
      process.send({ type: 'error', id: message.id, error: { errorType: 'Runtime.InitError', errorMessage: 'Init failed' } });
      return;
    }
    baseline ??= process.getActiveResourcesInfo().filter((resource) => resource !== 'PipeWrap');
    try {
      const value = await callHandler(handler, message.event, makeContext(message.context));
      process.send({ type: 'result', id: message.id, payload: JSON.stringify(value ?? null) });
    } catch (error) {
      process.send({ type: 'error', id: message.id, error: toError(error) });
    }
  });
});
