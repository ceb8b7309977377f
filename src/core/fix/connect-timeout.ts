/**
 * The fix for a connection that may wait too long for a connection (`require-connect-timeout`): the driver's wait
 * setting gets a value of a few seconds.
 *
 * - A value written as a number (or the digits of a URI parameter) is rewritten in place.
 * - An unset key is added where the config is written: to the config object literal, into nested objects for a
 *   dotted key (`pool: { acquire: 3000 }`, creating the ones that are missing), or as the config argument of a call
 *   that has none (`new Pool()` → `new Pool({ connectionTimeoutMillis: 3000 })`). A driver that takes a config object
 *   after a connection string (`postgres(url)`, slonik's `createPool(url)`) gets one.
 * - A setting only a URI carries (Prisma) is appended to a connection string written in full.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { unwrapExpression } from '../ast/nodes.js';
import { locate } from '../config/text.js';
import type { ResolvedConfig } from '../config/types.js';
import type { WaitReading, WaitValue } from '../config/connect-wait.js';
import { insertProperties, propertyOf } from './objects.js';
import { plan, Refusal, type FixBuilder, type FixContext, type PlanOutcome } from './plan.js';

/**
 * Sets the wait `reading` describes to `value` (in the setting's unit): the explicit value `target` when given,
 * else the setting, added where the config is written.
 */
export function planConnectTimeout(
  context: FixContext,
  config: ResolvedConfig,
  reading: WaitReading,
  target: WaitValue | undefined,
  value: number,
): PlanOutcome {
  return plan(context, (fix) => {
    if (target) rewrite(fix, target, value);
    else if (reading.wait.key !== undefined) addKey(fix, config, reading.wait.key, String(value));
    else appendParam(fix, config, reading.name, String(value));
    fix.change(`set \`${target?.key ?? reading.name}\` to ${value}${reading.wait.unit === 'ms' ? ' ms' : ' s'}`);
  });
}

function rewrite(fix: FixBuilder, target: WaitValue, value: number): void {
  if (!target.rewritable) throw new Refusal('the timeout is not a number written here (an environment variable, a string)');
  if (target.range) {
    fix.replace(target.range[0], target.range[1], String(value));
    return;
  }
  const raw = fix.text.slice(target.node.range[0], target.node.range[1]);
  const separated = /^\d[\d_]*$/.test(raw) && raw.includes('_');
  fix.replace(target.node.range[0], target.node.range[1], separated ? withSeparators(value) : String(value));
}

/** `30000` → `30_000`, as a file that writes its numbers that way would. */
function withSeparators(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+$)/g, '_');
}

function addKey(fix: FixBuilder, config: ResolvedConfig, key: string, value: string): void {
  const path = key.split('.');
  if (config.objects.length > 1) throw new Refusal('the config is one of several objects, chosen at run time');
  const object = config.objects[0];
  if (object) {
    insertAt(fix, object.node, path, value);
    return;
  }
  const site = config.site.node;
  if (site.type === AST_NODE_TYPES.ObjectExpression) throw new Refusal('the settings object is not read by a call in this file');
  const configArguments = config.arguments.filter((a) => a.role === 'config' || a.role === 'uri');
  if (site.arguments.length === 0) {
    // `new Pool()`: the call's parentheses get a config object.
    const close = site.range[1] - 1;
    if (fix.text[close] !== ')') throw new Refusal('the call has no parentheses to put a config in');
    fix.insert(close, nested(path, value));
    return;
  }
  // A connection string, and a driver that reads a config object after it.
  const last = configArguments[configArguments.length - 1];
  const takesConfigAfter = (config.site.driver.positional ?? []).some(
    (pattern) => pattern.length === configArguments.length + 1 && pattern[configArguments.length] === 'config' && pattern[0] === 'uri',
  );
  if (last?.role === 'uri' && last.index === site.arguments.length - 1 && takesConfigAfter) {
    fix.insert(site.arguments[last.index]!.range[1], `, ${nested(path, value)}`);
    return;
  }
  throw new Refusal('the config is not an object literal in this file');
}

/** Adds `path` (created as nested objects where missing) with the value to an object literal. */
function insertAt(fix: FixBuilder, object: TSESTree.ObjectExpression, path: readonly string[], value: string): void {
  const [head, ...rest] = path as [string, ...string[]];
  const property = propertyOf(object, head);
  if (rest.length === 0) {
    if (property) throw new Refusal(`\`${head}\` is set in a way the rule cannot read`);
    insertProperties(fix, object, [`${head}: ${value}`]);
    return;
  }
  if (!property) {
    insertProperties(fix, object, [`${head}: ${nested(rest, value)}`]);
    return;
  }
  const inner = unwrapExpression(property.value as TSESTree.Node);
  if (inner.type !== AST_NODE_TYPES.ObjectExpression) throw new Refusal(`\`${head}\` is not an object literal here`);
  insertAt(fix, inner, rest, value);
}

/** `['pool', 'acquire']`, `3000` → `{ pool: { acquire: 3000 } }`. */
function nested(path: readonly string[], value: string): string {
  return path.reduceRight((inner, key) => `{ ${key}: ${inner} }`, value);
}

function appendParam(fix: FixBuilder, config: ResolvedConfig, param: string, value: string): void {
  if (config.uris.length !== 1) throw new Refusal('there is no connection string written in full to add the parameter to');
  const uri = config.uris[0]!;
  if (uri.parsed.format !== 'url') throw new Refusal('the connection string is not a URL');
  const at = locate(uri.text, uri.parsed.end, uri.parsed.end);
  if (!at.range) throw new Refusal('the end of the connection string is not plain text in the code');
  const query = uri.text.text.slice(uri.parsed.start, uri.parsed.end).includes('?');
  fix.insert(at.range[0], `${query ? '&' : '?'}${param}=${value}`);
}
