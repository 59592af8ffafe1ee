import { sql, type Kysely } from 'kysely';
import { chunks } from '../store/chunks.js';
import type { Database } from '../store/database.js';
import { deliveryIncidents } from '../incidents/index.js';
import type { DeploymentRow } from './tables.js';
import type { Deployment, Incident, LeadTimeStart, ShippedChange } from './model.js';

type Db = Kysely<Database>;

export type RecordSource = 'git' | 'api' | 'cli' | 'demo';

export interface DeliveryFilter {
  /** Only these services; undefined = every service. */
  serviceIds?: readonly string[] | undefined;
}

// --- Deployments ----------------------------------------------------------------

export async function loadDeployments(db: Db, filter: DeliveryFilter = {}): Promise<Deployment[]> {
  const rows: Array<Pick<DeploymentRow, (typeof DEPLOYMENT_COLUMNS)[number]>> = [];
  for (const serviceIds of serviceChunks(filter)) {
    rows.push(
      ...(await db
        .selectFrom('delivery_deployments')
        .select(DEPLOYMENT_COLUMNS)
        .$if(serviceIds !== null, (q) => q.where('service_id', 'in', serviceIds as string[]))
        .execute()),
    );
  }
  return rows.map(toDeployment);
}

export async function getDeployments(db: Db, ids: readonly string[]): Promise<Map<string, Deployment>> {
  const found = new Map<string, Deployment>();
  for (const batch of chunks(ids)) {
    const rows = await db.selectFrom('delivery_deployments').select(DEPLOYMENT_COLUMNS).where('id', 'in', batch).execute();
    for (const row of rows) found.set(row.id, toDeployment(row));
  }
  return found;
}

