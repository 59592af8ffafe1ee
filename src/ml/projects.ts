import { loadOrg } from '../org/index.js';
import { ConflictError, ValidationError, type FieldIssue } from '../shared/errors.js';
import { DAY_MS, formatDay, startOfDay } from './days.js';
import { detectFailureModes, NO_MONITORING_MODULE, type DetectorResult, type MonitoringAnswer } from './detectors.js';
import { forecast, type Forecast, type ForecastPhaseInput } from './forecast.js';
import { activeEntry, checkEnter, checkGate, latestGate, nextPhase } from './gates.js';
import { describeCondition, evaluateKillCriterion, type KillEvaluation, type MetricAnswer } from './kill-criteria.js';
import { NO_METRIC_STORE, type MlContext } from './links.js';
import type {
  ConfidenceEntry,
  Experiment,
  GateInput,
  GateRecord,
  KillCondition,
  KillCriterion,
  PhaseEntry,
  PhaseName,
  Project,
  ProjectInput,
  Reading,
} from './model.js';
import { DEFAULT_CHECKLIST, DEFAULT_PHASES, GO_NO_GO, PHASE_NAMES } from './phases.js';
import {
  endEntry,
  insertConfidence,
  insertEntry,
  insertGate,
  insertKillFlag,
  insertProject,
  insertQuality,
  killProject,
  listExperiments,
  listKillFlags,
  loadProject,
  loadProjects,
  projectExists,
  resolveKillFlags,
  type KillFlag,
  type RowSource,
} from './store.js';

/**
 * ML project operations: the pure rules (gates, kill criteria, detectors,
 * forecast) over the stored project, each write in one transaction.
 */

// --- Writes -------------------------------------------------------------------------

export async function addProject(ctx: MlContext, input: ProjectInput, now: number, source: RowSource = 'api'): Promise<Project> {
  const issues: FieldIssue[] = [];
  if (await projectExists(ctx.db, input.id)) throw new ConflictError(`ML project "${input.id}" already exists`);
  const { teams } = await loadOrg(ctx.db);
  input.teams.forEach((team, i) => {
    if (!teams.some((t) => t.id === team)) issues.push({ field: `teams[${i}]`, message: `unknown team "${team}"` });
  });
  const plan = input.phases ?? DEFAULT_PHASES.map((p) => ({ ...p }));
  if (input.phases !== undefined) {
    const names = plan.map((p) => p.name);
    if (names.join() !== PHASE_NAMES.join())
      issues.push({ field: 'phases', message: `list the five phases in order: ${PHASE_NAMES.join(', ')}` });
  }
  if (input.businessMetricId !== undefined) await checkMetric(ctx, input.businessMetricId, 'businessMetricId', issues);
  const criteria: KillCriterion[] = [];
  for (const [i, c] of input.killCriteria.entries()) {
    const id = c.id ?? `k${i + 1}`;
    if (criteria.some((k) => k.id === id)) issues.push({ field: `killCriteria[${i}].id`, message: `"${id}" is used twice` });
    if (c.condition.kind === 'metric') await checkMetric(ctx, c.condition.metric, `killCriteria[${i}].condition.metric`, issues);
    const condition = c.condition as KillCondition;
    criteria.push({ id, description: c.description ?? describeCondition(condition, input.qualityMetric), condition });
  }
  if (issues.length > 0) throw new ValidationError('Invalid ML project', issues);
  const project: Project = {
    id: input.id,
    name: input.name,
    productOwner: input.productOwner,
    businessSponsor: input.businessSponsor ?? null,
    businessMetric: input.businessMetric ?? null,
    businessMetricId: input.businessMetricId ?? null,
    qualityMetric: input.qualityMetric,
    qualityThreshold: input.minQuality,
    qualityDirection: input.qualityDirection,
    productionPath: input.productionPath ?? null,
    teams: input.teams,
    keyResult: input.keyResult ?? null,
    startedAt: input.start,
    status: 'active',
    learning: null,
    plan,
    checklist: input.checklist ?? DEFAULT_CHECKLIST.map((c) => ({ ...c })),
    entries: [{ seq: 1, phase: PHASE_NAMES[0], startedAt: input.start, endedAt: null }],
    gates: [],
    killCriteria: criteria,
    confidence: input.confidence === undefined ? [] : [{ at: input.start, value: input.confidence, note: null, statedBy: null }],
    quality: [],
  };
  await ctx.db.transaction().execute((tx) => insertProject(tx, project, source, now));
  return project;
}

