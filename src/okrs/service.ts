import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import {
  dateToInstant,
  gradeObjectives,
  type GradableKeyResult,
  type GradeOptions,
  type KeyResultGrade,
  type ObjectiveGrade,
} from './grade-report.js';
import { band, expectedProgress, weightedMean, type Band, type Zone } from './grading.js';
import type { Checkin, KeyResult, Objective } from './model.js';
import type { Period } from './period.js';
import { loadCheckins, loadObjectives } from './store.js';

type Db = Kysely<Database>;

/**
 * Where metric key results read their values: the outcomes module's metric
 * store (daily points), injected so this module does not depend on it. Without
 * one, a key result that names a metric has no value yet.
 */
export type MetricValues = (metricId: string, from: string, to: string) => Promise<Array<{ date: string; value: number }>>;

export const NO_METRICS: MetricValues = async () => [];

export interface CheckinView extends Checkin {
  /** Set when a later entry corrects this one: the correction's id. */
  correctedBy: string | null;
}

export interface KeyResultView extends KeyResult, Omit<KeyResultGrade, 'id' | 'weight'> {
  /** The latest stated confidence (0-10) on or before the date, and its history. */
  confidence: number | null;
  confidenceTrend: Array<{ at: string; confidence: number }>;
  checkins: Array<Omit<CheckinView, 'at' | 'recordedAt'> & { at: string; recordedAt: string }>;
}

export interface ObjectiveView
  extends Omit<Objective, 'keyResults'>, Omit<ObjectiveGrade, 'id' | 'title' | 'kind' | 'weight' | 'keyResults'> {
  keyResults: KeyResultView[];
}

export interface OkrReport {
  period: Period | null;
  at: string;
  expectedProgress: number | null;
  /** Company roll-up: weighted mean of every objective's score. */
  score: number | null;
  band: Band | null;
  teams: Array<{ team: string | null; score: number; band: Band; objectives: number }>;
  objectives: ObjectiveView[];
}

export interface ReportOptions extends GradeOptions {
  metrics?: MetricValues;
}

/** Every objective of a period (and team), graded at `at`, with check-in histories and roll-ups. */
export async function okrReport(
  db: Db,
  filter: { period: string; team?: string | undefined },
  at: number,
  options: ReportOptions = {},
): Promise<OkrReport> {
  const objectives = await loadObjectives(db, filter);
  const period = objectives[0]?.period ?? null;
  const views = await gradeViews(db, objectives, at, options);
  const byTeam = new Map<string | null, ObjectiveView[]>();
  for (const view of views) byTeam.set(view.teamId, [...(byTeam.get(view.teamId) ?? []), view]);
  const score = views.length === 0 ? null : weightedMean(views.map((v) => ({ value: v.score, weight: v.weight })));
  return {
    period,
    at: new Date(at).toISOString(),
    expectedProgress: period ? expectedProgress(period, at) : null,
    score,
    band: score === null ? null : band(score),
    teams: [...byTeam].map(([team, list]) => {
      const teamScore = weightedMean(list.map((v) => ({ value: v.score, weight: v.weight })));
      return { team, score: teamScore, band: band(teamScore), objectives: list.length };
    }),
    objectives: views,
  };
}

