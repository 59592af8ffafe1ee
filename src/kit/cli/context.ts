import type { Command } from 'commander';
import type { Settings } from '../../config/settings.js';
import type { Store } from '../../store/database.js';
import type { ModulePeers } from '../module.js';
import type { Lookups } from '../lookups.js';
import type { OutputStreams } from './output.js';

/**
 * What every command gets: where to write, the settings from the global flags
 * (--workspace, --database-url) plus the command's own, and the workspace's
 * store, opened and migrated for the length of `body` and closed after it.
 * The CLI (src/cli) implements it; modules only use it.
 */
export interface CliContext {
  env: Record<string, string | undefined>;
  out: OutputStreams;
  /** What modules answer for modules that may not import them (kit/lookups.ts). */
  lookups: Lookups;
  settings(command: Command): Settings;
  /** `demo`: the generated demo workspace in its own file instead of the workspace's store. */
  withStore<T>(command: Command, body: (store: Store) => Promise<T>, options?: { demo?: boolean }): Promise<T>;
  /** The workspace's sextant.yaml, validated whole, or undefined when there is none. */
  workspaceConfig(command: Command): WorkspaceConfigData | undefined;
  /** The other modules' series publishers and review sections. */
  peers?: ModulePeers;
}

/** A validated sextant.yaml: each module reads its own keys with its own schema's types. */
export type WorkspaceConfigData = Readonly<Record<string, unknown>>;
