import { describe, expect, it } from 'vitest';
import type { ValidationError } from '../shared/errors.js';
import { quarterAt, resolvePeriod } from './period.js';

describe('periods', () => {
  it('resolves calendar and fiscal quarters to their first and last days', () => {
    expect(resolvePeriod('2026-Q4')).toEqual({ id: '2026-Q4', start: '2026-10-01', end: '2026-12-31' });
    expect(resolvePeriod('2028-Q1')).toEqual({ id: '2028-Q1', start: '2028-01-01', end: '2028-03-31' });
    // A fiscal year from April: Q4 of 2026 runs January to March 2027 (2027 is not a leap year).
    expect(resolvePeriod('2026-Q4', { quarterStartMonth: 4, custom: [] })).toEqual({
      id: '2026-Q4',
      start: '2027-01-01',
      end: '2027-03-31',
    });
    expect(resolvePeriod('H2', { quarterStartMonth: 1, custom: [{ id: 'H2', start: '2026-07-01', end: '2026-12-31' }] }).end).toBe(
      '2026-12-31',
    );
    let error: unknown;
    try {
      resolvePeriod('2026-Q5');
    } catch (caught) {
      error = caught;
    }
    expect((error as ValidationError).issues).toEqual([
      { field: 'period', message: '"2026-Q5" is neither a quarter such as 2026-Q4 nor a custom period' },
    ]);
  });

  it('finds the quarter of an instant', () => {
    expect(quarterAt(Date.parse('2026-11-30T15:00:00Z')).id).toBe('2026-Q4');
    expect(quarterAt(Date.parse('2027-02-01T00:00:00Z'), { quarterStartMonth: 4, custom: [] }).id).toBe('2026-Q4');
    expect(quarterAt(Date.parse('2026-04-01T00:00:00Z'), { quarterStartMonth: 4, custom: [] }).id).toBe('2026-Q1');
  });
});
