import { codebaseSyncTask } from '../codebase/sync-task.js';
import type { WorkspaceConfig } from '../config/workspace-config.js';
import { sloSyncTask } from './openslo/sync-task.js';
import type { Progress } from '../shared/progress.js';
import type { Store } from '../store/database.js';
import { deliverySyncTask } from '../delivery/sync-task.js';

/**
 * One source's ingestion, run by `sextant sync` after the workspace
 * configuration has been applied. Each source (git, CI webhooks backfill,
 * Prometheus, ...) adds a task to `syncTasks` below. A task must be
 * idempotent and incremental: a second run with no new data changes nothing.
 */
export interface SyncContext {
  store: Store;
  config: WorkspaceConfig;
  workspaceDir: string;
  progress: Progress;
}

export interface SyncTask {
  name: string;
  /** Returns a one-line summary of what was ingested. */
  run(context: SyncContext): Promise<string>;
}

export const syncTasks: SyncTask[] = [deliverySyncTask, sloSyncTask, codebaseSyncTask];
