import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { Client } from 'pg';

// A small helper that every handler in the service copied: it opens a brand-new connection on every call.
async function getDb(): Promise<Client> {
  const db = new Client({
    connectionString: 'postgres://orders_app:example-not-a-real-password@orders-db.cluster-ro-c9akciq32lce.eu-west-1.rds.amazonaws.com:5432/orders',
  });
  await db.connect();
  return db;
}

// GET /orders?customerId=...
export const searchHandler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  const db = await getDb();
  try {
    const { rows } = await db.query(
      'SELECT id, status, created_at FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 50',
      [event.queryStringParameters?.customerId],
    );
    return { statusCode: 200, body: JSON.stringify(rows) };
  } finally {
    await db.end();
  }
};
