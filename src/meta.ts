import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = require('../package.json') as { name: string; version: string };

export const PACKAGE_NAME: string = pkg.name;
export const VERSION: string = pkg.version;
export const NAMESPACE = 'lambda-rds';
export const REPOSITORY_URL = 'https://github.com/eslint-plugin-lambda-rds/eslint-plugin-lambda-rds';
