import { addAlertWindows, type AlertWindowSets } from './alert-windows.js';
import fs from 'node:fs';
import { ValidationError, type FieldIssue } from '../../shared/errors.js';
import type { Duration } from '../duration.js';
import { isInstantError, parseInstant } from '../instant.js';
import type {
  DataSourceDefinition,
  DefinitionSet,
  ErrorBudgetPolicy,
  MaintenanceWindow,
  ServiceDefinition,
  SloDefinition,
} from '../model.js';
import { objectsOfKind, type Catalog, type NamedObject } from './catalog.js';
import { convertOpenSloSlo } from './openslo.js';
import { convertOpenSloV1Alpha, OPENSLO_V1ALPHA } from './openslo-v1alpha.js';
import { dataSourceSpecSchema, envelopeSchema, notificationTargetSpecSchema, serviceSpecSchema } from './openslo-schema.js';
import { parseAt } from '../../shared/parse-yaml-schema.js';
import { errorBudgetPolicySpecSchema, maintenanceWindowSpecSchema } from './sextant-schema.js';
import { convertSlothSpec, SLOTH_IGNORES, SLOTH_PERIOD } from './sloth.js';
import { slothKubernetesSchema } from './sloth-schema.js';
import { displayPath, listDefinitionFiles, readYamlObjects, type YamlObject } from '../../shared/yaml-documents.js';

export const OPENSLO_API_VERSION = 'openslo/v1';
export const SEXTANT_API_VERSION = 'sextant/v1';
const OPENSLO_KINDS = ['Service', 'SLO', 'SLI', 'DataSource', 'AlertPolicy', 'AlertCondition', 'AlertNotificationTarget'];
const SEXTANT_KINDS = ['ErrorBudgetPolicy', 'MaintenanceWindow'];

/**
 * Reads SLO definitions from files and directories: OpenSLO v1 objects
 * (several per file, as YAML documents or a list), Sloth `prometheus/v1`
 * specs, and Sextant's policy and maintenance-window kinds. Every problem in
 * every file is collected first; if there is any, a ValidationError lists
 * them all (file, line, field) and nothing is returned.
 */
export interface LoadOptions {
  /** The period of Sloth specs, which name none (Sloth's `--default-slo-period`); default 30 days. */
  slothPeriod?: Duration;
  /** Files or folders of Sloth AlertWindows (Sloth's `--slo-period-windows-path`): alert windows for periods Sloth has none built in for. */
  alertWindows?: readonly string[];
}

export function loadDefinitions(inputs: readonly string[], options: LoadOptions = {}): DefinitionSet {
  const issues: FieldIssue[] = [];
  const objects = readFiles(inputs, issues);
  const windows: AlertWindowSets = new Map();
  for (const object of readFiles(options.alertWindows ?? [], issues)) addAlertWindows(object, windows, issues);
  return buildDefinitions(objects, issues, options, windows);
}

function readFiles(inputs: readonly string[], issues: FieldIssue[]): YamlObject[] {
  const objects: YamlObject[] = [];
  for (const file of listDefinitionFiles(inputs, issues)) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      issues.push({ field: '(file)', file: displayPath(file), message: `cannot read: ${(error as Error).message}` });
      continue;
    }
    objects.push(...readYamlObjects(text, file, issues));
  }
  return objects;
}

/** The same from text (the API, tests); `file` names the text in errors. */
export function parseDefinitions(text: string, file: string, options: LoadOptions = {}): DefinitionSet {
  const issues: FieldIssue[] = [];
  return buildDefinitions(readYamlObjects(text, file, issues), issues, options);
}

