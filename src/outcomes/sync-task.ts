import type { ModulePeers, SeriesRange } from '../kit/module.js';
import type { SyncTask } from '../kit/sync.js';
import type { Store } from '../store/database.js';
import { toDefinition } from './outcomes-config.js';
import { dateOf, dayOf } from './dates.js';
import { metricDefinitionInput } from './model.js';
import type { OutcomesSection } from './outcomes-config.js';
import { runSqlSource } from './sql-source.js';
import { defineMetrics, listMetrics, replacePoints, writePoints } from './store.js';

/** Days a module's series are recomputed over: two years the first time, the last 35 days after. */
export const FIRST_SERIES_DAYS = 730;
export const SERIES_REFRESH_DAYS = 35;

/**
 * Publishes every module's daily series into the outcomes store: each series
 * becomes a metric (`<module>.<name>`, source = the module) and its points in
 * the range replace the stored ones, so a re-run changes nothing.
 */
export async function publishModuleSeries(
  store: Store,
  peers: ModulePeers,
  today: string,
  timeZone: string,
): Promise<{ metrics: number; points: number }> {
  const known = new Set((await listMetrics(store.db)).map((m) => m.id));
  let metrics = 0;
  let points = 0;
  for (const peer of peers.series) {
    const firstRun = ![...known].some((id) => id.startsWith(`${peer.module}.`));
    const range: SeriesRange = {
      from: dateOf(dayOf(today) - (firstRun ? FIRST_SERIES_DAYS : SERIES_REFRESH_DAYS) + 1),
      to: today,
      timeZone,
    };
    for (const series of await peer.series(store, range)) {
      const { id, owner, ...fields } = series.metric;
      await defineMetrics(store.db, [
        toDefinition(id, metricDefinitionInput.parse({ ...fields, ...(owner ? { owner } : {}) }), peer.module),
      ]);
      await replacePoints(
        store,
        id,
        dayOf(range.from),
        dayOf(range.to),
        series.points.map((p) => ({ day: dayOf(p.date), value: p.value })),
      );
      metrics++;
      points += series.points.length;
    }
  }
  return { metrics, points };
}

export const outcomesSyncTask: SyncTask<OutcomesSection & { workspace?: { timezone?: string } }> = {
  name: 'outcomes',
  async run({ store, config, workspaceDir, peers }) {
    let sqlPoints = 0;
    for (const [i, source] of (config.outcomes?.sources ?? []).entries()) {
      const points = await runSqlSource(source, workspaceDir, `outcomes.sources[${i}]`);
      sqlPoints += await writePoints(store, points, { field: `outcomes.sources[${i}]` });
    }
    const timeZone = config.workspace?.timezone ?? 'UTC';
    const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
    const published = peers ? await publishModuleSeries(store, peers, today, timeZone) : { metrics: 0, points: 0 };
    return `${sqlPoints} points from ${config.outcomes?.sources.length ?? 0} SQL sources; ${published.metrics} module series (${published.points} points)`;
  },
};
