/**
 * How SQL reaches the database, per catalogued driver (keyed by the driver ids of `catalogue.ts`): the methods
 * that send SQL text, the tags that build it, the objects derived from an instance that send it too (a client
 * checked out of a pool, a transaction), and the configuration that decides the engine. Data only: the SQL
 * site finder (`core/sql/sites.ts`) reads it.
 */
import type { Engine } from './catalogue.js';

/** `other`: an engine RDS Proxy does not serve (SQLite, Oracle, …): nothing to check. */
export type EngineOrOther = Engine | 'other';

export interface CallbackSpec {
  /** Method taking the callback. */
  readonly method: string;
  /** Index of the callback among the arguments (-1: the last argument). */
  readonly argument: number;
  /** Index of the callback parameter that receives the connection or transaction. */
  readonly parameter: number;
}

export interface QueryApi {
  /** Methods whose first argument is SQL text (or a query object with one of `sqlKeys`). */
  readonly queryMethods: readonly string[];
  /** Keys of a query-config object that carry the SQL text (`{ text }` for pg, `{ sql }` for mysql). */
  readonly sqlKeys?: readonly string[];
  /** MySQL-family methods that use binary-protocol (server-side) prepared statements. */
  readonly binaryPrepareMethods?: readonly string[];
  /** Methods that return (a promise of) a connection or transaction with the same query API. */
  readonly deriveMethods?: readonly string[];
  /** Methods that pass a connection or transaction to a callback. */
  readonly callbacks?: readonly CallbackSpec[];
  /** Events whose listener receives a new connection (`pool.on('connect', (client) => …)`). */
  readonly connectionEvents?: readonly string[];
  /** Config keys (dotted) of hooks called with each new connection as first parameter. */
  readonly connectionHooks?: readonly string[];
  /** The instance is itself a SQL tag (postgres.js `sql\`…\``). */
  readonly instanceIsTag?: boolean;
  /** Members of the instance that are SQL tags (Prisma `$queryRaw\`…\``). */
  readonly tagMembers?: readonly string[];
  /** The config option that names the engine, and what its values mean. */
  readonly engineOption?: { readonly key: string; readonly values: Readonly<Record<string, EngineOrOther>> };
  /** Engine per module specifier, for wrappers whose module names it (drizzle). */
  readonly moduleEngines?: Readonly<Record<string, EngineOrOther>>;
}

const pgApi: QueryApi = {
  queryMethods: ['query'],
  sqlKeys: ['text'],
  deriveMethods: ['connect'],
  callbacks: [{ method: 'connect', argument: 0, parameter: 1 }],
  connectionEvents: ['connect', 'acquire'],
  connectionHooks: ['onConnect'],
};

const mysqlEvents = ['connection', 'acquire'];

const knexClients: Record<string, EngineOrOther> = {
  pg: 'postgresql',
  postgres: 'postgresql',
  postgresql: 'postgresql',
  pgnative: 'postgresql',
  cockroachdb: 'postgresql',
  redshift: 'postgresql',
  mysql: 'mysql',
  mysql2: 'mysql',
  mariadb: 'mysql',
  mssql: 'sqlserver',
  sqlite3: 'other',
  'better-sqlite3': 'other',
  oracledb: 'other',
  oracle: 'other',
};

