'use strict';

const mysql = require('mysql2/promise');

// Consumes the `payments` queue: one message per captured payment.
exports.handler = async (event) => {
  const connection = await mysql.createConnection({
    host: 'billing.cluster-c9akciq32lce.us-east-1.rds.amazonaws.com',
    user: 'admin',
    password: 'example-password-123',
    database: 'billing',
  });
  await connection.query("SET time_zone = '+00:00'");

  for (const record of event.Records) {
    const payment = JSON.parse(record.body);
    await connection.execute(
      'INSERT INTO payments (invoice_id, amount_cents, captured_at) VALUES (?, ?, ?)',
      [payment.invoiceId, payment.amountCents, new Date(payment.capturedAt)],
    );
    await connection.execute('UPDATE invoices SET status = ? WHERE id = ?', ['PAID', payment.invoiceId]);
  }

  await connection.end();
};
