import postgres from 'postgres';

// Runs every night at 02:00 UTC (EventBridge schedule).
export const handler = async (event) => {
  const sql = postgres(
    'postgres://reporter:example-not-a-real-password@reports-db.c9akciq32lce.eu-west-1.rds.amazonaws.com:5432/reports',
  );

  const day = event.time ? new Date(event.time) : new Date();
  const [report] = await sql`
    INSERT INTO daily_sales (day, orders, revenue_cents)
    SELECT ${day}::date, count(*), coalesce(sum(total_cents), 0)
    FROM orders
    WHERE created_at >= ${day}::date - interval '1 day' AND created_at < ${day}::date
    RETURNING day, orders, revenue_cents
  `;
  console.log('daily report', report);

  await sql.end();
  return report;
};
