import { z } from 'zod';
import type { Store } from '../store/database.js';
import { defineRoute, type RouteSpec } from '../kit/routes.js';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../store/pagination.js';
import { isInstantError, parseInstant } from './instant.js';
import { releaseGateSchema, samplesInput, sloDetailSchema, sloSeriesSchema, sloStatusSchema } from './model.js';
import { pushSamplesView, releaseGateView, sloAttributionView, sloDetailView, sloListView, sloSeriesView } from './views.js';

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
const sloListSchema = z
  .object({
    at: z.string(),
    total: z.number().describe('SLOs in the whole list (they are evaluated together, so counting them costs nothing)'),
    items: z.array(sloStatusSchema),
    nextCursor: z.string().nullable().describe('Pass back as `cursor` for the next page; null at the end'),
  })
  .meta({ id: 'SloList' });
const sloParams = z.object({ id: z.string().min(1).describe('The SLO name') });

/** `at` as users write it (ISO 8601 with offset, or epoch seconds), as epoch ms; now when absent. */
const atParam = z
  .string()
  .optional()
  .transform((text, ctx) => {
    if (text === undefined) return Date.now();
    const at = parseInstant(text);
    if (!isInstantError(at)) return at;
    ctx.addIssue({ code: 'custom', message: at.error });
    return z.NEVER;
  })
  .describe('Evaluate at this instant (ISO 8601 with offset, or epoch seconds); default: now');
const atQuery = z.object({ at: atParam });

/** The reliability module's HTTP surface: SLO status, detail and series, sample pushes, and the release gate (views.ts). */
export function reliabilityRoutes(store: Store): RouteSpec[] {
  const { db } = store;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/slos',
      operationId: 'listSloStatuses',
      cache: true,
      summary: 'Every SLO with its budget, burn rates and firing alerts, least budget left first',
      tag: TAG,
      access: 'read',
      query: atQuery.extend({
        service: z.string().optional().describe('Only the SLOs of this service'),
        limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT),
        cursor: z.string().optional().describe('The nextCursor of the previous page'),
      }),
      response: sloListSchema,
      handler: ({ query }) => sloListView(db, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/slos/:id',
      operationId: 'getSloStatus',
      cache: true,
      summary: 'One SLO: status, alert conditions and alert history',
      tag: TAG,
      access: 'read',
      params: sloParams,
      query: atQuery,
      response: sloDetailSchema,
      handler: ({ params, query }) => sloDetailView(db, params.id, query.at),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/slos/:id/attribution',
      operationId: 'getSloAttribution',
      cache: true,
      summary: "What spent the SLO's budget: each incident and the 2 hours after each deployment of its service (delivery records)",
      tag: TAG,
      access: 'read',
      params: sloParams,
      query: atQuery,
      response: attributionSchema,
      handler: ({ params, query }) => sloAttributionView(db, params.id, query.at),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/slos/:id/series',
      operationId: 'getSloSeries',
      cache: true,
      summary: 'Hourly SLI and the budget burn-down over the SLO window',
      tag: TAG,
      access: 'read',
      params: sloParams,
      query: atQuery,
      response: sloSeriesSchema,
      handler: ({ params, query }) => sloSeriesView(db, params.id, query.at),
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
      handler: ({ params, body }) => pushSamplesView(db, params.id, body.samples),
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
          .transform((label) => [label ?? []].flat().flatMap((one) => one.split(',')))
          .describe('Labels of the change (repeat, or comma-separated), e.g. P0 or security'),
      }),
      response: releaseGateSchema,
      handler: ({ params, query }) => releaseGateView(db, params.id, query.label, query.at),
    }),
  ];
}