async function checkMetric(ctx: MlContext, id: string, field: string, issues: FieldIssue[]): Promise<void> {
  if (ctx.metrics && (await ctx.metrics.find(id)) === undefined) {
    issues.push({ field, message: `unknown metric "${id}": it is not in the metric store` });
  }
}

/** Records a gate decision: ends the active phase; a no-go kills the project, a pivot re-enters a phase, a go may enter the next. */
export async function recordGate(ctx: MlContext, id: string, input: GateInput, now: number): Promise<Project> {
  const project = await loadProject(ctx.db, id);
  const at = input.at ?? now;
  checkGate(project, input, at);
  const active = activeEntry(project) as PhaseEntry;
  const gate: GateRecord = {
    seq: Math.max(0, ...project.gates.map((g) => g.seq)) + 1,
    phase: input.phase,
    decision: input.decision,
    decidedBy: input.decidedBy,
    decidedAt: at,
    evidence: input.evidence,
    checklist: input.checklist,
    note: input.note ?? null,
    pivotTo: input.decision === 'pivot' ? (input.pivotTo ?? input.phase) : null,
  };
  const after: Project = {
    ...project,
    entries: project.entries.map((e) => (e.seq === active.seq ? { ...e, endedAt: at } : e)),
    gates: [...project.gates, gate],
  };
  let next: PhaseEntry | undefined;
  const seq = Math.max(0, ...project.entries.map((e) => e.seq)) + 1;
  if (gate.pivotTo !== null) next = { seq, phase: gate.pivotTo, startedAt: at, endedAt: null };
  if (input.decision === 'go' && input.enterNext) {
    const phase = nextPhase(input.phase) as PhaseName;
    checkEnter(after, phase, at);
    next = { seq, phase, startedAt: at, endedAt: null };
  }
  await ctx.db.transaction().execute(async (tx) => {
    await endEntry(tx, id, active.seq, at);
    await insertGate(tx, id, gate);
    if (input.decision === 'no-go') await killProject(tx, id, input.learning as string);
    if (next) await insertEntry(tx, id, next);
    await resolveKillFlags(tx, id, at, `${gate.decision} at ${gate.phase} by ${gate.decidedBy}`);
  });
  return loadProject(ctx.db, id);
}

export async function enterPhase(ctx: MlContext, id: string, phase: PhaseName, at: number): Promise<Project> {
  const project = await loadProject(ctx.db, id);
  checkEnter(project, phase, at);
  const seq = Math.max(0, ...project.entries.map((e) => e.seq)) + 1;
  await insertEntry(ctx.db, id, { seq, phase, startedAt: at, endedAt: null });
  return loadProject(ctx.db, id);
}

export async function addConfidence(ctx: MlContext, id: string, entry: ConfidenceEntry): Promise<Project> {
  await loadProject(ctx.db, id);
  await insertConfidence(ctx.db, id, entry);
  return loadProject(ctx.db, id);
}

export async function addQuality(ctx: MlContext, id: string, reading: Reading): Promise<Project> {
  await loadProject(ctx.db, id);
  await insertQuality(ctx.db, id, reading);
  return loadProject(ctx.db, id);
}

// --- Kill criteria -------------------------------------------------------------------

