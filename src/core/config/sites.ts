/**
 * The calls whose arguments configure a database connection: the driver catalogue's creating calls, plus calls that
 * take connection settings without being creating calls for `no-connection-in-handler` (mssql `sql.connect(config)`
 * returns the driver's global pool; `cluster.add(id, config)` of mysql pool clusters; serverless-mysql
 * `mysql.config({...})`; serverless-postgres `client.setConfig({...})`; Prisma driver adapters).
 */
import type { TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { connectingModules, drivers, type ConfigKeys, type DriverSpec } from '../drivers/catalogue.js';
import type { FileAnalysis } from '../analysis.js';
import { CALL, CONSTRUCT, mentionsModule, searchOrder, trackModuleReferences, type TraceMap } from '../track.js';
import type { ArgumentRole, ConfigSite } from './types.js';
import type { SettingsLibrary } from './settings-objects.js';
import { escapeRegExp } from '../regexp.js';

const driverById = (id: string): DriverSpec => drivers.find((d) => d.id === id)!;

/** A call imported from a module that takes connection settings. */
interface ModuleConfigCall {
  readonly modules: readonly string[];
  readonly path: readonly string[];
  readonly call: 'new' | 'call';
  /** The driver whose settings it takes. */
  readonly driver: string;
  readonly label: string;
}

const MODULE_CONFIG_CALLS: readonly ModuleConfigCall[] = [
  { modules: ['mssql', 'mssql/msnodesqlv8'], path: ['connect'], call: 'call', driver: 'mssql', label: 'mssql `sql.connect()`' },
  { modules: ['@prisma/adapter-pg'], path: ['PrismaPg'], call: 'new', driver: 'pg', label: 'Prisma `PrismaPg` adapter' },
  { modules: ['@prisma/adapter-mariadb'], path: ['PrismaMariaDb'], call: 'new', driver: 'mariadb', label: 'Prisma `PrismaMariaDb` adapter' },
  { modules: ['@prisma/adapter-mssql'], path: ['PrismaMssql'], call: 'new', driver: 'mssql', label: 'Prisma `PrismaMssql` adapter' },
];

/** Every module of a config call, for the text prefilter. */
export const CONFIG_CALL_MODULES: readonly string[] = searchOrder(MODULE_CONFIG_CALLS.flatMap((c) => c.modules));

/** Config-call modules outside the driver catalogue (files that mention only these have no file analysis). */
const EXTRA_MODULES = CONFIG_CALL_MODULES.filter((m) => !connectingModules.includes(m));
const EXTRA_MENTION = new RegExp(
  `['"\`](?:${EXTRA_MODULES.map(escapeRegExp).join('|')})['"\`]`,
);

/** Whether a file without a catalogued driver may still configure a connection (Prisma driver adapters). */
export function mentionsConfigCallModule(text: string): boolean {
  return EXTRA_MENTION.test(text);
}

/** A method of a driver instance that takes connection settings. */
interface InstanceConfigMethod {
  readonly drivers: readonly string[];
  /** The creating call's path (`['createPoolCluster']`), or any creator when absent. */
  readonly creator?: string;
  readonly method: string;
  /** Config keys, when not the driver's own. */
  readonly keys?: ConfigKeys;
  /** The driver whose options the call takes, when not the instance's own (for its wait settings). */
  readonly optionsOf?: string;
  readonly positional?: readonly (readonly ArgumentRole[])[];
}

const INSTANCE_CONFIG_METHODS: readonly InstanceConfigMethod[] = [
  {
    drivers: ['mysql2', 'mysql', 'mariadb'],
    creator: 'createPoolCluster',
    method: 'add',
    positional: [['other', 'config'], ['config']],
  },
  // serverless-mysql `mysql.config({...})` takes mysql2 connection options directly (not under `config`).
  {
    drivers: ['serverless-mysql'],
    method: 'config',
    keys: driverById('mysql2').config,
    optionsOf: 'mysql2',
    positional: [['uri'], ['config']],
  },
  { drivers: ['serverless-postgres'], method: 'setConfig' },
];

function buildTraceMap(): Record<string, TraceMap> {
  const map: Record<string, TraceMap> = {};
  for (const call of MODULE_CONFIG_CALLS) {
    for (const module of call.modules) {
      let node: TraceMap = (map[module] ??= {});
      for (const key of call.path) node = (node[key] ??= {}) as TraceMap;
      node[call.call === 'new' ? CONSTRUCT : CALL] = call;
    }
  }
  return map;
}

const TRACE_MAP = buildTraceMap();

/** Every call of the file that configures a database connection, in source order. */
export function findConfigSites(
  sourceCode: Readonly<TSESLint.SourceCode>,
  analysis: FileAnalysis | null,
): ConfigSite[] {
  const sites: ConfigSite[] = [];
  for (const instance of analysis?.instances ?? []) {
    if (instance.driver.connectionless) continue;
    sites.push({
      node: instance.node,
      driver: instance.driver,
      module: instance.module,
      label: instance.creator.label,
      kind: 'creator',
      keys: instance.driver.config,
      positional: instance.driver.positional,
      instance,
    });
  }
  if (analysis) {
    for (const call of analysis.instanceCalls((instance) => methodsOf(instance.driver.id, instance.creator.path))) {
      const spec = INSTANCE_CONFIG_METHODS.find(
        (m) => m.method === call.method && matches(m, call.instance.driver.id, call.instance.creator.path),
      )!;
      sites.push({
        node: call.node,
        driver: call.instance.driver,
        module: call.instance.module,
        label: `${call.instance.creator.label} \`${call.method}()\``,
        kind: 'config-call',
        keys: spec.keys ?? call.instance.driver.config,
        positional: spec.positional,
        instance: undefined,
        configures: call.instance,
        ...(spec.optionsOf ? { connectWait: driverById(spec.optionsOf).connectWait } : {}),
      });
    }
  }
  if (mentionsModule(sourceCode.text, CONFIG_CALL_MODULES)) {
    for (const { node, info } of trackModuleReferences<ModuleConfigCall>(sourceCode, TRACE_MAP)) {
      const driver = driverById(info.driver);
      sites.push({
        node: node as TSESTree.CallExpression | TSESTree.NewExpression,
        driver,
        module: info.modules[0]!,
        label: info.label,
        kind: 'config-call',
        keys: driver.config,
        positional: undefined,
        instance: undefined,
      });
    }
  }
  return sites.sort((a, b) => a.node.range[0] - b.node.range[0]);
}

const LIBRARY_LABELS: Readonly<Record<SettingsLibrary, string>> = { knex: 'knex', sequelize: 'Sequelize', typeorm: 'TypeORM' };

/**
 * A settings object that names its library (`librarySettingsOf`) and that no call in the file reads, as a site of
 * that library's creating call: the object is what the call would take.
 */
export function settingsObjectSite(object: TSESTree.ObjectExpression, library: SettingsLibrary): ConfigSite {
  const driver = driverById(library);
  return {
    node: object,
    driver,
    module: driver.modules[0]!,
    label: `${LIBRARY_LABELS[library]} settings`,
    kind: 'settings-object',
    keys: driver.config,
    positional: driver.positional,
    instance: undefined,
  };
}

/**
 * Whether instances of this creating call get their connection settings from method calls (a pool cluster from
 * `add()`), not from the creating call's own config.
 */
export function configuredByMethods(driver: string, creatorPath: readonly string[]): boolean {
  return INSTANCE_CONFIG_METHODS.some((m) => m.creator !== undefined && matches(m, driver, creatorPath));
}

function matches(method: InstanceConfigMethod, driver: string, path: readonly string[]): boolean {
  return method.drivers.includes(driver) && (!method.creator || path.join('.') === method.creator);
}

function methodsOf(driver: string, path: readonly string[]): readonly string[] | undefined {
  const methods = INSTANCE_CONFIG_METHODS.filter((m) => matches(m, driver, path)).map((m) => m.method);
  return methods.length > 0 ? methods : undefined;
}
