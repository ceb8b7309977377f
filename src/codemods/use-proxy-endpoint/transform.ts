/**
 * `use-proxy-endpoint`: applies the fix `no-direct-rds-endpoint` suggests for every direct RDS / Aurora hostname:
 * the RDS Proxy endpoint from an environment variable (`--env-var`, default `DB_PROXY_ENDPOINT`). The report lists
 * every replaced hostname, so the variable can be set to the proxy that fronts it. The fix itself is planned in
 * src/core/fix/proxy-endpoint.ts. See docs/codemods/use-proxy-endpoint.md.
 */
import { mayContainRdsHostname } from '../../core/config/hosts.js';
import { DEFAULT_PROXY_ENDPOINT_ENV_VAR } from '../../core/settings.js';
import { createTransformer } from '../shared/runner.js';
import type { CodemodOptions } from '../shared/report.js';
import { meta } from './meta.js';

function envVar(options: CodemodOptions): string {
  const value = options.envVar ?? options['env-var'];
  return typeof value === 'string' && value ? value : DEFAULT_PROXY_ENDPOINT_ENV_VAR;
}

export default createTransformer({
  meta,
  suggestions: ['suggestProxyEndpoint'],
  prefilter: mayContainRdsHostname,
  skipReason: 'mentions no RDS hostname',
  validateOptions(options) {
    const name = envVar(options);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new Error(`--env-var must be an environment variable name (letters, digits, _), got '${name}'`);
    }
  },
  ruleSettings: (options) => ({ 'lambda-rds': { proxyEndpointEnvVar: envVar(options) } }),
});
