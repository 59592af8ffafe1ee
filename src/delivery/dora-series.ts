import type { PublishedSeries, SeriesRange } from '../kit/module.js';
import { dayIndex, rangeDays } from '../kit/review.js';
import type { Store } from '../store/database.js';
import { DEFAULT_ASSESS_OPTIONS, type DeploymentAssessment } from './assess-deployments.js';
import { loadDeliveryFacts } from './delivery-facts.js';
import { DAY_MS, HOUR_MS } from './model.js';
import { median, sortedSample } from './percentiles.js';
import { byScope, scopedMetric, WORKSPACE_SCOPE, type SeriesScope } from './series-scopes.js';

/** Lead time and recovery time are medians over the deployments that finished in the trailing days ending each day. */
export const DORA_SERIES_WINDOW_DAYS = 7;

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
 * Days with nothing to measure have no value. Each is published for the
 * workspace and, with the ids suffixed (series-scopes.ts), for every service
 * and team with a deployment in the range or the window before it.
 */
export async function deliveryDoraSeries(
  store: Store,
  range: SeriesRange,
  scopesOf: (serviceId: string) => readonly SeriesScope[],
): Promise<PublishedSeries[]> {
  const days = rangeDays(range);
  const n = days.length;
  if (n === 0) return [];
  const { assessment } = await loadDeliveryFacts(store.db, {}, { leadTimeStart: 'author', assess: DEFAULT_ASSESS_OPTIONS });
  // One pass: each deployment lands in the bucket of the day it finished, in every scope it counts in. Buckets 0..pad-1
  // are the days before the range that the first windows reach back to; day i's window is buckets i..i+pad.
  const pad = DORA_SERIES_WINDOW_DAYS - 1;
  const first = days[0]!.start;
  const bucketOf = (at: number) => {
    if (at < first) {
      const before = Math.floor((at - first) / DAY_MS);
      return before >= -pad ? pad + before : -1;
    }
    const i = dayIndex(days, at);
    return i < n ? pad + i : -1;
  };
  const windows = new Map<string, { scope: SeriesScope; buckets: DoraWindows }>();
  for (const a of assessment.deployments) {
    const k = bucketOf(a.deployment.finishedAt);
    if (k < 0) continue;
    for (const scope of [WORKSPACE_SCOPE, ...scopesOf(a.deployment.serviceId)]) {
      let entry = windows.get(scope.suffix);
      if (!entry) windows.set(scope.suffix, (entry = { scope, buckets: new DoraWindows(n + pad) }));
      entry.buckets.add(k, a);
    }
  }
  const workspace = windows.get('') ?? { scope: WORKSPACE_SCOPE, buckets: new DoraWindows(n + pad) };
  const scoped = [...windows.values()].filter((w) => w.scope !== WORKSPACE_SCOPE).sort((a, b) => byScope(a.scope, b.scope));
  return [workspace, ...scoped].flatMap(({ scope, buckets }) => doraSeriesOf(scope, buckets, days, pad));
}

/** A scope's deployments by the day they finished: the failed and assessed counts, lead times and recovery times. */
class DoraWindows {
  readonly failed: number[];
  readonly total: number[];
  readonly leadTimesMs: number[][];
  readonly recoveryMs: number[][];

  constructor(buckets: number) {
    this.failed = new Array<number>(buckets).fill(0);
    this.total = new Array<number>(buckets).fill(0);
    this.leadTimesMs = Array.from({ length: buckets }, () => []);
    this.recoveryMs = Array.from({ length: buckets }, () => []);
  }

  add(bucket: number, a: DeploymentAssessment): void {
    this.total[bucket]!++;
    for (const ms of a.leadTimesMs) this.leadTimesMs[bucket]!.push(ms);
    if (a.failureReasons.length === 0) return;
    this.failed[bucket]!++;
    if (a.restoredAt !== null) this.recoveryMs[bucket]!.push(a.restoredAt - a.deployment.finishedAt);
  }
}

/** The median, in hours, of the durations in buckets from..to (inclusive); null when there are none. */
function medianHours(buckets: number[][], from: number, to: number): number | null {
  const ms = median(sortedSample(buckets.slice(from, to + 1).flat()), 'linear');
  return ms === null ? null : ms / HOUR_MS;
}

function doraSeriesOf(scope: SeriesScope, windows: DoraWindows, days: ReadonlyArray<{ date: string }>, pad: number): PublishedSeries[] {
  const leadTime: Array<{ date: string; value: number }> = [];
  const recovery: Array<{ date: string; value: number }> = [];
  days.forEach(({ date }, i) => {
    const lead = medianHours(windows.leadTimesMs, i, i + pad);
    if (lead !== null) leadTime.push({ date, value: lead });
    const rec = medianHours(windows.recoveryMs, i, i + pad);
    if (rec !== null) recovery.push({ date, value: rec });
  });
  const daily = (values: number[]) => days.map(({ date }, i) => ({ date, value: values[pad + i]! }));
  const failed = daily(windows.failed);
  const total = daily(windows.total);
  const series = (metric: PublishedSeries['metric'], points: PublishedSeries['points']) => ({
    metric: scopedMetric(metric, scope),
    points,
  });
  return [
    series(
      {
        id: 'delivery.lead-time-p50',
        name: 'Lead time for changes (p50)',
        unit: 'duration',
        direction: 'down',
        aggregation: 'last',
        description:
          'Median hours from a change’s author time to the production deployment that shipped it first, over deployments finished in the 7 days ending that day.',
      },
      leadTime,
    ),
    series(
      {
        id: 'delivery.cfr.failed',
        name: 'Deployments that failed (change failure rate numerator)',
        unit: 'count',
        direction: 'down',
        aggregation: 'sum',
        description:
          'Production deployments finished that day that caused a failure (an incident within 7 days, a revert, a rollback or a fix).',
      },
      failed,
    ),
    series(
      {
        id: 'delivery.cfr.deployments',
        name: 'Deployments assessed (change failure rate denominator)',
        unit: 'count',
        direction: 'up',
        aggregation: 'sum',
        description: 'Production deployments finished that day, the denominator of the change failure rate.',
      },
      total,
    ),
    series(
      {
        id: 'delivery.change-failure-rate',
        name: 'Change failure rate',
        unit: 'ratio',
        direction: 'down',
        aggregation: 'sum',
        description: 'delivery.cfr.failed / delivery.cfr.deployments, each summed over the period first.',
        numerator: 'delivery.cfr.failed',
        denominator: 'delivery.cfr.deployments',
      },
      [],
    ),
    series(
      {
        id: 'delivery.recovery-time-p50',
        name: 'Failed deployment recovery time (p50)',
        unit: 'duration',
        direction: 'down',
        aggregation: 'last',
        description:
          'Median hours from a failed production deployment to restored service, over restored failed deployments finished in the 7 days ending that day.',
      },
      recovery,
    ),
  ];
}
