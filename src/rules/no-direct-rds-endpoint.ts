import { AST_NODE_TYPES } from '@typescript-eslint/types';
import { createRule } from '../util/create-rule.js';
import { isLambdaFile } from '../core/analysis.js';
import { asFix, recordOutcome } from '../core/fix/plan.js';
import { planProxyEndpoint } from '../core/fix/proxy-endpoint.js';
import { readSettings } from '../core/settings.js';
import {
  ENDPOINT_DESCRIPTIONS,
  HOLE,
  displayText,
  fileStrings,
  getConnectionConfigs,
  getSettingsObjects,
  isTypeOrKeyPosition,
  staticText,
  locate,
  mayContainRdsHostname,
  ReportedLocations,
  reportLocation,
  scanHostnames,
  valueText,
  type HostnameHit,
  type StaticText,
} from '../core/config/index.js';

export type Options = [{ allowedHosts?: string[] }];
export type MessageIds = 'directEndpoint' | 'suggestProxyEndpoint';

export default createRule<Options, MessageIds>({
  name: 'no-direct-rds-endpoint',
  meta: {
    type: 'problem',
    defaultOptions: [{ allowedHosts: [] }],
    docs: {
      description: 'Disallow connecting Lambda code straight to an RDS instance or Aurora cluster endpoint instead of an RDS Proxy',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [
      {
        type: 'object',
        properties: {
          allowedHosts: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            uniqueItems: true,
            description:
              'Hostnames that are not reported, matched case-insensitively; `*` matches any run of characters (for example `*.cluster-ro-abc123.us-east-1.rds.amazonaws.com`).',
          },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      directEndpoint:
        '`{{host}}` is {{kind}}: Lambda code that connects to it directly bypasses RDS Proxy, so every execution environment holds its own database connections (bursts exhaust `max_connections`) and a failover drops them. Connect through the RDS Proxy endpoint instead, for example from `process.env.DB_PROXY_ENDPOINT`.',
      suggestProxyEndpoint: 'Read the RDS Proxy endpoint from `process.env.{{envVar}}` instead.',
    },
  },
  create(context, [options]) {
    const sourceCode = context.sourceCode;
    if (!mayContainRdsHostname(sourceCode.text)) return {};
    const allowed = (options.allowedHosts ?? []).map(normaliseHost);
    const { proxyEndpointEnvVar: envVar } = readSettings(context.settings);

    const reported = new ReportedLocations();
    const scanned = new Map<string, HostnameHit[]>();
    function check(text: StaticText): void {
      let hits = scanned.get(text.text);
      if (!hits) {
        hits = scanHostnames(text.text);
        scanned.set(text.text, hits);
      }
      // One report per endpoint per string: repeated mentions in one text are the same finding.
      const seen = new Set<string>();
      for (const hit of hits) {
        if (!hit.classification.direct) continue;
        const host = normaliseHost(hit.host);
        if (seen.has(host)) continue;
        seen.add(host);
        if (!hit.host.includes(HOLE) && allowed.some((pattern) => globMatch(pattern, normaliseHost(hit.host)))) continue;
        const location = locate(text, hit.start, hit.end);
        if (!reported.add(location.node, location.range)) continue;
        const outcome = planProxyEndpoint(context, text, { ...hit, host: displayText(hit.host) }, envVar);
        recordOutcome(sourceCode, 'no-direct-rds-endpoint', location.range?.[0] ?? location.node.range[0], outcome);
        context.report({
          ...reportLocation(sourceCode, location.node, location.range),
          messageId: 'directEndpoint',
          data: { host: displayText(hit.host), kind: ENDPOINT_DESCRIPTIONS[hit.classification.kind] },
          suggest: outcome.ok ? [{ messageId: 'suggestProxyEndpoint', data: { envVar }, fix: asFix(outcome.plan) }] : [],
        });
      }
    }

    return {
      'Program:exit'() {
        if (isLambdaFile(context)) {
          // Lambda code: every string, template and concatenation of the file (never comments). This covers the
          // file's driver configurations too, constants and env fallbacks included.
          for (const text of fileStrings(sourceCode)) {
            if (text.node.type === AST_NODE_TYPES.Literal && isTypeOrKeyPosition(text.node)) continue;
            check(text);
          }
          return;
        }
        // Other files: driver configurations, through constants and env fallbacks: host keys and URIs.
        for (const config of getConnectionConfigs(context)?.configs ?? []) {
          for (const setting of config.get('host')) {
            const text = valueText(setting.value);
            if (text) check(text);
          }
          for (const uri of config.uris) check(uri.text);
        }
        // Host-like keys of any object: configuration modules Lambda code reads (`RDS_HOSTNAME: '…'`, `dbHost`),
        // knex-style settings handed to a library, environment blocks.
        for (const { value } of getSettingsObjects(context).hosts) {
          const text = staticText(value);
          if (text) check(text);
        }
      },
    };
  },
});


/** Lower case, without a trailing dot. */
function normaliseHost(host: string): string {
  const lower = host.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** Wildcard match where `*` matches any run of characters; linear backtracking to the last `*` only. */
function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}
