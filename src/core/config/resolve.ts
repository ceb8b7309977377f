/**
 * The connection-config resolver: given a call that configures a connection, every setting it makes, whatever the
 * shape — an object literal, nested objects (knex `connection`, `dialectOptions`, `ssl`), positional arguments
 * (Sequelize `(database, username, password, options)`, `postgres(url, options)`), connection URIs in keys,
 * arguments or bare strings (parsed into user, password, hosts, database and parameters), templates, `const`s,
 * spreads, module-scope assignments, `process.env` reads with literal fallbacks.
 *
 * `getConnectionConfigs(context)` resolves every config of a file once per `Program` (WeakMap), so the rules that
 * read configs share the work; `resolveConnectionConfig(site, sourceCode)` resolves one call (codemods).
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { getFileAnalysis, mentionsDatabase } from '../analysis.js';
import { perFile } from '../per-file.js';
import type { Engine } from '../drivers/catalogue.js';
import { ValueResolver } from './values.js';
import { findConfigSites, mentionsConfigCallModule, settingsObjectSite } from './sites.js';
import { librarySettingsOf, type SettingsValue } from './settings-objects.js';
import { isKnown, locate, staticText, type StaticText } from './text.js';
import { parseConnectionString, type ParsedUri, type Span, type UriParam } from './uri.js';
import type {
  ArgumentRole,
  ConfigArgument,
  ConfigEntry,
  ConfigRole,
  ConfigSetting,
  ConfigSite,
  ConfigUri,
  ConfigValue,
  LiteralValue,
  ResolvedConfig,
  ResolvedObject,
  TemplateValue,
  UriPartValue,
} from './types.js';

/** URI parameters that set TLS (lower case). */
export const TLS_URI_PARAMS: ReadonlySet<string> = new Set([
  'ssl',
  'sslmode',
  'ssl-mode',
  'ssl_mode',
  'sslaccept',
  'encrypt',
  'trustservercertificate',
  'sslrootcert',
]);

const resolvers = new WeakMap<object, ValueResolver>();

/** The value resolver of a file (one per `Program`). */
export function getValueResolver(sourceCode: Readonly<TSESLint.SourceCode>): ValueResolver {
  let resolver = resolvers.get(sourceCode.ast);
  if (!resolver) {
    resolver = new ValueResolver(sourceCode);
    resolvers.set(sourceCode.ast, resolver);
  }
  return resolver;
}

/** The arguments a site's call reads: for a settings object, the object alone (as the library's call would take it). */
function siteArguments(site: ConfigSite): readonly TSESTree.CallExpressionArgument[] {
  return site.node.type === AST_NODE_TYPES.ObjectExpression ? [site.node] : site.node.arguments;
}

/** Resolves the configuration of one call that configures a connection. */
export function resolveConnectionConfig(
  site: ConfigSite,
  sourceCode: Readonly<TSESLint.SourceCode> | ValueResolver,
): ResolvedConfig {
  const resolver = sourceCode instanceof ValueResolver ? sourceCode : getValueResolver(sourceCode);
  return new Config(site, resolver);
}

/**
 * The configuration a password of a settings object belongs to when no call in the file reads that object but the
 * object names its library (knex, Sequelize, TypeORM) and that library reads the password where it is written: the
 * object read as the library's creating call would read it. Undefined otherwise.
 */
export function settingsObjectConfig(sourceCode: Readonly<TSESLint.SourceCode>, password: SettingsValue): ResolvedConfig | undefined {
  const shaped = librarySettingsOf(password);
  if (!shaped) return undefined;
  const config = resolveConnectionConfig(settingsObjectSite(shaped.object, shaped.library), sourceCode);
  return passwordSettings(config).some((setting) => setting.value.node === password.value) ? config : undefined;
}

export interface FileConfigs {
  readonly resolver: ValueResolver;
  /** One resolved config per call that configures a connection, in source order. */
  readonly configs: readonly ResolvedConfig[];
}

/**
 * Whether the file can have connection configs at all: it names a catalogued database module or a module whose calls
 * take connection settings (a text test, once per file). A rule with a text check of its own asks this first, so
 * that files without a database never pay for that check.
 */
export const mayConfigureConnections = perFile(
  (context): boolean => mentionsDatabase(context) || mentionsConfigCallModule(context.sourceCode.text),
);

/**
 * Every connection config of the file being linted, resolved once per `Program`; `null` when the file mentions no
 * database module (the cheap exit).
 */
