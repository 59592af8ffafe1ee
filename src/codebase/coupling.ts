import { byName } from './entities.js';
import type { HistoryFold } from './model.js';

/**
 * Logical (change) coupling, code-maat's definition: two entities are coupled
 * when they change in the same commits.
 *
 * - Commits changing more than `maxChangesetSize` entities are dropped first
 *   (bulk reformatting, licence headers, merges of vendor drops say nothing
 *   about design); revisions are counted over the remaining commits.
 * - degree = shared revisions / average revisions of the two * 100, truncated
 *   to an integer; average-revs is printed rounded up.
 * - A pair is kept when average revisions >= min-revs, shared revisions >=
 *   min-shared-revs, degree (before truncation) >= min-coupling and the
 *   truncated degree <= max-coupling.
 *
 * The arithmetic is on integers (2 * shared * 100 vs. sum of revisions), so
 * thresholds at exactly 30% or 50% are not at the mercy of floating point.
 */
export interface CouplingOptions {
  minRevs: number;
  minSharedRevs: number;
  minCoupling: number;
  maxCoupling: number;
  maxChangesetSize: number;
}

/** code-maat's defaults. */
export const COUPLING_DEFAULTS: CouplingOptions = { minRevs: 5, minSharedRevs: 5, minCoupling: 30, maxCoupling: 100, maxChangesetSize: 30 };

export interface CouplingRow {
  entity: string;
  coupled: string;
  degree: number;
  /** Average revisions of the two, rounded up (code-maat's column). */
  averageRevs: number;
  sharedRevs: number;
}

export interface SumOfCouplingRow {
  entity: string;
  soc: number;
}

const PAIR_SEPARATOR = '\u0000';

/** Revisions and shared revisions over the commits within the changeset limit. */
export class CoChanges implements HistoryFold<CoChanges> {
  readonly revs = new Map<string, number>();
  readonly shared = new Map<string, number>();
  droppedCommits = 0;

  constructor(private readonly maxChangesetSize: number) {}

  add(commit: { changes: ReadonlyArray<{ entity: string }> }): void {
    if (commit.changes.length > this.maxChangesetSize) {
      this.droppedCommits++;
      return;
    }
    const entities = commit.changes.map((c) => c.entity).sort(byName);
    for (let i = 0; i < entities.length; i++) {
      const first = entities[i] as string;
      this.revs.set(first, (this.revs.get(first) ?? 0) + 1);
      for (let j = i + 1; j < entities.length; j++) {
        const key = first + PAIR_SEPARATOR + (entities[j] as string);
        this.shared.set(key, (this.shared.get(key) ?? 0) + 1);
      }
    }
  }

  result(): CoChanges {
    return this;
  }

  *pairs(): Generator<{ entity: string; coupled: string; sharedRevs: number; revsSum: number }> {
    for (const [key, sharedRevs] of this.shared) {
      const cut = key.indexOf(PAIR_SEPARATOR);
      const entity = key.slice(0, cut);
      const coupled = key.slice(cut + 1);
      yield { entity, coupled, sharedRevs, revsSum: (this.revs.get(entity) ?? 0) + (this.revs.get(coupled) ?? 0) };
    }
  }
}

export function couplingFold(options: CouplingOptions = COUPLING_DEFAULTS): HistoryFold<CouplingRow[]> {
  const coChanges = new CoChanges(options.maxChangesetSize);
  return { add: (commit) => coChanges.add(commit), result: () => couplingRows(coChanges, options) };
}

export function couplingRows(coChanges: CoChanges, options: CouplingOptions): CouplingRow[] {
  const rows: CouplingRow[] = [];
  for (const { entity, coupled, sharedRevs, revsSum } of coChanges.pairs()) {
    // degree = shared / (revsSum / 2) * 100 = 200 * shared / revsSum
    const degree = Math.floor((200 * sharedRevs) / revsSum);
    const kept =
      revsSum >= 2 * options.minRevs &&
      sharedRevs >= options.minSharedRevs &&
      200 * sharedRevs >= options.minCoupling * revsSum &&
      degree <= options.maxCoupling;
    if (kept) rows.push({ entity, coupled, degree, averageRevs: Math.ceil(revsSum / 2), sharedRevs });
  }
  return rows.sort(
    (a, b) => b.degree - a.degree || b.averageRevs - a.averageRevs || byName(a.entity, b.entity) || byName(a.coupled, b.coupled),
  );
}

/**
 * Sum of coupling (code-maat `soc`): for each entity, the shared revisions
 * summed over every entity it changed with, i.e. how often it changes together
 * with anything. No thresholds apply except the changeset limit. Sorted by soc
 * then entity, both descending, as code-maat sorts.
 */
export function sumOfCouplingFold(options: Pick<CouplingOptions, 'maxChangesetSize'> = COUPLING_DEFAULTS): HistoryFold<SumOfCouplingRow[]> {
  const coChanges = new CoChanges(options.maxChangesetSize);
  return { add: (commit) => coChanges.add(commit), result: () => sumOfCouplingRows(coChanges) };
}

export function sumOfCouplingRows(coChanges: CoChanges): SumOfCouplingRow[] {
  const soc = new Map<string, number>([...coChanges.revs.keys()].map((entity) => [entity, 0]));
  for (const { entity, coupled, sharedRevs } of coChanges.pairs()) {
    soc.set(entity, (soc.get(entity) ?? 0) + sharedRevs);
    soc.set(coupled, (soc.get(coupled) ?? 0) + sharedRevs);
  }
  return [...soc].map(([entity, value]) => ({ entity, soc: value })).sort((a, b) => b.soc - a.soc || byName(b.entity, a.entity));
}
