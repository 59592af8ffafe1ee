import { defineModule } from '../kit/module.js';
import { registerMlCommands } from './cli.js';
import { loadMlDemo } from './demo.js';
import type { MlLinks } from './links.js';
import { mlMigration } from './migrations/0800-ml.js';
import { mlReviewSection, mlSeries } from './weekly.js';
import { mlRoutes } from './routes.js';
import { mlWorkServing } from './store.js';
import { killCriteriaSyncTask } from './sync-task.js';

/**
 * ML projects and experiments: the playbook's phases with stage gates,
 * kill criteria evaluated on every sync, stated confidence, P50/P90
 * forecasts, failure-mode detectors, experiments with their decisions and
 * learnings, experiment velocity and the monthly model review.
 *
 * `links` plugs in what other modules know (the metric store, model
 * monitoring) once they exist; see links.ts. src/modules.ts builds it.
 */
export function createMlModule(links: MlLinks = {}) {
  return defineModule({
    name: 'ml',
    migrations: { '0800-ml': mlMigration },
    routes: (store) => mlRoutes(store, links),
    commands: (program, ctx) => registerMlCommands(program, ctx, links),
    sync: [killCriteriaSyncTask(links)],
    lookups: { keyResultMlWork: mlWorkServing },
    series: (store, range) => mlSeries(store.db, range),
    reviewSection: (store, range) => mlReviewSection(store.db, range),
    demo: async ({ store, options }) => loadMlDemo(store, options, links),
  });
}

/** The module without links (no metric store or model monitoring in this build). */
export const mlModule = createMlModule();

export type { MetricLookup, MlLinks, MonitoringLookup } from './links.js';
export { openKillFlags, experimentVelocitySeries } from './exports.js';
