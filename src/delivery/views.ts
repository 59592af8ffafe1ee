import { checkWindow } from '../kit/bounds.js';
import type { Kysely } from 'kysely';
import { NotFoundError, ValidationError } from '../shared/errors.js';
import type { Database } from '../store/database.js';
import { pageByKey, type Page } from '../store/pagination.js';
import type { DeploymentAssessment } from './assess-deployments.js';
import { loadDeliveryFacts, type DeliveryFacts } from './delivery-facts.js';
import { deploymentsIn, summariseDeliveryInSlices, type SummaryOptions } from './delivery-summary.js';
import { deploymentRowJson, doraSummaryJson, iso, type DeploymentRowJson } from './dora-report.js';
import { changeStart, leadTimeMs } from './lead-time.js';
import { DAY_MS, type TimeWindow } from './model.js';
import {
  scopeQuery,
  type ChangeDetailQuery,
  type DeploymentDetailQuery,
  type DeploymentsQuery,
  type ListQuery,
  type ScopeQuery,
  type TrendQuery,
} from './report-schemas.js';
import { changesOfDeployment, changesWithSha, getDeployments, loadChangesOfDeployments } from './store.js';
import { trendBuckets } from './trend.js';

/**
 * The delivery read side, one function per view of the API: each takes the
 * validated query and returns the JSON the route sends (instants as ISO
 * strings). Drill-down lists are paged by keyset over their sort key.
 */

type Db = Kysely<Database>;
type Paged<T> = Page<T> & { total: number };

const DEFAULT_WINDOW_DAYS = 90;

/** The five DORA metrics over the window, with tiers. */
export async function summaryView(db: Db, query: ScopeQuery) {
  const window = windowOf(query);
  const f = await facts(db, query);
  const report = doraSummaryJson(await summariseDeliveryInSlices(f.assessment, window, summaryOptions(query)), query.timezone);
  return {
    scope: scopeOf(query, f),
    ...report,
    unlinkedIncidents: f.assessment.unlinkedIncidents.length,
    dataRange: dataRange(f),
  };
}

/** Where the data is, whatever the window: so an empty window can say where to look. */
function dataRange(f: DeliveryFacts): { first: string; last: string } | null {
  let first = Infinity;
  let last = -Infinity;
  for (const { deployment } of f.assessment.deployments) {
    if (deployment.finishedAt < first) first = deployment.finishedAt;
    if (deployment.finishedAt > last) last = deployment.finishedAt;
  }
  return last === -Infinity ? null : { first: iso(first), last: iso(last) };
}

/** The five metrics per calendar week or month of the window. */
export async function trendView(db: Db, query: TrendQuery) {
  const window = windowOf(query);
  const f = await facts(db, query);
  const options = summaryOptions(query);
  // Five years of weeks are 260 summaries over every deployment: other requests are answered between and during them.
  const points = [];
  for (const bucket of trendBuckets(window, query.interval, options.timeZone)) {
    points.push(doraSummaryJson(await summariseDeliveryInSlices(f.assessment, bucket, options), query.timezone));
  }
  return { scope: scopeOf(query, f), interval: query.interval, points };
}

export type DeploymentListRow = DeploymentRowJson & { leadTimeMaxSeconds: number | null };

/** Deployments counted in the window, newest first, optionally only failed, unplanned or restored ones. */
export async function deploymentsView(db: Db, query: DeploymentsQuery): Promise<Paged<DeploymentListRow>> {
  const f = await facts(db, query);
  const wanted = (flag: 'true' | 'false' | undefined, value: boolean) => flag === undefined || value === (flag === 'true');
  const rows = deploymentsIn(f.assessment, windowOf(query)).filter(
    (a) =>
      wanted(query.failed, a.failureReasons.length > 0) &&
      wanted(query.unplanned, a.unplannedReasons.length > 0) &&
      (query.restored === undefined || (a.failureReasons.length > 0 && wanted(query.restored, a.restoredAt !== null))),
  );
  const page = pageByKey(rows, query, {
    of: (a) => [a.deployment.finishedAt, a.deployment.id],
    columns: [
      { kind: 'number', order: 'desc' },
      { kind: 'string', order: 'desc' },
    ],
  });
  return { ...page, items: page.items.map((a) => ({ ...deploymentRowJson(a), leadTimeMaxSeconds: longestLeadTimeSeconds(a) })) };
}

