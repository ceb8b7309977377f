/**
 * How long a connection config lets its driver wait for a connection: each wait setting of the driver catalogue
 * (`connectWait`: a config key, a URI query parameter, or both), the values the config gives it, and whether nothing
 * sets it at all, so that the driver's default applies.
 *
 * "Nothing sets it" needs the whole config in view: object literals without unresolved spreads, arguments that are
 * objects or connection strings, and, for a setting a URI parameter can carry, connection strings that are known.
 * `new Pool()` sets nothing (pg reads no connect timeout from the environment).
 */
import type { TSESTree } from '@typescript-eslint/types';
import type { ConnectWait, ConnectWaits, DriverSpec, Engine } from '../drivers/catalogue.js';
import { knownNumbers } from './numbers.js';
import { locate } from './text.js';
import type { ConfigSetting, ConfigValue, ResolvedConfig } from './types.js';
import type { ValueResolver } from './values.js';

/** A value a wait setting may hold, where it is written. */
export interface WaitValue {
  /** In the setting's unit; `Infinity` for a value that means no limit. */
  readonly value: number;
  readonly seconds: number;
  /** The value means no limit: 0 for drivers that read it so, or a word such as slonik's `'DISABLE_TIMEOUT'`. */
  readonly unbounded: boolean;
  /** The key (or URI parameter) it is written at. */
  readonly key: string;
  /** How the value is written, for messages (`0`, `'DISABLE_TIMEOUT'`). */
  readonly text: string;
  readonly node: TSESTree.Node;
  /** The exact characters, for a URI parameter inside a longer string. */
  readonly range: readonly [number, number] | undefined;
  /** A number literal (or the digits of a URI parameter) that a fix can rewrite in place. */
  readonly rewritable: boolean;
  /** The config setting, for a config key (not a URI parameter). */
  readonly setting: ConfigSetting | undefined;
}

export interface WaitReading {
  readonly wait: ConnectWait;
  /** The key, or the URI parameter for a setting only a URI carries: how messages name it. */
  readonly name: string;
  readonly values: readonly WaitValue[];
  /** Some setting of it holds a value not known here (an environment variable without a fallback, a call). */
  readonly unknown: boolean;
  /** Nothing in the config sets it, and the config shows everything that could: the default applies. */
  readonly unset: boolean;
}

const NO_LIMIT = { value: Infinity, seconds: Infinity, unbounded: true } as const;

/** The wait settings of a driver for an engine (ORMs over several drivers have one set per engine). */
export function connectWaitsFor(
  driver: DriverSpec,
  engine: Engine | undefined,
  waits: DriverSpec['connectWait'] = driver.connectWait,
): readonly ConnectWait[] {
  if (!waits) return [];
  if (isWaits(waits)) return asList(waits);
  const forEngine = engine ? waits[engine] : undefined;
  return forEngine ? asList(forEngine) : [];
}

function isWaits(value: ConnectWaits | Readonly<Partial<Record<Engine, ConnectWaits>>>): value is ConnectWaits {
  return Array.isArray(value) || 'unit' in value;
}

function asList(waits: ConnectWaits): readonly ConnectWait[] {
  return Array.isArray(waits) ? (waits as readonly ConnectWait[]) : [waits as ConnectWait];
}

/** A wait in seconds. */
export function waitSeconds(wait: ConnectWait, value: number): number {
  return wait.unit === 'ms' ? value / 1000 : value;
}

/** Every wait setting of the config's driver that the call reads, with what the config sets it to. */
export function connectWaitsOf(config: ResolvedConfig, resolver: ValueResolver): WaitReading[] {
  const creator = config.site.instance?.creator;
  const pool = creator ? creator.kind === 'pool' : config.site.kind === 'config-call';
  return connectWaitsFor(config.site.driver, config.engine, config.site.connectWait ?? config.site.driver.connectWait)
    .filter((wait) => !wait.poolsOnly || pool)
    .map((wait) => readWait(config, resolver, wait));
}

function readWait(config: ResolvedConfig, resolver: ValueResolver, wait: ConnectWait): WaitReading {
  let values: WaitValue[] = [];
  let unknown = false;
  const keys = wait.key === undefined ? [] : [wait.key, ...(wait.aliases ?? [])];
  for (const key of keys) {
    for (const setting of config.lookup(key)) {
      const word = setting.value.kind === 'literal' ? setting.value.value : undefined;
      if (typeof word === 'string' && wait.noLimitValues?.includes(word)) {
        const node = setting.value.node;
        const text = 'raw' in node && typeof node.raw === 'string' ? node.raw : JSON.stringify(word);
        values.push({ ...NO_LIMIT, key, text, node, range: undefined, rewritable: true, setting });
        continue;
      }
      const numbers = knownNumbers(setting.value, resolver);
      if (numbers.length === 0) unknown = true;
      for (const n of numbers) {
        const unbounded = n.value === 0 && wait.zeroIsUnbounded;
        values.push({
          value: unbounded ? Infinity : n.value,
          seconds: unbounded ? Infinity : waitSeconds(wait, n.value),
          unbounded,
          key,
          text: String(n.value),
          node: n.node,
          range: undefined,
          rewritable: n.literal,
          setting,
        });
      }
    }
  }
  // Several keys for one wait: the shortest applies, and only it says how long the driver waits.
  if (new Set(values.map((v) => v.key)).size > 1) {
    const shortest = values.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    values = [shortest];
  }
  if (wait.param !== undefined) {
    for (const uri of config.uris) {
      for (const param of uri.parsed.params) {
        if (param.name !== wait.param) continue;
        if (!/^\d+$/.test(param.value.text)) {
          unknown = true;
          continue;
        }
        const location = locate(uri.text, param.value.start, param.value.end);
        const value = Number(param.value.text);
        const unbounded = value === 0 && wait.zeroIsUnbounded;
        values.push({
          value: unbounded ? Infinity : value,
          seconds: unbounded ? Infinity : waitSeconds(wait, value),
          unbounded,
          key: param.key.text,
          text: param.value.text,
          node: location.node,
          range: location.range,
          rewritable: location.range !== undefined,
          setting: undefined,
        });
      }
    }
  }
  const unset = values.length === 0 && !unknown && allInView(config, wait);
  return { wait, name: wait.key ?? wait.param!, values, unknown, unset };
}

/**
 * Whether the code shows everything that could set the wait: every config object complete, every config argument an
 * object or a connection string, and the connection strings known when a URI parameter can set it.
 */
function allInView(config: ResolvedConfig, wait: ConnectWait): boolean {
  if (!config.objects.every((object) => object.complete)) return false;
  for (const argument of config.arguments) {
    if (argument.role !== 'config' && argument.role !== 'uri') continue;
    for (const value of argument.entry.values) {
      if (value.kind === 'object' || isNothing(value)) continue;
      if (!isText(value)) return false;
    }
  }
  // A connection string the code does not spell out may carry the parameter.
  return wait.param === undefined || config.complete;
}

function isNothing(value: ConfigValue): boolean {
  return value.kind === 'literal' && (value.value === null || value.value === undefined);
}

function isText(value: ConfigValue): boolean {
  if (value.kind === 'literal') return typeof value.value === 'string';
  return value.kind === 'template' || value.kind === 'env';
}
