import { describe, expect, it } from 'vitest';
import { lowerMedian, median, percentile, sortedSample } from './percentiles.js';

describe('percentiles', () => {
  it('interpolates linearly between closest ranks, as numpy.percentile does by default', () => {
    // numpy 2.4: np.percentile([7,1,3,3,10,2,8], [50,75,90]) -> [3.0, 7.5, 8.8]
    const odd = sortedSample([7, 1, 3, 3, 10, 2, 8]);
    expect(percentile(odd, 0.5)).toBe(3);
    expect(percentile(odd, 0.75)).toBe(7.5);
    expect(percentile(odd, 0.9)).toBeCloseTo(8.8, 12);
    // np.percentile([4,1,3,2], [50,75,90]) -> [2.5, 3.25, 3.7]
    const even = sortedSample([4, 1, 3, 2]);
    expect(percentile(even, 0.5)).toBe(2.5);
    expect(percentile(even, 0.75)).toBe(3.25);
    expect(percentile(even, 0.9)).toBeCloseTo(3.7, 12);
    expect(percentile(sortedSample([5]), 0.9)).toBe(5);
    expect(percentile(sortedSample([]), 0.5)).toBeNull();
  });

  it('offers the lower median: the lower of the two middle values', () => {
    expect(lowerMedian(sortedSample([4, 1, 3, 2]))).toBe(2);
    expect(lowerMedian(sortedSample([7, 1, 3, 3, 10, 2, 8]))).toBe(3);
    expect(median(sortedSample([4, 1, 3, 2]), 'lower')).toBe(2);
    expect(median(sortedSample([4, 1, 3, 2]), 'linear')).toBe(2.5);
    expect(lowerMedian(sortedSample([]))).toBeNull();
  });

  it('sorts numerically, not as strings', () => {
    expect([...sortedSample([10, 9, 100, 1])]).toEqual([1, 9, 10, 100]);
  });
});
