/**
 * The driver catalogue: every Node.js module that opens database connections or creates pools/clients,
 * as data. Rules and codemods read it; none keeps its own list. Facts and sources: domain notes §4.
 */

export type Engine = 'postgresql' | 'mysql' | 'sqlserver';

/** What a creating call returns. */
export type InstanceKind =
  /** Many physical connections, opened lazily on demand. */
  | 'pool'
  /** One physical connection. */
  | 'client'
  /** An ORM or query builder that owns a pool. */
  | 'orm'
  /** A driver that manages one connection for Lambda itself (serverless-mysql / serverless-postgres). */
  | 'managed';

export interface Creator {
  /** Property path from the module's export, e.g. `['Pool']`, `['native', 'Pool']`; `[]` is the export itself. */
  readonly path: readonly string[];
  /** `new X()`, `X()`, or either. */
  readonly call: 'new' | 'call' | 'both';
  readonly kind: InstanceKind;
  /** Human name used in messages, e.g. "pg `Pool`". */
  readonly label: string;
  /**
   * `lazy`: the object connects by itself on first use (pools, ORMs).
   * `explicit`: the object needs a connect call (see `connectMethods`), or connects as it is created.
   */
  readonly connects: 'lazy' | 'explicit';
  /** Methods on the created object that open its connection (calling them again fails or reconnects). */
  readonly connectMethods?: readonly string[];
  /** Methods that close the object for good (a module-scope object closed per invocation cannot be reused). */
  readonly closeMethods: readonly string[];
  /** The call returns a promise of the instance (e.g. `mysql2/promise` `createConnection`). */
  readonly async?: boolean;
  /**
   * The call only creates connections when given connection settings; given an existing client or pool it
   * wraps it (drizzle). `firstArgConfig`: a string, or an object with a `connection` key.
   */
  readonly opensWhen?: 'firstArgConfig';
  /** The call returns a factory; calling the factory creates the instance (pg-promise `pgp(cn)`). */
  readonly factory?: boolean;
  /** Creating it per invocation is intended (serverless-mysql `connect()`/`end()`); never reported. */
  readonly perInvocationByDesign?: boolean;
  /**
   * Events after which a cached single connection is unusable and must be created again (the `hoist-connection`
   * codemod drops its cache on them).
   */
  readonly resetEvents?: readonly string[];
  /** `connect(callback)` only: no promise to await (tedious). */
  readonly callbackConnect?: boolean;
  /**
   * The event a long-lived instance emits when one of its idle connections fails (pg pools re-emit the client's
   * error); without a listener it is an uncaught exception that ends the execution environment.
   */
  readonly idleErrorEvent?: string;
  /**
   * Methods that check a connection out of the pool for the caller, and the methods that give it back
   * (`pool.connect()` → `client.release()`). Only promise-returning forms are listed.
   */
  readonly checkouts?: readonly Checkout[];
  /**
   * The pool of one connection that can stand in for this single connection in callback-style code (the
   * `hoist-connection` fix): how it is created, the option that limits it to one connection, the method that checks
   * the connection out (its callback replaces a `connect(callback)`), and the members both have.
   */
  readonly poolOfOne?: PoolOfOne;
}

export interface PoolOfOne {
  /** Property path of the pool's creator in the same module, e.g. `['createPool']`, `['Pool']`. */
  readonly path: readonly string[];
  readonly call: 'new' | 'call';
  /** The settings key that caps the pool, set to 1. */
  readonly limitKey: string;
  /** The pool method whose callback gets `(error, connection)`; the connection is given back at once. */
  readonly checkout: string;
  /** Methods and properties the pool has as the connection did. */
  readonly members: readonly string[];
  /** Connection-only properties code reads in its `connect()` callback (logging), read from the checked-out one. */
  readonly connectionProperties: readonly string[];
  /** As `Creator.idleErrorEvent`, for the pool. */
  readonly idleErrorEvent?: string;
}

export interface Checkout {
  readonly method: string;
  readonly release: readonly string[];
}

/** Where a driver reads its settings: config-object keys (dotted paths for nested objects). */
export interface ConfigKeys {
  readonly host: readonly string[];
  readonly user: readonly string[];
  readonly password: readonly string[];
  readonly port: readonly string[];
  readonly database: readonly string[];
  readonly ssl: readonly string[];
  readonly poolMax: readonly string[];
  readonly timeouts: readonly string[];
  /** Keys that carry a connection URI. */
  readonly uri: readonly string[];
}

/**
 * How long a driver waits for a connection before it fails (domain notes §6.2): the setting that bounds connecting or
 * acquiring a pooled connection, its unit and its default, with where the default is set.
 */
