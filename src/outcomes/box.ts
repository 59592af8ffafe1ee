import type { PeriodValue } from './aggregate.js';
import { monthStart, quarterStart, sameDateYearBefore, yearStart } from './dates.js';

/**
 * The box under a 6-12 chart (Amazon's WBR): last week and the to-date spans
 * with their comparisons. Weeks compare with the 7 days before and with the
 * 7 days ending 364 days earlier (same weekdays); month, quarter and year to
 * date run from the period's first day through the week-ending date and
 * compare with the same calendar dates a year earlier (29 February maps to 28
 * February). Comparisons are fractional change (0.05 = +5%) for counts and
 * basis points of difference for rates; a missing or zero base gives null.
 */
export type BoxUnit = 'count' | 'ratio';

export interface BoxTotals {
  lastWeek: number | null;
  weekOverWeek: number | null;
  yoyWeek: number | null;
  monthToDate: number | null;
  yoyMonthToDate: number | null;
  quarterToDate: number | null;
  yoyQuarterToDate: number | null;
  yearToDate: number | null;
  yoyYearToDate: number | null;
}

export const YOY_WEEK_DAYS = 364;

export function compare(current: number | null, base: number | null, unit: BoxUnit): number | null {
  if (current === null || base === null || base === 0) return null;
  return unit === 'ratio' ? (current - base) * 10_000 : (current - base) / base;
}

export function boxTotals(value: PeriodValue, weekEnding: number, unit: BoxUnit): BoxTotals {
  const week = (end: number) => value(end - 6, end);
  const toDate = (start: (day: number) => number) => {
    const current = value(start(weekEnding), weekEnding);
    const end = sameDateYearBefore(weekEnding);
    const base = value(start(end), end);
    return [current, compare(current, base, unit)] as const;
  };
  const lastWeek = week(weekEnding);
  const [monthToDate, yoyMonthToDate] = toDate(monthStart);
  const [quarterToDate, yoyQuarterToDate] = toDate(quarterStart);
  const [yearToDate, yoyYearToDate] = toDate(yearStart);
  return {
    lastWeek,
    weekOverWeek: compare(lastWeek, week(weekEnding - 7), unit),
    yoyWeek: compare(lastWeek, week(weekEnding - YOY_WEEK_DAYS), unit),
    monthToDate,
    yoyMonthToDate,
    quarterToDate,
    yoyQuarterToDate,
    yearToDate,
    yoyYearToDate,
  };
}
