import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Lookups, SpanBudgetSpend } from '../kit/lookups.js';
import { loadOrg } from '../org/index.js';
import { NotFoundError, ValidationError, type FieldIssue } from '../shared/errors.js';
import type { Database } from '../store/database.js';
import {
  INCIDENT_STATUSES,
  MILESTONES,
  emptySections,
  milestoneOrderIssues,
  severityOnScale,
  type Incident,
  type IncidentInput,
  type IncidentRoles,
  type IncidentStatus,
  type Milestone,
  type Milestones,
  type Postmortem,
  type PostmortemInput,
  type RemediationInput,
  type RemediationItem,
  type TimelineEvent,
} from './model.js';
import { addBusinessDays, defaultRemediationDue, postmortemReasons } from './postmortem.js';
import { loadIncidentSettings, type IncidentSettings } from './settings.js';
import {
  getIncidents,
  insertEvents,
  loadPostmortems,
  loadRemediation,
  savePostmortems,
  upsertIncidents,
  upsertRemediation,
} from './store.js';

type Db = Kysely<Database>;

/** Where row `index`'s `field` is in the input: `body.incidents[3].service`, or a file and line. */
export type Locate = (index: number, field: string) => Omit<FieldIssue, 'message'>;

export interface RecordReport {
  received: number;
  created: number;
  updated: number;
  unchanged: number;
}

/** What a source says about an incident: fields left undefined keep the stored values, null clears. */
export interface IncidentPatch {
  id: string;
  title?: string;
  serviceId: string;
  services?: string[];
  severity?: string | null;
  priority?: string | null;
  status?: IncidentStatus;
  milestones: Partial<Record<Milestone, number | null>>;
  roles?: Partial<IncidentRoles>;
  customerImpact?: string | null;
  causedBy?: { deployment: string | null; commit: string | null } | null;
  tags?: string[];
  drill?: boolean;
  dataLoss?: boolean;
  /** Timeline entries the source adds (an alert fired, a webhook event). */
  events?: Array<Omit<TimelineEvent, 'incidentId'>>;
}

export function patchFromInput(input: IncidentInput): IncidentPatch {
  const milestones: IncidentPatch['milestones'] = {};
  const start = input.impactStartedAt ?? input.startedAt;
  if (start !== undefined) milestones.impactStartedAt = start;
  for (const m of MILESTONES.slice(1)) {
    const value = input[m as Exclude<Milestone, 'impactStartedAt'>];
    if (value !== undefined) milestones[m] = value;
  }
  return defined({
    id: input.id,
    title: input.title,
    serviceId: input.service,
    services: input.services,
    severity: input.severity,
    priority: input.priority,
    status: input.status,
    milestones,
    roles: input.roles === undefined ? undefined : (defined({ ...input.roles }) as Partial<IncidentRoles>),
    customerImpact: input.customerImpact,
    causedBy:
      input.causedBy === undefined
        ? undefined
        : input.causedBy === null
          ? null
          : { deployment: input.causedBy.deployment ?? null, commit: input.causedBy.commit ?? null },
    tags: input.tags,
    drill: input.drill,
    dataLoss: input.dataLoss,
  }) as IncidentPatch;
}

/** The status the milestones reached: closed, resolved, monitoring (mitigated), investigating (acknowledged) or triage. */
export function statusOfMilestones(m: Milestones): IncidentStatus {
  if (m.closedAt !== null) return 'closed';
  if (m.resolvedAt !== null) return 'resolved';
  if (m.mitigatedAt !== null) return 'monitoring';
  if (m.acknowledgedAt !== null) return 'investigating';
  return 'triage';
}

const rank = (s: IncidentStatus) => INCIDENT_STATUSES.indexOf(s);

