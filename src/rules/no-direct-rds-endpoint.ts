import { AST_NODE_TYPES } from '@typescript-eslint/types';
import { contains } from '../core/ast/nodes.js';
import { createRule } from '../util/create-rule.js';
import { isLambdaFile } from '../core/analysis.js';
import { asFix, recordOutcome } from '../core/fix/plan.js';
import { planProxyEndpoint } from '../core/fix/proxy-endpoint.js';
import { planStackProxyEndpoint } from '../core/fix/stack-proxy-endpoint.js';
import { getStackAnalysis, mentionsStackModule, type EndpointRef, type StackAnalysis } from '../core/iac/index.js';
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
export type MessageIds = 'directEndpoint' | 'suggestProxyEndpoint' | 'directEndpointInStack' | 'suggestStackProxyEndpoint';

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
      directEndpoint: '`{{host}}` is {{kind}}; connect through RDS Proxy.',
      suggestProxyEndpoint: 'Read the RDS Proxy endpoint from `process.env.{{envVar}}` instead.',
      directEndpointInStack:
        "`{{key}}` gets {{endpoint}}, so this function bypasses RDS Proxy: give it an RDS Proxy's `endpoint` instead.",
      suggestStackProxyEndpoint: 'Use `{{proxy}}`, the RDS Proxy that targets this database.',
    },
  },
  create(context, [options]) {
    const sourceCode = context.sourceCode;
    const hostnames = mayContainRdsHostname(sourceCode.text);
    const stackCode = mentionsStackModule(context);
    if (!hostnames && !stackCode) return {};
    const allowed = (options.allowedHosts ?? []).map(normaliseHost);
    const { proxyEndpointEnvVar: envVar } = readSettings(context.settings);

    const reported = new ReportedLocations();
    const scanned = new Map<string, HostnameHit[]>();
    function check(text: StaticText, suggest = true): void {
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
        // In stack code the environment is the deploying machine's, not the function's: no `process.env` suggestion.
        const outcome = suggest
          ? planProxyEndpoint(context, text, { ...hit, host: displayText(hit.host) }, envVar)
          : ({ ok: false, reason: 'the hostname is in stack code, where no RDS Proxy construct is known for it' } as const);
        recordOutcome(sourceCode, 'no-direct-rds-endpoint', location.range?.[0] ?? location.node.range[0], outcome);
        context.report({
          ...reportLocation(sourceCode, location.node, location.range),
          messageId: 'directEndpoint',
          data: { host: displayText(hit.host), kind: ENDPOINT_DESCRIPTIONS[hit.classification.kind] },
          suggest: outcome.ok ? [{ messageId: 'suggestProxyEndpoint', data: { envVar }, fix: asFix(outcome.plan) }] : [],
        });
      }
    }

    /** Stack code: the environment of each Lambda function of a CDK or Pulumi stack. */
    function checkStack(stack: StackAnalysis): void {
      for (const fn of stack.functions) {
        for (const variable of fn.environment) {
          for (const ref of variable.endpoints) {
            if (!ref.direct) continue;
            const node = contains(variable.expression, ref.node) ? ref.node : variable.expression;
            if (!reported.add(node, undefined)) continue;
            const outcome = planStackProxyEndpoint(context, stack, variable, ref);
            recordOutcome(sourceCode, 'no-direct-rds-endpoint', node.range[0], outcome);
            context.report({
              node,
              messageId: 'directEndpointInStack',
              data: { key: variable.key, endpoint: STACK_ENDPOINTS[ref.kind] ?? 'a database endpoint' },
              suggest: outcome.ok
                ? [{ messageId: 'suggestStackProxyEndpoint', data: { proxy: outcome.plan.edits[0]!.text }, fix: asFix(outcome.plan) }]
                : [],
            });
          }
          // A hostname written in the stack (also through constants and `process.env` fallbacks).
          if (!hostnames) continue;
          for (const value of variable.values) {
            const text = valueText(value);
            if (text) check(text, false);
          }
        }
      }
    }

    return {
      'Program:exit'() {
        const stack = stackCode ? getStackAnalysis(context) : null;
        if (stack) checkStack(stack);
        if (!hostnames) return;
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

/** How messages name the endpoints a stack reads from database constructs. */
const STACK_ENDPOINTS: Partial<Record<EndpointRef['kind'], string>> = {
  instance: 'a DB instance endpoint',
  'cluster-writer': 'a cluster (writer) endpoint',
  'cluster-reader': 'a cluster reader endpoint',
  'cluster-custom': 'a cluster custom endpoint',
};

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
