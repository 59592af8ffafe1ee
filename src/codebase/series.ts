import type { PublishedSeries, SeriesRange } from '../kit/module.js';
import { rangeDays } from '../kit/review.js';
import { loadOrg } from '../org/index.js';
import type { Store } from '../store/database.js';
import type { TruckFactorReport } from './analyses.js';
import { analyseCachedHistory } from './history-cache.js';
import type { HotspotRow } from './hotspots.js';
import { analysisOptionsSchema } from './model.js';
import { getHistoryState } from './store.js';

/** A file is a hotspot on a day when at least this many commits changed it in the window ending that day. */
export const HOTSPOT_MIN_REVISIONS = 10;
export const HOTSPOT_WINDOW_DAYS = 90;
/** Analyses replay history; the series covers at most this many recent days of a range (the days weeks and months need). */
export const CODEBASE_SERIES_MAX_DAYS = 35;

const DAY_MS = 86_400_000;
const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * Codebase's series for the outcomes store (docs/metrics/codebase.md), per
 * analysed repository and summed over the workspace:
 *
 * - `codebase.hotspots[.<repo>]`: code files changed by at least 10 commits
 *   authored in the 90 days ending that day (the hotspots analysis over that
 *   window: "if it never changes it's not costing us money").
 * - `codebase.truck-factor.<repo>`: the truck factor of the history authored
 *   up to that day.
 *
 * Both are gauges (a week's or a month's value is its last day's). An analysis
 * replays history, so only the days that close a week (Sunday) or a month and
 * the range's last day are published, over its last 35 days. Files are those
 * of the analysed head's tree (sizes, exclusions), as in every analysis.
 */
export async function codebaseSeries(store: Store, range: SeriesRange): Promise<PublishedSeries[]> {
  const days = rangeDays(range);
  const last = days.at(-1);
  if (!last) return [];
  const closing = days.slice(-CODEBASE_SERIES_MAX_DAYS).filter((d) => {
    const at = new Date(`${d.date}T00:00:00Z`);
    const next = new Date(at.getTime() + DAY_MS);
    return at.getUTCDay() === 0 || next.getUTCDate() === 1 || d === last;
  });
  const org = await loadOrg(store.db);
  const hotspotsByDay = new Map<string, number>();
  const series: PublishedSeries[] = [];
  for (const repository of [...org.repositories].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if ((await getHistoryState(store.db, repository.id)) === null) continue;
    const hotspots: Array<{ date: string; value: number }> = [];
    const truck: Array<{ date: string; value: number }> = [];
    for (const day of closing) {
      const now = Math.min(day.end, Date.now());
      const window = analysisOptionsSchema.parse({
        since: shift(day.date, -(HOTSPOT_WINDOW_DAYS - 1)),
        until: day.date,
        ageTimeNow: day.date,
      });
      const upTo = analysisOptionsSchema.parse({ until: day.date, ageTimeNow: day.date });
      const rows = ((await analyseCachedHistory(store.db, repository.id, ['hotspots'], window, org.people, now)).get('hotspots')?.result ??
        []) as HotspotRow[];
      const count = rows.filter((r) => r.nRevs >= HOTSPOT_MIN_REVISIONS).length;
      hotspots.push({ date: day.date, value: count });
      hotspotsByDay.set(day.date, (hotspotsByDay.get(day.date) ?? 0) + count);
      const report = (await analyseCachedHistory(store.db, repository.id, ['truck-factor'], upTo, org.people, now)).get('truck-factor')
        ?.result as TruckFactorReport | undefined;
      if (report) truck.push({ date: day.date, value: report.truckFactor });
    }
    series.push(
      {
        metric: {
          id: `codebase.hotspots.${repository.id}`,
          name: `Hotspots: ${repository.name}`,
          unit: 'count',
          direction: 'down',
          aggregation: 'last',
          description: `Code files of ${repository.id} changed by at least ${HOTSPOT_MIN_REVISIONS} commits in the ${HOTSPOT_WINDOW_DAYS} days ending that day.`,
        },
        points: hotspots,
      },
      {
        metric: {
          id: `codebase.truck-factor.${repository.id}`,
          name: `Truck factor: ${repository.name}`,
          unit: 'count',
          direction: 'up',
          aggregation: 'last',
          description: `How many authors of ${repository.id} would have to leave before more than half of its files have no active author (history up to that day).`,
        },
        points: truck,
      },
    );
  }
  if (series.length === 0) return [];
  return [
    {
      metric: {
        id: 'codebase.hotspots',
        name: 'Hotspots',
        unit: 'count',
        direction: 'down',
        aggregation: 'last',
        description: `Code files changed by at least ${HOTSPOT_MIN_REVISIONS} commits in the ${HOTSPOT_WINDOW_DAYS} days ending that day, over every analysed repository.`,
      },
      points: closing.map((d) => ({ date: d.date, value: hotspotsByDay.get(d.date) ?? 0 })),
    },
    ...series,
  ];
}
