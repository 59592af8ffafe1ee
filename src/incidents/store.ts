import type { Kysely } from 'kysely';
import { chunks } from '../store/chunks.js';
import type { Database } from '../store/database.js';
import type { Incident, IncidentStatus, Postmortem, PostmortemSections, RemediationItem, Runbook, TimelineEvent } from './model.js';
import { emptySections } from './model.js';
import type { IncidentRow, RemediationRow, RunbookRow } from './tables.js';

type Db = Kysely<Database>;

export interface IncidentFilter {
  /** Incidents whose primary service is one of these; undefined = every service. */
  serviceIds?: readonly string[] | undefined;
  /** Drills are left out unless asked for. */
  includeDrills?: boolean;
}

// --- Incidents --------------------------------------------------------------------

export async function loadIncidents(db: Db, filter: IncidentFilter = {}): Promise<Incident[]> {
  const rows: IncidentRow[] = [];
  const batches = filter.serviceIds === undefined ? [null] : chunks(filter.serviceIds);
  for (const serviceIds of batches) {
    if (serviceIds !== null && serviceIds.length === 0) continue;
    rows.push(
      ...(await db
        .selectFrom('incidents')
        .selectAll()
        .$if(serviceIds !== null, (q) => q.where('service_id', 'in', serviceIds as string[]))
        .$if(!filter.includeDrills, (q) => q.where('drill', '=', 0))
        .orderBy('impact_started_at', 'desc')
        .orderBy('id')
        .execute()),
    );
  }
  return rows.map(toIncident);
}

export async function getIncidents(db: Db, ids: readonly string[]): Promise<Map<string, Incident>> {
  const found = new Map<string, Incident>();
  for (const batch of chunks([...new Set(ids)])) {
    const rows = await db.selectFrom('incidents').selectAll().where('id', 'in', batch).execute();
    for (const row of rows) found.set(row.id, toIncident(row));
  }
  return found;
}

export async function upsertIncidents(db: Db, incidents: readonly Incident[], now: number): Promise<void> {
  // 26 columns: 500 rows bind 13,000 parameters, under SQLite's and PostgreSQL's limits.
  for (const batch of chunks(incidents, 500)) {
    await db
      .insertInto('incidents')
      .values(batch.map((i) => incidentRow(i, now)))
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => {
          const keep = ['id', 'created_at'];
          const columns = Object.keys(incidentRow(batch[0] as Incident, now)).filter((c) => !keep.includes(c)) as Array<
            Exclude<keyof IncidentRow, 'id' | 'created_at'>
          >;
          return Object.fromEntries(columns.map((c) => [c, eb.ref(`excluded.${c}`)]));
        }),
      )
      .execute();
  }
}

function incidentRow(i: Incident, now: number): IncidentRow {
  const m = i.milestones;
  return {
    id: i.id,
    title: i.title,
    service_id: i.serviceId,
    services: JSON.stringify(i.services),
    severity: i.severity,
    priority: i.priority,
    status: i.status,
    impact_started_at: m.impactStartedAt,
    detected_at: m.detectedAt,
    acknowledged_at: m.acknowledgedAt,
    mitigated_at: m.mitigatedAt,
    resolved_at: m.resolvedAt,
    closed_at: m.closedAt,
    commander: i.roles.commander,
    communications: i.roles.communications,
    scribe: i.roles.scribe,
    responders: JSON.stringify(i.roles.responders),
    customer_impact: i.customerImpact,
    caused_by_deployment: i.causedByDeployment,
    caused_by_sha: i.causedBySha,
    tags: JSON.stringify(i.tags),
    drill: i.drill ? 1 : 0,
    data_loss: i.dataLoss ? 1 : 0,
    source: i.source,
    created_at: now,
    updated_at: now,
  };
}

function toIncident(row: IncidentRow): Incident {
  return {
    id: row.id,
    title: row.title,
    serviceId: row.service_id,
    services: JSON.parse(row.services) as string[],
    severity: row.severity,
    priority: row.priority,
    status: row.status as IncidentStatus,
    milestones: {
      impactStartedAt: row.impact_started_at,
      detectedAt: row.detected_at,
      acknowledgedAt: row.acknowledged_at,
      mitigatedAt: row.mitigated_at,
      resolvedAt: row.resolved_at,
      closedAt: row.closed_at,
    },
    roles: {
      commander: row.commander,
      communications: row.communications,
      scribe: row.scribe,
      responders: JSON.parse(row.responders) as string[],
    },
    customerImpact: row.customer_impact,
    causedByDeployment: row.caused_by_deployment,
    causedBySha: row.caused_by_sha,
    tags: JSON.parse(row.tags) as string[],
    drill: row.drill === 1,
    dataLoss: row.data_loss === 1,
    source: row.source,
  };
}

