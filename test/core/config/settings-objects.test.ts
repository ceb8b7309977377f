import { describe, expect, it } from 'vitest';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { getSettingsObjects, type SettingsObjects } from '../../../src/core/config/settings-objects.js';

type Kind = 'passwords' | 'hosts';

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
});
