import type { APIGatewayProxyHandlerV2 } from 'aws-lambda';
import { Pool } from 'pg';

// GET /orders/{id}
export const handler: APIGatewayProxyHandlerV2 = async (event) => {
  const pool = new Pool({
    host: 'orders-db.cluster-c9akciq32lce.eu-west-1.rds.amazonaws.com',
    port: 5432,
    user: 'orders_app',
    password: 'example-not-a-real-password',
    database: 'orders',
    ssl: { rejectUnauthorized: false },
    max: 20,
  });

  const { rows } = await pool.query('SELECT id, status, total_cents FROM orders WHERE id = $1', [
    event.pathParameters?.id,
  ]);
  await pool.end();

  if (rows.length === 0) return { statusCode: 404, body: JSON.stringify({ message: 'Not found' }) };
  return { statusCode: 200, body: JSON.stringify(rows[0]) };
};
