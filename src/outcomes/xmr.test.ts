import { describe, expect, it } from 'vitest';
import { xmr, xmrLimits } from './xmr.js';

/**
 * A series worked by hand. Baseline (the first 12 points) alternates 10, 11:
 * centre line = 126 / 12 = 10.5, every moving range is 1 so the average moving
 * range is 11 / 11 = 1; limits 10.5 -/+ 2.66 x 1 = 7.84 and 13.16 (Wheeler's
 * 2.66), upper range limit 3.268 x 1 = 3.268 (Wheeler's D4); the rule-2
 * midlines sit halfway: 11.83 and 9.17.
 *
 * index: 12   13  14  15    16  17  18  19  20  21
 * value: 14   10  12  12.5  11  12  11  11  11  11
 * - 12: 14 > 13.16                       -> rule 1 high
 * - 13: moving range |10 - 14| = 4 > 3.268 -> rule 1 low (the series fell)
 * - windows of four with three points above 11.83: 12..15 (14, 12, 12.5)
 *   and 14..17 (12, 12.5, 12) -> rule 2 high at 12, 14, 15, 17
 * - 14..21 are eight points above 10.5 (13 = 10 ends the earlier run) -> rule 3 high at 14..21
 */
const BASELINE = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11];
const SERIES = [...BASELINE, 14, 10, 12, 12.5, 11, 12, 11, 11, 11, 11];

describe('XmR chart', () => {
  it('computes limits with the constants 2.66 and 3.268 from the first N points', () => {
    const result = xmr(SERIES, { baseline: 12 });
    expect(result?.centreLine).toBeCloseTo(10.5, 12);
    expect(result?.averageMovingRange).toBeCloseTo(1, 12);
    expect(result?.lowerLimit).toBeCloseTo(7.84, 12);
    expect(result?.upperLimit).toBeCloseTo(13.16, 12);
    expect(result?.upperRangeLimit).toBeCloseTo(3.268, 12);
    expect(result?.trial).toBe(false);
  });

  it('reports each signal with its rule, index and direction, once per rule', () => {
    const signals = xmr(SERIES, { baseline: 12 })?.signals.map((s) => [s.index, s.rule, s.direction]);
    expect(signals).toEqual([
      [12, 1, 'high'],
      [12, 2, 'high'],
      [13, 1, 'low'],
      [14, 2, 'high'],
      [14, 3, 'high'],
      [15, 2, 'high'],
      [15, 3, 'high'],
      [16, 3, 'high'],
      [17, 2, 'high'],
      [17, 3, 'high'],
      [18, 3, 'high'],
      [19, 3, 'high'],
      [20, 3, 'high'],
      [21, 3, 'high'],
    ]);
  });

  it('marks limits from fewer points than asked as trial limits', () => {
    // Five points 2, 4, 3, 5, 6: mean 4, moving ranges 2, 1, 2, 1 -> 1.5; limits 4 -/+ 3.99.
    const limits = xmrLimits([2, 4, 3, 5, 6], { baseline: 12 });
    expect(limits?.trial).toBe(true);
    expect(limits?.centreLine).toBe(4);
    expect(limits?.averageMovingRange).toBe(1.5);
    expect(limits?.upperLimit).toBeCloseTo(7.99, 12);
  });

  it('recomputes the limits from a later baseline start after a real change', () => {
    // From index 12 on, the four points 20, 22, 20, 22: mean 21, moving ranges 2 -> limits 21 -/+ 5.32.
    const limits = xmrLimits([...BASELINE, 20, 22, 20, 22], { baseline: 4, baselineStart: 12 });
    expect(limits?.centreLine).toBe(21);
    expect(limits?.lowerLimit).toBeCloseTo(15.68, 12);
    expect(limits?.baselineStart).toBe(12);
  });

  it('finds a low run of eight and a low rule-2 window', () => {
    // Centre 10.5, lower midline 9.17: 9, 9, 10, 9 is a rule-2 window (three below), and 9, 9, 10, 9, 10, 10, 10, 10 a run of eight below.
    const signals = xmr([...BASELINE, 9, 9, 10, 9, 10, 10, 10, 10], { baseline: 12 })?.signals ?? [];
    expect(signals.filter((s) => s.rule === 2).map((s) => s.index)).toEqual([12, 13, 15]);
    expect(signals.filter((s) => s.rule === 3).map((s) => s.index)).toEqual([12, 13, 14, 15, 16, 17, 18, 19]);
    expect(signals.every((s) => s.direction === 'low')).toBe(true);
  });

  it('needs two points', () => {
    expect(xmr([5])).toBeNull();
  });
});
