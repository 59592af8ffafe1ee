import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Lookups } from '../kit/lookups.js';
import { recordReportSchema } from '../kit/record-report.js';
import { defineRoute, type RouteSpec } from '../kit/routes.js';
import { loadOrg } from '../org/index.js';
import { UnauthorizedError, ValidationError } from '../shared/errors.js';
import type { Store } from '../store/database.js';
import { encodeCursor, decodeCursor } from '../store/pagination.js';
import {
  incidentBatch,
  incidentMetricsSchema,
  INCIDENT_STATUSES,
  isoInstant,
  postmortemInput,
  remediationInput,
  runbookInput,
  runbookView,
  timelineInput,
  type Incident,
  type RemediationItem,
} from './model.js';
import { postmortemHtml, postmortemMarkdown } from './postmortem.js';
import { addTimelineEvent, patchFromInput, recordIncidents, recordRemediation, requireIncident, writePostmortem } from './record.js';
import { runbookJson, setRunbook } from './runbooks.js';
import { loadIncidentSettings } from './settings.js';
import { listEvents, loadPostmortems, loadRemediation, openIncidentWithPrefix, saveWebhookDelivery } from './store.js';
import { incidentDetail, incidentMetricsView, incidentsInScope, remediationList, runbookList } from './views.js';
import {
  alertGroupPrefix,
  alertmanagerPatch,
  alertmanagerPayload,
  pagerDutyPatch,
  pagerDutyPayload,
  verifyPagerDutySignature,
} from './webhooks.js';

const TAG = 'incidents';
const idParams = z.object({ id: z.string().min(1).describe('The incident id') });
const atQuery = z.object({ at: isoInstant.optional().describe('Evaluate at this instant (ISO 8601); default: now') });
const scopeQuery = atQuery.extend({
  team: z.string().optional(),
  service: z.string().optional(),
  severity: z.string().optional(),
  status: z.enum(INCIDENT_STATUSES).optional(),
  from: isoInstant.optional().describe('Impact started at or after'),
  to: isoInstant.optional().describe('Impact started before'),
});
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** An incident in JSON: instants as ISO 8601. */
export function incidentJson(i: Incident) {
  const m = i.milestones;
  return {
    id: i.id,
    title: i.title,
    service: i.serviceId,
    services: i.services,
    severity: i.severity,
    priority: i.priority,
    status: i.status,
    impactStartedAt: iso(m.impactStartedAt),
    detectedAt: iso(m.detectedAt),
    acknowledgedAt: iso(m.acknowledgedAt),
    mitigatedAt: iso(m.mitigatedAt),
    resolvedAt: iso(m.resolvedAt),
    closedAt: iso(m.closedAt),
    roles: i.roles,
    customerImpact: i.customerImpact,
    causedBy: { deployment: i.causedByDeployment, commit: i.causedBySha },
    tags: i.tags,
    drill: i.drill,
    dataLoss: i.dataLoss,
    source: i.source,
  };
}

export function remediationJson(r: RemediationItem & { overdue?: boolean }) {
  return { ...r, dueAt: iso(r.dueAt), resolvedAt: iso(r.resolvedAt), createdAt: iso(r.createdAt) };
}

