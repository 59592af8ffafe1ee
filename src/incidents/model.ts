import { z } from 'zod';
import { entityId, type EntitySource } from '../org/index.js';

/**
 * The incidents module's domain: incidents with ordered lifecycle milestones,
 * roles and a timeline; blameless postmortems; remediation items; runbooks.
 * Instants are epoch milliseconds (UTC) in the domain and ISO 8601 in JSON.
 */

export const DAY_MS = 86_400_000;

export const INCIDENT_STATUSES = ['triage', 'investigating', 'identified', 'monitoring', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const MILESTONES = ['impactStartedAt', 'detectedAt', 'acknowledgedAt', 'mitigatedAt', 'resolvedAt', 'closedAt'] as const;
export type Milestone = (typeof MILESTONES)[number];
export type Milestones = { impactStartedAt: number } & { [K in Exclude<Milestone, 'impactStartedAt'>]: number | null };

/**
 * The order milestones keep, as [earlier, later] pairs: impact start <=
 * detected <= acknowledged; impact start <= mitigated <= resolved; detected
 * <= resolved; resolved <= closed. A mitigation before acknowledgement (an
 * automatic rollback) is valid. Pairs through the start cover a skipped
 * middle milestone (impact start <= acknowledged when detection is unknown).
 */
export const MILESTONE_ORDER: ReadonlyArray<readonly [Milestone, Milestone]> = [
  ['impactStartedAt', 'detectedAt'],
  ['detectedAt', 'acknowledgedAt'],
  ['impactStartedAt', 'acknowledgedAt'],
  ['impactStartedAt', 'mitigatedAt'],
  ['mitigatedAt', 'resolvedAt'],
  ['detectedAt', 'resolvedAt'],
  ['impactStartedAt', 'resolvedAt'],
  ['resolvedAt', 'closedAt'],
  ['impactStartedAt', 'closedAt'],
];

export interface OrderIssue {
  /** The later milestone of the pair: the one that would make a duration negative. */
  field: Milestone;
  earlier: Milestone;
  message: string;
}

/** Every pair out of order, the first per later milestone. Equal instants are in order. */
export function milestoneOrderIssues(m: Partial<Record<Milestone, number | null | undefined>>): OrderIssue[] {
  const issues: OrderIssue[] = [];
  for (const [earlier, later] of MILESTONE_ORDER) {
    const a = m[earlier];
    const b = m[later];
    if (a == null || b == null || b >= a || issues.some((i) => i.field === later)) continue;
    issues.push({ field: later, earlier, message: `is before ${earlier}: the duration ${earlier} to ${later} would be negative` });
  }
  return issues;
}

export interface IncidentRoles {
  commander: string | null;
  communications: string | null;
  scribe: string | null;
  responders: string[];
}

export interface Incident {
  /** Stable id from the source: `pagerduty:PABC123`, `alertmanager:<group>`, your tool's id. */
  id: string;
  title: string;
  /** The primary service, first of `services`. */
  serviceId: string;
  services: string[];
  severity: string | null;
  priority: string | null;
  status: IncidentStatus;
  milestones: Milestones;
  roles: IncidentRoles;
  customerImpact: string | null;
  causedByDeployment: string | null;
  causedBySha: string | null;
  tags: string[];
  drill: boolean;
  dataLoss: boolean;
  source: string;
}

export interface TimelineEvent {
  id: string;
  incidentId: string;
  at: number;
  /** note, milestone, status, alert, action, ... */
  kind: string;
  text: string;
  author: string | null;
  pinned: boolean;
}

// --- Severity scale -------------------------------------------------------------

export interface SeverityLevel {
  name: string;
  description: string;
}

export const DEFAULT_SEVERITIES: SeverityLevel[] = [
  { name: 'SEV1', description: 'Critical: a core service is down or data is lost for many customers' },
  { name: 'SEV2', description: 'Major: a core feature is degraded for many customers, or down for some' },
  { name: 'SEV3', description: 'Minor: partial degradation with a workaround, or an internal tool down' },
  { name: 'SEV4', description: 'Low: cosmetic or little customer impact' },
];

/** The scale's spelling of a level (matched case-insensitively), or null when it is not on the scale. */
export function severityOnScale(scale: readonly SeverityLevel[], value: string): string | null {
  const lower = value.trim().toLowerCase();
  return scale.find((level) => level.name.toLowerCase() === lower)?.name ?? null;
}

// --- Postmortems ------------------------------------------------------------------

export const POSTMORTEM_STATUSES = ['draft', 'in-review', 'published'] as const;
export type PostmortemStatus = (typeof POSTMORTEM_STATUSES)[number];

/** The sections of Google's SRE postmortem template (action items and timeline come from the incident). */
export const POSTMORTEM_SECTIONS = [
  ['summary', 'Summary'],
  ['impact', 'Impact'],
  ['rootCauses', 'Root causes'],
  ['contributingFactors', 'Contributing factors'],
  ['trigger', 'Trigger'],
  ['resolution', 'Resolution'],
  ['detection', 'Detection'],
  ['wentWell', 'What went well'],
  ['wentWrong', 'What went wrong'],
  ['gotLucky', 'Where we got lucky'],
] as const;
export type PostmortemSection = (typeof POSTMORTEM_SECTIONS)[number][0];
export type PostmortemSections = Record<PostmortemSection, string>;

export interface Postmortem {
  incidentId: string;
  status: PostmortemStatus;
  sections: PostmortemSections;
  /** Dropped from the shareable version. */
  internalNotes: string | null;
  reviewers: string[];
  dueAt: number | null;
  reviewedAt: number | null;
  publishedAt: number | null;
  /** Why it was required when the incident resolved (severity, data loss, budget spent); empty: not required. */
  requiredBecause: string[];
}

export function emptySections(): PostmortemSections {
  return Object.fromEntries(POSTMORTEM_SECTIONS.map(([key]) => [key, ''])) as PostmortemSections;
}

// --- Remediation items ------------------------------------------------------------

export const REMEDIATION_TYPES = ['investigate', 'mitigate', 'repair', 'detect', 'prevent'] as const;
export const REMEDIATION_STATUSES = ['open', 'in-progress', 'done', 'wont-do'] as const;
export const REMEDIATION_PRIORITIES = ['P0', 'P1', 'P2', 'P3'] as const;
export type RemediationStatus = (typeof REMEDIATION_STATUSES)[number];

export interface RemediationItem {
  id: string;
  incidentId: string;
  description: string;
  type: (typeof REMEDIATION_TYPES)[number];
  priority: (typeof REMEDIATION_PRIORITIES)[number];
  /** A person or team id. */
  owner: string;
  /** The accountable team: the owner if a team, else the owner's team. */
  teamId: string | null;
  dueAt: number;
  status: RemediationStatus;
  ticketUrl: string | null;
  resolvedAt: number | null;
  createdAt: number;
}

/** Closed items no longer count as open or overdue. */
export function isClosed(item: Pick<RemediationItem, 'status'>): boolean {
  return item.status === 'done' || item.status === 'wont-do';
}

/** Open and past its due date at `at`. */
export function isOverdue(item: Pick<RemediationItem, 'status' | 'dueAt'>, at: number): boolean {
  return !isClosed(item) && item.dueAt < at;
}

/** Remediation items fall due this long after the postmortem review when no date is given (Dispatch's default). */
export const REMEDIATION_DEFAULT_DAYS = 7;

// --- Runbooks -----------------------------------------------------------------------

export interface Runbook {
  serviceId: string;
  url: string;
  /** Midnight UTC of the day it was last reviewed. */
  lastReviewedAt: number | null;
  /** Who manages it: sextant.yaml (`config`), the API/CLI (`api`) or the demo. */
  source: EntitySource;
}

/** What `PUT /api/v1/incidents/runbooks/{service}` and `sextant incident runbook set` accept. */
export const runbookInput = z
  .strictObject({
    url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL, e.g. https://wiki.example.com/runbooks/checkout' }),
    lastReviewed: z.iso
      .date({ message: 'must be a date, e.g. 2026-03-01' })
      .describe('The day it was last reviewed (YYYY-MM-DD, not in the future)'),
  })
  .meta({ id: 'RunbookInput' });
export type RunbookInput = z.infer<typeof runbookInput>;

/** A runbook in JSON (lastReviewedAt is midnight UTC of the review day). */
export const runbookView = z
  .object({
    serviceId: z.string(),
    url: z.string(),
    lastReviewedAt: z.string().nullable(),
    source: z.enum(['config', 'api', 'demo']),
    stale: z.boolean().describe('Not reviewed in the last 90 days (or never)'),
  })
  .meta({ id: 'Runbook' });

/** A runbook not reviewed for this long is flagged ("maintain evergreen runbooks"). */
export const RUNBOOK_STALE_DAYS = 90;

export function runbookStale(runbook: Runbook, at: number): boolean {
  return runbook.lastReviewedAt === null || at - runbook.lastReviewedAt > RUNBOOK_STALE_DAYS * DAY_MS;
}

// --- Inputs: what the HTTP API and the CLI accept ----------------------------------

export const isoInstant = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 time with a zone, e.g. 2024-05-01T12:00:00Z' })
  .transform((value) => Date.parse(value));
const sourceId = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const text = z.string().trim().min(1, 'must not be empty').max(20_000);
const name = z.string().trim().min(1, 'must not be empty').max(200);
const commitSha = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{7,40}$/, 'must be a commit sha (7 to 40 hex digits)');