/** Changes shipped by the deployments counted in the window with their lead time, longest first: the rows behind lead time. */
export async function changesView(db: Db, query: ListQuery) {
  const f = await facts(db, query);
  const counted = new Map(deploymentsIn(f.assessment, windowOf(query)).map((a) => [a.deployment.id, a.deployment]));
  const changes = await loadChangesOfDeployments(db, [...counted.keys()], query.leadTimeStart);
  const rows = changes.map((c) => {
    const d = counted.get(c.deploymentId) as DeploymentAssessment['deployment'];
    return {
      sha: c.sha,
      deploymentId: d.id,
      serviceId: d.serviceId,
      environment: d.environment,
      version: d.version,
      startedAt: iso(c.startedAt),
      deployedAt: iso(d.finishedAt),
      leadTimeSeconds: leadTimeMs(d.finishedAt, c.startedAt) / 1000,
      revertsSha: c.revertsSha,
    };
  });
  return pageByKey(rows, query, {
    of: (row) => [row.leadTimeSeconds, row.sha, row.deploymentId],
    columns: [
      { kind: 'number', order: 'desc' },
      { kind: 'string', order: 'asc' },
      { kind: 'string', order: 'asc' },
    ],
  });
}

/** Incidents that started in the window, newest first, and the deployment each is blamed on (or none). */
export async function incidentsView(db: Db, query: ListQuery) {
  const f = await facts(db, query);
  const window = windowOf(query);
  const blamed = blamedDeployments(f);
  const rows = f.incidents
    .filter((i) => i.startedAt >= window.from && i.startedAt < window.to)
    .map((i) => ({
      id: i.id,
      serviceId: i.serviceId,
      severity: i.severity,
      startedAt: iso(i.startedAt),
      detectedAt: i.detectedAt === null ? null : iso(i.detectedAt),
      resolvedAt: i.resolvedAt === null ? null : iso(i.resolvedAt),
      deploymentId: blamed.get(i.id)?.deploymentId ?? null,
      link: blamed.get(i.id)?.link ?? null,
    }));
  // ISO instants of one format sort as the instants do.
  return pageByKey(rows, query, {
    of: (row) => [row.startedAt, row.id],
    columns: [
      { kind: 'string', order: 'desc' },
      { kind: 'string', order: 'asc' },
    ],
  });
}

/** One deployment: the changes it shipped first, the incidents blamed on it and why it counts as failed. */
export async function deploymentView(db: Db, id: string, query: DeploymentDetailQuery) {
  const deployment = (await getDeployments(db, [id])).get(id);
  if (!deployment) throw new NotFoundError(`Deployment "${id}" is not recorded`);
  const f = await facts(db, { ...scopeQuery.parse({}), ...query, service: deployment.serviceId, environment: deployment.environment });
  const assessment = f.assessment.deployments.find((a) => a.deployment.id === id) ?? unassessed(deployment);
  const changes = await changesOfDeployment(db, id);
  const incidentIds = new Set(assessment.failureReasons.flatMap((r) => (r.kind === 'incident' ? [r.incidentId] : [])));
  return {
    ...deploymentRowJson(assessment),
    status: deployment.status,
    startedAt: deployment.startedAt === null ? null : iso(deployment.startedAt),
    rollbackOf: deployment.rollbackOf,
    fixes: deployment.fixes,
    changeList: changes.map((c) => ({
      sha: c.sha,
      authorTime: iso(c.authorTime),
      committerTime: iso(c.committerTime),
      leadTimeSeconds: leadTimeMs(deployment.finishedAt, changeStart(c, query.leadTimeStart)) / 1000,
      revertsSha: c.revertsSha,
      fixesSha: c.fixesSha,
    })),
    incidents: f.incidents
      .filter((i) => incidentIds.has(i.id))
      .map((i) => ({
        id: i.id,
        severity: i.severity,
        startedAt: iso(i.startedAt),
        resolvedAt: i.resolvedAt === null ? null : iso(i.resolvedAt),
      })),
  };
}

