import type { Command } from 'commander';
import { resolveSettings } from '../config/settings.js';
import type { CliContext } from '../kit/cli/context.js';
import { modulePeers } from '../kit/module.js';
import { MODULES } from '../modules.js';
import type { OutputStreams } from '../kit/cli/output.js';
import { LOOKUPS } from '../modules.js';
import { loadWorkspaceConfig } from '../workspace/workspace-file.js';
import { openDemoWorkspace, openWorkspaceStore } from '../workspace/workspace.js';
import fs from 'node:fs';

/** The CLI's implementation of what modules' commands get (src/kit/cli/context.ts). */
export function createCliContext(env: Record<string, string | undefined>, out: OutputStreams): CliContext {
  const settings = (command: Command) => {
    const flags = command.optsWithGlobals<{
      workspace?: string;
      databaseUrl?: string;
      host?: string;
      port?: string;
      logLevel?: string;
      shutdownGrace?: string;
      publicHost?: string[];
    }>();
    return resolveSettings(flags, env);
  };
  return {
    env,
    out,
    lookups: LOOKUPS,
    settings,
    peers: modulePeers(MODULES),
    async withStore(command, body, options = {}) {
      const { store } = options.demo ? await openDemoWorkspace(settings(command)) : await openWorkspaceStore(settings(command));
      try {
        return await body(store);
      } finally {
        await store.close();
      }
    },
    workspaceConfig(command) {
      const { configFile } = settings(command);
      return fs.existsSync(configFile) ? loadWorkspaceConfig(configFile) : undefined;
    },
  };
}
