import { DEFAULT_MIN_EVENTS, SHORT_WINDOW_DIVISOR, workbookConditions } from '../alert-conditions.js';
import { isTimeZone } from '../../shared/time-zone.js';
import { parseLocalDateTime } from '../calendar.js';
import { isCalendarUnit, MINUTE_MS, nominalMs, parseDuration, type Duration } from '../duration.js';
import type { BurnRateCondition, Indicator, MetricSource, SloAlerting, SloDefinition, SloWindow, TimeSlicing } from '../model.js';
import { findObject, knownNames, type Catalog, type NamedObject } from './catalog.js';
import {
  alertConditionSpecSchema,
  alertPolicySpecSchema,
  metadataSchema,
  sloSpecSchema,
  sliSpecSchema,
  type MetricSpec,
  type ObjectiveSpec,
  type SliSpec,
  type SloSpec,
} from './openslo-schema.js';
import { parseAt } from '../../shared/parse-yaml-schema.js';
import type { FieldPath, YamlObject } from '../../shared/yaml-documents.js';

/** OpenSLO says nothing about a missing timeWindow; Sextant uses the Workbook's 30-day rolling window. */
export const DEFAULT_WINDOW: Duration = { count: 30, unit: 'd', text: '30d' };
export const MIN_EVENTS_ANNOTATION = 'sextant.dev/min-events';

/** Converts one OpenSLO `SLO` object into one definition per objective; problems go to `catalog.issues`. */
export function convertOpenSloSlo(entry: NamedObject, catalog: Catalog): SloDefinition[] {
  const { object } = entry;
  const issues = catalog.issues;
  const spec = parseAt(sloSpecSchema, object, entry.spec, ['spec'], issues);
  if (!spec) return [];

  const sli = resolveIndicator(spec, entry, catalog);
  const window = convertWindow(spec, object, issues, catalog.warnings);
  const alerting = convertAlerting(spec, entry, catalog, window);
  if (spec.objectives.length > 1 && sli?.spec.thresholdMetric) {
    issues.push(object.issue(['spec', 'objectives'], 'a thresholdMetric SLO has exactly one objective (OpenSLO v1)'));
  }

  const definitions: SloDefinition[] = [];
  spec.objectives.forEach((objective, index) => {
    const at: FieldPath = ['spec', 'objectives', index];
    const target = convertTarget(objective, object, at, issues);
    const timeSlicing = convertTimeSlicing(spec.budgetingMethod, objective, object, at, issues);
    if (objective.indicator !== undefined || objective.indicatorRef !== undefined || objective.compositeWeight !== undefined) {
      issues.push(object.issue(at, 'composite objectives (an indicator per objective) are not supported; define one SLO per indicator'));
      return;
    }
    const indicator = sli ? convertIndicator(sli.spec, sli.object, sli.at, objective, at, object, catalog) : undefined;
    if (target === undefined || timeSlicing === undefined || !indicator || !window || !alerting) return;
    definitions.push({
      name: spec.objectives.length === 1 ? entry.metadata.name : `${entry.metadata.name}-${objectiveSuffix(objective, index)}`,
      displayName: [entry.metadata.displayName ?? entry.metadata.name, spec.objectives.length > 1 ? objective.displayName : undefined]
        .filter(Boolean)
        .join(' — '),
      service: spec.service,
      description: spec.description ?? null,
      target,
      budgetingMethod: spec.budgetingMethod,
      timeSlicing,
      window,
      indicator,
      alerting,
      labels: flattenLabels(entry.metadata.labels),
      format: 'openslo',
      sloth: null,
      location: object.locate([]),
    });
  });
  return definitions;
}

function objectiveSuffix(objective: ObjectiveSpec, index: number): string {
  const slug = (objective.displayName ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || String(index + 1);
}

function flattenLabels(labels: Record<string, string | string[]> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(labels ?? {}).map(([key, value]) => [key, Array.isArray(value) ? value.join(',') : value]));
}

// --- Indicator ------------------------------------------------------------------

interface ResolvedSli {
  spec: SliSpec;
  object: YamlObject;
  at: FieldPath;
}

