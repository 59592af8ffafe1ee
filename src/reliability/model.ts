import { z } from 'zod';
import type { FieldIssue } from '../shared/errors.js';
import type { LocalDateTime } from '../shared/time-zone.js';
import type { Duration } from './duration.js';

/**
 * The reliability module's domain: SLO definitions read from OpenSLO v1 or
 * Sloth files, the error-budget policy and maintenance windows, and what the
 * computations return. Definitions are plain data so they can be stored as
 * JSON and evaluated anywhere; every computation over them is pure.
 */

export type BudgetingMethod = 'Occurrences' | 'Timeslices' | 'RatioTimeslices';
export type ComparisonOp = 'lt' | 'lte' | 'gt' | 'gte';

/** Where a definition (or one of its fields) was written, for error messages. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
  /** Field path inside the file, e.g. `[1].spec.indicator.spec.ratioMetric.good`. */
  field?: string;
}

/** One query against a data source (OpenSLO `metricSource`, or a Sloth query). */
export interface MetricSource {
  /** `Prometheus`, `Datadog`, ...: from the metricSource or its DataSource. */
  type: string | null;
  /** Name of the referenced DataSource, if any. */
  dataSource: string | null;
  /** `spec.query` when the source has one; a `{{.window}}` placeholder stands for the range. */
  query: string | null;
  spec: Record<string, unknown>;
  location: SourceLocation;
}

export type Indicator =
  /** good/total or bad/total counts. `counter`: the queries read monotonically increasing counters. */
  | { kind: 'ratio'; counter: boolean; good: MetricSource | null; bad: MetricSource | null; total: MetricSource }
  /** A precomputed ratio of successes or failures: cannot be weighted by traffic. */
  | { kind: 'raw-ratio'; rawType: 'success' | 'failure'; raw: MetricSource }
  /** A value per data point, good when `value op threshold` holds. */
  | { kind: 'threshold'; metric: MetricSource; op: ComparisonOp; threshold: number };

export type SloWindow =
  | { kind: 'rolling'; duration: Duration }
  /** Calendar-aligned periods of `duration` repeating from `startTime` in `timeZone`. */
  | { kind: 'calendar'; duration: Duration; startTime: LocalDateTime; timeZone: string };

/** Timeslices and RatioTimeslices: the slice length and, for Timeslices, when a slice is good. */
export interface TimeSlicing {
  sliceMs: number;
  /** A slice is good when its good/total ratio `op` target holds (Timeslices only). */
  target: number;
  op: ComparisonOp;
}

/**
 * One multiwindow burn-rate condition: fires when the burn rate over both the
 * long and the short window exceeds `factor` (SRE Workbook ch. 5, "Multiwindow,
 * Multi-Burn-Rate Alerts"). Conditions sharing a `tier` form one alert.
 */
export interface BurnRateCondition {
  tier: string;
  longWindowMs: number;
  shortWindowMs: number;
  factor: number;
  /** Share of the period's budget spent when the condition first fires; null when the factor was given directly. */
  budgetShare: number | null;
  /** Prometheus `for:` (OpenSLO `alertAfter`). */
  forMs: number;
}

export interface SloAlerting {
  conditions: BurnRateCondition[];
  /**
   * `workbook`: the SRE Workbook tiers scaled to the period; `alert-policies`: the SLO's OpenSLO AlertPolicies;
   * `alert-windows`: Sloth AlertWindows given for the period.
   */
  source: 'workbook' | 'alert-policies' | 'alert-windows';
  /** A tier does not fire while the long window holds fewer events than this. */
  minEvents: number;
}

/** What Sloth-compatible rules need beyond the definition (names, labels, alert metadata). */
export interface SlothDetails {
  id: string;
  service: string;
  slo: string;
  objectivePercent: number;
  labels: Record<string, string>;
  alertName: string | null;
  alertLabels: Record<string, string>;
  alertAnnotations: Record<string, string>;
  page: { disabled: boolean; labels: Record<string, string>; annotations: Record<string, string> };
  ticket: { disabled: boolean; labels: Record<string, string>; annotations: Record<string, string> };
  /** Sloth's `sloth_spec` and `sloth_mode` info labels: which spec the SLO came from. */
  spec: 'prometheus/v1' | 'sloth.slok.dev/v1' | 'openslo/v1alpha';
  mode: 'cli-gen-prom' | 'cli-gen-k8s' | 'cli-gen-openslo';
  /** The PrometheusServiceLevel's metadata, for the PrometheusRule Sloth writes from it (null for other specs). */
  kubernetes: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } | null;
}

