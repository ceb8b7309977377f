'use strict';

const { Signer } = require('@aws-sdk/rds-signer');
const mysql = require('mysql2/promise');

const host = process.env.DB_PROXY_ENDPOINT; // the RDS Proxy endpoint
const port = Number(process.env.DB_PORT || 3306);
const user = process.env.DB_USER;

const signer = new Signer({ hostname: host, port, username: user });

let pool;

/**
 * The execution environment's pool, created on first use and kept for every later invocation.
 * `createPool()` opens no connection until the first query.
 */
function getPool() {
  pool ??= mysql.createPool({
    host,
    port,
    user,
    database: process.env.DB_NAME,
    // IAM authentication: RDS sends the token with the cleartext plugin, so it must only travel over TLS.
    // The plugin asks for a fresh token whenever the pool opens a new connection (tokens last 15 minutes).
    authPlugins: {
      mysql_clear_password: () => async () => Buffer.from(`${await signer.getAuthToken()}\0`),
    },
    ssl: { rejectUnauthorized: true },
    // Dates are read and written as UTC by the driver: no `SET time_zone` on each connection.
    timezone: 'Z',
    connectionLimit: 1,
    maxIdle: 1,
    idleTimeout: 5 * 60_000,
    connectTimeout: 5_000,
    enableKeepAlive: true,
  });
  return pool;
}

/** Runs `work` in a transaction and always releases the connection back to the pool. */
async function inTransaction(work) {
  const conn = await getPool().getConnection();
  try {
    await conn.beginTransaction();
    const result = await work(conn);
    await conn.commit();
    return result;
  } catch (error) {
    await conn.rollback();
    throw error;
  } finally {
    conn.release();
  }
}

module.exports = { getPool, inTransaction };
