import { describe, expect, it } from 'vitest';
import { dailySeries, periodValue } from './aggregate.js';
import { boxTotals } from './box.js';
import { dateOf, dayOf } from './dates.js';
import { sixTwelve } from './six-twelve.js';

/**
 * Two years of daily data worked by hand: 1 on every day of 2023, 2 on every
 * day of 2024, except 2024-02-26 = 9; 2023-04-10 is missing.
 */
function twoYears(options: { drop?: string[] } = {}) {
  const points: Array<{ day: number; value: number }> = [];
  for (let day = dayOf('2023-01-01'); day <= dayOf('2024-12-31'); day++) {
    const date = dateOf(day);
    if (date === '2023-04-10' || options.drop?.includes(date)) continue;
    points.push({ day, value: date === '2024-02-26' ? 9 : date.startsWith('2023') ? 1 : 2 });
  }
  return dailySeries(points);
}

describe('box totals', () => {
  it('week ending 29 February 2024: 364-day YoY and 29 February -> 28 February', () => {
    const box = boxTotals(periodValue(twoYears(), 'sum'), dayOf('2024-02-29'), 'count');
    // Feb 23-29 2024: six 2s and the 9 = 21; Feb 16-22: 14 -> +50%.
    expect(box.lastWeek).toBe(21);
    expect(box.weekOverWeek).toBe(0.5);
    // 364 days before 2024-02-29 is 2023-03-02: Feb 24 - Mar 2 2023 = 7 -> (21 - 7) / 7.
    expect(box.yoyWeek).toBe(2);
    // Feb 1-29 2024: 28 x 2 + 9 = 65; a year earlier Feb 1-28 2023 (29 Feb maps to 28 Feb) = 28.
    expect(box.monthToDate).toBe(65);
    expect(box.yoyMonthToDate).toBeCloseTo(37 / 28, 12);
    // Jan 1 - Feb 29 2024: 59 x 2 + 9 = 127 against Jan 1 - Feb 28 2023 = 59 (quarter and year agree in February).
    expect(box.quarterToDate).toBe(127);
    expect(box.yoyQuarterToDate).toBeCloseTo(68 / 59, 12);
    expect(box.yearToDate).toBe(127);
    expect(box.yoyYearToDate).toBeCloseTo(68 / 59, 12);
  });

  it('week ending 8 May 2024: a missing day in the base year makes the comparison null, not partial', () => {
    const box = boxTotals(periodValue(twoYears(), 'sum'), dayOf('2024-05-08'), 'count');
    // May 2-8 2024 = 14; Apr 25 - May 1 = 14; 364 days back ends 2023-05-10: May 4-10 2023 = 7.
    expect([box.lastWeek, box.weekOverWeek, box.yoyWeek]).toEqual([14, 0, 1]);
    // May 1-8: 16 against 8.
    expect([box.monthToDate, box.yoyMonthToDate]).toEqual([16, 1]);
    // Apr 1 - May 8 2024 = 38 days x 2 = 76; its base Apr 1 - May 8 2023 lacks Apr 10 -> null.
    expect([box.quarterToDate, box.yoyQuarterToDate]).toEqual([76, null]);
    // Jan 1 - May 8 2024 = 129 days: 128 x 2 + 9 = 265; base lacks Apr 10 -> null.
    expect([box.yearToDate, box.yoyYearToDate]).toEqual([265, null]);
  });

  it('a partial current month is missing, and so is every span that holds the missing day', () => {
    const box = boxTotals(periodValue(twoYears({ drop: ['2024-05-03'] }), 'sum'), dayOf('2024-05-08'), 'count');
    expect(box).toMatchObject({
      lastWeek: null,
      weekOverWeek: null,
      yoyWeek: null,
      monthToDate: null,
      quarterToDate: null,
      yearToDate: null,
    });
  });

  it('rates compare in basis points; mean and last aggregate as named', () => {
    const series = twoYears();
    // Mean of Feb 23-29 2024 = 21 / 7 = 3; of Feb 24 - Mar 2 2023 = 1 -> +2 = 20,000 bp.
    const mean = boxTotals(periodValue(series, 'mean'), dayOf('2024-02-29'), 'ratio');
    expect(mean.lastWeek).toBe(3);
    expect(mean.yoyWeek).toBe(20_000);
    // Last: 2 on 2024-02-29 against 1 on 2023-03-02 -> +100%.
    const last = boxTotals(periodValue(series, 'last'), dayOf('2024-02-29'), 'count');
    expect([last.lastWeek, last.yoyWeek]).toEqual([2, 1]);
  });

  it('a gauge (last) needs only the period’s last day', () => {
    // 2024-02-27 is missing, but the week ending 2024-02-29 still reads 2 on its last day; a sum of the same week is missing.
    const series = twoYears({ drop: ['2024-02-27'] });
    expect(boxTotals(periodValue(series, 'last'), dayOf('2024-02-29'), 'count').lastWeek).toBe(2);
    expect(boxTotals(periodValue(series, 'sum'), dayOf('2024-02-29'), 'count').lastWeek).toBeNull();
  });

  it('a zero base gives null', () => {
    const zeros = dailySeries(Array.from({ length: 800 }, (_, i) => ({ day: dayOf('2023-01-01') + i, value: i < 400 ? 0 : 1 })));
    const box = boxTotals(periodValue(zeros, 'sum'), dayOf('2024-12-31'), 'count');
    expect(box.yoyWeek).toBeNull();
  });
});

describe('6-12 chart', () => {
  it('shows six weeks and twelve complete months with their prior year; a month with a missing day is missing', () => {
    const chart = sixTwelve(periodValue(twoYears({ drop: ['2024-05-03'] }), 'sum'), dayOf('2024-06-05'), {
      unit: 'count',
      targets: { week: 15 },
    });
    expect(chart.weeks.map((w) => w.period)).toEqual(['2024-05-01', '2024-05-08', '2024-05-15', '2024-05-22', '2024-05-29', '2024-06-05']);
    // Week ending 2024-05-08 holds 2024-05-03 (missing); the week ending 2024-05-15 is 7 x 2, its prior year 7 x 1.
    expect(chart.weeks.map((w) => w.value)).toEqual([14, null, 14, 14, 14, 14]);
    expect(chart.weeks[2]?.priorYear).toBe(7);
    expect(chart.weeks[0]?.target).toBe(15);
    // Months Jun 2023 .. May 2024 (June 2024 is not complete on 5 June).
    expect(chart.months.map((m) => m.period)).toEqual([
      '2023-06',
      '2023-07',
      '2023-08',
      '2023-09',
      '2023-10',
      '2023-11',
      '2023-12',
      '2024-01',
      '2024-02',
      '2024-03',
      '2024-04',
      '2024-05',
    ]);
    // April 2024: 30 x 2; its prior year April 2023 lacks the 10th -> missing. May 2024 lacks the 3rd -> missing.
    expect(chart.months[10]).toMatchObject({ value: 60, priorYear: null });
    expect(chart.months[11]).toMatchObject({ value: null, priorYear: 31 });
    // February 2024: 28 x 2 + 9 = 65 against February 2023 = 28.
    expect(chart.months[8]).toMatchObject({ value: 65, priorYear: 28 });
  });
});
