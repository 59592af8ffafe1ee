import type { z } from 'zod';
import type { Store } from '../store/database.js';

/** A problem found after the schema accepted the file, located by its path in the configuration. */
export interface PathIssue {
  path: Array<string | number>;
  message: string;
}

/**
 * Ids the workspace file defines, for modules' cross-reference checks: a
 * module's section may name a team or a service, and the check says whether it
 * exists. Filled from the org section before any module's `check` runs.
 */
export interface KnownIds {
  teams: ReadonlySet<string>;
  services: ReadonlySet<string>;
  repositories: ReadonlySet<string>;
  people: ReadonlySet<string>;
  /**
   * Metric ids a key result or another section may name: set by the metric
   * store's module (outcomes) when the build has it — the file's own metrics
   * and other modules' published series. Absent: metric ids are not checked.
   */
  metrics?: { has(id: string): boolean };
}

/** What a configuration check may consult besides its own section. */
export interface CheckContext {
  known: KnownIds;
  /** The folder of the file being checked, when it is a file on disk: relative paths resolve from it. */
  baseDir?: string;
}

/**
 * A module's part of `sextant.yaml`: top-level keys with their schemas, the
 * checks a schema cannot make, and its commented lines in `sextant init`'s
 * template. `C` is the parsed object restricted to the module's own keys.
 */
export interface ModuleConfig<C> {
  /** Top-level keys of sextant.yaml this module owns, e.g. `{ delivery: deliveryConfig }`. */
  shape: { [key: string]: z.ZodType };
  /** Checks a schema cannot make (references, files on disk), with paths from the file's root. */
  check?(section: C, context: CheckContext): PathIssue[];
  /**
   * Stores what the section defines (the org applies teams, services, ...).
   * Runs on `serve` and `sync` after the whole file validated, before sync tasks.
   */
  apply?(store: Store, section: C): Promise<AppliedSection>;
  /** The ids the section defines, which other modules' checks receive (the org: teams, services, ...; outcomes: metrics). */
  knownIds?(section: C): Partial<KnownIds>;
  /** The commented YAML `sextant init` writes for this module (valid as written). */
  template?(options: InitTemplateOptions): string;
}

export interface InitTemplateOptions {
  name: string;
  /** The workspace folder is a git repository: `.`; otherwise null. */
  repositoryPath: string | null;
  /** Where the configuration reference is installed (docs/configuration.md of this Sextant). */
  docsFile?: string;
}

/** What applying a section did: one line for people, the details for `--json`. */
export interface AppliedSection {
  summary: string;
  report?: unknown;
}
