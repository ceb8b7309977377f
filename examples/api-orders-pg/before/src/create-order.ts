import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import pg from 'pg';

// One client for the whole file, opened "once"... inside the handler.
const client = new pg.Client({
  host: 'orders-db.cluster-c9akciq32lce.eu-west-1.rds.amazonaws.com',
  user: 'orders_app',
  password: 'example-not-a-real-password',
  database: 'orders',
});

interface NewOrder {
  customerId: string;
  items: Array<{ sku: string; quantity: number }>;
}

// POST /orders
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  const order = JSON.parse(event.body ?? '{}') as NewOrder;

  // Works on a cold start; the next invocation in the same execution environment throws
  // "Client has already been connected. You cannot reuse a client."
  await client.connect();
  await client.query("SET search_path TO orders, public");

  await client.query('BEGIN');
  const { rows } = await client.query<{ id: string }>(
    'INSERT INTO orders (customer_id, status) VALUES ($1, $2) RETURNING id',
    [order.customerId, 'NEW'],
  );
  for (const item of order.items) {
    await client.query('INSERT INTO order_items (order_id, sku, quantity) VALUES ($1, $2, $3)', [
      rows[0]!.id,
      item.sku,
      item.quantity,
    ]);
  }
  await client.query('COMMIT');

  return { statusCode: 201, body: JSON.stringify({ id: rows[0]!.id }) };
}