async function killContext(ctx: MlContext, projects: readonly Project[], at: number) {
  const experiments = new Map((await listExperiments(ctx.db)).map((e) => [e.id, e]));
  const metrics = new Map<string, MetricAnswer>();
  for (const project of projects) {
    for (const { condition } of project.killCriteria) {
      if (condition.kind !== 'metric' || metrics.has(condition.metric)) continue;
      if (!ctx.metrics) metrics.set(condition.metric, { known: false, reason: NO_METRIC_STORE });
      else if ((await ctx.metrics.find(condition.metric)) === undefined) {
        metrics.set(condition.metric, { known: false, reason: `unknown metric "${condition.metric}"` });
      } else metrics.set(condition.metric, { known: true, reading: await ctx.metrics.readingAt(condition.metric, at) });
    }
  }
  return { experiments, metric: (id: string) => metrics.get(id) ?? { known: false as const, reason: NO_METRIC_STORE } };
}

/**
 * The sync step: evaluates every active project's kill criteria at `at` and
 * flags each newly met one with its evidence. A criterion flags once: the flag
 * stays open until a gate decision is recorded, and that decision stands.
 */
export async function evaluateKillCriteria(ctx: MlContext, at: number): Promise<{ evaluated: number; flagged: number; open: number }> {
  const projects = (await loadProjects(ctx.db)).filter((p) => p.status === 'active');
  const context = await killContext(ctx, projects, at);
  const flags = await listKillFlags(ctx.db);
  let evaluated = 0;
  let flagged = 0;
  await ctx.db.transaction().execute(async (tx) => {
    for (const project of projects) {
      for (const criterion of project.killCriteria) {
        evaluated += 1;
        const evaluation = evaluateKillCriterion(project, criterion, at, context);
        if (evaluation.status !== 'met') continue;
        if (flags.some((f) => f.projectId === project.id && f.criterionId === criterion.id)) continue;
        await insertKillFlag(tx, { projectId: project.id, criterionId: criterion.id, metAt: at, evidence: evaluation.evidence });
        flagged += 1;
      }
    }
  });
  return { evaluated, flagged, open: (await listKillFlags(ctx.db, { open: true })).length };
}

// --- Views --------------------------------------------------------------------------

export interface ProjectView {
  project: Project;
  /** The active phase, or the last one entered. */
  phase: PhaseName;
  phaseActive: boolean;
  confidence: ConfidenceEntry | null;
  latestQuality: (Reading & { meetsThreshold: boolean }) | null;
  forecast: Forecast | null;
  /** Why there is no forecast, when there is none. */
  forecastNote: string | null;
  killCriteria: Array<KillCriterion & { evaluation: KillEvaluation }>;
  flags: KillFlag[];
  detectors: DetectorResult[];
  experiments: Experiment[];
  /** The business metric's latest reading at the view's date, from the metric store; null with the reason in `businessMetricNote`. */
  businessMetricReading: Reading | null;
  businessMetricNote: string | null;
}

/** The business metric's live value: its latest reading in the metric store at `at`, or why there is none. */
async function businessMetricReading(
  ctx: MlContext,
  project: Project,
  at: number,
): Promise<{ reading: Reading | null; note: string | null }> {
  const id = project.businessMetricId;
  if (id === null) return { reading: null, note: 'not linked to a metric of the metric store' };
  if (!ctx.metrics) return { reading: null, note: NO_METRIC_STORE };
  if ((await ctx.metrics.find(id)) === undefined) return { reading: null, note: `unknown metric "${id}"` };
  const reading = await ctx.metrics.readingAt(id, at);
  return reading ? { reading, note: null } : { reading: null, note: `no reading of "${id}" yet` };
}

/** The phase of each plan entry for the forecast: the latest entry of each phase, dropping later phases a pivot went back before. */
export function forecastPhases(project: Project, history: ReadonlyMap<PhaseName, number[]>): ForecastPhaseInput[] {
  const seen = new Map<PhaseName, PhaseEntry>();
  for (const entry of [...project.entries].sort((a, b) => a.seq - b.seq)) {
    for (const later of PHASE_NAMES.slice(PHASE_NAMES.indexOf(entry.phase))) seen.delete(later);
    seen.set(entry.phase, entry);
  }
  return project.plan.map((plan) => {
    const entry = seen.get(plan.name);
    return {
      name: plan.name,
      min: plan.min,
      max: plan.max,
      start: entry ? startOfDay(entry.startedAt) : null,
      end: entry?.endedAt === null || entry === undefined ? null : startOfDay(entry.endedAt),
      history: history.get(plan.name) ?? [],
    };
  });
}

