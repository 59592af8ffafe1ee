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
  /** The analysed commit's files; asked for at the end only, so it can be read while history streams. */
  files: () => ReadonlyMap<string, { complexity: FileComplexity | null }>,
  options: HotspotsOptions = HOTSPOTS_DEFAULTS,
): HistoryFold<HotspotRow[]> {
  // Per entity, the month (as year * 12 + month - 1) of each revision: revisions are the count,
  // the trend of the top hotspots is counted from them at the end.
  const months = new Map<string, number[]>();
  return {
    add(commit) {
      const month = Number(commit.date.slice(0, 4)) * 12 + Number(commit.date.slice(5, 7)) - 1;
      for (const change of commit.changes) {
        const seen = months.get(change.entity);
        if (seen) seen.push(month);
        else months.set(change.entity, [month]);
      }
    },
    result() {
      const tree = files();
      const rows: HotspotRow[] = [];
      for (const [entity, revisions] of months) {
        const complexity = tree.get(entity)?.complexity;
        if (!complexity) continue;
        const nRevs = revisions.length;
        rows.push({
          entity,
          nRevs,
          lines: complexity.lines,
          complexityTotal: complexity.total,
          complexityMean: complexity.mean,
          complexityMax: complexity.max,
          score: nRevs * complexity.lines,
        });
      }
      rows.sort((a, b) => b.score - a.score || b.nRevs - a.nRevs || byName(a.entity, b.entity));
      for (const row of rows.slice(0, options.top)) row.trend = monthlyTrend(months.get(row.entity) ?? []);
      return rows;
    },
  };
}

/** Every month from the first to the last with changes, with its count (0 for quiet months). */
function monthlyTrend(months: readonly number[]): Array<{ month: string; revisions: number }> {
  if (months.length === 0) return [];
  // A loop, not Math.min(...months): a busy file can have more revisions than a call has arguments.
  let first = Infinity;
  let last = -Infinity;
  for (const month of months) {
    if (month < first) first = month;
    if (month > last) last = month;
  }
  const counts = new Array<number>(last - first + 1).fill(0);
  for (const month of months) counts[month - first] = (counts[month - first] as number) + 1;
  return counts.map((revisions, i) => {
    const index = first + i;
    return { month: `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`, revisions };
  });
}