function resolveIndicator(spec: SloSpec, entry: NamedObject, catalog: Catalog): ResolvedSli | undefined {
  const { object } = entry;
  if (spec.indicator && spec.indicatorRef) {
    catalog.issues.push(object.issue(['spec', 'indicatorRef'], 'give either indicator (inline) or indicatorRef, not both'));
    return undefined;
  }
  if (spec.indicator) return { spec: spec.indicator.spec, object, at: ['spec', 'indicator', 'spec'] };
  if (!spec.indicatorRef) {
    catalog.issues.push(object.issue(['spec'], 'needs an indicator (inline SLI) or an indicatorRef (name of an SLI)'));
    return undefined;
  }
  const sli = findObject(catalog, 'SLI', spec.indicatorRef);
  if (!sli) {
    catalog.issues.push(object.issue(['spec', 'indicatorRef'], `no SLI named "${spec.indicatorRef}"${knownNames(catalog, 'SLI')}`));
    return undefined;
  }
  const sliSpec = parseAt(sliSpecSchema, sli.object, sli.spec, ['spec'], catalog.issues);
  return sliSpec ? { spec: sliSpec, object: sli.object, at: ['spec'] } : undefined;
}

/** Parses an SLI once per referencing objective: threshold metrics take op and value from the objective. */
function convertIndicator(
  sli: SliSpec,
  sliObject: YamlObject,
  sliAt: FieldPath,
  objective: ObjectiveSpec,
  objectiveAt: FieldPath,
  sloObject: YamlObject,
  catalog: Catalog,
): Indicator | undefined {
  const issues = catalog.issues;
  if (sli.ratioMetric && sli.thresholdMetric) {
    issues.push(sliObject.issue(sliAt, 'give either ratioMetric or thresholdMetric, not both'));
    return undefined;
  }
  if (sli.thresholdMetric) {
    const metric = metricSource(sli.thresholdMetric, sliObject, [...sliAt, 'thresholdMetric'], catalog);
    if (objective.op === undefined)
      issues.push(sloObject.issue([...objectiveAt, 'op'], 'required for a thresholdMetric (lt, lte, gt or gte)'));
    if (objective.value === undefined)
      issues.push(sloObject.issue([...objectiveAt, 'value'], 'required for a thresholdMetric: the threshold'));
    if (!metric || objective.op === undefined || objective.value === undefined) return undefined;
    return { kind: 'threshold', metric, op: objective.op, threshold: objective.value };
  }
  const ratio = sli.ratioMetric;
  if (!ratio) {
    issues.push(sliObject.issue(sliAt, 'needs a ratioMetric or a thresholdMetric'));
    return undefined;
  }
  const at: FieldPath = [...sliAt, 'ratioMetric'];
  if (ratio.raw) {
    if (ratio.good || ratio.bad || ratio.total)
      issues.push(sliObject.issue([...at, 'raw'], 'raw cannot be combined with good, bad or total'));
    if (!ratio.rawType) issues.push(sliObject.issue([...at, 'rawType'], 'required with raw: success or failure'));
    const raw = metricSource(ratio.raw, sliObject, [...at, 'raw'], catalog);
    return raw && ratio.rawType ? { kind: 'raw-ratio', rawType: ratio.rawType, raw } : undefined;
  }
  if (!ratio.total) {
    issues.push(sliObject.issue(at, 'needs total with good or bad (or raw with rawType)'));
    return undefined;
  }
  if ((ratio.good === undefined) === (ratio.bad === undefined)) {
    issues.push(sliObject.issue(at, 'needs exactly one of good or bad beside total'));
    return undefined;
  }
  const total = metricSource(ratio.total, sliObject, [...at, 'total'], catalog);
  const good = ratio.good ? metricSource(ratio.good, sliObject, [...at, 'good'], catalog) : null;
  const bad = ratio.bad ? metricSource(ratio.bad, sliObject, [...at, 'bad'], catalog) : null;
  if (!total || good === undefined || bad === undefined) return undefined;
  // OpenSLO gives `counter` no default; counters are by far the common case (request totals).
  return { kind: 'ratio', counter: ratio.counter ?? true, good, bad, total };
}

function metricSource(metric: MetricSpec, object: YamlObject, at: FieldPath, catalog: Catalog): MetricSource | undefined {
  const source = metric.metricSource;
  let type = source.type ?? null;
  if (source.metricSourceRef !== undefined) {
    const dataSource = findObject(catalog, 'DataSource', source.metricSourceRef);
    if (!dataSource) {
      catalog.issues.push(
        object.issue(
          [...at, 'metricSource', 'metricSourceRef'],
          `no DataSource named "${source.metricSourceRef}"${knownNames(catalog, 'DataSource')}`,
        ),
      );
      return undefined;
    }
    const dataSourceType = (dataSource.spec as { type?: unknown } | null)?.type;
    type ??= typeof dataSourceType === 'string' ? dataSourceType : null;
  }
  if (type === null) {
    catalog.issues.push(object.issue([...at, 'metricSource'], 'needs a type (e.g. Prometheus) or a metricSourceRef to a DataSource'));
    return undefined;
  }
  const query = source.spec.query;
  return {
    type,
    dataSource: source.metricSourceRef ?? null,
    query: typeof query === 'string' ? query : null,
    spec: source.spec,
    location: object.locate([...at, 'metricSource', 'spec', 'query']),
  };
}

