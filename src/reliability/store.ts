import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/database.js';
import type { RowSource } from '../org/index.js';
import { chunks } from '../store/chunks.js';
import { NotFoundError } from '../shared/errors.js';
import { MinuteSeries, planBuckets, TieredCounts, type BucketPlan, type HourDetail, type MinuteSample } from './counts.js';
import { yieldIfBusy } from '../shared/yield.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './duration.js';
import type { AlertTransition } from './evaluate.js';
import type { Counts, DefinitionSet, ErrorBudgetPolicy, MaintenanceWindow, SloDefinition } from './model.js';
import type { Interval } from './windows.js';

type Db = Kysely<Database>;
type Tx = Transaction<Database>;

// --- Definitions -----------------------------------------------------------------

/**
 * Makes the stored definitions from `source` exactly `set` (SLOs, policies,
 * maintenance windows) in one transaction; rows of other sources stay.
 * Samples are kept when an SLO disappears, so a renamed file loses no history.
 */
export async function replaceDefinitions(db: Db, set: DefinitionSet, source: RowSource): Promise<{ slos: number; removed: number }> {
  const now = Date.now();
  return db.transaction().execute(async (tx) => {
    const existing = await tx.selectFrom('slo_definitions').select('name').where('source', '=', source).execute();
    const keep = new Set(set.slos.map((slo) => slo.name));
    const gone = existing.map((row) => row.name).filter((name) => !keep.has(name));
    for (const batch of chunks(gone)) await tx.deleteFrom('slo_definitions').where('name', 'in', batch).execute();
    for (const batch of chunks(set.slos)) {
      await tx
        .insertInto('slo_definitions')
        .values(
          batch.map((slo) => ({
            name: slo.name,
            service: slo.service,
            display_name: slo.displayName,
            target: slo.target,
            definition: JSON.stringify(slo),
            source,
            created_at: now,
            updated_at: now,
          })),
        )
        .onConflict((oc) =>
          oc.column('name').doUpdateSet((eb) => ({
            service: eb.ref('excluded.service'),
            display_name: eb.ref('excluded.display_name'),
            target: eb.ref('excluded.target'),
            definition: eb.ref('excluded.definition'),
            source: eb.ref('excluded.source'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
    await replaceNamed(tx, 'slo_policies', set.policies, source, now);
    await replaceNamed(tx, 'slo_maintenance_windows', set.maintenanceWindows, source, now);
    return { slos: set.slos.length, removed: gone.length };
  });
}

/** Policies and maintenance windows: the rows of `source` become exactly `items`, stored as JSON by name. */
async function replaceNamed(
  tx: Tx,
  table: 'slo_policies' | 'slo_maintenance_windows',
  items: ReadonlyArray<{ name: string; service: string | null }>,
  source: RowSource,
  now: number,
): Promise<void> {
  await tx.deleteFrom(table).where('source', '=', source).execute();
  for (const batch of chunks(items)) {
    await tx
      .insertInto(table)
      .values(
        batch.map((item) => ({
          name: item.name,
          service: item.service as string,
          definition: JSON.stringify(item),
          source,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.column('name').doUpdateSet((eb) => ({
          service: eb.ref('excluded.service'),
          definition: eb.ref('excluded.definition'),
          source: eb.ref('excluded.source'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

/** Everything stored, as the definition set the computations take. */
export async function loadDefinitionSet(db: Db): Promise<DefinitionSet> {
  const [slos, policies, windows] = await Promise.all([
    db.selectFrom('slo_definitions').select('definition').orderBy('name').execute(),
    db.selectFrom('slo_policies').select('definition').orderBy('name').execute(),
    db.selectFrom('slo_maintenance_windows').select('definition').orderBy('name').execute(),
  ]);
  return {
    slos: slos.map((row) => JSON.parse(row.definition) as SloDefinition),
    services: [],
    dataSources: [],
    policies: policies.map((row) => JSON.parse(row.definition) as ErrorBudgetPolicy),
    maintenanceWindows: windows.map((row) => JSON.parse(row.definition) as MaintenanceWindow),
  };
}

export async function getDefinition(db: Db, name: string): Promise<SloDefinition> {
  const row = await db.selectFrom('slo_definitions').select('definition').where('name', '=', name).executeTakeFirst();
  if (!row) throw new NotFoundError(`SLO "${name}" does not exist`);
  return JSON.parse(row.definition) as SloDefinition;
}

// --- Samples: minutes in hour rows, rolled up to days ------------------------------

const MINUTES_PER_HOUR = 60;

export function encodeHour(detail: HourDetail): Buffer {
  const buffer = Buffer.alloc(MINUTES_PER_HOUR * 2 * 8);
  for (let i = 0; i < MINUTES_PER_HOUR; i++) {
    buffer.writeDoubleLE(detail.good[i] as number, i * 8);
    buffer.writeDoubleLE(detail.total[i] as number, (MINUTES_PER_HOUR + i) * 8);
  }
  return buffer;
}

export function decodeHour(buffer: Uint8Array): HourDetail {
  const view = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const good = new Float64Array(MINUTES_PER_HOUR);
  const total = new Float64Array(MINUTES_PER_HOUR);
  for (let i = 0; i < MINUTES_PER_HOUR; i++) {
    good[i] = view.readDoubleLE(i * 8);
    total[i] = view.readDoubleLE((MINUTES_PER_HOUR + i) * 8);
  }
  return { good, total };
}

export interface WriteReport {
  written: number;
  /** First and last minute written (null when nothing was). */
  from: number | null;
  to: number | null;
}

/**
 * Writes per-minute samples of one SLO (already validated: minute-aligned,
 * 0 <= good <= total) in one transaction. A sample replaces any earlier one
 * for the same minute, so sending a batch twice changes nothing. The hour and
 * day roll-ups of the touched hours are recomputed from the minutes.
 */
export async function writeSamples(db: Db, slo: string, samples: readonly MinuteSample[]): Promise<WriteReport> {
  if (samples.length === 0) return { written: 0, from: null, to: null };
  return db.transaction().execute(async (tx) => {
    const exists = await tx.selectFrom('slo_definitions').select('name').where('name', '=', slo).executeTakeFirst();
    if (!exists) throw new NotFoundError(`SLO "${slo}" does not exist`);
    return writeSamplesIn(tx, slo, samples);
  });
}

/** The body of writeSamples inside a caller's transaction (the demo writes many SLOs in one). */
export async function writeSamplesIn(tx: Tx, slo: string, samples: readonly MinuteSample[]): Promise<WriteReport> {
  const byHour = new Map<number, MinuteSample[]>();
  let from = Infinity;
  let to = -Infinity;
  for (const sample of samples) {
    const hour = sample.minute - (sample.minute % HOUR_MS);
    let list = byHour.get(hour);
    if (!list) byHour.set(hour, (list = []));
    list.push(sample);
    from = Math.min(from, sample.minute);
    to = Math.max(to, sample.minute);
  }
  const hours = [...byHour.keys()].sort((a, b) => a - b);
  const existing = new Map<number, HourDetail>();
  for (const batch of chunks(hours, 1000)) {
    const rows = await tx
      .selectFrom('slo_samples_hour')
      .select(['hour_start', 'minutes'])
      .where('slo', '=', slo)
      .where('hour_start', 'in', batch)
      .execute();
    for (const row of rows) existing.set(Number(row.hour_start), decodeHour(row.minutes));
  }
  const hourRows = hours.map((hour) => {
    const detail = existing.get(hour) ?? { good: new Float64Array(MINUTES_PER_HOUR), total: new Float64Array(MINUTES_PER_HOUR) };
    for (const sample of byHour.get(hour) as MinuteSample[]) {
      const index = (sample.minute - hour) / MINUTE_MS;
      detail.good[index] = sample.good;
      detail.total[index] = sample.total;
    }
    const sums = sumHour(detail);
    return { slo, hour_start: hour, good: sums.good, total: sums.total, minutes: encodeHour(detail) };
  });
  for (const batch of chunks(hourRows)) {
    await tx
      .insertInto('slo_samples_hour')
      .values(batch)
      .onConflict((oc) =>
        oc.columns(['slo', 'hour_start']).doUpdateSet((eb) => ({
          good: eb.ref('excluded.good'),
          total: eb.ref('excluded.total'),
          minutes: eb.ref('excluded.minutes'),
        })),
      )
      .execute();
  }
  await rollUpDays(tx, slo, hours[0] as number, (hours[hours.length - 1] as number) + HOUR_MS);
  return { written: samples.length, from, to };
}

function sumHour(detail: HourDetail): Counts {
  let good = 0;
  let total = 0;
  for (let i = 0; i < MINUTES_PER_HOUR; i++) {
    good += detail.good[i] as number;
    total += detail.total[i] as number;
  }
  return { good, total };
}

/** Recomputes the day rows covering [from, to) from their hour rows. */
async function rollUpDays(tx: Tx, slo: string, from: number, to: number): Promise<void> {
  const firstDay = from - (from % DAY_MS);
  const endDay = to - (to % DAY_MS) + (to % DAY_MS === 0 ? 0 : DAY_MS);
  const rows = await tx
    .selectFrom('slo_samples_hour')
    .select(['hour_start', 'good', 'total'])
    .where('slo', '=', slo)
    .where('hour_start', '>=', firstDay)
    .where('hour_start', '<', endDay)
    .execute();
  const days = new Map<number, Counts>();
  for (const row of rows) {
    const hour = Number(row.hour_start);
    const day = hour - (hour % DAY_MS);
    const sum = days.get(day) ?? { good: 0, total: 0 };
    days.set(day, { good: sum.good + row.good, total: sum.total + row.total });
  }
  const dayRows = [...days].map(([day, counts]) => ({ slo, day_start: day, good: counts.good, total: counts.total }));
  for (const batch of chunks(dayRows)) {
    await tx
      .insertInto('slo_samples_day')
      .values(batch)
      .onConflict((oc) =>
        oc.columns(['slo', 'day_start']).doUpdateSet((eb) => ({ good: eb.ref('excluded.good'), total: eb.ref('excluded.total') })),
      )
      .execute();
  }
}

/**
 * Rows one read of loadTieredCounts asks for: a day or hour sum is a few bytes,
 * an hour of minutes ~1 KB and a B-tree search of its own (~20-40 us each on
 * SQLite; 9 SLOs x 1,000 hours in one query held the event loop 0.3-0.5 s).
 */
const SUM_ROWS_PER_READ = 2000;
const MINUTE_ROWS_PER_READ = 200;

/**
 * Loads, for each SLO, exactly the buckets that its ranges decompose into
 * (see planBuckets) and returns a counts source per SLO, in reads of bounded
 * size (the SQLite store yields to the event loop between them).
 */
export async function loadTieredCounts(db: Db, ranges: ReadonlyMap<string, readonly Interval[]>): Promise<Map<string, TieredCounts>> {
  // A timeslice SLO asks for every slice of its window (~50,000 ranges for 1-minute slices over 4 weeks).
  const plan: BucketPlan = { days: new Set(), hours: new Set(), minuteHours: new Set() };
  for (const list of ranges.values()) {
    for (const part of chunks(list, 5000)) {
      await yieldIfBusy();
      planBuckets(part, plan);
    }
  }
  const days = new Map<string, Map<number, Counts>>();
  const hours = new Map<string, Map<number, Counts>>();
  const minutes = new Map<string, Map<number, HourDetail>>();
  const put = <V>(maps: Map<string, Map<number, V>>, slo: string, key: number, value: V) => {
    let map = maps.get(slo);
    if (!map) maps.set(slo, (map = new Map()));
    map.set(key, value);
  };
  for (const slos of chunks([...ranges.keys()], 400)) {
    // Each query reads at most about ROWS_PER_READ rows (fewer hours when many SLOs), so none holds the event loop long.
    const perSlo = (rows: number) => Math.max(1, Math.floor(rows / slos.length));
    for (const dayBatch of chunks([...plan.days], Math.min(1000, perSlo(SUM_ROWS_PER_READ)))) {
      const rows = await db.selectFrom('slo_samples_day').selectAll().where('slo', 'in', slos).where('day_start', 'in', dayBatch).execute();
      for (const row of rows) put(days, row.slo, Number(row.day_start), { good: row.good, total: row.total });
    }
    for (const hourBatch of chunks([...plan.hours], Math.min(1000, perSlo(SUM_ROWS_PER_READ)))) {
      const rows = await db
        .selectFrom('slo_samples_hour')
        .select(['slo', 'hour_start', 'good', 'total'])
        .where('slo', 'in', slos)
        .where('hour_start', 'in', hourBatch)
        .execute();
      for (const row of rows) put(hours, row.slo, Number(row.hour_start), { good: row.good, total: row.total });
    }
    for (const hourBatch of chunks([...plan.minuteHours], Math.min(1000, perSlo(MINUTE_ROWS_PER_READ)))) {
      const rows = await db
        .selectFrom('slo_samples_hour')
        .select(['slo', 'hour_start', 'minutes'])
        .where('slo', 'in', slos)
        .where('hour_start', 'in', hourBatch)
        .execute();
      for (const row of rows) put(minutes, row.slo, Number(row.hour_start), decodeHour(row.minutes));
    }
  }
  const empty = new Map();
  return new Map(
    [...ranges.keys()].map((slo) => [slo, new TieredCounts(days.get(slo) ?? empty, hours.get(slo) ?? empty, minutes.get(slo) ?? empty)]),
  );
}

/** Every minute of one SLO in [from, to), dense, for replays (alert history) and charts. */
export async function loadMinuteSeries(db: Db, slo: string, from: number, to: number): Promise<MinuteSeries> {
  const rows = await db
    .selectFrom('slo_samples_hour')
    .select(['hour_start', 'minutes'])
    .where('slo', '=', slo)
    .where('hour_start', '>=', from - (from % HOUR_MS))
    .where('hour_start', '<', to)
    .orderBy('hour_start')
    .execute();
  const samples: MinuteSample[] = [];
  for (const row of rows) {
    const hour = Number(row.hour_start);
    const detail = decodeHour(row.minutes);
    for (let i = 0; i < MINUTES_PER_HOUR; i++) {
      const minute = hour + i * MINUTE_MS;
      if (minute >= from && minute < to && (detail.total[i] as number) > 0) {
        samples.push({ minute, good: detail.good[i] as number, total: detail.total[i] as number });
      }
    }
  }
  return new MinuteSeries(samples);
}

/** Hour sums of one SLO in [from, to), for the SLI chart. */
export async function loadHourSums(db: Db, slo: string, from: number, to: number): Promise<Array<{ hour: number } & Counts>> {
  const rows = await db
    .selectFrom('slo_samples_hour')
    .select(['hour_start', 'good', 'total'])
    .where('slo', '=', slo)
    .where('hour_start', '>=', from)
    .where('hour_start', '<', to)
    .orderBy('hour_start')
    .execute();
  return rows.map((row) => ({ hour: Number(row.hour_start), good: row.good, total: row.total }));
}

/** The span of stored samples of an SLO, or null. */
export async function sampleSpan(db: Db, slo: string): Promise<Interval | null> {
  const row = await db
    .selectFrom('slo_samples_hour')
    .select((eb) => [eb.fn.min('hour_start').as('first'), eb.fn.max('hour_start').as('last')])
    .where('slo', '=', slo)
    .executeTakeFirst();
  if (!row || row.first === null || row.last === null) return null;
  return [Number(row.first), Number(row.last) + HOUR_MS];
}

// --- Alert history -------------------------------------------------------------------

/** Replaces the stored alert transitions of an SLO inside [from, to) with `transitions`. */
export async function replaceAlertEvents(db: Db, slo: string, span: Interval, transitions: readonly AlertTransition[]): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('slo_alert_events').where('slo', '=', slo).where('at', '>=', span[0]).where('at', '<', span[1]).execute();
    const rows = transitions.map((t) => ({ slo, tier: t.tier, at: t.at, state: t.state }));
    for (const batch of chunks(rows)) await tx.insertInto('slo_alert_events').values(batch).execute();
  });
}

export async function listAlertEvents(db: Db, slo: string, limit: number): Promise<AlertTransition[]> {
  const rows = await db
    .selectFrom('slo_alert_events')
    .selectAll()
    .where('slo', '=', slo)
    .orderBy('at', 'desc')
    .orderBy('tier')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ tier: row.tier, state: row.state, at: Number(row.at) }));
}

// --- Data-source read positions ---------------------------------------------------------

export async function getSourceCursor(db: Db, slo: string): Promise<number | null> {
  const row = await db.selectFrom('slo_source_cursors').select('next_minute').where('slo', '=', slo).executeTakeFirst();
  return row ? Number(row.next_minute) : null;
}

export async function setSourceCursor(db: Db, slo: string, nextMinute: number): Promise<void> {
  await db
    .insertInto('slo_source_cursors')
    .values({ slo, next_minute: nextMinute, updated_at: Date.now() })
    .onConflict((oc) => oc.column('slo').doUpdateSet({ next_minute: nextMinute, updated_at: Date.now() }))
    .execute();
}