/** The incident after a patch; null when a new incident has no impact start. */
export function applyPatch(existing: Incident | undefined, patch: IncidentPatch, source: string): Incident | null {
  const start = patch.milestones.impactStartedAt ?? existing?.milestones.impactStartedAt;
  if (start == null) return null;
  const milestones = { ...(existing?.milestones ?? {}), impactStartedAt: start } as Milestones;
  for (const m of MILESTONES.slice(1)) {
    const key = m as Exclude<Milestone, 'impactStartedAt'>;
    const value = patch.milestones[key];
    milestones[key] = value !== undefined ? value : (existing?.milestones[key] ?? null);
  }
  const derived = statusOfMilestones(milestones);
  const status =
    patch.status ?? (existing && rank(existing.status) > rank(derived) && existing.status !== 'closed' ? existing.status : derived);
  const services = [patch.serviceId, ...(patch.services ?? existing?.services ?? []).filter((s) => s !== patch.serviceId)];
  const causedBy = patch.causedBy === undefined ? undefined : patch.causedBy;
  return {
    id: patch.id,
    title: patch.title ?? existing?.title ?? patch.id,
    serviceId: patch.serviceId,
    services: [...new Set(services)],
    severity: patch.severity !== undefined ? patch.severity : (existing?.severity ?? null),
    priority: patch.priority !== undefined ? patch.priority : (existing?.priority ?? null),
    status,
    milestones,
    roles: {
      commander: pick(patch.roles?.commander, existing?.roles.commander),
      communications: pick(patch.roles?.communications, existing?.roles.communications),
      scribe: pick(patch.roles?.scribe, existing?.roles.scribe),
      responders: patch.roles?.responders ?? existing?.roles.responders ?? [],
    },
    customerImpact: pick(patch.customerImpact, existing?.customerImpact),
    causedByDeployment: causedBy === undefined ? (existing?.causedByDeployment ?? null) : (causedBy?.deployment ?? null),
    causedBySha: causedBy === undefined ? (existing?.causedBySha ?? null) : (causedBy?.commit ?? null),
    tags: patch.tags ?? existing?.tags ?? [],
    drill: patch.drill ?? existing?.drill ?? false,
    dataLoss: patch.dataLoss ?? existing?.dataLoss ?? false,
    source: existing?.source ?? source,
  };
}

function pick<T>(value: T | null | undefined, stored: T | null | undefined): T | null {
  return value !== undefined ? value : (stored ?? null);
}

/**
 * Records a batch of incidents, all or nothing: every row is merged with the
 * stored incident and checked (known services, a severity on the workspace's
 * scale, milestones in order, a causing deployment that delivery recorded for
 * the same service); any problem rejects the batch with each issue named by
 * row and field. A row that changes nothing writes nothing.
 */
export async function recordIncidents(
  db: Db,
  patches: readonly IncidentPatch[],
  source: string,
  locate: Locate,
  lookups: Lookups = {},
): Promise<RecordReport & { ids: string[] }> {
  return inTransaction(db, async (tx) => {
    const issues: FieldIssue[] = [];
    const [org, settings, existing] = await Promise.all([
      loadOrg(tx),
      loadIncidentSettings(tx),
      getIncidents(
        tx,
        patches.map((p) => p.id),
      ),
    ]);
    const services = new Set(org.services.map((s) => s.id));
    const causes = new Map(
      (
        (await lookups.deployments?.(
          tx,
          patches.flatMap((p) => (p.causedBy?.deployment ? [p.causedBy.deployment] : [])),
        )) ?? []
      ).map((d) => [d.id, d]),
    );
    const batchIds = new Map<string, number>();
    const merged: Incident[] = [];
    patches.forEach((patch, i) => {
      const issue = (field: string, message: string) => issues.push({ ...locate(i, field), message });
      const earlier = batchIds.get(patch.id);
      if (earlier !== undefined) issue('id', `"${patch.id}" is also row ${earlier + 1} of this batch`);
      batchIds.set(patch.id, i);
      if (!services.has(patch.serviceId)) issue('service', `unknown service "${patch.serviceId}"`);
      (patch.services ?? []).forEach((s, j) => {
        if (!services.has(s)) issue(`services[${j}]`, `unknown service "${s}"`);
      });
      if (patch.severity != null) {
        const level = severityOnScale(settings.severities, patch.severity);
        if (level === null)
          issue('severity', `unknown severity "${patch.severity}" (the scale is ${settings.severities.map((s) => s.name).join(', ')})`);
        else patch = { ...patch, severity: level };
      }
      const deployment = patch.causedBy?.deployment;
      if (deployment && lookups.deployments) {
        const cause = causes.get(deployment);
        if (!cause) issue('causedBy.deployment', `deployment "${deployment}" is not recorded`);
        else if (cause.serviceId !== patch.serviceId)
          issue('causedBy.deployment', `deployment "${cause.id}" is of service "${cause.serviceId}", not "${patch.serviceId}"`);
      }
      const incident = applyPatch(existing.get(patch.id), patch, source);
      if (incident === null) {
        issue('impactStartedAt', 'is required for a new incident');
        return;
      }
      for (const order of milestoneOrderIssues(incident.milestones)) issue(order.field, order.message);
      merged.push(incident);
    });
    if (issues.length > 0)
      throw new ValidationError(`The batch was not recorded: ${issues.length} problem${issues.length > 1 ? 's' : ''}`, issues);
    const report = { received: patches.length, created: 0, updated: 0, unchanged: 0 };
    const changed: Incident[] = [];
    for (const incident of merged) {
      const before = existing.get(incident.id);
      if (!before) report.created++;
      else if (JSON.stringify(before) === JSON.stringify(incident)) {
        report.unchanged++;
        continue;
      } else report.updated++;
      changed.push(incident);
    }
    const now = Date.now();
    await upsertIncidents(tx, changed, now);
    await insertEvents(
      tx,
      patches.flatMap((p) => (p.events ?? []).map((e) => ({ ...e, incidentId: p.id }))),
    );
    // A required postmortem gets its due date when the incident resolves.
    await openPostmortems(
      tx,
      changed.filter((i) => i.milestones.resolvedAt !== null && !i.drill),
      settings,
      lookups,
      now,
    );
    return { ...report, ids: merged.map((i) => i.id) };
  });
}

