import { sql, type Kysely } from 'kysely';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import type { Database, DialectName } from '../store/database.js';
import { isUniqueViolation } from '../store/constraint-errors.js';
import { debtConfig, type DebtConfig, type DebtItem, type DebtStatus, type WorkItem, type WorkSource, type WorkState } from './model.js';
import type { DebtItemRow, WorkItemRow } from './tables.js';
import type { KeyResultWorkItem } from '../kit/lookups.js';

type Db = Kysely<Database>;

// --- Work items -------------------------------------------------------------------------------------

const WORK_COLUMNS = [
  ['id', 'text'],
  ['team_id', 'text'],
  ['title', 'text'],
  ['type', 'text'],
  ['labels', 'text'],
  ['state', 'text'],
  ['created_at', 'bigint'],
  ['started_at', 'bigint'],
  ['completed_at', 'bigint'],
  ['points', 'double precision'],
  ['parent_id', 'text'],
  ['sprint', 'text'],
  ['links', 'text'],
  ['source', 'text'],
  ['imported_at', 'bigint'],
] as const;

const JSON_CHUNK = 5000;

/**
 * Writes items in one transaction, replacing those with the same id (an import
 * is idempotent: a re-import of the same file changes nothing). Rows travel as
 * one JSON parameter per 5,000 items and the database expands them (SQLite
 * json_each, PostgreSQL json_array_elements): binding a parameter per cell is
 * what a multi-row insert spends its time on.
 */
export async function upsertWorkItems(db: Db, dialect: DialectName, items: readonly WorkItem[], now: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (let start = 0; start < items.length; start += JSON_CHUNK) {
      const rows = items
        .slice(start, start + JSON_CHUNK)
        .map((i) => [
          i.id,
          i.team,
          i.title,
          i.type,
          JSON.stringify(i.labels),
          i.state,
          i.created,
          i.started,
          i.completed,
          i.points,
          i.parent,
          i.sprint,
          JSON.stringify(i.links),
          i.source,
          now,
        ]);
      const json = JSON.stringify(rows);
      const source = dialect === 'postgres' ? sql`json_array_elements(${json}::json) as e(value)` : sql`json_each(${json})`;
      const values = sql.join(
        WORK_COLUMNS.map(([, type], index) => {
          const value = sql.raw(`value->>${index}`);
          return dialect === 'postgres' && type !== 'text' ? sql`(${value})::${sql.raw(type)}` : value;
        }),
      );
      const update = sql.join(WORK_COLUMNS.slice(1).map(([name]) => sql`${sql.ref(name)} = excluded.${sql.ref(name)}`));
      await sql`insert into work_items (${sql.join(WORK_COLUMNS.map(([name]) => sql.ref(name)))})
        select ${values} from ${source} where true
        on conflict (id) do update set ${update}`.execute(trx);
    }
  });
}

export interface WorkFilter {
  team?: string | undefined;
  /** Items completed at or after this instant, plus every item not completed (for WIP). */
  since?: number | undefined;
}

export async function loadWorkItems(db: Db, filter: WorkFilter = {}): Promise<WorkItem[]> {
  let query = db.selectFrom('work_items').selectAll();
  if (filter.team !== undefined) query = query.where('team_id', '=', filter.team);
  if (filter.since !== undefined) {
    const since = filter.since;
    query = query.where((eb) => eb.or([eb('completed_at', 'is', null), eb('completed_at', '>=', since)]));
  }
  const rows = await query.execute();
  return rows.map(workItemFromRow);
}

