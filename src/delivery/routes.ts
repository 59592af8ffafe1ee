import { z } from 'zod';
import { recordReportSchema } from '../kit/record-report.js';
import { defineRoute, type RouteSpec } from '../kit/routes.js';
import type { Store } from '../store/database.js';
import { deploymentBatch, deploymentFromInput } from './model.js';
import { recordDeployments } from './record.js';
import * as schemas from './report-schemas.js';
import { changesView, changeView, deploymentsView, deploymentView, incidentsView, summaryView, trendView } from './views.js';

const TAG = 'delivery';
const BASE = '/api/v1/delivery';

/**
 * The delivery module's HTTP surface: deployment intake from CI (incidents are the incidents module's),
 * and the metrics read side (views.ts), where every number can be followed to its rows.
 */
export function deliveryRoutes(store: Store): RouteSpec[] {
  const { db } = store;
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/deployments',
      operationId: 'recordDeployments',
      summary: 'Record a batch of deployments (all or nothing; idempotent by id)',
      tag: TAG,
      access: 'write',
      body: deploymentBatch,
      response: recordReportSchema,
      handler: ({ body }) =>
        recordDeployments(db, body.deployments.map(deploymentFromInput), 'api', (i, field) => ({
          field: `body.deployments[${i}].${field}`,
          line: i + 1,
        })),
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/summary`,
      operationId: 'getDeliverySummary',
      cache: true,
      summary: 'The five DORA metrics over a window, with tiers, for a team, a service or everything',
      tag: TAG,
      access: 'read',
      query: schemas.scopeQuery,
      response: schemas.deliverySummary,
      handler: ({ query }) => summaryView(db, query),
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/trend`,
      operationId: 'getDeliveryTrend',
      cache: true,
      summary: 'The five metrics per calendar week or month of the window',
      tag: TAG,
      access: 'read',
      query: schemas.trendQuery,
      response: schemas.deliveryTrend,
      handler: ({ query }) => trendView(db, query),
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/deployments`,
      operationId: 'listDeliveryDeployments',
      cache: true,
      summary: 'Deployments counted in the window, newest first; `failed=true` lists failed ones with why each failed',
      tag: TAG,
      access: 'read',
      query: schemas.deploymentsQuery,
      response: schemas.page(schemas.deploymentListRow),
      handler: ({ query }) => deploymentsView(db, query),
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/changes`,
      operationId: 'listDeliveryChanges',
      cache: true,
      summary: 'Changes shipped by the deployments counted in the window, longest lead time first (the rows behind lead time)',
      tag: TAG,
      access: 'read',
      query: schemas.listQuery,
      response: schemas.page(schemas.changeRow),
      handler: ({ query }) => changesView(db, query),
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/incidents`,
      operationId: 'listDeliveryIncidents',
      cache: true,
      summary: 'Incidents that started in the window, newest first, and the deployment each is blamed on (or none)',
      tag: TAG,
      access: 'read',
      query: schemas.listQuery,
      response: schemas.page(schemas.incidentRow),
      handler: ({ query }) => incidentsView(db, query),
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/deployments/:id`,
      operationId: 'getDeliveryDeployment',
      summary: 'A deployment with the changes it shipped first, the incidents blamed on it and why it counts as failed',
      tag: TAG,
      access: 'read',
      params: z.object({ id: z.string().min(1) }),
      query: schemas.deploymentDetailQuery,
      response: schemas.deploymentDetail,
      handler: ({ params, query }) => deploymentView(db, params.id, query),
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/changes/:sha`,
      operationId: 'getDeliveryChange',
      summary: 'A change (commit, full or abbreviated sha) and the deployments that shipped it first, per service and environment',
      tag: TAG,
      access: 'read',
      params: z.object({ sha: z.string().regex(/^[0-9a-f]{7,40}$/, 'must be a commit sha (7 to 40 hex digits)') }),
      query: schemas.changeDetailQuery,
      response: schemas.changeDetail,
      handler: ({ params, query }) => changeView(db, params.sha, query),
    }),
  ];
}
