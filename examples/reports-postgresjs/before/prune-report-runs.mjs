import postgres from 'postgres';

const connect = () =>
  postgres({
    host: 'reports-db.c9akciq32lce.eu-west-1.rds.amazonaws.com',
    username: 'reporter',
    password: 'example-not-a-real-password',
    database: 'reports',
    ssl: false,
  });

// Runs every Sunday (EventBridge schedule).
export async function handler() {
  const sql = connect();
  await sql`SET statement_timeout = '60s'`;
  const deleted = await sql`DELETE FROM report_runs WHERE finished_at < now() - interval '90 days'`;
  console.log(`deleted ${deleted.count} old report runs`);
  await sql.end({ timeout: 5 });
}
