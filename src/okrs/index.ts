import { defineModule } from '../kit/module.js';
import { registerOkrCommands } from './cli.js';
import { applyOkrsConfig, checkOkrsConfig, okrsTemplate } from './config.js';
import { loadOkrDemo } from './demo.js';
import { okrsMigration } from './migrations/0600-okrs.js';
import { okrsConfig, type OkrsSection } from './model.js';
import { okrRoutes } from './routes.js';

/**
 * OKRs: objectives per team and period aligned up to the company, key results
 * that follow live metrics or check-ins, confidence with its history, and
 * Google's grading (0-1, bands, committed objectives expected at 1.0).
 */
export const okrsModule = defineModule<OkrsSection>({
  name: 'okrs',
  migrations: { '0600-okrs': okrsMigration },
  routes: okrRoutes,
  commands: registerOkrCommands,
  config: {
    shape: { okrs: okrsConfig },
    check: checkOkrsConfig,
    apply: applyOkrsConfig,
    template: okrsTemplate,
  },
  demo: async ({ store, options }) => loadOkrDemo(store, options),
});

export { okrReport, type MetricValues, type OkrReport } from './service.js';
export { loadObjectives } from './store.js';
