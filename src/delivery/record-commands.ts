import type { Command } from 'commander';
import type { CliContext } from '../kit/cli/context.js';
import { definedValues, printRecordReport, recordFromFlags, recordsFromFile } from '../kit/cli/record-input.js';
import { runAction } from '../kit/cli/run-action.js';
import { deploymentFromInput, deploymentInput } from './model.js';
import { recordDeployments } from './record.js';

interface DeployFlags {
  file?: string;
  id?: string;
  service?: string;
  environment?: string;
  commit?: string;
  startedAt?: string;
  finishedAt?: string;
  status?: string;
  rollbackOf?: string;
  fixes?: string[];
  unplanned?: boolean;
  version?: string;
  json?: boolean;
}

/** Flag names for schema fields, so a bad value is reported as the flag the user typed. */
const FLAG_OF: Record<string, string> = {
  id: '--id',
  service: '--service',
  environment: '--environment',
  commitSha: '--commit',
  startedAt: '--started-at',
  finishedAt: '--finished-at',
  status: '--status',
  rollbackOf: '--rollback-of',
  fixes: '--fixes',
  unplanned: '--unplanned',
  version: '--version',
};

export function registerRecordCommands(program: Command, ctx: CliContext): void {
  program
    .command('deploy')
    .description('Deployments recorded by CI pipelines')
    .command('record')
    .description('Record a deployment (or a batch from --file JSON/CSV); sending the same one again changes nothing')
    .option('--file <path>', 'a JSON ({"deployments": [...]}) or CSV file of deployments, for backfill')
    .option('--id <id>', 'stable id from the pipeline (run id, deploy id)')
    .option('--service <id>', 'service deployed')
    .option('--environment <name>', 'environment (default production)')
    .option('--commit <sha>', 'commit deployed')
    .option('--started-at <iso>', 'when the deployment started')
    .option('--finished-at <iso>', 'when it finished')
    .option('--status <status>', 'success (default) or failure')
    .option('--rollback-of <id>', 'the deployment this one rolls back')
    .option('--fixes <id...>', 'earlier deployments this one fixes forward')
    .option('--unplanned', 'an unplanned deployment (hotfix)')
    .option('--version <name>', 'release name')
    .option('--json', 'print the result as JSON')
    .action(
      runAction(ctx.out, async (flags: DeployFlags, command: Command) => {
        const { items: deployments, locate } = flags.file
          ? recordsFromFile(flags.file, 'deployments', deploymentInput)
          : recordFromFlags(
              () =>
                deploymentInput.parse(
                  definedValues({
                    id: flags.id,
                    service: flags.service,
                    environment: flags.environment,
                    commitSha: flags.commit,
                    startedAt: flags.startedAt,
                    finishedAt: flags.finishedAt,
                    status: flags.status,
                    rollbackOf: flags.rollbackOf,
                    fixes: flags.fixes,
                    unplanned: flags.unplanned,
                    version: flags.version,
                  }),
                ),
              FLAG_OF,
            );
        return ctx.withStore(command, async (store) => {
          const report = await recordDeployments(store.db, deployments.map(deploymentFromInput), 'cli', locate);
          printRecordReport(ctx.out, report, 'deployment', flags.json);
        });
      }),
    );
}
