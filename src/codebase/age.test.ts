import { describe, expect, it } from 'vitest';
import { monthsBetween } from './age.js';

describe('monthsBetween', () => {
  it('counts whole calendar months, clamping the day at month ends', () => {
    expect(monthsBetween('2024-03-15', '2024-04-14')).toBe(0); // Apr 15 is after Apr 14
    expect(monthsBetween('2024-03-15', '2024-04-15')).toBe(1);
    expect(monthsBetween('2024-01-31', '2024-02-29')).toBe(1); // Jan 31 + 1 month clamps to Feb 29 (2024 is a leap year)
    expect(monthsBetween('2023-01-31', '2023-02-27')).toBe(0); // clamps to Feb 28, after Feb 27
    expect(monthsBetween('2022-11-30', '2024-02-01')).toBe(14); // Nov 30 2022 + 14 = Jan 30 2024
    expect(monthsBetween('2024-05-01', '2024-05-01')).toBe(0);
  });
});
