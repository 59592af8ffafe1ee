import type { Kysely } from 'kysely';
import type { PublishedSeries, ReviewRow, ReviewSectionContent, SeriesRange } from '../kit/module.js';
import { capRows, dayIndex, localDate, rangeDays, reviewAt, reviewFrom } from '../kit/review.js';
import type { Database } from '../store/database.js';
import { DAY_MS } from './days.js';
import type { Project } from './model.js';
import { GO_NO_GO, PHASE_LABELS } from './phases.js';
import { listExperiments, listKillFlags, loadProjects } from './store.js';
import { EXPERIMENT_DECISIONS, median } from './velocity.js';

type Db = Kysely<Database>;

const projectHref = (id: string) => `/ml?project=${encodeURIComponent(id)}`;

/** Killed before `at`: a no-go gate decided before it. */
function killedBy(project: Project, at: number): boolean {
  return project.status === 'killed' && project.gates.some((g) => g.decision === 'no-go' && g.decidedAt < at);
}

/**
 * Why a project stands at a gate at `at`, or null: its active phase is the
 * go/no-go decision itself; or its active phase has run its planned minimum
 * (the phase's gate decision is due); or its last phase ended and no next one
 * was entered (the decision is pending).
 */
export function atGate(project: Project, at: number, timeZone: string): string | null {
  if (project.startedAt >= at || killedBy(project, at)) return null;
  const entries = project.entries.filter((e) => e.startedAt < at).sort((a, b) => a.seq - b.seq);
  const last = entries.at(-1);
  if (!last) return null;
  const label = PHASE_LABELS[last.phase];
  if (last.endedAt !== null && last.endedAt < at) {
    if (last.phase === 'iteration') return null;
    return `${label} ended ${localDate(last.endedAt, timeZone)}, next phase not entered`;
  }
  const plan = project.plan.find((p) => p.name === last.phase);
  const day = Math.floor((at - last.startedAt) / DAY_MS);
  const planned = plan ? `${plan.min}-${plan.max} planned` : 'no plan';
  if (last.phase === GO_NO_GO) return `${label} decision open since ${localDate(last.startedAt, timeZone)} (day ${day}, ${planned})`;
  if (last.phase !== 'iteration' && plan && day >= plan.min) return `${label} at day ${day} of ${planned}: gate decision due`;
  return null;
}

/**
 * The ML section of the weekly review, as of the end of the week: projects at
 * a gate (see atGate), kill criteria met and not answered by a gate decision
 * at the week's end, and experiment velocity — experiments concluded in the
 * week by decision with the median days from start to decision, each with its
 * learning. Null when there are neither projects nor experiments.
 */
export async function mlReviewSection(db: Db, range: SeriesRange): Promise<ReviewSectionContent | null> {
  const at = reviewAt(range);
  const from = reviewFrom(range);
  const [projects, experiments, flags] = await Promise.all([loadProjects(db), listExperiments(db), listKillFlags(db)]);
  if (projects.length === 0 && experiments.length === 0) return null;
  const names = new Map(projects.map((p) => [p.id, p.name]));
  const rows: ReviewRow[] = [];

  const gates = projects
    .map((p) => ({ project: p, why: atGate(p, at, range.timeZone) }))
    .filter((g): g is { project: Project; why: string } => g.why !== null);
  const open = flags
    .filter((f) => f.metAt < at && (f.resolvedAt === null || f.resolvedAt >= at))
    .sort((a, b) => a.metAt - b.metAt || (a.projectId < b.projectId ? -1 : 1));
  const concluded = experiments
    .filter((e) => e.decidedAt !== null && e.decidedAt >= from && e.decidedAt < at)
    .sort((a, b) => (a.decidedAt as number) - (b.decidedAt as number) || (a.id < b.id ? -1 : 1));
  const byDecision = EXPERIMENT_DECISIONS.map((d) => `${d} ${concluded.filter((e) => e.decision === d).length}`);
  const days = median(concluded.map((e) => ((e.decidedAt as number) - e.startedAt) / DAY_MS));

  rows.push(
    { label: 'ML projects at a gate', value: String(gates.length), href: '/ml' },
    { label: 'Kill criteria met, no decision yet', value: String(open.length), href: '/ml' },
    {
      label: 'Experiments concluded this week',
      value:
        concluded.length === 0
          ? '0'
          : `${concluded.length} (${byDecision.join(', ')}); median ${Number((days as number).toFixed(1))} days from start to decision`,
      href: '/experiments',
    },
    ...capRows(
      gates.map(({ project, why }) => ({ label: `At a gate: ${project.name}`, value: why, href: projectHref(project.id) })),
      { label: 'Projects at a gate not listed', href: '/ml' },
    ),
    ...capRows(
      open.map((f) => ({
        label: `Kill criterion met: ${names.get(f.projectId) ?? f.projectId}`,
        value: `${f.criterionId} since ${localDate(f.metAt, range.timeZone)}: ${f.evidence}`,
        href: projectHref(f.projectId),
      })),
      { label: 'Kill criteria met not listed', href: '/ml' },
    ),
    ...capRows(
      concluded.map((e) => ({
        label: `Experiment ${e.decision}: ${e.hypothesis}`,
        value: `${e.learning ?? ''} (team ${e.teamId}${e.projectId ? `, ${names.get(e.projectId) ?? e.projectId}` : ''})`,
        href: e.projectId ? projectHref(e.projectId) : '/experiments',
      })),
      { label: 'Concluded experiments not listed', href: '/experiments' },
    ),
  );
  return { title: 'ML projects and experiments', rows };
}

/** Median days to decision are taken over the experiments concluded in the 7 days ending each day. */
export const DECISION_WINDOW_DAYS = 7;