// --- Objective: target and time slices --------------------------------------------

function convertTarget(objective: ObjectiveSpec, object: YamlObject, at: FieldPath, issues: Catalog['issues']): number | undefined {
  if (objective.target !== undefined && objective.targetPercent !== undefined) {
    issues.push(object.issue([...at, 'targetPercent'], 'give either target or targetPercent, not both'));
    return undefined;
  }
  if (objective.target !== undefined) {
    const target = objective.target;
    if (target > 0 && target < 1) return target;
    const hint = target >= 1 && target < 100 ? `; for a percentage write targetPercent: ${target}` : '';
    issues.push(object.issue([...at, 'target'], `${target} is outside (0, 1): a target is a fraction such as 0.999${hint}`));
    return undefined;
  }
  if (objective.targetPercent !== undefined) {
    const percent = objective.targetPercent;
    if (percent > 0 && percent < 100) return percent / 100;
    issues.push(object.issue([...at, 'targetPercent'], `${percent} is outside (0, 100): a targetPercent is a percentage such as 99.9`));
    return undefined;
  }
  issues.push(object.issue(at, 'needs a target (e.g. 0.999) or a targetPercent (e.g. 99.9)'));
  return undefined;
}

function convertTimeSlicing(
  method: SloSpec['budgetingMethod'],
  objective: ObjectiveSpec,
  object: YamlObject,
  at: FieldPath,
  issues: Catalog['issues'],
): TimeSlicing | null | undefined {
  if (method === 'Occurrences') {
    for (const field of ['timeSliceTarget', 'timeSliceWindow'] as const) {
      if (objective[field] !== undefined) {
        issues.push(object.issue([...at, field], 'only used with budgetingMethod Timeslices or RatioTimeslices'));
        return undefined;
      }
    }
    return null;
  }
  if (objective.timeSliceWindow === undefined) {
    issues.push(object.issue(at, `budgetingMethod ${method} needs timeSliceWindow (e.g. 1m)`));
    return undefined;
  }
  const sliceMs = sliceWindowMs(objective.timeSliceWindow, object, [...at, 'timeSliceWindow'], issues);
  let target = 1;
  if (method === 'Timeslices') {
    if (objective.timeSliceTarget === undefined) {
      issues.push(object.issue(at, 'budgetingMethod Timeslices needs timeSliceTarget: the good ratio that makes a slice good'));
      return undefined;
    }
    if (!(objective.timeSliceTarget > 0 && objective.timeSliceTarget <= 1)) {
      issues.push(object.issue([...at, 'timeSliceTarget'], `${objective.timeSliceTarget} is outside (0, 1]`));
      return undefined;
    }
    target = objective.timeSliceTarget;
  }
  if (sliceMs === undefined) return undefined;
  return { sliceMs, target, op: objective.op ?? 'gte' };
}

function sliceWindowMs(value: number | string, object: YamlObject, at: FieldPath, issues: Catalog['issues']): number | undefined {
  // OpenSLO: "Default interpretation of unit if specified as a number in minutes."
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value > 0) return value * MINUTE_MS;
    issues.push(object.issue(at, `${value} is not a whole, positive number of minutes`));
    return undefined;
  }
  return shortDurationMs(value, object, at, issues);
}

/** A duration that must be minutes to days (slices, lookback windows): a month here is almost surely a typo for minutes. */
function shortDurationMs(value: string, object: YamlObject, at: FieldPath, issues: Catalog['issues']): number | undefined {
  const duration = parseDuration(value);
  if ('error' in duration) {
    issues.push(object.issue(at, duration.error));
    return undefined;
  }
  if (isCalendarUnit(duration.unit)) {
    const unitName = duration.unit === 'M' ? 'month' : duration.unit === 'Q' ? 'quarter' : 'year';
    const hint = duration.unit === 'M' ? `; for minutes write "${duration.count}m" (lower-case m)` : '';
    issues.push(object.issue(at, `"${value}" is ${duration.count} ${unitName}${duration.count > 1 ? 's' : ''}${hint}`));
    return undefined;
  }
  return nominalMs(duration);
}

// --- Time window ----------------------------------------------------------------

