import type { PeriodValue } from './aggregate.js';
import { boxTotals, type BoxTotals, type BoxUnit, YOY_WEEK_DAYS } from './box.js';
import { addMonths, dateOf, monthEnd, partsOf } from './dates.js';
import { DEFAULT_BASELINE_POINTS, xmr, type XmrLimits, type XmrRule } from './xmr.js';

/**
 * The 6-12 chart of one metric for one week (Amazon's WBR): the trailing six
 * weeks and the trailing twelve complete calendar months on one axis, each
 * with the prior year (weeks 364 days back, months one calendar year back)
 * and the target; the box under it; and the XmR signals of the weekly and
 * monthly series marked on the points they fire at.
 */
export const CHART_WEEKS = 6;
export const CHART_MONTHS = 12;
/** How far back XmR looks when no baseline start is set: a year of weeks, two years of months. */
export const XMR_WEEKS = 52;
export const XMR_MONTHS = 24;

export interface ChartPoint {
  /** Week: its last day; month: `YYYY-MM`. */
  period: string;
  /** First and last day covered, for the click-down to data points. */
  from: string;
  to: string;
  value: number | null;
  priorYear: number | null;
  target: number | null;
}

export interface PeriodSignal {
  period: string;
  rule: XmrRule;
  direction: 'high' | 'low';
}

export interface SeriesSignals {
  limits: XmrLimits | null;
  /** Every signal in the analysed window (a year of weeks, two years of months, or since the baseline start). */
  signals: PeriodSignal[];
}

export interface SixTwelve {
  weekEnding: string;
  weeks: ChartPoint[];
  months: ChartPoint[];
  box: BoxTotals;
  weekly: SeriesSignals;
  monthly: SeriesSignals;
}

export interface SixTwelveOptions {
  unit: BoxUnit;
  targets?: { week?: number | null; month?: number | null };
  /** XmR baseline length and its first day (a locked baseline after a real change). */
  baselinePoints?: number;
  baselineFrom?: number | null;
}

export function sixTwelve(value: PeriodValue, weekEnding: number, options: SixTwelveOptions): SixTwelve {
  const weekTarget = options.targets?.week ?? null;
  const monthTarget = options.targets?.month ?? null;
  const weeks: ChartPoint[] = [];
  for (let k = CHART_WEEKS - 1; k >= 0; k--) {
    const end = weekEnding - 7 * k;
    weeks.push({
      period: dateOf(end),
      from: dateOf(end - 6),
      to: dateOf(end),
      value: value(end - 6, end),
      priorYear: value(end - 6 - YOY_WEEK_DAYS, end - YOY_WEEK_DAYS),
      target: weekTarget,
    });
  }
  const lastMonth = lastCompleteMonth(weekEnding);
  const months: ChartPoint[] = [];
  for (let k = CHART_MONTHS - 1; k >= 0; k--) {
    const start = addMonths(lastMonth, -k);
    const end = monthEnd(start);
    const before = addMonths(start, -12);
    months.push({
      period: dateOf(start).slice(0, 7),
      from: dateOf(start),
      to: dateOf(end),
      value: value(start, end),
      priorYear: value(before, monthEnd(before)),
      target: monthTarget,
    });
  }
  return {
    weekEnding: dateOf(weekEnding),
    weeks,
    months,
    box: boxTotals(value, weekEnding, options.unit),
    weekly: weeklySignals(value, weekEnding, options),
    monthly: monthlySignals(value, weekEnding, options),
  };
}

/** The month holding `day` when `day` is its last day, else the month before. */
export function lastCompleteMonth(day: number): number {
  return monthEnd(day) === day ? addMonths(day, 0) : addMonths(day, -1);
}

function weeklySignals(value: PeriodValue, weekEnding: number, options: SixTwelveOptions): SeriesSignals {
  const from = options.baselineFrom ?? null;
  const count = from === null ? XMR_WEEKS : Math.max(1, Math.floor((weekEnding - from) / 7) + 1);
  const periods: Array<{ period: string; value: number | null }> = [];
  for (let k = count - 1; k >= 0; k--) {
    const end = weekEnding - 7 * k;
    periods.push({ period: dateOf(end), value: value(end - 6, end) });
  }
  return signalsOf(periods, options.baselinePoints);
}

function monthlySignals(value: PeriodValue, weekEnding: number, options: SixTwelveOptions): SeriesSignals {
  const last = lastCompleteMonth(weekEnding);
  const from = options.baselineFrom ?? null;
  const count = from === null ? XMR_MONTHS : Math.max(1, monthsBetween(from, last) + 1);
  const periods: Array<{ period: string; value: number | null }> = [];
  for (let k = count - 1; k >= 0; k--) {
    const start = addMonths(last, -k);
    periods.push({ period: dateOf(start).slice(0, 7), value: value(start, monthEnd(start)) });
  }
  return signalsOf(periods, options.baselinePoints);
}

function monthsBetween(from: number, to: number): number {
  const a = partsOf(from);
  const b = partsOf(to);
  return (b.year - a.year) * 12 + (b.month - a.month);
}

/** XmR over the periods that have a value (missing periods are skipped, not zero). */
function signalsOf(periods: Array<{ period: string; value: number | null }>, baselinePoints?: number): SeriesSignals {
  const present = periods.filter((p): p is { period: string; value: number } => p.value !== null);
  const chart = xmr(
    present.map((p) => p.value),
    { baseline: baselinePoints ?? DEFAULT_BASELINE_POINTS },
  );
  if (!chart) return { limits: null, signals: [] };
  const { movingRanges: _ranges, signals, ...limits } = chart;
  return {
    limits,
    signals: signals.map((s) => ({ period: (present[s.index] as { period: string }).period, rule: s.rule, direction: s.direction })),
  };
}
