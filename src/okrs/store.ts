import type { Kysely } from 'kysely';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import type { Database } from '../store/database.js';
import { DEFAULT_BEHIND_TOLERANCE, DEFAULT_ZONE_VALUES, type Zone } from './grading.js';
import type { Checkin, CheckinInput, KeyResult, Objective, ObjectiveInput } from './model.js';
import { DEFAULT_PERIOD_SETTINGS, resolvePeriod, type PeriodSettings } from './period.js';
import type { CheckinRow, KeyResultRow, ObjectiveRow } from './tables.js';

type Db = Kysely<Database>;
type Source = Objective['source'];

// --- Writes -----------------------------------------------------------------

/**
 * Makes the stored objectives of `source` exactly `objectives` (the
 * configuration file's, or the demo's), in one transaction. Check-ins of key
 * results that stay are kept; those of removed key results go with them.
 */
export async function replaceObjectives(
  db: Db,
  objectives: ReadonlyArray<ObjectiveInput & { id: string }>,
  settings: PeriodSettings,
  source: Exclude<Source, 'api'>,
  now: number,
): Promise<{ objectives: number; keyResults: number; removed: number }> {
  return db.transaction().execute(async (tx) => {
    const owned = await tx.selectFrom('okr_objectives').select(['id', 'source']).execute();
    const apiOwned = new Set(owned.filter((row) => row.source === 'api').map((row) => row.id));
    const clash = objectives.find((o) => apiOwned.has(o.id));
    if (clash) throw new ConflictError(`Objective "${clash.id}" was created through the API; remove it there or rename it in the file`);
    const keep = new Set(objectives.map((o) => o.id));
    const removed = owned.filter((row) => row.source === source && !keep.has(row.id)).map((row) => row.id);
    if (removed.length > 0) await tx.deleteFrom('okr_objectives').where('id', 'in', removed).execute();
    let keyResults = 0;
    for (const [position, objective] of objectives.entries()) {
      await writeObjective(tx, objective, settings, source, position, now);
      keyResults += objective.keyResults.length;
    }
    return { objectives: objectives.length, keyResults, removed: removed.length };
  });
}

/** Creates or replaces one objective through the API; the file's objectives are refused (change the file). */
export async function saveObjective(
  db: Db,
  objective: ObjectiveInput & { id: string },
  settings: PeriodSettings,
  now: number,
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const existing = await tx.selectFrom('okr_objectives').select('source').where('id', '=', objective.id).executeTakeFirst();
    if (existing && existing.source !== 'api')
      throw new ConflictError(
        `Objective "${objective.id}" is defined in ${existing.source === 'config' ? 'sextant.yaml' : 'the demo'}: change it there`,
      );
    const position = existing
      ? undefined
      : Number(
          (
            await tx
              .selectFrom('okr_objectives')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
    await writeObjective(tx, objective, settings, 'api', position, now);
  });
}

async function writeObjective(
  tx: Db,
  objective: ObjectiveInput & { id: string },
  settings: PeriodSettings,
  source: Source,
  position: number | undefined,
  now: number,
): Promise<void> {
  const period = resolvePeriod(objective.period, settings);
  const row: ObjectiveRow = {
    id: objective.id,
    title: objective.title,
    description: objective.description ?? null,
    team_id: objective.team,
    period: period.id,
    period_start: period.start,
    period_end: period.end,
    parent_id: objective.parent ?? null,
    kind: objective.kind,
    weight: objective.weight,
    position: position ?? 0,
    source,
    updated_at: now,
  };
  const { id: _id, position: _position, ...changes } = row;
  await tx
    .insertInto('okr_objectives')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet(position === undefined ? changes : { ...changes, position: row.position }))
    .execute();
  const keep = objective.keyResults.map((kr) => kr.id);
  await tx
    .deleteFrom('okr_key_results')
    .where('objective_id', '=', objective.id)
    .$if(keep.length > 0, (q) => q.where('id', 'not in', keep))
    .execute();
  for (const [i, kr] of objective.keyResults.entries()) {
    const krRow: KeyResultRow = {
      id: kr.id,
      objective_id: objective.id,
      title: kr.title,
      kind: kr.milestones ? 'milestone' : 'metric',
      metric_id: kr.metric ?? null,
      start_value: kr.start ?? null,
      target_value: kr.target ?? null,
      unit: kr.unit ?? null,
      aggregation: kr.milestones ? null : kr.aggregation,
      zones: kr.milestones ? JSON.stringify(kr.milestones) : null,
      weight: kr.weight,
      position: i,
    };
    const { id: _krId, ...krChanges } = krRow;
    await tx
      .insertInto('okr_key_results')
      .values(krRow)
      .onConflict((oc) => oc.column('id').doUpdateSet(krChanges))
      .execute();
  }
}

