import { z } from 'zod';
import type { ModulePeers, RouteHost } from '../kit/module.js';
import { defineRoute, type RouteSpec } from '../kit/routes.js';
import type { Store } from '../store/database.js';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, decodeCursor, toPage } from '../store/pagination.js';
import { dateOf, dayOf } from './dates.js';
import {
  annotationInput,
  calendarDate,
  deckInput,
  deckSchema,
  edgeChecksSchema,
  metricChartSchema,
  metricPointSchema,
  metricDefinitionInput,
  metricDefinitionSchema,
  metricId,
  pageOf,
  pointInput,
  readoutSnapshotSchema,
  readoutSummarySchema,
  reviewSchema,
  treeInput,
  treeViewSchema,
} from './model.js';
import { toDefinition } from './outcomes-config.js';
import { publishReadout, readoutSnapshot } from './publish.js';
import { edgeChecks, metricCharts, treeView, weeklyReview } from './review.js';
import * as store from './store.js';
import { todayUtc, weekParam } from './week.js';

const TAG = 'outcomes';
const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT),
  cursor: z.string().optional(),
});
const weekQuery = z.object({ week: z.string().optional().describe('Week-ending date YYYY-MM-DD; default: last Sunday') });
const metricParams = z.object({ id: metricId });
const weekParams = z.object({ week: calendarDate });

function page<T>(items: T[], query: { limit: number; cursor?: string | undefined }, key: (item: T) => string) {
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
  const rest = after === null ? items : items.filter((item) => key(item) > after);
  return toPage(rest.slice(0, query.limit + 1), query.limit, key);
}