export interface ConnectWait {
  /** The config key (a dotted path for nested objects); absent when only a URI parameter sets it (Prisma). */
  readonly key?: string;
  /** The URI query parameter that sets it too, or instead (lower case). */
  readonly param?: string;
  readonly unit: 'ms' | 's';
  /** The wait when nothing sets it, in `unit`; `null` when it is unbounded. */
  readonly default: number | null;
  /** An explicit 0 means no limit at all (pg, mysql2, postgres.js, Prisma), rather than failing at once or an error. */
  readonly zeroIsUnbounded: boolean;
  /** String values that mean no limit (slonik's `'DISABLE_TIMEOUT'`). */
  readonly noLimitValues?: readonly string[];
  /** Other keys that bound the same wait; the shortest one set applies (knex's `pool.acquireTimeoutMillis`). */
  readonly aliases?: readonly string[];
  /** Read by the driver's pools only (mysql and mariadb `acquireTimeout`), not by its single connections. */
  readonly poolsOnly?: boolean;
  /** What it bounds, in messages: connecting, or waiting for a pooled connection. */
  readonly waitsFor: 'connect' | 'acquire';
  /** The package (with the version read) and file that set the default, or the documentation. */
  readonly source: string;
}

export interface DriverSpec {
  /** Stable id, e.g. `pg`, `mysql2`. */
  readonly id: string;
  /** Module specifiers that load it. */
  readonly modules: readonly string[];
  /** Engine family; `config` when it comes from the config (`client`, `dialect`, `type`). */
  readonly engine: Engine | 'config';
  /** HTTP APIs with no database connection (Data API): listed so that nothing flags them. */
  readonly connectionless?: boolean;
  readonly creators: readonly Creator[];
  readonly config: ConfigKeys;
  /** Accepts a connection URI (key or positional). */
  readonly uri: boolean;
  /** Positional meaning of arguments when not a single config object, e.g. Sequelize. */
  readonly positional?: readonly (readonly PositionalArg[])[];
  /**
   * The pool size the driver uses when none is configured (domain notes §4.1, §6), or `engine` when it is the
   * underlying driver's (TypeORM: pg or mysql2, per `type`). Absent for drivers without a pool.
   */
  readonly poolDefault?: PoolDefault | 'engine';
  /** URI query parameters that set the pool size (lower case), e.g. Prisma's `connection_limit`. */
  readonly poolMaxParams?: readonly string[];
  /**
   * Module functions that return the driver's own registry of connections (TypeORM's `getConnectionManager()`):
   * code that tests the registry's state before connecting is guarded by a cache the driver keeps.
   */
  readonly registries?: readonly string[];
  /**
   * A pool the driver module keeps itself (mssql's global pool): `connect` opens it, or returns it when it is open;
   * `close` on the module or on the pool `connect` returned ends it, and the next `connect` opens a new one.
   */
  readonly globalPool?: { readonly connect: readonly string[]; readonly close: readonly string[]; readonly label: string };
  /**
   * Types the driver's modules export for its instances (`Connection` of `mysql2/promise`, `PoolClient` of `pg`): a
   * variable, parameter or class field annotated with one holds an instance of the driver.
   */
  readonly types?: readonly DriverType[];
  /** How long it waits for a connection (`require-connect-timeout`); per engine for ORMs over several drivers. */
  readonly connectWait?: ConnectWaits | Readonly<Partial<Record<Engine, ConnectWaits>>>;
}

/** One setting, or several that each bound a wait (Prisma's `connect_timeout` and `pool_timeout`). */
export type ConnectWaits = ConnectWait | readonly ConnectWait[];

export interface DriverType {
  readonly name: string;
  readonly kind: InstanceKind;
}

const PG_CONNECT_WAIT: ConnectWait = {
  key: 'connectionTimeoutMillis',
  unit: 'ms',
  default: null,
  zeroIsUnbounded: true,
  waitsFor: 'connect',
  // The JS client reads neither a `connect_timeout` URL parameter nor PGCONNECT_TIMEOUT (pg-native does).
  source: 'pg@8.23.1 lib/client.js (`connectionTimeoutMillis || 0`, cleared at ReadyForQuery); pg-pool@3.14.0 index.js (also bounds the wait for a pool slot)',
};

const MYSQL_CONNECT_WAIT: ConnectWait = {
  key: 'connectTimeout',
  unit: 'ms',
  default: 10_000,
  zeroIsUnbounded: true,
  waitsFor: 'connect',
  // mysql2's covers TCP, TLS and the handshake; mysql's only the TCP connection (see `acquireTimeout` for its pools).
  source: 'mysql2@3.24.6 lib/connection_config.js and mysql@2.18.1 lib/ConnectionConfig.js (`10 * 1000`)',
};

