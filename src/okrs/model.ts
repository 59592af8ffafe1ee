import { z } from 'zod';
import { entityId } from '../org/index.js';
import { calendarDate } from '../shared/calendar-date.js';
import { DEFAULT_BEHIND_TOLERANCE, DEFAULT_ZONE_VALUES, ZONES, type ObjectiveKind, type Zone } from './grading.js';
import type { Period } from './period.js';

const positiveWeight = z.number().positive({ message: 'must be greater than 0' }).default(1);

/** The words describing each milestone zone ("commit: the SDK is in beta with 2 teams"). */
export const milestoneZones = z.strictObject({
  fail: z.string().trim().min(1).optional(),
  commit: z.string().trim().min(1),
  target: z.string().trim().min(1),
  stretch: z.string().trim().min(1).optional(),
});

/**
 * A key result: a metric one (`start`, `target`; its values come from the
 * outcomes metric named by `metric`, or from check-ins when it names none) or
 * a milestone one (`milestones`: the zones in words).
 */
export const keyResultInput = z
  .strictObject({
    id: entityId,
    title: z.string().trim().min(1),
    metric: entityId.optional().describe('An outcomes metric the key result follows; without it, check-ins carry the values'),
    start: z.number().optional(),
    target: z.number().optional(),
    unit: z.string().trim().min(1).optional(),
    aggregation: z.enum(['latest', 'sum', 'mean']).default('latest').describe("The metric's value over the period"),
    milestones: milestoneZones.optional(),
    weight: positiveWeight,
  })
  .superRefine((kr, ctx) => {
    if (kr.milestones !== undefined) {
      for (const field of ['metric', 'start', 'target'] as const)
        if (kr[field] !== undefined)
          ctx.addIssue({ code: 'custom', path: [field], message: 'a milestone key result has zones, not values' });
      return;
    }
    if (kr.start === undefined) ctx.addIssue({ code: 'custom', path: ['start'], message: 'required (or describe `milestones`)' });
    if (kr.target === undefined) ctx.addIssue({ code: 'custom', path: ['target'], message: 'required (or describe `milestones`)' });
    if (kr.start !== undefined && kr.start === kr.target)
      ctx.addIssue({ code: 'custom', path: ['target'], message: `equals start (${kr.start}): progress would be undefined` });
  });

export const objectiveInput = z.strictObject({
  title: z.string().trim().min(1),
  description: z.string().trim().min(1).optional(),
  team: entityId.nullable().default(null).describe('Owner team; none for a company objective'),
  period: z.string().trim().min(1).describe('A quarter such as 2026-Q4 or a custom period id'),
  parent: entityId.optional().describe('The objective this one aligns to, in the same period'),
  kind: z.enum(['committed', 'aspirational']).default('aspirational'),
  weight: positiveWeight,
  keyResults: z.array(keyResultInput).min(1, { message: 'needs at least one key result' }),
});

export const objectiveConfig = z.strictObject({ id: entityId, ...objectiveInput.shape });

/** The `okrs:` section of sextant.yaml. */
export const okrsConfig = z
  .strictObject({
    quarterStartMonth: z.number().int().min(1).max(12).default(1).describe('First month of quarter 1'),
    periods: z.array(z.strictObject({ id: z.string().trim().min(1), start: calendarDate, end: calendarDate })).default([]),
    behindTolerance: z.number().min(0).max(1).default(DEFAULT_BEHIND_TOLERANCE),
    zoneValues: z
      .strictObject({
        fail: z.number().min(0).max(1),
        commit: z.number().min(0).max(1),
        target: z.number().min(0).max(1),
        stretch: z.number().min(0).max(1),
      })
      .default(DEFAULT_ZONE_VALUES),
    objectives: z.array(objectiveConfig).default([]),
  })
  .default({
    quarterStartMonth: 1,
    periods: [],
    behindTolerance: DEFAULT_BEHIND_TOLERANCE,
    zoneValues: DEFAULT_ZONE_VALUES,
    objectives: [],
  });

export type OkrsConfig = z.infer<typeof okrsConfig>;
export type OkrsSection = { okrs: OkrsConfig };
export type ObjectiveInput = z.infer<typeof objectiveInput>;
export type KeyResultInput = z.infer<typeof keyResultInput>;

export const checkinInput = z.strictObject({
  id: z.string().trim().min(1).max(200).optional().describe('Stable id from the caller; re-sending it changes nothing'),
  at: z.iso.datetime({ offset: true }).optional().describe('When the check-in is about (default: now)'),
  value: z.number().optional().describe('The current value (key results without a metric)'),
  zone: z.enum(ZONES).optional().describe('The zone reached (milestone key results)'),
  confidence: z.number().int().min(0, { message: 'must be from 0 to 10' }).max(10, { message: 'must be from 0 to 10' }).optional(),
  comment: z.string().trim().min(1).max(10_000).optional(),
  author: z.string().trim().min(1).max(200).optional(),
});
export type CheckinInput = z.infer<typeof checkinInput>;

