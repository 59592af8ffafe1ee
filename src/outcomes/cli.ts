import fs from 'node:fs';
import type { Command } from 'commander';
import type { CliContext } from '../kit/cli/context.js';
import { printJson, printTable } from '../kit/cli/output.js';
import { runAction } from '../kit/cli/run-action.js';
import { NO_PEERS } from '../kit/module.js';
import { ValidationError } from '../shared/errors.js';
import { dailySeries, periodValue, type Aggregation } from './aggregate.js';
import { boxTotals, type BoxUnit } from './box.js';
import { parseAnnotationsCsv, parsePointsCsv, parseSeriesCsv } from './csv-files.js';
import { dateOf, dayOf, isCalendarDate } from './dates.js';
import { aggregations, metricDefinitionInput, metricId, metricUnits } from './model.js';
import { toDefinition } from './outcomes-config.js';
import { publishReadout } from './publish.js';
import { BOX_ROWS, formatChange, formatValue } from '../shared/display/metric-format.js';
import { edgeChecks, metricCharts, treeView, weeklyReview } from './review.js';
import * as store from './store.js';
import { todayUtc, weekParam } from './week.js';
import { xmr } from './xmr.js';

function readFile(file: string, field: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ValidationError(`Cannot read ${file}`, [{ field, file, message: (error as Error).message }]);
  }
}

function positiveInt(text: string | undefined, field: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 2)
    throw new ValidationError(`Invalid ${field}`, [{ field, message: `"${text}" must be a whole number of at least 2` }]);
  return n;
}

function oneOf<T extends string>(text: string | undefined, allowed: readonly T[], field: string, fallback: T): T {
  if (text === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(text))
    throw new ValidationError(`Invalid ${field}`, [{ field, message: `must be one of ${allowed.join(', ')}` }]);
  return text as T;
}

function numberOption(text: string | undefined, field: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n))
    throw new ValidationError(`Invalid ${field}`, [{ field, message: `"${text}" is not a number` }]);
  return n;
}