export interface SloDefinition {
  /** Unique across the loaded files: OpenSLO `metadata.name` (with the objective for multi-objective SLOs), or Sloth's `service-slo` id. */
  name: string;
  displayName: string;
  service: string;
  description: string | null;
  /** The objective as a fraction in (0, 1), e.g. 0.999. */
  target: number;
  budgetingMethod: BudgetingMethod;
  timeSlicing: TimeSlicing | null;
  window: SloWindow;
  indicator: Indicator;
  alerting: SloAlerting;
  labels: Record<string, string>;
  format: 'openslo' | 'sloth';
  sloth: SlothDetails | null;
  location: SourceLocation;
}

export interface ServiceDefinition {
  name: string;
  displayName: string;
  description: string | null;
}

export interface DataSourceDefinition {
  name: string;
  type: string;
  connectionDetails: Record<string, unknown>;
}

export type PolicyAction = 'freeze' | 'warn' | 'requirePostmortem';

export interface PolicyRule {
  name: string;
  /** Exactly one condition. */
  when: { budgetRemainingAtMost?: number; alertFiring?: string; incidentBudgetConsumedAbove?: number };
  action: PolicyAction;
  /** Changes carrying one of these labels pass a freeze (compared case-insensitively). */
  exceptLabels: string[];
  description: string | null;
}

export interface ErrorBudgetPolicy {
  name: string;
  /** null: the default for every service without a policy of its own. */
  service: string | null;
  rules: PolicyRule[];
  location: SourceLocation;
}

/** A declared maintenance window: its minutes count neither for nor against the budget. */
export interface MaintenanceWindow {
  name: string;
  service: string;
  /** SLO names it applies to; empty = every SLO of the service. */
  slos: string[];
  start: number;
  end: number;
  description: string | null;
}

export interface DefinitionSet {
  slos: SloDefinition[];
  services: ServiceDefinition[];
  dataSources: DataSourceDefinition[];
  policies: ErrorBudgetPolicy[];
  maintenanceWindows: MaintenanceWindow[];
  /** Located notes that did not stop loading, e.g. keys Sloth ignores (absent: none). */
  warnings?: FieldIssue[];
}

// --- Results of the computations ------------------------------------------------

/** Good and total event counts. */
export interface Counts {
  good: number;
  total: number;
}

/** The burn-rate windows every status reports (the Workbook's alert windows). */
export const BURN_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type BurnWindow = (typeof BURN_WINDOWS)[number];

export interface ConditionState {
  tier: string;
  longWindow: string;
  shortWindow: string;
  factor: number;
  longBurnRate: number;
  shortBurnRate: number;
  longWindowEvents: number;
  /** Both burn rates above the factor and enough events. */
  firing: boolean;
  /** Both burn rates above the factor but too few events in the long window. */
  suppressedByMinEvents: boolean;
}

export interface SloStatus {
  name: string;
  displayName: string;
  service: string;
  target: number;
  /** The window as written (`30d`, `1M`). */
  window: string;
  windowKind: 'rolling' | 'calendar';
  budgetingMethod: BudgetingMethod;
  windowStart: number;
  /** Evaluation instant; the window is [windowStart, at). */
  at: number;
  /** Calendar windows: when the current period ends. Rolling: equals `at`. */
  periodEnd: number;
  good: number;
  total: number;
  /** good/total (Occurrences), good slices/slices (Timeslices), mean slice ratio (RatioTimeslices); null without data. */
  attainment: number | null;
  /** Bad events (or bad slices) the window allows: (1 - target) × events (or × slices in the period). */
  budgetAllowed: number;
  /** Bad events (or bad slices) so far. */
  budgetSpent: number;
  /** 1 - consumed; not clamped: an overspent budget is negative. */
  budgetRemaining: number;
  budgetConsumed: number;
  burnRates: Record<BurnWindow, number>;
  /** Milliseconds until the budget is gone at the 1h burn rate; 0 when already gone; null when not burning. */
  timeToExhaustionMs: number | null;
  /** Firing tiers, most severe first (page before ticket). */
  alerts: string[];
  conditions: ConditionState[];
  /** Minutes excluded by maintenance windows inside the SLO window. */
  excludedMinutes: number;
}

