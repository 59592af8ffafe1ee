import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineRoute, type RouteSpec } from '../kit/routes.js';
import { entityId } from '../org/index.js';
import { ValidationError } from '../shared/errors.js';
import type { Store } from '../store/database.js';
import { checkObjectives, unknownMetricIssues } from './check.js';
import type { OkrLinks } from './links.js';
import { withServingWork } from './alignment.js';
import type { Lookups } from '../kit/lookups.js';
import { checkinInput, objectiveInput, objectiveViewSchema, okrPeriodsSchema, okrReportSchema } from './model.js';
import { quarterAt } from './period.js';
import { okrReport } from './service.js';
import {
  addCheckin,
  correctCheckin,
  getObjective,
  getKeyResult,
  listPeriods,
  loadObjectives,
  loadSettings,
  saveObjective,
} from './store.js';

const TAG = 'okrs';
const BASE = '/api/v1/okrs';
const instant = z.iso.datetime({ offset: true }).transform((v) => Date.parse(v));
const reportQuery = z.object({
  period: z.string().trim().min(1).optional().describe('A quarter such as 2026-Q4 or a custom period (default: the quarter of `at`)'),
  team: entityId.optional(),
  at: instant.optional().describe('Grade as of this instant (default: now)'),
});

/** The OKR module's HTTP surface: graded objectives per period, one objective, definitions and check-ins. */
export function okrRoutes(store: Store, links: OkrLinks = {}, lookups: Lookups = {}): RouteSpec[] {
  const { db } = store;
  const metricStore = links.metrics?.(db);
  const metrics = metricStore ? { metrics: metricStore.values } : {};
  return [
    defineRoute({
      method: 'GET',
      url: BASE,
      operationId: 'getOkrReport',
      summary: "A period's objectives graded at a date: progress, expected progress, behind key results, confidence, roll-ups",
      tag: TAG,
      access: 'read',
      query: reportQuery,
      response: okrReportSchema,
      handler: async ({ query }) => {
        const at = query.at ?? Date.now();
        const settings = await loadSettings(db);
        const period = query.period ?? quarterAt(at, settings).id;
        const report = await okrReport(db, { period, team: query.team }, at, { ...settings, ...metrics });
        return { ...report, objectives: await withServingWork(db, report.objectives, lookups) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/periods`,
      operationId: 'listOkrPeriods',
      summary: 'The periods that have objectives, oldest first',
      tag: TAG,
      access: 'read',
      response: okrPeriodsSchema,
      handler: async () => ({ items: await listPeriods(db), nextCursor: null }),
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/objectives/:id`,
      operationId: 'getObjective',
      summary: 'One objective graded at a date, with every key result and its full check-in history',
      tag: TAG,
      access: 'read',
      params: z.object({ id: entityId }),
      query: z.object({ at: instant.optional() }),
      response: objectiveViewSchema,
      handler: async ({ params, query }) => {
        const { period } = await getObjective(db, params.id);
        const report = await okrReport(db, { period: period.id }, query.at ?? Date.now(), {
          ...(await loadSettings(db)),
          ...metrics,
        });
        const [objective] = await withServingWork(
          db,
          report.objectives.filter((o) => o.id === params.id),
          lookups,
        );
        return objective;
      },
    }),
    defineRoute({
      method: 'PUT',
      url: `${BASE}/objectives/:id`,
      operationId: 'putObjective',
      summary: 'Create or replace an objective and its key results (objectives from sextant.yaml are changed there)',
      tag: TAG,
      access: 'write',
      params: z.object({ id: entityId }),
      body: objectiveInput,
      successStatus: 204,
      handler: async ({ params, body }) => {
        const settings = await loadSettings(db);
        const others = (await loadObjectives(db)).filter((o) => o.id !== params.id);
        const all = [
          ...others.map((o) => ({
            id: o.id,
            title: o.title,
            team: o.teamId,
            period: o.period.id,
            ...(o.parentId !== null ? { parent: o.parentId } : {}),
            kind: o.kind,
            weight: o.weight,
            keyResults: o.keyResults.map((kr) => ({ id: kr.id, title: kr.title, aggregation: kr.aggregation, weight: kr.weight })),
          })),
          { id: params.id, ...body },
        ];
        const issues = [
          ...checkObjectives(all, settings, undefined, (i) => (i === all.length - 1 ? ['body'] : ['objectives', i])).filter(
            (issue) => issue.path[0] === 'body',
          ),
          ...(metricStore ? await unknownMetricIssues(body.keyResults, metricStore.exists, ['body']) : []),
        ];
        if (issues.length > 0)
          throw new ValidationError(
            'Invalid objective',
            issues.map((issue) => ({ field: issue.path.join('.').replace(/\.(\d+)/g, '[$1]'), message: issue.message })),
          );
        await saveObjective(db, { id: params.id, ...body }, settings, Date.now());
      },
    }),
    defineRoute({
      method: 'POST',
      url: `${BASE}/key-results/:id/checkins`,
      operationId: 'addCheckin',
      summary:
        'A check-in on a key result: value (key results without a metric) or zone (milestones), confidence 0-10, comment; idempotent by id',
      tag: TAG,
      access: 'write',
      params: z.object({ id: entityId }),
      body: checkinInput,
      successStatus: 201,
      handler: async ({ params, body }) => {
        const keyResult = await getKeyResult(db, params.id);
        checkCheckinFits(keyResult.kind, keyResult.metricId, body);
        const now = Date.now();
        const { checkin, created } = await addCheckin(
          db,
          params.id,
          body,
          body.id ?? randomUUID(),
          body.at ? Date.parse(body.at) : now,
          now,
        );
        return {
          created,
          checkin: { ...checkin, at: new Date(checkin.at).toISOString(), recordedAt: new Date(checkin.recordedAt).toISOString() },
        };
      },
    }),
    defineRoute({
      method: 'PUT',
      url: `${BASE}/checkins/:id/correction`,
      operationId: 'correctCheckin',
      summary: 'Correct a check-in: recorded as a new entry that names it; the original stays in the history',
      tag: TAG,
      access: 'write',
      params: z.object({ id: z.string().min(1).max(200) }),
      body: checkinInput.omit({ at: true }),
      successStatus: 201,
      handler: async ({ params, body }) => {
        const checkin = await correctCheckin(db, params.id, body, body.id ?? randomUUID(), Date.now());
        return { ...checkin, at: new Date(checkin.at).toISOString(), recordedAt: new Date(checkin.recordedAt).toISOString() };
      },
    }),
  ];
}

/** A value belongs to a key result without a metric, a zone to a milestone; a metric key result takes confidence and comment only. */
export function checkCheckinFits(
  kind: 'metric' | 'milestone',
  metricId: string | null,
  body: { value?: number | undefined; zone?: string | undefined },
): void {
  const problem =
    body.zone !== undefined && kind !== 'milestone'
      ? { field: 'body.zone', message: 'this key result is measured by values, not zones' }
      : body.value !== undefined && kind === 'milestone'
        ? { field: 'body.value', message: 'a milestone key result takes a zone (fail, commit, target, stretch)' }
        : body.value !== undefined && metricId !== null
          ? {
              field: 'body.value',
              message: `this key result follows metric "${metricId}": its value comes from the metric; check in confidence and comment`,
            }
          : undefined;
  if (problem) throw new ValidationError('Check-in does not fit the key result', [problem]);
}