/**
 * An incident as the API and the CLI accept it. Sending an id again updates
 * the incident: fields sent replace the stored ones, fields left out keep
 * them (null clears), so a tool can send it when opened and again when
 * resolved. `startedAt` is the earlier name of `impactStartedAt`.
 */
export const incidentInput = z
  .strictObject({
    id: sourceId.describe('Stable id from the incident tool: sending it again updates the incident'),
    title: z.string().trim().min(1).max(500).optional(),
    service: entityId.describe('The primary service affected'),
    services: z.array(entityId).optional().describe('Other services affected'),
    severity: z.string().trim().min(1).nullish().describe("A level of the workspace's severity scale (default SEV1-SEV4)"),
    priority: z.string().trim().min(1).max(50).nullish(),
    status: z.enum(INCIDENT_STATUSES).optional(),
    impactStartedAt: isoInstant.optional(),
    startedAt: isoInstant.optional().describe('Same as impactStartedAt (the name before the incidents module)'),
    detectedAt: isoInstant.nullish(),
    acknowledgedAt: isoInstant.nullish(),
    mitigatedAt: isoInstant.nullish(),
    resolvedAt: isoInstant.nullish(),
    closedAt: isoInstant.nullish(),
    roles: z
      .strictObject({
        commander: name.nullish(),
        communications: name.nullish(),
        scribe: name.nullish(),
        responders: z.array(name).optional(),
      })
      .optional(),
    customerImpact: text.nullish(),
    causedBy: z
      .strictObject({ deployment: sourceId.optional(), commit: commitSha.optional() })
      .nullish()
      .describe('The deployment or the commit that caused the incident, when known'),
    tags: z.array(z.string().trim().min(1).max(100)).optional(),
    drill: z.boolean().optional().describe('A game-day exercise: kept and shown, excluded from metrics'),
    dataLoss: z.boolean().optional(),
  })
  .superRefine((i, ctx) => {
    if (i.startedAt !== undefined && i.impactStartedAt !== undefined && i.startedAt !== i.impactStartedAt) {
      ctx.addIssue({ code: 'custom', path: ['startedAt'], message: 'differs from impactStartedAt (send one of them)' });
    }
    if (i.causedBy?.deployment !== undefined && i.causedBy.commit !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['causedBy'], message: 'name the deployment or the commit, not both' });
    }
  })
  .meta({ id: 'IncidentInput' });