export const queryApis: Readonly<Record<string, QueryApi>> = {
  pg: pgApi,
  'pg-pool': pgApi,
  neon: pgApi,
  'serverless-postgres': { queryMethods: ['query'], sqlKeys: ['text'] },
  'vercel-postgres': { ...pgApi, tagMembers: ['sql'] },
  postgres: {
    queryMethods: ['unsafe'],
    instanceIsTag: true,
    deriveMethods: ['reserve'],
    callbacks: [
      { method: 'begin', argument: -1, parameter: 0 },
      { method: 'savepoint', argument: -1, parameter: 0 },
    ],
  },
  mysql2: {
    queryMethods: ['query', 'execute', 'prepare'],
    sqlKeys: ['sql'],
    binaryPrepareMethods: ['execute', 'prepare'],
    deriveMethods: ['getConnection', 'promise'],
    callbacks: [{ method: 'getConnection', argument: -1, parameter: 1 }],
    connectionEvents: mysqlEvents,
  },
  mysql: {
    queryMethods: ['query'],
    sqlKeys: ['sql'],
    deriveMethods: ['getConnection'],
    callbacks: [{ method: 'getConnection', argument: -1, parameter: 1 }],
    connectionEvents: mysqlEvents,
  },
  mariadb: {
    queryMethods: ['query', 'execute', 'prepare', 'batch', 'queryStream'],
    sqlKeys: ['sql'],
    binaryPrepareMethods: ['execute', 'prepare'],
    deriveMethods: ['getConnection'],
    callbacks: [{ method: 'getConnection', argument: -1, parameter: 1 }],
    connectionEvents: mysqlEvents,
  },
  'serverless-mysql': { queryMethods: ['query'], sqlKeys: ['sql'] },
  knex: {
    queryMethods: ['raw'],
    deriveMethods: ['transaction'],
    callbacks: [{ method: 'transaction', argument: 0, parameter: 0 }],
    connectionHooks: ['pool.afterCreate'],
    engineOption: { key: 'client', values: knexClients },
  },
  sequelize: {
    queryMethods: ['query'],
    sqlKeys: ['query'],
    engineOption: {
      key: 'dialect',
      values: {
        postgres: 'postgresql',
        mysql: 'mysql',
        mariadb: 'mysql',
        mssql: 'sqlserver',
        sqlite: 'other',
        db2: 'other',
        ibmi: 'other',
        snowflake: 'other',
        oracle: 'other',
      },
    },
  },
  typeorm: {
    queryMethods: ['query'],
    deriveMethods: ['createQueryRunner'],
    callbacks: [{ method: 'transaction', argument: -1, parameter: 0 }],
    engineOption: {
      key: 'type',
      values: {
        postgres: 'postgresql',
        'aurora-postgres': 'postgresql',
        cockroachdb: 'postgresql',
        mysql: 'mysql',
        mariadb: 'mysql',
        'aurora-mysql': 'mysql',
        mssql: 'sqlserver',
        sqlite: 'other',
        'better-sqlite3': 'other',
        oracle: 'other',
      },
    },
  },
  prisma: {
    queryMethods: ['$queryRawUnsafe', '$executeRawUnsafe', '$queryRaw', '$executeRaw'],
    engineOption: { key: 'adapter', values: {} },
    tagMembers: ['$queryRaw', '$executeRaw'],
    callbacks: [{ method: '$transaction', argument: 0, parameter: 0 }],
  },
  drizzle: {
    queryMethods: ['execute'],
    callbacks: [{ method: 'transaction', argument: 0, parameter: 0 }],
    moduleEngines: {
      'drizzle-orm/node-postgres': 'postgresql',
      'drizzle-orm/postgres-js': 'postgresql',
      'drizzle-orm/neon-serverless': 'postgresql',
      'drizzle-orm/vercel-postgres': 'postgresql',
      'drizzle-orm/mysql2': 'mysql',
      'drizzle-orm/singlestore': 'other',
      'drizzle-orm/tidb-serverless': 'other',
    },
  },
  'pg-promise': {
    queryMethods: ['query', 'none', 'one', 'oneOrNone', 'many', 'manyOrNone', 'any', 'result', 'multi', 'multiResult', 'each', 'map'],
    sqlKeys: ['text'],
    deriveMethods: ['connect'],
    callbacks: [
      { method: 'task', argument: -1, parameter: 0 },
      { method: 'taskIf', argument: -1, parameter: 0 },
      { method: 'tx', argument: -1, parameter: 0 },
      { method: 'txIf', argument: -1, parameter: 0 },
    ],
  },
  mssql: {
    queryMethods: ['query', 'batch'],
    deriveMethods: ['request', 'connect', 'transaction'],
    tagMembers: ['query', 'batch'],
  },
};

/**
 * Module exports that build or send SQL without a connection instance: SQL tags and raw-SQL helpers.
 * `kind: 'tag'`: the export is a template tag; its members `unsafe`, `fragment` and calls such as
 * `sql.type(schema)` are tags too (slonik). `kind: 'call'`: the export is a function whose first argument is
 * SQL text.
 */
export interface SqlExport {
  readonly module: string;
  readonly path: readonly string[];
  readonly kind: 'tag' | 'call';
  /** undefined: the engine comes from the file (kysely, drizzle and Prisma serve several engines). */
  readonly engine?: EngineOrOther;
  readonly label: string;
}

