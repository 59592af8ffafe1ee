import { slothAlerting } from './alert-windows.js';
import type { Duration } from '../duration.js';
import type { MetricSource, SloDefinition } from '../model.js';
import type { Catalog, SlothEntry } from './catalog.js';
import { parseAt } from '../../shared/parse-yaml-schema.js';
import { KUBERNETES_KEYS, PROMETHEUS_V1_KEYS, slothSpecSchema, type SlothSlo, type SlothSpec } from './sloth-schema.js';
import type { FieldPath } from '../../shared/yaml-documents.js';

const PROMETHEUS_SCHEMA = slothSpecSchema(PROMETHEUS_V1_KEYS, true);
const KUBERNETES_SCHEMA = slothSpecSchema(KUBERNETES_KEYS, false);
/** Why an unknown key is only a warning in a Sloth file. */
export const SLOTH_IGNORES = 'Sloth ignores keys it does not know, so Sextant does too';

/** Sloth's default SLO period (`sloth generate --default-slo-period`). */
export const SLOTH_PERIOD: Duration = { count: 30, unit: 'd', text: '30d' };

/**
 * Converts a Sloth `prometheus/v1` spec. Each SLO is named by Sloth's id,
 * `<service>-<slo>`, so names stay unique across services; Sloth's queries
 * keep their `{{.window}}` placeholder for rule generation.
 */
export function convertSlothSpec(entry: SlothEntry, catalog: Catalog): SloDefinition[] {
  const { object, at } = entry;
  const keys = entry.kubernetes ? KUBERNETES_KEYS : PROMETHEUS_V1_KEYS;
  const schema = entry.kubernetes ? KUBERNETES_SCHEMA : PROMETHEUS_SCHEMA;
  const spec = parseAt(schema, object, entry.spec, at, catalog.issues, { warnings: catalog.warnings, note: SLOTH_IGNORES });
  if (!spec) return [];
  if (spec.sloPlugins !== undefined) {
    catalog.warnings.push(
      object.issue([...at, keys.sloPlugins], 'Sloth SLO plugins are Go code Sextant does not run: the rules are generated without them'),
    );
  }
  const seen = new Set<string>();
  return spec.slos.flatMap((slo, index) => {
    const sloAt: FieldPath = [...at, 'slos', index];
    if (seen.has(slo.name)) {
      catalog.issues.push(object.issue([...sloAt, 'name'], `SLO "${slo.name}" is defined twice in service "${spec.service}"`));
      return [];
    }
    seen.add(slo.name);
    if (slo.plugins !== undefined) {
      catalog.warnings.push(
        object.issue([...sloAt, 'plugins'], 'Sloth SLO plugins are Go code Sextant does not run: the rules are generated without them'),
      );
    }
    const definition = convertSlothSlo(spec, slo, entry, sloAt, catalog);
    return definition ? [definition] : [];
  });
}

function convertSlothSlo(spec: SlothSpec, slo: SlothSlo, entry: SlothEntry, at: FieldPath, catalog: Catalog): SloDefinition | undefined {
  const { object } = entry;
  const keys = entry.kubernetes ? KUBERNETES_KEYS : PROMETHEUS_V1_KEYS;
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
  const events = slo.sli.events;
  if (slo.sli.plugin) {
    issues.push(object.issue([...at, 'sli', 'plugin'], 'Sloth SLI plugins are not supported: write the queries as events or raw'));
    return undefined;
  }
  const alerting = slo.alerting ?? {};
  const pageDisabled = alerting.page_alert?.disable ?? false;
  const ticketDisabled = alerting.ticket_alert?.disable ?? false;
  if (alerting.name === undefined && !(pageDisabled && ticketDisabled)) {
    // Sloth: "alert name is required" unless both alerts are disabled.
    const which = pageDisabled ? 'ticket' : 'page';
    issues.push(
      object.issue(
        [...at, 'alerting', 'name'],
        `required: Sloth names the ${which} alert with it (or disable both with ${keys.pageAlert}/${keys.ticketAlert}.disable)`,
      ),
    );
    valid = false;
  }
  if (events && events.error_query === events.total_query) {
    issues.push(
      object.issue(
        [...at, 'sli', 'events'],
        "the error and total queries are the same (Sloth: both error and total queries can't be the same)",
      ),
    );
    valid = false;
  }
  if (!valid) return undefined;

  const query = (text: string, field: FieldPath): MetricSource => ({
    type: 'Prometheus',
    dataSource: null,
    query: text,
    spec: { query: text },
    location: object.locate(field),
  });
  const raw = slo.sli.raw;
  const indicator: SloDefinition['indicator'] = events
    ? {
        kind: 'ratio',
        counter: true,
        good: null,
        bad: query(events.error_query, [...at, 'sli', 'events', keys.errorQuery]),
        total: query(events.total_query, [...at, 'sli', 'events', keys.totalQuery]),
      }
    : {
        kind: 'raw-ratio',
        rawType: 'failure',
        raw: query((raw as { error_ratio_query: string }).error_ratio_query, [...at, 'sli', 'raw', keys.errorRatioQuery]),
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
    window: { kind: 'rolling', duration: catalog.slothPeriod },
    indicator,
    alerting: slothAlerting(catalog, catalog.slothPeriod),
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
      spec: entry.kubernetes ? 'sloth.slok.dev/v1' : 'prometheus/v1',
      mode: entry.kubernetes ? 'cli-gen-k8s' : 'cli-gen-prom',
      kubernetes: entry.kubernetes,
    },
    location: object.locate(at),
  };
}
