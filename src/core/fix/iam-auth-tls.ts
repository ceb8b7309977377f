/**
 * TLS for a config that now sends an IAM token (domain notes §3.3, §3.4): a token must never cross the network in
 * clear text, and RDS Proxy refuses IAM authentication without TLS.
 *
 * - No TLS setting: TLS goes on with certificate verification against Node.js's own trusted roots, which include
 *   the Amazon Trust Services roots of RDS Proxy certificates. Never a `ca`: an RDS CA bundle as `ca` replaces those
 *   roots and breaks the proxy handshake. A literal direct RDS endpoint (whose certificate needs the RDS CA bundle)
 *   is refused, with the reason.
 * - TLS turned off or optional (`ssl: false`, `sslmode=disable|prefer`): refused, with the reason.
 * - Any other TLS setting: kept as it is (`require-tls` reports unverified ones).
 */
import { classifyHost, valueText, type ResolvedConfig } from '../config/index.js';
import { Refusal } from './plan.js';

const OFF = new Set(['false', 'disable', 'disabled', '0', 'allow', 'prefer', 'preferred']);

/** Whether TLS must be added; throws a `Refusal` when the config turns it off or needs the RDS CA bundle. */
export function needsTls(config: ResolvedConfig): boolean {
  const hosts = config.get('host').map((s) => {
    const host = valueText(s.value)?.text;
    return host === undefined ? undefined : classifyHost(host);
  });
  if (hosts.some((h) => h?.kind === 'dsql')) throw new Refusal('Aurora DSQL signs tokens with @aws-sdk/dsql-signer, not the RDS signer');
  const ssl = config.get('ssl');
  for (const setting of ssl) {
    const value = setting.value;
    const leaf = setting.key.split('.').pop();
    let text: string | undefined;
    if (value.kind === 'literal') text = String(value.value).toLowerCase();
    else if (value.kind === 'uri-part' && value.known) text = value.span.text.toLowerCase();
    if (text === undefined) continue;
    if ((leaf === 'ssl' || leaf === 'sslmode' || value.kind === 'uri-part') && OFF.has(text)) {
      throw new Refusal(
        'TLS is turned off or optional for this connection, and an IAM token must not cross the network in clear text (RDS Proxy refuses it): turn TLS on first',
      );
    }
  }
  if (ssl.length > 0) return false;
  if (hosts.some((h) => h?.direct)) {
    throw new Refusal(
      'the host is a direct RDS endpoint, whose certificate Node.js only trusts with the RDS CA bundle: connect through RDS Proxy (`lambda-rds migrate use-proxy-endpoint`) or turn TLS on with the bundle first',
    );
  }
  return true;
}

/** The driver's own way of writing "TLS on, certificate verified" (postgres.js takes a mode string). */
export function tlsProperty(config: ResolvedConfig): string {
  return config.site.driver.id === 'postgres' ? "ssl: 'verify-full'" : 'ssl: { rejectUnauthorized: true }';
}
