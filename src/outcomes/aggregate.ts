/**
 * A metric's daily values and how a period (a week, a month, to-date spans)
 * is aggregated from them. The rule for gaps: a period is aggregated only when
 * every one of its days has a value; a period with a missing day is missing
 * (null), never a partial sum or a mean of what happened to arrive. `last` is
 * a gauge's reading at the period's end: it needs only the last day.
 */
export type Aggregation = 'sum' | 'mean' | 'last' | 'min' | 'max';

/** Daily values from `start` (a day number); NaN marks a missing day. */
export interface DailySeries {
  start: number;
  values: Float64Array;
}

export function dailySeries(points: ReadonlyArray<{ day: number; value: number }>): DailySeries {
  if (points.length === 0) return { start: 0, values: new Float64Array(0) };
  let first = Infinity;
  let last = -Infinity;
  for (const p of points) {
    if (p.day < first) first = p.day;
    if (p.day > last) last = p.day;
  }
  const values = new Float64Array(last - first + 1).fill(NaN);
  for (const p of points) values[p.day - first] = p.value;
  return { start: first, values };
}

/** The aggregated value over [from, to] (day numbers, inclusive), or null when a day is missing. */
export function aggregate(series: DailySeries, aggregation: Aggregation, from: number, to: number): number | null {
  if (to < from) return null;
  const lo = from - series.start;
  const hi = to - series.start;
  if (lo < 0 || hi >= series.values.length) return null;
  const values = series.values;
  if (aggregation === 'last') {
    const v = values[hi] as number;
    return Number.isNaN(v) ? null : v;
  }
  let acc = aggregation === 'min' ? Infinity : aggregation === 'max' ? -Infinity : 0;
  for (let i = lo; i <= hi; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) return null;
    if (aggregation === 'min') acc = v < acc ? v : acc;
    else if (aggregation === 'max') acc = v > acc ? v : acc;
    else acc += v;
  }
  return aggregation === 'mean' ? acc / (hi - lo + 1) : acc;
}

/** What the box, the 6-12 chart and XmR ask of a metric: its value over a span of days. */
export type PeriodValue = (from: number, to: number) => number | null;

export function periodValue(series: DailySeries, aggregation: Aggregation): PeriodValue {
  return (from, to) => aggregate(series, aggregation, from, to);
}

/** A ratio metric: numerator and denominator aggregated over the period first, then divided. */
export function ratioValue(numerator: PeriodValue, denominator: PeriodValue): PeriodValue {
  return (from, to) => {
    const n = numerator(from, to);
    const d = denominator(from, to);
    return n === null || d === null || d === 0 ? null : n / d;
  };
}
