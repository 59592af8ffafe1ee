import fs from 'node:fs';
import type { Command } from 'commander';
import { loadWorkspaceConfig } from '../../config/workspace-file.js';
import { ValidationError } from '../../shared/errors.js';
import { syncTasks } from '../../sources/sync-tasks.js';
import { applyWorkspaceConfig, openWorkspaceStore } from '../../workspace/workspace.js';
import type { CliContext } from '../cli-context.js';
import { printJson } from '../output.js';
import { createProgress } from '../progress.js';
import { runAction } from '../run-action.js';

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
          progress.start('org');
          const org = await applyWorkspaceConfig(store, config);
          const summaries: Record<string, string> = {
            org: `${org.upserted.teams} teams, ${org.upserted.services} services, ${org.upserted.repositories} repositories, ${org.upserted.people} people`,
          };
          progress.finish(summaries.org as string);
          for (const task of syncTasks) {
            progress.start(task.name);
            summaries[task.name] = await task.run({ store, config, workspaceDir: settings.workspaceDir, progress });
            progress.finish(summaries[task.name] as string);
          }
          if (options.json) printJson(ctx.out, { org, tasks: summaries });
        } finally {
          await store.close();
        }
      }),
    );
}
