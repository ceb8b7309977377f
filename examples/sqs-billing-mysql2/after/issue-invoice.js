'use strict';

const { inTransaction } = require('./db');

async function issueInvoice(invoice) {
  await inTransaction(async (conn) => {
    const [result] = await conn.query('INSERT INTO invoices (customer_id, amount_cents) VALUES (?, ?)', [
      invoice.customerId,
      invoice.amountCents,
    ]);
    await conn.query('INSERT INTO invoice_events (invoice_id, type) VALUES (?, ?)', [result.insertId, 'ISSUED']);
  });
}

module.exports.handler = async (event) => {
  for (const record of event.Records) {
    await issueInvoice(JSON.parse(record.body));
  }
  // No `end()`: the pool belongs to the execution environment, not to this invocation.
};
