import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { createRule } from '../util/create-rule.js';
import {
  HOLE,
  fileStrings,
  findDatabaseUris,
  getConnectionConfigs,
  getSettingsObjects,
  locate,
  ReportedLocations,
  reportLocation,
  type ConfigSetting,
  type ParsedUri,
  type ResolvedConfig,
  passwordSettings,
} from '../core/config/index.js';

export type Options = [];
export type MessageIds = 'hardcodedPassword' | 'passwordInUri';

/** Cheap test of the raw text before looking for database URIs anywhere in a file. */
const URI_HINT = /(?:pg|postgres|mysql|mariadb|mssql|sqlserver)[a-z0-9+]{0,20}:\/\//i;

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
    schema: [],
    messages: {
      hardcodedPassword:
        'The database password {{where}} is written in the source code: everyone who can read the repository or the deployment package has it, and rotating it takes a redeploy. Use IAM database authentication (`lambda-rds migrate iam-auth`) or read the password from AWS Secrets Manager at initialisation.',
      passwordInUri:
        'This {{uri}} contains a database password: everyone who can read the repository or the deployment package has it, and rotating it takes a redeploy. Use IAM database authentication (`lambda-rds migrate iam-auth`) or build the URI from a password read from AWS Secrets Manager at initialisation.',
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    const text = sourceCode.text;
    const files = getConnectionConfigs(context);
    const scanUris = text.includes('://') && URI_HINT.test(text);
    // Database settings written outside a driver call: a configuration module, a knex-style object, an environment block.
    const settings = getSettingsObjects(context).passwords;
    if (!files && !scanUris && settings.length === 0) return {};

    // One report per secret: a literal reached from several configs, or a URI password found both in a config
    // and by the file-wide scan, is reported once.
    const reported = new ReportedLocations();
    function report(
      node: TSESTree.Node,
      range: readonly [number, number] | undefined,
      messageId: MessageIds,
      data: Record<string, string>,
    ): void {
      if (reported.add(node, range)) context.report({ ...reportLocation(sourceCode, node, range), messageId, data });
    }

    function checkSetting(config: ResolvedConfig, setting: ConfigSetting): void {
      const value = setting.value;
      switch (value.kind) {
        case 'literal':
          if (isHardcoded(value.value)) report(value.node, undefined, 'hardcodedPassword', { where: where(config, setting) });
          return;
        case 'template':
          // Static parts only: interpolations are not hard-coded passwords.
          if (!value.text.text.includes(HOLE) && isHardcoded(value.text.text)) {
            report(value.node, undefined, 'hardcodedPassword', { where: where(config, setting) });
          }
          return;
        case 'uri-part':
          if (value.known && isHardcoded(value.span.text)) {
            const location = locate(value.uri.text, value.span.start, value.span.end);
            report(location.node, location.range, 'passwordInUri', { uri: describeUri(value.uri.parsed) });
          }
          return;
        default:
          return;
      }
    }

    return {
      'Program:exit'() {
        for (const config of files?.configs ?? []) {
          for (const setting of passwordSettings(config)) checkSetting(config, setting);
        }
        for (const { key, value } of settings) {
          const literal = value.type === AST_NODE_TYPES.Literal ? value.value : value.expressions.length === 0 ? value.quasis[0]?.value.cooked : undefined;
          if (isHardcoded(literal)) report(value, undefined, 'hardcodedPassword', { where: `\`${key}\` of a database settings object` });
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
            report(location.node, location.range, 'passwordInUri', { uri: describeUri(uri) });
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

/** "`password` of the pg `Pool` configuration", never the value itself. */
function where(config: ResolvedConfig, setting: ConfigSetting): string {
  const driver = config.site.label;
  if (setting.entry.kind === 'argument' && setting.key.startsWith('#')) return `passed as an argument of ${driver}`;
  return `\`${setting.key}\` of the ${driver} configuration`;
}

function describeUri(uri: ParsedUri): string {
  if (uri.format === 'ado') return 'SQL Server connection string';
  return `\`${uri.scheme ?? 'database'}://\` connection URI`;
}