/**
 * Adds a check-in. Idempotent by id: the same id with the same content
 * changes nothing; a different content under an existing id is refused — a
 * change to what was said is a correction, which the history keeps.
 */
export async function addCheckin(
  db: Db,
  keyResultId: string,
  input: CheckinInput,
  id: string,
  at: number,
  now: number,
): Promise<{ created: boolean; checkin: Checkin }> {
  return db.transaction().execute(async (tx) => {
    await getKeyResultRow(tx, keyResultId);
    const row = checkinRow(keyResultId, input, id, at, null, now);
    const existing = await tx.selectFrom('okr_checkins').selectAll().where('id', '=', id).executeTakeFirst();
    if (existing) {
      if (sameContent(existing, row)) return { created: false, checkin: toCheckin(existing) };
      throw new ConflictError(`Check-in "${id}" exists with other content; correct it with PUT /api/v1/okrs/checkins/${id}/correction`);
    }
    await tx.insertInto('okr_checkins').values(row).execute();
    return { created: true, checkin: toCheckin(row) };
  });
}

/** Records a correction of a check-in as a new entry naming it; the original stays in the history. */
export async function correctCheckin(db: Db, checkinId: string, input: CheckinInput, id: string, now: number): Promise<Checkin> {
  return db.transaction().execute(async (tx) => {
    const original = await tx.selectFrom('okr_checkins').selectAll().where('id', '=', checkinId).executeTakeFirst();
    if (!original) throw new NotFoundError(`Check-in "${checkinId}" does not exist`);
    const target = original.corrects_id ?? original.id; // a correction of a correction corrects the original
    const row = checkinRow(original.key_result_id, { ...fromRow(original), ...input }, id, original.at, target, now);
    await tx.insertInto('okr_checkins').values(row).execute();
    return toCheckin(row);
  });
}

function checkinRow(keyResultId: string, input: CheckinInput, id: string, at: number, correctsId: string | null, now: number): CheckinRow {
  return {
    id,
    key_result_id: keyResultId,
    at,
    value: input.value ?? null,
    zone: input.zone ?? null,
    confidence: input.confidence ?? null,
    comment: input.comment ?? null,
    author: input.author ?? null,
    corrects_id: correctsId,
    recorded_at: now,
  };
}

function fromRow(row: CheckinRow): CheckinInput {
  return {
    ...(row.value !== null ? { value: row.value } : {}),
    ...(row.zone !== null ? { zone: row.zone as Zone } : {}),
    ...(row.confidence !== null ? { confidence: row.confidence } : {}),
    ...(row.comment !== null ? { comment: row.comment } : {}),
    ...(row.author !== null ? { author: row.author } : {}),
  };
}

function sameContent(a: CheckinRow, b: CheckinRow): boolean {
  return (
    a.key_result_id === b.key_result_id &&
    Number(a.at) === b.at &&
    a.value === b.value &&
    a.zone === b.zone &&
    a.confidence === b.confidence &&
    a.comment === b.comment &&
    a.author === b.author
  );
}

// --- Reads ------------------------------------------------------------------

