import type { Store } from '../store/database.js';
import type { ModulePeers } from './module.js';
import type { Lookups } from './lookups.js';

/**
 * The demo workspace is generated from a seed so tests, benchmarks and the
 * dashboard see identical data everywhere. `scale` repeats the product teams
 * to grow volume for benchmarks; `now` pins the clock (tests); without it each module
 * uses the current time, rounded as it needs (a day, a minute).
 */
export interface DemoOptions {
  seed: number;
  scale: number;
  now?: number;
}

export const DEFAULT_DEMO_OPTIONS: DemoOptions = { seed: 1, scale: 1 };

/**
 * What a module's demo loader gets. Modules load in the order of
 * `src/modules.ts`, so the org (module one) is stored before the others read it
 * through the org module's functions.
 */
export interface DemoContext {
  store: Store;
  options: DemoOptions;
  /** The other modules' series publishers and review sections. */
  peers?: ModulePeers;
  /** What other modules answer (kit/lookups.ts); absent in callers that load one module alone. */
  lookups?: Lookups;
}

/** A module's demo loader returns counts of what it wrote, for logs and tests. */
export type DemoReport = Record<string, number>;
