import fs from 'node:fs';
import type { Command } from 'commander';
import { loadWorkspaceConfig } from '../../workspace/workspace-file.js';
import { ValidationError } from '../../shared/errors.js';
import { MODULES } from '../../modules.js';
import { applyWorkspaceConfig, openWorkspaceStore } from '../../workspace/workspace.js';
import type { CliContext } from '../../kit/cli/context.js';
import { modulePeers } from '../../kit/module.js';
import { printJson } from '../../kit/cli/output.js';
import { createProgress } from '../../kit/cli/progress.js';
import { runAction } from '../../kit/cli/run-action.js';

export function registerSync(program: Command, ctx: CliContext): void {
  program
    .command('sync')
    .description('Apply sextant.yaml, then run the ingestion of every configured source')
    .option('--json', 'print a machine-readable summary')
    .action(
      runAction(ctx.out, async (options: { json?: boolean }, command: Command) => {
        const settings = ctx.settings(command);
        if (!fs.existsSync(settings.configFile)) {
          throw new ValidationError('Nothing to sync', [
            { field: '(file)', file: settings.configFile, message: 'not found: run `sextant init` first' },
          ]);
        }
        const config = loadWorkspaceConfig(settings.configFile);
        const { store } = await openWorkspaceStore(settings);
        try {
          const progress = createProgress(ctx.out.stderr);
          progress.start('configuration');
          const applied = await applyWorkspaceConfig(store, config);
          progress.finish(
            Object.entries(applied)
              .map(([name, section]) => `${name}: ${section.summary}`)
              .join('; '),
          );
          const summaries: Record<string, string> = Object.fromEntries(
            Object.entries(applied).map(([name, section]) => [name, section.summary]),
          );
          const peers = modulePeers(MODULES);
          for (const task of MODULES.flatMap((module) => module.sync ?? [])) {
            progress.start(task.name);
            summaries[task.name] = await task.run({ store, config, workspaceDir: settings.workspaceDir, progress, peers });
            progress.finish(summaries[task.name] as string);
          }
          const reports = Object.fromEntries(Object.entries(applied).map(([name, section]) => [name, section.report]));
          if (options.json) printJson(ctx.out, { ...reports, tasks: summaries });
        } finally {
          await store.close();
        }
      }),
    );
}
