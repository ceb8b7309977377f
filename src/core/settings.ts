import type { Engine } from './drivers/catalogue.js';

/** `settings['lambda-rds']` in an ESLint config: shared by every rule. */
export interface LambdaRdsSettings {
  /** Extra export names that are Lambda handlers (beyond `handler` and `*Handler`). */
  readonly handlerNames: readonly string[];
  /** Engine to assume when the code does not say (used by engine-specific rules). */
  readonly engine?: Engine | undefined;
}

export function readSettings(settings: Readonly<Record<string, unknown>> | undefined): LambdaRdsSettings {
  const raw = (settings?.['lambda-rds'] ?? {}) as Record<string, unknown>;
  const handlerNames = Array.isArray(raw.handlerNames)
    ? raw.handlerNames.filter((n): n is string => typeof n === 'string')
    : [];
  const engine =
    raw.engine === 'postgresql' || raw.engine === 'mysql' || raw.engine === 'sqlserver' ? raw.engine : undefined;
  return { handlerNames, engine };
}
