import { z } from 'zod';

/**
 * Sloth's `prometheus/v1` spec (https://sloth.dev, "Prometheus spec"), so
 * Sloth users can point Sextant at the files they have. The same spec also
 * arrives wrapped in Sloth's Kubernetes `PrometheusServiceLevel` object.
 */
const labels = z.record(z.string(), z.string());

const alertMetaSchema = z.strictObject({
  disable: z.boolean().optional(),
  labels: labels.optional(),
  annotations: labels.optional(),
});

export const slothSloSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'must be letters, digits, "_" or "-"'),
  objective: z.number(),
  description: z.string().optional(),
  labels: labels.optional(),
  sli: z.strictObject({
    events: z.strictObject({ error_query: z.string().min(1), total_query: z.string().min(1) }).optional(),
    raw: z.strictObject({ error_ratio_query: z.string().min(1) }).optional(),
    plugin: z.strictObject({ id: z.string(), options: z.record(z.string(), z.unknown()).optional() }).optional(),
  }),
  alerting: z
    .strictObject({
      name: z.string().min(1).optional(),
      labels: labels.optional(),
      annotations: labels.optional(),
      page_alert: alertMetaSchema.optional(),
      ticket_alert: alertMetaSchema.optional(),
    })
    .optional(),
});

export const slothSpecSchema = z.strictObject({
  version: z.literal('prometheus/v1', { error: 'must be "prometheus/v1"' }),
  service: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'must be letters, digits, "_" or "-"'),
  labels: labels.optional(),
  slos: z.array(slothSloSchema).min(1, 'needs at least one SLO'),
});

/** The Kubernetes form: the same spec without `version`. */
export const slothKubernetesSchema = z.strictObject({
  apiVersion: z.literal('sloth.slok.dev/v1'),
  kind: z.literal('PrometheusServiceLevel'),
  metadata: z.record(z.string(), z.unknown()),
  spec: z.unknown(),
});

export type SlothSpec = z.infer<typeof slothSpecSchema>;
export type SlothSlo = z.infer<typeof slothSloSchema>;