export async function loadObjectives(
  db: Db,
  filter: { period?: string | undefined; team?: string | undefined } = {},
): Promise<Objective[]> {
  const rows = await db
    .selectFrom('okr_objectives')
    .selectAll()
    .$if(filter.period !== undefined, (q) => q.where('period', '=', filter.period as string))
    .$if(filter.team !== undefined, (q) => q.where('team_id', '=', filter.team as string))
    .orderBy('period')
    .orderBy('position')
    .orderBy('id')
    .execute();
  if (rows.length === 0) return [];
  const keyResults = await db
    .selectFrom('okr_key_results')
    .selectAll()
    .where(
      'objective_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('position')
    .execute();
  const byObjective = new Map<string, KeyResult[]>();
  for (const kr of keyResults) {
    const list = byObjective.get(kr.objective_id) ?? [];
    list.push(toKeyResult(kr));
    byObjective.set(kr.objective_id, list);
  }
  return rows.map((row) => toObjective(row, byObjective.get(row.id) ?? []));
}

export async function getObjective(db: Db, id: string): Promise<Objective> {
  const row = await db.selectFrom('okr_objectives').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(`Objective "${id}" does not exist`);
  const keyResults = await db.selectFrom('okr_key_results').selectAll().where('objective_id', '=', id).orderBy('position').execute();
  return toObjective(row, keyResults.map(toKeyResult));
}

export async function listPeriods(db: Db): Promise<Array<{ id: string; start: string; end: string }>> {
  const rows = await db
    .selectFrom('okr_objectives')
    .select(['period', 'period_start', 'period_end'])
    .distinct()
    .orderBy('period_start')
    .execute();
  return rows.map((r) => ({ id: r.period, start: r.period_start, end: r.period_end }));
}

/** Every check-in of the key results, corrections included, by time then recording. */
export async function loadCheckins(db: Db, keyResultIds: readonly string[]): Promise<Checkin[]> {
  if (keyResultIds.length === 0) return [];
  const rows = await db
    .selectFrom('okr_checkins')
    .selectAll()
    .where('key_result_id', 'in', [...keyResultIds])
    .orderBy('at')
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
  return rows.map(toCheckin);
}

async function getKeyResultRow(db: Db, id: string): Promise<KeyResultRow> {
  const row = await db.selectFrom('okr_key_results').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(`Key result "${id}" does not exist`);
  return row;
}

export async function getKeyResult(db: Db, id: string): Promise<KeyResult> {
  return toKeyResult(await getKeyResultRow(db, id));
}

export async function removeDemoObjectives(db: Db): Promise<void> {
  await db.deleteFrom('okr_objectives').where('source', '=', 'demo').execute();
}

function toObjective(row: ObjectiveRow, keyResults: KeyResult[]): Objective {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    teamId: row.team_id,
    period: { id: row.period, start: row.period_start, end: row.period_end },
    parentId: row.parent_id,
    kind: row.kind as Objective['kind'],
    weight: Number(row.weight),
    source: row.source,
    keyResults,
  };
}

function toKeyResult(row: KeyResultRow): KeyResult {
  return {
    id: row.id,
    objectiveId: row.objective_id,
    title: row.title,
    kind: row.kind as KeyResult['kind'],
    metricId: row.metric_id,
    start: row.start_value === null ? null : Number(row.start_value),
    target: row.target_value === null ? null : Number(row.target_value),
    unit: row.unit,
    aggregation: (row.aggregation ?? 'latest') as KeyResult['aggregation'],
    zones: row.zones === null ? null : (JSON.parse(row.zones) as KeyResult['zones']),
    weight: Number(row.weight),
  };
}

function toCheckin(row: CheckinRow): Checkin {
  return {
    id: row.id,
    keyResultId: row.key_result_id,
    at: Number(row.at),
    value: row.value === null ? null : Number(row.value),
    zone: row.zone as Zone | null,
    confidence: row.confidence === null ? null : Number(row.confidence),
    comment: row.comment,
    author: row.author,
    correctsId: row.corrects_id,
    recordedAt: Number(row.recorded_at),
  };
}

// --- Settings -----------------------------------------------------------------

export interface OkrSettings extends PeriodSettings {
  behindTolerance: number;
  zoneValues: Record<Zone, number>;
}

const SETTINGS = 'settings';

export async function saveSettings(db: Db, settings: OkrSettings): Promise<void> {
  const value = JSON.stringify(settings);
  await db
    .insertInto('okr_settings')
    .values({ name: SETTINGS, value })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
    .execute();
}

export async function loadSettings(db: Db): Promise<OkrSettings> {
  const row = await db.selectFrom('okr_settings').select('value').where('name', '=', SETTINGS).executeTakeFirst();
  return row
    ? (JSON.parse(row.value) as OkrSettings)
    : { ...DEFAULT_PERIOD_SETTINGS, behindTolerance: DEFAULT_BEHIND_TOLERANCE, zoneValues: DEFAULT_ZONE_VALUES };
}
