import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { createRule } from '../util/create-rule.js';
import { getFileAnalysis, isLambdaFile } from '../core/analysis.js';
import { getPropertyName, unwrapExpression } from '../core/ast/nodes.js';
import { ENGINE_POOL_DEFAULTS, type PoolDefault } from '../core/drivers/catalogue.js';
import { knownNumbers } from '../core/config/numbers.js';
import {
  HOLE,
  getConnectionConfigs,
  mayConfigureConnections,
  locate,
  ReportedLocations,
  type ConfigUri,
  type ConfigValue,
  type ResolvedConfig,
  type ValueResolver,
} from '../core/config/index.js';

export type Options = [{ max?: number; checkDefaults?: boolean }];
export type MessageIds = 'poolTooLarge' | 'defaultPoolTooLarge' | 'suggestMax';

/** Drivers that are not RDS databases (Neon, Vercel Postgres): their pool sizes are not this rule's business. */
const NOT_RDS = new Set(['neon', 'vercel-postgres']);

/**
 * Cheap test of the raw text: an explicit pool size needs one of the size keys as a property, an assignment, a
 * shorthand or a quoted key (`max: 10`, `config.max = 10`, `{ max }`, `'max': 10`), or a URI parameter.
 */
const SIZE_HINT = /\b(?:max|poolSize|connectionLimit|maximumPoolSize)\b\s*(?:[:=,}]|['"`]\s*:)|connection_?limit=/i;

/** Keys of a pool's lower bound, next to its maximum in the same object. */
const MIN_KEYS = ['min', 'minimumPoolSize', 'minimumIdle'];

export default createRule<Options, MessageIds>({
  name: 'max-pool-size',
  meta: {
    type: 'problem',
    defaultOptions: [{ max: 1, checkDefaults: false }],
    docs: {
      description: 'Limit connection pools in Lambda code to one connection per execution environment',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [
      {
        type: 'object',
        properties: {
          max: {
            type: 'integer',
            minimum: 1,
            description:
              'The largest pool size allowed per execution environment. Raise it for functions on Lambda Managed Instances (which serve several requests at once per execution environment) or handlers that run queries in parallel.',
          },
          checkDefaults: {
            type: 'boolean',
            description:
              'Also report pools that set no size and so get their driver\'s default (10 for most drivers) when it is above `max`.',
          },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      poolTooLarge: '{{driver}} may open {{value}} connections (`{{key}}`) per Lambda execution environment; set it to {{max}}{{alsoMin}}.',
      defaultPoolTooLarge: '{{driver}} defaults to a pool of {{default}} per Lambda execution environment; {{fix}}.',
      suggestMax: 'Set `{{key}}` to {{max}}{{alsoMin}}.',
    },
  },
  create(context, [options]) {
    const max = options.max ?? 1;
    const sourceCode = context.sourceCode;
    // Files without a database module have no pool (a cached text test the other rules share); without
    // `checkDefaults`, only sizes written in the file can be reported.
    if (!mayConfigureConnections(context)) return {};
    if (!options.checkDefaults && !SIZE_HINT.test(sourceCode.text)) return {};
    // Lambda code first (the shared file analysis), then the connection configs.
    const analysis = getFileAnalysis(context);
    if (analysis && !analysis.isLambda) return {};
    const files = getConnectionConfigs(context);
    if (!files) return {};
    if (!isLambdaFile(context)) return {};
    const { resolver } = files;
    const reported = new ReportedLocations();

    function reportValue(config: ResolvedConfig, size: PoolSize): void {
      if (!reported.add(size.node, size.range)) return;
      const fixMin = minimumFix(config, size, max);
      const data = {
        driver: config.site.label,
        key: size.key,
        value: String(size.value),
        max: String(max),
        alsoMin: fixMin ? ` and \`${fixMin.key}\` to 0` : '',
      };
      const fix = suggestion(size, max, fixMin);
      const loc = size.range
        ? { start: sourceCode.getLocFromIndex(size.range[0]), end: sourceCode.getLocFromIndex(size.range[1]) }
        : size.node.loc;
      context.report({
        loc,
        messageId: 'poolTooLarge',
        data,
        suggest: fix
          ? [{ messageId: 'suggestMax', data: { key: size.key, max: String(max), alsoMin: fix.alsoMin }, fix: fix.fix }]
          : [],
      });
    }

    function checkConfig(config: ResolvedConfig): void {
      if (!opensPool(config) || !isRdsEngine(config)) return;
      const sizes = poolSizes(config, resolver);
      for (const size of sizes) {
        if (size.value > max) reportValue(config, size);
      }
      if (!options.checkDefaults || sizes.length > 0 || config.get('poolMax').length > 0) return;
      // A pool cluster's pools are sized by the configs given to `cluster.add()`, checked on their own.
      if (config.site.instance?.creator.path.join('.') === 'createPoolCluster') return;
      const fallback = defaultOf(config);
      if (!fallback || fallback.max <= max || !sizeIsDefault(config)) return;
      const key = defaultKey(config);
      context.report({
        node: config.site.node,
        messageId: 'defaultPoolTooLarge',
        data: {
          driver: config.site.label,
          default: fallback.text ?? `${fallback.max} connections`,
          fix: defaultFix(config, key, max, fallback),
        },
      });
    }

    return {
      'Program:exit'() {
        for (const config of files.configs) checkConfig(config);
      },
    };
  },
});

/** A pool size the config may set: a number, where it is written. */
interface PoolSize {
  readonly key: string;
  readonly value: number;
  /** The number literal (or the string holding it). */
  readonly node: TSESTree.Node;
  /** The exact characters, for a URI parameter inside a longer string. */
  readonly range: readonly [number, number] | undefined;
  /** A number literal that can be rewritten in place. */
  readonly literal: boolean;
  /** The object literal the size is a property of, when it is one. */
  readonly object: TSESTree.ObjectExpression | undefined;
}

/** Whether the call creates a pool (not a single connection or a driver-managed client). */
function opensPool(config: ResolvedConfig): boolean {
  const { site } = config;
  if (NOT_RDS.has(site.driver.id)) return false;
  if (site.instance) {
    const kind = site.instance.creator.kind;
    if (kind !== 'pool' && kind !== 'orm') return false;
    // drizzle wraps the client or pool it is given; it only creates one from `connection` settings.
    if (site.instance.creator.opensWhen === 'firstArgConfig') {
      return config.uris.length > 0 || config.lookup('connection').length > 0;
    }
    return true;
  }
  // Config calls: mssql `sql.connect()`, pool-cluster `add()`, Prisma driver adapters (pools); serverless-mysql and
  // serverless-postgres manage one connection themselves.
  return !site.driver.id.startsWith('serverless-');
}

const ENGINE_KEYS = ['client', 'dialect', 'type', 'provider'];

/** An RDS engine, or an engine the code does not name (assumed RDS); not SQLite, Oracle and the like. */
function isRdsEngine(config: ResolvedConfig): boolean {
  if (config.site.driver.engine !== 'config' || config.engine) return true;
  for (const key of ENGINE_KEYS) {
    for (const setting of config.lookup(key)) {
      if (setting.value.kind === 'literal' && typeof setting.value.value === 'string') return false;
    }
  }
  return true;
}

/** Every pool size the config may set to a known number: config keys and URI parameters. */
function poolSizes(config: ResolvedConfig, resolver: ValueResolver): PoolSize[] {
  const out: PoolSize[] = [];
  for (const setting of config.get('poolMax')) {
    for (const number of knownNumbers(setting.value, resolver)) {
      const holder = setting.entry.holder;
      const object =
        holder.type === AST_NODE_TYPES.Property && holder.parent.type === AST_NODE_TYPES.ObjectExpression
          ? holder.parent
          : undefined;
      out.push({ key: setting.key, ...number, range: undefined, object: number.literal ? object : undefined });
    }
  }
  const params = config.site.driver.poolMaxParams ?? [];
  if (params.length === 0) return out;
  for (const uri of config.uris) {
    for (const param of uri.parsed.params) {
      if (!params.includes(param.name) || !/^\d+$/.test(param.value.text)) continue;
      const location = locate(uri.text, param.value.start, param.value.end);
      out.push({
        key: param.key.text,
        value: Number(param.value.text),
        node: location.node,
        range: location.range,
        literal: location.range !== undefined,
        object: undefined,
      });
    }
  }
  return out;
}

function defaultOf(config: ResolvedConfig): PoolDefault | undefined {
  const fallback = config.site.driver.poolDefault;
  if (fallback !== 'engine') return fallback;
  return config.engine ? ENGINE_POOL_DEFAULTS[config.engine] : undefined;
}

/** The key that sets the pool size, for messages about the default. */
function defaultKey(config: ResolvedConfig): string {
  const params = config.site.driver.poolMaxParams;
  if (config.site.driver.id === 'prisma' && params?.[0]) return params[0];
  return config.site.keys.poolMax[0] ?? 'max';
}

function defaultFix(config: ResolvedConfig, key: string, max: number, fallback: PoolDefault): string {
  if (config.site.driver.id === 'prisma') return `add \`${key}=${max}\` to its URL`;
  const path = key.split('.');
  const leaf = `${path[path.length - 1]}: ${max}`;
  const inner = fallback.min && fallback.min.value > max ? `${fallback.min.key.split('.').pop()}: 0, ${leaf}` : leaf;
  const written = path.length > 1 ? `${path.slice(0, -1).join(': { ')}: { ${inner} }${' }'.repeat(path.length - 2)}` : inner;
  return `set \`${written}\``;
}

/**
 * Whether nothing the rule cannot see may set the pool size: the config objects are complete, every config
 * argument is an object, and, for drivers that read the size from a URI parameter, every URI is known.
 */
function sizeIsDefault(config: ResolvedConfig): boolean {
  if (config.objects.some((o) => !o.complete)) return false;
  for (const arg of config.arguments) {
    if (arg.role !== 'config') continue;
    for (const value of arg.entry.values) {
      if (value.kind === 'object' || (value.kind === 'literal' && value.value === null)) continue;
      // A connection string in the config position (`knex('postgres://...')`).
      if ((value.kind === 'literal' && typeof value.value === 'string') || value.kind === 'template') continue;
      return false;
    }
  }
  const driver = config.site.driver;
  if (driver.id === 'prisma') {
    // Prisma ≤ 6 reads its URL (from the schema unless given); with a driver adapter, the adapter's pool counts.
    if (config.uris.length === 0 || config.lookup('adapter').length > 0) return false;
  }
  if (driver.poolMaxParams?.length) {
    if (!config.complete) return false;
    if (config.uris.some((uri) => !paramsKnown(uri))) return false;
  }
  return true;
}

/** No `${}` hole after the host part of a URI (a hole there could add a parameter). */
function paramsKnown(uri: ConfigUri): boolean {
  const from = uri.parsed.hosts.reduce((end, h) => Math.max(end, h.host.end), 0);
  return !uri.text.text.slice(from, uri.parsed.end).includes(HOLE);
}

/** knex's lower bound, to be set to 0 with the size (the rule's doc page says why). */
interface MinimumFix {
  readonly key: string;
}

/**
 * knex's `pool.min` defaults to 2, and tarn refuses a `max` below `min` ("Tarn: opt.max is smaller than
 * opt.min"): lowering `max` under it needs `min: 0` as well.
 */
function minimumFix(config: ResolvedConfig, size: PoolSize, max: number): MinimumFix | undefined {
  const fallback = defaultOf(config)?.min;
  if (!fallback || fallback.value <= max || !size.key.endsWith('.max')) return undefined;
  const minKey = `${size.key.slice(0, -'.max'.length)}.min`;
  if (minKey !== fallback.key) return undefined;
  const mins = config.lookup(minKey);
  const known = mins.flatMap((s) => (s.value.kind === 'literal' && typeof s.value.value === 'number' ? [s.value.value] : []));
  if (mins.length > 0 && known.length === mins.length && known.every((m) => m <= max)) return undefined;
  return { key: minKey };
}

interface Suggestion {
  readonly alsoMin: string;
  readonly fix: TSESLint.ReportFixFunction;
}

/**
 * Rewrites a number literal (or a URI parameter value written in one string literal) to `max`. For knex, a missing
 * `min` is added as `min: 0` next to `max`. Not offered when a lower bound next to it is above `max` or unknown.
 */
function suggestion(
  size: PoolSize,
  max: number,
  minFix: MinimumFix | undefined,
): Suggestion | undefined {
  if (!size.literal) return undefined;
  if (size.range) {
    const range = size.range;
    return { alsoMin: '', fix: (fixer) => fixer.replaceTextRange([range[0], range[1]], String(max)) };
  }
  const object = size.object;
  if (object) {
    for (const property of object.properties) {
      if (property.type === AST_NODE_TYPES.SpreadElement) {
        if (minFix) return undefined;
        continue;
      }
      const name = getPropertyName(property);
      if (name === undefined || !MIN_KEYS.includes(name)) continue;
      const value = unwrapExpression(property.value);
      if (value.type !== AST_NODE_TYPES.Literal || typeof value.value !== 'number' || value.value > max) return undefined;
      minFix = undefined; // a `min` is there and fits
    }
  } else if (minFix) {
    return undefined;
  }
  const literal = size.node;
  const holder = literal.parent;
  if (!minFix) return { alsoMin: '', fix: (fixer) => fixer.replaceText(literal, String(max)) };
  if (holder?.type !== AST_NODE_TYPES.Property) return undefined;
  const minName = minFix.key.split('.').pop()!;
  return {
    alsoMin: ` and \`${minFix.key}\` to 0`,
    fix: (fixer) => [fixer.insertTextBefore(holder, `${minName}: 0, `), fixer.replaceText(literal, String(max))],
  };
}
