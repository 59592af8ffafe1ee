import { percentile, sortedSample } from '../shared/percentiles.js';
import { DAY_MS, isClosed, isOverdue, type Milestones, type Postmortem, type RemediationItem } from './model.js';

/**
 * Incident metrics (definitions in docs/metrics/incidents.md). Pure functions
 * over plain rows, so the zero-config CLI (`sextant incident metrics --file`)
 * and the stored workspace compute them with the same code.
 */

/** What the response metrics need of an incident. */
export interface MetricIncident {
  id: string;
  serviceId: string;
  severity: string | null;
  milestones: Milestones;
  drill: boolean;
  tags?: readonly string[];
}

export interface DurationStats {
  /** Incidents that reached the milestone (drills excluded). */
  count: number;
  /** Percentiles by linear interpolation between closest ranks (numpy's default). Null when count is 0. */
  p50Seconds: number | null;
  p90Seconds: number | null;
  meanSeconds: number | null;
}

export function durationStats(secondsValues: readonly number[]): DurationStats {
  const sorted = sortedSample(secondsValues);
  const count = sorted.length;
  return {
    count,
    p50Seconds: percentile(sorted, 0.5),
    p90Seconds: percentile(sorted, 0.9),
    meanSeconds: count === 0 ? null : sorted.reduce((sum, v) => sum + v, 0) / count,
  };
}

export interface ResponseMetrics {
  /** Incidents counted (drills excluded). */
  incidents: number;
  drills: number;
  /** Counted incidents without a resolution (at `at`). */
  open: number;
  /** acknowledgedAt - impactStartedAt */
  mtta: DurationStats;
  /** mitigatedAt - impactStartedAt */
  mttm: DurationStats;
  /** resolvedAt - impactStartedAt */
  mttr: DurationStats;
}

/**
 * MTTA, MTTM and MTTR over the incidents that had started by `at`, each over
 * the incidents that reached its milestone by `at` (a milestone after `at`
 * has not happened yet). Drills are counted apart and in nothing else.
 */
export function responseMetrics(incidents: readonly MetricIncident[], at: number): ResponseMetrics {
  const started = incidents.filter((i) => i.milestones.impactStartedAt <= at);
  const counted = started.filter((i) => !i.drill);
  const reached = (m: number | null) => m !== null && m <= at;
  const durations = (key: 'acknowledgedAt' | 'mitigatedAt' | 'resolvedAt') =>
    durationStats(
      counted.flatMap((i) => {
        const m = i.milestones[key];
        return reached(m) ? [((m as number) - i.milestones.impactStartedAt) / 1000] : [];
      }),
    );
  return {
    incidents: counted.length,
    drills: started.length - counted.length,
    open: counted.filter((i) => !reached(i.milestones.resolvedAt)).length,
    mtta: durations('acknowledgedAt'),
    mttm: durations('mitigatedAt'),
    mttr: durations('resolvedAt'),
  };
}

export interface CountRow {
  key: string;
  count: number;
}

/** Counts of non-drill incidents by severity, service, owning team and UTC month of impact start, largest first (months in order). */
export function incidentCounts(
  incidents: readonly MetricIncident[],
  teamOf: (serviceId: string) => string | null,
): { bySeverity: CountRow[]; byService: CountRow[]; byTeam: CountRow[]; byMonth: CountRow[] } {
  const counted = incidents.filter((i) => !i.drill);
  const tally = (keyOf: (i: MetricIncident) => string) => {
    const counts = new Map<string, number>();
    for (const i of counted) counts.set(keyOf(i), (counts.get(keyOf(i)) ?? 0) + 1);
    return [...counts].map(([key, count]) => ({ key, count }));
  };
  const byCount = (a: CountRow, b: CountRow) => b.count - a.count || a.key.localeCompare(b.key);
  return {
    bySeverity: tally((i) => i.severity ?? 'unknown').sort(byCount),
    byService: tally((i) => i.serviceId).sort(byCount),
    byTeam: tally((i) => teamOf(i.serviceId) ?? 'unknown').sort(byCount),
    byMonth: tally((i) => new Date(i.milestones.impactStartedAt).toISOString().slice(0, 7)).sort((a, b) => a.key.localeCompare(b.key)),
  };
}

