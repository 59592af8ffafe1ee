import type { Command } from 'commander';
import type { Migration } from 'kysely';
import type { Store } from '../store/database.js';
import type { CliContext } from './cli/context.js';
import type { ModuleConfig } from './config.js';
import type { DemoContext, DemoReport } from './demo.js';
import { mergeLookups, type Lookups } from './lookups.js';
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
   * HTTP routes; the server registers them and describes them in the OpenAPI document. `peers`: see
   * ModulePeers; `host`: where the serving process runs (RouteHost).
   */
  routes?(store: Store, peers: ModulePeers, host: RouteHost): RouteSpec[];
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
  /**
   * Daily series the module publishes into the outcomes store (deployments a
   * day, budget left, ...), so they appear in the weekly review like any other
   * metric. Computed from the module's own data for the local days of `range`.
   */
  series?(store: Store, range: SeriesRange): Promise<PublishedSeries[]>;
  /** A section of the weekly business review (open incidents, debt share, ...) for the week `range`. */
  reviewSection?(store: Store, range: SeriesRange): Promise<ReviewSectionContent | null>;
}

/** What the serving process tells routes about where it runs. */
export interface RouteHost {
  /** The workspace folder: relative paths in requests resolve against it. */
  workspaceDir: string;
  /** Further folders repositories written through the API may live in (SEXTANT_REPOSITORY_ROOTS). */
  repositoryRoots: readonly string[];
  /** The workspace's IANA time zone: calendar days and weeks in requests are local to it. */
  timeZone: string;
}

/** Local calendar days `from`..`to` (YYYY-MM-DD, inclusive) in the workspace's IANA zone. */
export interface SeriesRange {
  from: string;
  to: string;
  timeZone: string;
}

/** One published metric: its definition and its daily values. Ids are prefixed with the module's name. */
export interface PublishedSeries {
  metric: {
    id: string;
    name: string;
    unit: 'count' | 'ratio' | 'percent' | 'currency' | 'duration';
    direction: 'up' | 'down';
    aggregation: 'sum' | 'mean' | 'last' | 'min' | 'max';
    description: string;
    owner?: string | null;
    /** A ratio metric: the ids of its numerator and denominator series (published too); it has no points of its own. */
    numerator?: string;
    denominator?: string;
  };
  points: Array<{ date: string; value: number }>;
}

/**
 * A module's part of the weekly review: a title and label/value rows
 * (Markdown-safe text). `href` is the dashboard path of the thing a row names
 * (`/incidents/INC-7`, `/ml?project=churn`): the review page links the label,
 * the readout exports write it as a link.
 */
export interface ReviewSectionContent {
  title: string;
  rows: Array<ReviewRow>;
}

export interface ReviewRow {
  label: string;
  value: string;
  href?: string;
}

/**
 * What one module may use of the others without importing them: the series
 * publishers and review sections of every module, collected by the surface
 * that iterates the module list (server, CLI, sync, demo) and handed down.
 */
export interface ModulePeers {
  series: Array<{ module: string; series: NonNullable<SextantModule['series']> }>;
  reviewSections: Array<{ module: string; section: NonNullable<SextantModule['reviewSection']> }>;
  /** What other modules answer (kit/lookups.ts), merged from every module's `lookups`. */
  lookups: Lookups;
}

export const NO_PEERS: ModulePeers = { series: [], reviewSections: [], lookups: {} };

export function modulePeers(modules: readonly SextantModule<never>[]): ModulePeers {
  return {
    series: modules.flatMap((m) => (m.series ? [{ module: m.name, series: m.series.bind(m) }] : [])),
    reviewSections: modules.flatMap((m) => (m.reviewSection ? [{ module: m.name, section: m.reviewSection.bind(m) }] : [])),
    lookups: mergeLookups(modules.map((m) => m.lookups)),
  };
}

/** Identity function: lets TypeScript check a module's parts against its configuration type. */
export function defineModule<C = unknown>(module: SextantModule<C>): SextantModule<C> {
  return module;
}

/** A module whatever its configuration type: what lists of modules hold. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each module checks its own C through defineModule
export type AnyModule = SextantModule<any>;
