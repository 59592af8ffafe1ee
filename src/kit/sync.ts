import type { Progress } from '../shared/progress.js';
import type { Store } from '../store/database.js';
import type { ModulePeers } from './module.js';

/**
 * One step of `sextant sync`, run after sextant.yaml has been validated and
 * its org section applied. A task must be idempotent and incremental: a second
 * run with no new data changes nothing. `config` is the module's own section.
 */
export interface SyncContext<C = unknown> {
  store: Store;
  config: C;
  workspaceDir: string;
  progress: Progress;
  /** The other modules' series publishers and review sections (filled by `sextant sync`). */
  peers?: ModulePeers;
}

export interface SyncTask<C = unknown> {
  name: string;
  /** Returns a one-line summary of what was ingested. */
  run(context: SyncContext<C>): Promise<string>;
}
