import { Signer } from '@aws-sdk/rds-signer';
import { Pool, type PoolClient } from 'pg';

// Created once per execution environment, when Lambda loads the module; every invocation that this
// environment serves reuses it.
const host = process.env.DB_PROXY_ENDPOINT!; // the RDS Proxy endpoint, e.g. orders-proxy.proxy-….rds.amazonaws.com
const port = Number(process.env.DB_PORT ?? 5432);
const user = process.env.DB_USER!;

// IAM authentication: a token is valid for 15 minutes, so the pool asks for a fresh one each time it
// opens a new physical connection (pg calls a `password` function on every connect).
const signer = new Signer({ hostname: host, port, username: user });

export const pool = new Pool({
  host,
  port,
  user,
  password: () => signer.getAuthToken(),
  database: process.env.DB_NAME,
  // RDS Proxy presents an ACM certificate that Node's default trust store already validates.
  ssl: { rejectUnauthorized: true },
  // One invocation at a time per execution environment: one connection is enough.
  max: 1,
  // Close idle connections before the proxy's idle client timeout (30 minutes by default) does it for us.
  idleTimeoutMillis: 5 * 60_000,
  connectionTimeoutMillis: 5_000,
  keepAlive: true,
});

/** Runs `work` in a transaction on a checked-out client, and always gives the client back to the pool. */
export async function inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
