import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type { CliContext } from '../kit/cli/context.js';
import { printJson, printTable } from '../kit/cli/output.js';
import { runAction } from '../kit/cli/run-action.js';
import { ValidationError } from '../shared/errors.js';
import { dateToInstant, gradeObjectives, type GradeReport } from './grade-report.js';
import { checkinInput } from './model.js';
import type { OkrLinks } from './links.js';
import { loadOkrFile, type OkrFile } from './okr-file.js';
import { quarterAt } from './period.js';
import { checkCheckinFits } from './routes.js';
import { okrReport, type OkrReport } from './service.js';
import { addCheckin, getKeyResult, getObjective, loadSettings } from './store.js';

interface ReportFlags {
  period?: string;
  team?: string;
  at?: string;
  file?: string;
  json?: boolean;
}

/** `sextant okr list|show|checkin|grade`. */
export function registerOkrCommands(program: Command, ctx: CliContext, links: OkrLinks = {}): void {
  const okr = program.command('okr').description('Objectives and key results: progress against live metrics, check-ins, grading');

  okr
    .command('list')
    .description("A period's objectives with their score, band and key results behind")
    .option('--period <id>', 'a quarter such as 2026-Q4, or a custom period (default: the current quarter)')
    .option('--team <id>', 'only this team')
    .option('--at <iso>', 'grade as of this date (default: now)')
    .option('--json', 'print as JSON')
    .action(
      runAction(ctx.out, async (flags: ReportFlags, command: Command) =>
        ctx.withStore(command, async (store) => {
          const report = await workspaceReport(store.db, flags, links);
          if (flags.json) return printJson(ctx.out, report);
          printReport(ctx, report);
        }),
      ),
    );

  okr
    .command('show <objective>')
    .description('One objective: each key result with progress, expected progress, confidence and check-in history')
    .option('--at <iso>', 'grade as of this date (default: now)')
    .option('--json', 'print as JSON')
    .action(
      runAction(ctx.out, async (id: string, flags: ReportFlags, command: Command) =>
        ctx.withStore(command, async (store) => {
          const objective = await getObjective(store.db, id);
          const report = await workspaceReport(store.db, { ...flags, period: objective.period.id }, links);
          const view = report.objectives.find((o) => o.id === id);
          if (flags.json) return printJson(ctx.out, view);
          if (!view) return;
          const out = ctx.out.stdout;
          out.write(`${view.title} (${view.kind}, ${view.period.id}${view.teamId ? `, team ${view.teamId}` : ', company'})\n`);
          out.write(
            `Score ${view.score.toFixed(2)} (${view.band}); expected progress ${report.expectedProgress?.toFixed(2)}${view.flagged ? '; FLAGGED: committed, below 1.0 at period end' : ''}\n\n`,
          );
          printTable(ctx.out, view.keyResults, [
            { header: 'KEY RESULT', value: (kr) => kr.id },
            { header: 'TITLE', value: (kr) => kr.title },
            { header: 'CURRENT', value: (kr) => (kr.kind === 'milestone' ? kr.zone : kr.current) },
            { header: 'PROGRESS', value: (kr) => kr.progress.toFixed(2), align: 'right' },
            { header: 'BEHIND', value: (kr) => (kr.behind ? 'behind' : '') },
            { header: 'CONFIDENCE', value: (kr) => kr.confidenceTrend.map((c) => c.confidence).join(' → ') },
          ]);
        }),
      ),
    );

  okr
    .command('checkin <keyResult>')
    .description('Check in on a key result: confidence 0-10 and a comment, plus a value or zone where the key result takes one')
    .option('--value <n>', 'the current value (key results without a metric)')
    .option('--zone <zone>', 'the zone reached (milestones): fail, commit, target, stretch')
    .option('--confidence <n>', 'confidence 0-10 that the key result will be met')
    .option('--comment <text>', 'what moved and what happens next')
    .option('--author <name>', 'who checks in')
    .option('--at <iso>', 'when the check-in is about (default: now)')
    .option('--id <id>', 'a stable id: re-sending it changes nothing')
    .option('--json', 'print as JSON')
    .action(
      runAction(ctx.out, async (keyResultId: string, flags: Record<string, string | boolean | undefined>, command: Command) => {
        const numeric = (name: string) => (flags[name] === undefined ? undefined : Number(flags[name]));
        const parsed = checkinInput.safeParse({
          ...(flags.id !== undefined ? { id: flags.id } : {}),
          ...(flags.at !== undefined ? { at: flags.at } : {}),
          ...(flags.value !== undefined ? { value: numeric('value') } : {}),
          ...(flags.zone !== undefined ? { zone: flags.zone } : {}),
          ...(flags.confidence !== undefined ? { confidence: numeric('confidence') } : {}),
          ...(flags.comment !== undefined ? { comment: flags.comment } : {}),
          ...(flags.author !== undefined ? { author: flags.author } : {}),
        });
        if (!parsed.success)
          throw new ValidationError(
            'Invalid check-in',
            parsed.error.issues.map((issue) => ({ field: `--${String(issue.path[0] ?? 'input')}`, message: issue.message })),
          );
        return ctx.withStore(command, async (store) => {
          const keyResult = await getKeyResult(store.db, keyResultId);
          checkCheckinFits(keyResult.kind, keyResult.metricId, parsed.data);
          const now = Date.now();
          const at = parsed.data.at ? Date.parse(parsed.data.at) : now;
          const result = await addCheckin(store.db, keyResultId, parsed.data, parsed.data.id ?? randomUUID(), at, now);
          if (flags.json)
            return printJson(ctx.out, { created: result.created, checkin: { ...result.checkin, at: new Date(at).toISOString() } });
          ctx.out.stdout.write(`${result.created ? 'Checked in' : 'Already recorded'}: ${keyResultId} (${result.checkin.id})\n`);
        });
      }),
    );

  okr
    .command('grade')
    .description('Grade objectives: from the workspace (--period) or, with no workspace, from an OKR file (--file)')
    .option('--file <okrs.yaml>', 'grade a file (period, objectives, key results with values) without a workspace')
    .option('--period <id>', 'the workspace period to grade (default: the current quarter)')
    .option('--team <id>', 'only this team (workspace)')
    .option('--at <iso>', 'grade as of this date or instant (default: now)')
    .option('--json', 'print as JSON')
    .action(
      runAction(ctx.out, async (flags: ReportFlags, command: Command) => {
        const at = parseAt(flags.at);
        if (flags.file !== undefined) {
          const report = gradeFile(loadOkrFile(flags.file), at);
          if (flags.json) return printJson(ctx.out, report);
          return printGrades(ctx, report);
        }
        return ctx.withStore(command, async (store) => {
          const report = await workspaceReport(store.db, flags, links);
          if (flags.json) return printJson(ctx.out, report);
          printReport(ctx, report);
        });
      }),
    );
}

