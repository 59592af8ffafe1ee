import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../shared/errors.js';
import type { Database, DialectName, Store } from '../store/database.js';
import { dailySeries, periodValue, ratioValue, type Aggregation, type DailySeries, type PeriodValue } from './aggregate.js';
import { dateOf, dayOf } from './dates.js';
import { deckInput, treeInput, type AnnotationInput, type Deck, type MetricDefinition, type PointInput, type Tree } from './model.js';
import type { MetricRow } from './tables.js';

type Db = Kysely<Database>;
const POINT_CHUNK_ROWS = 5000;

// ---------------------------------------------------------------- metrics

function toDefinition(row: MetricRow): MetricDefinition {
  return {
    id: row.id,
    name: row.name,
    unit: row.unit as MetricDefinition['unit'],
    direction: row.direction as MetricDefinition['direction'],
    owner: row.owner,
    aggregation: row.aggregation as Aggregation,
    numerator: row.numerator,
    denominator: row.denominator,
    description: row.description,
    target: { week: row.target_week, month: row.target_month },
    baseline: { points: row.baseline_points, from: row.baseline_from },
    source: row.source,
  };
}

function toRow(metric: MetricDefinition, now: number): MetricRow {
  return {
    id: metric.id,
    name: metric.name,
    unit: metric.unit,
    direction: metric.direction,
    owner: metric.owner,
    aggregation: metric.aggregation,
    numerator: metric.numerator,
    denominator: metric.denominator,
    description: metric.description,
    target_week: metric.target.week,
    target_month: metric.target.month,
    baseline_points: metric.baseline.points,
    baseline_from: metric.baseline.from,
    source: metric.source,
    updated_at: now,
  };
}

/** Every metric definition, by id. */
export async function listMetrics(db: Db): Promise<MetricDefinition[]> {
  const rows = await db.selectFrom('outcomes_metrics').selectAll().orderBy('id').execute();
  return rows.map(toDefinition);
}

