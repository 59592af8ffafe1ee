import fs from 'node:fs';
import path from 'node:path';
import { loadDefinitions } from './definitions/load-definitions.js';
import { replaceDefinitions } from './store.js';
import { pullPrometheusSamples } from './prometheus-samples.js';
import type { SyncTask } from '../kit/sync.js';

/** Where a workspace keeps its OpenSLO / Sloth files: `slos/` beside sextant.yaml. */
export const SLO_DIRECTORY = 'slos';

/**
 * `sextant sync`: the definitions under `slos/` become the stored ones
 * (validated as a whole first, so a broken file changes nothing), then the
 * SLOs whose queries point at a Prometheus DataSource read their new minutes.
 */
export const sloSyncTask: SyncTask = {
  name: 'slos',
  async run({ store, workspaceDir }) {
    const dir = path.join(workspaceDir, SLO_DIRECTORY);
    if (!fs.existsSync(dir)) return `no ${SLO_DIRECTORY}/ folder: nothing to apply`;
    const set = loadDefinitions([dir]);
    const report = await replaceDefinitions(store.db, set, 'config');
    const pulled = await pullPrometheusSamples(store.db, set);
    const notes = [
      pulled.slos > 0 ? `${pulled.samples} minutes of ${pulled.slos} from Prometheus` : '',
      pulled.unavailable.length > 0 ? `Prometheus did not answer for ${pulled.unavailable.map((u) => u.slo).join(', ')}` : '',
    ].filter(Boolean);
    return `${report.slos} SLOs from ${SLO_DIRECTORY}/${report.removed > 0 ? `, ${report.removed} removed` : ''}${notes.map((n) => `; ${n}`).join('')}`;
  },
};