export const getConnectionConfigs = perFile((context): FileConfigs | null => {
  const sourceCode = context.sourceCode;
  const analysis = getFileAnalysis(context);
  if (!analysis && !mayConfigureConnections(context)) return null;
  const sites = findConfigSites(sourceCode, analysis);
  if (sites.length === 0) return null;
  const resolver = getValueResolver(sourceCode);
  return { resolver, configs: sites.map((site) => new Config(site, resolver)) };
});

/** The text of a string value (literal or template), for parsing and scanning. */
export function valueText(value: ConfigValue): StaticText | undefined {
  if (value.kind === 'template') return value.text;
  if (value.kind === 'literal' && typeof value.value === 'string') return staticText(value.node);
  return undefined;
}

const ENGINE_NAMES: Record<string, Engine> = {
  pg: 'postgresql',
  postgres: 'postgresql',
  postgresql: 'postgresql',
  pgnative: 'postgresql',
  'pg-native': 'postgresql',
  cockroachdb: 'postgresql',
  redshift: 'postgresql',
  'aurora-postgres': 'postgresql',
  mysql: 'mysql',
  mysql2: 'mysql',
  mariadb: 'mysql',
  'aurora-mysql': 'mysql',
  mssql: 'sqlserver',
  tedious: 'sqlserver',
  sqlserver: 'sqlserver',
};

class Config implements ResolvedConfig {
  readonly arguments: ConfigArgument[] = [];
  readonly objects: ResolvedObject[] = [];
  readonly uris: ConfigUri[] = [];
  complete = true;
  private engineCache: Engine | undefined | null = null;

  constructor(
    readonly site: ConfigSite,
    private readonly resolver: ValueResolver,
  ) {
    const args = siteArguments(site);
    const roles = choosePattern(site.positional, args, resolver);
    args.forEach((arg, index) => {
      const role = roles[index] ?? 'other';
      if (arg.type === 'SpreadElement') {
        this.complete = false;
        return;
      }
      const entry: ConfigEntry = {
        key: `#${index}`,
        kind: 'argument',
        holder: site.node,
        expression: arg,
        values: resolver.values(arg),
      };
      this.arguments.push({ index, role, entry });
      if (role === 'config') this.addConfig(entry);
      else if (role === 'uri') this.addUris(`#${index}`, entry);
    });
    // `new Pool()`, `new PrismaClient()`: configured from the environment only.
    if (!this.arguments.some((a) => a.role === 'config' || a.role === 'uri')) this.complete = false;
    for (const path of site.keys.uri) {
      for (const object of this.objects) {
        for (const entry of object.get(path)) this.addUris(path, entry, true);
      }
    }
  }

  private addConfig(entry: ConfigEntry): void {
    for (const value of entry.values) {
      if (value.kind === 'object') {
        this.objects.push(value.object);
        if (!value.object.complete) this.complete = false;
      } else if (valueText(value) && this.site.driver.uri) {
        this.addUri(entry.key, entry, value as LiteralValue | TemplateValue);
      } else if (!(value.kind === 'literal' && (value.value === null || value.value === undefined))) {
        this.complete = false;
      }
    }
  }

  private addUris(key: string, entry: ConfigEntry, objectsAllowed = false): void {
    for (const value of entry.values) {
      if (valueText(value)) this.addUri(key, entry, value as LiteralValue | TemplateValue);
      else if (value.kind === 'object' && objectsAllowed) continue; // knex `connection: {...}`
      else if (value.kind === 'function' && objectsAllowed) continue; // knex `connection: async () => ({...})`
      else if (!(value.kind === 'literal' && value.value === null)) this.complete = false;
    }
  }

  private addUri(key: string, entry: ConfigEntry, value: LiteralValue | TemplateValue): void {
    const text = valueText(value)!;
    const parsed = parseConnectionString(text.text);
    if (parsed) this.uris.push({ key, entry, value, text, parsed });
  }

  get engine(): Engine | undefined {
    if (this.engineCache !== null) return this.engineCache;
    let engine: Engine | undefined = this.site.driver.engine === 'config' ? undefined : this.site.driver.engine;
    if (!engine) {
      for (const key of ['client', 'dialect', 'type', 'provider']) {
        for (const setting of this.lookup(key)) {
          const value = setting.value;
          if (value.kind === 'literal' && typeof value.value === 'string') engine ??= ENGINE_NAMES[value.value.toLowerCase()];
        }
      }
    }
    if (!engine) {
      for (const uri of this.uris) engine ??= uri.parsed.scheme ? ENGINE_NAMES[uri.parsed.scheme] : undefined;
    }
    this.engineCache = engine;
    return engine;
  }

  lookup(path: string): ConfigSetting[] {
    const out: ConfigSetting[] = [];
    for (const object of this.objects) {
      for (const entry of object.get(path)) {
        for (const value of entry.values) out.push({ role: undefined, key: path, entry, value });
      }
    }
    return out;
  }