export async function countWorkItems(db: Db): Promise<number> {
  const row = await db
    .selectFrom('work_items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function removeDemoWork(db: Db): Promise<void> {
  await db.deleteFrom('work_items').where('source', '=', 'demo').execute();
  await db.deleteFrom('debt_items').where('id', 'like', 'demo-%').execute();
  await db.deleteFrom('debt_dismissals').execute();
}

function workItemFromRow(row: WorkItemRow): WorkItem {
  return {
    id: row.id,
    team: row.team_id,
    title: row.title,
    type: row.type,
    labels: JSON.parse(row.labels) as string[],
    state: row.state as WorkState,
    created: Number(row.created_at),
    started: row.started_at === null ? null : Number(row.started_at),
    completed: row.completed_at === null ? null : Number(row.completed_at),
    points: row.points === null ? null : Number(row.points),
    parent: row.parent_id,
    sprint: row.sprint,
    links: JSON.parse(row.links) as string[],
    source: row.source as WorkSource,
  };
}

// --- The register -------------------------------------------------------------------------------------

function debtItemFromRow(row: DebtItemRow): DebtItem {
  return {
    id: row.id,
    title: row.title,
    category: row.category,
    quadrant: row.quadrant as DebtItem['quadrant'],
    location: { repository: row.repository_id, paths: JSON.parse(row.paths) as string[], service: row.service_id },
    team: row.team_id,
    status: row.status as DebtStatus,
    impact: row.impact,
    principalDays: row.principal_days === null ? null : Number(row.principal_days),
    candidateKey: row.candidate_key,
    created: Number(row.created_at),
    updated: Number(row.updated_at),
  };
}

function rowFromDebtItem(item: DebtItem): DebtItemRow {
  return {
    id: item.id,
    title: item.title,
    category: item.category,
    quadrant: item.quadrant,
    repository_id: item.location.repository,
    paths: JSON.stringify(item.location.paths),
    service_id: item.location.service,
    team_id: item.team,
    status: item.status,
    impact: item.impact,
    principal_days: item.principalDays,
    candidate_key: item.candidateKey,
    created_at: item.created,
    updated_at: item.updated,
  };
}

export async function loadDebtItems(db: Db): Promise<DebtItem[]> {
  const rows = await db.selectFrom('debt_items').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(debtItemFromRow);
}

export async function getDebtItem(db: Db, id: string): Promise<DebtItem> {
  const row = await db.selectFrom('debt_items').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(`Debt item "${id}" does not exist`);
  return debtItemFromRow(row);
}

/** Adds an item; an id or candidate already in the register is a conflict. */
export async function insertDebtItem(db: Db, item: DebtItem): Promise<DebtItem> {
  try {
    await db.insertInto('debt_items').values(rowFromDebtItem(item)).execute();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError(
        item.candidateKey !== null
          ? `Candidate "${item.candidateKey}" or id "${item.id}" is already in the register`
          : `Debt item "${item.id}" already exists`,
      );
    }
    throw error;
  }
  return item;
}

export async function insertDebtItems(db: Db, items: readonly DebtItem[]): Promise<void> {
  if (items.length === 0) return;
  await db.insertInto('debt_items').values(items.map(rowFromDebtItem)).execute();
}

export async function updateDebtStatus(db: Db, id: string, status: DebtStatus, now: number): Promise<DebtItem> {
  const result = await db.updateTable('debt_items').set({ status, updated_at: now }).where('id', '=', id).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new NotFoundError(`Debt item "${id}" does not exist`);
  return getDebtItem(db, id);
}

// --- Dismissed candidates -----------------------------------------------------------------------------

export async function dismissCandidate(db: Db, key: string, reason: string, now: number): Promise<void> {
  await db
    .insertInto('debt_dismissals')
    .values({ candidate_key: key, dismissed_at: now, reason })
    .onConflict((oc) => oc.column('candidate_key').doUpdateSet({ dismissed_at: now, reason }))
    .execute();
}

export async function dismissedKeys(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom('debt_dismissals').select('candidate_key').execute();
  return new Set(rows.map((r) => r.candidate_key));
}

// --- Settings: the applied `debt:` section ------------------------------------------------------------

export async function saveDebtSettings(db: Db, config: DebtConfig): Promise<void> {
  const value = JSON.stringify(config);
  await db
    .insertInto('debt_settings')
    .values({ id: 'debt', config: value })
    .onConflict((oc) => oc.column('id').doUpdateSet({ config: value }))
    .execute();
}

/** The `debt:` section last applied by `serve` or `sync`; the defaults when none was. */
export async function loadDebtSettings(db: Db): Promise<DebtConfig> {
  const row = await db.selectFrom('debt_settings').select('config').where('id', '=', 'debt').executeTakeFirst();
  return row ? debtConfig.parse(JSON.parse(row.config)) : debtConfig.parse(undefined);
}

// --- Alignment: the work serving key results ------------------------------------------------------------

/** The `kr:<id>` links of a work item: the key results (OKR module) it serves. */
export function keyResultsOf(links: readonly string[]): string[] {
  return [...new Set(links.filter((l) => l.startsWith(KR_LINK) && l.length > KR_LINK.length).map((l) => l.slice(KR_LINK.length)))];
}
export const KR_LINK = 'kr:';

/** Work items linked (`kr:<id>`) to any of these key results, once per key result they name; ordered by key result, then id. */
export async function workItemsServing(db: Db, keyResultIds: readonly string[]): Promise<KeyResultWorkItem[]> {
  if (keyResultIds.length === 0) return [];
  const wanted = new Set(keyResultIds);
  const rows = await db.selectFrom('work_items').selectAll().where('links', 'like', '%"kr:%').execute();
  const out: KeyResultWorkItem[] = [];
  for (const item of rows.map(workItemFromRow)) {
    for (const keyResultId of keyResultsOf(item.links)) {
      if (!wanted.has(keyResultId)) continue;
      out.push({
        keyResultId,
        id: item.id,
        team: item.team,
        title: item.title,
        type: item.type,
        state: item.state,
        completed: item.completed,
      });
    }
  }
  return out.sort((a, b) => (a.keyResultId === b.keyResultId ? cmp(a.id, b.id) : cmp(a.keyResultId, b.keyResultId)));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