/** Whether the store has a metric with this id. */
export async function metricExists(db: Db, id: string): Promise<boolean> {
  return (await db.selectFrom('outcomes_metrics').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function getMetric(db: Db, id: string): Promise<MetricDefinition> {
  const row = await db.selectFrom('outcomes_metrics').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(`No metric "${id}"`);
  return toDefinition(row);
}

/**
 * Creates or replaces definitions in one transaction. Numerators and
 * denominators must name metrics that exist (stored or in the same batch) and
 * are not ratios themselves. `field` prefixes the issues (`metrics[2]`).
 */
export async function defineMetrics(db: Db, metrics: readonly MetricDefinition[], field = 'metrics'): Promise<void> {
  const stored = new Map((await listMetrics(db)).map((m) => [m.id, m]));
  for (const m of metrics) stored.set(m.id, m);
  const issues: FieldIssue[] = [];
  metrics.forEach((m, i) => {
    for (const part of ['numerator', 'denominator'] as const) {
      const ref = m[part];
      if (ref === null) continue;
      const target = stored.get(ref);
      if (!target) issues.push({ field: `${field}[${i}].${part}`, message: `unknown metric "${ref}"` });
      else if (target.numerator !== null) issues.push({ field: `${field}[${i}].${part}`, message: `"${ref}" is itself a ratio metric` });
    }
  });
  if (issues.length > 0) throw new ValidationError('Invalid metric definitions', issues);
  const now = Date.now();
  await db.transaction().execute(async (trx) => {
    for (const m of metrics) {
      const row = toRow(m, now);
      const { id: _id, ...rest } = row;
      await trx
        .insertInto('outcomes_metrics')
        .values(row)
        .onConflict((oc) => oc.column('id').doUpdateSet(rest))
        .execute();
    }
  });
}

// ---------------------------------------------------------------- points

/** Where a batch came from, so errors can name file and line. */
export interface PointOrigin {
  file?: string;
  /** The file line of each point (same order as the points). */
  lines?: readonly number[];
  /** Field prefix for API batches (`body.points`). */
  field?: string;
}

/**
 * Checks a batch against the stored definitions: every metric known and not
 * computed (a ratio), no (metric, date) twice with different values. Returns
 * every problem; an empty list means the batch can be written.
 */
export function checkPoints(
  points: readonly PointInput[],
  metrics: ReadonlyMap<string, MetricDefinition>,
  origin: PointOrigin = {},
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Map<string, number>();
  const locate = (i: number, field: string): FieldIssue => {
    const line = origin.lines?.[i];
    return {
      field: origin.field ? `${origin.field}[${i}].${field}` : field,
      message: '',
      ...(origin.file ? { file: origin.file } : {}),
      ...(line !== undefined ? { line } : {}),
    };
  };
  points.forEach((p, i) => {
    const metric = metrics.get(p.metric);
    if (!metric) issues.push({ ...locate(i, 'metric'), message: `unknown metric "${p.metric}": define it first` });
    else if (metric.numerator !== null)
      issues.push({
        ...locate(i, 'metric'),
        message: `"${p.metric}" is a ratio computed from ${metric.numerator} / ${metric.denominator}; push those instead`,
      });
    const key = `${p.metric}\u0000${p.date}`;
    const before = seen.get(key);
    if (before !== undefined && before !== p.value) {
      issues.push({
        ...locate(i, 'value'),
        message: `${p.metric} on ${p.date} appears twice in this batch with different values (${before} and ${p.value})`,
      });
    }
    seen.set(key, p.value);
  });
  return issues;
}

/**
 * Writes a batch of daily points, idempotently (a point replaces the stored
 * value of its metric and day), in one transaction after checking it whole: a
 * rejected batch writes nothing.
 */
export async function writePoints(store: Store, points: readonly PointInput[], origin: PointOrigin = {}): Promise<number> {
  const metrics = new Map((await listMetrics(store.db)).map((m) => [m.id, m]));
  const issues = checkPoints(points, metrics, origin);
  if (issues.length > 0) throw new ValidationError(`Rejected ${points.length} points: nothing was written`, issues.slice(0, 50));
  const rows = points.map((p) => [p.metric, dayOf(p.date), p.value] as const);
  await store.db.transaction().execute((trx) => upsertPointRows(trx, store.dialect, rows));
  return rows.length;
}

/** Raw upsert of `[metric, day, value]` rows (checked already), one JSON parameter per 5,000 rows. */
export async function upsertPointRows(
  db: Db | Transaction<Database>,
  dialect: DialectName,
  rows: ReadonlyArray<readonly [string, number, number]>,
): Promise<void> {
  for (let start = 0; start < rows.length; start += POINT_CHUNK_ROWS) {
    const json = JSON.stringify(rows.slice(start, start + POINT_CHUNK_ROWS));
    const query =
      dialect === 'postgres'
        ? sql`insert into outcomes_points (metric_id, day, value)
            select value->>0, (value->>1)::integer, (value->>2)::double precision from json_array_elements(${json}::json) as e(value)
            on conflict (metric_id, day) do update set value = excluded.value`
        : sql`insert into outcomes_points (metric_id, day, value)
            select value->>0, value->>1, value->>2 from json_each(${json}) where true
            on conflict (metric_id, day) do update set value = excluded.value`;
    await query.execute(db);
  }
}

/** Replaces a published series' points in [fromDay, toDay] (built-in series are recomputed whole). */
export async function replacePoints(
  store: Store,
  metricId: string,
  fromDay: number,
  toDay: number,
  points: ReadonlyArray<{ day: number; value: number }>,
): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('outcomes_points')
      .where('metric_id', '=', metricId)
      .where('day', '>=', fromDay)
      .where('day', '<=', toDay)
      .execute();
    await upsertPointRows(
      trx,
      store.dialect,
      points.map((p) => [metricId, p.day, p.value] as const),
    );
  });
}