function convertWindow(spec: SloSpec, object: YamlObject, issues: Catalog['issues'], warnings: Catalog['warnings']): SloWindow | undefined {
  if (!spec.timeWindow || spec.timeWindow.length === 0) return { kind: 'rolling', duration: DEFAULT_WINDOW };
  if (spec.timeWindow.length > 1) {
    issues.push(object.issue(['spec', 'timeWindow'], 'takes exactly one item (OpenSLO v1)'));
    return undefined;
  }
  const at: FieldPath = ['spec', 'timeWindow', 0];
  const window = spec.timeWindow[0] as NonNullable<SloSpec['timeWindow']>[number];
  let duration = parseDuration(window.duration);
  if ('error' in duration) {
    issues.push(object.issue([...at, 'duration'], duration.error));
    return undefined;
  }
  if (duration.unit === 'm' && window.calendar && window.isRolling !== true) {
    // OpenSLO's own example (examples/budgeting-method/timeslices-slo.yaml) writes a monthly calendar window as
    // "1m": minutes cannot be a calendar period, so read it as months and say so.
    warnings.push(
      object.issue(
        [...at, 'duration'],
        `"${duration.text}" read as ${duration.count} month${duration.count > 1 ? 's' : ''} ("${duration.count}M"): a calendar window of minutes does not exist; write "${duration.count}M"`,
      ),
    );
    duration = { count: duration.count, unit: 'M', text: `${duration.count}M` };
  }
  if (duration.unit === 'm') {
    issues.push(
      object.issue(
        [...at, 'duration'],
        `"${duration.text}" is ${duration.count} minute${duration.count > 1 ? 's' : ''}: for months write "${duration.count}M" (capital M), for days e.g. "30d"`,
      ),
    );
    return undefined;
  }
  const calendar = window.calendar;
  if (!calendar) {
    if (window.isRolling === false) {
      issues.push(
        object.issue([...at, 'isRolling'], 'a calendar window (isRolling: false) needs calendar.startTime and calendar.timeZone'),
      );
      return undefined;
    }
    if (isCalendarUnit(duration.unit)) {
      issues.push(
        object.issue(
          [...at, 'duration'],
          `a rolling window needs a fixed length; "${duration.text}" is a calendar unit: write days (e.g. 30d) or add a calendar`,
        ),
      );
      return undefined;
    }
    return { kind: 'rolling', duration };
  }
  if (window.isRolling === true) {
    issues.push(object.issue([...at, 'isRolling'], 'a rolling window takes no calendar; remove calendar or set isRolling: false'));
    return undefined;
  }
  if (duration.unit === 'h') {
    issues.push(object.issue([...at, 'duration'], 'a calendar window is whole days, weeks, months (M), quarters (Q) or years (Y)'));
    return undefined;
  }
  const startTime = parseLocalDateTime(calendar.startTime);
  if ('error' in startTime) issues.push(object.issue([...at, 'calendar', 'startTime'], startTime.error));
  if (!isTimeZone(calendar.timeZone)) {
    issues.push(object.issue([...at, 'calendar', 'timeZone'], `"${calendar.timeZone}" is not an IANA time zone (e.g. Europe/London, UTC)`));
  }
  if ('error' in startTime || !isTimeZone(calendar.timeZone)) return undefined;
  return { kind: 'calendar', duration, startTime, timeZone: calendar.timeZone };
}

/** The period used to scale alert factors: a rolling window's length, a calendar window's nominal length. */
export function periodMs(window: SloWindow): number {
  return nominalMs(window.duration);
}

// --- Alerting -------------------------------------------------------------------

function convertAlerting(spec: SloSpec, entry: NamedObject, catalog: Catalog, window: SloWindow | undefined): SloAlerting | undefined {
  const { object } = entry;
  const issues = catalog.issues;
  const minEvents = minEventsAnnotation(entry, issues);
  if (minEvents === undefined || !window) return undefined;
  if (!spec.alertPolicies || spec.alertPolicies.length === 0) {
    return { conditions: workbookConditions(periodMs(window)), source: 'workbook', minEvents };
  }
  const conditions: BurnRateCondition[] = [];
  let valid = true;
  spec.alertPolicies.forEach((item, index) => {
    const at: FieldPath = ['spec', 'alertPolicies', index];
    const policy = alertPolicy(item, object, at, catalog);
    if (!policy) {
      valid = false;
      return;
    }
    for (const condition of policy) {
      if (condition) conditions.push(condition);
      else valid = false;
    }
  });
  return valid ? { conditions, source: 'alert-policies', minEvents } : undefined;
}

