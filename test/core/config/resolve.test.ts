import { describe, expect, it } from 'vitest';
import type { ConfigSetting, ConfigValue, ResolvedConfig } from '../../../src/core/config/index.js';
import { configsOf } from './probe.js';

/** The configs of a file (throws when the file has none). */
function configs(code: string, commonjs = false): readonly ResolvedConfig[] {
  const files = configsOf(code, { commonjs });
  if (!files) throw new Error('no database module');
  return files.configs;
}

function only(code: string, commonjs = false): ResolvedConfig {
  const all = configs(code, commonjs);
  expect(all).toHaveLength(1);
  return all[0]!;
}

/** A readable summary of a value: `literal:'x'`, `env:DB_PASSWORD`, `uri-part:password=s3cret`... */
function show(value: ConfigValue): string {
  switch (value.kind) {
    case 'literal':
      return `literal:${JSON.stringify(value.value)}`;
    case 'template':
      return `template:${value.text.text.replaceAll('\uFFFF', '${}')}`;
    case 'env':
      return `env:${value.name}`;
    case 'function':
      return `function${value.iamToken ? ':iam' : ''}`;
    case 'call':
      return `call:${value.callee}${value.iamToken ? ':iam' : ''}`;
    case 'iam-token':
      return `iam-token:${value.source}`;
    case 'object':
      return 'object';
    case 'uri-part':
      return `uri-part:${value.part}${value.name ? `(${value.name})` : ''}=${value.span.text.replaceAll('\uFFFF', '${}')}`;
    case 'unknown':
      return 'unknown';
  }
}

const shown = (settings: readonly ConfigSetting[]) => settings.map((s) => show(s.value));

/** The source text a value's node covers (or its exact range for URI parts). */
function sourceOf(code: string, value: ConfigValue): string {
  const [start, end] = value.kind === 'uri-part' && value.range ? value.range : value.node.range;
  return code.slice(start, end);
}

