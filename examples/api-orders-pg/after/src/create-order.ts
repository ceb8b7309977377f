import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { inTransaction } from './db.js';

interface NewOrder {
  customerId: string;
  items: Array<{ sku: string; quantity: number }>;
}

// POST /orders
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  const order = JSON.parse(event.body ?? '{}') as NewOrder;

  // Schema-qualified names instead of `SET search_path`: a `SET` would pin the session to one database
  // connection behind RDS Proxy for the life of this execution environment.
  const id = await inTransaction(async (client) => {
    const { rows } = await client.query<{ id: string }>(
      'INSERT INTO orders.orders (customer_id, status) VALUES ($1, $2) RETURNING id',
      [order.customerId, 'NEW'],
    );
    const orderId = rows[0]!.id;
    for (const item of order.items) {
      await client.query('INSERT INTO orders.order_items (order_id, sku, quantity) VALUES ($1, $2, $3)', [
        orderId,
        item.sku,
        item.quantity,
      ]);
    }
    return orderId;
  });

  return { statusCode: 201, body: JSON.stringify({ id }) };
}
