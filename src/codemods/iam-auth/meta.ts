import { MYSQL2_MODULE, MYSQL2_VERSION, MYSQL_MODULE, SIGNER_MODULE, SIGNER_VERSION } from '../../core/fix/iam-auth-packages.js';

export { SIGNER_MODULE, SIGNER_VERSION };

export const meta = {
  name: 'iam-auth',
  description:
    'Replaces database passwords (literals, environment reads) with RDS IAM authentication tokens from a module-scope `Signer` of @aws-sdk/rds-signer, fetched for each new connection the driver opens, and turns TLS on (mysql becomes mysql2).',
  /** The rule whose findings this codemod fixes (it also rewrites passwords read from the environment, which no rule reports). */
  rule: 'no-hardcoded-credentials',
  /** The rule's suggestions it applies. */
  suggestions: ['suggestIamAuth'],
  /** Packages the changed code imports, with the version range `lambda-rds migrate` adds to package.json. */
  dependencies: { [SIGNER_MODULE]: SIGNER_VERSION, [MYSQL2_MODULE]: MYSQL2_VERSION },
  /** Packages a dependency takes the place of in package.json (mysql2 replaces mysql). */
  replaces: { [MYSQL2_MODULE]: MYSQL_MODULE },
} as const;
