import type { Kysely } from 'kysely';
import type { KeyResultMlWork, KeyResultWorkItem, Lookups } from '../kit/lookups.js';
import type { Database } from '../store/database.js';

/**
 * Alignment: the work that serves each key result. Work items name a key
 * result with a `kr:<id>` link (the debt module's work items), ML projects
 * and experiments with their `keyResult` field. Both modules answer through
 * lookups (kit/lookups.ts), so this module imports neither; a build without
 * one of them gets null for its part.
 */
export interface KeyResultServing {
  /** null: no work-item source in this build. */
  workItems: {
    counts: { open: number; inProgress: number; done: number; cancelled: number };
    items: Array<Omit<KeyResultWorkItem, 'keyResultId' | 'completed'> & { completed: string | null }>;
  } | null;
  /** null: no ML module in this build. */
  ml: Array<Omit<KeyResultMlWork, 'keyResultId'>> | null;
}

/** The work serving each of these key results, by key result id (every id present). */
export async function servingWork(
  db: Kysely<Database>,
  keyResultIds: readonly string[],
  lookups: Lookups,
): Promise<Map<string, KeyResultServing>> {
  const [items, ml] = await Promise.all([
    lookups.keyResultWorkItems ? lookups.keyResultWorkItems(db, keyResultIds) : null,
    lookups.keyResultMlWork ? lookups.keyResultMlWork(db, keyResultIds) : null,
  ]);
  const out = new Map<string, KeyResultServing>();
  for (const id of keyResultIds) {
    const mine = items?.filter((i) => i.keyResultId === id);
    out.set(id, {
      workItems: mine
        ? {
            counts: {
              open: mine.filter((i) => i.state === 'todo').length,
              inProgress: mine.filter((i) => i.state === 'in-progress').length,
              done: mine.filter((i) => i.state === 'done').length,
              cancelled: mine.filter((i) => i.state === 'cancelled').length,
            },
            items: mine.map(({ keyResultId: _, completed, ...rest }) => ({
              ...rest,
              completed: completed === null ? null : new Date(completed).toISOString(),
            })),
          }
        : null,
      ml: ml ? ml.filter((w) => w.keyResultId === id).map(({ keyResultId: _, ...rest }) => rest) : null,
    });
  }
  return out;
}

/** Objectives with `serving` on every key result. */
export async function withServingWork<K extends { id: string }, O extends { keyResults: K[] }>(
  db: Kysely<Database>,
  objectives: readonly O[],
  lookups: Lookups,
): Promise<Array<Omit<O, 'keyResults'> & { keyResults: Array<K & { serving: KeyResultServing }> }>> {
  const serving = await servingWork(
    db,
    objectives.flatMap((o) => o.keyResults.map((kr) => kr.id)),
    lookups,
  );
  return objectives.map((o) => ({
    ...o,
    keyResults: o.keyResults.map((kr) => ({ ...kr, serving: serving.get(kr.id) as KeyResultServing })),
  }));
}
