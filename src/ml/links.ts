import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import type { Reading } from './model.js';

/**
 * What the ML module reads from modules that do not exist on this branch yet,
 * injected where src/modules.ts builds the module (`createMlModule({...})`):
 *
 * - `metrics`: the metric store (outcomes module). A kill criterion or a
 *   business metric names a metric by id; with a lookup an unknown id is
 *   refused at write time and conditions are evaluated; without one they are
 *   stored and evaluate to `unknown` with the reason below.
 * - `monitoring`: model-monitoring data, for the no-feedback-loop detector;
 *   without it the detector is `not-evaluated`, saying why.
 */
export interface MetricLookup {
  /** The metric when the store has this id; undefined when it does not. */
  find(id: string): Promise<{ id: string; name: string } | undefined>;
  /** The latest reading at or before `at`; null when there is none. */
  readingAt(id: string, at: number): Promise<Reading | null>;
}

export interface MonitoringLookup {
  /** When the project's model last produced monitoring data; null for never. */
  lastDataAt(projectId: string): Promise<number | null>;
}

export interface MlLinks {
  metrics?: (db: Kysely<Database>) => MetricLookup;
  monitoring?: (db: Kysely<Database>) => MonitoringLookup;
}

export const NO_METRIC_STORE = 'no metric store in this build (the outcomes module): metric conditions cannot be evaluated yet';

/** The database plus the lookups that exist. */
export interface MlContext {
  db: Kysely<Database>;
  metrics?: MetricLookup | undefined;
  monitoring?: MonitoringLookup | undefined;
}

export function mlContext(db: Kysely<Database>, links: MlLinks): MlContext {
  return { db, metrics: links.metrics?.(db), monitoring: links.monitoring?.(db) };
}
