import type { Kysely } from 'kysely';
import type { Lookups, LinkedDeployment, SpanBudgetSpend } from '../kit/lookups.js';
import { loadOrg, type Org } from '../org/index.js';
import { ValidationError } from '../shared/errors.js';
import type { Database } from '../store/database.js';
import {
  incidentCounts,
  postmortemMetrics,
  remediationMetrics,
  repeatIncidents,
  responseMetrics,
  type CountRow,
  type PostmortemMetrics,
  type RemediationMetrics,
  type RepeatIncident,
  type ResponseMetrics,
} from './metrics.js';
import {
  isOverdue,
  MILESTONES,
  runbookStale,
  type Incident,
  type Postmortem,
  type RemediationItem,
  type Runbook,
  type TimelineEvent,
} from './model.js';
import { blamelessCheck, postmortemReasons, type BlameSuggestion } from './postmortem.js';
import { requireIncident } from './record.js';
import { loadIncidentSettings } from './settings.js';
import { listEvents, loadIncidents, loadPostmortems, loadRemediation, loadRunbooks } from './store.js';

type Db = Kysely<Database>;

/**
 * What the API, the CLI and the dashboard show, assembled from the store and
 * the other modules' lookups (kit/lookups.ts).
 */

export interface IncidentScope {
  teamId?: string | undefined;
  serviceId?: string | undefined;
  severity?: string | undefined;
  status?: string | undefined;
  /** Impact started at or after (epoch ms). */
  from?: number | undefined;
  /** Impact started before. */
  to?: number | undefined;
  includeDrills?: boolean;
}

/** Incidents of a scope, newest first; a team covers its services and those of every team below it. */
export async function incidentsInScope(db: Db, scope: IncidentScope, org?: Org): Promise<Incident[]> {
  const o = org ?? (await loadOrg(db));
  if (scope.teamId !== undefined && !o.teams.some((t) => t.id === scope.teamId))
    throw new ValidationError('Unknown team', [{ field: 'query.team', message: `team "${scope.teamId}" does not exist` }]);
  if (scope.serviceId !== undefined && !o.services.some((s) => s.id === scope.serviceId))
    throw new ValidationError('Unknown service', [{ field: 'query.service', message: `service "${scope.serviceId}" does not exist` }]);
  const teams = scope.teamId === undefined ? null : teamAndDescendants(o, scope.teamId);
  const serviceIds =
    scope.serviceId !== undefined
      ? [scope.serviceId]
      : teams === null
        ? undefined
        : o.services.filter((s) => teams.has(s.ownerTeamId)).map((s) => s.id);
  const incidents = await loadIncidents(db, { serviceIds, includeDrills: scope.includeDrills ?? true });
  const severity = scope.severity?.toLowerCase();
  return incidents.filter(
    (i) =>
      (severity === undefined || i.severity?.toLowerCase() === severity) &&
      (scope.status === undefined || i.status === scope.status) &&
      (scope.from === undefined || i.milestones.impactStartedAt >= scope.from) &&
      (scope.to === undefined || i.milestones.impactStartedAt < scope.to),
  );
}

export function teamAndDescendants(org: Org, teamId: string): Set<string> {
  const found = new Set([teamId]);
  for (let grew = true; grew;) {
    grew = false;
    for (const team of org.teams) {
      if (team.parentId !== null && found.has(team.parentId) && !found.has(team.id)) {
        found.add(team.id);
        grew = true;
      }
    }
  }
  return found;
}

export interface IncidentMetricsView {
  at: number;
  response: ResponseMetrics;
  counts: { bySeverity: CountRow[]; byService: CountRow[]; byTeam: CountRow[]; byMonth: CountRow[] };
  /** MTTR p50 per month of impact start, for the trend. */
  monthly: Array<{ month: string; incidents: number; mttrP50Seconds: number | null; mttaP50Seconds: number | null }>;
  postmortems: PostmortemMetrics;
  remediation: RemediationMetrics;
  repeats: RepeatIncident[];
  overdueActions: RemediationItem[];
}

export async function incidentMetricsView(db: Db, scope: IncidentScope, at: number): Promise<IncidentMetricsView> {
  const org = await loadOrg(db);
  const incidents = await incidentsInScope(db, { ...scope, includeDrills: true }, org);
  const teamOf = (serviceId: string) => org.services.find((s) => s.id === serviceId)?.ownerTeamId ?? null;
  const ids = incidents.map((i) => i.id);
  const [postmortems, remediation, settings] = await Promise.all([
    loadPostmortems(db, ids),
    loadRemediation(db, { incidentIds: ids }),
    loadIncidentSettings(db),
  ]);
  // Severity and data loss by today's rule; budget spend as recorded when the incident resolved
  // (recomputing it for a year of incidents reads a year of minute data: seconds, not milliseconds).
  const withRule = incidents.map((i) => ({
    ...i,
    postmortemRequired:
      postmortemReasons(i, [], settings.postmortemRule).length > 0 || (postmortems.get(i.id)?.requiredBecause.length ?? 0) > 0,
  }));
  const months = new Map<string, Incident[]>();
  for (const i of incidents) {
    const month = new Date(i.milestones.impactStartedAt).toISOString().slice(0, 7);
    months.set(month, [...(months.get(month) ?? []), i]);
  }
  return {
    at,
    response: responseMetrics(incidents, at),
    counts: incidentCounts(incidents, teamOf),
    monthly: [...months]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([month, list]) => {
        const r = responseMetrics(list, at);
        return { month, incidents: r.incidents, mttrP50Seconds: r.mttr.p50Seconds, mttaP50Seconds: r.mtta.p50Seconds };
      }),
    postmortems: postmortemMetrics(withRule, postmortems, at),
    remediation: remediationMetrics(remediation, at),
    repeats: repeatIncidents(incidents),
    overdueActions: remediation.filter((r) => isOverdue(r, at)),
  };
}