describe('resolveConnectionConfig: shapes', () => {
  it('reads an object literal', () => {
    const config = only(`import { Pool } from 'pg';
export const pool = new Pool({ host: 'db.example.com', user: 'app', password: 'pw', port: 5432, ssl: true });`);
    expect(shown(config.get('host'))).toEqual(['literal:"db.example.com"']);
    expect(shown(config.get('password'))).toEqual(['literal:"pw"']);
    expect(shown(config.get('port'))).toEqual(['literal:5432']);
    expect(shown(config.get('ssl'))).toEqual(['literal:true']);
    expect(config.complete).toBe(true);
    expect(config.engine).toBe('postgresql');
    expect(config.site.label).toBe('pg `Pool`');
    expect(config.site.kind).toBe('creator');
  });

  it('reads nested objects (knex `connection`, `ssl`)', () => {
    const config = only(`import knex from 'knex';
export const db = knex({ client: 'mysql2', connection: { host: 'h', password: 'pw', ssl: { rejectUnauthorized: false } } });`);
    expect(shown(config.get('password'))).toEqual(['literal:"pw"']);
    expect(shown(config.lookup('connection.ssl.rejectUnauthorized'))).toEqual(['literal:false']);
    expect(config.get('password')[0]!.key).toBe('connection.password');
    expect(config.engine).toBe('mysql');
  });

  it('reads Sequelize positional arguments and dialectOptions', () => {
    const config = only(`import { Sequelize } from 'sequelize';
export const sequelize = new Sequelize('app', 'admin', 'pw', { host: 'h', dialect: 'postgres', dialectOptions: { ssl: { require: true } } });`);
    expect(config.arguments.map((a) => a.role)).toEqual(['database', 'user', 'password', 'config']);
    expect(shown(config.get('password'))).toEqual(['literal:"pw"']);
    expect(config.get('password')[0]!.key).toBe('#2');
    expect(shown(config.get('ssl'))).toEqual(['object']);
    expect(config.engine).toBe('postgresql');
  });

  it('tells Sequelize URI and options forms apart', () => {
    const uri = only(`import { Sequelize } from 'sequelize';
export const s = new Sequelize('postgres://u:pw@h/db', { logging: false });`);
    expect(uri.arguments.map((a) => a.role)).toEqual(['uri', 'config']);
    expect(shown(uri.get('password'))).toEqual(['uri-part:password=pw']);
    const options = only(`import { Sequelize } from 'sequelize';
export const s = new Sequelize({ dialect: 'mysql', password: 'pw' });`);
    expect(options.arguments.map((a) => a.role)).toEqual(['config']);
    expect(options.engine).toBe('mysql');
  });

  it('reads `postgres(url, options)` and mysql `createConnection(uri)`', () => {
    const pg = only(`import postgres from 'postgres';
export const sql = postgres('postgres://u:pw@h:5432/db?sslmode=require', { ssl: 'prefer' });`);
    expect(shown(pg.get('password'))).toEqual(['uri-part:password=pw']);
    expect(shown(pg.get('ssl'))).toEqual(['literal:"prefer"', 'uri-part:param(sslmode)=require']);
    const mysql = only(`import mysql from 'mysql2/promise';
export const conn = await mysql.createConnection('mysql://root:pw@h/db');`);
    expect(shown(mysql.get('host'))).toEqual(['uri-part:host=h']);
  });

  it('reads URIs in config keys and bare-string configs', () => {
    const config = only(`import { Client } from 'pg';
export const client = new Client({ connectionString: 'postgresql://app:pw@h/db?sslmode=no-verify' });`);
    expect(config.uris).toHaveLength(1);
    expect(config.uris[0]!.key).toBe('connectionString');
    expect(shown(config.get('ssl'))).toEqual(['uri-part:param(sslmode)=no-verify']);
    const bare = only(`import sql from 'mssql';
export const pool = new sql.ConnectionPool('Server=h,1433;User Id=sa;Password=pw;Encrypt=false');`);
    expect(shown(bare.get('password'))).toEqual(['uri-part:password=pw']);
    expect(shown(bare.get('ssl'))).toEqual(['uri-part:param(encrypt)=false']);
  });

  it('maps URI parts back to the exact source characters', () => {
    const code = `import { Pool } from 'pg';
export const pool = new Pool({ connectionString: 'postgres://app:hunter2@h/db' });`;
    const [setting] = only(code).get('password');
    expect(sourceOf(code, setting!.value)).toBe('hunter2');
  });

  it('keeps template holes unknown and static parts known', () => {
    const config = only(`import { Pool } from 'pg';
const host = process.env.DB_HOST;
export const pool = new Pool({ connectionString: \`postgres://app:\${process.env.PW}@\${host}:5432/db?sslmode=disable\` });`);
    expect(shown(config.get('password'))).toEqual(['uri-part:password=${}']);
    expect(config.get('password').every((s) => s.value.kind === 'uri-part' && !s.value.known)).toBe(true);
    expect(shown(config.get('ssl'))).toEqual(['uri-part:param(sslmode)=disable']);
  });

  it('inlines constants into templates and maps them to the constant', () => {
    const code = `import { Pool } from 'pg';
const PASSWORD = 'hunter2';
export const pool = new Pool({ connectionString: \`postgres://app:\${PASSWORD}@h/db\` });`;
    const [setting] = only(code).get('password');
    expect(show(setting!.value)).toBe('uri-part:password=hunter2');
    expect(sourceOf(code, setting!.value)).toBe('hunter2');
    expect(setting!.value.node.range[0]).toBe(code.indexOf("'hunter2'"));
  });

  it('reads string concatenation', () => {
    const config = only(`import { Pool } from 'pg';
const user = 'app';
export const pool = new Pool({ connectionString: 'postgres://' + user + ':' + 'pw' + '@h/db' });`);
    expect(shown(config.get('password'))).toEqual(['uri-part:password=pw']);
    expect(shown(config.get('user'))).toEqual(['uri-part:user=app']);
  });
});

