import fs from 'node:fs';
import type { Command } from 'commander';
import type { z } from 'zod';
import type { CliContext } from '../kit/cli/context.js';
import { printJson, printTable } from '../kit/cli/output.js';
import { runAction } from '../kit/cli/run-action.js';
import { ValidationError, type FieldIssue } from '../shared/errors.js';
import { formatFieldPath } from '../shared/field-path.js';
import { isTimeZone } from '../shared/time-zone.js';
import { parseDay, startOfDay } from './days.js';
import { concludeExperiment, startExperiment, velocity } from './experiments.js';
import { forecast, type Forecast } from './forecast.js';
import { forecastFileSchema, forecastFromFile, readYamlFile } from './forecast-file.js';
import { mlContext, type MlContext, type MlLinks } from './links.js';
import { conclusionInput, confidenceInput, enterInput, experimentInput, gateInput, projectInput, qualityInput } from './model.js';
import { PHASE_LABELS, PHASE_NAMES } from './phases.js';
import { addConfidence, addProject, addQuality, enterPhase, projectView, projectViews, recordGate } from './projects.js';
import { monthlyReview, reviewHtml, reviewMarkdown } from './review.js';
import { listExperiments } from './store.js';
import { experimentJson, projectJson, projectSummaryJson, type ProjectJson } from './views.js';

type Flags = Record<string, unknown>;
const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Validates an object built from flags; issues name the flag (`--min-quality`), not the body field. */
function parseFlags<T>(schema: z.ZodType<T>, value: unknown, flagOf: Record<string, string>): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ValidationError(
    'Invalid options',
    parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      return { field: flagOf[key] ?? formatFieldPath(issue.path as Array<string | number>), message: issue.message };
    }),
  );
}

/** Pure checks name body fields (`learning`); on the command line they are flags. */
async function asFlags<T>(flagOf: Record<string, string>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new ValidationError(
        error.message,
        error.issues.map((i) => {
          const head = i.field.split(/[.[]/)[0] ?? i.field;
          return flagOf[head] && !i.file ? { ...i, field: i.field === head ? flagOf[head] : `${flagOf[head]} ${i.field}` } : i;
        }),
      );
    }
    throw error;
  }
}

function dayFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const day = parseDay(value);
  if (day === undefined) throw new ValidationError('Invalid option', [{ field: flag, message: 'must be a date YYYY-MM-DD' }]);
  return day;
}

function numberFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new ValidationError('Invalid option', [{ field: flag, message: 'must be a number' }]);
  return n;
}

function timeZoneOf(ctx: CliContext, command: Command, flag: string | undefined): string {
  if (flag !== undefined) {
    if (!isTimeZone(flag)) throw new ValidationError('Invalid option', [{ field: '--timezone', message: 'must be an IANA time zone' }]);
    return flag;
  }
  const workspace = ctx.workspaceConfig(command)?.workspace as { timezone?: string } | undefined;
  return workspace?.timezone ?? 'UTC';
}

/**
 * `--kill` in words, the issue's own examples:
 *   "recall < 0.6 by 2026-03-01"           the project's quality metric (else a metric-store id);
 *   "POC recall < 0.6 by 2026-03-01"       the same, a phase named in front (kept in the description)
 *   "no go decision 10 weeks after start"
 *   "experiment EXPERIMENT-ID kill"        (or adopt / iterate; "experiment ID concluded with kill" too)
 * Anything else is refused naming `--kill` and the text.
 */