/**
 * Daily points of some metrics over [fromDay, toDay], by metric. One query per
 * metric: a single query over many metrics repeats the metric id in every row,
 * and reading all 1.1 million points of 1,000 metrics that way spent most of
 * its time allocating and collecting those rows (3.3 s against 0.7 s per metric,
 * measured on SQLite; see bench/outcomes-metrics.bench.ts).
 */
export async function readPoints(
  db: Db,
  metricIds: readonly string[],
  fromDay: number,
  toDay: number,
): Promise<Map<string, Array<{ day: number; value: number }>>> {
  const result = new Map<string, Array<{ day: number; value: number }>>();
  for (const id of new Set(metricIds)) {
    const rows = await db
      .selectFrom('outcomes_points')
      .select(['day', 'value'])
      .where('metric_id', '=', id)
      .where('day', '>=', fromDay)
      .where('day', '<=', toDay)
      .orderBy('day')
      .execute();
    result.set(id, rows);
  }
  return result;
}

/**
 * How each metric's periods are valued: its own points aggregated, or for a
 * ratio, numerator and denominator aggregated then divided. Reads the points
 * of [fromDay, toDay] for the metrics and their parts.
 */
export async function periodValues(
  db: Db,
  metrics: readonly MetricDefinition[],
  fromDay: number,
  toDay: number,
): Promise<Map<string, PeriodValue>> {
  const all = new Map((await listMetrics(db)).map((m) => [m.id, m]));
  const needed = new Set<string>();
  for (const m of metrics) {
    if (m.numerator && m.denominator) needed.add(m.numerator).add(m.denominator);
    else needed.add(m.id);
  }
  const points = await readPoints(db, [...needed], fromDay, toDay);
  const series = new Map<string, DailySeries>([...points].map(([id, list]) => [id, dailySeries(list)]));
  const own = (id: string): PeriodValue => {
    const definition = all.get(id);
    return periodValue(series.get(id) ?? dailySeries([]), definition?.aggregation ?? 'sum');
  };
  return new Map(metrics.map((m) => [m.id, m.numerator && m.denominator ? ratioValue(own(m.numerator), own(m.denominator)) : own(m.id)]));
}

// ---------------------------------------------------------------- annotations

export interface Annotation {
  id: string;
  metric: string;
  date: string;
  text: string;
  author: string;
}

/** Adds annotations (idempotent: the same metric, date, text and author is one annotation); unknown metrics reject the batch. */
export async function addAnnotations(db: Db, annotations: readonly AnnotationInput[], origin: PointOrigin = {}): Promise<number> {
  const known = new Set((await listMetrics(db)).map((m) => m.id));
  const issues: FieldIssue[] = [];
  annotations.forEach((a, i) => {
    if (!known.has(a.metric)) {
      const line = origin.lines?.[i];
      issues.push({
        field: origin.field ? `${origin.field}[${i}].metric` : 'metric',
        message: `unknown metric "${a.metric}"`,
        ...(origin.file ? { file: origin.file } : {}),
        ...(line !== undefined ? { line } : {}),
      });
    }
  });
  if (issues.length > 0) throw new ValidationError('Rejected annotations: nothing was written', issues);
  const now = Date.now();
  await db.transaction().execute(async (trx) => {
    for (const a of annotations) {
      const id = createHash('sha256').update(`${a.metric}\u0000${a.date}\u0000${a.text}\u0000${a.author}`).digest('hex').slice(0, 24);
      await trx
        .insertInto('outcomes_annotations')
        .values({ id, metric_id: a.metric, day: dayOf(a.date), text: a.text, author: a.author, created_at: now })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
  });
  return annotations.length;
}

export async function listAnnotations(db: Db, metricIds: readonly string[], fromDay: number, toDay: number): Promise<Annotation[]> {
  if (metricIds.length === 0) return [];
  const rows = await db
    .selectFrom('outcomes_annotations')
    .selectAll()
    .where('metric_id', 'in', [...metricIds])
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay)
    .orderBy('day')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, metric: r.metric_id, date: dateOf(r.day), text: r.text, author: r.author }));
}

