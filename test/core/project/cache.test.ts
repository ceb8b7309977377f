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

  it('with a weight bound, never holds more weight than the bound, and reports it', () => {
    const cache = new BoundedCache<number, string>('test-weight', 1000, { max: 100, of: (text) => text.length });
    for (let i = 0; i < 200; i++) {
      cache.set(i, 'x'.repeat(1 + (i % 30)));
      expect(cache.totalWeight).toBeLessThanOrEqual(100);
    }
    const held = Array.from({ length: 200 }, (_, i) => cache.get(i)).filter((v) => v !== undefined);
    expect(held.length).toBe(cache.size);
    expect(held.reduce((n, text) => n + text.length, 0)).toBe(cache.totalWeight);
    expect(projectCacheStats()['test-weight']).toEqual({ size: cache.size, max: 1000, weight: cache.totalWeight, maxWeight: 100 });
  });

  it('keeps a heavy entry read recently, and does not keep one heavier than half the bound', () => {
    const cache = new BoundedCache<string, string>('test-weight-recent', 1000, { max: 100, of: (text) => text.length });
    cache.set('hot', 'h'.repeat(20));
    for (let i = 0; i < 50; i++) {
      cache.set(`cold-${i}`, 'c'.repeat(10));
      expect(cache.get('hot')).toBe('h'.repeat(20));
    }
    expect(cache.get('cold-0')).toBeUndefined();
    cache.set('huge', 'u'.repeat(51));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.get('hot')).toBe('h'.repeat(20));
    const before = cache.totalWeight;
    cache.set('hot', 'h');
    expect(cache.totalWeight).toBe(before - 19);
    cache.delete('cold-49');
    expect(cache.totalWeight).toBe(before - 29);
  });

  it('counts an entry at the weight it had when added, even when the value changes later', () => {
    // oxlint hands every file the same source object, whose text then changes under the cached entry.
    const shared = { text: 'x'.repeat(30) };
    const cache = new BoundedCache<string, { text: string }>('test-weight-changing', 100, { max: 100, of: (v) => v.text.length });
    cache.set('a', shared);
    shared.text = 'y'.repeat(5);
    cache.set('b', { text: 'z'.repeat(10) });
    expect(cache.totalWeight).toBe(40);
    cache.delete('a');
    expect(cache.totalWeight).toBe(10);
    for (let i = 0; i < 20; i++) cache.set(`k${i}`, { text: 'w'.repeat(20) });
    expect(cache.totalWeight).toBeLessThanOrEqual(100);
    cache.clear();
    expect([cache.size, cache.totalWeight]).toEqual([0, 0]);
  });
});
