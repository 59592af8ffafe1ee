import { DEFAULT_MIN_EVENTS, workbookConditions } from '../alert-conditions.js';
import { nominalMs, type Duration } from '../duration.js';
import type { MetricSource, SloDefinition } from '../model.js';
import type { Catalog } from './catalog.js';
import { parseAt } from '../../shared/parse-yaml-schema.js';
import { slothSpecSchema, type SlothSlo, type SlothSpec } from './sloth-schema.js';
import type { FieldPath, YamlObject } from '../../shared/yaml-documents.js';

/** Sloth's default SLO period (`sloth generate --default-slo-period`). */
export const SLOTH_PERIOD: Duration = { count: 30, unit: 'd', text: '30d' };

/**
 * Converts a Sloth `prometheus/v1` spec. Each SLO is named by Sloth's id,
 * `<service>-<slo>`, so names stay unique across services; Sloth's queries
 * keep their `{{.window}}` placeholder for rule generation.
 */
export function convertSlothSpec(value: unknown, object: YamlObject, at: FieldPath, catalog: Catalog): SloDefinition[] {
  const spec = parseAt(slothSpecSchema, object, value, at, catalog.issues);
  if (!spec) return [];
  const seen = new Set<string>();
  return spec.slos.flatMap((slo, index) => {
    const sloAt: FieldPath = [...at, 'slos', index];
    if (seen.has(slo.name)) {
      catalog.issues.push(object.issue([...sloAt, 'name'], `SLO "${slo.name}" is defined twice in service "${spec.service}"`));
      return [];
    }
    seen.add(slo.name);
    const definition = convertSlothSlo(spec, slo, object, sloAt, catalog);
    return definition ? [definition] : [];
  });
}

function convertSlothSlo(spec: SlothSpec, slo: SlothSlo, object: YamlObject, at: FieldPath, catalog: Catalog): SloDefinition | undefined {
  const issues = catalog.issues;
  let valid = true;
  if (!(slo.objective > 0 && slo.objective < 100)) {
    issues.push(object.issue([...at, 'objective'], `${slo.objective} is outside (0, 100): Sloth objectives are percentages such as 99.9`));
    valid = false;
  }
  const kinds = (['events', 'raw', 'plugin'] as const).filter((kind) => slo.sli[kind] !== undefined);
  if (kinds.length !== 1) {
    issues.push(object.issue([...at, 'sli'], 'needs exactly one of events, raw or plugin'));
    return undefined;
  }
  if (slo.sli.plugin) {
    issues.push(object.issue([...at, 'sli', 'plugin'], 'Sloth SLI plugins are not supported: write the queries as events or raw'));
    return undefined;
  }
  const alerting = slo.alerting ?? {};
  const pageDisabled = alerting.page_alert?.disable ?? false;
  const ticketDisabled = alerting.ticket_alert?.disable ?? false;
  if (!valid) return undefined;

  const query = (text: string, field: FieldPath): MetricSource => ({
    type: 'Prometheus',
    dataSource: null,
    query: text,
    spec: { query: text },
    location: object.locate(field),
  });
  const events = slo.sli.events;
  const raw = slo.sli.raw;
  const indicator: SloDefinition['indicator'] = events
    ? {
        kind: 'ratio',
        counter: true,
        good: null,
        bad: query(events.error_query, [...at, 'sli', 'events', 'error_query']),
        total: query(events.total_query, [...at, 'sli', 'events', 'total_query']),
      }
    : {
        kind: 'raw-ratio',
        rawType: 'failure',
        raw: query((raw as { error_ratio_query: string }).error_ratio_query, [...at, 'sli', 'raw', 'error_ratio_query']),
      };
  const labels = { ...spec.labels, ...slo.labels };
  const id = `${spec.service}-${slo.name}`;
  return {
    name: id,
    displayName: slo.name,
    service: spec.service,
    description: slo.description ?? null,
    target: slo.objective / 100,
    budgetingMethod: 'Occurrences',
    timeSlicing: null,
    window: { kind: 'rolling', duration: SLOTH_PERIOD },
    indicator,
    alerting: { conditions: workbookConditions(nominalMs(SLOTH_PERIOD)), source: 'workbook', minEvents: DEFAULT_MIN_EVENTS },
    labels,
    format: 'sloth',
    sloth: {
      id,
      service: spec.service,
      slo: slo.name,
      objectivePercent: slo.objective,
      labels,
      alertName: alerting.name ?? null,
      alertLabels: alerting.labels ?? {},
      alertAnnotations: alerting.annotations ?? {},
      page: { disabled: pageDisabled, labels: alerting.page_alert?.labels ?? {}, annotations: alerting.page_alert?.annotations ?? {} },
      ticket: {
        disabled: ticketDisabled,
        labels: alerting.ticket_alert?.labels ?? {},
        annotations: alerting.ticket_alert?.annotations ?? {},
      },
    },
    location: object.locate(at),
  };
}
