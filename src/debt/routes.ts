import { z } from 'zod';
import { entityId } from '../org/index.js';
import { defineRoute, type RouteSpec } from '../kit/routes.js';
import { ValidationError } from '../shared/errors.js';
import type { Store } from '../store/database.js';
import { addedJson, candidateJson, capacityJson, debtItemJson, scoredJson, workItemJson } from './json.js';
import {
  addedDebtItemSchema,
  capacityReportSchema,
  DAY_MS,
  DEBT_STATUSES,
  debtCandidateSchema,
  debtItemInput,
  debtItemSchema,
  scoredDebtItemSchema,
  unpaged,
  weeklyDebtPointSchema,
  workItemBatch,
  workItemSchema,
  type WorkItem,
} from './model.js';
import {
  acceptCandidate,
  addDebtItem,
  capacityReport,
  dismissCandidate,
  listCandidates,
  readWeeklySeries,
  scoredRegister,
  setDebtStatus,
  sprintItems,
} from './service.js';
import { loadWorkItems, upsertWorkItems } from './store.js';

const TAG = 'debt';
const isoQuery = z.iso.datetime({ offset: true }).transform((v) => Date.parse(v));
const atQuery = z.object({ at: isoQuery.optional().describe('Evaluate evidence at this instant (default: now)') });

/** Work items, capacity, the register with its scorecard, and candidates. */
export function debtRoutes(store: Store): RouteSpec[] {
  const { db } = store;
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/work/items',
      operationId: 'importWorkItems',
      summary: 'Import a batch of work items (idempotent: an item with the same id is replaced); a bad batch writes nothing',
      tag: TAG,
      access: 'write',
      body: workItemBatch,
      response: z.object({ imported: z.number() }),
      handler: async ({ body }) => {
        const items: WorkItem[] = body.items.map((i) => ({ ...i, source: 'api' as const }));
        await upsertWorkItems(store, items, Date.now());
        return { imported: items.length };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/work/items',
      operationId: 'listWorkItems',
      summary: "A team's work items, or the items behind one sprint's capacity figures (with category and rule)",
      tag: TAG,
      access: 'read',
      query: z.object({ team: entityId, sprint: z.string().min(1).optional() }),
      response: unpaged(workItemSchema),
      handler: async ({ query }) => {
        const items =
          query.sprint !== undefined ? await sprintItems(store, query.team, query.sprint) : await loadWorkItems(db, { team: query.team });
        return { items: items.map(workItemJson), nextCursor: null };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/debt/capacity',
      operationId: 'getDebtCapacity',
      summary: 'Share of effort per category per team and sprint, debt share against target, streaks, WIP',
      tag: TAG,
      access: 'read',
      query: z.object({ team: entityId.optional(), sprints: z.coerce.number().int().min(1).max(500).default(12) }),
      response: capacityReportSchema,
      handler: async ({ query }) => capacityJson(await capacityReport(store, { team: query.team, sprints: query.sprints })),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/debt/weekly',
      operationId: 'getDebtWeekly',
      summary: 'Weekly debt share and WIP per team (the series published to the outcomes metric store)',
      tag: TAG,
      access: 'read',
      query: z.object({ from: isoQuery.optional(), to: isoQuery.optional() }),
      response: unpaged(weeklyDebtPointSchema),
      handler: async ({ query }) => {
        const to = query.to ?? Date.now();
        const from = query.from ?? to - 12 * 7 * DAY_MS;
        if (from >= to) throw new ValidationError('Invalid window', [{ field: 'query.from', message: 'must be before to' }]);
        return { items: await readWeeklySeries(db, { from, to }), nextCursor: null };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/debt/items',
      operationId: 'listDebtItems',
      summary: 'The register ranked by score, each with its terms and evidence',
      tag: TAG,
      access: 'read',
      query: atQuery.extend({ all: z.enum(['true', 'false']).default('false').describe("Include paid and won't-fix items") }),
      response: unpaged(scoredDebtItemSchema),
      handler: async ({ query }) => ({
        items: (await scoredRegister(db, query.at ?? Date.now(), { all: query.all === 'true' })).map(scoredJson),
        nextCursor: null,
      }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/debt/items',
      operationId: 'addDebtItem',
      summary: 'Add an item to the register (a path missing from the repository is a warning)',
      tag: TAG,
      access: 'write',
      body: debtItemInput,
      successStatus: 201,
      response: addedDebtItemSchema,
      handler: async ({ body }) => addedJson(await addDebtItem(store, body, Date.now())),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/debt/items/:id',
      operationId: 'setDebtItemStatus',
      summary: 'Move a register item to another status',
      tag: TAG,
      access: 'write',
      params: z.object({ id: entityId }),
      body: z.strictObject({ status: z.enum(DEBT_STATUSES) }),
      response: debtItemSchema,
      handler: async ({ params, body }) => debtItemJson(await setDebtStatus(db, params.id, body.status, Date.now())),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/debt/candidates',
      operationId: 'listDebtCandidates',
      summary: 'Debt proposed from evidence, minus dismissed and accepted candidates',
      tag: TAG,
      access: 'read',
      query: atQuery,
      response: unpaged(debtCandidateSchema),
      handler: async ({ query }) => ({ items: (await listCandidates(db, query.at ?? Date.now())).map(candidateJson), nextCursor: null }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/debt/candidates/accept',
      operationId: 'acceptDebtCandidate',
      summary: 'Accept a candidate into the register',
      tag: TAG,
      access: 'write',
      body: z.strictObject({
        key: z.string().min(1),
        principalDays: z.number().min(0).optional(),
        impact: z.string().trim().max(2000).optional(),
        at: isoQuery.optional(),
      }),
      successStatus: 201,
      response: addedDebtItemSchema,
      handler: async ({ body }) =>
        addedJson(
          await acceptCandidate(store, body.key, body.at ?? Date.now(), { principalDays: body.principalDays, impact: body.impact }),
        ),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/debt/candidates/dismiss',
      operationId: 'dismissDebtCandidate',
      summary: 'Dismiss a candidate (remembered: it is not proposed again)',
      tag: TAG,
      access: 'write',
      body: z.strictObject({ key: z.string().min(1), reason: z.string().max(2000).default(''), at: isoQuery.optional() }),
      successStatus: 204,
      handler: async ({ body }) => {
        await dismissCandidate(db, body.key, body.reason, body.at ?? Date.now());
      },
    }),
  ];
}