function buildDefinitions(
  objects: YamlObject[],
  issues: FieldIssue[],
  options: LoadOptions,
  alertWindows: AlertWindowSets = new Map(),
): DefinitionSet {
  const catalog: Catalog = {
    byKind: new Map(),
    sloth: [],
    openSloV1Alpha: [],
    issues,
    warnings: [],
    slothPeriod: options.slothPeriod ?? SLOTH_PERIOD,
    alertWindows,
  };
  for (const object of objects) classify(object, catalog);

  const slos: SloDefinition[] = [
    ...objectsOfKind(catalog, 'SLO').flatMap((entry) => convertOpenSloSlo(entry, catalog)),
    ...catalog.sloth.flatMap((sloth) => convertSlothSpec(sloth, catalog)),
    ...catalog.openSloV1Alpha.flatMap((object) => convertOpenSloV1Alpha(object, catalog)),
  ];
  const byName = new Map<string, SloDefinition>();
  for (const slo of slos) {
    const first = byName.get(slo.name);
    if (first) {
      issues.push({
        field: slo.location.field ?? '(root)',
        file: slo.location.file,
        line: slo.location.line,
        message: `SLO name "${slo.name}" is already used at ${first.location.file}:${first.location.line ?? '?'}`,
      });
    }
    byName.set(slo.name, slo);
  }

  const services = objectsOfKind(catalog, 'Service').flatMap((entry): ServiceDefinition[] => {
    const spec = parseAt(serviceSpecSchema, entry.object, entry.spec ?? {}, ['spec'], issues);
    return spec
      ? [
          {
            name: entry.metadata.name,
            displayName: entry.metadata.displayName ?? entry.metadata.name,
            description: spec.description ?? null,
          },
        ]
      : [];
  });
  const dataSources = objectsOfKind(catalog, 'DataSource').flatMap((entry): DataSourceDefinition[] => {
    const spec = parseAt(dataSourceSpecSchema, entry.object, entry.spec, ['spec'], issues);
    return spec ? [{ name: entry.metadata.name, type: spec.type, connectionDetails: spec.connectionDetails ?? {} }] : [];
  });
  for (const entry of objectsOfKind(catalog, 'AlertNotificationTarget')) {
    parseAt(notificationTargetSpecSchema, entry.object, entry.spec, ['spec'], issues);
  }
  const policies = convertPolicies(objectsOfKind(catalog, 'ErrorBudgetPolicy'), issues);
  const maintenanceWindows = convertMaintenance(objectsOfKind(catalog, 'MaintenanceWindow'), slos, issues);

  if (issues.length > 0) {
    const files = new Set(issues.map((issue) => issue.file).filter(Boolean));
    throw new ValidationError(
      `${issues.length} problem${issues.length > 1 ? 's' : ''} in the SLO definitions${files.size === 1 ? ` (${[...files][0]})` : ''}`,
      issues,
    );
  }
  return { slos, services, dataSources, policies, maintenanceWindows, warnings: catalog.warnings };
}

