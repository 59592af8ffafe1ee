import { slothAlerting } from './alert-windows.js';
import { z } from 'zod';

import type { Duration } from '../duration.js';
import type { MetricSource, SloDefinition } from '../model.js';
import type { Catalog } from './catalog.js';
import { parseAt } from '../../shared/parse-yaml-schema.js';
import { SLOTH_IGNORES } from './sloth.js';
import type { FieldPath, YamlObject } from '../../shared/yaml-documents.js';

export const OPENSLO_V1ALPHA = 'openslo/v1alpha';

/**
 * OpenSLO `v1alpha` SLOs, read as Sloth v0.16 reads them
 * (internal/storage/io/openslo.go in slok/sloth): each objective becomes one
 * SLO named `<name>-<index>` with id `<service>-<name>-<index>`; its
 * `ratioMetrics` good/total PromQL queries (source `prometheus` or `sloth`,
 * queryType `promql`) give the error ratio `1 - good/total`; the objective is
 * `target`; at most one time window, counted in days (30 days when absent);
 * no alerts. Keys Sloth does not read are warnings, as in its Go decoder.
 */
const querySchema = z.strictObject({
  source: z.string().optional(),
  queryType: z.string().optional(),
  query: z.string().optional(),
  metadata: z.unknown().optional(),
});
const schema = z.strictObject({
  apiVersion: z.literal(OPENSLO_V1ALPHA),
  kind: z.literal('SLO', { error: 'Sextant reads only SLO objects of openslo/v1alpha (as Sloth does)' }),
  metadata: z.strictObject({ name: z.string().min(1), displayName: z.string().optional() }),
  spec: z.strictObject({
    service: z.string().min(1),
    description: z.string().optional(),
    budgetingMethod: z.string().optional(),
    indicator: z.unknown().optional(),
    objectives: z
      .array(
        z.strictObject({
          displayName: z.string().optional(),
          op: z.string().optional(),
          value: z.number().optional(),
          target: z.number({ error: 'required: the objective as a ratio, e.g. 0.999' }),
          timeSliceTarget: z.number().optional(),
          timeSliceWindow: z.unknown().optional(),
          ratioMetrics: z
            .strictObject({ counter: z.boolean().optional(), good: querySchema, total: querySchema, incremental: z.boolean().optional() })
            .optional(),
        }),
      )
      .min(1, 'at least one objective is required'),
    timeWindows: z
      .array(
        z.strictObject({
          count: z.number().int().positive(),
          unit: z.string(),
          isRolling: z.boolean().optional(),
          calendar: z.unknown().optional(),
        }),
      )
      .max(1, 'only 1 time window is supported (Sloth)')
      .optional(),
  }),
});

export function convertOpenSloV1Alpha(object: YamlObject, catalog: Catalog): SloDefinition[] {
  const slo = parseAt(schema, object, object.value, [], catalog.issues, { warnings: catalog.warnings, note: SLOTH_IGNORES });
  if (!slo) return [];
  const window = slo.spec.timeWindows?.[0];
  if (window && window.unit.toLowerCase() !== 'day') {
    catalog.issues.push(
      object.issue(
        ['spec', 'timeWindows', 0, 'unit'],
        'only days based time windows are supported (Sloth reads openslo/v1alpha windows in days)',
      ),
    );
    return [];
  }
  const period: Duration = window ? { count: window.count, unit: 'd', text: `${window.count}d` } : catalog.slothPeriod;
  return slo.spec.objectives.flatMap((objective, index): SloDefinition[] => {
    const at: FieldPath = ['spec', 'objectives', index];
    const ratio = objective.ratioMetrics;
    if (!ratio) {
      catalog.issues.push(object.issue(at, 'missing ratioMetrics: Sloth reads openslo/v1alpha ratio objectives only'));
      return [];
    }
    let valid = true;
    for (const part of ['good', 'total'] as const) {
      const q = ratio[part];
      if (q.source !== 'prometheus' && q.source !== 'sloth') {
        catalog.issues.push(object.issue([...at, 'ratioMetrics', part, 'source'], 'must be "prometheus" or "sloth"'));
        valid = false;
      }
      if (q.queryType !== 'promql') {
        catalog.issues.push(
          object.issue([...at, 'ratioMetrics', part, 'queryType'], `unsupported query type "${q.queryType ?? ''}": must be "promql"`),
        );
        valid = false;
      }
      if (!q.query) {
        catalog.issues.push(object.issue([...at, 'ratioMetrics', part, 'query'], 'required'));
        valid = false;
      }
    }
    const percent = objective.target * 100;
    if (!(percent > 0 && percent < 100)) {
      catalog.issues.push(object.issue([...at, 'target'], `${objective.target} is outside (0, 1)`));
      valid = false;
    }
    if (!valid) return [];
    // Sloth's template, kept so the rules read as Sloth writes them.
    const rawQuery = `\n  1 - (\n    (\n      ${ratio.good.query}\n    )\n    /\n    (\n      ${ratio.total.query}\n    )\n  )\n`;
    const raw: MetricSource = {
      type: 'Prometheus',
      dataSource: null,
      query: rawQuery,
      spec: { query: rawQuery },
      location: object.locate([...at, 'ratioMetrics']),
    };
    const name = `${slo.metadata.name}-${index}`;
    const service = slo.spec.service;
    const id = `${service}-${name}`;
    const none = { disabled: true, labels: {}, annotations: {} };
    return [
      {
        name: id,
        displayName: slo.metadata.displayName ?? name,
        service,
        description: slo.spec.description ?? null,
        target: objective.target,
        budgetingMethod: 'Occurrences',
        timeSlicing: null,
        window: { kind: 'rolling', duration: period },
        indicator: { kind: 'raw-ratio', rawType: 'failure', raw },
        alerting: slothAlerting(catalog, period),
        labels: {},
        format: 'sloth',
        sloth: {
          id,
          service,
          slo: name,
          objectivePercent: percent,
          labels: {},
          alertName: null,
          alertLabels: {},
          alertAnnotations: {},
          page: none,
          ticket: none,
          spec: OPENSLO_V1ALPHA,
          mode: 'cli-gen-openslo',
          kubernetes: null,
        },
        location: object.locate(at),
      },
    ];
  });
}
