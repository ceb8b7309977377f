// Small statistics the bench scripts share.

/** The median of a list of numbers (the mean of the two middle values for an even count). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The fastest of `count` repetitions of a timed sample: `sample(repeat)` is awaited in turn and the result with the
 * smallest `totalMs` is returned (load from other processes only ever adds time).
 */
export async function fastestOf(count, sample) {
  let fastest;
  for (let repeat = 0; repeat < count; repeat++) {
    const result = await sample(repeat);
    if (!fastest || result.totalMs < fastest.totalMs) fastest = result;
  }
  return fastest;
}
