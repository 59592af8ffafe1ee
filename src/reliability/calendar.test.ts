import { describe, expect, it } from 'vitest';
import { fromLocal, toLocal, type LocalDateTime } from '../shared/time-zone.js';
import { addCalendar, calendarPeriodAt, parseLocalDateTime } from './calendar.js';
import { MinuteSeries } from './counts.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './duration.js';
import { evaluateSlo } from './evaluate.js';
import { buildSlo, steadyTraffic } from '../test-support/reliability-fixtures.js';

const local = (year: number, month: number, day: number, hour = 0, minute = 0): LocalDateTime => ({
  year,
  month,
  day,
  hour,
  minute,
  second: 0,
});
const month = { count: 1, unit: 'M', text: '1M' } as const;

describe('wall-clock conversion', () => {
  it('converts local times in London on both sides of the 2024 changes', () => {
    // UK clocks went forward at 01:00 GMT on 31 March 2024 and back at 01:00 GMT on 27 October 2024.
    expect(fromLocal(local(2024, 3, 1), 'Europe/London')).toBe(Date.UTC(2024, 2, 1, 0));
    expect(fromLocal(local(2024, 4, 1), 'Europe/London')).toBe(Date.UTC(2024, 2, 31, 23)); // 00:00 BST = 23:00 UTC
    expect(toLocal(Date.UTC(2024, 2, 31, 23, 30), 'Europe/London')).toEqual(local(2024, 4, 1, 0, 30));
  });

  it('moves a skipped time past the gap and picks the first of a repeated time', () => {
    // 01:30 on 31 March 2024 does not exist in London: the instant after the gap is 02:30 BST = 01:30 UTC.
    expect(fromLocal(local(2024, 3, 31, 1, 30), 'Europe/London')).toBe(Date.UTC(2024, 2, 31, 1, 30));
    // 01:30 on 27 October 2024 happens twice: first at 01:30 BST = 00:30 UTC.
    expect(fromLocal(local(2024, 10, 27, 1, 30), 'Europe/London')).toBe(Date.UTC(2024, 9, 27, 0, 30));
  });

  it('clamps month ends without drifting', () => {
    expect(addCalendar(local(2024, 1, 31), 'M', 1)).toEqual(local(2024, 2, 29));
    expect(addCalendar(local(2024, 1, 31), 'M', 2)).toEqual(local(2024, 3, 31));
    expect(addCalendar(local(2023, 11, 15), 'Q', 1)).toEqual(local(2024, 2, 15));
    expect(addCalendar(local(2024, 2, 29), 'Y', 1)).toEqual(local(2025, 2, 28));
  });

  it('parses OpenSLO start times and refuses impossible ones', () => {
    expect(parseLocalDateTime('2022-01-01 12:00:00')).toEqual(local(2022, 1, 1, 12));
    expect(parseLocalDateTime('2024-02-30 00:00:00')).toHaveProperty('error');
    expect(parseLocalDateTime('2024-01-01T00:00:00Z')).toHaveProperty('error');
  });
});