/** Budget spent per incident, from reliability when this build has it; empty otherwise. */
async function budgetSpends(db: Db, incidents: readonly Incident[], at: number, lookups: Lookups): Promise<Map<string, SpanBudgetSpend[]>> {
  const out = new Map<string, SpanBudgetSpend[]>();
  if (!lookups.budgetSpent || incidents.length === 0) return out;
  const spans = incidents
    .filter((i) => !i.drill)
    .map((i) => ({ id: i.id, serviceId: i.serviceId, start: i.milestones.impactStartedAt, end: i.milestones.resolvedAt }));
  for (const spend of await lookups.budgetSpent(db, spans, at)) out.set(spend.id, [...(out.get(spend.id) ?? []), spend]);
  return out;
}

export interface TimelineEntry {
  at: number;
  kind: string;
  text: string;
  author: string | null;
  pinned: boolean;
}

export interface IncidentDetail {
  incident: Incident;
  durations: { ttaSeconds: number | null; ttmSeconds: number | null; ttrSeconds: number | null; detectSeconds: number | null };
  timeline: TimelineEntry[];
  deployments: LinkedDeployment[];
  budgetSpent: SpanBudgetSpend[];
  postmortem: (Postmortem & { required: boolean; requiredBecause: string[]; suggestions: BlameSuggestion[] }) | null;
  postmortemRequired: string[];
  remediation: Array<RemediationItem & { overdue: boolean }>;
  runbook: (Runbook & { stale: boolean }) | null;
}

const MILESTONE_TEXT: Record<(typeof MILESTONES)[number], string> = {
  impactStartedAt: 'Impact started',
  detectedAt: 'Detected',
  acknowledgedAt: 'Acknowledged',
  mitigatedAt: 'Mitigated',
  resolvedAt: 'Resolved',
  closedAt: 'Closed',
};

export async function incidentDetail(db: Db, id: string, at: number, lookups: Lookups): Promise<IncidentDetail> {
  const incident = await requireIncident(db, id);
  const [events, postmortems, remediation, runbooks, settings, org] = await Promise.all([
    listEvents(db, id),
    loadPostmortems(db, [id]),
    loadRemediation(db, { incidentIds: [id] }),
    loadRunbooks(db),
    loadIncidentSettings(db),
    loadOrg(db),
  ]);
  const deployments =
    incident.causedByDeployment && lookups.deployments ? await lookups.deployments(db, [incident.causedByDeployment]) : [];
  const budgetSpent = (await budgetSpends(db, [incident], at, lookups)).get(id) ?? [];
  const reasons = postmortemReasons(incident, budgetSpent, settings.postmortemRule);
  const pm = postmortems.get(id);
  const names = org.people.flatMap((p) => [p.name, ...p.aliases]);
  const m = incident.milestones;
  const since = (v: number | null) => (v === null ? null : (v - m.impactStartedAt) / 1000);
  const runbook = runbooks.find((r) => r.serviceId === incident.serviceId) ?? null;
  return {
    incident,
    durations: {
      detectSeconds: since(m.detectedAt),
      ttaSeconds: since(m.acknowledgedAt),
      ttmSeconds: since(m.mitigatedAt),
      ttrSeconds: since(m.resolvedAt),
    },
    timeline: timelineOf(incident, events),
    deployments,
    budgetSpent,
    postmortem: pm
      ? {
          ...pm,
          required: reasons.length > 0,
          requiredBecause: reasons,
          suggestions: blamelessCheck({ ...pm.sections, internalNotes: pm.internalNotes ?? '' }, names),
        }
      : null,
    postmortemRequired: reasons,
    remediation: remediation.map((r) => ({ ...r, overdue: isOverdue(r, at) })),
    runbook: runbook ? { ...runbook, stale: runbookStale(runbook, at) } : null,
  };
}

export function timelineOf(incident: Incident, events: readonly TimelineEvent[]): TimelineEntry[] {
  const milestones = MILESTONES.flatMap((m) => {
    const at = incident.milestones[m];
    return at === null ? [] : [{ at, kind: 'milestone', text: MILESTONE_TEXT[m], author: null, pinned: true }];
  });
  return [...milestones, ...events.map((e) => ({ at: e.at, kind: e.kind, text: e.text, author: e.author, pinned: e.pinned }))].sort(
    (a, b) => a.at - b.at,
  );
}

/** Remediation items, optionally only overdue ones at `at` and one team's. */
export async function remediationList(
  db: Db,
  filter: { overdue: boolean; teamId?: string | undefined; at: number },
): Promise<RemediationItem[]> {
  if (filter.teamId !== undefined) {
    const org = await loadOrg(db);
    if (!org.teams.some((t) => t.id === filter.teamId))
      throw new ValidationError('Unknown team', [{ field: '--team', message: `team "${filter.teamId}" does not exist` }]);
  }
  const items = await loadRemediation(db, filter.teamId === undefined ? {} : { teamId: filter.teamId });
  return filter.overdue ? items.filter((i) => isOverdue(i, filter.at)) : items;
}

export async function runbookList(db: Db, at: number): Promise<Array<Runbook & { stale: boolean }>> {
  return (await loadRunbooks(db)).map((r) => ({ ...r, stale: runbookStale(r, at) }));
}