export async function gradeViews(
  db: Db,
  objectives: readonly Objective[],
  at: number,
  options: ReportOptions = {},
): Promise<ObjectiveView[]> {
  const checkins = await loadCheckins(
    db,
    objectives.flatMap((o) => o.keyResults.map((kr) => kr.id)),
  );
  const byKeyResult = new Map<string, Checkin[]>();
  for (const checkin of checkins) byKeyResult.set(checkin.keyResultId, [...(byKeyResult.get(checkin.keyResultId) ?? []), checkin]);
  const metrics = options.metrics ?? NO_METRICS;
  const views: ObjectiveView[] = [];
  for (const objective of objectives) {
    const gradables: GradableKeyResult[] = [];
    for (const kr of objective.keyResults) {
      const effective = effectiveCheckins(byKeyResult.get(kr.id) ?? []);
      gradables.push(await gradable(kr, effective, objective.period, at, metrics));
    }
    const [grade] = gradeObjectives(objective.period, [{ ...objective, keyResults: gradables }], at, options).objectives;
    if (!grade) continue;
    views.push({
      ...objective,
      score: grade.score,
      band: grade.band,
      flagged: grade.flagged,
      keyResults: objective.keyResults.map((kr, i) => {
        const all = byKeyResult.get(kr.id) ?? [];
        const effective = effectiveCheckins(all).filter((c) => c.at <= at);
        const trend = effective
          .filter((c) => c.confidence !== null)
          .map((c) => ({ at: new Date(c.at).toISOString(), confidence: c.confidence as number }));
        const kg = grade.keyResults[i] as KeyResultGrade;
        return {
          ...kr,
          progress: kg.progress,
          current: kg.current,
          zone: kg.zone,
          behind: kg.behind,
          confidence: trend.at(-1)?.confidence ?? null,
          confidenceTrend: trend,
          checkins: withCorrections(all).map((c) => ({
            ...c,
            at: new Date(c.at).toISOString(),
            recordedAt: new Date(c.recordedAt).toISOString(),
          })),
        };
      }),
    });
  }
  return views;
}

/**
 * The check-ins as they stand: each original replaced by its latest
 * correction (keeping the original's date), in date order.
 */
export function effectiveCheckins(checkins: readonly Checkin[]): Checkin[] {
  const latest = new Map<string, Checkin>();
  for (const checkin of checkins) {
    const original = checkin.correctsId ?? checkin.id;
    const current = latest.get(original);
    if (
      current === undefined ||
      checkin.recordedAt > current.recordedAt ||
      (checkin.recordedAt === current.recordedAt && checkin.correctsId !== null)
    )
      latest.set(original, checkin);
  }
  return [...latest.values()].sort((a, b) => a.at - b.at || a.recordedAt - b.recordedAt);
}

function withCorrections(checkins: readonly Checkin[]): CheckinView[] {
  const correctedBy = new Map<string, string>();
  for (const c of [...checkins].sort((a, b) => a.recordedAt - b.recordedAt)) {
    if (c.correctsId === null) continue;
    // The original, and each earlier correction of it, is superseded by the latest correction.
    for (const earlier of checkins)
      if ((earlier.id === c.correctsId || earlier.correctsId === c.correctsId) && earlier.id !== c.id && earlier.recordedAt <= c.recordedAt)
        correctedBy.set(earlier.id, c.id);
  }
  return checkins.map((c) => ({ ...c, correctedBy: correctedBy.get(c.id) ?? null }));
}

async function gradable(
  kr: KeyResult,
  effective: Checkin[],
  period: Period,
  at: number,
  metrics: MetricValues,
): Promise<GradableKeyResult> {
  if (kr.kind === 'milestone') {
    const reached = effective.filter((c) => c.at <= at && c.zone !== null).at(-1);
    return { id: kr.id, weight: kr.weight, zone: (reached?.zone ?? null) as Zone | null };
  }
  const values =
    kr.metricId !== null
      ? await metricSeries(kr, period, at, metrics)
      : effective.flatMap((c) => (c.value === null ? [] : [{ at: c.at, value: c.value }]));
  return { id: kr.id, weight: kr.weight, start: kr.start as number, target: kr.target as number, values };
}

/**
 * A metric key result's value series over the period: `latest` is the
 * metric's daily values; `sum` and `mean` accumulate them from the period's
 * first day, so the current value is the period-to-date sum or mean.
 */
async function metricSeries(
  kr: KeyResult,
  period: Period,
  at: number,
  metrics: MetricValues,
): Promise<Array<{ at: number; value: number }>> {
  const until = new Date(Math.min(at, dateToInstant(period.end))).toISOString().slice(0, 10);
  const points = (await metrics(kr.metricId as string, period.start, until)).sort((a, b) => (a.date < b.date ? -1 : 1));
  if (kr.aggregation === 'latest') return points.map((p) => ({ at: dateToInstant(p.date), value: p.value }));
  let sum = 0;
  return points.map((p, i) => {
    sum += p.value;
    return { at: dateToInstant(p.date), value: kr.aggregation === 'sum' ? sum : sum / (i + 1) };
  });
}