export interface KeyResult {
  id: string;
  objectiveId: string;
  title: string;
  kind: 'metric' | 'milestone';
  metricId: string | null;
  start: number | null;
  target: number | null;
  unit: string | null;
  aggregation: 'latest' | 'sum' | 'mean';
  zones: z.infer<typeof milestoneZones> | null;
  weight: number;
}

export interface Objective {
  id: string;
  title: string;
  description: string | null;
  teamId: string | null;
  period: Period;
  parentId: string | null;
  kind: ObjectiveKind;
  weight: number;
  source: 'config' | 'api' | 'demo';
  keyResults: KeyResult[];
}

export interface Checkin {
  id: string;
  keyResultId: string;
  at: number;
  value: number | null;
  zone: Zone | null;
  confidence: number | null;
  comment: string | null;
  author: string | null;
  /** A correction names the check-in it corrects; the original stays in the history. */
  correctsId: string | null;
  recordedAt: number;
}

// --- API responses (the dashboard's types are generated from these) ----------

const periodSchema = z.object({ id: z.string(), start: z.string(), end: z.string() }).meta({ id: 'OkrPeriod' });
const bandSchema = z.enum(['red', 'yellow', 'green']);

export const checkinViewSchema = z
  .object({
    id: z.string(),
    keyResultId: z.string(),
    at: z.string(),
    value: z.number().nullable(),
    zone: z.enum(ZONES).nullable(),
    confidence: z.number().nullable(),
    comment: z.string().nullable(),
    author: z.string().nullable(),
    correctsId: z.string().nullable().describe('Set on a correction: the check-in it corrects'),
    correctedBy: z.string().nullable().describe('Set when a later entry corrects this one'),
    recordedAt: z.string(),
  })
  .meta({ id: 'OkrCheckin' });

export const keyResultServingSchema = z
  .object({
    workItems: z
      .object({
        counts: z.object({ open: z.number(), inProgress: z.number(), done: z.number(), cancelled: z.number() }),
        items: z.array(
          z.object({
            id: z.string(),
            team: z.string(),
            title: z.string(),
            type: z.string(),
            state: z.enum(['todo', 'in-progress', 'done', 'cancelled']),
            completed: z.string().nullable(),
          }),
        ),
      })
      .nullable()
      .describe('Work items whose links name this key result (`kr:<id>`); null when no work-item source is installed'),
    ml: z
      .array(
        z.object({
          kind: z.enum(['project', 'experiment']),
          id: z.string(),
          title: z.string().describe("A project's name, an experiment's hypothesis"),
          status: z.string().describe("A project's status; an experiment's decision, or `running`"),
        }),
      )
      .nullable()
      .describe('ML projects and experiments that name this key result; null when the ML module is not installed'),
  })
  .describe('The work serving this key result (alignment)')
  .meta({ id: 'OkrKeyResultServing' });

export const keyResultViewSchema = z
  .object({
    id: z.string(),
    objectiveId: z.string(),
    title: z.string(),
    kind: z.enum(['metric', 'milestone']),
    metricId: z.string().nullable(),
    start: z.number().nullable(),
    target: z.number().nullable(),
    unit: z.string().nullable(),
    aggregation: z.enum(['latest', 'sum', 'mean']),
    zones: milestoneZones.nullable(),
    weight: z.number(),
    progress: z.number().describe('0-1: (current - start) / (target - start) clamped, or the zone value'),
    current: z.number().nullable(),
    zone: z.enum(ZONES).nullable(),
    behind: z.boolean().describe('progress < expected progress - tolerance'),
    confidence: z.number().nullable(),
    confidenceTrend: z.array(z.object({ at: z.string(), confidence: z.number() })),
    checkins: z.array(checkinViewSchema),
    serving: keyResultServingSchema,
  })
  .meta({ id: 'OkrKeyResult' });

export const objectiveViewSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    teamId: z.string().nullable(),
    period: periodSchema,
    parentId: z.string().nullable(),
    kind: z.enum(['committed', 'aspirational']),
    weight: z.number(),
    source: z.enum(['config', 'api', 'demo']),
    score: z.number(),
    band: bandSchema,
    flagged: z.boolean().describe('Committed, period over, score below 1.0'),
    keyResults: z.array(keyResultViewSchema),
  })
  .meta({ id: 'OkrObjective' });

export const okrReportSchema = z
  .object({
    period: periodSchema.nullable(),
    at: z.string(),
    expectedProgress: z.number().nullable(),
    score: z.number().nullable(),
    band: bandSchema.nullable(),
    teams: z.array(z.object({ team: z.string().nullable(), score: z.number(), band: bandSchema, objectives: z.number() })),
    objectives: z.array(objectiveViewSchema),
  })
  .meta({ id: 'OkrReport' });

export const okrPeriodsSchema = z.object({ items: z.array(periodSchema), nextCursor: z.null() });
