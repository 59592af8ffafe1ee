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

// ---- API responses (the dashboard's types are generated from these: npm run gen:api) ----

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const metricPointSchema = z.object({ date: z.string(), value: z.number() }).meta({ id: 'MetricPoint' });

const xmrRule = z
  .union([z.literal(1), z.literal(2), z.literal(3)])
  .describe('1 beyond a limit, 2 three of four near a limit, 3 eight on one side');
const signalSchema = z.object({ period: z.string(), rule: xmrRule, direction: z.enum(['high', 'low']) }).meta({ id: 'PeriodSignal' });

export const chartPointSchema = z
  .object({
    period: z.string().describe('Week: its last day; month: YYYY-MM'),
    from: z.string(),
    to: z.string(),
    value: z.number().nullable(),
    priorYear: z.number().nullable(),
    target: z.number().nullable(),
  })
  .meta({ id: 'ChartPoint' });

const seriesSignalsSchema = z
  .object({
    limits: z
      .object({
        centreLine: z.number(),
        averageMovingRange: z.number(),
        lowerLimit: z.number(),
        upperLimit: z.number(),
        upperRangeLimit: z.number(),
        trial: z.boolean().describe('Fewer baseline points than asked for: trial limits'),
        baselineStart: z.number(),
        baselinePoints: z.number(),
      })
      .nullable(),
    signals: z.array(signalSchema),
  })
  .meta({ id: 'SeriesSignals' });

export const boxTotalsSchema = z
  .object({
    lastWeek: z.number().nullable(),
    weekOverWeek: z.number().nullable(),
    yoyWeek: z.number().nullable(),
    monthToDate: z.number().nullable(),
    yoyMonthToDate: z.number().nullable(),
    quarterToDate: z.number().nullable(),
    yoyQuarterToDate: z.number().nullable(),
    yearToDate: z.number().nullable(),
    yoyYearToDate: z.number().nullable(),
  })
  .describe('Comparisons are fractional change for counts, basis points for rates')
  .meta({ id: 'BoxTotals' });

export const sixTwelveSchema = z
  .object({
    weekEnding: z.string(),
    weeks: z.array(chartPointSchema),
    months: z.array(chartPointSchema),
    box: boxTotalsSchema,
    weekly: seriesSignalsSchema,
    monthly: seriesSignalsSchema,
  })
  .meta({ id: 'SixTwelve' });

export const metricChartSchema = z.object({ metric: metricDefinitionSchema, chart: sixTwelveSchema }).meta({ id: 'MetricChart' });

export const leadLagSchema = z
  .object({
    weeks: z.number().describe('Weeks of changes used'),
    correlations: z.array(z.object({ lag: z.number(), r: z.number().nullable(), pairs: z.number() })),
    bestLag: z.number().nullable(),
    strength: z.number().nullable().describe('Pearson r at the best lag (signed)'),
    threshold: z.number().nullable().describe('|r| a lag needs to count as a relation'),
    related: z.boolean(),
    verdict: z.string(),
  })
  .meta({ id: 'LeadLag' });

export const treeNodeSchema = z
  .object({
    metric: z.string(),
    name: z.string(),
    unit: z.enum(metricUnits),
    direction: z.enum(['up', 'down']),
    lastWeek: z.number().nullable(),
    weekOverWeek: z.number().nullable(),
    signals: z.array(signalSchema).describe('Signals of the weekly series in the last six weeks, newest first'),
    edge: z.object({ hypothesis: z.string(), check: leadLagSchema }).nullable().describe('The edge to the parent (null for a North Star)'),
    get children() {
      return z.array(treeNodeSchema);
    },
  })
  .meta({ id: 'TreeNodeView' });

export const treeViewSchema = z
  .object({
    weekEnding: z.string(),
    northStars: z.array(z.object({ area: z.string(), root: treeNodeSchema, counterMetrics: z.array(treeNodeSchema) })),
  })
  .meta({ id: 'TreeView' });

export const edgeChecksSchema = z
  .object({
    weekEnding: z.string(),
    edges: z.array(z.object({ parent: z.string(), child: z.string(), hypothesis: z.string(), check: leadLagSchema })),
  })
  .meta({ id: 'NorthStarCheck' });

export const deckSchema = z
  .object({ sections: z.array(z.object({ title: z.string(), metrics: z.array(z.string()) })) })
  .meta({ id: 'ReviewDeck' });

export const reviewMetricSchema = z
  .object({
    metric: metricDefinitionSchema,
    chart: sixTwelveSchema,
    annotations: z
      .array(z.object({ id: z.string(), metric: z.string(), date: z.string(), text: z.string(), author: z.string() }))
      .describe("Annotations on the chart's span (twelve months back through the week)"),
    note: z.object({ text: z.string(), author: z.string() }).nullable(),
  })
  .meta({ id: 'ReviewMetric' });

export const reviewSchema = z
  .object({
    weekEnding: z.string(),
    weekStart: z.string().describe("The week's first day"),
    published: z.boolean(),
    sections: z.array(z.object({ title: z.string(), metrics: z.array(reviewMetricSchema) })),
    moduleSections: z
      .array(
        z.object({
          module: z.string(),
          title: z.string(),
          rows: z.array(z.object({ label: z.string(), value: z.string(), href: z.string().optional() })),
        }),
      )
      .describe('Sections other modules add (incidents, debt, ...)'),
    missingNotes: z
      .array(z.object({ metric: z.string(), owner: z.string().nullable() }))
      .describe('Metrics in the deck whose owner wrote no note this week'),
  })
  .meta({ id: 'Review' });

export const readoutSnapshotSchema = z
  .object({ review: reviewSchema, publishedAt: z.string(), publishedBy: z.string() })
  .meta({ id: 'ReadoutSnapshot' });

export const readoutSummarySchema = z
  .object({ weekEnding: z.string(), publishedAt: z.string(), publishedBy: z.string() })
  .meta({ id: 'ReadoutSummary' });