export type IncidentInput = z.infer<typeof incidentInput>;

export const MAX_BATCH = 1000;
export const incidentBatch = z.strictObject({ incidents: z.array(incidentInput).min(1).max(MAX_BATCH) });

export const timelineInput = z
  .strictObject({
    at: isoInstant.optional().describe('Default: now'),
    kind: z.string().trim().min(1).max(50).default('note'),
    text,
    author: name.nullish(),
    pinned: z.boolean().default(false),
  })
  .meta({ id: 'TimelineEventInput' });

export const postmortemInput = z
  .strictObject({
    status: z.enum(POSTMORTEM_STATUSES).optional(),
    sections: z.strictObject(Object.fromEntries(POSTMORTEM_SECTIONS.map(([key]) => [key, z.string().max(50_000).optional()]))).optional(),
    internalNotes: z.string().max(50_000).nullish(),
    reviewers: z.array(name).optional(),
    dueAt: isoInstant.nullish(),
    reviewedAt: isoInstant.nullish(),
  })
  .meta({ id: 'PostmortemInput' });
export type PostmortemInput = z.infer<typeof postmortemInput>;

export const remediationInput = z
  .strictObject({
    id: sourceId.optional().describe('Default: <incident>/<n>'),
    description: text,
    type: z.enum(REMEDIATION_TYPES),
    priority: z.enum(REMEDIATION_PRIORITIES).default('P2'),
    owner: entityId.optional().describe('A person or team id (required)'),
    dueAt: isoInstant.optional().describe('Default: 7 days after the postmortem review; required before the review'),
    status: z.enum(REMEDIATION_STATUSES).default('open'),
    ticketUrl: z.url().nullish(),
    resolvedAt: isoInstant.nullish(),
  })
  .meta({ id: 'RemediationInput' });
