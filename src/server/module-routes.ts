import { modulePeers, type RouteHost } from '../kit/module.js';
import type { RouteSpec } from '../kit/routes.js';
import { MODULES } from '../modules.js';
import type { Store } from '../store/database.js';

/** Every module's routes, in module order. */
export function moduleRoutes(store: Store, host: RouteHost): RouteSpec[] {
  const peers = modulePeers(MODULES);
  return MODULES.flatMap((module) => module.routes?.(store, peers, host) ?? []);
}