// --- HTTP API shapes (zod: validation and the OpenAPI document) -------------------

const instantText = z.string().describe('ISO 8601 instant (UTC)');

export const sloStatusSchema = z
  .object({
    name: z.string(),
    displayName: z.string(),
    service: z.string(),
    target: z.number(),
    window: z.string().describe('As written: 30d, 1M, ...'),
    windowKind: z.enum(['rolling', 'calendar']),
    budgetingMethod: z.enum(['Occurrences', 'Timeslices', 'RatioTimeslices']),
    windowStart: instantText,
    at: instantText,
    periodEnd: instantText,
    good: z.number(),
    total: z.number(),
    attainment: z.number().nullable(),
    budgetAllowed: z.number(),
    budgetSpent: z.number(),
    budgetRemaining: z.number().describe('1 - consumed; negative when overspent'),
    budgetConsumed: z.number(),
    burnRates: z.record(z.string(), z.number()).describe('Keyed 5m, 30m, 1h, 2h, 6h, 1d, 3d'),
    timeToExhaustionMs: z.number().nullable(),
    alerts: z.array(z.string()),
    conditions: z.array(
      z.object({
        tier: z.string(),
        longWindow: z.string(),
        shortWindow: z.string(),
        factor: z.number(),
        longBurnRate: z.number(),
        shortBurnRate: z.number(),
        longWindowEvents: z.number(),
        firing: z.boolean(),
        suppressedByMinEvents: z.boolean(),
      }),
    ),
    excludedMinutes: z.number(),
  })
  .meta({ id: 'SloStatus' });
export type SloStatusView = z.infer<typeof sloStatusSchema>;

export const alertEventSchema = z.object({ tier: z.string(), state: z.enum(['firing', 'resolved']), at: instantText });

export const sloDetailSchema = z
  .object({
    status: sloStatusSchema,
    description: z.string().nullable(),
    labels: z.record(z.string(), z.string()),
    alertHistory: z.array(alertEventSchema).describe('Most recent first'),
  })
  .meta({ id: 'SloDetail' });
export type SloDetailView = z.infer<typeof sloDetailSchema>;

export const sloSeriesSchema = z
  .object({
    sli: z.array(z.object({ at: instantText, good: z.number(), total: z.number(), attainment: z.number().nullable() })),
    burnDown: z.array(z.object({ at: instantText, budgetRemaining: z.number() })),
  })
  .meta({ id: 'SloSeries' });
export type SloSeriesView = z.infer<typeof sloSeriesSchema>;

const gateReasonSchema = z.object({ rule: z.string(), slo: z.string(), message: z.string(), exemptedBy: z.string().optional() });

export const releaseGateSchema = z
  .object({
    service: z.string(),
    decision: z.enum(['open', 'frozen']),
    at: instantText,
    labels: z.array(z.string()),
    policy: z.string(),
    reasons: z.array(gateReasonSchema),
    exempted: z.array(gateReasonSchema),
    warnings: z.array(gateReasonSchema),
    postmortemsRequired: z.array(z.object({ incident: z.string(), slo: z.string(), share: z.number(), rule: z.string() })),
    slos: z.array(z.object({ name: z.string(), budgetRemaining: z.number(), alerts: z.array(z.string()) })),
  })
  .meta({ id: 'ReleaseGate' });
export type ReleaseGateView = z.infer<typeof releaseGateSchema>;

/** One pushed sample: the start of its minute and its event counts. */
export const sampleInput = z
  .strictObject({
    timestamp: z.union([z.string(), z.number()]).describe('Start of the minute: ISO 8601 with offset, or epoch seconds'),
    good: z.number().min(0),
    total: z.number().min(0),
  })
  .refine((s) => s.good <= s.total, { message: 'good exceeds total', path: ['good'] });

export const samplesInput = z.strictObject({ samples: z.array(sampleInput).min(1).max(50_000) });
