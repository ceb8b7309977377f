import type { APIGatewayProxyHandlerV2 } from 'aws-lambda';
import { pool } from './db.js';

// GET /orders/{id}
export const handler: APIGatewayProxyHandlerV2 = async (event) => {
  // `pool.query()` checks a connection out and returns it; the pool stays open for the next invocation.
  const { rows } = await pool.query('SELECT id, status, total_cents FROM orders.orders WHERE id = $1', [
    event.pathParameters?.id,
  ]);

  if (rows.length === 0) return { statusCode: 404, body: JSON.stringify({ message: 'Not found' }) };
  return { statusCode: 200, body: JSON.stringify(rows[0]) };
};