export async function upsertDeployments(db: Db, deployments: readonly Deployment[], source: RecordSource, now: number): Promise<void> {
  for (const batch of chunks(deployments)) {
    await db
      .insertInto('delivery_deployments')
      .values(batch.map((d) => deploymentRow(d, source, now)))
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          service_id: eb.ref('excluded.service_id'),
          environment: eb.ref('excluded.environment'),
          commit_sha: eb.ref('excluded.commit_sha'),
          started_at: eb.ref('excluded.started_at'),
          finished_at: eb.ref('excluded.finished_at'),
          status: eb.ref('excluded.status'),
          rollback_of: eb.ref('excluded.rollback_of'),
          fixes: eb.ref('excluded.fixes'),
          unplanned: eb.ref('excluded.unplanned'),
          version: eb.ref('excluded.version'),
          source: eb.ref('excluded.source'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

/**
 * The latest successful deployment with a commit of a series, in finish order
 * (ties by id, as shipChanges orders them), leaving out `exceptIds`: two
 * lookups on the series index, however long the series.
 */
export async function latestOfSeries(
  db: Db,
  serviceId: string,
  environment: string,
  exceptIds: readonly string[],
): Promise<{ id: string; finishedAt: number } | undefined> {
  const inSeries = () =>
    db
      .selectFrom('delivery_deployments')
      .where('service_id', '=', serviceId)
      .where('environment', '=', environment)
      .where('status', '=', 'success')
      .where('commit_sha', 'is not', null)
      .$if(exceptIds.length > 0, (q) => q.where('id', 'not in', exceptIds as string[]));
  const latest = await inSeries().select('finished_at').orderBy('finished_at', 'desc').limit(1).executeTakeFirst();
  if (!latest) return undefined;
  const tied = await inSeries().select('id').where('finished_at', '=', latest.finished_at).execute();
  const id = tied.map((r) => r.id).reduce((a, b) => (b > a ? b : a));
  return { id, finishedAt: Number(latest.finished_at) };
}

/**
 * Of the changes with these shas that the series shipped, the one shipped
 * last (finish order of deployments, then committer time and sha within one,
 * as shipChanges takes them); null when the series shipped none.
 */
export async function latestSeriesChange(db: Db, serviceId: string, environment: string, shas: readonly string[]): Promise<string | null> {
  let best: { sha: string; committerTime: number; id: string; finishedAt: number } | null = null;
  for (const batch of chunks(shas)) {
    const rows = await db
      .selectFrom('delivery_changes as c')
      .innerJoin('delivery_deployments as d', 'd.id', 'c.deployment_id')
      .select(['c.sha', 'c.committer_time', 'd.id', 'd.finished_at'])
      .where('c.sha', 'in', batch)
      .where('d.service_id', '=', serviceId)
      .where('d.environment', '=', environment)
      .execute();
    for (const row of rows) {
      const candidate = { sha: row.sha, committerTime: Number(row.committer_time), id: row.id, finishedAt: Number(row.finished_at) };
      if (best === null || laterChange(candidate, best)) best = candidate;
    }
  }
  return best?.sha ?? null;
}

function laterChange(
  a: { sha: string; committerTime: number; id: string; finishedAt: number },
  b: { sha: string; committerTime: number; id: string; finishedAt: number },
): boolean {
  if (a.finishedAt !== b.finishedAt) return a.finishedAt > b.finishedAt;
  if (a.id !== b.id) return a.id > b.id;
  if (a.committerTime !== b.committerTime) return a.committerTime > b.committerTime;
  return a.sha > b.sha;
}

/** Removes a service's deployments from one source that are no longer in `keepIds` (tags deleted, pattern changed). */
export async function removeDeploymentsNotIn(db: Db, serviceId: string, source: RecordSource, keepIds: readonly string[]): Promise<number> {
  const keep = new Set(keepIds);
  const existing = await db
    .selectFrom('delivery_deployments')
    .select('id')
    .where('service_id', '=', serviceId)
    .where('source', '=', source)
    .execute();
  const gone = existing.map((r) => r.id).filter((id) => !keep.has(id));
  for (const batch of chunks(gone)) await db.deleteFrom('delivery_deployments').where('id', 'in', batch).execute();
  return gone.length;
}

function deploymentRow(d: Deployment, source: RecordSource, now: number): DeploymentRow {
  return {
    id: d.id,
    service_id: d.serviceId,
    environment: d.environment,
    commit_sha: d.commitSha,
    started_at: d.startedAt,
    finished_at: d.finishedAt,
    status: d.status,
    rollback_of: d.rollbackOf,
    fixes: JSON.stringify(d.fixes),
    unplanned: d.unplanned ? 1 : 0,
    version: d.version,
    source,
    updated_at: now,
    // Filled in when the deployment's changes are written (replaceChanges).
    change_count: 0,
    change_author_times: '',
    change_committer_times: '',
  };
}

const DEPLOYMENT_COLUMNS = [
  'id',
  'service_id',
  'environment',
  'commit_sha',
  'started_at',
  'finished_at',
  'status',
  'rollback_of',
  'fixes',
  'unplanned',
  'version',
] as const;

function toDeployment(row: Pick<DeploymentRow, (typeof DEPLOYMENT_COLUMNS)[number]>): Deployment {
  return {
    id: row.id,
    serviceId: row.service_id,
    environment: row.environment,
    commitSha: row.commit_sha,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    status: row.status,
    rollbackOf: row.rollback_of,
    fixes: row.fixes === '[]' ? [] : (JSON.parse(row.fixes) as string[]),
    unplanned: row.unplanned === 1,
    version: row.version,
  };
}

// --- Changes (derived) ------------------------------------------------------------

/** A change as stored: both start times, so lead time can start at either. */
export interface StoredChange {
  deploymentId: string;
  sha: string;
  authorTime: number;
  committerTime: number;
  revertsSha: string | null;
  fixesSha: string | null;
}

/**
 * Replaces the changes of `deploymentIds` with `changes` (which may also hold
 * changes of other deployments, added), and rewrites the change summary of
 * every deployment concerned.
 */
export async function replaceChanges(db: Db, deploymentIds: readonly string[], changes: readonly StoredChange[]): Promise<void> {
  for (const batch of chunks(deploymentIds)) await db.deleteFrom('delivery_changes').where('deployment_id', 'in', batch).execute();
  await insertChanges(db, changes);
  const summaries = new Map<string, { author: number[]; committer: number[] }>(
    deploymentIds.map((id) => [id, { author: [], committer: [] }]),
  );
  for (const c of changes) {
    let summary = summaries.get(c.deploymentId);
    if (!summary) summaries.set(c.deploymentId, (summary = { author: [], committer: [] }));
    summary.author.push(c.authorTime);
    summary.committer.push(c.committerTime);
  }
  for (const [id, summary] of summaries) {
    await db
      .updateTable('delivery_deployments')
      .set({
        change_count: summary.author.length,
        change_author_times: summary.author.join(','),
        change_committer_times: summary.committer.join(','),
      })
      .where('id', '=', id)
      .execute();
  }
}

// 6 columns: 2,000 rows bind 12,000 parameters, under SQLite's and PostgreSQL's limits.
const CHANGE_CHUNK_ROWS = 2000;

async function insertChanges(db: Db, changes: readonly StoredChange[]): Promise<void> {
  for (const batch of chunks(changes, CHANGE_CHUNK_ROWS)) {
    await db
      .insertInto('delivery_changes')
      .values(
        batch.map((c) => ({
          deployment_id: c.deploymentId,
          sha: c.sha,
          author_time: c.authorTime,
          committer_time: c.committerTime,
          reverts_sha: c.revertsSha,
          fixes_sha: c.fixesSha,
        })),
      )
      .execute();
  }
}

/**
 * Rows one read of loadDeploymentsWithStarts asks for. better-sqlite3 reads
 * synchronously: the 100,000 deployments of a large organisation in one query
 * held the event loop 0.5-1 s; in reads of this size the SQLite store yields
 * between them (store/database.ts).
 */
const DEPLOYMENT_ROWS_PER_READ = 2000;

/**
 * Deployments with the start times of the changes each shipped first, read
 * from the per-deployment summary: one row per deployment however many
 * changes there are (a million at scale).
 */
export async function loadDeploymentsWithStarts(
  db: Db,
  filter: DeliveryFilter,
  leadTimeStart: LeadTimeStart,
): Promise<{ deployments: Deployment[]; startsByDeployment: Map<string, Float64Array> }> {
  const deployments: Deployment[] = [];
  const startsByDeployment = new Map<string, Float64Array>();
  for (const serviceIds of serviceChunks(filter)) {
    // Keyset reads in id order (the primary key's index), each at most DEPLOYMENT_ROWS_PER_READ rows.
    for (let after: string | null = null, full = true; full;) {
      const rows = await db
        .selectFrom('delivery_deployments')
        .select(DEPLOYMENT_COLUMNS)
        // Only the start times asked for: the other column is as large, and this read covers every deployment.
        .select(sql<string>`${sql.ref(leadTimeStart === 'committer' ? 'change_committer_times' : 'change_author_times')}`.as('starts'))
        .$if(serviceIds !== null, (q) => q.where('service_id', 'in', serviceIds as string[]))
        .$if(after !== null, (q) => q.where('id', '>', after as string))
        .orderBy('id')
        .limit(DEPLOYMENT_ROWS_PER_READ)
        .execute();
      for (const row of rows) {
        deployments.push(toDeployment(row));
        if (row.starts !== '') startsByDeployment.set(row.id, parseInstants(row.starts));
      }
      full = rows.length === DEPLOYMENT_ROWS_PER_READ;
      after = rows.at(-1)?.id ?? null;
    }
  }
  return { deployments, startsByDeployment };
}

/** Parses `1700000000000,1700000360000` without an intermediate string per number (a million at scale). */
function parseInstants(text: string): Float64Array {
  let count = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 44) count++;
  const out = new Float64Array(count);
  let index = 0;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 44 /* , */) {
      out[index++] = value;
      value = 0;
    } else value = value * 10 + (code - 48);
  }
  out[index] = value;
  return out;
}

