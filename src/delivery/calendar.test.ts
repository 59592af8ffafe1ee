import { describe, expect, it } from 'vitest';
import { deployDaysPerWeek, mondayOf, ZoneCalendar } from './calendar.js';

const t = (iso: string) => Date.parse(iso);
const day = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000;

describe('calendar days and weeks in a time zone', () => {
  it('puts an instant on its local calendar day, across daylight saving changes', () => {
    const berlin = new ZoneCalendar('Europe/Berlin');
    // 2024-03-30T23:30Z is 00:30 on Mar 31 in Berlin (CET, +1); DST starts that night.
    expect(berlin.day(t('2024-03-30T23:30:00Z'))).toBe(day('2024-03-31'));
    // 2024-07-01T22:30Z is 00:30 on Jul 2 in Berlin (CEST, +2), but still Jul 1 at 23:30 in CET terms.
    expect(berlin.day(t('2024-07-01T22:30:00Z'))).toBe(day('2024-07-02'));
    expect(berlin.day(t('2024-07-01T21:59:00Z'))).toBe(day('2024-07-01'));
    const utc = new ZoneCalendar('UTC');
    expect(utc.day(t('2024-07-01T23:59:59Z'))).toBe(day('2024-07-01'));
    // Los Angeles is 8 hours behind in winter: 05:00Z on Jan 2 is 21:00 on Jan 1.
    expect(new ZoneCalendar('America/Los_Angeles').day(t('2024-01-02T05:00:00Z'))).toBe(day('2024-01-01'));
  });

  it('finds the Monday of a week (2024-01-01 was a Monday)', () => {
    expect(mondayOf(day('2024-01-01'))).toBe(day('2024-01-01'));
    expect(mondayOf(day('2024-01-07'))).toBe(day('2024-01-01'));
    expect(mondayOf(day('2024-01-08'))).toBe(day('2024-01-08'));
    expect(mondayOf(day('1970-01-01'))).toBe(day('1969-12-29'));
  });

  it('counts distinct deploy-days in the whole weeks of a window', () => {
    // Window Wed Jan 3 - Mon Jan 22 (exclusive): whole weeks Jan 8-14 and Jan 15-21 only.
    const window = { from: t('2024-01-03T00:00:00Z'), to: t('2024-01-22T00:00:00Z') };
    const result = deployDaysPerWeek(
      [
        t('2024-01-04T10:00:00Z'), // a partial week: not counted in any week
        t('2024-01-08T10:00:00Z'),
        t('2024-01-08T15:00:00Z'), // same day: one deploy-day
        t('2024-01-12T10:00:00Z'),
        t('2024-01-21T23:00:00Z'),
        t('2024-01-22T01:00:00Z'), // after the window
      ],
      window,
      new ZoneCalendar('UTC'),
    );
    expect(result).toEqual({ weeks: [day('2024-01-08'), day('2024-01-15')], deployDays: [2, 1], wholeWeeks: true });
  });

  it('uses the partial weeks when the window holds no whole week', () => {
    // Fri Jan 5 - Wed Jan 10: touches the weeks of Jan 1 and Jan 8.
    const window = { from: t('2024-01-05T00:00:00Z'), to: t('2024-01-10T00:00:00Z') };
    const result = deployDaysPerWeek([t('2024-01-05T09:00:00Z'), t('2024-01-09T09:00:00Z')], window, new ZoneCalendar('UTC'));
    expect(result).toEqual({ weeks: [day('2024-01-01'), day('2024-01-08')], deployDays: [1, 1], wholeWeeks: false });
  });
});

describe('local midnight', () => {
  it('finds the instant a local day starts, also on daylight saving days', () => {
    const berlin = new ZoneCalendar('Europe/Berlin');
    // Berlin is UTC+1 in winter, +2 in summer; DST started 2024-03-31 and ended 2024-10-27.
    expect(berlin.startOfDay(day('2024-01-15'))).toBe(t('2024-01-14T23:00:00Z'));
    expect(berlin.startOfDay(day('2024-03-31'))).toBe(t('2024-03-30T23:00:00Z'));
    expect(berlin.startOfDay(day('2024-04-01'))).toBe(t('2024-03-31T22:00:00Z'));
    expect(berlin.startOfDay(day('2024-10-27'))).toBe(t('2024-10-26T22:00:00Z'));
    expect(berlin.startOfDay(day('2024-10-28'))).toBe(t('2024-10-27T23:00:00Z'));
    expect(new ZoneCalendar('UTC').startOfDay(day('2024-02-29'))).toBe(t('2024-02-29T00:00:00Z'));
  });
});
