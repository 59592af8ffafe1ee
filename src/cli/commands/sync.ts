import fs from 'node:fs';
import type { Command } from 'commander';
import { loadWorkspaceConfig } from '../../workspace/workspace-file.js';
import { formatIssue, SextantError, ValidationError } from '../../shared/errors.js';
import { MODULES } from '../../modules.js';
import { applyWorkspaceConfig, openWorkspaceStore } from '../../workspace/workspace.js';
import type { CliContext } from '../../kit/cli/context.js';
import { modulePeers } from '../../kit/module.js';
import { printJson } from '../../kit/cli/output.js';
import { createProgress } from '../../kit/cli/progress.js';
import { EXIT_FAILURE, runAction } from '../../kit/cli/run-action.js';

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
          const failures: Array<{ task: string; subject: string; message: string; issues: string[] }> = [];
          for (const task of MODULES.flatMap((module) => module.sync ?? [])) {
            progress.start(task.name);
            summaries[task.name] = await task.run({
              store,
              config,
              workspaceDir: settings.workspaceDir,
              repositoryRoots: settings.repositoryRoots,
              progress,
              peers,
              failed: (subject, error) => {
                if (!(error instanceof SextantError)) throw error;
                const issues = error instanceof ValidationError ? error.issues.map(formatIssue) : [];
                failures.push({ task: task.name, subject, message: error.message, issues });
              },
            });
            progress.finish(summaries[task.name] as string);
          }
          const reports = Object.fromEntries(Object.entries(applied).map(([name, section]) => [name, section.report]));
          if (options.json) printJson(ctx.out, { ...reports, tasks: summaries, failures });
          // Every other repository and source was synced; what failed is listed and the exit status says so.
          for (const failure of failures) {
            ctx.out.stderr.write(`error: ${failure.task}: ${failure.subject}: ${failure.message}\n`);
            for (const issue of failure.issues) ctx.out.stderr.write(`  ${issue}\n`);
          }
          if (failures.length > 0) return EXIT_FAILURE;
        } finally {
          await store.close();
        }
      }),
    );
}