/** A change (full or abbreviated sha) and the deployments that shipped it first, per service and environment. */
export async function changeView(db: Db, sha: string, query: ChangeDetailQuery) {
  const changes = await changesWithSha(db, sha);
  const first = changes[0];
  if (first === undefined) throw new NotFoundError(`No deployment has shipped a change ${sha}`);
  const deployments = await getDeployments(
    db,
    changes.map((c) => c.deploymentId),
  );
  return {
    sha: first.sha,
    authorTime: iso(first.authorTime),
    committerTime: iso(first.committerTime),
    shippedBy: changes.flatMap((c) => {
      const d = deployments.get(c.deploymentId);
      if (!d) return [];
      return [
        {
          sha: c.sha,
          deploymentId: d.id,
          serviceId: d.serviceId,
          environment: d.environment,
          version: d.version,
          deployedAt: iso(d.finishedAt),
          leadTimeSeconds: leadTimeMs(d.finishedAt, changeStart(c, query.leadTimeStart)) / 1000,
        },
      ];
    }),
  };
}

function facts(db: Db, query: ScopeQuery): Promise<DeliveryFacts> {
  return loadDeliveryFacts(
    db,
    { teamId: query.team, serviceId: query.service, environment: query.environment },
    {
      leadTimeStart: query.leadTimeStart,
      assess: { incidentWindowMs: query.incidentWindowDays * DAY_MS, revertWindowMs: query.revertWindowDays * DAY_MS },
    },
  );
}

function windowOf(query: ScopeQuery): TimeWindow {
  const to = query.to ?? Date.now();
  const from = query.from ?? to - DEFAULT_WINDOW_DAYS * DAY_MS;
  if (from >= to) throw new ValidationError('Empty window', [{ field: 'query.from', message: 'must be before `to`' }]);
  checkWindow({ from, to });
  return { from, to };
}

function summaryOptions(query: ScopeQuery): SummaryOptions {
  return { median: query.median, timeZone: query.timezone, benchmark: query.benchmark };
}

function scopeOf(query: ScopeQuery, f: DeliveryFacts) {
  return {
    team: query.team ?? null,
    service: query.service ?? null,
    environment: query.environment ?? null,
    services: f.services.map((s) => s.id),
  };
}

function longestLeadTimeSeconds(a: DeploymentAssessment): number | null {
  let longest = -1;
  for (const ms of a.leadTimesMs) longest = Math.max(longest, ms);
  return longest < 0 ? null : longest / 1000;
}

/** Which deployment each incident is blamed on, from the assessment's failure reasons. */
function blamedDeployments(f: DeliveryFacts): Map<string, { deploymentId: string; link: string }> {
  const blamed = new Map<string, { deploymentId: string; link: string }>();
  for (const a of f.assessment.deployments) {
    for (const reason of a.failureReasons) {
      if (reason.kind === 'incident') blamed.set(reason.incidentId, { deploymentId: a.deployment.id, link: reason.link });
    }
  }
  return blamed;
}

/** A deployment outside the assessed series (a failed run, another environment): nothing shipped, nothing failed. */
function unassessed(deployment: DeploymentAssessment['deployment']): DeploymentAssessment {
  return { deployment, changeCount: 0, leadTimesMs: new Float64Array(0), failureReasons: [], restoredAt: null, unplannedReasons: [] };
}