export const sqlExports: readonly SqlExport[] = [
  { module: 'slonik', path: ['sql'], kind: 'tag', engine: 'postgresql', label: 'slonik `sql`' },
  { module: '@vercel/postgres', path: ['sql'], kind: 'tag', engine: 'postgresql', label: '@vercel/postgres `sql`' },
  { module: 'kysely', path: ['sql'], kind: 'tag', label: 'kysely `sql`' },
  { module: 'kysely', path: ['sql', 'raw'], kind: 'call', label: 'kysely `sql.raw()`' },
  { module: 'kysely', path: ['CompiledQuery', 'raw'], kind: 'call', label: 'kysely `CompiledQuery.raw()`' },
  { module: 'drizzle-orm', path: ['sql'], kind: 'tag', label: 'drizzle `sql`' },
  { module: 'drizzle-orm', path: ['sql', 'raw'], kind: 'call', label: 'drizzle `sql.raw()`' },
  { module: '@prisma/client', path: ['Prisma', 'sql'], kind: 'tag', label: 'Prisma `Prisma.sql`' },
  { module: '@prisma/client', path: ['Prisma', 'raw'], kind: 'call', label: 'Prisma `Prisma.raw()`' },
  { module: 'mssql', path: ['query'], kind: 'tag', engine: 'sqlserver', label: 'mssql `sql.query`' },
];

/** Members of a slonik-style tag that are tags themselves, or return one when called (`sql.type(z)\`…\``). */
export const tagMembers: readonly string[] = ['unsafe', 'fragment', 'type', 'typeAlias'];

/**
 * Receiver names treated as database handles in files that import a database module, when the receiver is not
 * a tracked instance (a parameter, an import from a local module, `this.pool`). Matched against the last word
 * of the name (`readPool`, `dbClient`, `this.connection`).
 */
export const receiverWords: ReadonlySet<string> = new Set([
  'client',
  'pool',
  'db',
  'database',
  'conn',
  'connection',
  'sql',
  'knex',
  'sequelize',
  'prisma',
  'trx',
  'tx',
  'manager',
  'runner',
]);

/** Query methods recognised on such receivers whatever the file's driver. */
export const genericQueryMethods: readonly string[] = [
  'query',
  'execute',
  'raw',
  'unsafe',
  '$queryRaw',
  '$executeRaw',
  '$queryRawUnsafe',
  '$executeRawUnsafe',
];

/** Which driver's API a knex `client` stands for (for connections passed to `pool.afterCreate`). */
export const knexClientDrivers: Readonly<Record<string, string>> = {
  pg: 'pg',
  postgres: 'pg',
  postgresql: 'pg',
  pgnative: 'pg',
  mysql: 'mysql',
  mysql2: 'mysql2',
};

/** Sequelize v7 takes the dialect as a class from its own package. */
export const sequelizeDialectModules: Readonly<Record<string, EngineOrOther>> = {
  '@sequelize/postgres': 'postgresql',
  '@sequelize/mysql': 'mysql',
  '@sequelize/mariadb': 'mysql',
  '@sequelize/mssql': 'sqlserver',
  '@sequelize/sqlite3': 'other',
  '@sequelize/db2': 'other',
  '@sequelize/db2-ibmi': 'other',
  '@sequelize/snowflake': 'other',
};

/**
 * Modules whose import names the engine without creating connections: Prisma driver adapters, Sequelize 7
 * dialect packages. An adapter passed to `new PrismaClient({ adapter })` gives that client's engine.
 */
export const engineModules: Readonly<Record<string, EngineOrOther>> = {
  ...sequelizeDialectModules,
  '@prisma/adapter-pg': 'postgresql',
  '@prisma/adapter-neon': 'postgresql',
  '@prisma/adapter-mariadb': 'mysql',
  '@prisma/adapter-planetscale': 'mysql',
  '@prisma/adapter-mssql': 'sqlserver',
  '@prisma/adapter-better-sqlite3': 'other',
  '@prisma/adapter-libsql': 'other',
  '@prisma/adapter-d1': 'other',
};

/** URI schemes that name the engine (Sequelize `new Sequelize('postgres://…')`). */
export const uriSchemes: Readonly<Record<string, EngineOrOther>> = {
  postgres: 'postgresql',
  postgresql: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mysql',
  mssql: 'sqlserver',
  sqlite: 'other',
};

/** A record lookup that ignores inherited keys (`constructor`, `__proto__`). */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
