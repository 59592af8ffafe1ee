import { z } from 'zod';
import { entityId } from '../org/index.js';
import { daySchema, instantSchema } from './days.js';
import { DETECTORS } from './detectors.js';
import { DECISIONS, PHASE_NAMES, type ChecklistItem, type GateDecision, type PhaseName, type PhasePlan } from './phases.js';
import { EXPERIMENT_DECISIONS, type ExperimentDecision } from './velocity.js';

// --- Domain -----------------------------------------------------------------------

export type QualityDirection = 'higher' | 'lower';
export type ProjectStatus = 'active' | 'killed';

export interface PhaseEntry {
  seq: number;
  phase: PhaseName;
  startedAt: number;
  endedAt: number | null;
}

export interface GateRecord {
  seq: number;
  phase: PhaseName;
  decision: GateDecision;
  decidedBy: string;
  decidedAt: number;
  evidence: string[];
  /** Checklist answers by item id (go/no-go gate). */
  checklist: Record<string, boolean>;
  note: string | null;
  /** For a pivot: the phase the project re-enters. */
  pivotTo: PhaseName | null;
}

export type Comparator = '<' | '<=' | '>' | '>=';

export type KillCondition =
  /** The project's own model-quality readings, compared on or after `by`. */
  | { kind: 'model-quality'; comparator: Comparator; threshold: number; by: number }
  /** A metric of the metric store (outcomes module), by id, compared on or after `by`. */
  | { kind: 'metric'; metric: string; comparator: Comparator; threshold: number; by: number }
  /** An experiment concluded with this decision. */
  | { kind: 'experiment'; experiment: string; decision: ExperimentDecision }
  /** No go decision at go/no-go within `weeks` of the project's start. */
  | { kind: 'no-go-decision'; weeks: number };

export interface KillCriterion {
  id: string;
  description: string;
  condition: KillCondition;
}

export interface Reading {
  at: number;
  value: number;
}

export interface ConfidenceEntry {
  at: number;
  /** Percent, 0-100: the team's stated confidence that the approach will work. */
  value: number;
  note: string | null;
  statedBy: string | null;
}

export interface Project {
  id: string;
  name: string;
  productOwner: string | null;
  businessSponsor: string | null;
  businessMetric: string | null;
  /** A metric-store id (outcomes module) when the business metric is one. */
  businessMetricId: string | null;
  qualityMetric: string;
  qualityThreshold: number;
  qualityDirection: QualityDirection;
  productionPath: string | null;
  teams: string[];
  /** The OKR / key result it serves, by id (the OKR module's, when it exists). */
  keyResult: string | null;
  startedAt: number;
  status: ProjectStatus;
  /** What was learned, recorded when the project is killed. */
  learning: string | null;
  plan: PhasePlan[];
  checklist: ChecklistItem[];
  entries: PhaseEntry[];
  gates: GateRecord[];
  killCriteria: KillCriterion[];
  confidence: ConfidenceEntry[];
  quality: Reading[];
}

export interface Experiment {
  id: string;
  hypothesis: string;
  metric: string;
  direction: QualityDirection;
  successThreshold: number;
  killThreshold: number | null;
  owner: string;
  teamId: string;
  projectId: string | null;
  keyResult: string | null;
  ticketUrl: string | null;
  startedAt: number;
  endedAt: number | null;
  result: number | null;
  decision: ExperimentDecision | null;
  learning: string | null;
  decidedAt: number | null;
}

// --- Inputs -------------------------------------------------------------------------

const text = z.string().trim().min(1, 'must not be empty');
const phaseName = z.enum(PHASE_NAMES);
const comparator = z.enum(['<', '<=', '>', '>=']);

export const phasePlanInput = z
  .object({
    name: phaseName,
    min: z.number().nonnegative().describe('Shortest planned duration, days'),
    max: z.number().positive().describe('Longest planned duration, days'),
  })
  .refine((p) => p.min <= p.max, { path: ['min'], message: 'is greater than max' });

export const killConditionInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('model-quality'), comparator, threshold: z.number(), by: daySchema }),
  z.object({ kind: z.literal('metric'), metric: text, comparator, threshold: z.number(), by: daySchema }),
  z.object({ kind: z.literal('experiment'), experiment: entityId, decision: z.enum(EXPERIMENT_DECISIONS).default('kill') }),
  z.object({ kind: z.literal('no-go-decision'), weeks: z.number().positive() }),
]);

