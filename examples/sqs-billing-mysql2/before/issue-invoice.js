'use strict';

const { createPool } = require('mysql2/promise');

function getDb() {
  // "It's a pool, so it's fine": a new pool of up to 10 connections on every message batch.
  return createPool({
    uri: 'mysql://billing_app:example-password-123@billing-instance-1.c9akciq32lce.us-east-1.rds.amazonaws.com:3306/billing',
    connectionLimit: 10,
  });
}

async function issueInvoice(db, invoice) {
  const conn = await db.getConnection();
  await conn.beginTransaction();
  const [result] = await conn.query('INSERT INTO invoices (customer_id, amount_cents) VALUES (?, ?)', [
    invoice.customerId,
    invoice.amountCents,
  ]);
  await conn.query('INSERT INTO invoice_events (invoice_id, type) VALUES (?, ?)', [result.insertId, 'ISSUED']);
  await conn.commit();
  // Forgot `conn.release()` on the error path.
  conn.release();
}

module.exports.handler = async (event) => {
  const db = getDb();
  for (const record of event.Records) {
    await issueInvoice(db, JSON.parse(record.body));
  }
  await db.end();
};