/** Actual durations (days) of each finished phase across projects other than `except`: one per project, its latest. */
export function phaseHistory(projects: readonly Project[], except: string): Map<PhaseName, number[]> {
  const history = new Map<PhaseName, number[]>();
  for (const project of projects) {
    if (project.id === except) continue;
    for (const phase of PHASE_NAMES) {
      const done = project.entries.filter((e) => e.phase === phase && e.endedAt !== null).sort((a, b) => b.seq - a.seq)[0];
      if (done) history.set(phase, [...(history.get(phase) ?? []), ((done.endedAt as number) - done.startedAt) / DAY_MS]);
    }
  }
  return history;
}

export function projectForecast(project: Project, all: readonly Project[], at: number, seed?: number): Forecast {
  const go = latestGate(project, GO_NO_GO);
  return forecast({
    phases: forecastPhases(project, phaseHistory(all, project.id)),
    at: startOfDay(at),
    go: go?.decision === 'go' ? startOfDay(go.decidedAt) : null,
    ...(seed === undefined ? {} : { seed }),
  });
}

async function monitoringFor(ctx: MlContext, projectId: string): Promise<MonitoringAnswer> {
  if (!ctx.monitoring) return NO_MONITORING_MODULE;
  return { available: true, lastDataAt: await ctx.monitoring.lastDataAt(projectId) };
}

/** Every project's view at `at`, ordered by id. */
export async function projectViews(ctx: MlContext, at: number, ids?: readonly string[], seed?: number): Promise<ProjectView[]> {
  const all = await loadProjects(ctx.db);
  const projects = ids === undefined ? all : all.filter((p) => ids.includes(p.id));
  const context = await killContext(ctx, projects, at);
  const flags = await listKillFlags(ctx.db);
  const experiments = await listExperiments(ctx.db);
  const views: ProjectView[] = [];
  for (const project of projects) {
    const active = activeEntry(project);
    const last = [...project.entries].sort((a, b) => b.seq - a.seq)[0];
    const confidence = project.confidence.filter((c) => c.at <= at).at(-1) ?? null;
    const quality = project.quality.filter((q) => q.at <= at).at(-1);
    const killed = project.status === 'killed';
    views.push({
      project,
      phase: (active ?? last)?.phase ?? PHASE_NAMES[0],
      phaseActive: active !== undefined,
      confidence,
      latestQuality: quality
        ? {
            ...quality,
            meetsThreshold:
              project.qualityDirection === 'higher' ? quality.value >= project.qualityThreshold : quality.value <= project.qualityThreshold,
          }
        : null,
      forecast: killed ? null : projectForecast(project, all, at, seed),
      forecastNote: killed ? `killed ${last?.endedAt ? formatDay(last.endedAt) : ''}: no remaining phases`.trim() : null,
      killCriteria: project.killCriteria.map((c) => ({ ...c, evaluation: evaluateKillCriterion(project, c, at, context) })),
      flags: flags.filter((f) => f.projectId === project.id),
      detectors: detectFailureModes(project, at, await monitoringFor(ctx, project.id)),
      experiments: experiments.filter((e) => e.projectId === project.id),
      ...(await businessMetricReading(ctx, project, at).then(({ reading, note }) => ({
        businessMetricReading: reading,
        businessMetricNote: note,
      }))),
    });
  }
  return views;
}

export async function projectView(ctx: MlContext, id: string, at: number, seed?: number): Promise<ProjectView> {
  await loadProject(ctx.db, id);
  return (await projectViews(ctx, at, [id], seed))[0] as ProjectView;
}