/** A driver's default maximum pool size. */
export interface PoolDefault {
  /** The default, or its lower bound when it depends on the machine (Prisma: `num_physical_cpus * 2 + 1` ≥ 3). */
  readonly max: number;
  /** How the default reads in messages (`10 connections` when absent). */
  readonly text?: string;
  /** The pool's minimum size default, when it is above zero (knex `pool.min` 2), with the key that sets it. */
  readonly min?: { readonly key: string; readonly value: number };
}

/** Default pool sizes of the underlying drivers, for ORMs whose default is the driver's (TypeORM). */
export const ENGINE_POOL_DEFAULTS: Readonly<Partial<Record<Engine, PoolDefault>>> = {
  postgresql: { max: 10 },
  mysql: { max: 10 },
};

export type PositionalArg = 'config' | 'uri' | 'database' | 'user' | 'password';

const none: ConfigKeys = {
  host: [],
  user: [],
  password: [],
  port: [],
  database: [],
  ssl: [],
  poolMax: [],
  timeouts: [],
  uri: [],
};

const pgKeys: ConfigKeys = {
  host: ['host'],
  user: ['user'],
  password: ['password'],
  port: ['port'],
  database: ['database'],
  ssl: ['ssl', 'sslmode'],
  // pg-pool reads `max || poolSize || 10`.
  poolMax: ['max', 'poolSize'],
  timeouts: [
    'connectionTimeoutMillis',
    'idleTimeoutMillis',
    'query_timeout',
    'statement_timeout',
    'lock_timeout',
    'idle_in_transaction_session_timeout',
  ],
  uri: ['connectionString'],
};

const mysqlKeys: ConfigKeys = {
  host: ['host'],
  user: ['user'],
  password: ['password', 'password1', 'password2', 'password3', 'passwordSha1'],
  port: ['port'],
  database: ['database'],
  ssl: ['ssl'],
  poolMax: ['connectionLimit'],
  timeouts: ['connectTimeout', 'acquireTimeout', 'idleTimeout'],
  uri: ['uri'],
};

const pgCreators = (label: string, prefix: readonly string[] = []): Creator[] => [
  {
    path: [...prefix, 'Client'],
    call: 'new',
    kind: 'client',
    label: `${label} \`Client\``,
    connects: 'explicit',
    connectMethods: ['connect'],
    closeMethods: ['end'],
    resetEvents: ['error', 'end'],
    // pg-pool: `query(text, values, callback)` as the client's; `connect(callback)` gives `(error, client, release)`.
    poolOfOne: {
      path: [...prefix, 'Pool'],
      call: 'new',
      limitKey: 'max',
      checkout: 'connect',
      members: ['query', 'options'],
      connectionProperties: ['processID'],
      idleErrorEvent: 'error',
    },
  },
  {
    path: [...prefix, 'Pool'],
    call: 'new',
    kind: 'pool',
    label: `${label} \`Pool\``,
    connects: 'lazy',
    closeMethods: ['end'],
    checkouts: [{ method: 'connect', release: ['release'] }],
    idleErrorEvent: 'error',
  },
];

/** `await pool.getConnection()`; giving it back: `release()` (or `end()`/`destroy()`, which also free it). */
const mysqlCheckouts: readonly Checkout[] = [{ method: 'getConnection', release: ['release', 'end', 'destroy'] }];

const mysqlCreators = (label: string, opts: { asyncConnection: boolean; connectMethod: boolean }): Creator[] => [
  {
    path: ['createConnection'],
    call: 'call',
    kind: 'client',
    label: `${label} \`createConnection()\``,
    connects: 'explicit',
    ...(opts.connectMethod ? { connectMethods: ['connect'] } : {}),
    closeMethods: ['end', 'destroy'],
    resetEvents: ['error', 'end'],
    ...(opts.asyncConnection ? { async: true } : {}),
    // mysql / mysql2 pools take the connection's `query(sql, values, callback)`, `escape()` and `escapeId()`; a
    // `getConnection(callback)` gives `(error, connection)` as `connect(callback)` gave `(error)`.
    ...(opts.asyncConnection
      ? {}
      : {
          poolOfOne: {
            path: ['createPool'],
            call: 'call' as const,
            limitKey: 'connectionLimit',
            checkout: 'getConnection',
            members: ['query', 'execute', 'escape', 'escapeId', 'format', 'promise', 'config'],
            connectionProperties: ['threadId', 'state'],
          },
        }),
  },
  {
    path: ['createPool'],
    call: 'call',
    kind: 'pool',
    label: `${label} \`createPool()\``,
    connects: 'lazy',
    closeMethods: ['end'],
    checkouts: mysqlCheckouts,
  },
  {
    path: ['createPoolCluster'],
    call: 'call',
    kind: 'pool',
    label: `${label} \`createPoolCluster()\``,
    connects: 'lazy',
    closeMethods: ['end'],
    checkouts: mysqlCheckouts,
  },
];