  get(role: ConfigRole): ConfigSetting[] {
    const out: ConfigSetting[] = [];
    for (const path of this.site.keys[role]) {
      for (const setting of this.lookup(path)) out.push({ ...setting, role });
    }
    for (const arg of this.arguments) {
      if (arg.role !== role) continue;
      for (const value of arg.entry.values) out.push({ role, key: arg.entry.key, entry: arg.entry, value });
    }
    for (const uri of this.uris) {
      for (const [part, span, param] of uriParts(uri.parsed, role)) {
        out.push({ role, key: `${uri.key}#uri`, entry: uri.entry, value: uriPart(uri, part, span, param) });
      }
    }
    return out;
  }
}

type UriPartRef = [part: UriPartValue['part'], span: Span, param: UriParam | undefined];

function uriParts(parsed: ParsedUri, role: ConfigRole): UriPartRef[] {
  switch (role) {
    case 'host':
      return parsed.hosts.map((h) => ['host', h.host, undefined]);
    case 'port':
      return parsed.hosts.filter((h) => h.port).map((h) => ['port', h.port!, undefined]);
    case 'user':
      return parsed.user ? [['user', parsed.user, undefined]] : [];
    case 'password':
      return parsed.password ? [['password', parsed.password, undefined]] : [];
    case 'database':
      return parsed.database ? [['database', parsed.database, undefined]] : [];
    case 'ssl':
      return parsed.params.filter((p) => TLS_URI_PARAMS.has(p.name)).map((p) => ['param', p.value, p]);
    default:
      return [];
  }
}

function uriPart(uri: ConfigUri, part: UriPartValue['part'], span: Span, param: UriParam | undefined): UriPartValue {
  const whole = param?.span ?? span;
  const name = param?.name;
  const location = locate(uri.text, whole.start, whole.end);
  return {
    kind: 'uri-part',
    part,
    name,
    span,
    whole,
    known: isKnown(uri.text, span.start, span.end),
    uri,
    node: location.node,
    range: location.range,
    via: [],
  };
}

type Shape = 'object' | 'string' | 'unknown';

function shapeOf(values: readonly ConfigValue[]): Shape {
  if (values.length === 0) return 'unknown';
  if (values.every((v) => v.kind === 'object')) return 'object';
  if (values.every((v) => v.kind === 'template' || v.kind === 'env' || (v.kind === 'literal' && typeof v.value === 'string'))) {
    return 'string';
  }
  return 'unknown';
}

/** The argument roles of a call: the catalogue pattern that fits the arguments' shapes (Sequelize's rules). */
function choosePattern(
  patterns: readonly (readonly ArgumentRole[])[] | undefined,
  args: readonly TSESTree.CallExpressionArgument[],
  resolver: ValueResolver,
): readonly ArgumentRole[] {
  if (!patterns || patterns.length === 0) return ['config'];
  const shapes = args.map((a) => (a.type === 'SpreadElement' ? 'unknown' : shapeOf(resolver.values(a))));
  const fits = (pattern: readonly ArgumentRole[]): boolean =>
    shapes.length <= pattern.length &&
    shapes.every((shape, i) => (pattern[i] === 'config' ? shape !== 'string' : shape !== 'object'));
  const leading = (pattern: readonly ArgumentRole[]): number => {
    const index = pattern.indexOf('config');
    return index < 0 ? pattern.length : index;
  };
  return (
    patterns.find((p) => fits(p) && shapes.length >= Math.min(leading(p), p.length)) ??
    patterns.find(fits) ??
    patterns[0]!
  );
}

/** Key names that carry a password whatever the driver documents (at the level of the driver's own keys). */
export const GENERIC_PASSWORD_KEYS: readonly string[] = ['password', 'pass', 'pwd'];

/**
 * A config's password settings: the driver's documented ones, plus `password` / `pass` / `pwd` next to its
 * documented password keys. Shared by `no-hardcoded-credentials` and the `iam-auth` codemod, so both see the same
 * passwords.
 */
export function passwordSettings(config: ResolvedConfig): ConfigSetting[] {
  const settings = config.get('password');
  const documented = new Set(config.site.keys.password);
  const prefixes = new Set(['', ...config.site.keys.password.map((k) => k.slice(0, k.lastIndexOf('.') + 1))]);
  for (const prefix of prefixes) {
    for (const name of GENERIC_PASSWORD_KEYS) {
      const key = prefix + name;
      if (documented.has(key)) continue;
      for (const setting of config.lookup(key)) settings.push({ ...setting, role: 'password' });
    }
  }
  return settings;
}
