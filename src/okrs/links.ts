import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import type { MetricValues } from './service.js';

/**
 * What the OKR module reads from the metric store (the outcomes module),
 * injected where src/modules.ts builds the module (`createOkrsModule({...})`)
 * so this module does not depend on it:
 *
 * - `values`: a metric's daily points between two dates; metric key results
 *   follow them (progress moves as new points arrive, no check-in needed).
 * - `exists`: whether the store has this metric id; a key result naming one
 *   it has not is refused when written through the API.
 *
 * Without a metric store, metric key results have no value yet and any
 * metric id is accepted as written.
 */
export interface OkrMetricStore {
  values: MetricValues;
  exists(metricId: string): Promise<boolean>;
}

export interface OkrLinks {
  metrics?: (db: Kysely<Database>) => OkrMetricStore;
}
