import { authModule } from './auth/index.js';
import { codebaseModule } from './codebase/index.js';
import { deliveryModule } from './delivery/index.js';
import { mlModule } from './ml/index.js';
import { mergeLookups, type Lookups } from './kit/lookups.js';
import type { AnyModule } from './kit/module.js';
import { incidentsModule } from './incidents/index.js';
import { okrsModule } from './okrs/index.js';
import { orgModule } from './org/index.js';
import { outcomesModule } from './outcomes/index.js';
import { reliabilityModule } from './reliability/index.js';
import { debtModule } from './debt/index.js';
import { gitSource } from './sources/git/index.js';

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