function minEventsAnnotation(entry: NamedObject, issues: Catalog['issues']): number | undefined {
  const raw = entry.metadata.annotations?.[MIN_EVENTS_ANNOTATION];
  if (raw === undefined) return DEFAULT_MIN_EVENTS;
  const value = Number(raw);
  if (raw.trim() !== '' && Number.isInteger(value) && value >= 0) return value;
  issues.push(
    entry.object.issue(['metadata', 'annotations', MIN_EVENTS_ANNOTATION], `"${raw}" is not a whole number of events (0 or more)`),
  );
  return undefined;
}

/** An alertPolicies item: a name, `{ alertPolicyRef }`, or an inline AlertPolicy. Returns its conditions (undefined = invalid). */
function alertPolicy(item: unknown, object: YamlObject, at: FieldPath, catalog: Catalog): Array<BurnRateCondition | undefined> | undefined {
  const policy = referencedOrInline(item, object, at, catalog, { kind: 'AlertPolicy', refKey: 'alertPolicyRef', bareName: true });
  return policy && policyConditions(policy.spec, policy.object, policy.at, catalog);
}

function policyConditions(
  value: unknown,
  object: YamlObject,
  at: FieldPath,
  catalog: Catalog,
): Array<BurnRateCondition | undefined> | undefined {
  const spec = parseAt(alertPolicySpecSchema, object, value, at, catalog.issues);
  if (!spec) return undefined;
  return spec.conditions.map((item, index) => {
    const condition = referencedOrInline(item, object, [...at, 'conditions', index], catalog, {
      kind: 'AlertCondition',
      refKey: 'conditionRef',
      bareName: false,
    });
    return condition && burnRateCondition(condition.spec, condition.object, condition.at, catalog);
  });
}

/**
 * OpenSLO lets an object be written inline (`kind`, `metadata`, `spec`) or
 * referenced by name (`{ alertPolicyRef: name }`, and for alert policies a
 * bare name). Returns the spec to read and where it is written.
 */
function referencedOrInline(
  item: unknown,
  object: YamlObject,
  at: FieldPath,
  catalog: Catalog,
  options: { kind: string; refKey: string; bareName: boolean },
): { spec: unknown; object: YamlObject; at: FieldPath } | undefined {
  const { kind, refKey } = options;
  const bare = options.bareName && typeof item === 'string';
  const ref = bare ? (item as string) : isRecord(item) && typeof item[refKey] === 'string' ? (item[refKey] as string) : undefined;
  if (ref !== undefined) {
    const target = findObject(catalog, kind, ref);
    if (target) return { spec: target.spec, object: target.object, at: ['spec'] };
    catalog.issues.push(object.issue(bare ? at : [...at, refKey], `no ${kind} named "${ref}"${knownNames(catalog, kind)}`));
    return undefined;
  }
  if (isRecord(item) && item.kind === kind) {
    if (!parseAt(metadataSchema, object, item.metadata, [...at, 'metadata'], catalog.issues)) return undefined;
    return { spec: item.spec, object, at: [...at, 'spec'] };
  }
  const forms = `${options.bareName ? `a ${kind} name, ` : ''}{ ${refKey}: name } or an inline object with kind: ${kind}`;
  catalog.issues.push(object.issue(at, `must be ${forms}`));
  return undefined;
}

/**
 * An OpenSLO burn-rate condition as a multiwindow condition: `lookbackWindow`
 * is the long window, the short window is 1/12 of it as in the Workbook,
 * `threshold` the factor, `severity` the tier and `alertAfter` the `for:`.
 */
function burnRateCondition(value: unknown, object: YamlObject, at: FieldPath, catalog: Catalog): BurnRateCondition | undefined {
  const spec = parseAt(alertConditionSpecSchema, object, value, at, catalog.issues);
  if (!spec) return undefined;
  const condition = spec.condition;
  if (condition.op === 'lt' || condition.op === 'lte') {
    catalog.issues.push(object.issue([...at, 'condition', 'op'], 'a burn-rate alert fires above its threshold: use gt or gte'));
    return undefined;
  }
  const longWindowMs = shortDurationMs(condition.lookbackWindow, object, [...at, 'condition', 'lookbackWindow'], catalog.issues);
  const forMs =
    condition.alertAfter === undefined
      ? 0
      : shortDurationMs(condition.alertAfter, object, [...at, 'condition', 'alertAfter'], catalog.issues);
  if (longWindowMs === undefined || forMs === undefined) return undefined;
  return {
    tier: spec.severity.toLowerCase(),
    longWindowMs,
    shortWindowMs: Math.max(MINUTE_MS, Math.round(longWindowMs / SHORT_WINDOW_DIVISOR / MINUTE_MS) * MINUTE_MS),
    factor: condition.threshold,
    budgetShare: null,
    forMs,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
