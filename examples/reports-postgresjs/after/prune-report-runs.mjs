import { sql } from './db.mjs';

// Runs every Sunday (EventBridge schedule).
// The 60-second statement timeout is set on the database role (`ALTER ROLE reporter SET statement_timeout = '60s'`)
// instead of with a `SET` that would pin the session behind RDS Proxy.
export async function handler() {
  const deleted = await sql`DELETE FROM report_runs WHERE finished_at < now() - interval '90 days'`;
  console.log(`deleted ${deleted.count} old report runs`);
}
