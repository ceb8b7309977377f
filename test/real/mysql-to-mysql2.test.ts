/**
 * iam-auth moves code from the `mysql` package to mysql2 (mysql cannot send an RDS IAM token). Checked here against
 * the MariaDB server at 127.0.0.1:3306 (user `root`, no password, database `test`); the tests fail when it cannot be
 * reached.
 *
 * For each callback-style handler shape of the iam-auth fixtures (a module-scope connection, a connection per
 * invocation with `?` values, INSERT and UPDATE results, a pool with `getConnection()`/`release()` and aggregates,
 * `escape` and `format`), the codemod's own output is taken with its IAM wiring removed again (MariaDB here takes a
 * password and has no TLS): what is left is its move from mysql to mysql2 (the module, and `decimalNumbers: true,
 * jsonStrings: true`). The handler as written (mysql) and that output (mysql2) run against the same table and return
 * the same rows, the same `insertId`/`affectedRows`/`changedRows`, the same escaped SQL. What differs is what the
 * codemod's notes list, and it is asserted as such: result headers name their extra fields differently
 * (`message`/`warningCount` vs `info`/`warningStatus`), and the default connection charset. Without the two options,
 * DECIMAL columns came back as strings and JSON columns parsed (found by this test).
 */
import { createRequire } from 'node:module';
import mysql2 from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import transform from '../../src/codemods/iam-auth/transform.js';
import { MYSQL2_NOTES } from '../../src/core/fix/iam-auth-mysql.js';

const SERVER = { host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'test' } as const;
const TABLE = `lambda_rds_swap_${process.pid}`;
const requireHere = createRequire(import.meta.url);

/** A handler file's `exports.handler`, loaded from its source with this repository's drivers. */
function loadHandler(source: string): (event: unknown, context: unknown, callback: (error: unknown, result?: unknown) => void) => void {
  const module = { exports: {} as Record<string, unknown> };
  new Function('require', 'module', 'exports', 'process', source)(requireHere, module, module.exports, process);
  return module.exports.handler as never;
}

