import type { AlertWindowSets } from './alert-windows.js';
import type { Duration } from '../duration.js';
import type { FieldIssue } from '../../shared/errors.js';
import type { Metadata } from './openslo-schema.js';
import type { YamlObject } from '../../shared/yaml-documents.js';

/** An OpenSLO or Sextant object whose envelope (apiVersion, kind, metadata) is valid; `spec` still raw. */
export interface NamedObject {
  kind: string;
  metadata: Metadata;
  spec: unknown;
  object: YamlObject;
}

/** Every object loaded from a set of files, by kind, for resolving references between them. */
export interface Catalog {
  byKind: Map<string, Map<string, NamedObject>>;
  /** Sloth specs: the spec value, the path to it inside its object, and the flavour it was written in. */
  sloth: SlothEntry[];
  /** OpenSLO v1alpha SLOs, read as Sloth reads them. */
  openSloV1Alpha: YamlObject[];
  issues: FieldIssue[];
  /** What does not stop the files from loading (keys Sloth ignores). */
  warnings: FieldIssue[];
  /** The period given to Sloth specs (which name none) and to OpenSLO v1alpha SLOs without a time window. */
  slothPeriod: Duration;
  /** Sloth AlertWindows by period: the alert windows of Sloth specs with that period. */
  alertWindows: AlertWindowSets;
}

export interface SlothEntry {
  spec: unknown;
  at: Array<string | number>;
  object: YamlObject;
  /** prometheus/v1 (snake_case keys) or the Kubernetes PrometheusServiceLevel (camelCase keys, its metadata). */
  kubernetes: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } | null;
}

export function objectsOfKind(catalog: Catalog, kind: string): NamedObject[] {
  return [...(catalog.byKind.get(kind)?.values() ?? [])];
}

export function findObject(catalog: Catalog, kind: string, name: string): NamedObject | undefined {
  return catalog.byKind.get(kind)?.get(name);
}

/** ` (known: a, b)` or ` (none are defined)`, to end a missing-reference message. */
export function knownNames(catalog: Catalog, kind: string): string {
  const names = [...(catalog.byKind.get(kind)?.keys() ?? [])];
  if (names.length === 0) return ` (no ${kind} is defined in the files given)`;
  const shown = names.slice(0, 10);
  return ` (known: ${shown.join(', ')}${names.length > shown.length ? ', ...' : ''})`;
}
