import { z } from 'zod';
import type { Store } from '../store/database.js';
import { defineRoute, type RouteSpec } from '../kit/routes.js';
import { ValidationError, type FieldIssue } from '../shared/errors.js';
import type { MinuteSample } from './counts.js';
import { MINUTE_MS } from './duration.js';
import { isInstantError, parseInstant } from './instant.js';
import {
  releaseGateSchema,
  samplesInput,
  sloDetailSchema,
  sloSeriesSchema,
  sloStatusSchema,
  type SloStatus,
  type SloStatusView,
} from './model.js';
import type { GateDecision } from './policy.js';
import * as sloStore from './store.js';
import { ingestSamples, storedAttribution, storedReleaseGate, storedSeries, storedStatus, storedStatuses } from './stored-slos.js';

const TAG = 'reliability';
const attributionSchema = z
  .object({
    at: z.string(),
    attributions: z.array(
      z.object({
        kind: z.enum(['incident', 'deployment']),
        id: z.string().describe('The delivery incident or deployment id'),
        start: z.string(),
        end: z.string(),
        spent: z.number().describe('Bad events (or bad slices) in the span, maintenance excluded'),
        allowed: z.number().describe('The allowance of the SLO window ending where the span ends'),
        share: z.number().describe('spent / allowed: 0.25 = a quarter of the budget'),
      }),
    ),
  })
  .meta({ id: 'SloAttribution' });
const sloParams = z.object({ id: z.string().min(1).describe('The SLO name') });
const atQuery = z.object({
  at: z.string().optional().describe('Evaluate at this instant (ISO 8601 with offset, or epoch seconds); default: now'),
});

/** The reliability module's HTTP surface: SLO status, detail and series, sample pushes, and the release gate. */
export function reliabilityRoutes(store: Store): RouteSpec[] {
  const { db } = store;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/slos',
      operationId: 'listSloStatuses',
      summary: 'Every SLO with its budget, burn rates and firing alerts, least budget left first',
      tag: TAG,
      access: 'read',
      query: atQuery.extend({ service: z.string().optional().describe('Only the SLOs of this service') }),
      response: z.object({ at: z.string(), slos: z.array(sloStatusSchema) }),
      handler: async ({ query }) => {
        const at = atParam(query.at);
        const statuses = await storedStatuses(db, at, query.service === undefined ? {} : { service: query.service });
        return { at: iso(at), slos: statuses.map(statusView) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/slos/:id',
      operationId: 'getSloStatus',
      summary: 'One SLO: status, alert conditions and alert history',
      tag: TAG,
      access: 'read',
      params: sloParams,
      query: atQuery,
      response: sloDetailSchema,
      handler: async ({ params, query }) => {
        const { definition, status } = await storedStatus(db, params.id, atParam(query.at));
        const history = await sloStore.listAlertEvents(db, params.id, 100);
        return {
          status: statusView(status),
          description: definition.description,
          labels: definition.labels,
          alertHistory: history.map((event) => ({ ...event, at: iso(event.at) })),
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/slos/:id/attribution',
      operationId: 'getSloAttribution',
      summary: "What spent the SLO's budget: each incident and the 2 hours after each deployment of its service (delivery records)",
      tag: TAG,
      access: 'read',
      params: sloParams,
      query: atQuery,
      response: attributionSchema,
      handler: async ({ params, query }) => {
        const at = atParam(query.at);
        const attributions = await storedAttribution(db, params.id, at);
        return {
          at: iso(at),
          attributions: attributions.map(({ kind, id, spend }) => ({
            kind,
            id,
            start: iso(spend.start),
            end: iso(spend.end),
            spent: spend.spent,
            allowed: spend.allowed,
            share: spend.share,
          })),
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/slos/:id/series',
      operationId: 'getSloSeries',
      summary: 'Hourly SLI and the budget burn-down over the SLO window',
      tag: TAG,
      access: 'read',
      params: sloParams,
      query: atQuery,
      response: sloSeriesSchema,
      handler: async ({ params, query }) => {
        const series = await storedSeries(db, params.id, atParam(query.at));
        return {
          sli: series.sli.map((point) => ({ ...point, at: iso(point.at) })),
          burnDown: series.burnDown.map((point) => ({ ...point, at: iso(point.at) })),
        };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/slos/:id/samples',
      operationId: 'pushSloSamples',
      summary: 'Push per-minute good/total counts; a minute sent again replaces the earlier sample',
      tag: TAG,
      access: 'write',
      params: sloParams,
      body: samplesInput,
      response: z.object({ written: z.number(), from: z.string().nullable(), to: z.string().nullable() }),
      handler: async ({ params, body }) => {
        const report = await ingestSamples(db, params.id, toMinuteSamples(body.samples));
        return {
          written: report.written,
          from: report.from === null ? null : iso(report.from),
          to: report.to === null ? null : iso(report.to),
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/services/:id/release-gate',
      operationId: 'getReleaseGate',
      summary: 'May the service release? open or frozen by its error-budget policy, with the reasons',
      tag: TAG,
      access: 'read',
      params: z.object({ id: z.string().min(1).describe('The service (the SLOs spec.service)') }),
      query: atQuery.extend({
        label: z
          .union([z.string(), z.array(z.string())])
          .optional()
          .describe('Labels of the change (repeat, or comma-separated), e.g. P0 or security'),
      }),
      response: releaseGateSchema,
      handler: async ({ params, query }) => {
        const labels = [query.label ?? []].flat().flatMap((label) => label.split(','));
        return gateView(await storedReleaseGate(db, params.id, labels, atParam(query.at)));
      },
    }),
  ];
}

function atParam(text: string | undefined): number {
  if (text === undefined) return Date.now();
  const at = parseInstant(text);
  if (isInstantError(at)) throw new ValidationError('Invalid field: query.at', [{ field: 'query.at', message: at.error }]);
  return at;
}

/** Checks the pushed timestamps (the schema checked the counts); nothing is written if any is wrong. */
function toMinuteSamples(samples: ReadonlyArray<{ timestamp: string | number; good: number; total: number }>): MinuteSample[] {
  const issues: FieldIssue[] = [];
  const seen = new Set<number>();
  const result = samples.flatMap((sample, index): MinuteSample[] => {
    const field = `body.samples[${index}].timestamp`;
    const minute = parseInstant(sample.timestamp);
    if (isInstantError(minute)) issues.push({ field, message: minute.error });
    else if (minute % MINUTE_MS !== 0) issues.push({ field, message: 'is not the start of a minute (seconds must be 0)' });
    else if (seen.has(minute)) issues.push({ field, message: 'a second sample for the same minute in one batch' });
    else {
      seen.add(minute);
      return [{ minute, good: sample.good, total: sample.total }];
    }
    return [];
  });
  if (issues.length > 0)
    throw new ValidationError(`Invalid ${issues.length === 1 ? 'field' : 'fields'}: ${issues.map((i) => i.field).join(', ')}`, issues);
  return result;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function statusView(status: SloStatus): SloStatusView {
  return { ...status, windowStart: iso(status.windowStart), at: iso(status.at), periodEnd: iso(status.periodEnd) };
}

function gateView(decision: GateDecision) {
  return { ...decision, at: iso(decision.at) };
}
