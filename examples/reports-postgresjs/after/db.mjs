import { Signer } from '@aws-sdk/rds-signer';
import postgres from 'postgres';

const host = process.env.DB_PROXY_ENDPOINT; // the RDS Proxy endpoint
const port = Number(process.env.DB_PORT ?? 5432);
const username = process.env.DB_USER;

const signer = new Signer({ hostname: host, port, username });

// Module scope: created once per execution environment. postgres.js connects lazily, on the first query.
export const sql = postgres({
  host,
  port,
  username,
  database: process.env.DB_NAME,
  // IAM authentication: postgres.js calls this for every new connection, so a token never goes stale.
  password: () => signer.getAuthToken(),
  ssl: { rejectUnauthorized: true },
  max: 1,
  // Seconds. Below the proxy's idle client timeout (30 min by default) and its 24-hour connection limit.
  idle_timeout: 300,
  max_lifetime: 60 * 60,
  connect_timeout: 5,
  // Unnamed statements only: named prepared statements may pin the session behind RDS Proxy.
  prepare: false,
});
