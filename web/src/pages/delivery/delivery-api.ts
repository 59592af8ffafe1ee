import type { DeliveryDeploymentListRow, DeliverySummary } from '../../api/types.js';

/** Formatting of the Delivery page's figures; the API's shapes are in api/types.ts (generated). */

export type Tier = DeliverySummary['tiers']['leadTime'];
export type Reason = DeliveryDeploymentListRow['failureReasons'][number];

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
