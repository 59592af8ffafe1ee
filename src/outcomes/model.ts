import { z } from 'zod';
import { isCalendarDate } from './dates.js';

/** Metric ids: lower-case words joined by `-`, `_` or `.` (built-in series use `delivery.deployments`). */
export const metricId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, { message: 'must be lower-case letters, digits, ".", "_" or "-" (at most 100)' });
export const calendarDate = z.string().refine(isCalendarDate, { message: 'must be a calendar date YYYY-MM-DD' });

export const metricUnits = ['count', 'ratio', 'percent', 'currency', 'duration'] as const;
export const aggregations = ['sum', 'mean', 'last', 'min', 'max'] as const;

export const metricDefinitionFields = z
  .object({
    name: z.string().min(1).max(200),
    unit: z.enum(metricUnits).default('count'),
    direction: z.enum(['up', 'down']).default('up').describe('Which way is good'),
    owner: z.string().min(1).max(200).optional().describe('The team (or person) who writes the weekly note'),
    aggregation: z.enum(aggregations).default('sum').describe('How days roll up into weeks and months'),
    numerator: metricId.optional().describe('Ratio metrics: aggregated first, then divided by the denominator'),
    denominator: metricId.optional(),
    description: z.string().max(4000).default('').describe('How it is measured'),
    target: z.object({ week: z.number().finite().optional(), month: z.number().finite().optional() }).strict().optional(),
    baseline: z
      .object({
        points: z.number().int().min(2).max(200).optional().describe('XmR baseline length (default 12)'),
        from: calendarDate.optional().describe('Lock the baseline to start here, after a real change'),
      })
      .strict()
      .optional(),
  })
  .strict();
const pairedRatio = (m: { numerator?: string | undefined; denominator?: string | undefined }) =>
  (m.numerator === undefined) === (m.denominator === undefined);
const pairedRatioIssue = { message: 'numerator and denominator go together', path: ['denominator'] };
export const metricDefinitionInput = metricDefinitionFields.refine(pairedRatio, pairedRatioIssue);
/** A metric in sextant.yaml: the definition with its id. */
export const configMetricInput = metricDefinitionFields.extend({ id: metricId }).refine(pairedRatio, pairedRatioIssue);
export type MetricDefinitionInput = z.input<typeof metricDefinitionInput>;

export const metricDefinitionSchema = z
  .object({
    id: metricId,
    name: z.string(),
    unit: z.enum(metricUnits),
    direction: z.enum(['up', 'down']),
    owner: z.string().nullable(),
    aggregation: z.enum(aggregations),
    numerator: z.string().nullable(),
    denominator: z.string().nullable(),
    description: z.string(),
    target: z.object({ week: z.number().nullable(), month: z.number().nullable() }),
    baseline: z.object({ points: z.number(), from: z.string().nullable() }),
    source: z.string().describe('"config", "api", or the module that publishes it'),
  })
  .meta({ id: 'MetricDefinition' });
export type MetricDefinition = z.infer<typeof metricDefinitionSchema>;

/** Rates compare in basis points; everything else in % change. */
export function isRate(metric: Pick<MetricDefinition, 'unit'>): boolean {
  return metric.unit === 'ratio' || metric.unit === 'percent';
}

export const pointInput = z.object({ metric: metricId, date: calendarDate, value: z.number().finite() }).strict();
export type PointInput = z.infer<typeof pointInput>;

export const annotationInput = z
  .object({ metric: metricId, date: calendarDate, text: z.string().min(1).max(2000), author: z.string().min(1).max(200) })
  .strict();
export type AnnotationInput = z.infer<typeof annotationInput>;

// ---- the North Star tree ----
export const treeEdgeInput = z
  .object({
    parent: metricId,
    child: metricId,
    hypothesis: z.string().max(500).default('').describe('"more activated teams -> more weekly learning users"'),
  })
  .strict();
export const northStarInput = z
  .object({
    metric: metricId,
    area: z.string().min(1).max(100).default('workspace').describe('One North Star per workspace or product area'),
    counterMetrics: z.array(metricId).default([]),
  })
  .strict();
export const treeInput = z.object({ northStars: z.array(northStarInput), edges: z.array(treeEdgeInput) }).strict();
export type TreeInput = z.input<typeof treeInput>;
export type Tree = z.infer<typeof treeInput>;

// ---- the weekly review deck ----
export const deckInput = z
  .object({
    sections: z.array(z.object({ title: z.string().min(1).max(200), metrics: z.array(metricId) }).strict()),
  })
  .strict();
export type Deck = z.infer<typeof deckInput>;
