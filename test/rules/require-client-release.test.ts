import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../src/rules/require-client-release.js';
import { createRuleTester } from '../rule-tester.js';

const ruleTester = createRuleTester();

const valid: Array<string | ValidTestCase<Options>> = [
  // Released in finally.
  `import { Pool } from 'pg';
const pool = new Pool({ max: 1 });
export const handler = async (event) => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('INSERT INTO orders (id) VALUES ($1)', [event.id]);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
};`,
  // Checked out inside the try.
  `import { Pool } from 'pg';
const pool = new Pool();
export const handler = async () => {
  let client;
  try {
    client = await pool.connect();
    return (await client.query('select 1')).rows;
  } catch (error) {
    console.error(error);
    throw error;
  } finally {
    client?.release();
  }
};`,
  // mysql2/promise and mariadb getConnection, released (end() also frees a pooled mariadb connection).
  `import mysql from 'mysql2/promise';
const pool = mysql.createPool({ connectionLimit: 1 });
export const handler = async () => {
  const conn = await pool.getConnection();
  try { return await conn.query('select 1'); } finally { conn.release(); }
};`,
  `const mariadb = require('mariadb');
const pool = mariadb.createPool({ connectionLimit: 1 });
exports.handler = async () => {
  const conn = await pool.getConnection();
  try { return await conn.query('select 1'); } finally { await conn.end(); }
};`,
  // Callback API: the callback receives the connection and its owner releases it.
  `const mysql = require('mysql');
const pool = mysql.createPool({});
exports.handler = (event, context, callback) => {
  pool.getConnection((err, conn) => { conn.query('select 1', () => { conn.release(); callback(); }); });
};`,
  // Returned to the caller, or handed to a helper that releases.
  `import { Pool } from 'pg';
const pool = new Pool();
async function checkout() { return pool.connect(); }
export const handler = async () => { const client = await checkout(); try { return 1; } finally { client.release(); } };`,
  `import { Pool } from 'pg';
const pool = new Pool();
async function inTransaction(client, work) { try { return await work(client); } finally { client.release(); } }
export const handler = async () => { const client = await pool.connect(); return inTransaction(client, (c) => c.query('select 1')); };`,
  // pool.query() checks out and releases by itself.
  `import { Pool } from 'pg';
const pool = new Pool();
export const handler = async () => (await pool.query('select 1')).rows;`,
  // postgres.js reserve() released in finally; TypeORM query runner released in finally.
  `import postgres from 'postgres';
const sql = postgres();
export const handler = async () => { const reserved = await sql.reserve(); try { return await reserved\`select 1\`; } finally { reserved.release(); } };`,
  `import { DataSource } from 'typeorm';
const ds = new DataSource({ type: 'postgres' });
export const handler = async () => {
  const runner = ds.createQueryRunner();
  try { await runner.connect(); return await runner.query('select 1'); } finally { await runner.release(); }
};`,
  // Not Lambda code.
  `import { Pool } from 'pg';
const pool = new Pool();
export async function listUsers() { const client = await pool.connect(); return client.query('select * from users'); }`,
  // A pg Client's connect() opens a connection; it is not a pool checkout.
  `import { Client } from 'pg';
let ready;
const client = new Client();
export const handler = async () => { await (ready ??= client.connect()); return client.query('select 1'); };`,
];

const data = (name: string, method: string, release: string) => ({ name, method, release });

const invalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    code: `import { Pool } from 'pg';
const pool = new Pool({ max: 1 });
export const handler = async (event) => {
  const client = await pool.connect();
  const { rows } = await client.query('SELECT * FROM orders WHERE id = $1', [event.id]);
  return rows[0];
};`,
    errors: [
      {
        messageId: 'neverReleased',
        line: 4,
        column: 24,
        data: data('client', 'connect', 'release'),
        suggestions: [
          {
            messageId: 'suggestTryFinally',
            data: data('client', 'connect', 'release'),
            output: `import { Pool } from 'pg';
const pool = new Pool({ max: 1 });
export const handler = async (event) => {
  const client = await pool.connect();
  try {
    const { rows } = await client.query('SELECT * FROM orders WHERE id = $1', [event.id]);
    return rows[0];
  } finally {
    client.release();
  }
};`,
          },
        ],
      },
    ],
  },
  // Released at the end, but an error or the early return skips it.
  {
    code: `import mysql from 'mysql2/promise';
const pool = mysql.createPool({ connectionLimit: 1 });
export const handler = async (event) => {
  const conn = await pool.getConnection();
  const [rows] = await conn.query('select * from invoices where id = ?', [event.id]);
  conn.release();
  return rows;
};`,
    errors: [
      {
        messageId: 'notReleasedOnEveryPath',
        line: 4,
        column: 22,
        data: data('conn', 'getConnection', 'release'),
        suggestions: [
          {
            messageId: 'suggestTryFinally',
            data: data('conn', 'getConnection', 'release'),
            output: `import mysql from 'mysql2/promise';
const pool = mysql.createPool({ connectionLimit: 1 });
export const handler = async (event) => {
  const conn = await pool.getConnection();
  try {
    const [rows] = await conn.query('select * from invoices where id = ?', [event.id]);
    return rows;
  } finally {
    conn.release();
  }
};`,
          },
        ],
      },
    ],
  },
  {
    code: `const { Pool } = require('pg');
const pool = new Pool();
exports.handler = async (event) => {
  const client = await pool.connect();
  if (!event.id) return { statusCode: 400 };
  const res = await client.query('select 1');
  client.release();
  return res.rows;
};`,
    errors: [
      {
        messageId: 'notReleasedOnEveryPath',
        line: 4,
        data: data('client', 'connect', 'release'),
        suggestions: [
          {
            messageId: 'suggestTryFinally',
            data: data('client', 'connect', 'release'),
            output: `const { Pool } = require('pg');
const pool = new Pool();
exports.handler = async (event) => {
  const client = await pool.connect();
  try {
    if (!event.id) return { statusCode: 400 };
    const res = await client.query('select 1');
    return res.rows;
  } finally {
    client.release();
  }
};`,
          },
        ],
      },
    ],
  },
  // Released only in catch: the success path leaks.
  {
    code: `import { Pool } from 'pg';
const pool = new Pool();
export const handler = async () => {
  const client = await pool.connect();
  try {
    return await client.query('select 1');
  } catch (error) {
    client.release();
    throw error;
  }
};`,
    errors: [{ messageId: 'notReleasedOnEveryPath', line: 4, suggestions: [] }],
  },
  // Used inline: never released.
  {
    code: `import { Pool } from 'pg';
const pool = new Pool();
export const handler = async () => (await pool.connect()).query('select 1');`,
    errors: [{ messageId: 'neverReleased', line: 3, data: data('client', 'connect', 'release') }],
  },
  // TypeScript, mariadb, a released check-out in a nested helper reached from the handler.
  {
    code: `import * as mariadb from 'mariadb';
const pool = mariadb.createPool({ connectionLimit: 1 });
async function count(table: string): Promise<number> {
  const conn = await pool.getConnection();
  const rows = (await conn.query(\`select count(*) as n from \${table}\`)) as Array<{ n: number }>;
  return rows[0]!.n;
}
export const handler = async () => ({ users: await count('users') });`,
    errors: [{ messageId: 'neverReleased', line: 4, data: data('conn', 'getConnection', 'release'), suggestions: [
      {
        messageId: 'suggestTryFinally',
        data: data('conn', 'getConnection', 'release'),
        output: `import * as mariadb from 'mariadb';
const pool = mariadb.createPool({ connectionLimit: 1 });
async function count(table: string): Promise<number> {
  const conn = await pool.getConnection();
  try {
    const rows = (await conn.query(\`select count(*) as n from \${table}\`)) as Array<{ n: number }>;
    return rows[0]!.n;
  } finally {
    conn.release();
  }
}
export const handler = async () => ({ users: await count('users') });`,
      },
    ] }],
  },
  // postgres.js reserve() never released.
  {
    code: `import postgres from 'postgres';
const sql = postgres({ max: 1 });
export const handler = async () => {
  const reserved = await sql.reserve();
  return reserved\`select 1\`;
};`,
    errors: [{ messageId: 'neverReleased', line: 4, data: data('reserved', 'reserve', 'release'), suggestions: [
      {
        messageId: 'suggestTryFinally',
        data: data('reserved', 'reserve', 'release'),
        output: `import postgres from 'postgres';
const sql = postgres({ max: 1 });
export const handler = async () => {
  const reserved = await sql.reserve();
  try {
    return reserved\`select 1\`;
  } finally {
    reserved.release();
  }
};`,
      },
    ] }],
  },
];

ruleTester.run('require-client-release', rule, { valid, invalid });
