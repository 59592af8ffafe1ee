import { defineModule } from '../kit/module.js';
import { registerReliabilityCommands } from './cli.js';
import { loadReliabilityDemo } from './demo.js';
import { slosMigration } from './migrations/0200-slos.js';
import { reliabilityRoutes } from './routes.js';
import { reliabilitySeries } from './series.js';
import { storedSpanSpend } from './stored-slos.js';
import { sloSyncTask } from './sync-task.js';

/**
 * Reliability: SLOs from OpenSLO/Sloth files under `slos/`, minute samples
 * (API, CSV, Prometheus), error budgets, burn-rate alerts, the budget policy
 * and the release gate.
 */
export const reliabilityModule = defineModule({
  name: 'reliability',
  migrations: { '0200-slos': slosMigration },
  routes: reliabilityRoutes,
  commands: registerReliabilityCommands,
  sync: [sloSyncTask],
  series: reliabilitySeries,
  lookups: { budgetSpent: storedSpanSpend },
  demo: async ({ store, options }) => loadReliabilityDemo(store, options, options.now === undefined ? {} : { now: options.now }),
});

export { storedReleaseGate, storedStatuses } from './stored-slos.js';
export type { SloStatus } from './model.js';
