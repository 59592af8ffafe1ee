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
  /** Folders besides the workspace that repositories set through the API may live in (SEXTANT_REPOSITORY_ROOTS). */
  repositoryRoots?: readonly string[];
  progress: Progress;
  /**
   * Records that one item (a repository, a source) failed while the task goes on
   * with the others; `sextant sync` lists every failure and exits 1 at the end.
   * Without it (tests, callers that want the first error), the error is thrown.
   */
  failed?(subject: string, error: unknown): void;
  /** The other modules' series publishers and review sections (filled by `sextant sync`). */
  peers?: ModulePeers;
}

export interface SyncTask<C = unknown> {
  name: string;
  /** Returns a one-line summary of what was ingested. */
  run(context: SyncContext<C>): Promise<string>;
}
