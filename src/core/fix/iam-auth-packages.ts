/**
 * The packages the IAM fix makes code import, with the version ranges `lambda-rds migrate` adds to package.json:
 * the versions the codemod's output is type-checked and proven with (this repository's dev dependencies).
 */

/** Signs RDS IAM authentication tokens. */
export const SIGNER_MODULE = '@aws-sdk/rds-signer';
export const SIGNER_VERSION = '^3.1169.0';

/** Takes the place of `mysql`, which cannot send an IAM token (no `mysql_clear_password`). */
export const MYSQL2_MODULE = 'mysql2';
export const MYSQL2_VERSION = '^3.24.6';

/** The package mysql2 replaces in package.json. */
export const MYSQL_MODULE = 'mysql';
