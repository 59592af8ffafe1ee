import { defineModule } from '../kit/module.js';
import { registerDeliveryCommands } from './cli.js';
import { checkDeliveryReferences, deliveryConfig, deliveryTemplate, type DeliverySection } from './delivery-config.js';
import { loadDemoDelivery } from './demo-delivery.js';
import { deliveryMigration } from './migrations/0101-delivery.js';
import { deliveryChangeSummaryMigration } from './migrations/0102-delivery-change-summary.js';
import { deliveryEvidenceIndexMigration } from './migrations/0103-delivery-evidence-index.js';
import { deliveryRoutes } from './routes.js';
import { deliverySeries } from './series.js';
import { getDeployments } from './store.js';
import { deliverySyncTask } from './sync-task.js';

/**
 * Delivery (DORA): deployments from CI and release tags, the changes each
 * ships (from git), incidents that fail them, and the five metrics.
 */
export const deliveryModule = defineModule<DeliverySection>({
  name: 'delivery',
  migrations: {
    '0101-delivery': deliveryMigration,
    '0102-delivery-change-summary': deliveryChangeSummaryMigration,
    '0103-delivery-evidence-index': deliveryEvidenceIndexMigration,
  },
  routes: deliveryRoutes,
  commands: registerDeliveryCommands,
  config: {
    shape: { delivery: deliveryConfig },
    check: checkDeliveryReferences,
    template: deliveryTemplate,
  },
  sync: [deliverySyncTask],
  series: deliverySeries,
  lookups: {
    deployments: async (db, ids) =>
      [...(await getDeployments(db, ids)).values()].map((d) => ({
        id: d.id,
        serviceId: d.serviceId,
        environment: d.environment,
        commitSha: d.commitSha,
        version: d.version,
        finishedAt: d.finishedAt,
      })),
  },
  demo: async ({ store, options }) => {
    const demo = await loadDemoDelivery(store, options);
    return { deployments: demo.deployments.length, changes: demo.changes.length, incidents: demo.incidents.length };
  },
});

export { deliveryEvidence, productionEnvironments, type DeliveryEvidence } from './delivery-facts.js';
export type { Deployment, Incident } from './model.js';
// What the debt module reads: a service's facts and their DORA summary over a window.
export { loadDeliveryFacts } from './delivery-facts.js';
export { summariseDelivery } from './delivery-summary.js';
export type { Assessment } from './assess-deployments.js';
