import fs from 'node:fs';
import path from 'node:path';
import type { SyncTask } from '../sources/sync-tasks.js';
import { loadDefinitions } from './definitions/load-definitions.js';
import { replaceDefinitions } from './store.js';

/** Where a workspace keeps its OpenSLO / Sloth files: `slos/` beside sextant.yaml. */
export const SLO_DIRECTORY = 'slos';

/**
 * `sextant sync`: the definitions under `slos/` become the stored ones
 * (validated as a whole first, so a broken file changes nothing).
 */
export const sloSyncTask: SyncTask = {
  name: 'slos',
  async run({ store, workspaceDir }) {
    const dir = path.join(workspaceDir, SLO_DIRECTORY);
    if (!fs.existsSync(dir)) return `no ${SLO_DIRECTORY}/ folder: nothing to apply`;
    const set = loadDefinitions([dir]);
    const report = await replaceDefinitions(store.db, set, 'config');
    return `${report.slos} SLOs from ${SLO_DIRECTORY}/${report.removed > 0 ? `, ${report.removed} removed` : ''}`;
  },
};
