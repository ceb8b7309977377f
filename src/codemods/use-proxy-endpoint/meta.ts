export const meta = {
  name: 'use-proxy-endpoint',
  description:
    "Replaces direct RDS instance and Aurora cluster hostnames with the RDS Proxy endpoint read from an environment variable (default DB_PROXY_ENDPOINT), and in CDK and Pulumi stacks a database's own endpoint in a function's environment with the endpoint of the stack's RDS Proxy for it.",
  rule: 'no-direct-rds-endpoint',
  /**
   * The rule's suggestions it applies: hostnames in Lambda code, and database endpoints wired into a function's
   * environment in stack code (CDK, Pulumi), where the fix names the stack's RDS Proxy for that database.
   */
  suggestions: ['suggestProxyEndpoint', 'suggestStackProxyEndpoint'],
} as const;

