import { defineModule } from '../kit/module.js';
import { registerOutcomesCommands } from './cli.js';
import { loadOutcomesDemo } from './demo.js';
import { outcomesMigration } from './migrations/0500-outcomes.js';
import { applyOutcomes, checkOutcomes, knownMetrics, outcomesConfig, outcomesTemplate, type OutcomesSection } from './outcomes-config.js';
import { outcomesRoutes } from './routes.js';
import { outcomesSyncTask } from './sync-task.js';

/**
 * Outcomes: metrics and their daily points, the North Star tree with lead/lag
 * checks, XmR signals, 6-12 charts and boxes, the weekly business review and
 * its immutable readouts. Other modules publish daily series into it through
 * their optional `series` part and add review sections through `reviewSection`.
 */
export const outcomesModule = defineModule<OutcomesSection & { workspace?: { timezone?: string } }>({
  name: 'outcomes',
  migrations: { '0500-outcomes': outcomesMigration },
  routes: outcomesRoutes,
  commands: registerOutcomesCommands,
  config: {
    shape: { outcomes: outcomesConfig },
    check: checkOutcomes,
    apply: applyOutcomes,
    knownIds: (section) => ({ metrics: knownMetrics(section) }),
    template: outcomesTemplate,
  },
  sync: [outcomesSyncTask],
  demo: loadOutcomesDemo,
});

/** For other modules (OKRs): metric definitions and values over a period. */
export { getMetric, listMetrics, metricExists } from './store.js';
export { latestMetricValue, metricPeriodValue, metricValues } from './metric-values.js';
export type { MetricDefinition } from './model.js';
