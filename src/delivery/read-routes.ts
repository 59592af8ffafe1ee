import { z } from 'zod';
import { ianaTimeZone } from '../shared/time-zone.js';
import { entityId } from '../org/index.js';
import { checkWindow } from '../kit/bounds.js';
import { defineRoute, type RouteSpec } from '../kit/routes.js';
import { NotFoundError, ValidationError } from '../shared/errors.js';
import type { Store } from '../store/database.js';
import { decodeCursor, DEFAULT_PAGE_LIMIT, encodeCursor, MAX_PAGE_LIMIT } from '../store/pagination.js';
import type { DeploymentAssessment } from './assess-deployments.js';
import { loadDeliveryFacts, type DeliveryFacts } from './delivery-facts.js';
import { deploymentsIn, summariseDelivery, type SummaryOptions } from './delivery-summary.js';
import { DORA_BENCHMARKS, DEFAULT_BENCHMARK, type BenchmarkYear } from './dora-benchmarks.js';
import { deploymentRowJson, doraReportJson, iso } from './dora-report.js';
import { DAY_MS, type TimeWindow } from './model.js';
import { changesOfDeployment, changesWithSha, getDeployments, loadChangesOfDeployments } from './store.js';
import { deliveryTrend } from './trend.js';
import * as schemas from './report-schemas.js';

const TAG = 'delivery';
const BASE = '/api/v1/delivery';
const DEFAULT_WINDOW_DAYS = 90;

const isoQuery = z.iso.datetime({ offset: true }).transform((v) => Date.parse(v));
const scopeQuery = z.object({
  team: entityId.optional().describe("A team: its services and its sub-teams' services"),
  service: entityId.optional(),
  environment: z.string().trim().min(1).optional().describe("Default: each service's production environments"),
  from: isoQuery.optional().describe('Window start, inclusive (default: 90 days before `to`)'),
  to: isoQuery.optional().describe('Window end, exclusive (default: now)'),
  timezone: ianaTimeZone.default('UTC').describe('Zone of calendar days and weeks'),
  benchmark: z.enum(Object.keys(DORA_BENCHMARKS) as [BenchmarkYear, ...BenchmarkYear[]]).default(DEFAULT_BENCHMARK),
  median: z.enum(['linear', 'lower']).default('linear'),
  leadTimeStart: z.enum(['author', 'committer']).default('author'),
  incidentWindowDays: z.coerce.number().min(0).max(365).default(7),
  revertWindowDays: z.coerce.number().min(0).max(365).default(7),
});
type ScopeQuery = z.infer<typeof scopeQuery>;

const pageQuery = {
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT),
  cursor: z.string().optional(),
};