export const killCriterionInput = z.object({
  id: entityId.optional().describe('Defaults to k1, k2, ... in order'),
  description: text.optional().describe('Defaults to the condition in words'),
  condition: killConditionInput,
});

export const projectInput = z
  .object({
    id: entityId,
    name: text,
    productOwner: text.describe('Required: a project without a product owner is a science project'),
    businessSponsor: text.optional(),
    businessMetric: text.optional().describe('The business metric it must move, in words'),
    businessMetricId: text.optional().describe('The metric-store id of that metric, when the outcomes module has it'),
    qualityMetric: text.default('accuracy').describe('The model-quality measure, e.g. recall'),
    minQuality: z.number().describe('Minimum viable model quality, agreed before work starts'),
    qualityDirection: z.enum(['higher', 'lower']).default('higher'),
    productionPath: text.optional().describe('The agreed path to production'),
    teams: z.array(entityId).min(1, 'name at least one team'),
    keyResult: text.optional().describe('The OKR / key result it serves, by id'),
    start: daySchema.describe('The day data assessment starts'),
    phases: z.array(phasePlanInput).optional().describe('Planned ranges; the defaults from the playbook otherwise'),
    checklist: z
      .array(z.object({ id: entityId, label: text }))
      .min(1)
      .optional()
      .describe('The go/no-go checklist; FBPML defaults otherwise'),
    killCriteria: z.array(killCriterionInput).default([]),
    confidence: z.number().min(0).max(100).optional().describe('The team’s confidence (%) that the approach will work'),
  })
  .strict();
export type ProjectInput = z.infer<typeof projectInput>;

export const gateInput = z
  .object({
    phase: phaseName.describe('The phase this decision ends: the active one'),
    decision: z.enum(DECISIONS),
    decidedBy: text,
    at: instantSchema.optional().describe('When; now by default'),
    evidence: z.array(text).default([]).describe('Links, metric values, the data readiness report'),
    checklist: z.record(z.string(), z.boolean()).default({}).describe('go/no-go: every checklist item answered true/false'),
    note: text.optional(),
    learning: text.optional().describe('no-go: what was learned (required)'),
    pivotTo: phaseName.optional().describe('pivot: the phase to re-enter (default: the same phase)'),
    enterNext: z.boolean().default(false).describe('go: enter the next phase at the same time'),
  })
  .strict();
export type GateInput = z.infer<typeof gateInput>;

export const enterInput = z.object({ phase: phaseName, at: instantSchema.optional() }).strict();
export const confidenceInput = z
  .object({ value: z.number().min(0).max(100), note: text.optional(), statedBy: text.optional(), at: instantSchema.optional() })
  .strict();
export const qualityInput = z.object({ value: z.number(), at: instantSchema.optional() }).strict();

export const experimentInput = z
  .object({
    id: entityId,
    hypothesis: text,
    metric: text,
    direction: z.enum(['higher', 'lower']).default('higher'),
    successThreshold: z.number().describe('Decided before the start'),
    killThreshold: z.number().optional(),
    owner: text,
    team: entityId,
    project: entityId.optional(),
    keyResult: text.optional(),
    ticketUrl: z.string().url().optional(),
    start: instantSchema.optional(),
  })
  .strict();
export type ExperimentInput = z.infer<typeof experimentInput>;

export const conclusionInput = z
  .object({
    decision: z.enum(EXPERIMENT_DECISIONS, { message: 'must be adopt, iterate or kill' }),
    learning: text.describe('What was learned, in words: required'),
    result: z.number().optional(),
    at: instantSchema.optional(),
  })
  .strict();
export type ConclusionInput = z.infer<typeof conclusionInput>;

export type { ChecklistItem, GateDecision, PhaseName, PhasePlan, ExperimentDecision };

// --- API responses (the dashboard's types are generated from these: npm run gen:api) ------------------
// Instants are ISO 8601 strings; planning dates (phase plans, forecasts, deadlines) are YYYY-MM-DD.

