/**
 * Percentiles of a sample. `linear` is the interpolation between closest ranks
 * that numpy, R (type 7) and spreadsheets use by default:
 * h = (n - 1) * p, value = x[floor h] + (h - floor h) * (x[floor h + 1] - x[floor h]).
 * The `lower` median is the lower of the two middle values (an observed value,
 * never an average of two).
 */
export function percentile(sortedAscending: ArrayLike<number>, p: number): number | null {
  const n = sortedAscending.length;
  if (n === 0) return null;
  const h = (n - 1) * p;
  const lower = Math.floor(h);
  const low = sortedAscending[lower] as number;
  if (lower + 1 >= n) return low;
  const high = sortedAscending[lower + 1] as number;
  return low + (h - lower) * (high - low);
}

export function lowerMedian(sortedAscending: ArrayLike<number>): number | null {
  const n = sortedAscending.length;
  return n === 0 ? null : (sortedAscending[Math.floor((n - 1) / 2)] as number);
}

export function median(sortedAscending: ArrayLike<number>, method: 'linear' | 'lower'): number | null {
  return method === 'lower' ? lowerMedian(sortedAscending) : percentile(sortedAscending, 0.5);
}

/** Sorts numbers ascending into a typed array (numeric sort, fast for millions of values). */
export function sortedSample(values: readonly number[] | Float64Array): Float64Array {
  const sample = Float64Array.from(values);
  sample.sort();
  return sample;
}
