import type { Command } from 'commander';
import type { CliContext } from '../kit/cli/context.js';
import { printJson, printTable } from '../kit/cli/output.js';
import { definedValues, printRecordReport, recordFromFlags, recordsFromFile } from '../kit/cli/record-input.js';
import { EXIT_FAILURE, runAction } from '../kit/cli/run-action.js';
import { ValidationError } from '../shared/errors.js';
import { responseMetrics, type DurationStats } from './metrics.js';
import { readMetricsFile } from './metrics-file.js';
import { incidentInput, runbookInput, type RemediationItem } from './model.js';
import { postmortemHtml, postmortemMarkdown } from './postmortem.js';
import { patchFromInput, recordIncidents } from './record.js';
import { incidentJson, postmortemDocument, remediationJson } from './routes.js';
import { runbookJson, setRunbook } from './runbooks.js';
import { incidentMetricsView, incidentsInScope, remediationList, runbookList } from './views.js';

interface IncidentFlags {
  file?: string;
  id?: string;
  title?: string;
  service?: string;
  severity?: string;
  priority?: string;
  startedAt?: string;
  detectedAt?: string;
  acknowledgedAt?: string;
  mitigatedAt?: string;
  resolvedAt?: string;
  closedAt?: string;
  causedByDeployment?: string;
  causedByCommit?: string;
  tag?: string[];
  drill?: boolean;
  json?: boolean;
}

/** Flag names for schema fields, so a bad value is reported as the flag the user typed. */
const FLAG_OF: Record<string, string> = {
  id: '--id',
  title: '--title',
  service: '--service',
  severity: '--severity',
  priority: '--priority',
  startedAt: '--started-at',
  impactStartedAt: '--started-at',
  detectedAt: '--detected-at',
  acknowledgedAt: '--acknowledged-at',
  mitigatedAt: '--mitigated-at',
  resolvedAt: '--resolved-at',
  closedAt: '--closed-at',
  'causedBy.deployment': '--caused-by-deployment',
  'causedBy.commit': '--caused-by-commit',
  causedBy: '--caused-by-deployment',
  tags: '--tag',
};

function instant(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(ms))
    throw new ValidationError('Invalid options', [{ field: flag, message: `"${value}" is not an ISO 8601 instant` }]);
  return ms;
}

const seconds = (v: number | null) => (v === null ? null : v < 3600 ? `${(v / 60).toFixed(1)} min` : `${(v / 3600).toFixed(2)} h`);

