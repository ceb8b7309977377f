/**
 * What the name of a setting says: whether a key or an environment variable names a relational database's password.
 * One vocabulary for every place that reads names: stack code (a Lambda function's environment), settings objects in
 * application code (a configuration module, a knex-style object).
 */

/** Words for a relational database or its engine, as a token of an environment variable name. */
const DATABASE_TOKENS = new Set([
  'DB',
  'DATABASE',
  'RDS',
  'AURORA',
  'PG',
  'POSTGRES',
  'POSTGRESQL',
  'PSQL',
  'MYSQL',
  'MARIADB',
  'MSSQL',
  'SQLSERVER',
  'SQL',
  'TYPEORM',
  'SEQUELIZE',
  'KNEX',
  'PRISMA',
]);

/** Words for a password, as the last token of an environment variable name. */
const PASSWORD_TOKENS = new Set(['PASSWORD', 'PASS', 'PWD', 'PASSWD']);

/**
 * Stores that are not relational databases (RDS Proxy and these rules are about RDS and Aurora): a name with one of
 * them is never a database password, whatever else it says (`REDIS_DB_PASSWORD`, `MONGO_DB_PASSWORD`).
 */
const OTHER_STORES = new Set([
  'REDIS',
  'ELASTICACHE',
  'MEMCACHED',
  'VALKEY',
  'MONGO',
  'MONGODB',
  'DOCDB',
  'DOCUMENTDB',
  'NEPTUNE',
  'DYNAMO',
  'DYNAMODB',
  'CASSANDRA',
  'KEYSPACES',
  'ELASTIC',
  'ELASTICSEARCH',
  'OPENSEARCH',
  'INFLUX',
  'INFLUXDB',
  'COUCH',
  'COUCHDB',
  'NEO4J',
  'CLICKHOUSE',
  'SNOWFLAKE',
  'REDSHIFT',
]);

/**
 * Whole names that are database passwords without a database word: libpq's and the MySQL client's variables, and the
 * master password of an RDS instance or cluster (`MasterUserPassword`, `masterPassword`), compared without separators.
 */
const WHOLE_NAMES = new Set(['PGPASSWORD', 'MYSQL_PWD', 'DBPASSWORD', 'DBPASS', 'MASTERPASSWORD', 'MASTERUSERPASSWORD']);

/** `dbPassword` → `DB_PASSWORD`, `db-password` → `DB_PASSWORD`. */
function tokensOf(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
}

/**
 * Whether an environment variable name names a relational database's password: `PGPASSWORD`, `MYSQL_PWD`, or a
 * name whose last word is `PASSWORD` / `PASS` / `PWD` / `PASSWD` with a database word before it (`DB`, `DATABASE`,
 * `RDS`, `AURORA`, `PG`, `POSTGRES`, `MYSQL`, `MARIADB`, `MSSQL`, `SQLSERVER`, `SQL`, `TYPEORM`, …), and no word
 * of another store (`REDIS`, `MONGO`, `DOCDB`, `ELASTICACHE`, …). So `DB_PASSWORD`, `DATABASE_PASSWORD`,
 * `ORDERS_DB_PASSWORD`, `DB_MASTER_PASSWORD`, `dbPassword` are; `PASSWORD`, `SMTP_PASSWORD`, `REDIS_PASSWORD`,
 * `DB_PASSWORD_SECRET_ARN`, `PASSWORD_MIN_LENGTH` are not.
 */
export function isDatabasePasswordKey(key: string): boolean {
  const tokens = tokensOf(key);
  if (WHOLE_NAMES.has(key.toUpperCase()) || WHOLE_NAMES.has(tokens.join(''))) return true;
  if (tokens.length < 2 || !PASSWORD_TOKENS.has(tokens[tokens.length - 1]!)) return false;
  if (tokens.some((t) => OTHER_STORES.has(t))) return false;
  return tokens.slice(0, -1).some((t) => DATABASE_TOKENS.has(t));
}