/**
 * Creates a draft postmortem (due N business days after resolution) for
 * resolved incidents that have none, and records why each is required: the
 * error budget an incident spent comes from reliability (lookups), once, here.
 */
async function openPostmortems(
  db: Db,
  incidents: readonly Incident[],
  settings: IncidentSettings,
  lookups: Lookups,
  now: number,
): Promise<void> {
  if (incidents.length === 0) return;
  const existing = await loadPostmortems(
    db,
    incidents.map((i) => i.id),
  );
  const opening = incidents.filter((i) => !existing.has(i.id));
  const spends = new Map<string, SpanBudgetSpend[]>();
  if (lookups.budgetSpent && opening.length > 0) {
    const spans = opening.map((i) => ({
      id: i.id,
      serviceId: i.serviceId,
      start: i.milestones.impactStartedAt,
      end: i.milestones.resolvedAt,
    }));
    for (const spend of await lookups.budgetSpent(db, spans, now)) spends.set(spend.id, [...(spends.get(spend.id) ?? []), spend]);
  }
  const fresh = opening.map((i): Postmortem => ({
    incidentId: i.id,
    status: 'draft',
    sections: emptySections(),
    internalNotes: null,
    reviewers: [],
    dueAt: addBusinessDays(i.milestones.resolvedAt as number, settings.postmortemDueBusinessDays),
    reviewedAt: null,
    publishedAt: null,
    requiredBecause: postmortemReasons(i, spends.get(i.id) ?? [], settings.postmortemRule),
  }));
  await savePostmortems(db, fresh, now);
}

export async function requireIncident(db: Db, id: string): Promise<Incident> {
  const incident = (await getIncidents(db, [id])).get(id);
  if (!incident) throw new NotFoundError(`Incident "${id}" does not exist`);
  return incident;
}

export async function addTimelineEvent(
  db: Db,
  incidentId: string,
  input: { at?: number | undefined; kind: string; text: string; author?: string | null | undefined; pinned: boolean },
): Promise<TimelineEvent> {
  await requireIncident(db, incidentId);
  const event: TimelineEvent = {
    id: randomUUID(),
    incidentId,
    at: input.at ?? Date.now(),
    kind: input.kind,
    text: input.text,
    author: input.author ?? null,
    pinned: input.pinned,
  };
  await insertEvents(db, [event]);
  return event;
}

/**
 * Writes an incident's postmortem: sections sent replace the stored ones.
 * Publishing stamps publishedAt; the due date defaults to N business days
 * after resolution.
 */
