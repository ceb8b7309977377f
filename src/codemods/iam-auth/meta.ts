/** The package that signs RDS IAM authentication tokens. */
export const SIGNER_MODULE = '@aws-sdk/rds-signer';

/** The version range added to package.json: the version the codemod's output is type-checked and proven with. */
export const SIGNER_VERSION = '^3.1169.0';

export const meta = {
  name: 'iam-auth',
  description:
    'Replaces database passwords (literals, environment reads) with RDS IAM authentication tokens from a module-scope `Signer` of @aws-sdk/rds-signer, fetched for each new connection the driver opens, and turns TLS on.',
  /** The rule whose findings this codemod fixes (it also rewrites passwords read from the environment, which no rule reports). */
  rule: 'no-hardcoded-credentials',
  /** Packages the changed code imports, with the version range `lambda-rds migrate` adds to package.json. */
  dependencies: { [SIGNER_MODULE]: SIGNER_VERSION },
} as const;
