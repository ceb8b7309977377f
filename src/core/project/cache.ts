/**
 * Bounded caches for the project knowledge. Editor sessions live for hours and see many projects and files, so
 * every cache here has a size bound and drops its least recently used entries first; each registers itself so
 * that `projectCacheStats()` can report sizes and tests and benchmarks can start from empty caches.
 */

const registry = new Map<string, BoundedCache<unknown, unknown>>();

/**
 * A `Map` with a size bound that keeps the recently used entries: two generations of at most half the bound each.
 * Entries are added to the newer one; reading an entry of the older one moves it to the newer one; when the newer
 * one is full it becomes the older one and the oldest entries (those not read since) are dropped. A read of a
 * recent entry is one map lookup, with no reordering (the lookups on every linted file are the hot path).
 */
export class BoundedCache<K, V> {
  private recent = new Map<K, V>();
  private older = new Map<K, V>();
  private readonly generation: number;

  constructor(
    readonly name: string,
    readonly max: number,
  ) {
    this.generation = Math.max(1, Math.floor(max / 2));
    registry.set(name, this as BoundedCache<unknown, unknown>);
  }

  get(key: K): V | undefined {
    const value = this.recent.get(key);
    if (value !== undefined) return value;
    const old = this.older.get(key);
    if (old !== undefined) {
      this.older.delete(key);
      this.add(key, old);
    }
    return old;
  }

  set(key: K, value: V): V {
    if (this.recent.has(key)) this.recent.set(key, value);
    else {
      this.older.delete(key);
      this.add(key, value);
    }
    return value;
  }

  delete(key: K): void {
    this.recent.delete(key);
    this.older.delete(key);
  }

  clear(): void {
    this.recent.clear();
    this.older.clear();
  }

  get size(): number {
    return this.recent.size + this.older.size;
  }

  private add(key: K, value: V): void {
    if (this.recent.size >= this.generation) {
      this.older = this.recent;
      this.recent = new Map();
    }
    this.recent.set(key, value);
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
