import { defineModule } from '../kit/module.js';
import { registerOkrCommands } from './cli.js';
import { applyOkrsConfig, checkOkrsConfig, okrsTemplate } from './config.js';
import { loadOkrDemo } from './demo.js';
import type { OkrLinks } from './links.js';
import { okrsMigration } from './migrations/0600-okrs.js';
import { okrsConfig, type OkrsSection } from './model.js';
import { okrsReviewSection } from './review.js';
import { okrRoutes } from './routes.js';

/**
 * OKRs: objectives per team and period aligned up to the company, key results
 * that follow live metrics or check-ins, confidence with its history, and
 * Google's grading (0-1, bands, committed objectives expected at 1.0).
 *
 * `links.metrics` plugs in the metric store (the outcomes module) that metric
 * key results follow; src/modules.ts builds it (see links.ts).
 */
export function createOkrsModule(links: OkrLinks = {}) {
  return defineModule<OkrsSection>({
    name: 'okrs',
    migrations: { '0600-okrs': okrsMigration },
    routes: (store, peers) => okrRoutes(store, links, peers.lookups),
    commands: (program, ctx) => registerOkrCommands(program, ctx, links),
    config: {
      shape: { okrs: okrsConfig },
      check: checkOkrsConfig,
      apply: applyOkrsConfig,
      template: okrsTemplate,
    },
    reviewSection: (store, range) => okrsReviewSection(store.db, range, links),
    demo: async ({ store, options }) => loadOkrDemo(store, options),
  });
}

/** The module without a metric store (metric key results have no values in this build). */
export const okrsModule = createOkrsModule();

export type { OkrLinks, OkrMetricStore } from './links.js';
export { okrReport, type MetricValues, type OkrReport } from './service.js';
export { loadObjectives } from './store.js';
