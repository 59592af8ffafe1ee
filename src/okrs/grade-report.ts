import {
  band,
  dayNumber,
  DEFAULT_BEHIND_TOLERANCE,
  DEFAULT_ZONE_VALUES,
  expectedProgress,
  isBehind,
  isFlagged,
  latestValue,
  metricProgress,
  milestoneProgress,
  weightedMean,
  DAY_MS,
  type Band,
  type ObjectiveKind,
  type PeriodDates,
  type Zone,
  type ZoneValues,
} from './grading.js';

/** What grading needs of a key result: a metric one (start, target, dated values) or a milestone one (its zone). */
export type GradableKeyResult = {
  id: string;
  title?: string | undefined;
  weight: number;
} & ({ start: number; target: number; values: ReadonlyArray<{ at: number; value: number }> } | { zone: Zone | null });

export interface GradableObjective {
  id: string;
  title: string;
  kind: ObjectiveKind;
  weight: number;
  keyResults: readonly GradableKeyResult[];
}

export interface KeyResultGrade {
  id: string;
  progress: number;
  /** The value progress was computed from (metric key results), null when none was recorded by then. */
  current: number | null;
  zone: Zone | null;
  behind: boolean;
  weight: number;
}

export interface ObjectiveGrade {
  id: string;
  title: string;
  kind: ObjectiveKind;
  weight: number;
  score: number;
  band: Band;
  flagged: boolean;
  keyResults: KeyResultGrade[];
}

export interface GradeReport {
  period: PeriodDates;
  at: string;
  expectedProgress: number;
  /** Weighted mean of the objectives' scores (the roll-up). */
  score: number;
  band: Band;
  objectives: ObjectiveGrade[];
}

export interface GradeOptions {
  zoneValues?: ZoneValues;
  tolerance?: number;
}

export function gradeObjectives(
  period: PeriodDates,
  objectives: readonly GradableObjective[],
  at: number,
  options: GradeOptions = {},
): GradeReport {
  const expected = expectedProgress(period, at);
  const tolerance = options.tolerance ?? DEFAULT_BEHIND_TOLERANCE;
  const graded = objectives.map((objective): ObjectiveGrade => {
    const keyResults = objective.keyResults.map((kr): KeyResultGrade => {
      const isMilestone = 'zone' in kr;
      const current = isMilestone ? null : latestValue(kr.values, at);
      const progress = isMilestone
        ? milestoneProgress(kr.zone, options.zoneValues ?? DEFAULT_ZONE_VALUES)
        : metricProgress(current, kr.start, kr.target);
      return {
        id: kr.id,
        progress,
        current,
        zone: isMilestone ? kr.zone : null,
        behind: isBehind(progress, expected, tolerance),
        weight: kr.weight,
      };
    });
    const score = weightedMean(keyResults.map((kr) => ({ value: kr.progress, weight: kr.weight })));
    return {
      id: objective.id,
      title: objective.title,
      kind: objective.kind,
      weight: objective.weight,
      score,
      band: band(score),
      flagged: isFlagged(objective.kind, score, period, at),
      keyResults,
    };
  });
  const score = weightedMean(graded.map((o) => ({ value: o.score, weight: o.weight })));
  return { period, at: new Date(at).toISOString(), expectedProgress: expected, score, band: band(score), objectives: graded };
}

/** Dated values of the zero-config file are taken at the start of their day (UTC). */
export function dateToInstant(date: string): number {
  return dayNumber(date) * DAY_MS;
}
