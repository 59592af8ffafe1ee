import type { PublishedSeries, SeriesRange } from '../kit/module.js';
import { dayIndex, rangeDays } from '../kit/review.js';
import type { Store } from '../store/database.js';
import { DEFAULT_ASSESS_OPTIONS } from './assess-deployments.js';
import { loadDeliveryFacts } from './delivery-facts.js';
import { median, sortedSample } from './percentiles.js';

/** Lead time and recovery time are medians over the deployments that finished in the trailing days ending each day. */
export const DORA_SERIES_WINDOW_DAYS = 7;
const HOUR_MS = 3_600_000;

/**
 * Delivery's lead time, change failure rate and recovery time as daily series
 * (docs/metrics/delivery.md), computed as the DORA report computes them with
 * its defaults (production deployments of every service, lead time from the
 * author time, failures from incidents and reverts within 7 days, linear
 * median):
 *
 * - `delivery.lead-time-p50`: the median lead time (hours) of the changes
 *   shipped first by deployments that finished in the 7 days ending that day;
 *   a week's value is its last day's, so a week ending on a review's
 *   week-ending date is exactly that week's median.
 * - `delivery.cfr.failed` / `delivery.cfr.deployments`: assessed deployments
 *   finished that day that failed / all of them; `delivery.change-failure-rate`
 *   is their ratio after aggregation (a week's failed over a week's deployments).
 * - `delivery.recovery-time-p50`: the median time (hours) from a failed
 *   deployment to its restoration, over the restored failed deployments that
 *   finished in the 7 days ending that day.
 *
 * Days with nothing to measure have no value.
 */
export async function deliveryDoraSeries(store: Store, range: SeriesRange): Promise<PublishedSeries[]> {
  const days = rangeDays(range);
  const n = days.length;
  if (n === 0) return [];
  const { assessment } = await loadDeliveryFacts(store.db, {}, { leadTimeStart: 'author', assess: DEFAULT_ASSESS_OPTIONS });
  const pad = DORA_SERIES_WINDOW_DAYS - 1;
  const windowStart = (i: number) => (i - pad >= 0 ? days[i - pad]!.start : days[0]!.start - (pad - i) * 86_400_000);
  const failed = new Array<number>(n).fill(0);
  const total = new Array<number>(n).fill(0);
  const byFinish = assessment.deployments
    .filter((a) => a.deployment.finishedAt >= windowStart(0) && a.deployment.finishedAt < days[n - 1]!.end)
    .sort((a, b) => a.deployment.finishedAt - b.deployment.finishedAt);
  for (const a of byFinish) {
    const i = dayIndex(days, a.deployment.finishedAt);
    if (i < 0 || i >= n) continue;
    total[i]!++;
    if (a.failureReasons.length > 0) failed[i]!++;
  }
  const leadTime: Array<{ date: string; value: number }> = [];
  const recovery: Array<{ date: string; value: number }> = [];
  for (let i = 0; i < n; i++) {
    const from = windowStart(i);
    const to = days[i]!.end;
    const inWindow = byFinish.filter((a) => a.deployment.finishedAt >= from && a.deployment.finishedAt < to);
    const leads: number[] = [];
    for (const a of inWindow) for (const ms of a.leadTimesMs) leads.push(ms);
    const lead = median(sortedSample(leads), 'linear');
    if (lead !== null) leadTime.push({ date: days[i]!.date, value: lead / HOUR_MS });
    const restored = inWindow.filter((a) => a.failureReasons.length > 0 && a.restoredAt !== null);
    const rec = median(sortedSample(restored.map((a) => (a.restoredAt as number) - a.deployment.finishedAt)), 'linear');
    if (rec !== null) recovery.push({ date: days[i]!.date, value: rec / HOUR_MS });
  }
  const daily = (values: number[]) => values.map((value, i) => ({ date: days[i]!.date, value }));
  return [
    {
      metric: {
        id: 'delivery.lead-time-p50',
        name: 'Lead time for changes (p50)',
        unit: 'duration',
        direction: 'down',
        aggregation: 'last',
        description:
          'Median hours from a change’s author time to the production deployment that shipped it first, over deployments finished in the 7 days ending that day.',
      },
      points: leadTime,
    },
    {
      metric: {
        id: 'delivery.cfr.failed',
        name: 'Deployments that failed (change failure rate numerator)',
        unit: 'count',
        direction: 'down',
        aggregation: 'sum',
        description:
          'Production deployments finished that day that caused a failure (an incident within 7 days, a revert, a rollback or a fix).',
      },
      points: daily(failed),
    },
    {
      metric: {
        id: 'delivery.cfr.deployments',
        name: 'Deployments assessed (change failure rate denominator)',
        unit: 'count',
        direction: 'up',
        aggregation: 'sum',
        description: 'Production deployments finished that day, the denominator of the change failure rate.',
      },
      points: daily(total),
    },
    {
      metric: {
        id: 'delivery.change-failure-rate',
        name: 'Change failure rate',
        unit: 'ratio',
        direction: 'down',
        aggregation: 'sum',
        description: 'delivery.cfr.failed / delivery.cfr.deployments, each summed over the period first.',
        numerator: 'delivery.cfr.failed',
        denominator: 'delivery.cfr.deployments',
      },
      points: [],
    },
    {
      metric: {
        id: 'delivery.recovery-time-p50',
        name: 'Failed deployment recovery time (p50)',
        unit: 'duration',
        direction: 'down',
        aggregation: 'last',
        description:
          'Median hours from a failed production deployment to restored service, over restored failed deployments finished in the 7 days ending that day.',
      },
      points: recovery,
    },
  ];
}