export function parseKillText(text: string, qualityMetric: string): unknown {
  const phases = PHASE_NAMES.map((p) => p.replace(/-/g, '[- ]?')).join('|');
  const threshold = new RegExp(
    `^\\s*(?:(?:${phases})\\s+)?(\\S+)\\s*(<=|>=|<|>)\\s*(-?\\d+(?:\\.\\d+)?)\\s+by\\s+(\\d{4}-\\d{2}-\\d{2})\\s*$`,
    'i',
  ).exec(text);
  if (threshold) {
    const [whole, metric, comparator, value, by] = threshold;
    const prefixed = !whole.trim().startsWith(metric as string);
    const common = { comparator, threshold: Number(value), by };
    return {
      ...(prefixed ? { description: text.trim() } : {}),
      condition: metric === qualityMetric ? { kind: 'model-quality', ...common } : { kind: 'metric', metric, ...common },
    };
  }
  const deadline = /^\s*no go decision (\d+(?:\.\d+)?) weeks? after start\s*$/i.exec(text);
  if (deadline) return { condition: { kind: 'no-go-decision', weeks: Number(deadline[1]) } };
  const experiment = /^\s*experiment\s+(\S+)\s+(?:concluded\s+with\s+)?(adopt|iterate|kill)\s*$/.exec(text);
  if (experiment) return { condition: { kind: 'experiment', experiment: experiment[1], decision: experiment[2] } };
  throw new ValidationError('Invalid options', [
    {
      field: '--kill',
      message: `cannot read "${text}": write "recall < 0.6 by 2026-03-01", "no go decision 10 weeks after start" or "experiment ID kill"`,
    },
  ]);
}

