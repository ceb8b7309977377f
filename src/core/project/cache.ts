/**
 * Bounded caches for the project knowledge. Editor sessions live for hours and see many projects and files, so
 * every cache here has a size bound (and those holding file texts or parses a bound on the text they hold) and drops
 * its least recently used entries first; each registers itself so
 * that `projectCacheStats()` can report sizes and tests and benchmarks can start from empty caches.
 */

const registry = new Map<string, BoundedCache<unknown, unknown>>();

/**
 * A second bound for caches whose entries differ much in size (file texts, parses): `of` weighs an entry (the length
 * of the text it holds), and the entries held weigh at most `max` together. An entry heavier than half of `max` is
 * not kept at all.
 */
export interface CacheWeight<V> {
  readonly max: number;
  of(value: V): number;
}

/**
 * A `Map` with a size bound that keeps the recently used entries: two generations of at most half the bound each.
 * Entries are added to the newer one; reading an entry of the older one moves it to the newer one; when the newer
 * one is full it becomes the older one and the oldest entries (those not read since) are dropped. A read of a
 * recent entry is one map lookup, with no reordering (the lookups on every linted file are the hot path). With a
 * `weight`, a generation is also full when its entries weigh half of `weight.max`.
 */
export class BoundedCache<K, V> {
  private recent = new Map<K, V>();
  private older = new Map<K, V>();
  /** With a `weight`: each entry's weight as it was when added (a value may change later), per generation. */
  private recentWeights = new Map<K, number>();
  private olderWeights = new Map<K, number>();
  private recentWeight = 0;
  private olderWeight = 0;
  private readonly generation: number;
  private readonly generationWeight: number;

  constructor(
    readonly name: string,
    readonly max: number,
    private readonly weight?: CacheWeight<V>,
  ) {
    this.generation = Math.max(1, Math.floor(max / 2));
    this.generationWeight = weight ? weight.max / 2 : Infinity;
    registry.set(name, this as BoundedCache<unknown, unknown>);
  }

  get(key: K): V | undefined {
    const value = this.recent.get(key);
    if (value !== undefined) return value;
    const old = this.older.get(key);
    if (old !== undefined) {
      this.dropOlder(key);
      this.add(key, old);
    }
    return old;
  }

  set(key: K, value: V): V {
    this.delete(key);
    this.add(key, value);
    return value;
  }

  delete(key: K): void {
    if (this.recent.delete(key) && this.weight) {
      this.recentWeight -= this.recentWeights.get(key) ?? 0;
      this.recentWeights.delete(key);
    }
    if (this.older.has(key)) this.dropOlder(key);
  }

  clear(): void {
    this.recent.clear();
    this.older.clear();
    this.recentWeights.clear();
    this.olderWeights.clear();
    this.recentWeight = 0;
    this.olderWeight = 0;
  }

  get size(): number {
    return this.recent.size + this.older.size;
  }

  /** What the entries held weigh together (0 without a `weight`). */
  get totalWeight(): number {
    return this.recentWeight + this.olderWeight;
  }

  get maxWeight(): number | undefined {
    return this.weight?.max;
  }

  private dropOlder(key: K): void {
    this.older.delete(key);
    if (this.weight) {
      this.olderWeight -= this.olderWeights.get(key) ?? 0;
      this.olderWeights.delete(key);
    }
  }

  private add(key: K, value: V): void {
    const weight = this.weight ? this.weight.of(value) : 0;
    if (weight > this.generationWeight) return;
    if (this.recent.size >= this.generation || this.recentWeight + weight > this.generationWeight) {
      this.older = this.recent;
      this.recent = new Map();
      if (this.weight) {
        this.olderWeights = this.recentWeights;
        this.recentWeights = new Map();
      }
      this.olderWeight = this.recentWeight;
      this.recentWeight = 0;
    }
    this.recent.set(key, value);
    if (this.weight) {
      this.recentWeights.set(key, weight);
      this.recentWeight += weight;
    }
  }
}

export interface CacheStats {
  readonly size: number;
  readonly max: number;
  /** For a cache with a weight bound: what its entries weigh together, and the bound. */
  readonly weight?: number;
  readonly maxWeight?: number;
}

/** Entries and bound of every project cache, by name. */
export function projectCacheStats(): Record<string, CacheStats> {
  const out: Record<string, CacheStats> = {};
  for (const [name, cache] of registry) {
    const maxWeight = cache.maxWeight;
    out[name] = maxWeight === undefined ? { size: cache.size, max: cache.max } : { size: cache.size, max: cache.max, weight: cache.totalWeight, maxWeight };
  }
  return out;
}

/** Empties every project cache (as in a new process). */
export function clearProjectCaches(): void {
  for (const cache of registry.values()) cache.clear();
}