/** A repeat: an incident of the same service sharing a tag with one that started in the 30 days before it. */
export const REPEAT_WINDOW_DAYS = 30;

export interface RepeatIncident {
  id: string;
  repeats: string;
  serviceId: string;
  tag: string;
}

export function repeatIncidents(incidents: readonly MetricIncident[]): RepeatIncident[] {
  const counted = incidents.filter((i) => !i.drill).sort((a, b) => a.milestones.impactStartedAt - b.milestones.impactStartedAt);
  const out: RepeatIncident[] = [];
  counted.forEach((incident, index) => {
    for (let j = index - 1; j >= 0; j--) {
      const earlier = counted[j] as MetricIncident;
      if (incident.milestones.impactStartedAt - earlier.milestones.impactStartedAt > REPEAT_WINDOW_DAYS * DAY_MS) break;
      if (earlier.serviceId !== incident.serviceId) continue;
      const tag = (incident.tags ?? []).find((t) => (earlier.tags ?? []).includes(t));
      if (tag !== undefined) {
        out.push({ id: incident.id, repeats: earlier.id, serviceId: incident.serviceId, tag });
        return;
      }
    }
  });
  return out;
}

export interface PostmortemMetrics {
  /** Resolved, non-drill incidents whose postmortem is required (at `at`). */
  required: number;
  /** Of those, with a published postmortem. */
  published: number;
  /** published / required; null when none is required. */
  completionRate: number | null;
  /** Required but not published, past the due date. */
  overdue: number;
  /** Median days from resolution to publication over published postmortems (linear interpolation). */
  medianDaysToPublish: number | null;
}

export function postmortemMetrics(
  incidents: ReadonlyArray<MetricIncident & { postmortemRequired: boolean }>,
  postmortems: ReadonlyMap<string, Pick<Postmortem, 'status' | 'publishedAt' | 'dueAt'>>,
  at: number,
): PostmortemMetrics {
  const required = incidents.filter((i) => !i.drill && i.postmortemRequired && i.milestones.resolvedAt !== null);
  const published = required.filter((i) => {
    const pm = postmortems.get(i.id);
    return pm?.status === 'published' && pm.publishedAt !== null && pm.publishedAt <= at;
  });
  const overdue = required.filter((i) => {
    const pm = postmortems.get(i.id);
    return pm?.status !== 'published' && pm?.dueAt != null && pm.dueAt < at;
  });
  const days = published.map((i) => ((postmortems.get(i.id)?.publishedAt as number) - (i.milestones.resolvedAt as number)) / DAY_MS);
  return {
    required: required.length,
    published: published.length,
    completionRate: required.length === 0 ? null : published.length / required.length,
    overdue: overdue.length,
    medianDaysToPublish: percentile(sortedSample(days), 0.5),
  };
}

export interface RemediationMetrics {
  open: number;
  overdue: number;
  /** Median days from creation to resolution of items done (linear interpolation). */
  medianDaysToClose: number | null;
  /** Of the items due by `at`, the share done on or before their due date; null when none is due. */
  closedByDueDateShare: number | null;
}

export function remediationMetrics(items: readonly RemediationItem[], at: number): RemediationMetrics {
  const done = items.filter((i) => i.status === 'done' && i.resolvedAt !== null);
  const due = items.filter((i) => i.dueAt <= at && i.status !== 'wont-do');
  const onTime = due.filter((i) => i.status === 'done' && i.resolvedAt !== null && i.resolvedAt <= i.dueAt);
  return {
    open: items.filter((i) => !isClosed(i)).length,
    overdue: items.filter((i) => isOverdue(i, at)).length,
    medianDaysToClose: percentile(sortedSample(done.map((i) => ((i.resolvedAt as number) - i.createdAt) / DAY_MS)), 0.5),
    closedByDueDateShare: due.length === 0 ? null : onTime.length / due.length,
  };
}