describe('calendar periods across DST', () => {
  it('March 2024 in London is 743 hours and April starts at 23:00 UTC on 31 March', () => {
    // 31 days × 24 h minus the hour skipped on 31 March.
    const march = calendarPeriodAt(local(2024, 1, 1), month, 'Europe/London', Date.UTC(2024, 2, 15));
    expect(march).toEqual({ start: Date.UTC(2024, 2, 1), end: Date.UTC(2024, 2, 31, 23) });
    expect((march.end - march.start) / HOUR_MS).toBe(743);
    const april = calendarPeriodAt(local(2024, 1, 1), month, 'Europe/London', Date.UTC(2024, 2, 31, 23, 30));
    expect(april.start).toBe(Date.UTC(2024, 2, 31, 23));
    // October: 31 × 24 + 1 repeated hour = 745 hours.
    const october = calendarPeriodAt(local(2024, 1, 1), month, 'Europe/London', Date.UTC(2024, 9, 10));
    expect((october.end - october.start) / HOUR_MS).toBe(745);
  });

  it('anchors periods at the start time: monthly from the 15th, 12:00 New York', () => {
    const period = calendarPeriodAt(local(2022, 1, 15, 12), month, 'America/New_York', Date.UTC(2024, 2, 20));
    // 15 March 2024 12:00 EDT (UTC-4, DST began 10 March) to 15 April 12:00 EDT.
    expect(period).toEqual({ start: Date.UTC(2024, 2, 15, 16), end: Date.UTC(2024, 3, 15, 16) });
  });

  it('a Timeslices budget over March 2024 in London has 44,580 one-minute slices', () => {
    // 743 h × 60 = 44,580 slices; 99.9% allows 44.58 bad minutes. Ten whole minutes below the
    // slice target (all requests failing) spend 10 / 44.58 of the budget, whatever the traffic.
    const definition = buildSlo({
      window: { kind: 'calendar', duration: month, startTime: local(2024, 1, 1), timeZone: 'Europe/London' },
      budgetingMethod: 'Timeslices',
      timeSlicing: { sliceMs: MINUTE_MS, target: 0.95, op: 'gte' },
    });
    const start = Date.UTC(2024, 2, 1);
    const badFrom = Date.UTC(2024, 2, 31, 0, 0); // 31 March 00:00–00:10 GMT: the last day of March
    const samples = steadyTraffic(start, Date.UTC(2024, 2, 31, 23), 20, (m) => (m >= badFrom && m < badFrom + 10 * MINUTE_MS ? 1 : 0));
    // Evaluated in March's last minute (22:59 UTC): 44,579 slices have elapsed; the allowance is the whole month's.
    // At 23:00 UTC exactly the April period has begun: windows are [start, end).
    const status = evaluateSlo({ definition, source: new MinuteSeries(samples), excluded: [] }, Date.UTC(2024, 2, 31, 22, 59));
    expect(status.windowStart).toBe(start);
    expect(status.periodEnd).toBe(Date.UTC(2024, 2, 31, 23));
    expect(status.budgetAllowed).toBeCloseTo(44.58, 9);
    expect(status.budgetSpent).toBe(10);
    expect(status.budgetRemaining).toBeCloseTo(1 - 10 / 44.58, 12);
    expect(status.attainment).toBeCloseTo((44_579 - 10) / 44_579, 12);
    // One minute later the April period has begun: nothing is spent.
    const april = evaluateSlo({ definition, source: new MinuteSeries(samples), excluded: [] }, Date.UTC(2024, 2, 31, 23, 1));
    expect(april.windowStart).toBe(Date.UTC(2024, 2, 31, 23));
    expect(april.budgetRemaining).toBe(1);
  });
});

describe('time-slice budgeting', () => {
  const T0 = Date.UTC(2024, 5, 1);

  it('Timeslices judges each slice by its ratio; slices without events are good', () => {
    // 5-minute slices over one rolling hour = 12 slices. Slice 0: 100% ok; slice 1: 90% ok (< 95% target: bad);
    // slices 2–3: no traffic (good); the rest 96% ok. One bad slice of 12: attainment 11/12.
    // Budget: 99% target allows 0.01 × 12 = 0.12 bad slices; 1 spent -> remaining 1 - 1/0.12.
    const definition = buildSlo({
      target: 0.99,
      window: { kind: 'rolling', duration: { count: 1, unit: 'h', text: '1h' } },
      budgetingMethod: 'Timeslices',
      timeSlicing: { sliceMs: 5 * MINUTE_MS, target: 0.95, op: 'gte' },
    });
    const slice = (i: number) => T0 + i * 5 * MINUTE_MS;
    const samples = [
      ...steadyTraffic(slice(0), slice(1), 10),
      ...steadyTraffic(slice(1), slice(2), 10, () => 0.1),
      ...steadyTraffic(slice(4), slice(12), 10, () => 0.04),
    ];
    const status = evaluateSlo({ definition, source: new MinuteSeries(samples), excluded: [] }, slice(12));
    expect(status.attainment).toBeCloseTo(11 / 12, 12);
    expect(status.budgetAllowed).toBeCloseTo(0.12, 12);
    expect(status.budgetRemaining).toBeCloseTo(1 - 1 / 0.12, 9);
  });

  it('RatioTimeslices averages the slices’ ratios, each slice weighing the same', () => {
    // Two 1-hour slices with traffic: 1,000 events at 99% and 10 events at 50%. Mean = (0.99 + 0.5)/2 = 0.745
    // (by design of the method; Occurrences would give 995/1010).
    const definition = buildSlo({
      target: 0.9,
      window: { kind: 'rolling', duration: { count: 1, unit: 'd', text: '1d' } },
      budgetingMethod: 'RatioTimeslices',
      timeSlicing: { sliceMs: HOUR_MS, target: 1, op: 'gte' },
    });
    const samples = [
      ...steadyTraffic(T0, T0 + HOUR_MS, 1000 / 60, () => 0.01),
      ...steadyTraffic(T0 + HOUR_MS, T0 + 2 * HOUR_MS, 10 / 60, () => 0.5),
    ];
    const status = evaluateSlo({ definition, source: new MinuteSeries(samples), excluded: [] }, T0 + DAY_MS);
    expect(status.attainment).toBeCloseTo(0.745, 12);
    // consumed = (1 - 0.745) / (1 - 0.9) = 2.55
    expect(status.budgetConsumed).toBeCloseTo(2.55, 9);
  });
});
