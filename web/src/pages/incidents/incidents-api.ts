/**
 * The incidents API's response shapes, as the dashboard reads them
 * (src/incidents/routes.ts builds them; instants are ISO 8601 strings).
 */
export interface IncidentItem {
  id: string;
  title: string;
  service: string;
  services: string[];
  severity: string | null;
  priority: string | null;
  status: string;
  impactStartedAt: string;
  detectedAt: string | null;
  acknowledgedAt: string | null;
  mitigatedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  roles: { commander: string | null; communications: string | null; scribe: string | null; responders: string[] };
  customerImpact: string | null;
  causedBy: { deployment: string | null; commit: string | null };
  tags: string[];
  drill: boolean;
  dataLoss: boolean;
  source: string;
  postmortemStatus?: string | null;
}

export interface DurationStats {
  count: number;
  p50Seconds: number | null;
  p90Seconds: number | null;
  meanSeconds: number | null;
}

export interface RemediationItemView {
  id: string;
  incidentId: string;
  description: string;
  type: string;
  priority: string;
  owner: string;
  teamId: string | null;
  dueAt: string;
  status: string;
  ticketUrl: string | null;
  resolvedAt: string | null;
  createdAt: string;
  overdue?: boolean;
}

export interface IncidentMetrics {
  at: string;
  response: { incidents: number; drills: number; open: number; mtta: DurationStats; mttm: DurationStats; mttr: DurationStats };
  counts: Record<'bySeverity' | 'byService' | 'byTeam' | 'byMonth', Array<{ key: string; count: number }>>;
  monthly: Array<{ month: string; incidents: number; mttrP50Seconds: number | null; mttaP50Seconds: number | null }>;
  postmortems: { required: number; published: number; completionRate: number | null; overdue: number; medianDaysToPublish: number | null };
  remediation: { open: number; overdue: number; medianDaysToClose: number | null; closedByDueDateShare: number | null };
  repeats: Array<{ id: string; repeats: string; serviceId: string; tag: string }>;
  overdueActions: RemediationItemView[];
}

export const SECTIONS = [
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

export interface IncidentDetailView {
  incident: IncidentItem;
  durations: { ttaSeconds: number | null; ttmSeconds: number | null; ttrSeconds: number | null; detectSeconds: number | null };
  timeline: Array<{ at: string; kind: string; text: string; author: string | null; pinned: boolean }>;
  deployments: Array<{
    id: string;
    serviceId: string;
    environment: string;
    commitSha: string | null;
    version: string | null;
    finishedAt: string;
  }>;
  budgetSpent: Array<{ id: string; slo: string; spent: number; allowed: number; share: number; window: string }>;
  postmortem: {
    status: string;
    sections: Record<string, string>;
    internalNotes: string | null;
    reviewers: string[];
    dueAt: string | null;
    reviewedAt: string | null;
    publishedAt: string | null;
    required: boolean;
    requiredBecause: string[];
    suggestions: Array<{ section: string; sentence: string; phrase: string; suggestion: string }>;
  } | null;
  postmortemRequired: string[];
  remediation: RemediationItemView[];
  runbook: { serviceId: string; url: string; lastReviewedAt: string | null; stale: boolean } | null;
}

export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400 * 2) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

export function formatInstant(iso: string | null): string {
  return iso === null ? '—' : iso.replace('T', ' ').slice(0, 16) + ' UTC';
}

export function percent(fraction: number | null, digits = 0): string {
  return fraction === null ? '—' : `${(fraction * 100).toFixed(digits)}%`;
}
