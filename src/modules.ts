import { authModule } from './auth/index.js';
import { codebaseModule } from './codebase/index.js';
import { deliveryModule } from './delivery/index.js';
import { createMlModule } from './ml/index.js';
import { mergeLookups, type Lookups } from './kit/lookups.js';
import type { AnyModule } from './kit/module.js';
import { incidentsModule } from './incidents/index.js';
import { createOkrsModule } from './okrs/index.js';
import { orgModule } from './org/index.js';
import { getMetric, latestMetricValue, metricExists, metricValues, outcomesModule } from './outcomes/index.js';
import { reliabilityModule } from './reliability/index.js';
import { debtModule } from './debt/index.js';
import { gitSource } from './sources/git/index.js';

const DAY_MS = 86_400_000;

/**
 * Metric key results follow the outcomes metric store: their values are its
 * daily points (an unknown metric has none; writes check `exists` first).
 */
const okrsModule = createOkrsModule({
  metrics: (db) => ({
    values: async (id, from, to) => ((await metricExists(db, id)) ? metricValues(db, id, from, to) : []),
    exists: (id) => metricExists(db, id),
  }),
});

/**
 * An ML project's business metric and its metric kill criteria read the
 * outcomes metric store: a reading is the latest daily point on or before the
 * instant's UTC date, dated at the start of that day (UTC).
 */
const mlModule = createMlModule({
  metrics: (db) => ({
    find: async (id) => ((await metricExists(db, id)) ? { id, name: (await getMetric(db, id)).name } : undefined),
    readingAt: async (id, at) => {
      if (!(await metricExists(db, id))) return null;
      const latest = await latestMetricValue(db, id, new Date(Math.floor(at / DAY_MS) * DAY_MS).toISOString().slice(0, 10));
      return latest ? { at: Date.parse(`${latest.date}T00:00:00Z`), value: latest.value } : null;
    },
  }),
});

/**
 * Every module, in order. The server, the CLI, the migrator, `sextant sync`,
 * the demo, sextant.yaml's schema and `sextant init`'s template iterate over
 * this list; adding a module is its folder plus one line here (and one in
 * web/src/modules.tsx for its page). Order matters where modules read each
 * other: the org first (everything refers to it), sources before the modules
 * they feed.
 */
export const MODULES: readonly AnyModule[] = [
  orgModule,
  authModule,
  gitSource,
  deliveryModule,
  reliabilityModule,
  codebaseModule,
  incidentsModule,
  outcomesModule,
  okrsModule,
  mlModule,
  debtModule,
];

/** Every module's lookups in one object (kit/lookups.ts), handed to routes, commands and demo loaders. */
export const LOOKUPS: Lookups = mergeLookups(MODULES.map((module) => module.lookups));

/** The server checks bearer tokens with the auth module (it reaches modules only through this file). */
export { verifyToken } from './auth/index.js';
