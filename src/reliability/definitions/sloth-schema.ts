import { z } from 'zod';

/**
 * Sloth's `prometheus/v1` spec (https://sloth.dev, "Prometheus spec"), so
 * Sloth users can point Sextant at the files they have. The same spec also
 * arrives wrapped in Sloth's Kubernetes `PrometheusServiceLevel` object, whose
 * keys are camelCase (`errorQuery`, `pageAlert`) where prometheus/v1 has
 * snake_case (`error_query`, `page_alert`).
 *
 * Sloth reads YAML with Go's lenient decoder: a key it does not know is
 * ignored, so `pageAlert` beside `page_alert` in a prometheus/v1 file is
 * silently dropped. Sextant accepts such files too and reports each unknown
 * key as a warning (file, line, key) instead of an error.
 */
const labels = z.record(z.string(), z.string());

/** The key names of one Sloth spec flavour. */
export interface SlothKeys {
  errorQuery: string;
  totalQuery: string;
  errorRatioQuery: string;
  pageAlert: string;
  ticketAlert: string;
  sloPlugins: string;
}

export const PROMETHEUS_V1_KEYS: SlothKeys = {
  errorQuery: 'error_query',
  totalQuery: 'total_query',
  errorRatioQuery: 'error_ratio_query',
  pageAlert: 'page_alert',
  ticketAlert: 'ticket_alert',
  sloPlugins: 'slo_plugins',
};

export const KUBERNETES_KEYS: SlothKeys = {
  errorQuery: 'errorQuery',
  totalQuery: 'totalQuery',
  errorRatioQuery: 'errorRatioQuery',
  pageAlert: 'pageAlert',
  ticketAlert: 'ticketAlert',
  sloPlugins: 'sloPlugins',
};

const name = z
  .string()
  .regex(
    /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/,
    'must be letters, digits, ".", "_" or "-", starting and ending with a letter or digit',
  );
const alertMetaSchema = z.strictObject({
  disable: z.boolean().optional(),
  labels: labels.optional(),
  annotations: labels.optional(),
});
const pluginsSchema = z.strictObject({
  overridePrevious: z.boolean().optional(),
  chain: z.array(z.strictObject({ id: z.string(), config: z.unknown().optional(), priority: z.number().optional() })),
});

export interface SlothAlertMeta {
  disable?: boolean;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A Sloth SLO with the key names of prometheus/v1, whichever flavour it was read from. */
export interface SlothSlo {
  name: string;
  objective: number;
  description?: string;
  labels?: Record<string, string>;
  plugins?: unknown;
  sli: {
    events?: { error_query: string; total_query: string };
    raw?: { error_ratio_query: string };
    plugin?: { id: string; options?: Record<string, unknown> };
  };
  alerting?: {
    name?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    page_alert?: SlothAlertMeta;
    ticket_alert?: SlothAlertMeta;
  };
}

export interface SlothSpec {
  service: string;
  labels?: Record<string, string>;
  sloPlugins?: unknown;
  slos: SlothSlo[];
}

/** The spec's schema for one flavour's key names; `withVersion` for prometheus/v1 (the Kubernetes spec has none). */
export function slothSpecSchema(keys: SlothKeys, withVersion: boolean): z.ZodType<SlothSpec> {
  const slo = z.strictObject({
    name,
    objective: z.number(),
    description: z.string().optional(),
    labels: labels.optional(),
    plugins: pluginsSchema.optional(),
    sli: z.strictObject({
      events: z.strictObject({ [keys.errorQuery]: z.string().min(1), [keys.totalQuery]: z.string().min(1) }).optional(),
      raw: z.strictObject({ [keys.errorRatioQuery]: z.string().min(1) }).optional(),
      plugin: z.strictObject({ id: z.string(), options: z.record(z.string(), z.unknown()).optional() }).optional(),
    }),
    alerting: z
      .strictObject({
        name: z.string().min(1, 'must not be empty').optional(),
        labels: labels.optional(),
        annotations: labels.optional(),
        [keys.pageAlert]: alertMetaSchema.optional(),
        [keys.ticketAlert]: alertMetaSchema.optional(),
      })
      .optional(),
  });
  const spec = z.strictObject({
    ...(withVersion ? { version: z.literal('prometheus/v1', { error: 'must be "prometheus/v1"' }) } : {}),
    service: name,
    labels: labels.optional(),
    [keys.sloPlugins]: pluginsSchema.optional(),
    slos: z.array(slo).min(1, 'needs at least one SLO'),
  });
  return spec.transform((value): SlothSpec => {
    const record = value as Record<string, unknown>;
    return {
      service: record.service as string,
      ...(record.labels ? { labels: record.labels as Record<string, string> } : {}),
      sloPlugins: record[keys.sloPlugins],
      slos: (record.slos as Array<Record<string, unknown>>).map((raw) => renameSlo(raw, keys)),
    };
  }) as unknown as z.ZodType<SlothSpec>;
}

function renameSlo(raw: Record<string, unknown>, keys: SlothKeys): SlothSlo {
  const sli = raw.sli as Record<string, Record<string, unknown> | undefined>;
  const alerting = raw.alerting as Record<string, unknown> | undefined;
  return {
    ...(raw as unknown as SlothSlo),
    sli: {
      ...(sli.events
        ? { events: { error_query: sli.events[keys.errorQuery] as string, total_query: sli.events[keys.totalQuery] as string } }
        : {}),
      ...(sli.raw ? { raw: { error_ratio_query: sli.raw[keys.errorRatioQuery] as string } } : {}),
      ...(sli.plugin ? { plugin: sli.plugin as SlothSlo['sli']['plugin'] & object } : {}),
    },
    ...(alerting
      ? {
          alerting: {
            ...(alerting.name !== undefined ? { name: alerting.name as string } : {}),
            ...(alerting.labels ? { labels: alerting.labels as Record<string, string> } : {}),
            ...(alerting.annotations ? { annotations: alerting.annotations as Record<string, string> } : {}),
            ...(alerting[keys.pageAlert] ? { page_alert: alerting[keys.pageAlert] as SlothAlertMeta } : {}),
            ...(alerting[keys.ticketAlert] ? { ticket_alert: alerting[keys.ticketAlert] as SlothAlertMeta } : {}),
          },
        }
      : {}),
  };
}

/** The Kubernetes form: the spec (camelCase keys, no `version`) inside a `PrometheusServiceLevel`. */
export const slothKubernetesSchema = z.strictObject({
  apiVersion: z.literal('sloth.slok.dev/v1'),
  kind: z.literal('PrometheusServiceLevel'),
  metadata: z.object({
    name: z.string().min(1),
    namespace: z.string().optional(),
    labels: labels.optional(),
    annotations: labels.optional(),
  }),
  spec: z.unknown(),
});