/** `sextant metric ...`, `sextant xmr`, `sextant review show|publish`, `sextant northstar check`. */
export function registerOutcomesCommands(program: Command, ctx: CliContext): void {
  const peers = ctx.peers ?? NO_PEERS;
  const metric = program.command('metric').description('Outcome metrics: definitions, daily points, 6-12 boxes');

  metric
    .command('define')
    .description('Create or replace a metric definition in the workspace')
    .argument('<id>', 'metric id, e.g. weekly-active-teams')
    .requiredOption('--name <name>', 'display name')
    .option('--unit <unit>', `one of ${metricUnits.join(', ')}`, 'count')
    .option('--direction <up|down>', 'which way is good', 'up')
    .option('--aggregation <how>', `days into weeks and months: ${aggregations.join(', ')}`, 'sum')
    .option('--owner <owner>', 'team or person who writes the weekly note')
    .option('--description <text>', 'how it is measured', '')
    .option('--numerator <metric>', 'ratio metrics: the numerator metric')
    .option('--denominator <metric>', 'ratio metrics: the denominator metric')
    .option('--target-week <n>', 'weekly target')
    .option('--target-month <n>', 'monthly target')
    .option('--json', 'print the stored definition')
    .action(
      runAction(ctx.out, async (id: string, options: Record<string, string | boolean | undefined>, command: Command) => {
        const idCheck = metricId.safeParse(id);
        if (!idCheck.success)
          throw new ValidationError('Invalid metric id', [{ field: 'id', message: idCheck.error.issues[0]?.message ?? 'invalid' }]);
        const targetWeek = numberOption(options.targetWeek as string | undefined, '--target-week');
        const targetMonth = numberOption(options.targetMonth as string | undefined, '--target-month');
        const parsed = metricDefinitionInput.safeParse({
          name: options.name,
          unit: options.unit,
          direction: options.direction,
          aggregation: options.aggregation,
          description: options.description,
          ...(options.owner ? { owner: options.owner } : {}),
          ...(options.numerator ? { numerator: options.numerator } : {}),
          ...(options.denominator ? { denominator: options.denominator } : {}),
          ...(targetWeek !== undefined || targetMonth !== undefined
            ? {
                target: {
                  ...(targetWeek !== undefined ? { week: targetWeek } : {}),
                  ...(targetMonth !== undefined ? { month: targetMonth } : {}),
                },
              }
            : {}),
        });
        if (!parsed.success)
          throw new ValidationError(
            'Invalid metric definition',
            parsed.error.issues.map((i) => ({ field: `--${String(i.path[0] ?? 'definition')}`, message: i.message })),
          );
        await ctx.withStore(command, async (st) => {
          await store.defineMetrics(st.db, [toDefinition(id, parsed.data, 'cli')], 'metric');
          const stored = await store.getMetric(st.db, id);
          if (options.json) printJson(ctx.out, stored);
          else ctx.out.stdout.write(`Defined ${id} (${stored.unit}, ${stored.aggregation}, ${stored.direction} is good).\n`);
        });
      }),
    );

  metric
    .command('push')
    .description("Set a metric's value for one day (idempotent)")
    .argument('<metric>', 'metric id')
    .argument('<value>', 'the day’s value')
    .option('--date <YYYY-MM-DD>', 'the day (default: today, UTC)')
    .action(
      runAction(ctx.out, async (id: string, valueText: string, options: { date?: string }, command: Command) => {
        const value = numberOption(valueText, 'value') as number;
        const date = options.date ?? dateOf(todayUtc());
        if (!isCalendarDate(date))
          throw new ValidationError('Invalid --date', [{ field: '--date', message: `"${date}" is not a calendar date YYYY-MM-DD` }]);
        await ctx.withStore(command, async (st) => {
          await store.writePoints(st, [{ metric: id, date, value }]);
          ctx.out.stdout.write(`${id} ${date} = ${value}\n`);
        });
      }),
    );

  metric
    .command('import')
    .description('Import daily points from CSV (date,metric,value or wide date,m1,m2,...) or annotations (date,metric,text,author)')
    .argument('<file>', 'CSV file')
    .option('--annotations', 'the file holds annotations')
    .option('--json', 'print {"written": n}')
    .action(
      runAction(ctx.out, async (file: string, options: { annotations?: boolean; json?: boolean }, command: Command) => {
        const text = readFile(file, 'file');
        const written = await ctx.withStore(command, async (st) => {
          if (options.annotations) {
            const { rows, lines } = parseAnnotationsCsv(text, file);
            return store.addAnnotations(st.db, rows, { file, lines });
          }
          const { rows, lines } = parsePointsCsv(text, file);
          return store.writePoints(st, rows, { file, lines });
        });
        if (options.json) printJson(ctx.out, { written });
        else ctx.out.stdout.write(`${written} ${options.annotations ? 'annotations' : 'points'} imported from ${file}.\n`);
      }),
    );

  metric
    .command('list')
    .description('Metric definitions')
    .option('--json', 'print {"items": [...]}')
    .action(
      runAction(ctx.out, async (options: { json?: boolean }, command: Command) => {
        const metrics = await ctx.withStore(command, (st) => store.listMetrics(st.db));
        if (options.json) return printJson(ctx.out, { items: metrics });
        printTable(ctx.out, metrics, [
          { header: 'ID', value: (m) => m.id },
          { header: 'NAME', value: (m) => m.name },
          { header: 'UNIT', value: (m) => m.unit },
          { header: 'AGGREGATION', value: (m) => (m.numerator ? `${m.numerator} / ${m.denominator}` : m.aggregation) },
          { header: 'GOOD', value: (m) => m.direction },
          { header: 'OWNER', value: (m) => m.owner },
          { header: 'SOURCE', value: (m) => m.source },
        ]);
      }),
    );

  metric
    .command('show')
    .description("A metric's definition, box and signals for a week")
    .argument('<metric>', 'metric id')
    .option('--week <YYYY-MM-DD>', 'week-ending date (default: last Sunday)')
    .option('--json', 'print the definition and chart data')
    .action(
      runAction(ctx.out, async (id: string, options: { week?: string; json?: boolean }, command: Command) => {
        const week = weekParam(options.week, '--week', todayUtc());
        await ctx.withStore(command, async (st) => {
          const definition = await store.getMetric(st.db, id);
          const chart = (await metricCharts(st.db, [definition], week)).get(id);
          if (options.json) return printJson(ctx.out, { metric: definition, chart });
          if (!chart) return;
          ctx.out.stdout.write(`${definition.name} (${id}), week ending ${chart.weekEnding}\n${definition.description}\n\n`);
          printTable(
            ctx.out,
            BOX_ROWS.map(([key, label, kind]) => ({
              label,
              text: kind === 'value' ? formatValue(definition.unit, chart.box[key]) : formatChange(definition.unit, chart.box[key]),
            })),
            [
              { header: 'BOX', value: (r) => r.label },
              { header: 'VALUE', value: (r) => r.text, align: 'right' },
            ],
          );
          const signals = [
            ...chart.weekly.signals.map((s) => ({ grain: 'week', ...s })),
            ...chart.monthly.signals.map((s) => ({ grain: 'month', ...s })),
          ];
          ctx.out.stdout.write(signals.length === 0 ? '\nNo signals: routine variation.\n' : '\n');
          if (signals.length > 0)
            printTable(ctx.out, signals, [
              { header: 'GRAIN', value: (s) => s.grain },
              { header: 'PERIOD', value: (s) => s.period },
              { header: 'RULE', value: (s) => s.rule },
              { header: 'DIRECTION', value: (s) => s.direction },
            ]);
        });
      }),
    );

  metric
    .command('box')
    .description('Zero-config: the WBR box of a daily date,value CSV for a week')
    .requiredOption('--csv <file>', 'daily rows date,value')
    .requiredOption('--week-ending <YYYY-MM-DD>', 'the last day of the week')
    .option('--aggregate <how>', 'sum, mean or last', 'sum')
    .option('--unit <unit>', 'count (comparisons as fractions) or ratio (basis points)', 'count')
    .option('--json', 'print the box as JSON')
    .action(
      runAction(ctx.out, async (options: { csv: string; weekEnding: string; aggregate?: string; unit?: string; json?: boolean }) => {
        const aggregation = oneOf<Aggregation>(options.aggregate, ['sum', 'mean', 'last'], '--aggregate', 'sum');
        const unit = oneOf<BoxUnit>(options.unit, ['count', 'ratio'], '--unit', 'count');
        if (!isCalendarDate(options.weekEnding))
          throw new ValidationError('Invalid --week-ending', [
            { field: '--week-ending', message: `"${options.weekEnding}" is not a calendar date YYYY-MM-DD` },
          ]);
        const rows = parseSeriesCsv(readFile(options.csv, '--csv'), options.csv, { daily: true });
        const box = boxTotals(
          periodValue(dailySeries(rows.map((r) => ({ day: dayOf(r.date), value: r.value }))), aggregation),
          dayOf(options.weekEnding),
          unit,
        );
        if (options.json) return printJson(ctx.out, box);
        const display = unit === 'ratio' ? 'ratio' : 'count';
        printTable(
          ctx.out,
          BOX_ROWS.map(([key, label, kind]) => ({
            label,
            text: kind === 'value' ? formatValue(display, box[key]) : formatChange(display, box[key]),
          })),
          [
            { header: 'BOX', value: (r) => r.label },
            { header: 'VALUE', value: (r) => r.text, align: 'right' },
          ],
        );
      }),
    );

  program
    .command('xmr')
    .description('Zero-config process-behaviour chart: a date,value CSV in, limits and signals out')
    .requiredOption('--csv <file>', 'rows date,value, one per period, in order')
    .option('--baseline <n>', 'limits from the first N points (default 12)')
    .option('--json', 'print limits and signals as JSON')
    .action(
      runAction(ctx.out, async (options: { csv: string; baseline?: string; json?: boolean }) => {
        const baseline = positiveInt(options.baseline, '--baseline', 12);
        const rows = parseSeriesCsv(readFile(options.csv, '--csv'), options.csv);
        const chart = xmr(
          rows.map((r) => r.value),
          { baseline },
        );
        if (!chart)
          throw new ValidationError('Not enough data', [{ field: '--csv', file: options.csv, message: 'needs at least two rows' }]);
        const result = {
          centreLine: chart.centreLine,
          averageMovingRange: chart.averageMovingRange,
          lowerLimit: chart.lowerLimit,
          upperLimit: chart.upperLimit,
          upperRangeLimit: chart.upperRangeLimit,
          trial: chart.trial,
          baselinePoints: chart.baselinePoints,
          signals: chart.signals.map((s) => ({
            index: s.index,
            date: (rows[s.index] as { date: string }).date,
            rule: s.rule,
            direction: s.direction,
          })),
        };
        if (options.json) return printJson(ctx.out, result);
        const f = (v: number) => String(Math.round(v * 1000) / 1000);
        ctx.out.stdout.write(
          `Centre line ${f(result.centreLine)}, limits ${f(result.lowerLimit)} to ${f(result.upperLimit)}, average moving range ${f(result.averageMovingRange)}, upper range limit ${f(result.upperRangeLimit)}${result.trial ? ` (trial limits: ${result.baselinePoints} of ${baseline} baseline points)` : ''}\n`,
        );
        if (result.signals.length === 0) ctx.out.stdout.write('No signals: routine variation only.\n');
        else
          printTable(ctx.out, result.signals, [
            { header: 'INDEX', value: (s) => s.index, align: 'right' },
            { header: 'DATE', value: (s) => s.date },
            { header: 'RULE', value: (s) => s.rule, align: 'right' },
            { header: 'DIRECTION', value: (s) => s.direction },
          ]);
      }),
    );

  const review = program.command('review').description('The weekly business review');
  review
    .command('show')
    .description("A week's review: each deck metric's box and signals, and the owners' notes")
    .option('--week <YYYY-MM-DD>', 'week-ending date (default: last Sunday)')
    .option('--json', 'print the whole review')
    .action(
      runAction(ctx.out, async (options: { week?: string; json?: boolean }, command: Command) => {
        const week = weekParam(options.week, '--week', todayUtc());
        const result = await ctx.withStore(command, (st) => weeklyReview(st, week, peers, workspaceTimeZone(ctx, command)));
        if (options.json) return printJson(ctx.out, result);
        ctx.out.stdout.write(
          `Weekly business review, week ${result.weekStart} to ${result.weekEnding}${result.published ? ' (published)' : ''}\n`,
        );
        for (const section of result.sections) {
          ctx.out.stdout.write(`\n${section.title}\n`);
          printTable(ctx.out, section.metrics, [
            { header: 'METRIC', value: (m) => m.metric.id },
            { header: 'LAST WEEK', value: (m) => formatValue(m.metric.unit, m.chart.box.lastWeek), align: 'right' },
            { header: 'WOW', value: (m) => formatChange(m.metric.unit, m.chart.box.weekOverWeek), align: 'right' },
            { header: 'YOY', value: (m) => formatChange(m.metric.unit, m.chart.box.yoyWeek), align: 'right' },
            {
              header: 'SIGNALS',
              value: (m) =>
                m.chart.weekly.signals
                  .filter((s) => s.period === result.weekEnding)
                  .map((s) => `rule ${s.rule} ${s.direction}`)
                  .join(', ') || '-',
            },
            { header: 'NOTE', value: (m) => (m.note ? m.note.text.slice(0, 60) : '(none)') },
          ]);
        }
        if (result.missingNotes.length > 0)
          ctx.out.stdout.write(
            `\nNo note yet: ${result.missingNotes.map((m) => `${m.metric}${m.owner ? ` (${m.owner})` : ''}`).join(', ')}\n`,
          );
      }),
    );
  review
    .command('publish')
    .description('Freeze a week as an immutable readout (Markdown and HTML exports)')
    .requiredOption('--week <YYYY-MM-DD>', 'week-ending date')
    .option('--by <name>', 'who publishes', 'cli')
    .option('--out <dir>', 'also write readout-<week>.md and .html here')
    .option('--json', 'print {"weekEnding", "publishedAt", "missingNotes"}')
    .action(
      runAction(ctx.out, async (options: { week: string; by: string; out?: string; json?: boolean }, command: Command) => {
        const week = weekParam(options.week, '--week', todayUtc());
        await ctx.withStore(command, async (st) => {
          const snapshot = await publishReadout(st, week, options.by, peers, { timeZone: workspaceTimeZone(ctx, command) });
          if (options.out) {
            const stored = await store.getReadout(st.db, dateOf(week));
            fs.mkdirSync(options.out, { recursive: true });
            fs.writeFileSync(`${options.out}/readout-${stored.weekEnding}.md`, stored.markdown);
            fs.writeFileSync(`${options.out}/readout-${stored.weekEnding}.html`, stored.html);
          }
          const summary = {
            weekEnding: snapshot.review.weekEnding,
            publishedAt: snapshot.publishedAt,
            missingNotes: snapshot.review.missingNotes,
          };
          if (options.json) return printJson(ctx.out, summary);
          ctx.out.stdout.write(`Published the week ending ${summary.weekEnding}; ${summary.missingNotes.length} metrics without a note.\n`);
        });
      }),
    );

  program
    .command('northstar')
    .description('The North Star tree')
    .command('check')
    .description('Do the inputs still drive the North Star: each edge’s lead/lag verdict')
    .option('--week <YYYY-MM-DD>', 'week-ending date (default: last Sunday)')
    .option('--json', 'print {"weekEnding", "edges": [...]}')
    .action(
      runAction(ctx.out, async (options: { week?: string; json?: boolean }, command: Command) => {
        const week = weekParam(options.week, '--week', todayUtc());
        const view = await ctx.withStore(command, (st) => treeView(st.db, week));
        const edges = edgeChecks(view);
        if (options.json) return printJson(ctx.out, { weekEnding: view.weekEnding, edges });
        printTable(ctx.out, edges, [
          { header: 'INPUT', value: (e) => e.child },
          { header: 'DRIVES', value: (e) => e.parent },
          { header: 'BEST LAG', value: (e) => (e.check.bestLag === null ? null : `${e.check.bestLag} wk`), align: 'right' },
          { header: 'R', value: (e) => (e.check.strength === null ? null : e.check.strength.toFixed(2)), align: 'right' },
          { header: 'VERDICT', value: (e) => e.check.verdict },
          { header: 'HYPOTHESIS', value: (e) => e.hypothesis },
        ]);
      }),
    );
}

/** The workspace's time zone from sextant.yaml (UTC without one): review sections count its local days. */
function workspaceTimeZone(ctx: CliContext, command: Command): string {
  const workspace = ctx.workspaceConfig(command)?.workspace as { timezone?: string } | undefined;
  return workspace?.timezone ?? 'UTC';
}