const iso = z.string().describe('ISO 8601 instant');
const isoOrNull = iso.nullable();
const day = z.string().describe('YYYY-MM-DD');
const direction = z.enum(['higher', 'lower']);

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const experimentSchema = z
  .object({
    id: z.string(),
    hypothesis: z.string(),
    metric: z.string(),
    direction,
    successThreshold: z.number(),
    killThreshold: z.number().nullable(),
    owner: z.string(),
    team: z.string(),
    project: z.string().nullable(),
    keyResult: z.string().nullable(),
    ticketUrl: z.string().nullable(),
    startedAt: iso,
    result: z.number().nullable(),
    verdict: z.enum(['success', 'kill', 'inconclusive']).nullable().describe('The result against the thresholds set at the start'),
    decision: z.enum(EXPERIMENT_DECISIONS).nullable(),
    learning: z.string().nullable(),
    decidedAt: isoOrNull,
    concluded: z.boolean(),
    daysToDecision: z.number().nullable(),
  })
  .meta({ id: 'Experiment' });

const killFlagFields = {
  criterionId: z.string(),
  metAt: iso,
  evidence: z.string(),
  resolvedAt: isoOrNull.describe('When a gate decision resolved it'),
  resolvedBy: z.string().nullable(),
};
const killFlagSchema = z.object(killFlagFields).meta({ id: 'MlKillFlag' });
export const portfolioKillFlagSchema = z.object({ project: z.string(), ...killFlagFields }).meta({ id: 'MlPortfolioKillFlag' });

export const phaseForecastSchema = z
  .object({
    name: z.string(),
    status: z.enum(['done', 'active', 'planned']),
    method: z.enum(['actual', 'range', 'history']).describe('How the duration was drawn: `actual` for a finished phase'),
    min: z.number(),
    max: z.number(),
    start: day.nullable(),
    p50: day.describe('Forecast end date (the actual end for a done phase)'),
    p90: day,
    overdue: z.boolean(),
    committable: z.boolean(),
    label: z.string().nullable(),
  })
  .meta({ id: 'MlPhaseForecast' });

export const forecastSchema = z
  .object({
    at: day,
    seed: z.number(),
    draws: z.number(),
    p50: day,
    p90: day,
    p50Days: z.number().describe('The percentiles in days from `at`, before rounding to whole days'),
    p90Days: z.number(),
    committable: z.boolean(),
    label: z.string().nullable(),
    method: z.enum(['range', 'history', 'mixed', 'none']),
    phases: z.array(phaseForecastSchema),
  })
  .meta({ id: 'MlForecast' });

export const projectSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(['active', 'killed']),
    phase: z.enum(PHASE_NAMES).describe('The active phase, or the last one entered'),
    phaseActive: z.boolean(),
    teams: z.array(z.string()),
    productOwner: z.string().nullable(),
    confidence: z.number().nullable().describe('The latest stated confidence, percent'),
    p50: day.nullable(),
    p90: day.nullable(),
    committable: z.boolean().nullable(),
    label: z.string().nullable(),
    flags: z.array(z.string()).describe('Open kill-criterion flags first, then fired detectors'),
    openKillFlags: z.array(killFlagSchema),
    learning: z.string().nullable(),
  })
  .meta({ id: 'MlProjectSummary' });

const comparatorSchema = z.enum(['<', '<=', '>', '>=']);

