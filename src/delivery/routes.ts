import { z } from 'zod';
import { defineRoute, type RouteSpec } from '../kit/routes.js';
import type { Store } from '../store/database.js';
import { deploymentBatch, deploymentFromInput } from './model.js';
import { recordDeployments } from './record.js';
import { deliveryReadRoutes } from './read-routes.js';

const TAG = 'delivery';
const recordReport = z
  .object({ received: z.number(), created: z.number(), updated: z.number(), unchanged: z.number() })
  .meta({ id: 'RecordReport' });

/** The delivery module's HTTP surface: deployment intake from CI (incidents are the incidents module's), and the metrics read side. */
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
      response: recordReport,
      handler: ({ body }) =>
        recordDeployments(db, body.deployments.map(deploymentFromInput), 'api', (i, field) => ({
          field: `body.deployments[${i}].${field}`,
          line: i + 1,
        })),
    }),
    ...deliveryReadRoutes(store),
  ];
}
