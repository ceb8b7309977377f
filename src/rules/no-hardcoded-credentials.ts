import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { createRule } from '../util/create-rule.js';
import { planIamAuth } from '../core/fix/iam-auth.js';
import { asFix, recordOutcome, type PlanOutcome } from '../core/fix/plan.js';
import {
  HOLE,
  fileStrings,
  findDatabaseUris,
  getConnectionConfigs,
  getSettingsObjects,
  locate,
  mentionsDatabaseUri,
  ReportedLocations,
  reportLocation,
  type ConfigSetting,
  type ParsedUri,
  type ResolvedConfig,
  passwordSettings,
  settingsObjectConfig,
} from '../core/config/index.js';
import { getStackAnalysis, mayHoldStackPassword, mentionsStackModule, stackPasswords, type StackPassword } from '../core/iac/index.js';

export type Options = [];
export type MessageIds = 'hardcodedPassword' | 'passwordInUri' | 'passwordInEnvironment' | 'passwordInStack' | 'suggestIamAuth';

const NOT_A_DRIVER_CONFIG: PlanOutcome = {
  ok: false,
  reason:
    'the password is in a settings object that no driver call in this file reads, and the object does not name its library (knex `client`, Sequelize `dialect`, TypeORM `type`); fix it where the connection is made',
};

const IN_STACK: PlanOutcome = {
  ok: false,
  reason: 'the password is in stack code (CDK or Pulumi); the iam-auth codemod changes the code that connects',
};

const IN_URI: PlanOutcome = {
  ok: false,
  reason: 'the password is inside a connection URI; set `host`, `user` and the other settings as separate keys first',
};

/** Cheap test of the raw text before looking for database URIs anywhere in a file. */

/**
 * Values a deployment tool substitutes (`${DB_PASSWORD}`, `{{password}}`, `$DB_PASSWORD` in a plain string): not a
 * password written in the code. Anchored, with a single bounded class each: linear.
 */
const PLACEHOLDER = /^(?:\$\{[^{}]*\}|\{\{[^{}]*\}\}|\$[A-Z_][A-Z0-9_]*)$/;

