import type { PublishedSeries, SeriesRange } from '../kit/module.js';
import { fromLocal } from '../shared/time-zone.js';
import type { Store } from '../store/database.js';
import { storedStatuses } from './stored-slos.js';

const DAY_MS = 86_400_000;
/** Budget status replays minute data; the series covers at most this many recent days of a range. */
export const BUDGET_SERIES_MAX_DAYS = 35;

/**
 * Reliability's daily series for the outcomes store (the module contract's
 * optional `series`): each SLO's error budget remaining at the end of a local
 * day (1 = untouched, 0 = spent, negative = overspent), aggregated as the last
 * value of a week or month. A status replays a window of minute data, so only
 * the days that close a week (Sunday) or a month, and the range's last day,
 * are published, over the last 35 days of the range: the readings weeks and
 * months need.
 */
export async function reliabilitySeries(store: Store, range: SeriesRange): Promise<PublishedSeries[]> {
  const last = Date.parse(`${range.to}T00:00:00Z`);
  const first = Math.max(Date.parse(`${range.from}T00:00:00Z`), last - (BUDGET_SERIES_MAX_DAYS - 1) * DAY_MS);
  const bySlo = new Map<string, { service: string; points: Array<{ date: string; value: number }> }>();
  const now = Date.now();
  for (let day = first; day <= last; day += DAY_MS) {
    const date = new Date(day).toISOString().slice(0, 10);
    const next = new Date(day + DAY_MS);
    const closesPeriod = new Date(day).getUTCDay() === 0 || next.getUTCDate() === 1 || day === last;
    if (!closesPeriod) continue;
    const endOfDay = Math.min(
      now,
      fromLocal(
        { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: 0, minute: 0, second: 0 },
        range.timeZone,
      ),
    );
    for (const status of await storedStatuses(store.db, endOfDay)) {
      if (status.budgetAllowed === 0 && status.budgetSpent === 0) continue;
      const entry = bySlo.get(status.name) ?? { service: status.service, points: [] };
      entry.points.push({ date, value: status.budgetRemaining });
      bySlo.set(status.name, entry);
    }
  }
  return [...bySlo.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, entry]) => ({
      metric: {
        id: `reliability.budget-remaining.${name.toLowerCase()}`,
        name: `Error budget left: ${name}`,
        unit: 'ratio',
        direction: 'up',
        aggregation: 'last',
        description: `Error budget remaining of the SLO ${name} (${entry.service}) at the end of the day: 1 untouched, 0 spent.`,
      },
      points: entry.points,
    }));
}
