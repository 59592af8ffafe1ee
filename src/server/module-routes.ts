import { deliveryRoutes } from '../delivery/routes.js';
import { codebaseRoutes } from '../codebase/routes.js';
import { orgRoutes } from '../org/routes.js';
import { reliabilityRoutes } from '../reliability/routes.js';
import type { Store } from '../store/database.js';
import type { RouteSpec } from './route-kit.js';

/** Every module's routes. A new module adds its `xxxRoutes(store)` here. */
export function moduleRoutes(store: Store): RouteSpec[] {
  return [...orgRoutes(store), ...deliveryRoutes(store), ...reliabilityRoutes(store), ...codebaseRoutes(store)];
}
