import { loadOrg } from '../org/index.js';
import { ConflictError, ValidationError, type FieldIssue } from '../shared/errors.js';
import { formatDay } from './days.js';
import type { MlContext } from './links.js';
import type { ConclusionInput, Experiment, ExperimentInput } from './model.js';
import {
  concludeExperimentRow,
  experimentExists,
  insertExperiments,
  listExperiments,
  loadExperiment,
  projectExists,
  type ExperimentFilter,
} from './store.js';
import { experimentVelocity, type VelocityWeek } from './velocity.js';

/**
 * Experiments, the unit of work: a hypothesis with its metric, success and
 * kill thresholds decided before the start; concluded only with a decision
 * (adopt / iterate / kill) and a learning in words.
 */
export async function startExperiment(ctx: MlContext, input: ExperimentInput, now: number): Promise<Experiment> {
  const issues: FieldIssue[] = [];
  if (await experimentExists(ctx.db, input.id)) throw new ConflictError(`Experiment "${input.id}" already exists`);
  const { teams } = await loadOrg(ctx.db);
  if (!teams.some((t) => t.id === input.team)) issues.push({ field: 'team', message: `unknown team "${input.team}"` });
  if (input.project !== undefined && !(await projectExists(ctx.db, input.project))) {
    issues.push({ field: 'project', message: `unknown ML project "${input.project}"` });
  }
  if (input.killThreshold !== undefined) {
    const wrongSide =
      input.direction === 'higher' ? input.killThreshold > input.successThreshold : input.killThreshold < input.successThreshold;
    if (wrongSide) {
      issues.push({
        field: 'killThreshold',
        message: `with direction ${input.direction} the kill threshold must be ${input.direction === 'higher' ? 'at most' : 'at least'} the success threshold (${input.successThreshold})`,
      });
    }
  }
  if (issues.length > 0) throw new ValidationError('Invalid experiment', issues);
  const experiment: Experiment = {
    id: input.id,
    hypothesis: input.hypothesis,
    metric: input.metric,
    direction: input.direction,
    successThreshold: input.successThreshold,
    killThreshold: input.killThreshold ?? null,
    owner: input.owner,
    teamId: input.team,
    projectId: input.project ?? null,
    keyResult: input.keyResult ?? null,
    ticketUrl: input.ticketUrl ?? null,
    startedAt: input.start ?? now,
    endedAt: null,
    result: null,
    decision: null,
    learning: null,
    decidedAt: null,
  };
  await insertExperiments(ctx.db, [experiment], 'api');
  return experiment;
}

export async function concludeExperiment(ctx: MlContext, id: string, input: ConclusionInput, now: number): Promise<Experiment> {
  const experiment = await loadExperiment(ctx.db, id);
  if (experiment.decision !== null) {
    throw new ConflictError(`Experiment "${id}" was concluded on ${formatDay(experiment.decidedAt as number)} (${experiment.decision})`);
  }
  const at = input.at ?? now;
  if (at < experiment.startedAt) {
    throw new ValidationError('Invalid conclusion', [
      { field: 'at', message: `is before the experiment started (${formatDay(experiment.startedAt)})` },
    ]);
  }
  await concludeExperimentRow(ctx.db, id, { decision: input.decision, learning: input.learning, result: input.result ?? null, at });
  return loadExperiment(ctx.db, id);
}

/** Whether a result met the success threshold, the kill threshold, or neither ("inconclusive"). */
export function resultVerdict(experiment: Experiment): 'success' | 'kill' | 'inconclusive' | null {
  if (experiment.result === null) return null;
  const better = (a: number, b: number) => (experiment.direction === 'higher' ? a >= b : a <= b);
  if (better(experiment.result, experiment.successThreshold)) return 'success';
  if (experiment.killThreshold !== null && better(experiment.killThreshold, experiment.result)) return 'kill';
  return 'inconclusive';
}

export async function velocity(ctx: MlContext, filter: ExperimentFilter, timeZone: string): Promise<VelocityWeek[]> {
  const concluded = await listExperiments(ctx.db, { ...filter, concluded: true });
  return experimentVelocity(
    concluded.map((e) => ({
      id: e.id,
      teamId: e.teamId,
      startedAt: e.startedAt,
      decidedAt: e.decidedAt as number,
      decision: e.decision as NonNullable<Experiment['decision']>,
    })),
    timeZone,
  );
}