/** Metrics, points, the North Star tree, the weekly review, notes and readouts. */
export function outcomesRoutes(st: Store, peers: ModulePeers, host: RouteHost): RouteSpec[] {
  const { db } = st;
  const week = (text: string | undefined, field = 'query.week') => weekParam(text, field, todayUtc());
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/metrics',
      operationId: 'listMetrics',
      summary: 'Metric definitions, by id',
      tag: TAG,
      access: 'read',
      query: pageQuery,
      response: pageOf(metricDefinitionSchema),
      handler: async ({ query }) => page(await store.listMetrics(db), query, (m) => m.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/metrics/:id',
      operationId: 'getMetric',
      summary: 'One metric definition',
      tag: TAG,
      access: 'read',
      params: metricParams,
      response: metricDefinitionSchema,
      handler: ({ params }) => store.getMetric(db, params.id),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/metrics/:id',
      operationId: 'defineMetric',
      summary: 'Create or replace a metric definition',
      tag: TAG,
      access: 'write',
      params: metricParams,
      body: metricDefinitionInput,
      response: metricDefinitionSchema,
      handler: async ({ params, body }) => {
        await store.defineMetrics(db, [toDefinition(params.id, body, 'api')], 'body');
        return store.getMetric(db, params.id);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/metrics/:id/points',
      operationId: 'listMetricPoints',
      summary: 'The daily points of a metric between two dates (the rows behind every number)',
      tag: TAG,
      access: 'read',
      params: metricParams,
      query: pageQuery.extend({ from: calendarDate, to: calendarDate }),
      response: pageOf(metricPointSchema),
      handler: async ({ params, query }) => {
        await store.getMetric(db, params.id);
        const points = (await store.readPoints(db, [params.id], dayOf(query.from), dayOf(query.to))).get(params.id) ?? [];
        return page(
          points.map((p) => ({ date: dateOf(p.day), value: p.value })),
          query,
          (p) => p.date,
        );
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/metrics/:id/points/:date',
      operationId: 'putMetricPoint',
      summary: "Set one day's value (idempotent)",
      tag: TAG,
      access: 'write',
      params: z.object({ id: metricId, date: calendarDate }),
      body: z.object({ value: z.number().finite() }).strict(),
      successStatus: 204,
      handler: async ({ params, body }) => {
        await store.writePoints(st, [{ metric: params.id, date: params.date, value: body.value }], { field: 'params' });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/metrics/points',
      operationId: 'writeMetricPoints',
      summary: 'Write a batch of daily points (idempotent; a rejected batch writes nothing)',
      tag: TAG,
      access: 'write',
      body: z.object({ points: z.array(pointInput).max(100_000) }).strict(),
      response: z.object({ written: z.number() }),
      handler: async ({ body }) => ({ written: await store.writePoints(st, body.points, { field: 'body.points' }) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/metrics/annotations',
      operationId: 'addAnnotations',
      summary: 'Annotate metrics on dates (idempotent)',
      tag: TAG,
      access: 'write',
      body: z.object({ annotations: z.array(annotationInput).max(10_000) }).strict(),
      response: z.object({ written: z.number() }),
      handler: async ({ body }) => ({ written: await store.addAnnotations(db, body.annotations, { field: 'body.annotations' }) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/metrics/:id/chart',
      operationId: 'getMetricChart',
      summary: "A metric's 6-12 chart, box and XmR signals for a week",
      tag: TAG,
      access: 'read',
      params: metricParams,
      query: weekQuery,
      response: metricChartSchema,
      handler: async ({ params, query }) => {
        const metric = await store.getMetric(db, params.id);
        return { metric, chart: (await metricCharts(db, [metric], week(query.week))).get(metric.id) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/outcomes/tree',
      operationId: 'getNorthStarTree',
      summary: 'The North Star tree with each node’s week, signals and each edge’s lead/lag verdict',
      tag: TAG,
      access: 'read',
      query: weekQuery,
      response: treeViewSchema,
      handler: ({ query }) => treeView(db, week(query.week)),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/outcomes/tree',
      operationId: 'putNorthStarTree',
      summary: 'Replace the North Star tree (north stars, counter-metrics, edges with hypotheses)',
      tag: TAG,
      access: 'write',
      body: treeInput,
      successStatus: 204,
      handler: async ({ body }) => store.putTree(db, body, 'body'),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/outcomes/northstar/check',
      operationId: 'checkNorthStar',
      summary: 'Do the inputs still drive the North Star: every edge with its lead/lag verdict',
      tag: TAG,
      access: 'read',
      query: weekQuery,
      response: edgeChecksSchema,
      handler: async ({ query }) => {
        const view = await treeView(db, week(query.week));
        return { weekEnding: view.weekEnding, edges: edgeChecks(view) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/outcomes/deck',
      operationId: 'getReviewDeck',
      summary: 'The weekly review deck: ordered sections of metrics',
      tag: TAG,
      access: 'read',
      response: deckSchema,
      handler: () => store.getDeck(db),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/outcomes/deck',
      operationId: 'putReviewDeck',
      summary: 'Replace the weekly review deck',
      tag: TAG,
      access: 'write',
      body: deckInput,
      successStatus: 204,
      handler: async ({ body }) => store.putDeck(db, body, 'body'),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/reviews/:week',
      operationId: 'getWeeklyReview',
      summary: 'The weekly business review of the week ending on a date',
      tag: TAG,
      access: 'read',
      params: weekParams,
      response: reviewSchema,
      handler: ({ params }) => weeklyReview(st, dayOf(params.week), peers, host.timeZone),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/reviews/:week/notes/:metric',
      operationId: 'putReviewNote',
      summary: "The owner's note on a metric for a week (409 once the week is published)",
      tag: TAG,
      access: 'write',
      params: z.object({ week: calendarDate, metric: metricId }),
      body: z.object({ text: z.string().max(4000), author: z.string().min(1).max(200) }).strict(),
      successStatus: 204,
      handler: async ({ params, body }) => store.setNote(db, params.metric, dayOf(params.week), body.text, body.author),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/reviews/:week/publish',
      operationId: 'publishReview',
      summary: 'Freeze the week as an immutable readout (409 when already published)',
      tag: TAG,
      access: 'write',
      params: weekParams,
      body: z.object({ by: z.string().min(1).max(200) }).strict(),
      successStatus: 201,
      response: readoutSnapshotSchema,
      handler: ({ params, body }) => publishReadout(st, dayOf(params.week), body.by, peers, { timeZone: host.timeZone }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/readouts',
      operationId: 'listReadouts',
      summary: 'Published readouts, newest week first',
      tag: TAG,
      access: 'read',
      query: pageQuery,
      response: pageOf(readoutSummarySchema),
      handler: async ({ query }) => {
        const all = await store.listReadouts(db);
        const items = all.map((r) => ({
          weekEnding: r.weekEnding,
          publishedAt: new Date(r.publishedAt).toISOString(),
          publishedBy: r.publishedBy,
        }));
        const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
        return toPage(
          (after === null ? items : items.filter((r) => r.weekEnding < after)).slice(0, query.limit + 1),
          query.limit,
          (r) => r.weekEnding,
        );
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/readouts/:week',
      operationId: 'getReadout',
      summary: 'A published readout: the frozen review',
      tag: TAG,
      access: 'read',
      params: weekParams,
      response: readoutSnapshotSchema,
      handler: ({ params }) => readoutSnapshot(st, params.week),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/readouts/:week/readout.md',
      operationId: 'getReadoutMarkdown',
      summary: 'A readout as Markdown (the bytes stored at publication)',
      tag: TAG,
      access: 'read',
      params: weekParams,
      contentType: 'text/markdown; charset=utf-8',
      handler: async ({ params }) => (await store.getReadout(db, params.week)).markdown,
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/readouts/:week/readout.html',
      operationId: 'getReadoutHtml',
      summary: 'A readout as a self-contained HTML page (inline SVG charts, no external requests)',
      tag: TAG,
      access: 'read',
      params: weekParams,
      contentType: 'text/html; charset=utf-8',
      handler: async ({ params }) => (await store.getReadout(db, params.week)).html,
    }),
  ];
}