export type RemediationInput = z.infer<typeof remediationInput>;

// --- API outputs -------------------------------------------------------------------

const durationStatsSchema = z.object({
  count: z.number().describe('Incidents that reached the milestone (drills excluded)'),
  p50Seconds: z.number().nullable(),
  p90Seconds: z.number().nullable(),
  meanSeconds: z.number().nullable(),
});
const countRows = z.array(z.object({ key: z.string(), count: z.number() }));

/** A remediation item in JSON: instants as ISO 8601. */
export const remediationItemSchema = z
  .object({
    id: z.string(),
    incidentId: z.string(),
    description: z.string(),
    type: z.enum(REMEDIATION_TYPES),
    priority: z.enum(REMEDIATION_PRIORITIES),
    owner: z.string(),
    teamId: z.string().nullable(),
    dueAt: z.string().nullable(),
    status: z.enum(REMEDIATION_STATUSES),
    ticketUrl: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    createdAt: z.string().nullable(),
    overdue: z.boolean().optional(),
  })
  .meta({ id: 'RemediationItem' });

/** What `GET /api/v1/incidents/metrics` answers (definitions in docs/metrics/incidents.md). */
export const incidentMetricsSchema = z
  .object({
    at: z.string().nullable().describe('ISO 8601 instant the metrics are evaluated at'),
    response: z.object({
      incidents: z.number().describe('Incidents counted (drills excluded)'),
      drills: z.number(),
      open: z.number().describe('Counted incidents without a resolution'),
      mtta: durationStatsSchema.describe('acknowledgedAt - impactStartedAt'),
      mttm: durationStatsSchema.describe('mitigatedAt - impactStartedAt'),
      mttr: durationStatsSchema.describe('resolvedAt - impactStartedAt'),
    }),
    counts: z.object({ bySeverity: countRows, byService: countRows, byTeam: countRows, byMonth: countRows }),
    monthly: z.array(
      z.object({
        month: z.string(),
        incidents: z.number(),
        mttrP50Seconds: z.number().nullable(),
        mttaP50Seconds: z.number().nullable(),
      }),
    ),
    postmortems: z.object({
      required: z.number(),
      published: z.number(),
      completionRate: z.number().nullable(),
      overdue: z.number(),
      medianDaysToPublish: z.number().nullable(),
    }),
    remediation: z.object({
      open: z.number(),
      overdue: z.number(),
      medianDaysToClose: z.number().nullable(),
      closedByDueDateShare: z.number().nullable(),
    }),
    repeats: z.array(z.object({ id: z.string(), repeats: z.string(), serviceId: z.string(), tag: z.string() })),
    overdueActions: z.array(remediationItemSchema),
  })
  .meta({ id: 'IncidentMetrics' });