function classify(object: YamlObject, catalog: Catalog): void {
  const value = object.value;
  const issues = catalog.issues;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issues.push(object.issue([], 'must be an object: an OpenSLO object (apiVersion: openslo/v1) or a Sloth spec (version: prometheus/v1)'));
    return;
  }
  const record = value as Record<string, unknown>;
  if (!('apiVersion' in record) && 'version' in record) {
    catalog.sloth.push({ spec: value, at: [], object, kubernetes: null });
    return;
  }
  if (record.apiVersion === 'sloth.slok.dev/v1' && record.kind === 'AlertWindows') {
    addAlertWindows(object, catalog.alertWindows, issues);
    return;
  }
  if (record.apiVersion === 'sloth.slok.dev/v1') {
    const wrapper = parseAt(slothKubernetesSchema, object, value, [], issues, { warnings: catalog.warnings, note: SLOTH_IGNORES });
    if (wrapper) catalog.sloth.push({ spec: wrapper.spec, at: ['spec'], object, kubernetes: wrapper.metadata });
    return;
  }
  if (record.apiVersion === OPENSLO_V1ALPHA) {
    catalog.openSloV1Alpha.push(object);
    return;
  }
  if (record.apiVersion === undefined) {
    issues.push(object.issue([], 'needs apiVersion (openslo/v1 or sextant/v1), or version: prometheus/v1 for a Sloth spec'));
    return;
  }
  const kinds =
    record.apiVersion === OPENSLO_API_VERSION ? OPENSLO_KINDS : record.apiVersion === SEXTANT_API_VERSION ? SEXTANT_KINDS : null;
  if (!kinds) {
    issues.push(
      object.issue(
        ['apiVersion'],
        `unsupported apiVersion "${String(record.apiVersion)}": Sextant reads openslo/v1, openslo/v1alpha (SLOs, as Sloth reads them), sextant/v1, Sloth's prometheus/v1 and sloth.slok.dev/v1`,
      ),
    );
    return;
  }
  if (typeof record.kind !== 'string' || !kinds.includes(record.kind)) {
    issues.push(
      object.issue(['kind'], `unknown kind "${String(record.kind)}" for ${String(record.apiVersion)} (known: ${kinds.join(', ')})`),
    );
    return;
  }
  const envelope = parseAt(envelopeSchema, object, value, [], issues);
  if (!envelope) return;
  const named: NamedObject = { kind: envelope.kind, metadata: envelope.metadata, spec: envelope.spec, object };
  let byName = catalog.byKind.get(named.kind);
  if (!byName) catalog.byKind.set(named.kind, (byName = new Map()));
  const first = byName.get(named.metadata.name);
  if (first) {
    issues.push(
      object.issue(
        ['metadata', 'name'],
        `${named.kind} "${named.metadata.name}" is already defined at ${first.object.file}:${first.object.locate(['metadata', 'name']).line ?? '?'}`,
      ),
    );
    return;
  }
  byName.set(named.metadata.name, named);
}

function convertPolicies(entries: NamedObject[], issues: FieldIssue[]): ErrorBudgetPolicy[] {
  const scopes = new Map<string, string>();
  return entries.flatMap((entry): ErrorBudgetPolicy[] => {
    const spec = parseAt(errorBudgetPolicySpecSchema, entry.object, entry.spec, ['spec'], issues);
    if (!spec) return [];
    const scope = spec.service ?? '(default)';
    const other = scopes.get(scope);
    if (other !== undefined) {
      const what = spec.service ? `service "${spec.service}"` : 'every service (no spec.service)';
      issues.push(entry.object.issue(['spec', 'service'], `policy "${other}" already applies to ${what}`));
      return [];
    }
    scopes.set(scope, entry.metadata.name);
    return [
      {
        name: entry.metadata.name,
        service: spec.service ?? null,
        rules: spec.rules.map((rule) => ({
          name: rule.name,
          when: rule.when,
          action: rule.action,
          exceptLabels: rule.exceptLabels,
          description: rule.description ?? null,
        })),
        location: entry.object.locate([]),
      },
    ];
  });
}

function convertMaintenance(entries: NamedObject[], slos: SloDefinition[], issues: FieldIssue[]): MaintenanceWindow[] {
  return entries.flatMap((entry): MaintenanceWindow[] => {
    const { object } = entry;
    const spec = parseAt(maintenanceWindowSpecSchema, object, entry.spec, ['spec'], issues);
    if (!spec) return [];
    const start = parseInstant(spec.start);
    const end = parseInstant(spec.end);
    if (isInstantError(start)) issues.push(object.issue(['spec', 'start'], start.error));
    if (isInstantError(end)) issues.push(object.issue(['spec', 'end'], end.error));
    if (isInstantError(start) || isInstantError(end)) return [];
    if (end <= start) {
      issues.push(object.issue(['spec', 'end'], 'must be after start'));
      return [];
    }
    const ofService = new Set(slos.filter((slo) => slo.service === spec.service).map((slo) => slo.name));
    spec.slos.forEach((name, index) => {
      if (!ofService.has(name)) {
        issues.push(object.issue(['spec', 'slos', index], `service "${spec.service}" has no SLO named "${name}" in the files given`));
      }
    });
    return [{ name: entry.metadata.name, service: spec.service, slos: spec.slos, start, end, description: spec.description ?? null }];
  });
}
