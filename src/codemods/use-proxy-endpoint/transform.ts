/**
 * `use-proxy-endpoint`: replaces the direct RDS / Aurora hostnames `no-direct-rds-endpoint` reports with the RDS
 * Proxy endpoint from an environment variable (`--env-var`, default `DB_PROXY_ENDPOINT`). The report lists every
 * replaced hostname, so the variable can be set to the proxy that fronts it. See docs/codemods/use-proxy-endpoint.md.
 */
import { mayContainRdsHostname } from '../../core/config/hosts.js';
import { createTransformer } from '../shared/runner.js';
import type { CodemodOptions } from '../shared/report.js';
import { DEFAULT_ENV_VAR, meta } from './meta.js';
import { findHosts } from './steps/findHosts.js';
import { replaceHost } from './steps/replaceHost.js';

function envVar(options: CodemodOptions): string {
  const value = options.envVar ?? options['env-var'];
  return typeof value === 'string' && value ? value : DEFAULT_ENV_VAR;
}

export default createTransformer({
  meta,
  prefilter: mayContainRdsHostname,
  skipReason: 'mentions no RDS hostname',
  validateOptions(options) {
    const name = envVar(options);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new Error(`--env-var must be an environment variable name (letters, digits, _), got '${name}'`);
    }
  },
  targets: findHosts,
  plan: (ctx, target, options) => replaceHost(ctx, target, envVar(options)),
});
