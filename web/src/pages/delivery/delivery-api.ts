/** Shapes the Delivery page reads from /api/v1/delivery (see src/delivery/report-schemas.ts). */
export type Tier = 'elite' | 'high' | 'medium' | 'low' | null;

export interface DeliveryMetrics {
  window: { from: string; to: string; timeZone: string };
  deployments: { count: number; perWeek: number; deployDaysPerWeekMedian: number | null; weeks: number };
  leadTime: { count: number; p50Seconds: number | null; p75Seconds: number | null; p90Seconds: number | null };
  changeFailureRate: { failed: number; total: number; rate: number | null };
  recoveryTime: { count: number; p50Seconds: number | null; p90Seconds: number | null; unrestored: number };
  reworkRate: { unplanned: number; total: number; rate: number | null };
  tiers: { benchmark: string; deploymentFrequency: Tier; leadTime: Tier; changeFailureRate: Tier; recoveryTime: Tier };
}

export interface DeliverySummary extends DeliveryMetrics {
  scope: { team: string | null; service: string | null; environment: string | null; services: string[] };
  unlinkedIncidents: number;
}

export interface DeliveryTrend {
  interval: 'week' | 'month';
  points: DeliveryMetrics[];
}

export interface Reason {
  kind: string;
  [key: string]: unknown;
}

export interface DeploymentRow {
  id: string;
  serviceId: string;
  environment: string;
  version: string | null;
  commitSha: string | null;
  finishedAt: string;
  changes: number;
  failed: boolean;
  failureReasons: Reason[];
  restoredAt: string | null;
  unplanned: boolean;
  unplannedReasons: Reason[];
}

export interface ChangeRow {
  sha: string;
  deploymentId: string;
  serviceId: string;
  environment: string;
  version: string | null;
  startedAt: string;
  deployedAt: string;
  leadTimeSeconds: number;
  revertsSha: string | null;
}

export interface IncidentRow {
  id: string;
  serviceId: string;
  severity: string;
  startedAt: string;
  resolvedAt: string | null;
  deploymentId: string | null;
  link: string | null;
}

export interface DeploymentDetail extends DeploymentRow {
  status: string;
  rollbackOf: string | null;
  fixes: string[];
  changeList: Array<{ sha: string; authorTime: string; leadTimeSeconds: number; revertsSha: string | null }>;
  incidents: Array<{ id: string; severity: string; startedAt: string; resolvedAt: string | null }>;
}

export interface Page<T> {
  total: number;
  items: T[];
  nextCursor: string | null;
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

export function formatPercent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

export function formatTime(iso: string | null): string {
  return iso === null ? '—' : iso.replace('T', ' ').slice(0, 16);
}

/** A failure or rework reason in words, naming its evidence. */
export function describeReason(reason: Reason): string {
  switch (reason.kind) {
    case 'incident':
      return `incident ${String(reason.incidentId)} (${String(reason.link)})`;
    case 'rollback':
      return reason.deploymentId ? `rolled back by ${String(reason.deploymentId)}` : `rolls back ${String(reason.of)}`;
    case 'fix-forward':
      return reason.deploymentId ? `fixed forward by ${String(reason.deploymentId)}` : `fixes ${String(reason.of)}`;
    case 'revert':
      return `change ${String(reason.revertedSha).slice(0, 8)} reverted by ${String(reason.deploymentId)}`;
    case 'reverts-previous':
      return `${String(reason.count)} of ${String(reason.of)} changes revert the previous release`;
    case 'patch-after-failure':
      return `patch after failed ${String(reason.previous)}`;
    case 'marked':
      return 'marked unplanned';
    default:
      return reason.kind;
  }
}