// ---------------------------------------------------------------- notes and readouts

export interface ReviewNote {
  metric: string;
  text: string;
  author: string;
  updatedAt: number;
}

export async function listNotes(db: Db, weekEnding: number): Promise<ReviewNote[]> {
  const rows = await db.selectFrom('outcomes_notes').selectAll().where('week_ending', '=', weekEnding).orderBy('metric_id').execute();
  return rows.map((r) => ({ metric: r.metric_id, text: r.text, author: r.author, updatedAt: r.updated_at }));
}

/** Writes the owner's note; a published week is frozen (409). Empty text removes the note. */
export async function setNote(db: Db, metric: string, weekEnding: number, text: string, author: string): Promise<void> {
  await getMetric(db, metric);
  await db.transaction().execute(async (trx) => {
    const published = await trx
      .selectFrom('outcomes_readouts')
      .select('week_ending')
      .where('week_ending', '=', dateOf(weekEnding))
      .executeTakeFirst();
    if (published)
      throw new ConflictError(`The review of the week ending ${dateOf(weekEnding)} is published: its readout cannot be edited`);
    if (text.trim() === '') {
      await trx.deleteFrom('outcomes_notes').where('metric_id', '=', metric).where('week_ending', '=', weekEnding).execute();
      return;
    }
    const row = { metric_id: metric, week_ending: weekEnding, text, author, updated_at: Date.now() };
    await trx
      .insertInto('outcomes_notes')
      .values(row)
      .onConflict((oc) => oc.columns(['metric_id', 'week_ending']).doUpdateSet({ text, author, updated_at: row.updated_at }))
      .execute();
  });
}

export interface StoredReadout {
  weekEnding: string;
  publishedAt: number;
  publishedBy: string;
  snapshot: string;
  markdown: string;
  html: string;
}

export async function insertReadout(db: Db, readout: StoredReadout): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('outcomes_readouts')
      .select('week_ending')
      .where('week_ending', '=', readout.weekEnding)
      .executeTakeFirst();
    if (existing) throw new ConflictError(`The week ending ${readout.weekEnding} is already published; a readout cannot be changed`);
    await trx
      .insertInto('outcomes_readouts')
      .values({
        week_ending: readout.weekEnding,
        published_at: readout.publishedAt,
        published_by: readout.publishedBy,
        snapshot: readout.snapshot,
        markdown: readout.markdown,
        html: readout.html,
      })
      .execute();
  });
}

export async function getReadout(db: Db, weekEnding: string): Promise<StoredReadout> {
  const row = await db.selectFrom('outcomes_readouts').selectAll().where('week_ending', '=', weekEnding).executeTakeFirst();
  if (!row) throw new NotFoundError(`No readout for the week ending ${weekEnding}`);
  return {
    weekEnding: row.week_ending,
    publishedAt: row.published_at,
    publishedBy: row.published_by,
    snapshot: row.snapshot,
    markdown: row.markdown,
    html: row.html,
  };
}

export async function listReadouts(db: Db): Promise<Array<{ weekEnding: string; publishedAt: number; publishedBy: string }>> {
  const rows = await db
    .selectFrom('outcomes_readouts')
    .select(['week_ending', 'published_at', 'published_by'])
    .orderBy('week_ending', 'desc')
    .execute();
  return rows.map((r) => ({ weekEnding: r.week_ending, publishedAt: r.published_at, publishedBy: r.published_by }));
}

export async function isPublished(db: Db, weekEnding: string): Promise<boolean> {
  return Boolean(await db.selectFrom('outcomes_readouts').select('week_ending').where('week_ending', '=', weekEnding).executeTakeFirst());
}