export function registerMlCommands(program: Command, ctx: CliContext, links: MlLinks): void {
  const withMl = <T>(command: Command, body: (ml: MlContext) => Promise<T>) =>
    ctx.withStore(command, (store) => body(mlContext(store.db, links)));
  const ml = program
    .command('ml')
    .description('ML projects: stage gates, kill criteria, confidence, P50/P90 forecasts, failure-mode detectors');

  ml.command('forecast')
    .description('P50/P90 end dates of a plan file by Monte Carlo (10,000 seeded draws); needs no workspace')
    .requiredOption('--file <file>', 'plan: phases [{name, min, max, start?, end?}] in order, optional go: YYYY-MM-DD')
    .requiredOption('--at <date>', 'the day of the forecast, YYYY-MM-DD')
    .option('--seed <n>', 'seed of the draws', '1')
    .option('--json', 'print JSON')
    .action(
      runAction(ctx.out, async (flags: Flags) => {
        const at = dayFlag('--at', flags.at as string) as number;
        const seed = numberFlag('--seed', flags.seed as string) as number;
        const { data, locate } = readYamlFile(flags.file as string, forecastFileSchema, 'plan');
        let result: Forecast;
        try {
          result = forecast(forecastFromFile(data, at, seed));
        } catch (error) {
          if (error instanceof ValidationError) {
            throw new ValidationError(
              error.message,
              error.issues.map((i) => (i.field === 'go' && data.go === undefined ? { ...i, field: '--at' } : locate(i))),
            );
          }
          throw error;
        }
        if (flags.json) return printJson(ctx.out, result);
        printForecast(ctx, result);
      }),
    );

  ml.command('review')
    .description('The monthly model review of every project, as Markdown (default), HTML or JSON')
    .requiredOption('--month <YYYY-MM>', 'the month')
    .option('--format <format>', 'markdown | html', 'markdown')
    .option('--timezone <zone>', "zone of the month's days (default: the workspace's)")
    .option('--output <file>', 'write to this file instead of standard output')
    .option('--json', 'print JSON')
    .action(
      runAction(ctx.out, async (flags: Flags, command: Command) => {
        if (!/^\d{4}-\d{2}$/.test(String(flags.month)))
          throw new ValidationError('Invalid option', [{ field: '--month', message: 'must be YYYY-MM' }]);
        if (flags.format !== 'markdown' && flags.format !== 'html') {
          throw new ValidationError('Invalid option', [{ field: '--format', message: 'must be markdown or html' }]);
        }
        const zone = timeZoneOf(ctx, command, flags.timezone as string | undefined);
        const review = await asFlags({ month: '--month' }, () => withMl(command, (m) => monthlyReview(m, flags.month as string, zone)));
        const text = flags.json
          ? JSON.stringify(review, null, 2) + '\n'
          : flags.format === 'html'
            ? reviewHtml(review)
            : reviewMarkdown(review);
        if (flags.output) fs.writeFileSync(flags.output as string, text);
        else ctx.out.stdout.write(text);
      }),
    );

  const project = ml.command('project').description('ML projects');

  project
    .command('add')
    .description('Add a project from a YAML file (the API body) or flags; data assessment starts on --start')
    .option(
      '--file <file>',
      'YAML with every field (id, name, productOwner, minQuality, teams, start, phases, checklist, killCriteria, ...)',
    )
    .option('--id <id>', 'project id')
    .option('--name <name>', 'name')
    .option('--owner <name>', 'product owner (required)')
    .option('--sponsor <name>', 'business sponsor')
    .option('--business-metric <text>', 'the business metric it must move')
    .option('--business-metric-id <id>', 'that metric in the metric store')
    .option('--quality-metric <name>', 'model-quality measure', 'accuracy')
    .option('--min-quality <n>', 'minimum viable model quality, agreed before work starts')
    .option('--lower-is-better', 'the quality measure improves downwards (an error rate)')
    .option('--production-path <text>', 'the agreed path to production')
    .option('--team <id>', 'team (repeatable)', collect)
    .option('--kr <id>', 'the OKR / key result it serves')
    .option('--start <date>', 'the day data assessment starts, YYYY-MM-DD')
    .option('--confidence <percent>', "the team's confidence that the approach will work")
    .option(
      '--kill <criterion>',
      'kill criterion in words (repeatable): "recall < 0.6 by 2026-03-01", "no go decision 10 weeks after start"',
      collect,
    )
    .option('--json', 'print JSON')
    .action(
      runAction(ctx.out, async (flags: Flags, command: Command) => {
        const flagOf = {
          id: '--id',
          name: '--name',
          productOwner: '--owner',
          businessSponsor: '--sponsor',
          businessMetric: '--business-metric',
          businessMetricId: '--business-metric-id',
          qualityMetric: '--quality-metric',
          minQuality: '--min-quality',
          productionPath: '--production-path',
          teams: '--team',
          keyResult: '--kr',
          start: '--start',
          confidence: '--confidence',
          killCriteria: '--kill',
        };
        let input;
        let locate = (issue: FieldIssue) => issue;
        if (flags.file !== undefined) {
          const read = readYamlFile(flags.file as string, projectInput, 'ML project');
          input = read.data;
          locate = read.locate;
        } else {
          const qualityMetric = (flags.qualityMetric as string) ?? 'accuracy';
          input = parseFlags(
            projectInput,
            {
              id: flags.id,
              name: flags.name,
              productOwner: flags.owner,
              businessSponsor: flags.sponsor,
              businessMetric: flags.businessMetric,
              businessMetricId: flags.businessMetricId,
              qualityMetric,
              minQuality: numberFlag('--min-quality', flags.minQuality as string | undefined),
              qualityDirection: flags.lowerIsBetter ? 'lower' : 'higher',
              productionPath: flags.productionPath,
              teams: flags.team ?? [],
              keyResult: flags.kr,
              start: flags.start,
              confidence: numberFlag('--confidence', flags.confidence as string | undefined),
              killCriteria: ((flags.kill as string[] | undefined) ?? []).map((k) => parseKillText(k, qualityMetric)),
            },
            flagOf,
          );
        }
        const view = await withMl(command, async (m) => {
          try {
            await addProject(m, input, Date.now());
          } catch (error) {
            if (error instanceof ValidationError && flags.file !== undefined)
              throw new ValidationError(error.message, error.issues.map(locate));
            throw error;
          }
          return projectJson(await projectView(m, input.id, Date.now()));
        }).catch((error: unknown) => {
          if (error instanceof ValidationError && flags.file === undefined) {
            throw new ValidationError(
              error.message,
              error.issues.map((i) => {
                const head = i.field.split(/[.[]/)[0] ?? i.field;
                return { ...i, field: flagOf[head as keyof typeof flagOf] ?? i.field };
              }),
            );
          }
          throw error;
        });
        if (flags.json) return printJson(ctx.out, view);
        printProject(ctx, view);
      }),
    );

  project
    .command('list')
    .description('The portfolio: every project with its phase, confidence, P50/P90 and flags')
    .option('--json', 'print JSON')
    .action(
      runAction(ctx.out, async (flags: Flags, command: Command) => {
        const items = await withMl(command, async (m) => (await projectViews(m, Date.now())).map(projectSummaryJson));
        if (flags.json) return printJson(ctx.out, { items, nextCursor: null });
        printTable(ctx.out, items, [
          { header: 'PROJECT', value: (p) => p.id },
          { header: 'PHASE', value: (p) => (p.status === 'killed' ? 'killed' : p.phase) },
          { header: 'CONFIDENCE', value: (p) => (p.confidence === null ? null : `${p.confidence}%`), align: 'right' },
          { header: 'P50', value: (p) => p.p50 },
          { header: 'P90', value: (p) => p.p90 },
          { header: 'COMMITTABLE', value: (p) => (p.committable === null ? null : p.committable ? 'yes' : 'not until go/no-go') },
          { header: 'FLAGS', value: (p) => p.flags.join(', ') || null },
        ]);
      }),
    );

  project
    .command('show <id>')
    .description('One project: phases, gate decisions, kill criteria, detectors, forecast, experiments')
    .option('--at <date>', 'evaluate as of this day, YYYY-MM-DD')
    .option('--json', 'print JSON')
    .action(
      runAction(ctx.out, async (id: string, flags: Flags, command: Command) => {
        const at = dayFlag('--at', flags.at as string | undefined) ?? Date.now();
        const view = await withMl(command, async (m) => projectJson(await projectView(m, id, at)));
        if (flags.json) return printJson(ctx.out, view);
        printProject(ctx, view);
      }),
    );

  project
    .command('gate <id>')
    .description('Record the gate decision that ends the active phase: go, no-go (kills it, with a learning) or pivot')
    .requiredOption('--phase <phase>', 'the active phase')
    .requiredOption('--decision <decision>', 'go | no-go | pivot')
    .requiredOption('--by <name>', 'who decided')
    .option('--at <date>', 'when (YYYY-MM-DD or ISO instant; default now)')
    .option('--evidence <text>', 'link, metric value, data readiness report (repeatable)', collect)
    .option('--check <item=yes|no>', 'go/no-go checklist answer (repeatable)', collect)
    .option('--note <text>', 'note')
    .option('--learning <text>', 'what was learned (required for no-go)')
    .option('--pivot-to <phase>', 'pivot: the phase to re-enter (default: the same)')
    .option('--enter-next', 'go: enter the next phase now')
    .option('--json', 'print JSON')
    .action(
      runAction(ctx.out, async (id: string, flags: Flags, command: Command) => {
        const flagOf = {
          phase: '--phase',
          decision: '--decision',
          decidedBy: '--by',
          at: '--at',
          evidence: '--evidence',
          checklist: '--check',
          note: '--note',
          learning: '--learning',
          pivotTo: '--pivot-to',
          enterNext: '--enter-next',
        };
        const checklist: Record<string, boolean> = {};
        for (const answer of (flags.check as string[] | undefined) ?? []) {
          const match = /^([^=]+)=(yes|no|true|false)$/.exec(answer);
          if (!match)
            throw new ValidationError('Invalid option', [{ field: '--check', message: `"${answer}": write item=yes or item=no` }]);
          checklist[match[1] as string] = match[2] === 'yes' || match[2] === 'true';
        }
        const input = parseFlags(
          gateInput,
          {
            phase: flags.phase,
            decision: flags.decision,
            decidedBy: flags.by,
            at: flags.at,
            evidence: flags.evidence ?? [],
            checklist,
            note: flags.note,
            learning: flags.learning,
            pivotTo: flags.pivotTo,
            enterNext: Boolean(flags.enterNext),
          },
          flagOf,
        );
        const view = await asFlags(flagOf, () =>
          withMl(command, async (m) => {
            await recordGate(m, id, input, Date.now());
            return projectJson(await projectView(m, id, Date.now()));
          }),
        );
        if (flags.json) return printJson(ctx.out, view);
        printProject(ctx, view);
      }),
    );

  project
    .command('enter <id>')
    .description('Enter the next phase (productionisation only after a go at go/no-go)')
    .requiredOption('--phase <phase>', 'the phase to enter')
    .option('--at <date>', 'when (default now)')
    .option('--json', 'print JSON')
    .action(
      runAction(ctx.out, async (id: string, flags: Flags, command: Command) => {
        const flagOf = { phase: '--phase', at: '--at' };
        const input = parseFlags(enterInput, { phase: flags.phase, at: flags.at }, flagOf);
        const view = await asFlags(flagOf, () =>
          withMl(command, async (m) => {
            await enterPhase(m, id, input.phase, input.at ?? Date.now());
            return projectJson(await projectView(m, id, Date.now()));
          }),
        );
        if (flags.json) return printJson(ctx.out, view);
        printProject(ctx, view);
      }),
    );

  project
    .command('confidence <id>')
    .description("Record the team's stated confidence (%) that the approach will work")
    .requiredOption('--value <percent>', '0-100')
    .option('--note <text>', 'why')
    .option('--by <name>', 'who stated it')
    .option('--at <date>', 'when (default now)')
    .action(
      runAction(ctx.out, async (id: string, flags: Flags, command: Command) => {
        const input = parseFlags(
          confidenceInput,
          { value: numberFlag('--value', flags.value as string), note: flags.note, statedBy: flags.by, at: flags.at },
          { value: '--value', note: '--note', statedBy: '--by', at: '--at' },
        );
        await withMl(command, (m) =>
          addConfidence(m, id, {
            at: input.at ?? Date.now(),
            value: input.value,
            note: input.note ?? null,
            statedBy: input.statedBy ?? null,
          }),
        );
        ctx.out.stdout.write(`${id}: confidence ${input.value}%\n`);
      }),
    );

  project
    .command('quality <id>')
    .description("Record a model-quality reading (the project's quality metric)")
    .requiredOption('--value <n>', 'the measured value')
    .option('--at <date>', 'when (default now)')
    .action(
      runAction(ctx.out, async (id: string, flags: Flags, command: Command) => {
        const input = parseFlags(
          qualityInput,
          { value: numberFlag('--value', flags.value as string), at: flags.at },
          { value: '--value', at: '--at' },
        );
        await withMl(command, (m) => addQuality(m, id, { at: input.at ?? Date.now(), value: input.value }));
        ctx.out.stdout.write(`${id}: quality ${input.value}\n`);
      }),
    );

  project
    .command('forecast <id>')
    .description('P50/P90 end dates of the remaining phases (10,000 seeded draws)')
    .option('--at <date>', 'the day of the forecast (default today)')
    .option('--seed <n>', 'seed of the draws', '1')
    .option('--json', 'print JSON')
    .action(
      runAction(ctx.out, async (id: string, flags: Flags, command: Command) => {
        const at = dayFlag('--at', flags.at as string | undefined) ?? startOfDay(Date.now());
        const seed = numberFlag('--seed', flags.seed as string) as number;
        const view = await withMl(command, (m) => projectView(m, id, at, seed));
        if (!view.forecast) {
          if (flags.json) return printJson(ctx.out, { forecast: null, note: view.forecastNote });
          ctx.out.stdout.write(`${id}: ${view.forecastNote}\n`);
          return;
        }
        if (flags.json) return printJson(ctx.out, view.forecast);
        printForecast(ctx, view.forecast);
      }),
    );

  registerExperimentCommands(program, ctx, withMl);
}

function registerExperimentCommands(
  program: Command,
  ctx: CliContext,
  withMl: <T>(command: Command, body: (ml: MlContext) => Promise<T>) => Promise<T>,
): void {
  const experiment = program
    .command('experiment')
    .description('Experiments: the unit of work; concluded only with a decision and a learning');

  experiment
    .command('start <id>')
    .description('Start an experiment; metric and thresholds are decided now, before the start')
    .requiredOption('--hypothesis <text>', 'what you expect and why')
    .requiredOption('--metric <name>', 'the success metric')
    .requiredOption('--success-threshold <n>', 'the value that counts as success')
    .option('--kill-threshold <n>', 'the value that kills it')
    .option('--lower-is-better', 'the metric improves downwards')
    .requiredOption('--owner <name>', 'owner')
    .requiredOption('--team <id>', 'team')
    .option('--project <id>', 'the ML project it serves')
    .option('--kr <id>', 'the key result it serves')
    .option('--ticket <url>', 'link to the ticket')
    .option('--at <date>', 'start (default now)')
    .option('--json', 'print JSON')
    .action(
      runAction(ctx.out, async (id: string, flags: Flags, command: Command) => {
        const flagOf = {
          id: '<id>',
          hypothesis: '--hypothesis',
          metric: '--metric',
          successThreshold: '--success-threshold',
          killThreshold: '--kill-threshold',
          owner: '--owner',
          team: '--team',
          project: '--project',
          keyResult: '--kr',
          ticketUrl: '--ticket',
          start: '--at',
        };
        const input = parseFlags(
          experimentInput,
          {
            id,
            hypothesis: flags.hypothesis,
            metric: flags.metric,
            direction: flags.lowerIsBetter ? 'lower' : 'higher',
            successThreshold: numberFlag('--success-threshold', flags.successThreshold as string),
            killThreshold: numberFlag('--kill-threshold', flags.killThreshold as string | undefined),
            owner: flags.owner,
            team: flags.team,
            project: flags.project,
            keyResult: flags.kr,
            ticketUrl: flags.ticket,
            start: flags.at,
          },
          flagOf,
        );
        const started = await asFlags(flagOf, () => withMl(command, (m) => startExperiment(m, input, Date.now())));
        if (flags.json) return printJson(ctx.out, experimentJson(started));
        ctx.out.stdout.write(`Started ${started.id} (${started.teamId}): ${started.hypothesis}\n`);
      }),
    );

  experiment
    .command('conclude <id>')
    .description('Conclude with a decision (adopt / iterate / kill) and a learning — both required')
    .option('--decision <decision>', 'adopt | iterate | kill')
    .option('--learning <text>', 'what was learned, in words')
    .option('--result <n>', 'the measured value of the metric')
    .option('--at <date>', 'when (default now)')
    .option('--json', 'print JSON')
    .action(
      runAction(ctx.out, async (id: string, flags: Flags, command: Command) => {
        const flagOf = { decision: '--decision', learning: '--learning', result: '--result', at: '--at' };
        const input = parseFlags(
          conclusionInput,
          {
            decision: flags.decision,
            learning: flags.learning,
            result: numberFlag('--result', flags.result as string | undefined),
            at: flags.at,
          },
          flagOf,
        );
        const concluded = await asFlags(flagOf, () => withMl(command, (m) => concludeExperiment(m, id, input, Date.now())));
        if (flags.json) return printJson(ctx.out, experimentJson(concluded));
        ctx.out.stdout.write(`Concluded ${concluded.id}: ${concluded.decision} — ${concluded.learning}\n`);
      }),
    );

  experiment
    .command('list')
    .description('Experiments, newest first; --q searches hypotheses, metrics and learnings')
    .option('--team <id>', 'only this team')
    .option('--project <id>', 'only this ML project')
    .option('--decision <decision>', 'only this decision')
    .option('--q <words>', 'words that must all appear')
    .option('--json', 'print JSON')
    .action(
      runAction(ctx.out, async (flags: Flags, command: Command) => {
        const items = await withMl(command, async (m) =>
          (
            await listExperiments(m.db, {
              team: flags.team as string | undefined,
              project: flags.project as string | undefined,
              decision: flags.decision as never,
              q: flags.q as string | undefined,
            })
          ).map(experimentJson),
        );
        if (flags.json) return printJson(ctx.out, { items, nextCursor: null });
        printTable(ctx.out, items, [
          { header: 'EXPERIMENT', value: (e) => e.id },
          { header: 'TEAM', value: (e) => e.team },
          { header: 'STARTED', value: (e) => e.startedAt?.slice(0, 10) },
          { header: 'DECISION', value: (e) => e.decision },
          { header: 'DAYS', value: (e) => e.daysToDecision, align: 'right' },
          { header: 'LEARNING', value: (e) => e.learning },
        ]);
      }),
    );

  experiment
    .command('velocity')
    .description('Concluded experiments per team per ISO week, with the median days from start to decision')
    .option('--team <id>', 'only this team')
    .option('--timezone <zone>', "zone of the weeks (default: the workspace's)")
    .option('--json', 'print JSON')
    .action(
      runAction(ctx.out, async (flags: Flags, command: Command) => {
        const zone = timeZoneOf(ctx, command, flags.timezone as string | undefined);
        const weeks = await withMl(command, (m) => velocity(m, { team: flags.team as string | undefined }, zone));
        if (flags.json) return printJson(ctx.out, { timezone: zone, weeks });
        printTable(ctx.out, weeks, [
          { header: 'TEAM', value: (w) => w.teamId },
          { header: 'WEEK', value: (w) => w.week },
          { header: 'CONCLUDED', value: (w) => w.concluded, align: 'right' },
          { header: 'ADOPT', value: (w) => w.byDecision.adopt, align: 'right' },
          { header: 'ITERATE', value: (w) => w.byDecision.iterate, align: 'right' },
          { header: 'KILL', value: (w) => w.byDecision.kill, align: 'right' },
          {
            header: 'MEDIAN DAYS',
            value: (w) => (w.medianDaysToDecision === null ? null : w.medianDaysToDecision.toFixed(1)),
            align: 'right',
          },
        ]);
      }),
    );
}

function printForecast(ctx: CliContext, result: Forecast): void {
  ctx.out.stdout.write(
    `Forecast on ${result.at} (${result.draws.toLocaleString('en')} draws, seed ${result.seed}, ${result.method === 'none' ? 'all phases done' : `from ${result.method === 'range' ? 'planned ranges' : result.method === 'history' ? "past projects' actual durations" : 'planned ranges and past durations'}`})\n`,
  );
  ctx.out.stdout.write(`End: P50 ${result.p50}, P90 ${result.p90}${result.committable ? '' : ` — ${result.label}`}\n\n`);
  printTable(ctx.out, result.phases, [
    { header: 'PHASE', value: (p) => p.name },
    { header: 'STATUS', value: (p) => (p.overdue ? `${p.status} (overdue)` : p.status) },
    { header: 'RANGE', value: (p) => `${p.min}-${p.max} d` },
    { header: 'P50', value: (p) => p.p50 },
    { header: 'P90', value: (p) => p.p90 },
    { header: '', value: (p) => p.label },
  ]);
}

function printProject(ctx: CliContext, p: ProjectJson): void {
  const out = ctx.out.stdout;
  out.write(`${p.name} (${p.id}) — ${p.status === 'killed' ? 'killed' : PHASE_LABELS[p.phase]}\n`);
  out.write(`Product owner: ${p.productOwner ?? '—'} · sponsor: ${p.businessSponsor ?? '—'} · teams: ${p.teams.join(', ')}\n`);
  out.write(`Business metric: ${p.businessMetric ?? '—'} · production path: ${p.productionPath ?? '—'}\n`);
  out.write(
    `Model quality: ${p.quality.latest ? `${p.qualityMetric} ${p.quality.latest.value}` : 'no reading'} (minimum viable ${p.minQuality}) · confidence: ${p.confidence === null ? '—' : `${p.confidence}%`}\n`,
  );
  if (p.learning) out.write(`Learning: ${p.learning}\n`);
  if (p.forecast) out.write(`Forecast: P50 ${p.p50}, P90 ${p.p90}${p.committable ? '' : ` — ${p.label}`}\n`);
  if (p.flags.length > 0) out.write(`Flags: ${p.flags.join(', ')}\n`);
  out.write('\nPhases\n');
  printTable(ctx.out, p.timeline, [
    { header: 'PHASE', value: (e) => e.phase },
    { header: 'START', value: (e) => e.start?.slice(0, 10) },
    { header: 'END', value: (e) => e.end?.slice(0, 10) ?? 'active' },
  ]);
  if (p.gates.length > 0) {
    out.write('\nGate decisions\n');
    printTable(ctx.out, p.gates, [
      { header: 'PHASE', value: (g) => g.phase },
      { header: 'DECISION', value: (g) => g.decision },
      { header: 'BY', value: (g) => g.decidedBy },
      { header: 'ON', value: (g) => g.decidedAt?.slice(0, 10) },
      { header: 'EVIDENCE', value: (g) => g.evidence.join('; ') || null },
    ]);
  }
  if (p.killCriteria.length > 0) {
    out.write('\nKill criteria\n');
    printTable(ctx.out, p.killCriteria, [
      { header: 'ID', value: (k) => k.id },
      { header: 'CRITERION', value: (k) => k.description },
      { header: 'STATUS', value: (k) => k.status },
      { header: 'FLAG', value: (k) => (k.flag ? (k.flag.resolvedAt ? `resolved ${k.flag.resolvedAt.slice(0, 10)}` : 'open') : null) },
      { header: 'EVIDENCE', value: (k) => k.evidence },
    ]);
  }
  out.write('\nFailure-mode detectors\n');
  printTable(ctx.out, p.detectors, [
    { header: 'DETECTOR', value: (d) => d.detector },
    { header: 'STATUS', value: (d) => d.status },
    { header: 'EVIDENCE', value: (d) => d.evidence.join('; ') },
  ]);
}
