import { Signer } from '@aws-sdk/rds-signer';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';
import { Pool } from 'pg';

const host = process.env.DB_PROXY_ENDPOINT!; // the RDS Proxy endpoint
const port = Number(process.env.DB_PORT ?? 5432);
const user = process.env.DB_USER!;

const signer = new Signer({ hostname: host, port, username: user });

// Prisma 7 talks to PostgreSQL through the pg driver adapter, so the pool settings are pg's. Created once per
// execution environment; Prisma opens the first connection on the first query.
const pool = new Pool({
  host,
  port,
  user,
  // IAM authentication: a fresh 15-minute token for every new physical connection.
  password: () => signer.getAuthToken(),
  database: process.env.DB_NAME,
  ssl: { rejectUnauthorized: true },
  max: 1,
  idleTimeoutMillis: 5 * 60_000,
  connectionTimeoutMillis: 5_000,
});

export const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