/**
 * The changes failure and rework evidence needs: those that revert or fix
 * another (`reverts_sha`, `fixes_sha`), the changes they name, and the
 * changes named in `namedShas` (incidents caused by a commit). Everything
 * else only contributes its start time (loadDeploymentsWithStarts).
 */
export async function loadEvidenceChanges(
  db: Db,
  filter: DeliveryFilter,
  leadTimeStart: LeadTimeStart,
  namedShas: readonly string[],
): Promise<ShippedChange[]> {
  const corrective: ShippedChange[] = [];
  for (const serviceIds of serviceChunks(filter)) {
    corrective.push(
      ...(await changeQuery(db, leadTimeStart, serviceIds)
        .where((eb) => eb.or([eb('c.reverts_sha', 'is not', null), eb('c.fixes_sha', 'is not', null)]))
        .execute()),
    );
  }
  const named = [
    ...new Set([...corrective.flatMap((c) => [c.revertsSha, c.fixesSha]), ...namedShas].filter((sha): sha is string => sha !== null)),
  ];
  const full = named.filter((sha) => sha.length === 40);
  const targets: ShippedChange[] = [];
  for (const serviceIds of serviceChunks(filter)) {
    for (const batch of chunks(full))
      targets.push(...(await changeQuery(db, leadTimeStart, serviceIds).where('c.sha', 'in', batch).execute()));
    // Abbreviated shas (a `Fixes: 1a2b3c4d` trailer): a range on the sha index finds their commits.
    for (const prefix of named.filter((sha) => sha.length < 40)) {
      targets.push(
        ...(await changeQuery(db, leadTimeStart, serviceIds).where('c.sha', '>=', prefix).where('c.sha', '<', `${prefix}g`).execute()),
      );
    }
  }
  const seen = new Set<string>();
  return [...corrective, ...targets].filter((c) => {
    const key = `${c.deploymentId}\u0000${c.sha}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function changeQuery(db: Db, leadTimeStart: LeadTimeStart, serviceIds: string[] | null) {
  return db
    .selectFrom('delivery_changes as c')
    .select([
      'c.deployment_id as deploymentId',
      'c.sha as sha',
      sql<number>`${sql.ref(leadTimeStart === 'committer' ? 'c.committer_time' : 'c.author_time')}`.as('startedAt'),
      'c.reverts_sha as revertsSha',
      'c.fixes_sha as fixesSha',
    ])
    .$if(serviceIds !== null, (q) =>
      q.where('c.deployment_id', 'in', (sub) =>
        sub
          .selectFrom('delivery_deployments')
          .select('id')
          .where('service_id', 'in', serviceIds as string[]),
      ),
    );
}

/** Every change of the given deployments (drill-downs), shaped as the computations take them. */
export async function loadChangesOfDeployments(
  db: Db,
  deploymentIds: readonly string[],
  leadTimeStart: LeadTimeStart,
): Promise<ShippedChange[]> {
  const out: ShippedChange[] = [];
  for (const batch of chunks(deploymentIds)) {
    out.push(...(await changeQuery(db, leadTimeStart, null).where('c.deployment_id', 'in', batch).execute()));
  }
  return out;
}

export async function changesOfDeployment(db: Db, deploymentId: string): Promise<StoredChange[]> {
  const rows = await db
    .selectFrom('delivery_changes')
    .selectAll()
    .where('deployment_id', '=', deploymentId)
    .orderBy('author_time')
    .execute();
  return rows.map(toStoredChange);
}

export async function changesWithSha(db: Db, shaPrefix: string): Promise<StoredChange[]> {
  const rows = await db
    .selectFrom('delivery_changes')
    .selectAll()
    .$if(shaPrefix.length >= 40, (q) => q.where('sha', '=', shaPrefix))
    .$if(shaPrefix.length < 40, (q) => q.where('sha', '>=', shaPrefix).where('sha', '<', `${shaPrefix}g`))
    .orderBy('sha')
    .limit(100)
    .execute();
  return rows.map(toStoredChange);
}

function toStoredChange(row: Database['delivery_changes']): StoredChange {
  return {
    deploymentId: row.deployment_id,
    sha: row.sha,
    authorTime: row.author_time,
    committerTime: row.committer_time,
    revertsSha: row.reverts_sha,
    fixesSha: row.fixes_sha,
  };
}

// --- Incidents ----------------------------------------------------------------------

/** Incidents are the incidents module's: delivery reads them (drills left out) through its index. */
export async function loadIncidents(db: Db, filter: DeliveryFilter = {}): Promise<Incident[]> {
  return deliveryIncidents(db, filter.serviceIds === undefined ? {} : { serviceIds: filter.serviceIds });
}

/** Replaces every demo row (the demo workspace is regenerated whole). */
export async function removeDemoRows(db: Db): Promise<void> {
  // The attribution state of those services was derived from the rows going away.
  await db
    .deleteFrom('delivery_settings')
    .where('name', 'in', (sub) =>
      sub
        .selectFrom('delivery_deployments')
        .select(sql<string>`${ATTRIBUTION_STATE_PREFIX} || service_id`.as('name'))
        .where('source', '=', 'demo'),
    )
    .execute();
  await db.deleteFrom('delivery_deployments').where('source', '=', 'demo').execute();
}

/** Service ids in bind-parameter-sized chunks; one `null` chunk means no filter. */
function serviceChunks(filter: DeliveryFilter): Array<string[] | null> {
  if (filter.serviceIds === undefined) return [null];
  return [...chunks(filter.serviceIds)];
}

// --- Settings -----------------------------------------------------------------------

/** Settings named this and a service id hold the service's attribution state (attribution.ts). */
export const ATTRIBUTION_STATE_PREFIX = 'rebuild:';

export async function getSetting<T>(db: Db, name: string, fallback: T): Promise<T> {
  const row = await db.selectFrom('delivery_settings').select('value').where('name', '=', name).executeTakeFirst();
  return row ? (JSON.parse(row.value) as T) : fallback;
}

export async function putSetting(db: Db, name: string, value: unknown): Promise<void> {
  const json = JSON.stringify(value);
  await db
    .insertInto('delivery_settings')
    .values({ name, value: json })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: json }))
    .execute();
}
