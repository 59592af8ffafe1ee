import type { Command } from 'commander';
import type { Migration } from 'kysely';
import type { Store } from '../store/database.js';
import type { CliContext } from './cli/context.js';
import type { ModuleConfig } from './config.js';
import type { DemoContext, DemoReport } from './demo.js';
import type { Lookups } from './lookups.js';
import type { RouteSpec } from './routes.js';
import type { SyncTask } from './sync.js';

/**
 * One capability, declared once in its folder's `index.ts` and listed in
 * `src/modules.ts`. The server, the CLI, the migrator, `sextant sync`, the
 * demo, the configuration schema and `sextant init` iterate over the list;
 * every part is optional.
 */
export interface SextantModule<C = unknown> {
  /** Lower-case name, also the folder: `delivery`, `reliability`, ... */
  name: string;
  /**
   * Schema migrations by name. Names are global and sort into one order for
   * SQLite and PostgreSQL; each module numbers in its own range of hundreds
   * (see docs/architecture.md). Never edit a released migration.
   */
  migrations?: Record<string, Migration>;
  /**
   * HTTP routes; the server registers them and describes them in the OpenAPI
   * document. `lookups` holds what other modules answer (kit/lookups.ts).
   */
  routes?(store: Store, lookups: Lookups): RouteSpec[];
  /** `sextant <noun> <verb>` commands. */
  commands?(program: Command, ctx: CliContext): void;
  /** Its part of sextant.yaml. */
  config?: ModuleConfig<C>;
  /** Steps of `sextant sync`, run in module order. */
  sync?: ReadonlyArray<SyncTask<C>>;
  /** What this module answers for modules that may not import it (kit/lookups.ts). */
  lookups?: Lookups;
  /** Writes the module's part of the demo workspace (replacing earlier demo rows). */
  demo?(context: DemoContext): Promise<DemoReport | void>;
}

/** Identity function: lets TypeScript check a module's parts against its configuration type. */
export function defineModule<C = unknown>(module: SextantModule<C>): SextantModule<C> {
  return module;
}

/** A module whatever its configuration type: what lists of modules hold. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each module checks its own C through defineModule
export type AnyModule = SextantModule<any>;