function invoke(source: string, event: unknown = {}): Promise<unknown> {
  const handler = loadHandler(source);
  return new Promise((resolve, reject) => {
    handler(event, {}, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/** The handlers as users write them for mysql; the table and the server come from the environment. */
const config = `{ host: process.env.T_HOST, port: Number(process.env.T_PORT), user: process.env.T_USER, password: process.env.T_PASSWORD, database: process.env.T_DATABASE }`;
const pooled = `{ host: process.env.T_HOST, port: Number(process.env.T_PORT), user: process.env.T_USER, password: process.env.T_PASSWORD, database: process.env.T_DATABASE, connectionLimit: 1 }`;
const shapes: Record<string, string> = {
  'module-scope connection, SELECT of every column type': `const mysql = require('mysql');
const db = mysql.createConnection(${config});
exports.handler = (event, context, callback) => {
  db.query('SELECT * FROM ' + process.env.T_TABLE + ' ORDER BY id', (error, rows) => {
    db.end();
    callback(error, rows);
  });
};`,
  'connection per invocation, `?` values': `const mysql = require('mysql');
exports.handler = (event, context, callback) => {
  const connection = mysql.createConnection(${config});
  connection.query('SELECT id, name, price FROM ' + process.env.T_TABLE + ' WHERE price > ? AND name <> ?', [event.min, event.not], (error, rows) => {
    connection.end();
    callback(error, rows);
  });
};`,
  'INSERT with SET ?': `const mysql = require('mysql');
exports.handler = (event, context, callback) => {
  const connection = mysql.createConnection(${config});
  connection.query('INSERT INTO ' + process.env.T_TABLE + ' SET ?', event.row, (error, result) => {
    connection.end();
    callback(error, result);
  });
};`,
  UPDATE: `const mysql = require('mysql');
exports.handler = (event, context, callback) => {
  const connection = mysql.createConnection(${config});
  connection.query('UPDATE ' + process.env.T_TABLE + ' SET flag = 1 WHERE price < ?', [event.below], (error, result) => {
    connection.end();
    callback(error, result);
  });
};`,
  'pool, getConnection and release, aggregates': `const mysql = require('mysql');
const pool = mysql.createPool(${pooled});
exports.handler = (event, context, callback) => {
  pool.getConnection((error, connection) => {
    if (error) return callback(error);
    connection.query('SELECT COUNT(*) AS n, SUM(price) AS total, MAX(big) AS big, MIN(created) AS first FROM ' + process.env.T_TABLE, (err, rows) => {
      connection.release();
      pool.end();
      callback(err, rows);
    });
  });
};`,
  'escape and format': `const mysql = require('mysql');
exports.handler = (event, context, callback) => {
  const connection = mysql.createConnection(${config});
  const sql = [
    mysql.escape("O'Reilly"),
    mysql.escape(null),
    mysql.escape([1, 'two']),
    connection.escape(new Date(Date.UTC(2024, 0, 2, 3, 4, 5))),
    mysql.format('SELECT ?? FROM ?? WHERE id = ? AND name = ?', ['name', 'items', 7, "x'y"]),
    mysql.escapeId('weird\`name'),
  ];
  connection.query('SELECT ' + mysql.escape("it's") + ' AS quoted', (error, rows) => {
    connection.end();
    callback(error, { sql, rows });
  });
};`,
};

/**
 * The codemod's output for a handler, with its IAM wiring taken back out (MariaDB here takes a password, not a
 * token, and has no TLS): what is left is the codemod's move from mysql to mysql2.
 */
function migrated(source: string): string {
  const output = transform({ path: 'handler.js', source }, { report() {}, stats() {} } as never, {});
  expect(output).toBeTypeOf('string');
  const runnable = output!
    .replace("const { Signer } = require('@aws-sdk/rds-signer');\n", '')
    .replace(/\nconst signer = new Signer\(\{[\s\S]*?\n\}\);\n/, '')
    .replace(/authPlugins: \{ mysql_clear_password: \(\) => async \(\) => Buffer\.from\(`\$\{await signer\.getAuthToken\(\)\}\\0`\) \}/, 'password: process.env.T_PASSWORD')
    .replace(', ssl: { rejectUnauthorized: true }', '');
  expect(runnable).not.toMatch(/signer|Signer|ssl/);
  return runnable;
}

async function reset(connection: mysql2.Connection): Promise<void> {
  await connection.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await connection.query(
    `CREATE TABLE ${TABLE} (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL, price DECIMAL(10,2), big BIGINT, ` +
      'created DATETIME, day DATE, flag TINYINT(1), doc JSON, data BLOB, note TEXT NULL) DEFAULT CHARSET utf8mb4',
  );
  await connection.query(
    `INSERT INTO ${TABLE} (name, price, big, created, day, flag, doc, data, note) VALUES ` +
      `('kettle', 19.99, 9007199254740993, '2024-03-01 10:20:30', '2024-03-01', 0, '{"a":1,"b":[true,null]}', x'00ff10', NULL), ` +
      `('tea', 4.50, -12, '1999-12-31 23:59:59', '1999-12-31', 1, '[]', x'', 'green'), ` +
      `('mug', 0.00, 0, NULL, NULL, NULL, NULL, NULL, 'ünïcödé ✓')`,
  );
}

let admin: mysql2.Connection;

beforeAll(async () => {
  admin = await mysql2.createConnection(SERVER);
  Object.assign(process.env, {
    T_HOST: SERVER.host,
    T_PORT: String(SERVER.port),
    T_USER: SERVER.user,
    T_PASSWORD: SERVER.password,
    T_DATABASE: SERVER.database,
    T_TABLE: TABLE,
  });
});

afterAll(async () => {
  await admin?.query(`DROP TABLE IF EXISTS ${TABLE}`).catch(() => {});
  await admin?.end();
});

describe('the codemod moves each handler to mysql2', () => {
  it.each(Object.entries(shapes))('%s', (_, source) => {
    const runnable = migrated(source);
    expect(runnable).toContain("require('mysql2')");
    expect(runnable).not.toContain("require('mysql')");
    // mysql's results kept: DECIMAL as numbers, JSON as text.
    expect(runnable).toContain('decimalNumbers: true, jsonStrings: true');
  });
});

describe('mysql and mysql2 return the same results on MariaDB', () => {
  it.each(Object.entries(shapes))('%s', async (name, source) => {
    const event = { min: 1, not: 'tea', row: { name: 'spoon', price: 2.25, big: 5, flag: 0 }, below: 5 };
    await reset(admin);
    const before = await invoke(source, event);
    await reset(admin);
    const after = await invoke(migrated(source), event);
    if (name === 'INSERT with SET ?' || name === 'UPDATE') {
      const a = before as Record<string, unknown>;
      const b = after as Record<string, unknown>;
      for (const field of ['affectedRows', 'insertId', 'changedRows', 'fieldCount', 'serverStatus'] as const) {
        expect(b[field], field).toEqual(a[field]);
      }
      // What the notes say differs: the OkPacket's `message`/`warningCount` are mysql2's `info`/`warningStatus`.
      expect(String(a.message).replace(/^\(/, '')).toBe(b.info);
      expect(b.warningStatus).toBe(a.warningCount);
      expect(a).toHaveProperty('protocol41');
      expect(b).not.toHaveProperty('protocol41');
      expect(MYSQL2_NOTES.join('\n')).toMatch(/ResultSetHeader/);
      return;
    }
    // Rows with the same values: DECIMAL and BIGINT as numbers, DATETIME and DATE as Dates, BLOB as Buffers, JSON
    // as text, NULLs, utf8 text; escaped SQL the same.
    expect(JSON.stringify(before).length).toBeGreaterThan(20);
    expect(JSON.parse(JSON.stringify(after))).toEqual(JSON.parse(JSON.stringify(before)));
    expect(after).toEqual(before);
  });

  it('differ in the default connection charset, as the notes say', async () => {
    const charset = (source: string) =>
      invoke(source.replace("'SELECT * FROM ' + process.env.T_TABLE + ' ORDER BY id'", "'SELECT @@character_set_client AS cs, @@collation_connection AS co'"));
    const shape = shapes['module-scope connection, SELECT of every column type']!;
    const [before] = (await charset(shape)) as Array<{ cs: string }>;
    const [after] = (await charset(migrated(shape))) as Array<{ cs: string }>;
    expect(before!.cs).toBe('utf8mb3');
    expect(after!.cs).toBe('utf8mb4');
    expect(MYSQL2_NOTES.join('\n')).toMatch(/utf8mb4/);
  });
});
