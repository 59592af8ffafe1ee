/**
 * OKR progress and grading, pure. Definitions (docs/metrics/okrs.md):
 *  - a metric key result's progress is (current - start) / (target - start),
 *    clamped to [0, 1] — oslokommune's okr-tracker scale; the same formula is
 *    right for a decreasing target, where both differences are negative;
 *  - a milestone key result's progress is its zone's value (fail 0, commit 0.3,
 *    target 0.7, stretch 1 by default — puzzle/okr's zones on Google's scale);
 *  - an objective's score is the weighted mean of its key results' progress;
 *    team and company roll-ups are weighted means of objective scores;
 *  - bands (Google's grading): below 0.4 red, from 0.4 below 0.7 yellow, 0.7
 *    and above green; a committed objective is expected at 1.0, so one that
 *    ends its period below 1.0 is flagged;
 *  - expected progress on a date is the elapsed share of the period: whole
 *    days from its first day, over its length counting both end dates; a key
 *    result is behind when its progress is below expected minus a tolerance.
 */

export const DAY_MS = 86_400_000;

export type Band = 'red' | 'yellow' | 'green';
export type ObjectiveKind = 'committed' | 'aspirational';
export const ZONES = ['fail', 'commit', 'target', 'stretch'] as const;
export type Zone = (typeof ZONES)[number];
export type ZoneValues = Record<Zone, number>;

export const DEFAULT_ZONE_VALUES: ZoneValues = { fail: 0, commit: 0.3, target: 0.7, stretch: 1 };
export const DEFAULT_BEHIND_TOLERANCE = 0.1;

/** A period as calendar dates, both inclusive, `YYYY-MM-DD`. */
export interface PeriodDates {
  start: string;
  end: string;
}

export function metricProgress(current: number | null, start: number, target: number): number {
  if (current === null) return 0;
  if (target === start) throw new RangeError('target equals start: progress is undefined');
  return clamp01((current - start) / (target - start));
}

export function milestoneProgress(zone: Zone | null, values: ZoneValues = DEFAULT_ZONE_VALUES): number {
  return zone === null ? 0 : values[zone];
}

/** Weighted mean; an empty list scores 0 (nothing achieved is nothing to show). */
export function weightedMean(items: ReadonlyArray<{ value: number; weight: number }>): number {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  return total === 0 ? 0 : items.reduce((sum, item) => sum + item.value * item.weight, 0) / total;
}

export function band(score: number): Band {
  return score < 0.4 ? 'red' : score < 0.7 ? 'yellow' : 'green';
}

/** Days from 1970-01-01 of a `YYYY-MM-DD` date (UTC calendar). */
export function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

/** The period's length in days, counting both its first and last day. */
export function periodDays(period: PeriodDates): number {
  return dayNumber(period.end) - dayNumber(period.start) + 1;
}

/**
 * Elapsed share of the period at `at`: whole days since its first day divided
 * by its length (day 45 of a 90-day quarter is 0.5), clamped to [0, 1].
 */
export function expectedProgress(period: PeriodDates, at: number): number {
  const elapsedDays = Math.floor(at / DAY_MS) - dayNumber(period.start);
  return clamp01(elapsedDays / periodDays(period));
}

/** The period is over once its last day has passed. */
export function periodOver(period: PeriodDates, at: number): boolean {
  return at >= (dayNumber(period.end) + 1) * DAY_MS;
}

export function isBehind(progress: number, expected: number, tolerance = DEFAULT_BEHIND_TOLERANCE): boolean {
  return progress < expected - tolerance;
}

/** A committed objective is expected to reach 1.0 by the end of its period. */
export function isFlagged(kind: ObjectiveKind, score: number, period: PeriodDates, at: number): boolean {
  return kind === 'committed' && periodOver(period, at) && score < 1;
}

/** The latest value on or before `at`, or null when none is. */
export function latestValue(values: ReadonlyArray<{ at: number; value: number }>, at: number): number | null {
  let best: { at: number; value: number } | null = null;
  for (const point of values) if (point.at <= at && (best === null || point.at >= best.at)) best = point;
  return best === null ? null : best.value;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
