import { toLocal } from '../shared/time-zone.js';
import { DAY_MS } from './days.js';

/**
 * Experiment velocity: experiments concluded per team per ISO week (Monday to
 * Sunday in the workspace's time zone, by the day of the decision), with the
 * median time from start to decision of the experiments concluded that week.
 * Every decision counts the same — the learning from a kill is worth as much
 * as an adopt — and the series breaks the count down by decision. Weeks with
 * nothing concluded are listed with 0 between a team's first and the last week.
 */
export const EXPERIMENT_DECISIONS = ['adopt', 'iterate', 'kill'] as const;
export type ExperimentDecision = (typeof EXPERIMENT_DECISIONS)[number];

export interface ConcludedExperiment {
  id: string;
  teamId: string;
  startedAt: number;
  decidedAt: number;
  decision: ExperimentDecision;
}

export interface VelocityWeek {
  teamId: string;
  /** ISO week, e.g. `2026-W05`. */
  week: string;
  /** Its Monday, YYYY-MM-DD. */
  weekStart: string;
  concluded: number;
  byDecision: Record<ExperimentDecision, number>;
  /** Median days from start to decision (mean of the middle two for an even count); null with none concluded. */
  medianDaysToDecision: number | null;
  /** The experiments behind the figures. */
  experimentIds: string[];
}

/** ISO 8601 week of a calendar date: the week belongs to the year holding its Thursday. */
export function isoWeek(year: number, month: number, day: number): { week: string; weekStart: string } {
  const date = Date.UTC(year, month - 1, day);
  const weekday = (new Date(date).getUTCDay() + 6) % 7; // Monday = 0
  const monday = date - weekday * DAY_MS;
  const thursday = monday + 3 * DAY_MS;
  const isoYear = new Date(thursday).getUTCFullYear();
  const firstThursday = Date.UTC(isoYear, 0, 1) + ((3 - ((new Date(Date.UTC(isoYear, 0, 1)).getUTCDay() + 6) % 7) + 7) % 7) * DAY_MS;
  const number = 1 + Math.round((thursday - firstThursday) / (7 * DAY_MS));
  return { week: `${isoYear}-W${String(number).padStart(2, '0')}`, weekStart: new Date(monday).toISOString().slice(0, 10) };
}

export function weekOf(ms: number, timeZone: string): { week: string; weekStart: string } {
  const local = toLocal(ms, timeZone);
  return isoWeek(local.year, local.month, local.day);
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function experimentVelocity(experiments: readonly ConcludedExperiment[], timeZone: string): VelocityWeek[] {
  if (experiments.length === 0) return [];
  const byKey = new Map<string, ConcludedExperiment[]>();
  const weeks = new Map<string, string>();
  for (const experiment of experiments) {
    const { week, weekStart } = weekOf(experiment.decidedAt, timeZone);
    weeks.set(weekStart, week);
    const key = `${experiment.teamId}\u0000${weekStart}`;
    byKey.set(key, [...(byKey.get(key) ?? []), experiment]);
  }
  const lastStart = [...weeks.keys()].sort().at(-1) as string;
  const teams = [...new Set(experiments.map((e) => e.teamId))].sort();
  const rows: VelocityWeek[] = [];
  for (const teamId of teams) {
    const first = experiments
      .filter((e) => e.teamId === teamId)
      .map((e) => weekOf(e.decidedAt, timeZone).weekStart)
      .sort()[0] as string;
    for (let monday = Date.parse(`${first}T00:00:00Z`); monday <= Date.parse(`${lastStart}T00:00:00Z`); monday += 7 * DAY_MS) {
      const weekStart = new Date(monday).toISOString().slice(0, 10);
      const list = byKey.get(`${teamId}\u0000${weekStart}`) ?? [];
      const byDecision = { adopt: 0, iterate: 0, kill: 0 };
      for (const e of list) byDecision[e.decision] += 1;
      const date = new Date(monday);
      rows.push({
        teamId,
        week: isoWeek(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()).week,
        weekStart,
        concluded: list.length,
        byDecision,
        medianDaysToDecision: median(list.map((e) => (e.decidedAt - e.startedAt) / DAY_MS)),
        experimentIds: list.map((e) => e.id).sort(),
      });
    }
  }
  return rows;
}
