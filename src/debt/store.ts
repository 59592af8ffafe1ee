import { sql, type Kysely } from 'kysely';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import type { Database, DialectName, Store } from '../store/database.js';
import { insertRows, JSON_INSERT_CHUNK_ROWS, type JsonColumn } from '../store/json-rows-insert.js';
import { isUniqueViolation } from '../store/constraint-errors.js';
import {
  DAY_MS,
  debtConfig,
  type BalanceCategory,
  type DebtConfig,
  type EffortMeasure,
  type DebtItem,
  type DebtStatus,
  type WorkItem,
  type WorkSource,
  type WorkState,
} from './model.js';
import type { DebtItemRow, WorkItemRow } from './tables.js';
import { categorise, type Categorised } from './categorise.js';
import { addToSprint, cadenceSprint, teamTally, type Cadence, type Tallies } from './capacity.js';
import type { KeyResultWorkItem } from '../kit/lookups.js';

type Db = Kysely<Database>;

// --- Work items -------------------------------------------------------------------------------------

const WORK_COLUMNS: JsonColumn[] = [
  { name: 'id', type: 'text' },
  { name: 'team_id', type: 'text' },
  { name: 'title', type: 'text' },
  { name: 'type', type: 'text' },
  { name: 'labels', type: 'text' },
  { name: 'state', type: 'text' },
  { name: 'created_at', type: 'bigint' },
  { name: 'started_at', type: 'bigint' },
  { name: 'completed_at', type: 'bigint' },
  { name: 'points', type: 'double precision' },
  { name: 'parent_id', type: 'text' },
  { name: 'sprint', type: 'text' },
  { name: 'links', type: 'text' },
  { name: 'source', type: 'text' },
  { name: 'imported_at', type: 'bigint' },
  { name: 'category', type: 'text' },
  { name: 'category_rule', type: 'integer' },
  { name: 'category_because', type: 'text' },
];

/** One JSON array parameter for a list of rows, expanded by the database (SQLite json_each, PostgreSQL json_array_elements). */
function jsonRows(dialect: DialectName, rows: unknown[][]) {
  const json = JSON.stringify(rows);
  return dialect === 'postgres' ? sql`json_array_elements(${json}::json) as e(value)` : sql`json_each(${json})`;
}

/**
 * Writes items in one transaction, replacing those with the same id (an import
 * is idempotent: a re-import of the same file changes nothing). Each item is
 * written with its Balance category under the applied rules; items already
 * stored below a written item (its children, transitively) are categorised
 * again, since they may inherit from it. Rows are written in bulk
 * (store/json-rows-insert.ts): a prepared statement per row on SQLite, one JSON
 * parameter per 5,000 items on PostgreSQL.
 */
export async function upsertWorkItems(
  store: Pick<Store, 'db' | 'dialect' | 'bulkStatement'>,
  items: readonly WorkItem[],
  now: number,
): Promise<void> {
  const { dialect } = store;
  await store.db.transaction().execute(async (trx) => {
    const { rules } = await loadDebtSettings(trx);
    const batch = new Map(items.map((i) => [i.id, i]));
    // Into an empty store (a first import) no stored item can be a parent or a child of the batch.
    const empty = (await trx.selectFrom('work_items').select('id').limit(1).executeTakeFirst()) === undefined;
    const parents = items.map((i) => i.parent).filter((p): p is string => p !== null && !batch.has(p));
    const ancestors = empty ? [] : await storedClosure(trx, dialect, 'id', parents, batch, (row) => row.parent);
    const descendants = empty ? [] : await storedClosure(trx, dialect, 'parent_id', [...batch.keys()], batch, (row) => row.id);
    const categories = categorise([...batch.values(), ...ancestors, ...descendants], rules);
    const row = (i: WorkItem) => {
      const c = categories.get(i.id) as Categorised;
      return [
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
        c.category,
        c.rule,
        c.because,
      ];
    };
    const names = WORK_COLUMNS.map((c) => c.name);
    await insertRows(
      { db: trx as unknown as Kysely<unknown>, dialect, bulkStatement: store.bulkStatement },
      'work_items',
      WORK_COLUMNS,
      items.map(row),
      ['id'],
      names.slice(1),
    );
    await writeCategories(
      trx,
      dialect,
      descendants.map((d) => [d.id, categories.get(d.id) as Categorised]),
    );
  });
}

