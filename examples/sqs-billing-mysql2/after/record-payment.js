'use strict';

const { inTransaction } = require('./db');

// Consumes the `payments` queue: one message per captured payment. Failed messages are reported back to SQS
// (ReportBatchItemFailures) so that only they are retried.
exports.handler = async (event) => {
  const batchItemFailures = [];

  for (const record of event.Records) {
    try {
      const payment = JSON.parse(record.body);
      // `query()` sends plain text queries; `execute()` would create server-side prepared statements,
      // which pin the session to one database connection behind RDS Proxy.
      await inTransaction(async (conn) => {
        await conn.query('INSERT INTO payments (invoice_id, amount_cents, captured_at) VALUES (?, ?, ?)', [
          payment.invoiceId,
          payment.amountCents,
          new Date(payment.capturedAt),
        ]);
        await conn.query('UPDATE invoices SET status = ? WHERE id = ?', ['PAID', payment.invoiceId]);
      });
    } catch (error) {
      console.error('payment failed', { messageId: record.messageId, error });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }

  return { batchItemFailures };
};
