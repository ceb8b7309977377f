export const meta = {
  name: 'use-proxy-endpoint',
  description:
    'Replaces direct RDS instance and Aurora cluster hostnames with the RDS Proxy endpoint read from an environment variable (default DB_PROXY_ENDPOINT).',
  rule: 'no-direct-rds-endpoint',
} as const;

