import { DAY_MS, formatDay } from './days.js';
import type { Comparator, Experiment, KillCondition, KillCriterion, Project, Reading } from './model.js';
import { GO_NO_GO } from './phases.js';

/**
 * Kill criteria, evaluated purely: each is a condition on the project's
 * model quality, on a metric of the metric store, on an experiment's result
 * or on a date. `unknown` when the data to decide is not available (an
 * unknown metric, a missing experiment) — never silently "not met".
 */
export type KillStatus = 'met' | 'not-met' | 'unknown';

export interface KillEvaluation {
  criterionId: string;
  status: KillStatus;
  /** What the evaluation saw, in words. */
  evidence: string;
}

/** A metric's reading as the metric store reports it; `known: false` for an id it does not have. */
export type MetricAnswer = { known: false; reason: string } | { known: true; reading: Reading | null };

export interface KillContext {
  experiments: ReadonlyMap<string, Experiment>;
  metric(id: string): MetricAnswer;
}

export function compare(value: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
  }
}

export function describeCondition(condition: KillCondition, qualityMetric: string): string {
  switch (condition.kind) {
    case 'model-quality':
      return `${qualityMetric} ${condition.comparator} ${condition.threshold} by ${formatDay(condition.by)}`;
    case 'metric':
      return `${condition.metric} ${condition.comparator} ${condition.threshold} by ${formatDay(condition.by)}`;
    case 'experiment':
      return `experiment ${condition.experiment} concluded with ${condition.decision}`;
    case 'no-go-decision':
      return `no go decision ${condition.weeks} weeks after start`;
  }
}

function latestBy(readings: readonly Reading[], at: number): Reading | undefined {
  return readings
    .filter((r) => r.at <= at)
    .reduce<Reading | undefined>((last, r) => (last === undefined || r.at > last.at ? r : last), undefined);
}

function thresholdCheck(
  name: string,
  reading: Reading | null | undefined,
  condition: { comparator: Comparator; threshold: number; by: number },
  at: number,
): Omit<KillEvaluation, 'criterionId'> {
  if (at < condition.by) {
    const seen = reading ? `; now ${name} = ${reading.value} (${formatDay(reading.at)})` : '';
    return { status: 'not-met', evidence: `checked from ${formatDay(condition.by)}${seen}` };
  }
  if (!reading) return { status: 'met', evidence: `no ${name} reading by ${formatDay(at)}: nothing shows ${name} reached the bar` };
  const met = compare(reading.value, condition.comparator, condition.threshold);
  return {
    status: met ? 'met' : 'not-met',
    evidence: `${name} = ${reading.value} on ${formatDay(reading.at)} (${met ? '' : 'not '}${condition.comparator} ${condition.threshold})`,
  };
}

export function evaluateKillCriterion(project: Project, criterion: KillCriterion, at: number, context: KillContext): KillEvaluation {
  const condition = criterion.condition;
  const result = ((): Omit<KillEvaluation, 'criterionId'> => {
    switch (condition.kind) {
      case 'model-quality':
        return thresholdCheck(project.qualityMetric, latestBy(project.quality, at), condition, at);
      case 'metric': {
        const answer = context.metric(condition.metric);
        if (!answer.known) return { status: 'unknown', evidence: answer.reason };
        const reading = answer.reading && answer.reading.at <= at ? answer.reading : null;
        return thresholdCheck(condition.metric, reading, condition, at);
      }
      case 'experiment': {
        const experiment = context.experiments.get(condition.experiment);
        if (!experiment) return { status: 'unknown', evidence: `experiment ${condition.experiment} does not exist` };
        if (experiment.decision === null || experiment.decidedAt === null || experiment.decidedAt > at) {
          return { status: 'not-met', evidence: `experiment ${experiment.id} is still running` };
        }
        const met = experiment.decision === condition.decision;
        return {
          status: met ? 'met' : 'not-met',
          evidence: `experiment ${experiment.id} concluded ${experiment.decision} on ${formatDay(experiment.decidedAt)}${
            experiment.result === null ? '' : ` (${experiment.metric} = ${experiment.result})`
          }: ${experiment.learning ?? ''}`.trim(),
        };
      }
      case 'no-go-decision': {
        const deadline = project.startedAt + condition.weeks * 7 * DAY_MS;
        const go = project.gates.find((g) => g.phase === GO_NO_GO && g.decision === 'go' && g.decidedAt <= Math.min(at, deadline));
        if (go) return { status: 'not-met', evidence: `go decided on ${formatDay(go.decidedAt)}, before ${formatDay(deadline)}` };
        if (at < deadline) return { status: 'not-met', evidence: `no go decision yet; deadline ${formatDay(deadline)}` };
        return {
          status: 'met',
          evidence: `no go decision by ${formatDay(deadline)} (${condition.weeks} weeks after the start on ${formatDay(project.startedAt)})`,
        };
      }
    }
  })();
  return { criterionId: criterion.id, ...result };
}
