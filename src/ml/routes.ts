import { z } from 'zod';
import { defineRoute, type RouteSpec } from '../kit/routes.js';
import { ValidationError } from '../shared/errors.js';
import { ianaTimeZone } from '../shared/time-zone.js';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, decodeCursor, toPage } from '../store/pagination.js';
import type { Store } from '../store/database.js';
import { daySchema, instantSchema } from './days.js';
import { concludeExperiment, startExperiment, velocity } from './experiments.js';
import { forecast } from './forecast.js';
import { mlContext, type MlLinks } from './links.js';
import {
  conclusionInput,
  confidenceInput,
  enterInput,
  experimentInput,
  experimentSchema,
  experimentVelocitySchema,
  forecastAnswerSchema,
  forecastSchema,
  gateInput,
  monthlyReviewSchema,
  pageOf,
  portfolioKillFlagSchema,
  projectInput,
  projectSchema,
  projectSummarySchema,
  qualityInput,
} from './model.js';
import { EXPERIMENT_DECISIONS } from './velocity.js';
import { addConfidence, addProject, addQuality, enterPhase, projectView, projectViews, recordGate } from './projects.js';
import { monthlyReview, reviewHtml, reviewMarkdown } from './review.js';
import { listExperiments, listKillFlags } from './store.js';
import { experimentJson, projectJson, projectSummaryJson } from './views.js';
import { forecastFileSchema, forecastFromFile } from './forecast-file.js';

const TAG = 'ml';
const idParams = z.object({ id: z.string().min(1) });
const page = {
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT),
  cursor: z.string().optional(),
};
const atQuery = z.object({
  at: instantSchema.optional().describe('Evaluate at this date or instant; default: now'),
  seed: z.coerce.number().int().optional().describe('Seed of the Monte Carlo forecast (default 1)'),
});

/** Pure checks name their input fields (`phase`); over HTTP they are fields of the body. */
async function inBody<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new ValidationError(
        error.message,
        error.issues.map((i) => ({ ...i, field: i.field.startsWith('body.') ? i.field : `body.${i.field}` })),
      );
    }
    throw error;
  }
}

function afterCursor<T>(items: T[], keyOf: (item: T) => string, limit: number, cursor: string | undefined) {
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  return toPage(
    items.filter((i) => after === undefined || keyOf(i) > after),
    limit,
    keyOf,
  );
}