/** mysql, mysql2 (and `mysql2/promise`) and mariadb name their instance types alike. */
const MYSQL_TYPES: readonly DriverType[] = [
  { name: 'Connection', kind: 'client' },
  { name: 'PoolConnection', kind: 'client' },
  { name: 'Pool', kind: 'pool' },
  { name: 'PoolCluster', kind: 'pool' },
];

const drizzleModules = [
  'node-postgres',
  'postgres-js',
  'mysql2',
  'neon-serverless',
  'vercel-postgres',
  'singlestore',
  'tidb-serverless',
].map((m) => `drizzle-orm/${m}`);

export const drivers: readonly DriverSpec[] = [
  {
    id: 'pg',
    types: [{ name: 'Client', kind: 'client' }, { name: 'PoolClient', kind: 'client' }, { name: 'Pool', kind: 'pool' }],
    modules: ['pg'],
    engine: 'postgresql',
    creators: [...pgCreators('pg'), ...pgCreators('pg native', ['native'])],
    config: pgKeys,
    uri: true,
    poolDefault: { max: 10 },
    connectWait: PG_CONNECT_WAIT,
  },
  {
    id: 'pg-pool',
    types: [{ name: 'Pool', kind: 'pool' }, { name: 'default', kind: 'pool' }],
    modules: ['pg-pool'],
    engine: 'postgresql',
    creators: [
      {
        path: [],
        call: 'new',
        kind: 'pool',
        label: 'pg-pool `Pool`',
        connects: 'lazy',
        closeMethods: ['end'],
        checkouts: [{ method: 'connect', release: ['release'] }],
        idleErrorEvent: 'error',
      },
    ],
    config: pgKeys,
    uri: true,
    poolDefault: { max: 10 },
    connectWait: PG_CONNECT_WAIT,
  },
  {
    id: 'postgres',
    types: [{ name: 'Sql', kind: 'pool' }, { name: 'ReservedSql', kind: 'client' }, { name: 'TransactionSql', kind: 'client' }],
    modules: ['postgres'],
    engine: 'postgresql',
    creators: [
      {
        path: [],
        call: 'call',
        kind: 'pool',
        label: 'postgres.js `postgres()`',
        connects: 'lazy',
        closeMethods: ['end'],
        checkouts: [{ method: 'reserve', release: ['release'] }],
      },
    ],
    config: {
      host: ['host', 'hostname'],
      user: ['username', 'user'],
      password: ['password', 'pass'],
      port: ['port'],
      database: ['database', 'db'],
      ssl: ['ssl'],
      poolMax: ['max'],
      timeouts: ['idle_timeout', 'max_lifetime', 'connect_timeout'],
      uri: [],
    },
    uri: true,
    positional: [['uri', 'config'], ['config']],
    poolDefault: { max: 10 },
    connectWait: {
      key: 'connect_timeout',
      param: 'connect_timeout',
      unit: 's',
      default: 30,
      zeroIsUnbounded: true,
      waitsFor: 'connect',
      source: 'postgres@3.4.9 src/index.js (`connect_timeout: 30`; the option, else the URL parameter, else PGCONNECT_TIMEOUT)',
    },
  },
  {
    id: 'mysql2',
    types: MYSQL_TYPES,
    modules: ['mysql2', 'mysql2/promise'],
    engine: 'mysql',
    creators: mysqlCreators('mysql2', { asyncConnection: false, connectMethod: false }),
    config: mysqlKeys,
    uri: true,
    positional: [['uri'], ['config']],
    poolDefault: { max: 10 },
    poolMaxParams: ['connectionlimit'],
    connectWait: MYSQL_CONNECT_WAIT,
  },
  {
    id: 'mysql',
    types: MYSQL_TYPES,
    modules: ['mysql'],
    engine: 'mysql',
    creators: mysqlCreators('mysql', { asyncConnection: false, connectMethod: true }),
    config: mysqlKeys,
    uri: true,
    positional: [['uri'], ['config']],
    poolDefault: { max: 10 },
    poolMaxParams: ['connectionlimit'],
    connectWait: [
      MYSQL_CONNECT_WAIT,
      {
        key: 'acquireTimeout',
        unit: 'ms',
        default: 10_000,
        zeroIsUnbounded: true,
        waitsFor: 'connect',
        poolsOnly: true,
        // An inactivity timer on a new pool connection's handshake (it does not bound the wait in the queue).
        source: 'mysql@2.18.1 lib/PoolConfig.js (`acquireTimeout` 10000) and lib/Pool.js',
      },
    ],
  },
  {
    id: 'mariadb',
    types: MYSQL_TYPES,
    modules: ['mariadb', 'mariadb/callback'],
    engine: 'mysql',
    creators: mysqlCreators('mariadb', { asyncConnection: true, connectMethod: false }),
    config: {
      ...mysqlKeys,
      password: ['password'],
      timeouts: ['connectTimeout', 'socketTimeout', 'queryTimeout', 'acquireTimeout', 'idleTimeout'],
      uri: [],
    },
    uri: true,
    positional: [['uri'], ['config']],
    // Fixed-size by default: `minimumIdle` defaults to `connectionLimit`.
    poolDefault: { max: 10, text: '10 connections kept open' },
    poolMaxParams: ['connectionlimit'],
    connectWait: [
      {
        key: 'connectTimeout',
        unit: 'ms',
        default: 1000,
        zeroIsUnbounded: true,
        waitsFor: 'connect',
        source: 'mariadb@3.5.4 lib/config/connection-options.js (`connectTimeout` 1000; through TLS, authentication and the init queries)',
      },
      {
        key: 'acquireTimeout',
        unit: 'ms',
        default: 10_000,
        zeroIsUnbounded: false,
        waitsFor: 'acquire',
        poolsOnly: true,
        source: 'mariadb@3.5.4 lib/config/pool-options.js (`acquireTimeout` 10000; the queue wait, connecting included)',
      },
    ],
  },
  {
    id: 'knex',
    types: [{ name: 'Knex', kind: 'orm' }],
    modules: ['knex'],
    engine: 'config',
    creators: [
      { path: [], call: 'call', kind: 'orm', label: 'knex', connects: 'lazy', closeMethods: ['destroy'] },
      { path: ['knex'], call: 'call', kind: 'orm', label: 'knex', connects: 'lazy', closeMethods: ['destroy'] },
    ],
    config: {
      host: ['connection.host', 'connection.server'],
      user: ['connection.user'],
      password: ['connection.password'],
      port: ['connection.port'],
      database: ['connection.database'],
      ssl: ['connection.ssl', 'connection.options.encrypt', 'connection.options.trustServerCertificate'],
      poolMax: ['pool.max'],
      timeouts: ['acquireConnectionTimeout', 'pool.idleTimeoutMillis', 'pool.acquireTimeoutMillis'],
      uri: ['connection', 'connection.connectionString'],
    },
    uri: true,
    poolDefault: { max: 10, min: { key: 'pool.min', value: 2 } },
    connectWait: {
      key: 'acquireConnectionTimeout',
      aliases: ['pool.acquireTimeoutMillis'],
      unit: 'ms',
      default: 60_000,
      zeroIsUnbounded: false,
      waitsFor: 'acquire',
      source: 'knex@3.3.0 lib/client.js (`DEFAULT_ACQUIRE_TIMEOUT = 60000`; the smaller of it and `pool.acquireTimeoutMillis`)',
    },
  },
  {
    id: 'sequelize',
    types: [{ name: 'Sequelize', kind: 'orm' }],
    modules: ['sequelize', '@sequelize/core', 'sequelize-typescript'],
    engine: 'config',
    creators: [
      { path: [], call: 'new', kind: 'orm', label: 'Sequelize', connects: 'lazy', closeMethods: ['close'] },
      { path: ['Sequelize'], call: 'new', kind: 'orm', label: 'Sequelize', connects: 'lazy', closeMethods: ['close'] },
    ],
    config: {
      host: ['host'],
      user: ['username'],
      password: ['password'],
      port: ['port'],
      database: ['database'],
      ssl: ['ssl', 'dialectOptions.ssl', 'dialectOptions.options.encrypt', 'dialectOptions.options.trustServerCertificate'],
      poolMax: ['pool.max'],
      timeouts: ['pool.acquire', 'pool.idle', 'dialectOptions.connectTimeout'],
      uri: [],
    },
    uri: true,
    positional: [['database', 'user', 'password', 'config'], ['uri', 'config'], ['config']],
    // sequelize (v5, v6) `dialects/abstract/connection-manager.js`: `pool: { max: 5, min: 0, ... }`.
    poolDefault: { max: 5 },
    connectWait: {
      key: 'pool.acquire',
      unit: 'ms',
      default: 60_000,
      zeroIsUnbounded: false,
      waitsFor: 'acquire',
      source: 'sequelize@6.37.8 lib/dialects/abstract/connection-manager.js (`acquire: 60000`; the wait for a pool slot, connecting included)',
    },
  },
  {
    id: 'typeorm',
    types: [{ name: 'DataSource', kind: 'orm' }, { name: 'Connection', kind: 'orm' }, { name: 'EntityManager', kind: 'orm' }, { name: 'QueryRunner', kind: 'client' }],
    modules: ['typeorm'],
    engine: 'config',
    creators: [
      {
        path: ['DataSource'],
        call: 'new',
        kind: 'orm',
        label: 'TypeORM `DataSource`',
        connects: 'explicit',
        connectMethods: ['initialize', 'connect'],
        closeMethods: ['destroy', 'close'],
        checkouts: [{ method: 'createQueryRunner', release: ['release'] }],
      },
      {
        path: ['createConnection'],
        call: 'call',
        kind: 'orm',
        label: 'TypeORM `createConnection()`',
        connects: 'explicit',
        closeMethods: ['close', 'destroy'],
        async: true,
      },
    ],
    config: {
      host: ['host'],
      user: ['username'],
      password: ['password'],
      port: ['port'],
      database: ['database'],
      ssl: ['ssl', 'extra.ssl', 'options.encrypt', 'options.trustServerCertificate'],
      poolMax: ['poolSize', 'extra.max', 'extra.connectionLimit'],
      timeouts: ['connectTimeoutMS', 'extra.connectionTimeoutMillis'],
      uri: ['url'],
    },
    uri: true,
    poolDefault: 'engine',
    registries: ['getConnectionManager'],
    connectWait: {
      postgresql: {
        ...PG_CONNECT_WAIT,
        key: 'connectTimeoutMS',
        source: 'typeorm@0.3.31 driver/postgres/PostgresDriver.js (`connectTimeoutMS` → pg `connectionTimeoutMillis`; unset, no limit)',
      },
      mysql: { ...MYSQL_CONNECT_WAIT, source: 'typeorm@0.3.31 driver/mysql/MysqlDriver.js (`connectTimeout` → mysql or mysql2, 10 s)' },
    },
  },
  {
    id: 'prisma',
    types: [{ name: 'PrismaClient', kind: 'orm' }],
    modules: ['@prisma/client'],
    engine: 'config',
    creators: [
      {
        path: ['PrismaClient'],
        call: 'new',
        kind: 'orm',
        label: 'Prisma `PrismaClient`',
        connects: 'lazy',
        closeMethods: ['$disconnect'],
      },
    ],
    config: { ...none, uri: ['datasourceUrl', 'datasources.db.url'] },
    uri: true,
    // Prisma ≤ 6 (Rust engine): `num_physical_cpus * 2 + 1` connections, at least 3.
    poolDefault: { max: 3, text: 'at least 3 connections' },
    poolMaxParams: ['connection_limit'],
    connectWait: [
      {
        param: 'connect_timeout',
        unit: 's',
        default: 5,
        zeroIsUnbounded: true,
        waitsFor: 'connect',
        source: 'Prisma ORM 5/6 connection URL reference and quaint `pooled.rs` (`connect_timeout`, default 5 s; 0: no limit)',
      },
      {
        param: 'pool_timeout',
        unit: 's',
        default: 10,
        zeroIsUnbounded: true,
        waitsFor: 'acquire',
        source: 'Prisma ORM 5/6 connection URL reference and quaint `pooled.rs` (`pool_timeout`, default 10 s; 0: no limit)',
      },
    ],
  },
  {
    id: 'kysely',
    types: [{ name: 'Kysely', kind: 'orm' }],
    modules: ['kysely'],
    engine: 'config',
    // Kysely wraps the pool its dialect is given; the pool's own creation is what opens connections.
    creators: [],
    config: none,
    uri: false,
  },
  {
    id: 'drizzle',
    modules: drizzleModules,
    engine: 'config',
    creators: [
      {
        path: ['drizzle'],
        call: 'call',
        kind: 'orm',
        label: 'drizzle `drizzle()`',
        connects: 'lazy',
        closeMethods: [],
        opensWhen: 'firstArgConfig',
      },
    ],
    config: {
      ...none,
      host: ['connection.host'],
      user: ['connection.user', 'connection.username'],
      password: ['connection.password', 'connection.pass'],
      port: ['connection.port'],
      database: ['connection.database'],
      ssl: ['connection.ssl'],
      // The driver's own pool options inside `connection` (pg and postgres.js `max`, mysql2 `connectionLimit`).
      poolMax: ['connection.max', 'connection.connectionLimit'],
      uri: ['connection', 'connection.connectionString', 'connection.uri', 'connection.url'],
    },
    uri: true,
  },
  {
    id: 'mssql',
    types: [{ name: 'ConnectionPool', kind: 'pool' }, { name: 'Transaction', kind: 'client' }],
    modules: ['mssql', 'mssql/msnodesqlv8'],
    engine: 'sqlserver',
    creators: [
      {
        path: ['ConnectionPool'],
        call: 'new',
        kind: 'pool',
        label: 'mssql `ConnectionPool`',
        connects: 'explicit',
        connectMethods: ['connect'],
        closeMethods: ['close'],
        resetEvents: ['error'],
      },
      // `sql.connect(config)` returns the driver's global pool when it is already connected: memoised by the
      // driver itself, so it is not listed as a creating call (see `globalPool`).
    ],
    globalPool: { connect: ['connect'], close: ['close'], label: 'mssql global pool' },
    config: {
      host: ['server'],
      user: ['user', 'authentication.options.userName'],
      password: ['password', 'authentication.options.password'],
      port: ['port'],
      database: ['database'],
      ssl: ['options.encrypt', 'options.trustServerCertificate'],
      poolMax: ['pool.max'],
      timeouts: ['connectionTimeout', 'requestTimeout', 'pool.idleTimeoutMillis'],
      uri: [],
    },
    uri: true,
    poolDefault: { max: 10 },
    connectWait: {
      key: 'connectionTimeout',
      unit: 'ms',
      default: 15_000,
      zeroIsUnbounded: false,
      waitsFor: 'connect',
      source: 'mssql@12.7.16 lib/tedious/connection-pool.js (`connectionTimeout || timeout || 15000`, passed to tedious)',
    },
  },
  {
    id: 'tedious',
    types: [{ name: 'Connection', kind: 'client' }],
    modules: ['tedious'],
    engine: 'sqlserver',
    creators: [
      {
        path: ['Connection'],
        call: 'new',
        kind: 'client',
        label: 'tedious `Connection`',
        connects: 'explicit',
        connectMethods: ['connect'],
        closeMethods: ['close'],
        callbackConnect: true,
      },
    ],
    config: {
      host: ['server'],
      user: ['authentication.options.userName'],
      password: ['authentication.options.password'],
      port: ['options.port'],
      database: ['options.database'],
      ssl: ['options.encrypt', 'options.trustServerCertificate'],
      poolMax: [],
      timeouts: ['options.connectTimeout', 'options.requestTimeout'],
      uri: [],
    },
    uri: false,
    connectWait: {
      key: 'options.connectTimeout',
      unit: 'ms',
      default: 15_000,
      zeroIsUnbounded: false,
      waitsFor: 'connect',
      source: 'tedious@19.2.2 lib/connection.js (`connectTimeout` 15000; one timer from the TCP connection to the login)',
    },
  },
  {
    id: 'serverless-mysql',
    types: [{ name: 'ServerlessMysql', kind: 'managed' }],
    modules: ['serverless-mysql'],
    engine: 'mysql',
    creators: [
      {
        path: [],
        call: 'call',
        kind: 'managed',
        label: 'serverless-mysql',
        connects: 'lazy',
        // `connect()` / `end()` / `quit()` inside the handler are the library's documented usage.
        closeMethods: [],
      },
    ],
    config: { ...mysqlKeys, host: ['config.host'], user: ['config.user'], password: ['config.password'], port: ['config.port'], database: ['config.database'], ssl: ['config.ssl'], poolMax: [], uri: ['config'] },
    uri: true,
    // Each try is bounded; serverless-mysql retries a timed-out connect up to `maxRetries` (50) times.
    connectWait: {
      ...MYSQL_CONNECT_WAIT,
      key: 'config.connectTimeout',
      source: 'serverless-mysql@2.1.0 index.js (`config` passed whole to mysql2 `createConnection()`, 10 s)',
    },
  },
  {
    id: 'serverless-postgres',
    modules: ['serverless-postgres'],
    engine: 'postgresql',
    creators: [
      {
        path: [],
        call: 'new',
        kind: 'managed',
        label: 'serverless-postgres `ServerlessClient`',
        connects: 'lazy',
        // `connect()` and `clean()` inside the handler are the library's documented usage.
        closeMethods: [],
      },
    ],
    config: { ...pgKeys, poolMax: ['maxConnections'] },
    uri: true,
    // Each try is bounded; serverless-postgres retries a timed-out connect up to `maxRetries` (3) times.
    connectWait: {
      ...PG_CONNECT_WAIT,
      source: 'serverless-postgres@2.1.2 src/index.js (`config` passed whole to pg `new Client()`; unset, no limit)',
    },
  },
  {
    id: 'slonik',
    types: [{ name: 'DatabasePool', kind: 'pool' }, { name: 'DatabasePoolConnection', kind: 'client' }, { name: 'DatabaseTransactionConnection', kind: 'client' }],
    modules: ['slonik'],
    engine: 'postgresql',
    creators: [
      {
        path: ['createPool'],
        call: 'call',
        kind: 'pool',
        label: 'slonik `createPool()`',
        connects: 'lazy',
        closeMethods: ['end'],
        async: true,
      },
    ],
    config: {
      ...none,
      ssl: ['ssl'],
      poolMax: ['maximumPoolSize'],
      timeouts: ['connectionTimeout', 'idleTimeout', 'statementTimeout', 'idleInTransactionSessionTimeout'],
    },
    uri: true,
    positional: [['uri', 'config']],
    poolDefault: { max: 10 },
    connectWait: {
      key: 'connectionTimeout',
      unit: 'ms',
      default: 5_000,
      zeroIsUnbounded: false,
      waitsFor: 'connect',
      noLimitValues: ['DISABLE_TIMEOUT'],
      source: "slonik@47.3.2 src/factories/createClientConfiguration.ts (`connectionTimeout: 5_000`; `'DISABLE_TIMEOUT'`: no limit)",
    },
  },
  {
    id: 'pg-promise',
    modules: ['pg-promise'],
    engine: 'postgresql',
    creators: [
      {
        path: [],
        call: 'call',
        kind: 'pool',
        label: 'pg-promise database',
        connects: 'lazy',
        closeMethods: ['$pool.end'],
        factory: true,
      },
    ],
    config: pgKeys,
    uri: true,
    positional: [['uri'], ['config']],
    poolDefault: { max: 10 },
    connectWait: PG_CONNECT_WAIT,
  },
  {
    id: 'neon',
    modules: ['@neondatabase/serverless'],
    engine: 'postgresql',
    // `neon(url)` is HTTP (no persistent connection); Pool and Client hold WebSocket connections.
    creators: pgCreators('@neondatabase/serverless'),
    config: pgKeys,
    uri: true,
  },
  {
    id: 'vercel-postgres',
    modules: ['@vercel/postgres'],
    engine: 'postgresql',
    creators: [
      {
        path: ['createPool'],
        call: 'call',
        kind: 'pool',
        label: '@vercel/postgres `createPool()`',
        connects: 'lazy',
        closeMethods: ['end'],
        checkouts: [{ method: 'connect', release: ['release'] }],
      },
      {
        path: ['createClient'],
        call: 'call',
        kind: 'client',
        label: '@vercel/postgres `createClient()`',
        connects: 'explicit',
        connectMethods: ['connect'],
        closeMethods: ['end'],
        resetEvents: ['error', 'end'],
      },
    ],
    config: pgKeys,
    uri: true,
  },
  {
    id: 'rds-data',
    modules: ['@aws-sdk/client-rds-data', 'data-api-client', 'drizzle-orm/aws-data-api/pg', 'drizzle-orm/aws-data-api/mysql'],
    engine: 'config',
    connectionless: true,
    creators: [],
    config: none,
    uri: false,
  },
];