type CategoryInput = Pick<WorkItem, 'id' | 'team' | 'title' | 'type' | 'labels' | 'parent' | 'links'>;

/** Stored items selected by one column's membership in a list of ids (chunked, one JSON parameter each). */
async function storedWhere(db: Db, dialect: DialectName, column: 'id' | 'parent_id', ids: readonly string[]): Promise<CategoryInput[]> {
  const out: CategoryInput[] = [];
  for (let start = 0; start < ids.length; start += JSON_INSERT_CHUNK_ROWS) {
    const list = jsonRows(
      dialect,
      ids.slice(start, start + JSON_INSERT_CHUNK_ROWS).map((id) => [id]),
    );
    const rows = await db
      .selectFrom('work_items')
      .selectAll()
      .where(sql<boolean>`${sql.ref(column)} in (select value->>0 from ${list})`)
      .execute();
    out.push(...rows.map(workItemFromRow));
  }
  return out;
}

/**
 * Stored items related to the batch, transitively, that the batch does not
 * replace: up (`id` = the parents wanted, then their parents) or down
 * (`parent_id` = the items reached, then their children).
 */
async function storedClosure(
  db: Db,
  dialect: DialectName,
  column: 'id' | 'parent_id',
  start: readonly string[],
  batch: ReadonlyMap<string, unknown>,
  next: (row: CategoryInput) => string | null,
): Promise<CategoryInput[]> {
  const found = new Map<string, CategoryInput>();
  let keys = [...new Set(start)];
  while (keys.length > 0) {
    const rows = (await storedWhere(db, dialect, column, keys)).filter((r) => !batch.has(r.id) && !found.has(r.id));
    for (const row of rows) found.set(row.id, row);
    keys = [...new Set(rows.map(next).filter((key): key is string => key !== null))];
  }
  return [...found.values()];
}

async function writeCategories(db: Db, dialect: DialectName, entries: ReadonlyArray<readonly [string, Categorised]>): Promise<void> {
  const rule = dialect === 'postgres' ? sql`(value->>2)::integer` : sql`value->>2`;
  for (let start = 0; start < entries.length; start += JSON_INSERT_CHUNK_ROWS) {
    const rows = entries.slice(start, start + JSON_INSERT_CHUNK_ROWS).map(([id, c]) => [id, c.category, c.rule, c.because]);
    await sql`update work_items set category = value->>1, category_rule = ${rule}, category_because = value->>3
      from ${jsonRows(dialect, rows)} where work_items.id = value->>0`.execute(db);
  }
}

/**
 * Categorises every stored item again under these rules: after the rules
 * change, after items were removed, and for rows written before categories
 * were stored.
 */
export async function recategoriseWorkItems(db: Db, dialect: DialectName, rules: DebtConfig['rules']): Promise<number> {
  const rows = await db.selectFrom('work_items').selectAll().execute();
  const categories = categorise(rows.map(workItemFromRow), rules);
  await writeCategories(db, dialect, [...categories]);
  return categories.size;
}

