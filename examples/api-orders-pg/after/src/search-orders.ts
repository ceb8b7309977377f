import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { pool } from './db.js';

// GET /orders?customerId=...
export const searchHandler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  const { rows } = await pool.query(
    'SELECT id, status, created_at FROM orders.orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 50',
    [event.queryStringParameters?.customerId],
  );
  return { statusCode: 200, body: JSON.stringify(rows) };
};