export const projectSchema = z
  .object({
    ...projectSummarySchema.shape,
    businessSponsor: z.string().nullable(),
    businessMetric: z.string().nullable(),
    businessMetricId: z.string().nullable(),
    businessMetricValue: z
      .object({ value: z.number(), date: z.string() })
      .nullable()
      .describe("The business metric's latest value from the outcomes store, and its day"),
    businessMetricNote: z.string().nullable().describe('Why there is no value, when there is none'),
    qualityMetric: z.string(),
    minQuality: z.number(),
    qualityDirection: direction,
    productionPath: z.string().nullable(),
    keyResult: z.string().nullable(),
    start: day,
    plan: z.array(z.object({ name: z.enum(PHASE_NAMES), min: z.number(), max: z.number() })),
    checklist: z.array(z.object({ id: z.string(), label: z.string() })),
    timeline: z.array(z.object({ seq: z.number(), phase: z.enum(PHASE_NAMES), start: iso, end: isoOrNull })),
    gates: z.array(
      z.object({
        seq: z.number(),
        phase: z.enum(PHASE_NAMES),
        decision: z.enum(DECISIONS),
        decidedBy: z.string(),
        decidedAt: iso,
        evidence: z.array(z.string()),
        checklist: z.record(z.string(), z.boolean()).describe('Checklist answers by item id (go/no-go gate)'),
        note: z.string().nullable(),
        pivotTo: z.enum(PHASE_NAMES).nullable(),
      }),
    ),
    confidenceHistory: z.array(z.object({ at: iso, value: z.number(), note: z.string().nullable(), statedBy: z.string().nullable() })),
    quality: z.object({
      latest: z.object({ at: iso, value: z.number(), meetsThreshold: z.boolean() }).nullable(),
      readings: z.array(z.object({ at: iso, value: z.number() })),
    }),
    forecast: forecastSchema.nullable(),
    forecastNote: z.string().nullable().describe('Why there is no forecast, when there is none'),
    killCriteria: z.array(
      z.object({
        id: z.string(),
        description: z.string(),
        condition: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('model-quality'), comparator: comparatorSchema, threshold: z.number(), by: day }),
          z.object({ kind: z.literal('metric'), metric: z.string(), comparator: comparatorSchema, threshold: z.number(), by: day }),
          z.object({ kind: z.literal('experiment'), experiment: z.string(), decision: z.enum(EXPERIMENT_DECISIONS) }),
          z.object({ kind: z.literal('no-go-decision'), weeks: z.number() }),
        ]),
        status: z.enum(['met', 'not-met', 'unknown']),
        evidence: z.string(),
        flag: killFlagSchema.nullable(),
      }),
    ),
    detectors: z.array(
      z.object({
        detector: z.enum(DETECTORS),
        status: z.enum(['fired', 'quiet', 'not-evaluated']),
        evidence: z.array(z.string()).describe('Why it fired or stayed quiet, with the figures'),
      }),
    ),
    experiments: z.array(experimentSchema),
  })
  .meta({ id: 'MlProject' });

export const forecastAnswerSchema = z.union([forecastSchema, z.object({ note: z.string().nullable() }).describe('No forecast, and why')]);

export const monthlyReviewSchema = z
  .object({
    month: z.string(),
    timeZone: z.string(),
    from: iso,
    to: iso,
    projects: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        status: z.string(),
        phase: z.string(),
        confidence: z.object({ value: z.number(), previous: z.number().nullable(), note: z.string().nullable() }).nullable(),
        quality: z.object({
          metric: z.string(),
          value: z.number().nullable(),
          threshold: z.number(),
          direction: z.string(),
          meets: z.boolean().nullable(),
          at: z.string().nullable(),
        }),
        businessMetric: z.object({ name: z.string().nullable(), id: z.string().nullable(), movement: z.string() }),
        forecast: z.object({ p50: day, p90: day, committable: z.boolean(), label: z.string().nullable() }).nullable(),
        experiments: z.array(
          z.object({
            id: z.string(),
            decision: z.string(),
            decidedAt: z.string(),
            hypothesis: z.string(),
            learning: z.string(),
            verdict: z.string().nullable(),
          }),
        ),
        blockers: z.array(z.string()),
        killCriteria: z.array(
          z.object({ id: z.string(), description: z.string(), status: z.string(), evidence: z.string(), flagged: z.boolean() }),
        ),
        learning: z.string().nullable(),
      }),
    ),
    markdown: z.string(),
    html: z.string().describe('A self-contained page: inline styles, no external requests'),
  })
  .meta({ id: 'MlMonthlyReview' });

export const experimentVelocitySchema = z
  .object({
    timezone: z.string(),
    weeks: z.array(
      z.object({
        teamId: z.string(),
        week: z.string().describe('ISO week, e.g. 2026-W05'),
        weekStart: day.describe('Its Monday'),
        concluded: z.number(),
        byDecision: z.object({ adopt: z.number(), iterate: z.number(), kill: z.number() }),
        medianDaysToDecision: z.number().nullable(),
        experimentIds: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: 'ExperimentVelocity' });
