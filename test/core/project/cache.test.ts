/** The bounded caches behind the project knowledge. */
import { describe, expect, it } from 'vitest';
import { BoundedCache, projectCacheStats } from '../../../src/core/project/cache.js';

describe('BoundedCache', () => {
  it('never holds more than its bound, and reports its size', () => {
    const cache = new BoundedCache<number, number>('test-bound', 10);
    for (let i = 0; i < 1000; i++) {
      cache.set(i, i);
      expect(cache.size).toBeLessThanOrEqual(10);
    }
    expect(projectCacheStats()['test-bound']).toEqual({ size: cache.size, max: 10 });
  });

  it('keeps the entries read recently and drops those not read since', () => {
    const cache = new BoundedCache<string, number>('test-recent', 10);
    cache.set('hot', 0);
    for (let i = 0; i < 100; i++) {
      cache.set(`cold-${i}`, i);
      expect(cache.get('hot')).toBe(0);
    }
    expect(cache.get('cold-0')).toBeUndefined();
    expect(cache.get('cold-99')).toBe(99);
  });

  it('replaces, deletes and clears entries', () => {
    const cache = new BoundedCache<string, string>('test-ops', 4);
    cache.set('a', '1');
    cache.set('b', '2');
    cache.set('c', '3');
    cache.set('a', 'one');
    expect(cache.get('a')).toBe('one');
    cache.delete('b');
    expect(cache.get('b')).toBeUndefined();
    expect(cache.size).toBe(2);
    cache.clear();
    expect([cache.size, cache.get('a')]).toEqual([0, undefined]);
  });
});
