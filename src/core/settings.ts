import type { Engine } from './drivers/catalogue.js';

/** `settings['lambda-rds']` in an ESLint config: shared by every rule. */
export interface LambdaRdsSettings {
  /** Extra export names that are Lambda handlers (beyond `handler` and `*Handler`). */
  readonly handlerNames: readonly string[];
  /** Engine to assume when the code does not say (used by engine-specific rules). */
  readonly engine?: Engine | undefined;
  /** The environment variable that holds the RDS Proxy endpoint, in fixes that read it (default `DB_PROXY_ENDPOINT`). */
  readonly proxyEndpointEnvVar: string;
  /**
   * Read beyond the file being linted (default true): deployment descriptors (Serverless, SAM / CloudFormation, CDK,
   * Amplify) for handlers and timeouts, imported modules and Lambda layers for what handlers call.
   */
  readonly project: boolean;
}

export const DEFAULT_PROXY_ENDPOINT_ENV_VAR = 'DB_PROXY_ENDPOINT';

export function readSettings(settings: Readonly<Record<string, unknown>> | undefined): LambdaRdsSettings {
  const raw = (settings?.['lambda-rds'] ?? {}) as Record<string, unknown>;
  const handlerNames = Array.isArray(raw.handlerNames)
    ? raw.handlerNames.filter((n): n is string => typeof n === 'string')
    : [];
  const engine =
    raw.engine === 'postgresql' || raw.engine === 'mysql' || raw.engine === 'sqlserver' ? raw.engine : undefined;
  const proxyEndpointEnvVar =
    typeof raw.proxyEndpointEnvVar === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(raw.proxyEndpointEnvVar)
      ? raw.proxyEndpointEnvVar
      : DEFAULT_PROXY_ENDPOINT_ENV_VAR;
  const project = raw.project !== false;
  return { handlerNames, engine, proxyEndpointEnvVar, project };
}