/** Summary, trend and drill-down routes: every number can be followed to its rows. */
export function deliveryReadRoutes(store: Store): RouteSpec[] {
  const { db } = store;
  const facts = (query: ScopeQuery) =>
    loadDeliveryFacts(
      db,
      { teamId: query.team, serviceId: query.service, environment: query.environment },
      {
        leadTimeStart: query.leadTimeStart,
        assess: { incidentWindowMs: query.incidentWindowDays * DAY_MS, revertWindowMs: query.revertWindowDays * DAY_MS },
      },
    );
  return [
    defineRoute({
      method: 'GET',
      url: `${BASE}/summary`,
      operationId: 'getDeliverySummary',
      summary: 'The five DORA metrics over a window, with tiers, for a team, a service or everything',
      tag: TAG,
      access: 'read',
      query: scopeQuery,
      response: schemas.deliverySummary,
      handler: async ({ query }) => {
        const window = windowOf(query);
        const f = await facts(query);
        const { deploymentList: _rows, ...report } = doraReportJson(
          summariseDelivery(f.assessment, window, summaryOptions(query)),
          f.assessment,
          query.timezone,
        );
        return { scope: scopeOf(query, f), ...report, unlinkedIncidents: f.assessment.unlinkedIncidents.length };
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/trend`,
      operationId: 'getDeliveryTrend',
      summary: 'The five metrics per calendar week or month of the window',
      tag: TAG,
      access: 'read',
      query: scopeQuery.extend({ interval: z.enum(['week', 'month']).default('week') }),
      response: schemas.deliveryTrend,
      handler: async ({ query }) => {
        const window = windowOf(query);
        const f = await facts(query);
        const points = deliveryTrend(f.assessment, window, query.interval, summaryOptions(query)).map((s) => {
          const { deploymentList: _rows, ...report } = doraReportJson(s, f.assessment, query.timezone);
          return report;
        });
        return { scope: scopeOf(query, f), interval: query.interval, points };
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/deployments`,
      operationId: 'listDeliveryDeployments',
      summary: 'Deployments counted in the window, newest first; `failed=true` lists failed ones with why each failed',
      tag: TAG,
      access: 'read',
      query: scopeQuery.extend({
        failed: z.enum(['true', 'false']).optional().describe('Only failed (true) or only not failed (false) deployments'),
        unplanned: z.enum(['true', 'false']).optional().describe('Only unplanned (true) or only planned (false) deployments'),
        restored: z.enum(['true', 'false']).optional().describe('Among failed deployments: only restored (true) or unrestored (false)'),
        ...pageQuery,
      }),
      response: schemas.page(schemas.deploymentRow),
      handler: async ({ query }) => {
        const f = await facts(query);
        const rows = deploymentsIn(f.assessment, windowOf(query))
          .filter((a) => query.failed === undefined || a.failureReasons.length > 0 === (query.failed === 'true'))
          .filter((a) => query.unplanned === undefined || a.unplannedReasons.length > 0 === (query.unplanned === 'true'))
          .filter(
            (a) => query.restored === undefined || (a.failureReasons.length > 0 && (a.restoredAt !== null) === (query.restored === 'true')),
          )
          .reverse();
        return pageOf(rows, query, (a) => ({ ...deploymentRowJson(a), ...leadTimeOf(a) }));
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/changes`,
      operationId: 'listDeliveryChanges',
      summary: 'Changes shipped by the deployments counted in the window, with their lead time (the rows behind lead time)',
      tag: TAG,
      access: 'read',
      query: scopeQuery.extend({ ...pageQuery }),
      response: schemas.page(schemas.changeRow),
      handler: async ({ query }) => {
        const f = await facts(query);
        const counted = new Map(deploymentsIn(f.assessment, windowOf(query)).map((a) => [a.deployment.id, a]));
        const changes = await loadChangesOfDeployments(db, [...counted.keys()], query.leadTimeStart);
        const rows = changes
          .map((c) => {
            const d = (counted.get(c.deploymentId) as DeploymentAssessment).deployment;
            return {
              sha: c.sha,
              deploymentId: d.id,
              serviceId: d.serviceId,
              environment: d.environment,
              version: d.version,
              startedAt: iso(c.startedAt),
              deployedAt: iso(d.finishedAt),
              leadTimeSeconds: Math.max(0, d.finishedAt - c.startedAt) / 1000,
              revertsSha: c.revertsSha,
            };
          })
          .sort((a, b) => b.leadTimeSeconds - a.leadTimeSeconds || (a.sha < b.sha ? -1 : 1));
        return pageOf(rows, query, (row) => row);
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/incidents`,
      operationId: 'listDeliveryIncidents',
      summary: 'Incidents that started in the window and the deployment each is blamed on (or none)',
      tag: TAG,
      access: 'read',
      query: scopeQuery.extend({ ...pageQuery }),
      response: schemas.page(schemas.incidentRow),
      handler: async ({ query }) => {
        const f = await facts(query);
        const window = windowOf(query);
        const blamed = blamedDeployments(f);
        const rows = f.incidents
          .filter((i) => i.startedAt >= window.from && i.startedAt < window.to)
          .sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? -1 : 1))
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
        return pageOf(rows, query, (row) => row);
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/deployments/:id`,
      operationId: 'getDeliveryDeployment',
      summary: 'A deployment with the changes it shipped first, the incidents blamed on it and why it counts as failed',
      tag: TAG,
      access: 'read',
      params: z.object({ id: z.string().min(1) }),
      query: scopeQuery.pick({ leadTimeStart: true, incidentWindowDays: true, revertWindowDays: true }),
      response: schemas.deploymentDetail,
      handler: async ({ params, query }) => {
        const deployment = (await getDeployments(db, [params.id])).get(params.id);
        if (!deployment) throw new NotFoundError(`Deployment "${params.id}" is not recorded`);
        const f = await facts({ ...scopeQuery.parse({}), ...query, service: deployment.serviceId, environment: deployment.environment });
        const assessment = f.assessment.deployments.find((a) => a.deployment.id === params.id);
        const changes = await changesOfDeployment(db, params.id);
        const incidentIds = new Set((assessment?.failureReasons ?? []).flatMap((r) => (r.kind === 'incident' ? [r.incidentId] : [])));
        return {
          ...(assessment ? deploymentRowJson(assessment) : { ...deploymentRowJson(emptyAssessment(deployment)) }),
          status: deployment.status,
          startedAt: deployment.startedAt === null ? null : iso(deployment.startedAt),
          rollbackOf: deployment.rollbackOf,
          fixes: deployment.fixes,
          changeList: changes.map((c) => ({
            sha: c.sha,
            authorTime: iso(c.authorTime),
            committerTime: iso(c.committerTime),
            leadTimeSeconds:
              Math.max(0, deployment.finishedAt - (query.leadTimeStart === 'committer' ? c.committerTime : c.authorTime)) / 1000,
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
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/changes/:sha`,
      operationId: 'getDeliveryChange',
      summary: 'A change (commit, full or abbreviated sha) and the deployments that shipped it first, per service and environment',
      tag: TAG,
      access: 'read',
      params: z.object({ sha: z.string().regex(/^[0-9a-f]{7,40}$/, 'must be a commit sha (7 to 40 hex digits)') }),
      response: schemas.changeDetail,
      handler: async ({ params }) => {
        const changes = await changesWithSha(db, params.sha);
        if (changes.length === 0) throw new NotFoundError(`No deployment has shipped a change ${params.sha}`);
        const deployments = await getDeployments(
          db,
          changes.map((c) => c.deploymentId),
        );
        return {
          sha: changes[0]?.sha,
          authorTime: iso(changes[0]?.authorTime as number),
          committerTime: iso(changes[0]?.committerTime as number),
          shippedBy: changes.flatMap((c) => {
            const d = deployments.get(c.deploymentId);
            return d
              ? [
                  {
                    sha: c.sha,
                    deploymentId: d.id,
                    serviceId: d.serviceId,
                    environment: d.environment,
                    version: d.version,
                    deployedAt: iso(d.finishedAt),
                    leadTimeSeconds: Math.max(0, d.finishedAt - c.authorTime) / 1000,
                  },
                ]
              : [];
          }),
        };
      },
    }),
  ];
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

function leadTimeOf(a: DeploymentAssessment) {
  const sorted = [...a.leadTimesMs].sort((x, y) => x - y);
  return { leadTimeMaxSeconds: sorted.length === 0 ? null : (sorted[sorted.length - 1] as number) / 1000 };
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

function emptyAssessment(deployment: DeploymentAssessment['deployment']): DeploymentAssessment {
  return { deployment, changeCount: 0, leadTimesMs: new Float64Array(0), failureReasons: [], restoredAt: null, unplannedReasons: [] };
}

/** Pages a computed list; the cursor is the offset of the next row. */
function pageOf<T, R>(rows: T[], query: { limit: number; cursor?: string | undefined }, present: (row: T) => R) {
  const offset = query.cursor === undefined ? 0 : Number(decodeCursor(query.cursor));
  if (!Number.isInteger(offset) || offset < 0)
    throw new ValidationError('Invalid cursor', [{ field: 'query.cursor', message: 'is not a cursor returned by this API' }]);
  const items = rows.slice(offset, offset + query.limit).map(present);
  const next = offset + query.limit;
  return { total: rows.length, items, nextCursor: next < rows.length ? encodeCursor(String(next)) : null };
}
