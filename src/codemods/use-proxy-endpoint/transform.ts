/**
 * `use-proxy-endpoint`: applies the fixes `no-direct-rds-endpoint` suggests: every direct RDS / Aurora hostname
 * becomes the RDS Proxy endpoint from an environment variable (`--env-var`, default `DB_PROXY_ENDPOINT`), and in
 * stack code a database endpoint in a function's environment becomes the endpoint of the stack's RDS Proxy for that
 * database. The report lists every replaced hostname, so the variable can be set to the proxy that fronts it. The
 * fixes are planned in src/core/fix/proxy-endpoint.ts and stack-proxy-endpoint.ts. See
 * docs/codemods/use-proxy-endpoint.md.
 */
import { mayContainRdsHostname } from '../../core/config/hosts.js';
import { mentionsIacModule } from '../../core/iac/catalogue.js';
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
  prefilter: (source) => mayContainRdsHostname(source) || mentionsIacModule(source),
  skipReason: 'mentions no RDS hostname and is no CDK or Pulumi stack',
  validateOptions(options) {
    const name = envVar(options);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new Error(`--env-var must be an environment variable name (letters, digits, _), got '${name}'`);
    }
  },
  ruleSettings: (options) => ({ 'lambda-rds': { proxyEndpointEnvVar: envVar(options) } }),
});