/**
 * ML's daily series for the outcomes store (docs/metrics/ml.md): experiments
 * concluded a day (all, by decision, and per team), the median days from
 * start to decision of the experiments concluded in the 7 days ending each day
 * (all and per team; `last`, so a week's value is exactly that week's median
 * — experiment velocity's companion figure; days with none in the window have
 * no value), and kill flags open at the end of each day (met, not yet
 * answered by a gate decision).
 */
export async function mlSeries(db: Db, range: SeriesRange): Promise<PublishedSeries[]> {
  const days = rangeDays(range);
  if (days.length === 0) return [];
  const [experiments, flags] = await Promise.all([listExperiments(db), listKillFlags(db)]);
  if (experiments.length === 0 && flags.length === 0) return [];
  const n = days.length;
  const zeros = () => new Array<number>(n).fill(0);
  const all = zeros();
  const decisions = new Map(EXPERIMENT_DECISIONS.map((d) => [d, zeros()]));
  const teams = new Map<string, number[]>();
  for (const e of experiments) {
    if (e.decidedAt === null || e.decision === null) continue;
    const i = dayIndex(days, e.decidedAt);
    if (i < 0 || i >= n) continue;
    all[i]!++;
    decisions.get(e.decision)![i]!++;
    const team = teams.get(e.teamId) ?? zeros();
    teams.set(e.teamId, team);
    team[i]!++;
  }
  const delta = new Array<number>(n + 1).fill(0);
  for (const f of flags) {
    // Open at the end of day i: met before days[i].end, not resolved before it.
    const first = f.metAt < days[0]!.end ? 0 : dayIndex(days, f.metAt);
    const stop = f.resolvedAt === null ? n : f.resolvedAt < days[0]!.end ? 0 : Math.min(n, dayIndex(days, f.resolvedAt));
    if (first < stop) {
      delta[first]!++;
      delta[stop]!--;
    }
  }
  const openFlags: number[] = [];
  for (let i = 0, running = 0; i < n; i++) openFlags.push((running += delta[i]!));
  // Day i's window: from the start of the day 6 days before it (before the range, whole days back from its first) to its end.
  const windowStart = (i: number) =>
    i >= DECISION_WINDOW_DAYS - 1 ? days[i - DECISION_WINDOW_DAYS + 1]!.start : days[0]!.start - (DECISION_WINDOW_DAYS - 1 - i) * DAY_MS;
  const medianDays = (team: string | null) =>
    days.flatMap((day, i) => {
      const from = windowStart(i);
      const m = median(
        experiments
          .filter((e) => e.decidedAt !== null && e.decision !== null && (team === null || e.teamId === team))
          .filter((e) => (e.decidedAt as number) >= from && (e.decidedAt as number) < day.end)
          .map((e) => ((e.decidedAt as number) - e.startedAt) / DAY_MS),
      );
      return m === null ? [] : [{ date: day.date, value: m }];
    });
  // Teams with a decision in some day's window (the range and the 6 days before it).
  const medianTeams = [
    ...new Set(
      experiments
        .filter((e) => e.decidedAt !== null && e.decision !== null && e.decidedAt >= windowStart(0) && e.decidedAt < days[n - 1]!.end)
        .map((e) => e.teamId),
    ),
  ].sort();
  const medianMetric = (id: string, name: string, description: string, owner?: string) =>
    ({
      id,
      name,
      unit: 'duration',
      direction: 'down',
      aggregation: 'last',
      description,
      ...(owner ? { owner } : {}),
    }) as const;
  const daily = (values: number[]) => values.map((value, i) => ({ date: days[i]!.date, value }));
  const count = (id: string, name: string, description: string, extra: { direction?: 'up' | 'down'; owner?: string } = {}) =>
    ({
      id,
      name,
      unit: 'count',
      direction: extra.direction ?? 'up',
      aggregation: 'sum',
      description,
      ...(extra.owner ? { owner: extra.owner } : {}),
    }) as const;
  return [
    {
      metric: count(
        'ml.experiments-concluded',
        'Experiments concluded',
        'Experiments concluded (a decision and a learning recorded) that day; a week sums to its experiment velocity.',
      ),
      points: daily(all),
    },
    ...EXPERIMENT_DECISIONS.map((d) => ({
      metric: count(
        `ml.experiments-concluded-${d}`,
        `Experiments concluded: ${d}`,
        `Experiments concluded with the decision "${d}" that day.`,
      ),
      points: daily(decisions.get(d)!),
    })),
    {
      metric: {
        id: 'ml.kill-flags-open',
        name: 'Kill criteria met, no decision yet',
        unit: 'count',
        direction: 'down',
        aggregation: 'last',
        description: 'Kill flags open at the end of the day: a kill criterion met and not yet answered by a gate decision.',
      },
      points: daily(openFlags),
    },
    {
      metric: medianMetric(
        'ml.experiment-days-to-decision-p50',
        'Experiments: median days to decision',
        'Median days from start to decision of the experiments concluded in the 7 days ending that day; a week takes its last day, so it is that week’s median beside its experiment velocity.',
      ),
      points: medianDays(null),
    },
    ...[...teams.keys()].sort().map((team) => ({
      metric: count(`ml.experiments-concluded.${team}`, `Experiments concluded: ${team}`, `Experiments ${team} concluded that day.`, {
        owner: team,
      }),
      points: daily(teams.get(team)!),
    })),
    ...medianTeams.map((team) => ({
      metric: medianMetric(
        `ml.experiment-days-to-decision-p50.${team}`,
        `Experiments: median days to decision, ${team}`,
        `Median days from start to decision of the experiments ${team} concluded in the 7 days ending that day.`,
        team,
      ),
      points: medianDays(team),
    })),
  ];
}