/** Every module specifier of a driver that opens connections (connectionless APIs excluded). */
export const connectingModules: readonly string[] = drivers
  .filter((d) => !d.connectionless)
  .flatMap((d) => d.modules);

const byModule = new Map<string, DriverSpec>(drivers.flatMap((d) => d.modules.map((m) => [m, d] as const)));

export function driverForModule(specifier: string): DriverSpec | undefined {
  return byModule.get(specifier);
}

/** Whether `name` imported from `specifier` returns a driver's connection registry (see `DriverSpec.registries`). */
export function isRegistryFunction(specifier: string, name: string): boolean {
  return byModule.get(specifier)?.registries?.includes(name) ?? false;
}

/**
 * Functions that take a driver module and return it wrapped, with the same API (domain notes §10: X-Ray's
 * `captureMySQL(require('mysql2'))`, `capturePostgres(require('pg'))`): the module tracker follows the driver
 * through them.
 */
export interface DriverWrapper {
  readonly modules: readonly string[];
  /** Property path of the wrapping function from the module's export (`[]`: the export itself). */
  readonly path: readonly string[];
}

export const driverWrappers: readonly DriverWrapper[] = [
  { modules: ['aws-xray-sdk', 'aws-xray-sdk-core'], path: ['captureMySQL'] },
  { modules: ['aws-xray-sdk', 'aws-xray-sdk-core'], path: ['capturePostgres'] },
  { modules: ['aws-xray-sdk-mysql'], path: [] },
  { modules: ['aws-xray-sdk-postgres'], path: [] },
];

/** The driver and instance kind of a type exported by a driver module (`PoolClient` from `pg`), if it is one. */
export function driverType(specifier: string, name: string): { driver: DriverSpec; type: DriverType } | undefined {
  const driver = byModule.get(specifier);
  const type = driver?.types?.find((t) => t.name === name);
  return driver && type && !driver.connectionless ? { driver, type } : undefined;
}
