import type { Command } from 'commander';
import { resolveSettings, type Settings } from '../config/settings.js';
import type { OutputStreams } from './output.js';

/** What every command gets: the environment (read only through settings) and where to write. */
export interface CliContext {
  env: Record<string, string | undefined>;
  out: OutputStreams;
  /** Settings from the global flags (--workspace, --database-url) plus the command's own. */
  settings(command: Command): Settings;
}

export function createCliContext(env: Record<string, string | undefined>, out: OutputStreams): CliContext {
  return {
    env,
    out,
    settings: (command) => {
      const flags = command.optsWithGlobals<{
        workspace?: string;
        databaseUrl?: string;
        host?: string;
        port?: string;
        logLevel?: string;
      }>();
      return resolveSettings(flags, env);
    },
  };
}
