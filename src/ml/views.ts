import { formatDay } from './days.js';
import { resultVerdict } from './experiments.js';
import type { Experiment, KillCondition } from './model.js';
import type { ProjectView } from './projects.js';
import type { KillFlag } from './store.js';

/**
 * JSON shapes of the API and `--json`: instants as ISO 8601 strings, planning
 * dates (phase starts and ends, forecasts, deadlines) as YYYY-MM-DD.
 */
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function experimentJson(e: Experiment) {
  return {
    id: e.id,
    hypothesis: e.hypothesis,
    metric: e.metric,
    direction: e.direction,
    successThreshold: e.successThreshold,
    killThreshold: e.killThreshold,
    owner: e.owner,
    team: e.teamId,
    project: e.projectId,
    keyResult: e.keyResult,
    ticketUrl: e.ticketUrl,
    startedAt: iso(e.startedAt),
    result: e.result,
    verdict: resultVerdict(e),
    decision: e.decision,
    learning: e.learning,
    decidedAt: iso(e.decidedAt),
    concluded: e.decision !== null,
    daysToDecision: e.decidedAt === null ? null : Number(((e.decidedAt - e.startedAt) / 86_400_000).toFixed(2)),
  };
}
export type ExperimentJson = ReturnType<typeof experimentJson>;

function conditionJson(condition: KillCondition) {
  return 'by' in condition ? { ...condition, by: formatDay(condition.by) } : condition;
}

function flagJson(flag: KillFlag) {
  return {
    criterionId: flag.criterionId,
    metAt: iso(flag.metAt),
    evidence: flag.evidence,
    resolvedAt: iso(flag.resolvedAt),
    resolvedBy: flag.resolvedBy,
  };
}

/** The flags a project shows on the portfolio: open kill-criterion flags first, then fired detectors. */
export function projectFlags(view: ProjectView): string[] {
  const flags: string[] = [];
  if (view.flags.some((f) => f.resolvedAt === null)) flags.push('kill criterion met');
  for (const d of view.detectors) if (d.status === 'fired') flags.push(d.detector);
  return flags;
}

export function projectSummaryJson(view: ProjectView) {
  const p = view.project;
  return {
    id: p.id,
    name: p.name,
    status: p.status,
    phase: view.phase,
    phaseActive: view.phaseActive,
    teams: p.teams,
    productOwner: p.productOwner,
    confidence: view.confidence?.value ?? null,
    p50: view.forecast?.p50 ?? null,
    p90: view.forecast?.p90 ?? null,
    committable: view.forecast?.committable ?? null,
    label: view.forecast?.label ?? null,
    flags: projectFlags(view),
    openKillFlags: view.flags.filter((f) => f.resolvedAt === null).map(flagJson),
    learning: p.learning,
  };
}
export type ProjectSummaryJson = ReturnType<typeof projectSummaryJson>;

export function projectJson(view: ProjectView) {
  const p = view.project;
  return {
    ...projectSummaryJson(view),
    businessSponsor: p.businessSponsor,
    businessMetric: p.businessMetric,
    businessMetricId: p.businessMetricId,
    /** The business metric's live value from the metric store (its latest daily point), or null with the reason. */
    businessMetricValue: view.businessMetricReading
      ? { value: view.businessMetricReading.value, date: formatDay(view.businessMetricReading.at) }
      : null,
    businessMetricNote: view.businessMetricNote,
    qualityMetric: p.qualityMetric,
    minQuality: p.qualityThreshold,
    qualityDirection: p.qualityDirection,
    productionPath: p.productionPath,
    keyResult: p.keyResult,
    start: formatDay(p.startedAt),
    plan: p.plan,
    checklist: p.checklist,
    timeline: p.entries.map((e) => ({ seq: e.seq, phase: e.phase, start: iso(e.startedAt), end: iso(e.endedAt) })),
    gates: p.gates.map((g) => ({ ...g, decidedAt: iso(g.decidedAt) })),
    confidenceHistory: p.confidence.map((c) => ({ ...c, at: iso(c.at) })),
    quality: {
      latest: view.latestQuality ? { ...view.latestQuality, at: iso(view.latestQuality.at) } : null,
      readings: p.quality.map((q) => ({ at: iso(q.at), value: q.value })),
    },
    forecast: view.forecast,
    forecastNote: view.forecastNote,
    killCriteria: view.killCriteria.map((c) => {
      const flag = view.flags.filter((f) => f.criterionId === c.id).at(-1);
      return {
        id: c.id,
        description: c.description,
        condition: conditionJson(c.condition),
        status: c.evaluation.status,
        evidence: c.evaluation.evidence,
        flag: flag ? flagJson(flag) : null,
      };
    }),
    detectors: view.detectors,
    experiments: view.experiments.map(experimentJson),
  };
}
export type ProjectJson = ReturnType<typeof projectJson>;