export function registerIncidentCommands(program: Command, ctx: CliContext): void {
  const incident = program.command('incident').description('Incidents, postmortems, remediation items and incident metrics');

  incident
    .command('record')
    .description('Record an incident (or a batch from --file JSON/CSV); sending it again updates it (e.g. once resolved)')
    .option('--file <path>', 'a JSON ({"incidents": [...]}) or CSV file of incidents, for backfill')
    .option('--id <id>', 'stable id from the incident tool')
    .option('--title <text>', 'what happened, in a line')
    .option('--service <id>', 'affected service')
    .option('--severity <level>', 'a level of the severity scale (SEV1-SEV4 by default)')
    .option('--priority <p>', 'priority, a separate axis from severity')
    .option('--started-at <iso>', 'when the impact started')
    .option('--detected-at <iso>', 'when it was detected')
    .option('--acknowledged-at <iso>', 'when a responder acknowledged it')
    .option('--mitigated-at <iso>', 'when the impact was mitigated')
    .option('--resolved-at <iso>', 'when service was restored')
    .option('--closed-at <iso>', 'when the incident was closed')
    .option('--caused-by-deployment <id>', 'the deployment that caused it')
    .option('--caused-by-commit <sha>', 'the commit that caused it')
    .option('--tag <tag...>', 'tags (a repeat is the same service and tag within 30 days)')
    .option('--drill', 'a game-day exercise (kept, excluded from metrics)')
    .option('--json', 'print the result as JSON')
    .action(
      runAction(ctx.out, async (flags: IncidentFlags, command: Command) => {
        const { items, locate } = flags.file
          ? recordsFromFile(flags.file, 'incidents', incidentInput)
          : recordFromFlags(
              () =>
                incidentInput.parse(
                  definedValues({
                    id: flags.id,
                    title: flags.title,
                    service: flags.service,
                    severity: flags.severity,
                    priority: flags.priority,
                    startedAt: flags.startedAt,
                    detectedAt: flags.detectedAt,
                    acknowledgedAt: flags.acknowledgedAt,
                    mitigatedAt: flags.mitigatedAt,
                    resolvedAt: flags.resolvedAt,
                    closedAt: flags.closedAt,
                    causedBy:
                      flags.causedByDeployment || flags.causedByCommit
                        ? definedValues({ deployment: flags.causedByDeployment, commit: flags.causedByCommit })
                        : undefined,
                    tags: flags.tag,
                    drill: flags.drill,
                  }),
                ),
              FLAG_OF,
            );
        return ctx.withStore(command, async (store) => {
          const { ids: _ids, ...report } = await recordIncidents(store.db, items.map(patchFromInput), 'cli', locate, ctx.lookups);
          printRecordReport(ctx.out, report, 'incident', flags.json);
        });
      }),
    );

  incident
    .command('metrics')
    .description('MTTA, MTTM and MTTR (p50, p90, mean) and counts; with --file, of a CSV or JSON file without a workspace')
    .option(
      '--file <path>',
      'CSV (id,service,severity,impactStartedAt,detectedAt,acknowledgedAt,mitigatedAt,resolvedAt,drill) or JSON {"incidents": [...]}',
    )
    .option('--at <iso>', 'evaluate at this instant (default: now)')
    .option('--team <id>', 'only this team (workspace mode)')
    .option('--service <id>', 'only this service (workspace mode)')
    .option('--json', 'print the result as JSON')
    .action(
      runAction(
        ctx.out,
        async (flags: { file?: string; at?: string; team?: string; service?: string; json?: boolean }, command: Command) => {
          const at = instant(flags.at, '--at') ?? Date.now();
          if (flags.file) {
            const metrics = responseMetrics(readMetricsFile(flags.file), at);
            return printResponse(ctx, metrics, flags.json);
          }
          return ctx.withStore(command, async (store) => {
            const view = await incidentMetricsView(store.db, { teamId: flags.team, serviceId: flags.service }, at);
            if (flags.json)
              return printJson(ctx.out, {
                ...view.response,
                counts: view.counts,
                postmortems: view.postmortems,
                remediation: view.remediation,
                repeats: view.repeats,
              });
            printResponse(ctx, view.response, false);
            const pm = view.postmortems;
            ctx.out.stdout.write(
              `postmortems: ${pm.published}/${pm.required} required published, ${pm.overdue} overdue; remediation: ${view.remediation.open} open, ${view.remediation.overdue} overdue\n`,
            );
          });
        },
      ),
    );

  incident
    .command('actions')
    .description('Remediation items; exits 1 when any listed item is overdue (for a scheduled reminder)')
    .option('--overdue', 'only the overdue ones')
    .option('--team <id>', 'only this team')
    .option('--at <iso>', 'overdue as of this instant (default: now)')
    .option('--json', 'print the items as JSON')
    .action(
      runAction(ctx.out, async (flags: { overdue?: boolean; team?: string; at?: string; json?: boolean }, command: Command) => {
        const at = instant(flags.at, '--at') ?? Date.now();
        return ctx.withStore(command, async (store) => {
          const items = await remediationList(store.db, { overdue: Boolean(flags.overdue), teamId: flags.team, at });
          const overdue = (r: RemediationItem) => r.status !== 'done' && r.status !== 'wont-do' && r.dueAt < at;
          if (flags.json)
            printJson(ctx.out, { at: new Date(at).toISOString(), items: items.map((r) => remediationJson({ ...r, overdue: overdue(r) })) });
          else
            printTable(ctx.out, items, [
              { header: 'ITEM', value: (r) => r.id },
              { header: 'TEAM', value: (r) => r.teamId },
              { header: 'OWNER', value: (r) => r.owner },
              { header: 'DUE', value: (r) => new Date(r.dueAt).toISOString().slice(0, 10) },
              { header: 'STATUS', value: (r) => (overdue(r) ? `${r.status} (overdue)` : r.status) },
              { header: 'ACTION', value: (r) => r.description },
            ]);
          return items.some(overdue) ? EXIT_FAILURE : undefined;
        });
      }),
    );

  incident
    .command('list')
    .description('Incidents, newest first')
    .option('--team <id>', 'only this team')
    .option('--service <id>', 'only this service')
    .option('--severity <level>', 'only this severity')
    .option('--status <status>', 'only this status')
    .option('--json', 'print as JSON')
    .action(
      runAction(
        ctx.out,
        async (flags: { team?: string; service?: string; severity?: string; status?: string; json?: boolean }, command: Command) =>
          ctx.withStore(command, async (store) => {
            const incidents = await incidentsInScope(store.db, {
              teamId: flags.team,
              serviceId: flags.service,
              severity: flags.severity,
              status: flags.status,
            });
            if (flags.json) return printJson(ctx.out, { items: incidents.map(incidentJson) });
            printTable(ctx.out, incidents, [
              { header: 'ID', value: (i) => i.id },
              { header: 'STARTED', value: (i) => new Date(i.milestones.impactStartedAt).toISOString().slice(0, 16) },
              { header: 'SERVICE', value: (i) => i.serviceId },
              { header: 'SEVERITY', value: (i) => i.severity },
              { header: 'STATUS', value: (i) => (i.drill ? `${i.status} (drill)` : i.status) },
              {
                header: 'TTR',
                value: (i) =>
                  seconds(i.milestones.resolvedAt === null ? null : (i.milestones.resolvedAt - i.milestones.impactStartedAt) / 1000),
                align: 'right',
              },
              { header: 'TITLE', value: (i) => i.title },
            ]);
          }),
      ),
    );

  incident
    .command('postmortem')
    .description("Print an incident's postmortem as Markdown (default) or a self-contained HTML page")
    .argument('<id>', 'the incident id')
    .option('--format <format>', 'md or html', 'md')
    .option('--shareable', 'the shareable version (internal notes dropped)')
    .action(
      runAction(ctx.out, async (id: string, flags: { format: string; shareable?: boolean }, command: Command) => {
        if (flags.format !== 'md' && flags.format !== 'html')
          throw new ValidationError('Invalid options', [{ field: '--format', message: 'must be md or html' }]);
        return ctx.withStore(command, async (store) => {
          const doc = await postmortemDocument(store, id, flags.shareable ? 'shareable' : 'internal');
          ctx.out.stdout.write(flags.format === 'md' ? postmortemMarkdown(doc) : postmortemHtml(doc));
        });
      }),
    );

  const runbook = incident.command('runbook').description('Runbook URL and last-reviewed day per service (stale after 90 days)');

  runbook
    .command('list')
    .description('Every runbook, flagged stale when not reviewed in 90 days')
    .option('--at <iso>', 'stale as of this instant (default: now)')
    .option('--json', 'print as JSON')
    .action(
      runAction(ctx.out, async (flags: { at?: string; json?: boolean }, command: Command) => {
        const at = instant(flags.at, '--at') ?? Date.now();
        return ctx.withStore(command, async (store) => {
          const items = (await runbookList(store.db, at)).map(runbookJson);
          if (flags.json) return printJson(ctx.out, { at: new Date(at).toISOString(), items });
          printTable(ctx.out, items, [
            { header: 'SERVICE', value: (r) => r.serviceId },
            { header: 'REVIEWED', value: (r) => r.lastReviewedAt?.slice(0, 10) ?? 'never' },
            { header: 'STALE', value: (r) => (r.stale ? 'stale' : '') },
            { header: 'SOURCE', value: (r) => r.source },
            { header: 'URL', value: (r) => r.url },
          ]);
        });
      }),
    );

  runbook
    .command('set')
    .description("Set a service's runbook (refused when sextant.yaml defines it: change it there)")
    .argument('<service>', 'the service id')
    .requiredOption('--url <url>', 'the runbook URL (http or https)')
    .requiredOption('--reviewed <date>', 'the day it was last reviewed, YYYY-MM-DD (not in the future)')
    .option('--json', 'print the runbook as JSON')
    .action(
      runAction(ctx.out, async (service: string, flags: { url: string; reviewed: string; json?: boolean }, command: Command) => {
        const parsed = runbookInput.safeParse({ url: flags.url, lastReviewed: flags.reviewed });
        if (!parsed.success)
          throw new ValidationError(
            'Invalid options',
            parsed.error.issues.map((issue) => ({ field: issue.path[0] === 'url' ? '--url' : '--reviewed', message: issue.message })),
          );
        return ctx.withStore(command, async (store) => {
          const saved = runbookJson(
            await setRunbook(store.db, service, parsed.data, Date.now(), { service: 'SERVICE', url: '--url', lastReviewed: '--reviewed' }),
          );
          if (flags.json) return printJson(ctx.out, saved);
          ctx.out.stdout.write(
            `Runbook of ${saved.serviceId}: ${saved.url}, reviewed ${saved.lastReviewedAt?.slice(0, 10)}${saved.stale ? ' (stale)' : ''}\n`,
          );
        });
      }),
    );
}

function printResponse(ctx: CliContext, metrics: ReturnType<typeof responseMetrics>, json: boolean | undefined): void {
  if (json) return printJson(ctx.out, metrics);
  const row = (name: string, s: DurationStats) => ({ name, ...s });
  ctx.out.stdout.write(`${metrics.incidents} incidents (${metrics.drills} drills excluded), ${metrics.open} open\n`);
  printTable(
    ctx.out,
    [row('MTTA', metrics.mtta), row('MTTM', metrics.mttm), row('MTTR', metrics.mttr)],
    [
      { header: 'METRIC', value: (r) => r.name },
      { header: 'COUNT', value: (r) => r.count, align: 'right' },
      { header: 'P50', value: (r) => seconds(r.p50Seconds), align: 'right' },
      { header: 'P90', value: (r) => seconds(r.p90Seconds), align: 'right' },
      { header: 'MEAN', value: (r) => seconds(r.meanSeconds), align: 'right' },
    ],
  );
}
