import type { FileComplexity } from './complexity.js';
import { byName } from './entities.js';
import type { HistoryFold } from './model.js';

/**
 * Hotspots (Tornhill, "Your Code as a Crime Scene", ch. 4): code that is both
 * complicated and changed often is where debt costs most. A hotspot is a file
 * present in the analysed commit's tree with at least one revision;
 *
 *   score = revisions x lines of code (non-blank lines at that commit)
 *
 * ranks them, and indentation complexity says how tangled the lines are.
 * The trend of each of the `top` hotspots is its revisions per calendar month
 * (author date), oldest month first, months without changes included.
 */
export interface HotspotsOptions {
  /** How many of the highest-ranked hotspots get a monthly trend. */
  top: number;
}

export const HOTSPOTS_DEFAULTS: HotspotsOptions = { top: 10 };

export interface HotspotRow {
  entity: string;
  nRevs: number;
  lines: number;
  complexityTotal: number;
  complexityMean: number;
  complexityMax: number;
  score: number;
  /** Present for the top hotspots only. */
  trend?: Array<{ month: string; revisions: number }>;
}

export function hotspotsFold(
  files: ReadonlyMap<string, { complexity: FileComplexity | null }>,
  options: HotspotsOptions = HOTSPOTS_DEFAULTS,
): HistoryFold<HotspotRow[]> {
  const revs = new Map<string, number>();
  const monthly = new Map<string, Map<string, number>>();
  return {
    add(commit) {
      const month = commit.date.slice(0, 7);
      for (const change of commit.changes) {
        if (!files.get(change.entity)?.complexity) continue;
        revs.set(change.entity, (revs.get(change.entity) ?? 0) + 1);
        let months = monthly.get(change.entity);
        if (!months) monthly.set(change.entity, (months = new Map()));
        months.set(month, (months.get(month) ?? 0) + 1);
      }
    },
    result() {
      const rows: HotspotRow[] = [...revs].map(([entity, nRevs]) => {
        const complexity = files.get(entity)?.complexity as FileComplexity;
        return {
          entity,
          nRevs,
          lines: complexity.lines,
          complexityTotal: complexity.total,
          complexityMean: complexity.mean,
          complexityMax: complexity.max,
          score: nRevs * complexity.lines,
        };
      });
      rows.sort((a, b) => b.score - a.score || b.nRevs - a.nRevs || byName(a.entity, b.entity));
      for (const row of rows.slice(0, options.top)) row.trend = monthlyTrend(monthly.get(row.entity) ?? new Map());
      return rows;
    },
  };
}

/** Every month from the first to the last with changes, with its count (0 for quiet months). */
function monthlyTrend(months: ReadonlyMap<string, number>): Array<{ month: string; revisions: number }> {
  const keys = [...months.keys()].sort();
  if (keys.length === 0) return [];
  const [firstYear, firstMonth] = (keys[0] as string).split('-').map(Number) as [number, number];
  const last = keys[keys.length - 1] as string;
  const trend: Array<{ month: string; revisions: number }> = [];
  for (let index = firstYear * 12 + firstMonth - 1; ; index++) {
    const month = `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
    trend.push({ month, revisions: months.get(month) ?? 0 });
    if (month >= last) break;
  }
  return trend;
}
