/**
 * Bounded caches for the project knowledge. Editor sessions live for hours and see many projects and files, so
 * every cache here has a size bound and drops its least recently used entries first; each registers itself so
 * that `projectCacheStats()` can report sizes and tests and benchmarks can start from empty caches.
 */

const registry = new Map<string, BoundedCache<unknown, unknown>>();

/** A `Map` with a size bound: reading an entry makes it the most recent, adding past the bound drops the oldest. */
export class BoundedCache<K, V> {
  private readonly map = new Map<K, V>();

  constructor(
    readonly name: string,
    readonly max: number,
  ) {
    registry.set(name, this as BoundedCache<unknown, unknown>);
  }

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      // Re-insert: Map iteration order is insertion order, so the first key is always the least recently used.
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): V {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
    return value;
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }
}

export interface CacheStats {
  readonly size: number;
  readonly max: number;
}

/** Entries and bound of every project cache, by name. */
export function projectCacheStats(): Record<string, CacheStats> {
  const out: Record<string, CacheStats> = {};
  for (const [name, cache] of registry) out[name] = { size: cache.size, max: cache.max };
  return out;
}

/** Empties every project cache (as in a new process). */
export function clearProjectCaches(): void {
  for (const cache of registry.values()) cache.clear();
}