export default createRule<Options, MessageIds>({
  name: 'no-hardcoded-credentials',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow database passwords written in the source code',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      hardcodedPassword: 'The password in {{where}} is hard-coded; use IAM authentication or AWS Secrets Manager.',
      passwordInUri: 'This {{uri}} contains a hard-coded password; use IAM authentication or AWS Secrets Manager.',
      suggestIamAuth:
        'Authenticate with RDS IAM tokens from a module-scope `Signer` instead, a fresh one for each new connection, with TLS on.',
      passwordInEnvironment:
        "`{{key}}` gets a database password written in the code: pass the ARN of a Secrets Manager secret and read it at start-up.",
      passwordInStack: '{{where}} is a database password in the code: {{fix}}.',
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    const text = sourceCode.text;
    const files = getConnectionConfigs(context);
    const scanUris = mentionsDatabaseUri(text);
    const stack = mentionsStackModule(context) && mayHoldStackPassword(text) ? getStackAnalysis(context) : null;
    // Database settings written outside a driver call: a configuration module, a knex-style object, an environment block.
    const settings = getSettingsObjects(context).passwords;
    if (!files && !scanUris && !stack && settings.length === 0) return {};

    // One report per secret: a literal reached from several configs, or a URI password found both in a config
    // and by the file-wide scan, is reported once.
    const reported = new ReportedLocations();
    function report(
      node: TSESTree.Node,
      range: readonly [number, number] | undefined,
      messageId: MessageIds,
      data: Record<string, string>,
      outcome: () => PlanOutcome,
    ): void {
      if (!reported.add(node, range)) return;
      const location = reportLocation(sourceCode, node, range);
      const planned = outcome();
      recordOutcome(sourceCode, 'no-hardcoded-credentials', range?.[0] ?? node.range[0], planned);
      context.report({
        ...location,
        messageId,
        data,
        suggest: planned.ok ? [{ messageId: 'suggestIamAuth', fix: asFix(planned.plan) }] : [],
      });
    }

    /** The configs each literal password reaches (a constant may serve several), in source order. */
    const literals = new Map<TSESTree.Node, { configs: ResolvedConfig[]; where: string }>();

    function checkSetting(config: ResolvedConfig, setting: ConfigSetting): void {
      const value = setting.value;
      switch (value.kind) {
        case 'literal':
        case 'template': {
          // Templates: static parts only; interpolations are not hard-coded passwords.
          const hardcoded =
            value.kind === 'literal' ? isHardcoded(value.value) : !value.text.text.includes(HOLE) && isHardcoded(value.text.text);
          if (!hardcoded) return;
          const known = literals.get(value.node);
          if (known) {
            if (!known.configs.includes(config)) known.configs.push(config);
          } else literals.set(value.node, { configs: [config], where: where(config, setting) });
          return;
        }
        case 'uri-part':
          if (value.known && isHardcoded(value.span.text)) {
            const location = locate(value.uri.text, value.span.start, value.span.end);
            report(location.node, location.range, 'passwordInUri', { uri: describeUri(value.uri.parsed) }, () => IN_URI);
          }
          return;
        default:
          return;
      }
    }

    /** Stack code: a Lambda function's environment, a database construct's master password. */
    function reportStackPassword(password: StackPassword): void {
      if (password.where === 'environment') {
        report(password.node, undefined, 'passwordInEnvironment', { key: password.key }, () => IN_STACK);
        return;
      }
      report(password.node, undefined, 'passwordInStack', {
        where: password.where === 'prop' ? `\`${password.key}\` of this \`${password.label}\`` : `The password of \`${password.label}\``,
        fix:
          password.tool === 'pulumi'
            ? 'use `manageMasterUserPassword: true` or a config secret'
            : password.label.includes('.Cfn')
              ? 'use `manageMasterUserPassword: true` instead'
              : 'use `Credentials.fromGeneratedSecret()`',
      }, () => IN_STACK);
    }

    return {
      'Program:exit'() {
        if (stack) for (const password of stackPasswords(stack)) reportStackPassword(password);
        for (const config of files?.configs ?? []) {
          for (const setting of passwordSettings(config)) checkSetting(config, setting);
        }
        for (const [node, { configs, where: place }] of literals) {
          report(node, undefined, 'hardcodedPassword', { where: place }, () => planIamAuth(context, configs));
        }
        for (const setting of settings) {
          const { key, value } = setting;
          const literal = value.type === AST_NODE_TYPES.Literal ? value.value : value.expressions.length === 0 ? value.quasis[0]?.value.cooked : undefined;
          if (isHardcoded(literal)) {
            report(value, undefined, 'hardcodedPassword', { where: `\`${key}\` of a database settings object` }, () => {
              // No call in the file reads the object; one that names its library is fixed as that library reads it.
              const config = settingsObjectConfig(sourceCode, setting);
              return config ? planIamAuth(context, [config]) : NOT_A_DRIVER_CONFIG;
            });
          }
        }
        if (!scanUris) return;
        for (const string of fileStrings(sourceCode)) {
          if (!string.text.includes('://')) continue;
          // One report per password per string: repeated URIs in one text are the same finding.
          const seen = new Set<string>();
          for (const uri of findDatabaseUris(string.text)) {
            const password = uri.password;
            if (!password || password.text.includes(HOLE) || !isHardcoded(password.text)) continue;
            if (seen.has(password.text)) continue;
            seen.add(password.text);
            const location = locate(string, password.start, password.end);
            report(location.node, location.range, 'passwordInUri', { uri: describeUri(uri) }, () => IN_URI);
          }
        }
      },
    };
  },
});

function isHardcoded(value: unknown): boolean {
  if (typeof value === 'number' || typeof value === 'bigint') return true;
  return typeof value === 'string' && value.length > 0 && !PLACEHOLDER.test(value);
}

/** "`password` of pg `Pool`", never the value itself. */
function where(config: ResolvedConfig, setting: ConfigSetting): string {
  const driver = config.site.label;
  if (setting.entry.kind === 'argument' && setting.key.startsWith('#')) return `an argument of ${driver}`;
  return `\`${setting.key}\` of ${driver}`;
}

function describeUri(uri: ParsedUri): string {
  if (uri.format === 'ado') return 'SQL Server connection string';
  return `\`${uri.scheme ?? 'database'}://\` connection URI`;
}
