import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { dateOf, dayOf } from './dates.js';
import { getMetric, periodValues, readPoints } from './store.js';

type Db = Kysely<Database>;

/**
 * The daily points of one metric from `from` to `to` (YYYY-MM-DD, inclusive),
 * oldest first. A ratio metric has no points of its own: its daily values are
 * numerator / denominator per day (days where either is missing or the
 * denominator is zero are left out). Throws NotFoundError for an unknown metric.
 */
export async function metricValues(db: Db, metricId: string, from: string, to: string): Promise<Array<{ date: string; value: number }>> {
  const metric = await getMetric(db, metricId);
  if (metric.numerator && metric.denominator) {
    const points = await readPoints(db, [metric.numerator, metric.denominator], dayOf(from), dayOf(to));
    const denominators = new Map((points.get(metric.denominator) ?? []).map((p) => [p.day, p.value]));
    return (points.get(metric.numerator) ?? []).flatMap((p) => {
      const d = denominators.get(p.day);
      return d === undefined || d === 0 ? [] : [{ date: dateOf(p.day), value: p.value / d }];
    });
  }
  const points = (await readPoints(db, [metricId], dayOf(from), dayOf(to))).get(metricId) ?? [];
  return points.map((p) => ({ date: dateOf(p.day), value: p.value }));
}

/**
 * One metric's value over a period, aggregated as its definition says (sum,
 * mean, last, min, max; ratios from aggregated numerator and denominator).
 * Null when any day of the period has no value (the partial-period rule).
 */
export async function metricPeriodValue(db: Db, metricId: string, from: string, to: string): Promise<number | null> {
  const metric = await getMetric(db, metricId);
  const value = (await periodValues(db, [metric], dayOf(from), dayOf(to))).get(metricId);
  return value ? value(dayOf(from), dayOf(to)) : null;
}

/** Ratio metrics look back this far for their latest day with both a numerator and a denominator. */
const RATIO_LOOKBACK_DAYS = 366;

/**
 * A metric's latest daily value on or before `onOrBefore` (YYYY-MM-DD), with
 * its date; null when it has none. A ratio metric's is its latest day with
 * both parts (within a year back). Throws NotFoundError for an unknown metric.
 */
export async function latestMetricValue(db: Db, metricId: string, onOrBefore: string): Promise<{ date: string; value: number } | null> {
  const metric = await getMetric(db, metricId);
  if (metric.numerator && metric.denominator) {
    const from = dateOf(dayOf(onOrBefore) - RATIO_LOOKBACK_DAYS);
    return (await metricValues(db, metricId, from, onOrBefore)).at(-1) ?? null;
  }
  const row = await db
    .selectFrom('outcomes_points')
    .select(['day', 'value'])
    .where('metric_id', '=', metricId)
    .where('day', '<=', dayOf(onOrBefore))
    .orderBy('day', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { date: dateOf(row.day), value: row.value } : null;
}