/** The incidents module's HTTP surface. */
export function incidentRoutes(store: Store, lookups: Lookups): RouteSpec[] {
  const { db } = store;
  const now = () => Date.now();
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/incidents',
      operationId: 'recordIncidents',
      summary: 'Record a batch of incidents (all or nothing; an incident sent again is updated with the fields sent)',
      tag: TAG,
      access: 'write',
      body: incidentBatch,
      response: recordReportSchema,
      handler: async ({ body }) => {
        const { ids: _ids, ...report } = await recordIncidents(
          db,
          body.incidents.map(patchFromInput),
          'api',
          (i, field) => ({ field: `body.incidents[${i}].${field}`, line: i + 1 }),
          lookups,
        );
        return report;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents',
      operationId: 'listIncidents',
      summary: 'Incidents, newest first, filtered by team, service, severity, status and impact start (drills included, flagged)',
      tag: TAG,
      access: 'read',
      query: scopeQuery.extend({
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        cursor: z.string().optional().describe('The nextCursor of the previous page'),
      }),
      handler: async ({ query }) => {
        const incidents = await incidentsInScope(db, {
          teamId: query.team,
          serviceId: query.service,
          severity: query.severity,
          status: query.status,
          from: query.from,
          to: query.to,
        });
        const start = query.cursor === undefined ? 0 : Number(decodeCursor(query.cursor));
        const items = incidents.slice(start, start + query.limit);
        const postmortems = await loadPostmortems(
          db,
          items.map((i) => i.id),
        );
        const next = start + query.limit;
        return {
          items: items.map((i) => ({ ...incidentJson(i), postmortemStatus: postmortems.get(i.id)?.status ?? null })),
          nextCursor: next < incidents.length ? encodeCursor(String(next)) : null,
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents/metrics',
      operationId: 'getIncidentMetrics',
      summary: 'Counts, MTTA/MTTM/MTTR, postmortem and remediation metrics and repeats over a scope (drills excluded)',
      tag: TAG,
      access: 'read',
      query: scopeQuery,
      response: incidentMetricsSchema,
      handler: async ({ query }) => {
        const at = query.at ?? now();
        const view = await incidentMetricsView(
          db,
          { teamId: query.team, serviceId: query.service, severity: query.severity, status: query.status, from: query.from, to: query.to },
          at,
        );
        return { ...view, at: iso(view.at), overdueActions: view.overdueActions.map((r) => remediationJson({ ...r, overdue: true })) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents/actions',
      operationId: 'listRemediationItems',
      summary: 'Remediation items, optionally only the overdue ones and one team’s',
      tag: TAG,
      access: 'read',
      query: atQuery.extend({ overdue: z.enum(['true', 'false']).optional(), team: z.string().optional() }),
      handler: async ({ query }) => {
        const at = query.at ?? now();
        const items = await remediationList(db, { overdue: query.overdue === 'true', teamId: query.team, at });
        return {
          items: items.map((r) => remediationJson({ ...r, overdue: r.status !== 'done' && r.status !== 'wont-do' && r.dueAt < at })),
          nextCursor: null,
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents/runbooks',
      operationId: 'listRunbooks',
      summary: 'Runbook per service, flagged stale when not reviewed in 90 days',
      tag: TAG,
      access: 'read',
      query: atQuery,
      response: z.object({ items: z.array(runbookView), nextCursor: z.null() }),
      handler: async ({ query }) => ({
        items: (await runbookList(db, query.at ?? now())).map(runbookJson),
        nextCursor: null,
      }),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/incidents/runbooks/:service',
      operationId: 'setRunbook',
      summary: "Set a service's runbook URL and last-reviewed day (409 when sextant.yaml defines it)",
      tag: TAG,
      access: 'write',
      params: z.object({ service: z.string().min(1).describe('The service id') }),
      body: runbookInput,
      response: runbookView,
      handler: async ({ params, body }) =>
        runbookJson(
          await setRunbook(db, params.service, body, now(), {
            service: 'params.service',
            url: 'body.url',
            lastReviewed: 'body.lastReviewed',
          }),
        ),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents/severities',
      operationId: 'listSeverities',
      summary: "The workspace's severity scale",
      tag: TAG,
      access: 'read',
      handler: async () => ({ items: (await loadIncidentSettings(db)).severities, nextCursor: null }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents/:id',
      operationId: 'getIncident',
      summary: 'One incident: milestones, durations, timeline, linked deployments, budget spent, postmortem, remediation items',
      tag: TAG,
      access: 'read',
      params: idParams,
      query: atQuery,
      handler: async ({ params, query }) => {
        const d = await incidentDetail(db, params.id, query.at ?? now(), lookups);
        return {
          incident: incidentJson(d.incident),
          durations: d.durations,
          timeline: d.timeline.map((t) => ({ ...t, at: iso(t.at) })),
          deployments: d.deployments.map((dep) => ({ ...dep, finishedAt: iso(dep.finishedAt) })),
          budgetSpent: d.budgetSpent,
          postmortem: d.postmortem && {
            ...d.postmortem,
            dueAt: iso(d.postmortem.dueAt),
            reviewedAt: iso(d.postmortem.reviewedAt),
            publishedAt: iso(d.postmortem.publishedAt),
          },
          postmortemRequired: d.postmortemRequired,
          remediation: d.remediation.map(remediationJson),
          runbook: d.runbook && runbookJson(d.runbook),
        };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/incidents/:id/timeline',
      operationId: 'addIncidentTimelineEvent',
      summary: 'Add a timeline entry (note, decision, ...), optionally pinned',
      tag: TAG,
      access: 'write',
      params: idParams,
      body: timelineInput,
      successStatus: 201,
      handler: async ({ params, body }) => {
        const event = await addTimelineEvent(db, params.id, body);
        return { ...event, at: iso(event.at) };
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/incidents/:id/postmortem',
      operationId: 'writePostmortem',
      summary: 'Write the blameless postmortem (sections sent replace the stored ones); publishing stamps publishedAt',
      tag: TAG,
      access: 'write',
      params: idParams,
      body: postmortemInput,
      handler: async ({ params, body }) => {
        const pm = await writePostmortem(db, params.id, body);
        const d = await incidentDetail(db, params.id, now(), lookups);
        return {
          ...pm,
          dueAt: iso(pm.dueAt),
          reviewedAt: iso(pm.reviewedAt),
          publishedAt: iso(pm.publishedAt),
          suggestions: d.postmortem?.suggestions ?? [],
        };
      },
    }),
    ...(['md', 'html'] as const).map((format) =>
      defineRoute({
        method: 'GET',
        url: `/api/v1/incidents/:id/postmortem.${format}`,
        operationId: format === 'md' ? 'exportPostmortemMarkdown' : 'exportPostmortemHtml',
        summary: format === 'md' ? 'The postmortem as Markdown' : 'The postmortem as a self-contained HTML page',
        tag: TAG,
        access: 'read',
        params: idParams,
        query: z.object({ audience: z.enum(['internal', 'shareable']).default('internal') }),
        contentType: format === 'md' ? 'text/markdown; charset=utf-8' : 'text/html; charset=utf-8',
        handler: async ({ params, query }) => {
          const doc = await postmortemDocument(store, params.id, query.audience);
          return format === 'md' ? postmortemMarkdown(doc) : postmortemHtml(doc);
        },
      }),
    ),
    defineRoute({
      method: 'POST',
      url: '/api/v1/incidents/:id/remediation',
      operationId: 'recordRemediationItems',
      summary: 'Add or update remediation items (all or nothing); each needs an owner and a due date',
      tag: TAG,
      access: 'write',
      params: idParams,
      body: z.strictObject({ items: z.array(remediationInput).min(1).max(200) }),
      handler: async ({ params, body }) => {
        const items = await recordRemediation(db, params.id, body.items, (i, field) => ({
          field: `body.items[${i}].${field}`,
          line: i + 1,
        }));
        return { items: items.map((r) => remediationJson(r)), nextCursor: null };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/incidents/webhooks/alertmanager',
      operationId: 'alertmanagerWebhook',
      summary:
        "Prometheus Alertmanager's webhook_config: a firing group opens or updates an incident, resolved sets its resolved milestone",
      tag: TAG,
      access: 'write',
      body: alertmanagerPayload,
      handler: async ({ body, rawBody }) => {
        const settings = await loadIncidentSettings(db);
        return db.transaction().execute(async (tx) => {
          const open = await openIncidentWithPrefix(tx, alertGroupPrefix(body.groupKey));
          const patch = alertmanagerPatch(body, settings, open);
          if ('missing' in patch)
            throw new ValidationError('The alert group names no service', [
              { field: patch.missing, message: 'is required: the label naming the Sextant service' },
            ]);
          if (open === null && body.status === 'resolved')
            return { incident: null, report: { received: 1, created: 0, updated: 0, unchanged: 1 } };
          const { ids, ...report } = await recordIncidents(
            tx,
            [patch],
            'alertmanager',
            (_i, field) => ({ field: field === 'service' ? `body.commonLabels.${settings.alertmanager.serviceLabel}` : `body.${field}` }),
            lookups,
          );
          await saveWebhookDelivery(tx, {
            id: randomUUID(),
            source: 'alertmanager',
            receivedAt: now(),
            incidentId: ids[0] ?? null,
            body: rawBody ?? JSON.stringify(body),
          });
          return { incident: ids[0] ?? null, report };
        });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/incidents/webhooks/pagerduty/:integration',
      operationId: 'pagerDutyWebhook',
      summary: 'PagerDuty v3 webhook (incident.triggered/acknowledged/resolved), verified by X-PagerDuty-Signature',
      tag: TAG,
      // The HMAC signature is the authentication: PagerDuty sends no bearer token.
      access: 'public',
      params: z.object({ integration: z.string().min(1) }),
      handler: async ({ params, body, headers, rawBody }) => {
        const settings = await loadIncidentSettings(db);
        const integration = settings.pagerduty.find((p) => p.integration === params.integration);
        if (!integration) throw new UnauthorizedError(`No PagerDuty integration "${params.integration}" is configured`);
        const header = headers['x-pagerduty-signature'];
        verifyPagerDutySignature(rawBody ?? '', Array.isArray(header) ? header.join(',') : header, integration.secrets);
        const parsed = pagerDutyPayload.safeParse(body);
        if (!parsed.success) {
          throw new ValidationError(
            'Not a PagerDuty v3 webhook',
            parsed.error.issues.map((issue) => ({ field: ['body', ...issue.path.map(String)].join('.'), message: issue.message })),
          );
        }
        const org = await loadOrg(db);
        const patch = pagerDutyPatch(parsed.data, integration, new Set(org.services.map((s) => s.id)));
        if (patch !== null && 'missing' in patch)
          throw new ValidationError('The PagerDuty service is not known', [{ field: patch.missing, message: patch.message }]);
        return db.transaction().execute(async (tx) => {
          if (patch === null) {
            await saveWebhookDelivery(tx, {
              id: randomUUID(),
              source: 'pagerduty',
              receivedAt: now(),
              incidentId: null,
              body: rawBody ?? '',
            });
            return { incident: null, report: null };
          }
          const { ids, ...report } = await recordIncidents(
            tx,
            [patch],
            'pagerduty',
            (_i, field) => ({ field: `body.event.data.${field}` }),
            lookups,
          );
          await saveWebhookDelivery(tx, {
            id: randomUUID(),
            source: 'pagerduty',
            receivedAt: now(),
            incidentId: ids[0] ?? null,
            body: rawBody ?? '',
          });
          return { incident: ids[0] ?? null, report };
        });
      },
    }),
  ];
}

export async function postmortemDocument(store: Store, id: string, audience: 'internal' | 'shareable') {
  const incident = await requireIncident(store.db, id);
  const [postmortems, remediation, timeline] = await Promise.all([
    loadPostmortems(store.db, [id]),
    loadRemediation(store.db, { incidentIds: [id] }),
    listEvents(store.db, id),
  ]);
  const postmortem = postmortems.get(id);
  if (!postmortem) throw new ValidationError('No postmortem yet', [{ field: 'params.id', message: `incident "${id}" has no postmortem` }]);
  return { incident, postmortem, remediation, timeline, audience };
}