/** Categorises stored items when any has no category yet (rows from before categories were stored). */
export async function ensureCategories(db: Db, dialect: DialectName): Promise<void> {
  const missing = await db.selectFrom('work_items').select('id').where('category', 'is', null).limit(1).executeTakeFirst();
  if (missing === undefined) return;
  await db.transaction().execute(async (trx) => recategoriseWorkItems(trx, dialect, (await loadDebtSettings(trx)).rules));
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

/**
 * Capacity tallies aggregated by the database from the stored categories: done
 * items grouped by team, sprint (the tracker's, or the cadence sprint of the
 * completion: a floor division) and category, with the effort under the
 * measure and how many items had none; and every team's items in progress
 * (epics left out). `capacity` in capacity.ts does the same over items in memory.
 */
export async function capacityTallies(
  db: Db,
  dialect: DialectName,
  options: { team?: string | undefined; effort: EffortMeasure; cadence: Cadence },
): Promise<Tallies> {
  await ensureCategories(db, dialect);
  const { cadence } = options;
  // Integers computed here, not user text: inlined so both dialects divide integers.
  const origin = sql.raw(String(Math.trunc(cadence.start)));
  const length = sql.raw(String(Math.trunc(cadence.days * DAY_MS)));
  const since = sql`(completed_at - ${origin})`;
  const index = sql`case when sprint is not null then null when ${since} >= 0 then ${since} / ${length} else (${since} - ${length} + 1) / ${length} end`;
  const longest = dialect === 'postgres' ? sql.raw('greatest') : sql.raw('max');
  const effort =
    options.effort === 'count'
      ? sql`1.0`
      : options.effort === 'points'
        ? sql`points`
        : sql`case when started_at is null then null else ${longest}(0, completed_at - started_at) * 1.0 / ${sql.raw(String(DAY_MS))} end`;
  const team = options.team === undefined ? sql`` : sql`and team_id = ${options.team}`;
  // One pass over the items: done ones grouped by team, sprint and category; the others
  // collapse into one row per team (done = 0) that carries its items in progress.
  const rows = await sql<{
    team_id: string;
    done: number | string;
    sprint: string | null;
    idx: number | string | null;
    category: string | null;
    items: number | string;
    effort: number | string;
    unmeasured: number | string;
    first: number | string | null;
    last: number | string | null;
    wip: number | string;
  }>`select team_id, done, sprint, idx, category, count(*) as items, coalesce(sum(effort), 0) as effort,
      count(*) - count(effort) as unmeasured, min(completed_at) as first, max(completed_at) as last, sum(wip) as wip
    from (select team_id, done,
            case when done = 1 then sprint end as sprint,
            case when done = 1 then ${index} end as idx,
            case when done = 1 then coalesce(category, 'improve') end as category,
            case when done = 1 then ${effort} end as effort,
            case when done = 1 then completed_at end as completed_at,
            case when state = 'in-progress' and type <> 'epic' then 1 else 0 end as wip
          from (select *, case when state = 'done' and completed_at is not null then 1 else 0 end as done
                from work_items where true ${team}) d) w
    group by team_id, done, sprint, idx, category`.execute(db);

  const tallies: Tallies = new Map();
  for (const row of rows.rows) {
    const team = teamTally(tallies, row.team_id);
    team.wip += Number(row.wip);
    if (Number(row.done) !== 1) continue;
    const sprint =
      row.sprint !== null
        ? { key: row.sprint, start: Number(row.first), end: Number(row.last), tracker: true }
        : cadenceSprint(Number(row.idx), cadence);
    addToSprint(team, sprint, row.category as BalanceCategory, Number(row.items), Number(row.effort), Number(row.unmeasured));
  }
  return tallies;
}

/** Work items with the category stored for them (categorising first any stored before categories were). */
export async function loadCategorisedWorkItems(
  db: Db,
  dialect: DialectName,
  filter: WorkFilter = {},
): Promise<Array<WorkItem & { category: Categorised }>> {
  await ensureCategories(db, dialect);
  let query = db.selectFrom('work_items').selectAll();
  if (filter.team !== undefined) query = query.where('team_id', '=', filter.team);
  const rows = await query.execute();
  return rows.map((row) => ({
    ...workItemFromRow(row),
    category: {
      category: (row.category ?? 'improve') as BalanceCategory,
      rule: Number(row.category_rule ?? 0),
      because: row.category_because ?? 'no rule matched',
    },
  }));
}

export async function countWorkItems(db: Db): Promise<number> {
  const row = await db
    .selectFrom('work_items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function removeDemoWork(db: Db, dialect: DialectName): Promise<void> {
  await db.deleteFrom('work_items').where('source', '=', 'demo').execute();
  // Items of other sources may have inherited from a removed parent.
  await recategoriseWorkItems(db, dialect, (await loadDebtSettings(db)).rules);
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

/** Saves the applied `debt:` section; when its category rules differ from the stored ones, every item is categorised again. */
export async function saveDebtSettings(db: Db, dialect: DialectName, config: DebtConfig): Promise<void> {
  const value = JSON.stringify(config);
  await db.transaction().execute(async (trx) => {
    const before = await loadDebtSettings(trx);
    await trx
      .insertInto('debt_settings')
      .values({ id: 'debt', config: value })
      .onConflict((oc) => oc.column('id').doUpdateSet({ config: value }))
      .execute();
    if (JSON.stringify(before.rules) !== JSON.stringify(config.rules)) await recategoriseWorkItems(trx, dialect, config.rules);
  });
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
