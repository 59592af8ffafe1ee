import type { Command } from 'commander';
import type { CliContext } from '../kit/cli/context.js';
import { printJson } from '../kit/cli/output.js';
import { runAction } from '../kit/cli/run-action.js';
import { ValidationError } from '../shared/errors.js';
import { parseBatchRows, readBatchFile, type BatchRow } from './batch-file.js';
import { deploymentFromInput, deploymentInput, incidentFromInput, incidentInput } from './model.js';
import { recordDeployments, recordIncidents, type Locate, type RecordReport } from './record.js';

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

interface IncidentFlags {
  file?: string;
  id?: string;
  service?: string;
  severity?: string;
  startedAt?: string;
  detectedAt?: string;
  resolvedAt?: string;
  causedByDeployment?: string;
  causedByCommit?: string;
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
  severity: '--severity',
  detectedAt: '--detected-at',
  resolvedAt: '--resolved-at',
  'causedBy.deployment': '--caused-by-deployment',
  'causedBy.commit': '--caused-by-commit',
  causedBy: '--caused-by-deployment',
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
          ? fromFile(flags.file, 'deployments', (rows, file) => parseBatchRows(rows, deploymentInput, 'deployments', file))
          : fromFlags(() =>
              deploymentInput.parse(
                defined({
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
            );
        return ctx.withStore(command, async (store) => {
          const report = await recordDeployments(store.db, deployments.map(deploymentFromInput), 'cli', locate);
          printReport(ctx, report, 'deployment', flags.json);
        });
      }),
    );

  program
    .command('incident')
    .description('Incidents from incident tools, linked to the deployments that caused them')
    .command('record')
    .description('Record an incident (or a batch from --file JSON/CSV); sending it again replaces it (e.g. once resolved)')
    .option('--file <path>', 'a JSON ({"incidents": [...]}) or CSV file of incidents, for backfill')
    .option('--id <id>', 'stable id from the incident tool')
    .option('--service <id>', 'affected service')
    .option('--severity <level>', 'severity as your tool names it (sev1, P2, ...)')
    .option('--started-at <iso>', 'when the impact started')
    .option('--detected-at <iso>', 'when it was detected')
    .option('--resolved-at <iso>', 'when service was restored')
    .option('--caused-by-deployment <id>', 'the deployment that caused it')
    .option('--caused-by-commit <sha>', 'the commit that caused it')
    .option('--json', 'print the result as JSON')
    .action(
      runAction(ctx.out, async (flags: IncidentFlags, command: Command) => {
        const { items: incidents, locate } = flags.file
          ? fromFile(flags.file, 'incidents', (rows, file) => parseBatchRows(rows, incidentInput, 'incidents', file))
          : fromFlags(() =>
              incidentInput.parse(
                defined({
                  id: flags.id,
                  service: flags.service,
                  severity: flags.severity,
                  startedAt: flags.startedAt,
                  detectedAt: flags.detectedAt,
                  resolvedAt: flags.resolvedAt,
                  causedBy:
                    flags.causedByDeployment || flags.causedByCommit
                      ? defined({ deployment: flags.causedByDeployment, commit: flags.causedByCommit })
                      : undefined,
                }),
              ),
            );
        return ctx.withStore(command, async (store) => {
          const report = await recordIncidents(store.db, incidents.map(incidentFromInput), 'cli', locate);
          printReport(ctx, report, 'incident', flags.json);
        });
      }),
    );
}

function fromFile<T>(file: string, listKey: string, parse: (rows: BatchRow[], display: string) => T[]): { items: T[]; locate: Locate } {
  const { rows, display } = readBatchFile(file, listKey);
  const values = parse(rows, display);
  const locate: Locate = (i, field) => {
    const line = rows[i]?.line;
    return line === undefined ? { field: `${listKey}[${i}].${field}`, file: display } : { field, file: display, line };
  };
  return { items: values, locate };
}

/** One record from flags; schema errors are re-labelled with the flag names. */
function fromFlags<T>(parse: () => T): { items: T[]; locate: Locate } {
  return { items: [parseFlags(parse)], locate: (_i, field) => ({ field: FLAG_OF[field] ?? field }) };
}

function parseFlags<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    const issues = (error as { issues?: Array<{ path: PropertyKey[]; message: string }> }).issues;
    if (!issues) throw error;
    throw new ValidationError(
      'Invalid options',
      issues.map((issue) => {
        const key = issue.path.map(String).join('.');
        return { field: FLAG_OF[key] ?? FLAG_OF[String(issue.path[0])] ?? key, message: issue.message };
      }),
    );
  }
}

function defined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

function printReport(ctx: CliContext, report: RecordReport, noun: string, json: boolean | undefined): void {
  if (json) return printJson(ctx.out, report);
  ctx.out.stdout.write(
    `${report.received} ${noun}${report.received === 1 ? '' : 's'} received: ${report.created} new, ${report.updated} updated, ${report.unchanged} unchanged\n`,
  );
}