// --- Timeline ---------------------------------------------------------------------

export async function listEvents(db: Db, incidentId: string): Promise<TimelineEvent[]> {
  const rows = await db
    .selectFrom('incident_events')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    incidentId: r.incident_id,
    at: r.at,
    kind: r.kind,
    text: r.text,
    author: r.author,
    pinned: r.pinned === 1,
  }));
}

export async function insertEvents(db: Db, events: readonly TimelineEvent[]): Promise<void> {
  for (const batch of chunks(events)) {
    await db
      .insertInto('incident_events')
      .values(
        batch.map((e) => ({
          id: e.id,
          incident_id: e.incidentId,
          at: e.at,
          kind: e.kind,
          text: e.text,
          author: e.author,
          pinned: e.pinned ? 1 : 0,
        })),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
}

export async function countEvents(db: Db, incidentId: string): Promise<number> {
  const row = await db
    .selectFrom('incident_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('incident_id', '=', incidentId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

// --- Postmortems -----------------------------------------------------------------

export async function loadPostmortems(db: Db, incidentIds?: readonly string[]): Promise<Map<string, Postmortem>> {
  const found = new Map<string, Postmortem>();
  const batches = incidentIds === undefined ? [null] : chunks(incidentIds);
  for (const batch of batches) {
    if (batch !== null && batch.length === 0) continue;
    const rows = await db
      .selectFrom('incident_postmortems')
      .selectAll()
      .$if(batch !== null, (q) => q.where('incident_id', 'in', batch as string[]))
      .execute();
    for (const r of rows) {
      found.set(r.incident_id, {
        incidentId: r.incident_id,
        status: r.status as Postmortem['status'],
        sections: { ...emptySections(), ...(JSON.parse(r.sections) as Partial<PostmortemSections>) },
        internalNotes: r.internal_notes,
        reviewers: JSON.parse(r.reviewers) as string[],
        dueAt: r.due_at,
        reviewedAt: r.reviewed_at,
        publishedAt: r.published_at,
        requiredBecause: r.required_because === null ? [] : (JSON.parse(r.required_because) as string[]),
      });
    }
  }
  return found;
}

export async function savePostmortems(db: Db, postmortems: readonly Postmortem[], now: number): Promise<void> {
  for (const batch of chunks(postmortems)) {
    await db
      .insertInto('incident_postmortems')
      .values(
        batch.map((p) => ({
          incident_id: p.incidentId,
          status: p.status,
          sections: JSON.stringify(p.sections),
          internal_notes: p.internalNotes,
          reviewers: JSON.stringify(p.reviewers),
          due_at: p.dueAt,
          reviewed_at: p.reviewedAt,
          published_at: p.publishedAt,
          required_because: JSON.stringify(p.requiredBecause),
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.column('incident_id').doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          sections: eb.ref('excluded.sections'),
          internal_notes: eb.ref('excluded.internal_notes'),
          reviewers: eb.ref('excluded.reviewers'),
          due_at: eb.ref('excluded.due_at'),
          reviewed_at: eb.ref('excluded.reviewed_at'),
          published_at: eb.ref('excluded.published_at'),
          required_because: eb.ref('excluded.required_because'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

// --- Remediation items -------------------------------------------------------------

export async function loadRemediation(
  db: Db,
  filter: { incidentIds?: readonly string[]; teamId?: string } = {},
): Promise<RemediationItem[]> {
  const out: RemediationItem[] = [];
  const batches = filter.incidentIds === undefined ? [null] : chunks(filter.incidentIds);
  for (const batch of batches) {
    if (batch !== null && batch.length === 0) continue;
    const rows = await db
      .selectFrom('incident_remediations')
      .selectAll()
      .$if(batch !== null, (q) => q.where('incident_id', 'in', batch as string[]))
      .$if(filter.teamId !== undefined, (q) => q.where('team_id', '=', filter.teamId as string))
      .orderBy('due_at')
      .orderBy('id')
      .execute();
    out.push(...rows.map(toRemediation));
  }
  return out;
}

export async function upsertRemediation(db: Db, items: readonly RemediationItem[]): Promise<void> {
  for (const batch of chunks(items)) {
    await db
      .insertInto('incident_remediations')
      .values(batch.map(remediationRow))
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          description: eb.ref('excluded.description'),
          type: eb.ref('excluded.type'),
          priority: eb.ref('excluded.priority'),
          owner: eb.ref('excluded.owner'),
          team_id: eb.ref('excluded.team_id'),
          due_at: eb.ref('excluded.due_at'),
          status: eb.ref('excluded.status'),
          ticket_url: eb.ref('excluded.ticket_url'),
          resolved_at: eb.ref('excluded.resolved_at'),
        })),
      )
      .execute();
  }
}

function remediationRow(i: RemediationItem): RemediationRow {
  return {
    id: i.id,
    incident_id: i.incidentId,
    description: i.description,
    type: i.type,
    priority: i.priority,
    owner: i.owner,
    team_id: i.teamId,
    due_at: i.dueAt,
    status: i.status,
    ticket_url: i.ticketUrl,
    resolved_at: i.resolvedAt,
    created_at: i.createdAt,
  };
}

function toRemediation(r: RemediationRow): RemediationItem {
  return {
    id: r.id,
    incidentId: r.incident_id,
    description: r.description,
    type: r.type as RemediationItem['type'],
    priority: r.priority as RemediationItem['priority'],
    owner: r.owner,
    teamId: r.team_id,
    dueAt: r.due_at,
    status: r.status as RemediationItem['status'],
    ticketUrl: r.ticket_url,
    resolvedAt: r.resolved_at,
    createdAt: r.created_at,
  };
}

// --- Runbooks, settings, webhook deliveries ---------------------------------------

export async function loadRunbooks(db: Db): Promise<Runbook[]> {
  const rows = await db.selectFrom('incident_runbooks').selectAll().orderBy('service_id').execute();
  return rows.map(runbookFromRow);
}

export async function loadRunbook(db: Db, serviceId: string): Promise<Runbook | null> {
  const row = await db.selectFrom('incident_runbooks').selectAll().where('service_id', '=', serviceId).executeTakeFirst();
  return row ? runbookFromRow(row) : null;
}

function runbookFromRow(r: RunbookRow): Runbook {
  return { serviceId: r.service_id, url: r.url, lastReviewedAt: r.last_reviewed_at, source: r.source as Runbook['source'] };
}

/**
 * Makes the runbooks owned by `source` exactly `runbooks`: rows of that source
 * no longer listed are removed; the rest inserted or updated. Runbooks set
 * through the API are left alone unless listed, in which case the file (or
 * demo) takes them over, as org entities are taken over by sextant.yaml.
 */
export async function replaceRunbooks(db: Db, runbooks: readonly Omit<Runbook, 'source'>[], source: 'config' | 'demo'): Promise<void> {
  const keep = new Set(runbooks.map((r) => r.serviceId));
  const existing = await db.selectFrom('incident_runbooks').select('service_id').where('source', '=', source).execute();
  const gone = existing.map((r) => r.service_id).filter((id) => !keep.has(id));
  for (const ids of chunks(gone)) await db.deleteFrom('incident_runbooks').where('service_id', 'in', ids).execute();
  for (const r of runbooks) await upsertRunbook(db, { ...r, source });
}

export async function upsertRunbook(db: Db, r: Runbook): Promise<void> {
  await db
    .insertInto('incident_runbooks')
    .values({ service_id: r.serviceId, url: r.url, last_reviewed_at: r.lastReviewedAt, source: r.source })
    .onConflict((oc) => oc.column('service_id').doUpdateSet({ url: r.url, last_reviewed_at: r.lastReviewedAt, source: r.source }))
    .execute();
}

export async function getSetting<T>(db: Db, name: string): Promise<T | undefined> {
  const row = await db.selectFrom('incident_settings').select('value').where('name', '=', name).executeTakeFirst();
  return row === undefined ? undefined : (JSON.parse(row.value) as T);
}

export async function putSetting(db: Db, name: string, value: unknown): Promise<void> {
  const json = JSON.stringify(value);
  await db
    .insertInto('incident_settings')
    .values({ name, value: json })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: json }))
    .execute();
}

export async function saveWebhookDelivery(
  db: Db,
  delivery: { id: string; source: string; receivedAt: number; incidentId: string | null; body: string },
): Promise<void> {
  await db
    .insertInto('incident_webhook_deliveries')
    .values({
      id: delivery.id,
      source: delivery.source,
      received_at: delivery.receivedAt,
      incident_id: delivery.incidentId,
      body: delivery.body,
    })
    .execute();
}

export async function countWebhookDeliveries(db: Db): Promise<number> {
  const row = await db
    .selectFrom('incident_webhook_deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Removes every demo incident and what hangs off it (the demo workspace is regenerated whole). */
export async function removeDemoIncidents(db: Db): Promise<void> {
  const demo = db.selectFrom('incidents').select('id').where('source', '=', 'demo');
  await db.deleteFrom('incident_events').where('incident_id', 'in', demo).execute();
  await db.deleteFrom('incident_postmortems').where('incident_id', 'in', demo).execute();
  await db.deleteFrom('incident_remediations').where('incident_id', 'in', demo).execute();
  await db.deleteFrom('incidents').where('source', '=', 'demo').execute();
}

/** The open incident (no resolution) whose id starts with `prefix`, newest first; null when none. */
export async function openIncidentWithPrefix(db: Db, prefix: string): Promise<string | null> {
  const row = await db
    .selectFrom('incidents')
    .select('id')
    // Prefixes are `alertmanager:<hex>:`: nothing LIKE would read as a wildcard.
    .where('id', 'like', `${prefix}%`)
    .where('resolved_at', 'is', null)
    .orderBy('impact_started_at', 'desc')
    .executeTakeFirst();
  return row?.id ?? null;
}

// --- What delivery reads and writes (through index.ts) ------------------------------

/** An incident as delivery's metrics read it: the impact start is `startedAt`. */
export interface DeliveryIncident {
  id: string;
  serviceId: string;
  severity: string;
  startedAt: number;
  detectedAt: number | null;
  resolvedAt: number | null;
  causedByDeployment: string | null;
  causedBySha: string | null;
}

/** Non-drill incidents of the given primary services (every service when undefined), for change failure rate and recovery time. */
export async function deliveryIncidents(db: Db, filter: { serviceIds?: readonly string[] }): Promise<DeliveryIncident[]> {
  return (await loadIncidents(db, { serviceIds: filter.serviceIds })).map((i) => ({
    id: i.id,
    serviceId: i.serviceId,
    severity: i.severity ?? 'unknown',
    startedAt: i.milestones.impactStartedAt,
    detectedAt: i.milestones.detectedAt,
    resolvedAt: i.milestones.resolvedAt,
    causedByDeployment: i.causedByDeployment,
    causedBySha: i.causedBySha,
  }));
}

/**
 * Replaces the demo incidents (and their postmortems, items and timelines)
 * with `incidents`, as delivery's demo generates them beside its
 * deployments; the incidents module's demo then adds the rest.
 */
export async function replaceDemoIncidents(db: Db, incidents: readonly DeliveryIncident[], now: number): Promise<void> {
  await removeDemoIncidents(db);
  await saveDeliveryIncidents(db, incidents, 'demo', now);
}

/** Stores incidents given in delivery's shape (tests, benchmarks, the demo): resolved or investigating, no other detail. */
export async function saveDeliveryIncidents(db: Db, incidents: readonly DeliveryIncident[], source: string, now: number): Promise<void> {
  await upsertIncidents(
    db,
    incidents.map((i) => ({
      id: i.id,
      title: i.id,
      serviceId: i.serviceId,
      services: [i.serviceId],
      severity: i.severity,
      priority: null,
      status: i.resolvedAt === null ? 'investigating' : 'resolved',
      milestones: {
        impactStartedAt: i.startedAt,
        detectedAt: i.detectedAt,
        acknowledgedAt: null,
        mitigatedAt: null,
        resolvedAt: i.resolvedAt,
        closedAt: null,
      },
      roles: { commander: null, communications: null, scribe: null, responders: [] },
      customerImpact: null,
      causedByDeployment: i.causedByDeployment,
      causedBySha: i.causedBySha,
      tags: [],
      drill: false,
      dataLoss: false,
      source,
    })),
    now,
  );
}