/** Grades the zero-config file: each value counts from the start of its day (UTC). */
export function gradeFile(file: OkrFile, at: number): GradeReport {
  return gradeObjectives(
    file.period,
    file.objectives.map((objective) => ({
      ...objective,
      keyResults: objective.keyResults.map((kr) =>
        kr.zone !== undefined
          ? { id: kr.id, title: kr.title, weight: kr.weight, zone: kr.zone }
          : {
              id: kr.id,
              title: kr.title,
              weight: kr.weight,
              start: kr.start as number,
              target: kr.target as number,
              values: kr.values.map((v) => ({ at: dateToInstant(v.date), value: v.value })),
            },
      ),
    })),
    at,
  );
}

function parseAt(value: string | undefined): number {
  if (value === undefined) return Date.now();
  const at = /^\d{4}-\d{2}-\d{2}$/.test(value) ? dateToInstant(value) : Date.parse(value);
  if (Number.isNaN(at))
    throw new ValidationError('Invalid option', [{ field: '--at', message: `"${value}" is not an ISO date or instant` }]);
  return at;
}

async function workspaceReport(db: Parameters<typeof okrReport>[0], flags: ReportFlags, links: OkrLinks): Promise<OkrReport> {
  const at = parseAt(flags.at);
  const settings = await loadSettings(db);
  const metrics = links.metrics?.(db).values;
  return okrReport(db, { period: flags.period ?? quarterAt(at, settings).id, team: flags.team }, at, {
    ...settings,
    ...(metrics ? { metrics } : {}),
  });
}

function printReport(ctx: CliContext, report: OkrReport): void {
  if (report.objectives.length === 0) {
    ctx.out.stdout.write(
      'No objectives in this period. Define them under `okrs:` in sextant.yaml or with PUT /api/v1/okrs/objectives/{id}.\n',
    );
    return;
  }
  ctx.out.stdout.write(
    `${report.period?.id} (${report.period?.start} to ${report.period?.end}); expected progress ${report.expectedProgress?.toFixed(2)}\n\n`,
  );
  printTable(ctx.out, report.objectives, [
    { header: 'OBJECTIVE', value: (o) => o.id },
    { header: 'TEAM', value: (o) => o.teamId ?? 'company' },
    { header: 'KIND', value: (o) => o.kind },
    { header: 'SCORE', value: (o) => o.score.toFixed(2), align: 'right' },
    { header: 'BAND', value: (o) => o.band },
    {
      header: 'BEHIND',
      value: (o) =>
        o.keyResults
          .filter((kr) => kr.behind)
          .map((kr) => kr.id)
          .join(', '),
    },
    { header: 'FLAG', value: (o) => (o.flagged ? 'committed, below 1.0' : '') },
  ]);
}

function printGrades(ctx: CliContext, report: GradeReport): void {
  ctx.out.stdout.write(
    `${report.period.start} to ${report.period.end} at ${report.at}; expected progress ${report.expectedProgress.toFixed(2)}\n\n`,
  );
  printTable(ctx.out, report.objectives, [
    { header: 'OBJECTIVE', value: (o) => o.id },
    { header: 'KIND', value: (o) => o.kind },
    { header: 'SCORE', value: (o) => o.score.toFixed(2), align: 'right' },
    { header: 'BAND', value: (o) => o.band },
    {
      header: 'BEHIND',
      value: (o) =>
        o.keyResults
          .filter((kr) => kr.behind)
          .map((kr) => kr.id)
          .join(', '),
    },
    { header: 'FLAG', value: (o) => (o.flagged ? 'committed, below 1.0' : '') },
  ]);
}