export async function writePostmortem(db: Db, incidentId: string, input: PostmortemInput, now = Date.now()): Promise<Postmortem> {
  return db.transaction().execute(async (tx) => {
    const incident = await requireIncident(tx, incidentId);
    const settings = await loadIncidentSettings(tx);
    const stored = (await loadPostmortems(tx, [incidentId])).get(incidentId);
    const status = input.status ?? stored?.status ?? 'draft';
    const resolvedAt = incident.milestones.resolvedAt;
    const postmortem: Postmortem = {
      incidentId,
      status,
      sections: { ...emptySections(), ...stored?.sections, ...(defined(input.sections ?? {}) as Partial<Postmortem['sections']>) },
      internalNotes: input.internalNotes !== undefined ? input.internalNotes : (stored?.internalNotes ?? null),
      reviewers: input.reviewers ?? stored?.reviewers ?? [],
      dueAt:
        input.dueAt !== undefined
          ? input.dueAt
          : (stored?.dueAt ?? (resolvedAt === null ? null : addBusinessDays(resolvedAt, settings.postmortemDueBusinessDays))),
      reviewedAt: input.reviewedAt !== undefined ? input.reviewedAt : (stored?.reviewedAt ?? null),
      publishedAt: status === 'published' ? (stored?.publishedAt ?? now) : null,
      requiredBecause: stored?.requiredBecause ?? [],
    };
    if (status === 'published' && resolvedAt === null) {
      throw new ValidationError('A postmortem is published once the incident is resolved', [
        { field: 'body.status', message: 'the incident has no resolvedAt yet' },
      ]);
    }
    await savePostmortems(tx, [postmortem], now);
    return postmortem;
  });
}

/**
 * Adds or updates remediation items of an incident, all or nothing. Each
 * needs an owner (a person or team of the org) and a due date, which
 * defaults to 7 days after the postmortem's review once there is one.
 */
export async function recordRemediation(
  db: Db,
  incidentId: string,
  inputs: readonly RemediationInput[],
  locate: Locate,
  now = Date.now(),
): Promise<RemediationItem[]> {
  return db.transaction().execute(async (tx) => {
    const incident = await requireIncident(tx, incidentId);
    const [org, postmortems, stored] = await Promise.all([
      loadOrg(tx),
      loadPostmortems(tx, [incidentId]),
      loadRemediation(tx, { incidentIds: [incidentId] }),
    ]);
    const reviewedAt = postmortems.get(incidentId)?.reviewedAt ?? null;
    const teams = new Set(org.teams.map((t) => t.id));
    const people = new Map(org.people.map((p) => [p.id, p]));
    const storedById = new Map(stored.map((s) => [s.id, s]));
    const issues: FieldIssue[] = [];
    let serial = stored.length;
    const items = inputs.map((input, i): RemediationItem | null => {
      const issue = (field: string, message: string) => issues.push({ ...locate(i, field), message });
      const id = input.id ?? `${incidentId}/${++serial}`;
      const before = storedById.get(id);
      const owner = input.owner ?? before?.owner;
      if (owner === undefined) issue('owner', 'is required: a person or team id');
      else if (!teams.has(owner) && !people.has(owner)) issue('owner', `"${owner}" is neither a team nor a person of the org`);
      const dueAt = input.dueAt ?? before?.dueAt ?? (reviewedAt === null ? undefined : defaultRemediationDue(reviewedAt));
      if (dueAt === undefined) issue('dueAt', 'is required until the postmortem is reviewed (then it defaults to 7 days after the review)');
      if (owner === undefined || dueAt === undefined) return null;
      const teamId = teams.has(owner) ? owner : (people.get(owner)?.teamId ?? null);
      const closed = input.status === 'done' || input.status === 'wont-do';
      return {
        id,
        incidentId,
        description: input.description,
        type: input.type,
        priority: input.priority,
        owner,
        teamId: teamId ?? org.services.find((s) => s.id === incident.serviceId)?.ownerTeamId ?? null,
        dueAt,
        status: input.status,
        ticketUrl: input.ticketUrl ?? null,
        resolvedAt: closed ? (input.resolvedAt ?? before?.resolvedAt ?? now) : null,
        createdAt: before?.createdAt ?? now,
      };
    });
    if (issues.length > 0)
      throw new ValidationError(`No remediation item was recorded: ${issues.length} problem${issues.length > 1 ? 's' : ''}`, issues);
    const saved = items.filter((i): i is RemediationItem => i !== null);
    await upsertRemediation(tx, saved);
    return saved;
  });
}

/** Runs `body` in a transaction, or in the caller's when `db` already is one (a webhook stores its delivery in the same). */
function inTransaction<T>(db: Db, body: (tx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? body(db) : db.transaction().execute(body);
}

function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
