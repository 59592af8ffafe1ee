import { describe, expect, it } from 'vitest';
import { twoSignificantDigits } from './rounding.js';

describe('twoSignificantDigits', () => {
  it('rounds the exact fraction half up to two significant digits', () => {
    // 2/3 = 0.666.. -> 0.67; 1/8 = 0.125 -> 0.13 (half up); 5/7 = 0.714.. -> 0.71; 1/3 -> 0.33.
    expect(twoSignificantDigits(2, 3)).toBe(0.67);
    expect(twoSignificantDigits(1, 8)).toBe(0.13);
    expect(twoSignificantDigits(5, 7)).toBe(0.71);
    expect(twoSignificantDigits(1, 3)).toBe(0.33);
  });

  it('keeps small values to two significant digits and whole values whole', () => {
    // 1/64 = 0.015625 -> 0.016; 1/1 = 1; 199/200 = 0.995 -> 1.0 (rounds up a digit); 0 stays 0.
    expect(twoSignificantDigits(1, 64)).toBe(0.016);
    expect(twoSignificantDigits(1, 1)).toBe(1);
    expect(twoSignificantDigits(199, 200)).toBe(1);
    expect(twoSignificantDigits(0, 5)).toBe(0);
    expect(() => twoSignificantDigits(1, 0)).toThrow(RangeError);
  });
});