describe('resolveConnectionConfig: bindings', () => {
  it('follows a config built in a const and passed by name, with spreads', () => {
    const code = `import { Pool } from 'pg';
const PW = 'hunter2';
const base = { user: 'app', password: PW, ssl: false };
const config = { ...base, ssl: { rejectUnauthorized: true } };
export const pool = new Pool(config);`;
    const config = only(code);
    const [password] = config.get('password');
    expect(show(password!.value)).toBe('literal:"hunter2"');
    expect(sourceOf(code, password!.value)).toBe("'hunter2'");
    expect(password!.value.via.map((n) => code.slice(...n.range))).toEqual(['PW']);
    expect(password!.entry.holder.type).toBe('Property');
    // The later `ssl` overrides the spread one.
    expect(shown(config.get('ssl'))).toEqual(['object']);
  });

  it('applies module-scope property assignments and Object.assign', () => {
    const config = only(`import mysql from 'mysql2';
const config = { host: 'h' };
config.password = 'pw';
config.ssl = {};
config.ssl.rejectUnauthorized = false;
Object.assign(config, { user: 'root' });
function later() { config.password = 'ignored inside a function'; }
export const pool = mysql.createPool(config);`);
    expect(shown(config.get('password'))).toEqual(['literal:"pw"']);
    expect(shown(config.get('user'))).toEqual(['literal:"root"']);
    expect(shown(config.lookup('ssl.rejectUnauthorized'))).toEqual(['literal:false']);
    expect(config.get('password')[0]!.entry.kind).toBe('assignment');
  });

  it('follows never-reassigned `let`, not reassigned ones', () => {
    const kept = only(`import { Pool } from 'pg';
let pw = 'a';
export const pool = new Pool({ password: pw });`);
    expect(shown(kept.get('password'))).toEqual(['literal:"a"']);
    const changed = only(`import { Pool } from 'pg';
let pw = 'a';
pw = process.env.PW;
export const pool = new Pool({ password: pw });`);
    expect(shown(changed.get('password'))).toEqual(['unknown']);
  });

  it('reads env vars in every form, with literal fallbacks as alternatives', () => {
    const config = only(`import { Pool } from 'pg';
const { DB_USER = 'admin' } = process.env;
const env = process.env;
export const pool = new Pool({
  password: process.env.DB_PASSWORD || 'fallback',
  user: DB_USER,
  host: process.env['DB_HOST'] ?? 'localhost',
  database: env.DB_NAME,
  port: process.env.PORT ? Number(process.env.PORT) : 5432,
});`);
    expect(shown(config.get('password'))).toEqual(['env:DB_PASSWORD', 'literal:"fallback"']);
    expect(shown(config.get('user'))).toEqual(['env:DB_USER', 'literal:"admin"']);
    expect(shown(config.get('host'))).toEqual(['env:DB_HOST', 'literal:"localhost"']);
    expect(shown(config.get('database'))).toEqual(['env:DB_NAME']);
    expect(shown(config.get('port'))).toEqual(['call:Number', 'literal:5432']);
  });

  it('reads destructured constants and TypeScript wrappers', () => {
    const config = only(`import { Pool, type PoolConfig } from 'pg';
const secrets = { db: { password: 'pw' } } as const;
const { db: { password } } = secrets;
const config = { password: password!, host: 'h' as string } satisfies PoolConfig;
export const pool = new Pool(config as PoolConfig);`);
    expect(shown(config.get('password'))).toEqual(['literal:"pw"']);
    expect(shown(config.get('host'))).toEqual(['literal:"h"']);
  });

  it('marks unresolvable parts and stays complete otherwise', () => {
    const spread = only(`import { Pool } from 'pg';
export function make(options) { return new Pool({ ...options, host: 'h' }); }`);
    expect(spread.complete).toBe(false);
    const env = only(`import { Pool } from 'pg';
export const pool = new Pool({ connectionString: process.env.DATABASE_URL });`);
    expect(env.complete).toBe(false);
    const none = only(`import { Pool } from 'pg';
export const pool = new Pool();`);
    expect(none.complete).toBe(false);
  });

  it('never loops on cyclic definitions', () => {
    const config = only(`import { Pool } from 'pg';
const a = { ...b, password: 'x' };
const b = { ...a };
const c = c;
export const pool = new Pool({ ...b, host: c });`);
    expect(shown(config.get('password'))).toEqual(['literal:"x"']);
    expect(shown(config.get('host'))).toEqual(['unknown']);
  });

  it('bounds the depth of chains of constants', () => {
    const chain = Array.from({ length: 40 }, (_, i) => `const v${i + 1} = v${i};`).join('\n');
    const config = only(`import { Pool } from 'pg';
const v0 = 'deep';
${chain}
export const pool = new Pool({ password: v40 });`);
    expect(shown(config.get('password'))).toEqual(['unknown']);
  });
});

