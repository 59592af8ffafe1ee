import { addCounts, ZERO, type CountsSource, type SliceRule } from './counts.js';
import type { ComparisonOp, Counts, SloDefinition, TimeSlicing } from './model.js';
import type { Interval } from './windows.js';

/**
 * Error-budget arithmetic (SRE Workbook ch. 2 and 5). With target T over a
 * window holding `total` events of which `good` succeeded:
 *
 *   attainment       = good / total
 *   error budget     = (1 - T) × total          bad events the window allows
 *   budget consumed  = bad / ((1 - T) × total)  = (1 - attainment) / (1 - T)
 *   budget remaining = 1 - consumed             not clamped: overspend is negative
 *   burn rate (w)    = error ratio over w / (1 - T)
 *
 * Budgets are always built from summed counts, so busy minutes weigh more
 * than quiet ones; never from an average of per-interval ratios.
 */
export function attainment(counts: Counts): number | null {
  return counts.total > 0 ? counts.good / counts.total : null;
}

export function errorRatio(counts: Counts): number {
  return counts.total > 0 ? (counts.total - counts.good) / counts.total : 0;
}

export function burnRate(ratioOfErrors: number, target: number): number {
  return ratioOfErrors / (1 - target);
}

/** Spent over allowed; an empty allowance with errors spent is infinitely overspent. */
export function budgetConsumed(spent: number, allowed: number): number {
  if (allowed > 0) return spent / allowed;
  return spent > 0 ? Infinity : 0;
}

/**
 * Time until the remaining budget is gone if the current burn rate holds:
 * burning at rate b spends b/period of the budget per unit of time, so
 * remaining × period / b. A 1000× burn empties a fresh 30-day budget in
 * 30 d / 1000 = 43.2 minutes.
 */
export function timeToExhaustion(remaining: number, rate: number, periodMs: number): number | null {
  if (remaining <= 0) return 0;
  if (rate <= 0) return null;
  return (remaining * periodMs) / rate;
}

export function compare(value: number, op: ComparisonOp, threshold: number): boolean {
  switch (op) {
    case 'lt':
      return value < threshold;
    case 'lte':
      return value <= threshold;
    case 'gt':
      return value > threshold;
    case 'gte':
      return value >= threshold;
  }
}

/** Events summed over several intervals. */
export function sumIntervals(source: CountsSource, intervals: readonly Interval[]): Counts {
  return intervals.reduce((sum, [start, end]) => addCounts(sum, source.sum(start, end)), ZERO);
}

/** What a budgeting method makes of a span: the units it counts (events or slices) and how many were bad. */
export interface Measured {
  counts: Counts;
  attainment: number | null;
  /** Events (Occurrences) or slices (Timeslices, RatioTimeslices) judged. */
  units: number;
  /** Bad events, bad slices, or for RatioTimeslices the summed shortfall (1 - ratio) of the slices. */
  bad: number;
}

/**
 * Measures `intervals` with the SLO's budgeting method (OpenSLO v1):
 * - Occurrences: good events / events.
 * - Timeslices: the span is cut into slices aligned to multiples of the
 *   slice length since the epoch; a slice is judged only when it lies wholly
 *   inside the span. A slice is bad when its good ratio fails the
 *   timeSliceTarget; a slice without events is good (nothing failed).
 * - RatioTimeslices: the mean of the slices' good ratios, over slices with
 *   events (OpenSLO's definition: each slice weighs the same, whatever its traffic).
 */
export function measure(definition: SloDefinition, source: CountsSource, intervals: readonly Interval[]): Measured {
  const counts = sumIntervals(source, intervals);
  const slicing = definition.timeSlicing;
  if (definition.budgetingMethod === 'Occurrences' || !slicing) {
    return { counts, attainment: attainment(counts), units: counts.total, bad: counts.total - counts.good };
  }
  const rule = sliceRule(definition.budgetingMethod, slicing);
  let units = 0;
  let bad = 0;
  for (const [start, end] of intervals) {
    const tally = source.sliceTally ? source.sliceTally(start, end, rule) : tallySlices(source, start, end, rule);
    units += tally.units;
    bad += tally.bad;
  }
  return { counts, attainment: units > 0 ? (units - bad) / units : null, units, bad };
}

function sliceRule(method: 'Timeslices' | 'RatioTimeslices', slicing: TimeSlicing): SliceRule {
  return {
    sliceMs: slicing.sliceMs,
    method,
    isGood: (good, total) => compare(good / total, slicing.op, slicing.target),
    key: `${method}/${slicing.sliceMs}/${slicing.op}/${slicing.target}`,
  };
}

/** Judges each whole slice of [start, end) by summing it: the general path for any source. */
function tallySlices(source: CountsSource, start: number, end: number, rule: SliceRule): { units: number; bad: number } {
  let units = 0;
  let bad = 0;
  for (const [sliceStart, sliceEnd] of wholeSlices([[start, end]], rule.sliceMs)) {
    const slice = source.sum(sliceStart, sliceEnd);
    if (rule.method === 'Timeslices') {
      units++;
      if (slice.total > 0 && !rule.isGood(slice.good, slice.total)) bad++;
    } else if (slice.total > 0) {
      units++;
      bad += 1 - slice.good / slice.total;
    }
  }
  return { units, bad };
}

/** Slices [k·len, (k+1)·len) lying wholly inside one of the intervals. */
export function* wholeSlices(intervals: readonly Interval[], sliceMs: number): Generator<Interval> {
  for (const [start, end] of intervals) {
    for (let sliceStart = Math.ceil(start / sliceMs) * sliceMs; sliceStart + sliceMs <= end; sliceStart += sliceMs) {
      yield [sliceStart, sliceStart + sliceMs];
    }
  }
}

/** How many whole slices the intervals hold (the Timeslices budget is (1 - T) of a period's slices). */
export function countWholeSlices(intervals: readonly Interval[], sliceMs: number): number {
  return intervals.reduce((count, [start, end]) => count + Math.max(0, Math.floor(end / sliceMs) - Math.ceil(start / sliceMs)), 0);
}

/** Burn rate of a measured span: its share of bad units over the budget's share (1 - T). */
export function measuredBurnRate(measured: Measured, target: number): number {
  return measured.units > 0 ? burnRate(measured.bad / measured.units, target) : 0;
}
