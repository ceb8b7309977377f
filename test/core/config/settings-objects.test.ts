import { describe, expect, it } from 'vitest';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { getSettingsObjects, type SettingsObjects } from '../../../src/core/config/settings-objects.js';
import { settingsObjectConfig } from '../../../src/core/config/resolve.js';

type Kind = 'passwords' | 'hosts';

/** Per password of the last `read`, the library configuration it belongs to (`settingsObjectConfig`). */
const libraries: string[] = [];

/** The settings values of `code`, read in the given order (each kind is looked for on first read). */
function read(code: string, order: readonly Kind[]): Record<Kind, string[]> {
  const out: Record<Kind, string[]> = { passwords: [], hosts: [] };
  const linter = new Linter();
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tsParser },
        plugins: {
          probe: {
            rules: {
              settings: {
                create(context) {
                  const objects: SettingsObjects = getSettingsObjects(context as never);
                  for (const kind of order) out[kind] = objects[kind].map((v) => `${v.key}@${v.value.loc.start.line}`);
                  libraries.length = 0;
                  for (const password of objects.passwords) {
                    const config = settingsObjectConfig(context.sourceCode as never, password);
                    libraries.push(config ? `${password.key}: ${config.site.label}, ${config.engine}` : `${password.key}: none`);
                  }
                  return {};
                },
              },
            },
          },
        },
        rules: { 'probe/settings': 'error' },
      },
    ],
    'config.ts',
  );
  const fatal = messages.find((m) => m.fatal);
  if (fatal) throw new Error(`parse error: ${fatal.message}`);
  return out;
}

const CONFIG_MODULE = `
export const db = {
  host: 'orders.abc123.us-east-1.rds.amazonaws.com',
  writerEndpoint: 'orders.cluster-abc123.us-east-1.rds.amazonaws.com',
  user: 'app',
  password: process.env.DB_PASSWORD || 'hunter2',
};
export const cache = {
  endpoint: 'sessions.abc123.use1.cache.amazonaws.com',
  password: 'redis-secret',
};
export const env = {
  DB_PASSWORD: 'from-env-block',
  QUEUE_ENDPOINT: 'https://sqs.us-east-1.amazonaws.com/1/q',
};
`;

describe('getSettingsObjects', () => {
  it('finds the same passwords and hosts whichever kind is read first, or when only one is read', () => {
    const expected = {
      // A database-shaped object's password (with its literal fallback) and a key that names a database password;
      // not the cache's password.
      passwords: ['password@6', 'DB_PASSWORD@13'],
      // A host key, and any endpoint key of a database-shaped object; not the cache's or the queue's endpoint.
      hosts: ['host@3', 'writerEndpoint@4'],
    };
    expect(read(CONFIG_MODULE, ['passwords', 'hosts'])).toEqual(expected);
    expect(read(CONFIG_MODULE, ['hosts', 'passwords'])).toEqual(expected);
    expect(read(CONFIG_MODULE, ['passwords'])).toEqual({ passwords: expected.passwords, hosts: [] });
    expect(read(CONFIG_MODULE, ['hosts'])).toEqual({ passwords: [], hosts: expected.hosts });
  });

  it('finds nothing in a file without password- or host-like keys', () => {
    expect(read('export const retry = { attempts: 3, delay: 100 };', ['passwords', 'hosts'])).toEqual({ passwords: [], hosts: [] });
  });

  it('reads a settings object that names its library as that library reads it, and no other', () => {
    const code = `
export const knexSettings = { client: 'mysql2', connection: { host: process.env.DB_HOST, user: 'app', password: 'a' } };
export const sequelizeOptions = { dialect: 'postgres', host: process.env.DB_HOST, username: 'app', password: 'b' };
export const typeormOptions = { type: 'postgres', host: process.env.DB_HOST, username: 'app', password: 'c' };
export const constants = { dbHost: process.env.DB_HOST, dbUser: 'app', dbPass: 'd' };
export const unread = { client: 'pg', connection: { host: process.env.DB_HOST, user: 'app' }, dbPassword: 'e' };
`;
    read(code, ['passwords']);
    expect(libraries).toEqual([
      'password: knex settings, mysql',
      'password: Sequelize settings, postgresql',
      'password: TypeORM settings, postgresql',
      // No library named; a library that reads no such key.
      'dbPass: none',
      'dbPassword: none',
    ]);
  });
});
