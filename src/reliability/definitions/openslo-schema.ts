import { z } from 'zod';

/**
 * The structure of OpenSLO v1 objects (https://github.com/OpenSLO/OpenSLO,
 * "v1"), checked field by field. Objects are strict so a misspelt field
 * (`targetPrecent`) is reported instead of silently ignored; data-source
 * specific parts (`metricSource.spec`, `connectionDetails`) are free-form.
 * Value rules (target ranges, durations, references) are checked after
 * parsing, where the error can say what was meant.
 */

// RFC 1123 labels as OpenSLO recommends, with the longer, wider set it encourages.
export const objectName = z
  .string()
  .regex(
    /^[A-Za-z0-9]([A-Za-z0-9._-]{0,251}[A-Za-z0-9])?$/,
    'must be letters, digits, ".", "_" or "-", starting and ending with a letter or digit (at most 253)',
  );

const text = z.string();

export const metadataSchema = z.strictObject({
  name: objectName,
  displayName: text.optional(),
  labels: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

export const metricSourceSchema = z.strictObject({
  metricSourceRef: z.string().min(1).optional(),
  type: z.string().min(1).optional(),
  spec: z.record(z.string(), z.unknown()).default({}),
});

export const metricSchema = z.strictObject({ metricSource: metricSourceSchema });

export const ratioMetricSchema = z.strictObject({
  counter: z.boolean().optional(),
  good: metricSchema.optional(),
  bad: metricSchema.optional(),
  total: metricSchema.optional(),
  rawType: z.enum(['success', 'failure']).optional(),
  raw: metricSchema.optional(),
});

export const sliSpecSchema = z.strictObject({
  description: text.optional(),
  ratioMetric: ratioMetricSchema.optional(),
  thresholdMetric: metricSchema.optional(),
});

export const comparisonOp = z.enum(['lt', 'lte', 'gt', 'gte']);

export const objectiveSchema = z.strictObject({
  displayName: text.optional(),
  op: comparisonOp.optional(),
  value: z.number().optional(),
  target: z.number().optional(),
  targetPercent: z.number().optional(),
  timeSliceTarget: z.number().optional(),
  timeSliceWindow: z.union([z.number(), z.string()]).optional(),
  // Composite SLOs (objective-level indicators) are read so they can be refused with a clear message.
  indicator: z.unknown().optional(),
  indicatorRef: z.string().optional(),
  compositeWeight: z.number().optional(),
});

export const timeWindowSchema = z.strictObject({
  duration: z.string(),
  isRolling: z.boolean().optional(),
  calendar: z.strictObject({ startTime: z.union([z.string(), z.date()]), timeZone: z.string() }).optional(),
});

export const sloSpecSchema = z.strictObject({
  description: text.optional(),
  service: z.string().min(1),
  indicator: z.strictObject({ metadata: metadataSchema, spec: sliSpecSchema }).optional(),
  indicatorRef: z.string().min(1).optional(),
  timeWindow: z.array(timeWindowSchema).optional(),
  budgetingMethod: z.enum(['Occurrences', 'Timeslices', 'RatioTimeslices']),
  objectives: z.array(objectiveSchema).min(1, 'needs at least one objective'),
  // Refs (strings or { alertPolicyRef }) or inline AlertPolicy objects: checked by hand for clear messages.
  alertPolicies: z.array(z.unknown()).optional(),
});

export const alertConditionSpecSchema = z.strictObject({
  description: text.optional(),
  severity: z.string().min(1),
  condition: z.strictObject({
    kind: z.literal('burnrate', { error: 'only "burnrate" conditions exist in OpenSLO v1' }).default('burnrate'),
    op: comparisonOp.optional(),
    threshold: z.number().positive('must be a burn rate above 0'),
    lookbackWindow: z.string(),
    alertAfter: z.string().optional(),
  }),
});

export const alertPolicySpecSchema = z.strictObject({
  description: text.optional(),
  alertWhenNoData: z.boolean().optional(),
  alertWhenResolved: z.boolean().optional(),
  alertWhenBreaching: z.boolean().optional(),
  conditions: z.array(z.unknown()).min(1, 'needs a condition'),
  notificationTargets: z.array(z.unknown()).optional(),
});

export const serviceSpecSchema = z.strictObject({ description: text.optional() });

export const dataSourceSpecSchema = z.strictObject({
  description: text.optional(),
  type: z.string().min(1),
  connectionDetails: z.record(z.string(), z.unknown()).optional(),
});

export const notificationTargetSpecSchema = z.strictObject({ description: text.optional(), target: z.string().min(1) });

export const envelopeSchema = z.strictObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: metadataSchema,
  spec: z.unknown(),
});

export type Metadata = z.infer<typeof metadataSchema>;
export type MetricSpec = z.infer<typeof metricSchema>;
export type SliSpec = z.infer<typeof sliSpecSchema>;
export type SloSpec = z.infer<typeof sloSpecSchema>;
export type ObjectiveSpec = z.infer<typeof objectiveSchema>;
export type AlertConditionSpec = z.infer<typeof alertConditionSpecSchema>;
export type AlertPolicySpec = z.infer<typeof alertPolicySpecSchema>;
export type DataSourceSpec = z.infer<typeof dataSourceSpecSchema>;
