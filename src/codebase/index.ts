import { defineModule } from '../kit/module.js';
import { registerCodebaseCommands } from './cli.js';
import { loadCodebaseDemo } from './demo.js';
import { codebaseMigration } from './migrations/0300-codebase.js';
import { codebaseWalkedMigration } from './migrations/0301-codebase-walked.js';
import { codebaseRoutes } from './routes.js';
import { codebaseSeries } from './series.js';
import { codebaseSyncTask } from './sync-task.js';

/**
 * Codebase health from git history: hotspots, change coupling, code age,
 * ownership, truck factor and knowledge risk (code-maat's analyses and the
 * published algorithms behind them).
 */
export const codebaseModule = defineModule({
  name: 'codebase',
  migrations: { '0300-codebase': codebaseMigration, '0301-codebase-walked': codebaseWalkedMigration },
  routes: codebaseRoutes,
  commands: registerCodebaseCommands,
  sync: [codebaseSyncTask],
  series: codebaseSeries,
  demo: async ({ store, options }) => {
    const report = await loadCodebaseDemo(store, options);
    return { ...report };
  },
});

// What the debt module reads: cached analyses of a repository (hotspots, revisions, knowledge risk, authorship).
export { analyseCachedHistory } from './history-cache.js';
export { analysisOptionsSchema } from './model.js';
export type { KnowledgeRiskReport, TruckFactorReport } from './analyses.js';
export type { HotspotRow } from './hotspots.js';