// ---------------------------------------------------------------- the tree and the deck

async function readDocument(db: Db, name: string): Promise<unknown> {
  const row = await db.selectFrom('outcomes_documents').select('body').where('name', '=', name).executeTakeFirst();
  return row ? JSON.parse(row.body) : null;
}

async function writeDocument(db: Db, name: string, body: unknown): Promise<void> {
  const text = JSON.stringify(body);
  const now = Date.now();
  await db
    .insertInto('outcomes_documents')
    .values({ name, body: text, updated_at: now })
    .onConflict((oc) => oc.column('name').doUpdateSet({ body: text, updated_at: now }))
    .execute();
}

export async function getTree(db: Db): Promise<Tree> {
  return treeInput.parse((await readDocument(db, 'tree')) ?? { northStars: [], edges: [] });
}

export async function getDeck(db: Db): Promise<Deck> {
  return deckInput.parse((await readDocument(db, 'deck')) ?? { sections: [] });
}

/** Problems with a tree: unknown metrics, an edge twice, a child with two parents, a cycle. `prefix` locates fields. */
export function checkTree(tree: Tree, known: ReadonlySet<string>, prefix = ''): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const at = (path: string) => (prefix ? `${prefix}.${path}` : path);
  tree.northStars.forEach((n, i) => {
    if (!known.has(n.metric)) issues.push({ field: at(`northStars[${i}].metric`), message: `unknown metric "${n.metric}"` });
    n.counterMetrics.forEach((c, k) => {
      if (!known.has(c)) issues.push({ field: at(`northStars[${i}].counterMetrics[${k}]`), message: `unknown metric "${c}"` });
    });
  });
  const parentOf = new Map<string, string>();
  tree.edges.forEach((e, i) => {
    for (const part of ['parent', 'child'] as const) {
      if (!known.has(e[part])) issues.push({ field: at(`edges[${i}].${part}`), message: `unknown metric "${e[part]}"` });
    }
    if (parentOf.has(e.child))
      issues.push({ field: at(`edges[${i}].child`), message: `"${e.child}" already has a parent ("${parentOf.get(e.child)}")` });
    else parentOf.set(e.child, e.parent);
  });
  tree.edges.forEach((e, i) => {
    const seen = new Set<string>([e.child]);
    let node: string | undefined = e.parent;
    while (node !== undefined) {
      if (seen.has(node)) {
        if (node === e.child)
          issues.push({
            field: at(`edges[${i}]`),
            message: `cycle: "${e.child}" is an input of itself (${[...seen].join(' -> ')} -> ${node})`,
          });
        break;
      }
      seen.add(node);
      node = parentOf.get(node);
    }
  });
  return issues;
}

export async function putTree(db: Db, tree: Tree, prefix = 'body'): Promise<void> {
  const known = new Set((await listMetrics(db)).map((m) => m.id));
  const issues = checkTree(tree, known, prefix);
  if (issues.length > 0) throw new ValidationError('Invalid North Star tree: nothing was written', issues);
  await writeDocument(db, 'tree', tree);
}

export function checkDeck(deck: Deck, known: ReadonlySet<string>, prefix = ''): FieldIssue[] {
  const issues: FieldIssue[] = [];
  deck.sections.forEach((s, i) =>
    s.metrics.forEach((m, k) => {
      if (!known.has(m))
        issues.push({ field: `${prefix ? `${prefix}.` : ''}sections[${i}].metrics[${k}]`, message: `unknown metric "${m}"` });
    }),
  );
  return issues;
}

export async function putDeck(db: Db, deck: Deck, prefix = 'body'): Promise<void> {
  const known = new Set((await listMetrics(db)).map((m) => m.id));
  const issues = checkDeck(deck, known, prefix);
  if (issues.length > 0) throw new ValidationError('Invalid review deck: nothing was written', issues);
  await writeDocument(db, 'deck', deck);
}