describe('resolveConnectionConfig: functions, calls and IAM tokens', () => {
  it('recognises @aws-sdk/rds-signer tokens by import, directly and through functions', () => {
    const all = configs(`import { Signer as RdsSigner } from '@aws-sdk/rds-signer';
import { Pool } from 'pg';
import postgres from 'postgres';
const signer = new RdsSigner({ hostname: 'h', port: 5432, username: 'u' });
const getToken = () => signer.getAuthToken();
async function token() { return getToken(); }
export const a = new Pool({ password: getToken });
export const b = new Pool({ password: await signer.getAuthToken() });
export const c = postgres({ password: async () => await token() });
export const d = new Pool({ password: signer.getAuthToken.bind(signer) });`);
    expect(all.map((c) => shown(c.get('password')))).toEqual([
      ['function:iam'],
      ['call:signer.getAuthToken:iam'],
      ['function:iam'],
      ['call:signer.getAuthToken.bind:iam'],
    ]);
  });

  it('recognises the AWS SDK v2 signer and @middy/rds-signer values', () => {
    const all = configs(`const AWS = require('aws-sdk');
const { Client } = require('pg');
const rdsSigner = require('@middy/rds-signer');
const signer = new AWS.RDS.Signer({ region: 'us-east-1' });
module.exports.a = new Client({ password: signer.getAuthToken({ username: 'u' }) });
rdsSigner({ fetchData: { rdsToken: { region: 'us-east-1' } } });
exports.handler = async (event, context) => new Client({ password: context.rdsToken });`, true);
    expect(all.map((c) => shown(c.get('password')))).toEqual([['call:signer.getAuthToken:iam'], ['iam-token:middy']]);
  });

  it('does not take a getAuthToken of an unrelated object for a token', () => {
    const config = only(`import { Pool } from 'pg';
const auth = { getAuthToken: () => 'x' };
export const pool = new Pool({ password: auth.getAuthToken() });`);
    expect(shown(config.get('password'))).toEqual(['call:auth.getAuthToken']);
  });

  it('follows knex connection functions', () => {
    const config = only(`import knex from 'knex';
export const db = knex({ client: 'pg', connection: async () => ({ host: 'h', password: 'pw', ssl: false }) });`);
    expect(shown(config.get('password'))).toEqual(['literal:"pw"']);
    expect(shown(config.get('ssl'))).toEqual(['literal:false']);
  });
});

describe('config-taking calls', () => {
  it('reads mssql `sql.connect(config)` without making it a creating call', () => {
    const config = only(`import sql from 'mssql';
export const handler = async () => { await sql.connect({ server: 'h', password: 'pw', options: { encrypt: false } }); };`);
    expect(config.site.kind).toBe('config-call');
    expect(config.site.label).toBe('mssql `sql.connect()`');
    expect(shown(config.get('password'))).toEqual(['literal:"pw"']);
    expect(shown(config.get('ssl'))).toEqual(['literal:false']);
    expect(config.engine).toBe('sqlserver');
  });

  it('reads pool-cluster `add(id, config)` and serverless-mysql `config()`', () => {
    const all = configs(`const mysql = require('mysql2');
const serverlessMysql = require('serverless-mysql');
const cluster = mysql.createPoolCluster();
cluster.add('replica', { host: 'h', password: 'pw1' });
cluster.add({ host: 'h', password: 'pw2' });
const db = serverlessMysql();
db.config({ host: 'h', password: 'pw3' });`, true);
    expect(all.filter((c) => c.site.kind === 'config-call').map((c) => shown(c.get('password')))).toEqual([
      ['literal:"pw1"'],
      ['literal:"pw2"'],
      ['literal:"pw3"'],
    ]);
  });

  it('reads Prisma driver adapters', () => {
    const config = only(`import { PrismaPg } from '@prisma/adapter-pg';
export const adapter = new PrismaPg({ connectionString: 'postgres://u:pw@h/db' });`);
    expect(config.site.label).toBe('Prisma `PrismaPg` adapter');
    expect(shown(config.get('password'))).toEqual(['uri-part:password=pw']);
  });

  it('returns null for files without a database module', () => {
    expect(configsOf(`export const x = { password: 'pw' };`)).toBeNull();
  });
});