/** The ML module's HTTP surface: projects, gates, kill criteria, forecasts, experiments, velocity and the monthly review. */
export function mlRoutes(store: Store, links: MlLinks): RouteSpec[] {
  const ctx = mlContext(store.db, links);
  const project = async (id: string, at?: number, seed?: number) => projectJson(await projectView(ctx, id, at ?? Date.now(), seed));
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/ml/projects',
      operationId: 'listMlProjects',
      summary: 'The ML portfolio: each project with its phase, confidence, P50/P90 end dates and flags',
      tag: TAG,
      access: 'read',
      query: atQuery.extend(page),
      response: pageOf(projectSummarySchema),
      handler: async ({ query }) => {
        const views = await projectViews(ctx, query.at ?? Date.now(), undefined, query.seed);
        return afterCursor(views.map(projectSummaryJson), (p) => p.id, query.limit, query.cursor);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/ml/projects',
      operationId: 'addMlProject',
      summary: 'Add an ML project (phase ranges, checklist and kill criteria are fixed at the start)',
      tag: TAG,
      access: 'write',
      body: projectInput,
      successStatus: 201,
      response: projectSchema,
      handler: async ({ body }) => inBody(async () => project((await addProject(ctx, body, Date.now())).id)),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/ml/projects/:id',
      operationId: 'getMlProject',
      summary: 'One project: phase timeline, gate decisions, kill criteria, detectors, forecast, experiments',
      tag: TAG,
      access: 'read',
      params: idParams,
      query: atQuery,
      response: projectSchema,
      handler: async ({ params, query }) => project(params.id, query.at, query.seed),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/ml/projects/:id/gates',
      operationId: 'recordMlGate',
      summary: 'Record the gate decision (go / no-go / pivot) that ends the active phase',
      tag: TAG,
      access: 'write',
      params: idParams,
      body: gateInput,
      successStatus: 201,
      response: projectSchema,
      handler: async ({ params, body }) => inBody(async () => (await recordGate(ctx, params.id, body, Date.now()), project(params.id))),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/ml/projects/:id/phases',
      operationId: 'enterMlPhase',
      summary: 'Enter the next phase (productionisation only after a go at go/no-go)',
      tag: TAG,
      access: 'write',
      params: idParams,
      body: enterInput,
      successStatus: 201,
      response: projectSchema,
      handler: async ({ params, body }) =>
        inBody(async () => (await enterPhase(ctx, params.id, body.phase, body.at ?? Date.now()), project(params.id))),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/ml/projects/:id/confidence',
      operationId: 'stateMlConfidence',
      summary: "Record the team's stated confidence (%) that the approach will work",
      tag: TAG,
      access: 'write',
      params: idParams,
      body: confidenceInput,
      successStatus: 201,
      response: projectSchema,
      handler: async ({ params, body }) => {
        await addConfidence(ctx, params.id, {
          at: body.at ?? Date.now(),
          value: body.value,
          note: body.note ?? null,
          statedBy: body.statedBy ?? null,
        });
        return project(params.id);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/ml/projects/:id/quality',
      operationId: 'recordMlQuality',
      summary: "Record a model-quality reading (the project's quality metric)",
      tag: TAG,
      access: 'write',
      params: idParams,
      body: qualityInput,
      successStatus: 201,
      response: projectSchema,
      handler: async ({ params, body }) => {
        await addQuality(ctx, params.id, { at: body.at ?? Date.now(), value: body.value });
        return project(params.id);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/ml/projects/:id/forecast',
      operationId: 'getMlForecast',
      summary: 'P50/P90 end dates of the remaining phases (10,000 seeded draws); phases 4-5 not committable before go',
      tag: TAG,
      access: 'read',
      params: idParams,
      query: atQuery,
      response: forecastAnswerSchema,
      handler: async ({ params, query }) => {
        const view = await projectView(ctx, params.id, query.at ?? Date.now(), query.seed);
        return view.forecast ?? { note: view.forecastNote };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/ml/forecast',
      operationId: 'forecastMlPlan',
      summary: 'Forecast a plan given in the body (the zero-config `sextant ml forecast --file` format as JSON)',
      tag: TAG,
      access: 'read',
      body: forecastFileSchema.extend({ at: daySchema, seed: z.number().int().optional() }),
      response: forecastSchema,
      handler: async ({ body }) => inBody(async () => forecast(forecastFromFile(body, body.at, body.seed))),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/ml/kill-flags',
      operationId: 'listMlKillFlags',
      summary: 'Kill criteria met (open until a gate decision is recorded), for the weekly review',
      tag: TAG,
      access: 'read',
      query: z.object({ open: z.enum(['true', 'false']).default('true'), ...page }),
      response: pageOf(portfolioKillFlagSchema),
      handler: async ({ query }) => {
        const flags = await listKillFlags(store.db, { open: query.open === 'true' });
        const items = flags.map((f) => ({
          project: f.projectId,
          criterionId: f.criterionId,
          metAt: new Date(f.metAt).toISOString(),
          evidence: f.evidence,
          resolvedAt: f.resolvedAt === null ? null : new Date(f.resolvedAt).toISOString(),
          resolvedBy: f.resolvedBy,
        }));
        return afterCursor(items, (f) => `${f.project}\u0000${f.criterionId}\u0000${f.metAt}`, query.limit, query.cursor);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/ml/review',
      operationId: 'getMlMonthlyReview',
      summary: 'The monthly model review, with its Markdown and self-contained HTML',
      tag: TAG,
      access: 'read',
      query: z.object({ month: z.string().regex(/^\d{4}-\d{2}$/, 'must be YYYY-MM'), timezone: ianaTimeZone.default('UTC') }),
      response: monthlyReviewSchema,
      handler: async ({ query }) => {
        const review = await monthlyReview(ctx, query.month, query.timezone);
        return { ...review, markdown: reviewMarkdown(review), html: reviewHtml(review) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/experiments',
      operationId: 'listExperiments',
      summary: 'Experiments, newest first; `q` searches hypotheses, metrics and learnings (the archive)',
      tag: TAG,
      access: 'read',
      query: z.object({
        team: z.string().optional(),
        project: z.string().optional(),
        decision: z.enum(EXPERIMENT_DECISIONS).optional(),
        concluded: z.enum(['true', 'false']).optional(),
        q: z.string().optional().describe('Words that must all appear (case-insensitive)'),
        ...page,
      }),
      response: pageOf(experimentSchema),
      handler: async ({ query }) => {
        const experiments = await listExperiments(store.db, {
          team: query.team,
          project: query.project,
          decision: query.decision,
          concluded: query.concluded === undefined ? undefined : query.concluded === 'true',
          q: query.q,
        });
        // Newest first: the key sorts descending by start, then by id.
        const keyed = experiments.map((e) => ({
          key: `${String(9e15 - e.startedAt).padStart(16, '0')}\u0000${e.id}`,
          item: experimentJson(e),
        }));
        const result = afterCursor(keyed, (k) => k.key, query.limit, query.cursor);
        return { items: result.items.map((k) => k.item), nextCursor: result.nextCursor };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/experiments',
      operationId: 'startExperiment',
      summary: 'Start an experiment: hypothesis, metric and thresholds decided before the start',
      tag: TAG,
      access: 'write',
      body: experimentInput,
      successStatus: 201,
      response: experimentSchema,
      handler: async ({ body }) => inBody(async () => experimentJson(await startExperiment(ctx, body, Date.now()))),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/experiments/:id/conclusion',
      operationId: 'concludeExperiment',
      summary: 'Conclude an experiment with its decision (adopt / iterate / kill) and learning',
      tag: TAG,
      access: 'write',
      params: idParams,
      body: conclusionInput,
      response: experimentSchema,
      handler: async ({ params, body }) => inBody(async () => experimentJson(await concludeExperiment(ctx, params.id, body, Date.now()))),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/experiments/velocity',
      operationId: 'getExperimentVelocity',
      summary: 'Concluded experiments per team per ISO week with the median days from start to decision',
      tag: TAG,
      access: 'read',
      query: z.object({ team: z.string().optional(), timezone: ianaTimeZone.default('UTC').describe('Zone of the weeks') }),
      response: experimentVelocitySchema,
      handler: async ({ query }) => ({ timezone: query.timezone, weeks: await velocity(ctx, { team: query.team }, query.timezone) }),
    }),
  ];
}
