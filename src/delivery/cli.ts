import type { Command } from 'commander';
import type { CliContext } from '../kit/cli/context.js';
import { printJson, printTable } from '../kit/cli/output.js';
import { createProgress } from '../kit/cli/progress.js';
import { runAction } from '../kit/cli/run-action.js';
import { parseDoraOptions, type DoraCliOptions } from './dora-options.js';
import { doraFromGit, emptyWindowHint } from './git-dora.js';
import { deploymentRowJson, describeWindow, doraReportJson, formatSeconds, metricLines } from './dora-report.js';
import { deploymentsIn } from './delivery-summary.js';
import { registerRecordCommands } from './record-commands.js';

/** `sextant dora`, `sextant deploy record`, `sextant incident record`. */
export function registerDeliveryCommands(program: Command, ctx: CliContext): void {
  registerDoraCommand(program, ctx);
  registerRecordCommands(program, ctx);
}

function registerDoraCommand(program: Command, ctx: CliContext): void {
  program
    .command('dora')
    .description('DORA metrics of a git repository, with no configuration: release tags are deployments, reverts are failures')
    .requiredOption('--repo <path>', 'git repository (work tree or bare)')
    .option('--tags <regex>', 'tags that are deployments (default: release tags, pre-releases excluded)')
    .option('--since <iso>', 'window start (default: 90 days before --until)')
    .option('--until <iso>', 'window end, exclusive (default: now)')
    .option('--window <mode>', 'fixed (--since/--until, default) or last-data: the window ends at the latest deployment')
    .option('--service <name>', 'service name to report under (default: the repository folder name)')
    .option('--path <glob...>', "monorepo: only commits touching these paths are the service's changes")
    .option('--timezone <zone>', 'IANA zone for deploy-days and weeks', 'UTC')
    .option('--benchmark <year>', 'DORA benchmark year for tiers: 2023 or 2024', '2024')
    .option('--median <method>', 'p50 method: linear (interpolated) or lower (lower middle value)', 'linear')
    .option('--lead-time-start <time>', "where a change's lead time starts: author or committer time", 'author')
    .option('--baseline-days <n>', 'the first deployment ships only commits this recent', '30')
    .option('--revert-window-days <n>', 'a revert shipped within this many days fails the reverted deployment', '7')
    .option('--deployments', 'also list the deployments in the window')
    .option('--json', 'print as JSON')
    .action(
      runAction(ctx.out, async (raw: DoraCliOptions) => {
        const options = parseDoraOptions(raw, Date.now());
        const progress = createProgress(ctx.out.stderr);
        const result = await doraFromGit({ ...options.request, progress });
        const report = doraReportJson(result.summary, result.assessment, options.request.summary.timeZone);
        if (raw.json) {
          return printJson(ctx.out, {
            repo: result.repoPath,
            service: options.request.serviceId,
            tagPattern: options.request.tagPattern.source,
            paths: options.request.paths,
            ...report,
            options: options.described,
          });
        }
        const out = ctx.out.stdout;
        out.write(`DORA metrics: ${options.request.serviceId} (${result.repoPath})\n`);
        out.write(`Window: ${describeWindow(result.summary.window, options.request.summary.timeZone)}\n`);
        out.write(`Deployments: tags matching /${options.request.tagPattern.source}/; tiers: DORA ${result.summary.tiers.benchmark}\n\n`);
        printTable(ctx.out, metricLines(result.summary), [
          { header: 'METRIC', value: (m) => m.metric },
          { header: 'VALUE', value: (m) => m.value },
          { header: 'TIER', value: (m) => m.tier },
        ]);
        if (raw.deployments) {
          out.write('\n');
          printTable(ctx.out, deploymentsIn(result.assessment, result.summary.window).map(deploymentRowJson), [
            { header: 'DEPLOYMENT', value: (d) => d.version ?? d.id },
            { header: 'FINISHED', value: (d) => d.finishedAt },
            { header: 'CHANGES', value: (d) => d.changes, align: 'right' },
            { header: 'FAILED', value: (d) => (d.failed ? d.failureReasons.map((r) => r.kind).join(', ') : '') },
            {
              header: 'RESTORED AFTER',
              value: (d) => (d.restoredAt === null ? '' : formatSeconds((Date.parse(d.restoredAt) - Date.parse(d.finishedAt)) / 1000)),
            },
            { header: 'UNPLANNED', value: (d) => d.unplannedReasons.map((r) => r.kind).join(', ') },
          ]);
        }
        if (result.summary.deployments.count === 0) {
          ctx.out.stderr.write(
            result.assessment.deployments.length === 0
              ? `\nNo tag matches /${options.request.tagPattern.source}/: pass --tags REGEX to say which tags are releases.\n`
              : `\n${emptyWindowHint(result.assessment, result.summary.window)}\n`,
          );
        }
      }),
    );
}
