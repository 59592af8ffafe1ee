import type { Assessment, DeploymentAssessment } from './assess-deployments.js';
import type { DeliverySummary } from './delivery-summary.js';
import type { Tier } from './dora-benchmarks.js';
import { deploymentsIn } from './delivery-summary.js';
import { DAY_MS, HOUR_MS, type TimeWindow } from './model.js';

/**
 * The machine-readable DORA report (`sextant dora --json`): the summary with
 * instants as ISO strings and tiers as names, plus the deployments behind the
 * numbers so every figure can be traced.
 */
export interface DoraSummaryJson {
  window: { from: string; to: string; timeZone: string };
  deployments: DeliverySummary['deployments'];
  leadTime: DeliverySummary['leadTime'];
  changeFailureRate: DeliverySummary['changeFailureRate'];
  recoveryTime: DeliverySummary['recoveryTime'];
  reworkRate: DeliverySummary['reworkRate'];
  tiers: {
    benchmark: string;
    deploymentFrequency: Tier | null;
    leadTime: Tier | null;
    changeFailureRate: Tier | null;
    recoveryTime: Tier | null;
  };
}

export interface DoraReportJson extends DoraSummaryJson {
  deploymentList: DeploymentRowJson[];
}

export interface DeploymentRowJson {
  id: string;
  serviceId: string;
  environment: string;
  version: string | null;
  commitSha: string | null;
  finishedAt: string;
  changes: number;
  failed: boolean;
  failureReasons: DeploymentAssessment['failureReasons'];
  restoredAt: string | null;
  unplanned: boolean;
  unplannedReasons: DeploymentAssessment['unplannedReasons'];
}

export function doraReportJson(summary: DeliverySummary, assessment: Assessment, timeZone: string): DoraReportJson {
  return { ...doraSummaryJson(summary, timeZone), deploymentList: deploymentsIn(assessment, summary.window).map(deploymentRowJson) };
}

/** The report without its deployment list: a year of an organisation's deployments is 100,000 rows. */
export function doraSummaryJson(summary: DeliverySummary, timeZone: string): DoraSummaryJson {
  return {
    window: { from: iso(summary.window.from), to: iso(summary.window.to), timeZone },
    deployments: summary.deployments,
    leadTime: summary.leadTime,
    changeFailureRate: summary.changeFailureRate,
    recoveryTime: summary.recoveryTime,
    reworkRate: summary.reworkRate,
    tiers: {
      benchmark: summary.tiers.benchmark,
      deploymentFrequency: summary.tiers.deploymentFrequency?.tier ?? null,
      leadTime: summary.tiers.leadTime?.tier ?? null,
      changeFailureRate: summary.tiers.changeFailureRate?.tier ?? null,
      recoveryTime: summary.tiers.recoveryTime?.tier ?? null,
    },
  };
}

export function deploymentRowJson(a: DeploymentAssessment): DeploymentRowJson {
  return {
    id: a.deployment.id,
    serviceId: a.deployment.serviceId,
    environment: a.deployment.environment,
    version: a.deployment.version,
    commitSha: a.deployment.commitSha,
    finishedAt: iso(a.deployment.finishedAt),
    changes: a.changeCount,
    failed: a.failureReasons.length > 0,
    failureReasons: a.failureReasons,
    restoredAt: a.restoredAt === null ? null : iso(a.restoredAt),
    unplanned: a.unplannedReasons.length > 0,
    unplannedReasons: a.unplannedReasons,
  };
}

export interface MetricLine {
  metric: string;
  value: string;
  tier: string;
}

/** The five metrics as table lines for people. */
export function metricLines(summary: DeliverySummary): MetricLine[] {
  const tier = (t: { tier: Tier } | null) => t?.tier ?? '-';
  const { deployments: d, leadTime: l, changeFailureRate: c, recoveryTime: r, reworkRate: w } = summary;
  return [
    {
      metric: 'Deployment frequency',
      value: `${d.count} deployments, ${d.perWeek.toFixed(2)}/week, median ${formatNumber(d.deployDaysPerWeekMedian)} deploy-days/week over ${d.weeks} weeks`,
      tier: tier(summary.tiers.deploymentFrequency),
    },
    {
      metric: 'Lead time for changes',
      value:
        l.count === 0
          ? 'no changes shipped'
          : `p50 ${formatSeconds(l.p50Seconds)}, p75 ${formatSeconds(l.p75Seconds)}, p90 ${formatSeconds(l.p90Seconds)} (${l.count} changes)`,
      tier: tier(summary.tiers.leadTime),
    },
    {
      metric: 'Change failure rate',
      value: c.rate === null ? 'no deployments' : `${formatPercent(c.rate)} (${c.failed} of ${c.total} deployments)`,
      tier: tier(summary.tiers.changeFailureRate),
    },
    {
      metric: 'Failed deployment recovery time',
      value:
        r.count === 0
          ? `none restored${r.unrestored ? ` (${r.unrestored} not restored)` : ''}`
          : `p50 ${formatSeconds(r.p50Seconds)}, p90 ${formatSeconds(r.p90Seconds)} (${r.count} restored${r.unrestored ? `, ${r.unrestored} not` : ''})`,
      tier: tier(summary.tiers.recoveryTime),
    },
    {
      metric: 'Rework rate',
      value: w.rate === null ? 'no deployments' : `${formatPercent(w.rate)} (${w.unplanned} of ${w.total} deployments unplanned)`,
      tier: '-',
    },
  ];
}

export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '-';
  const ms = seconds * 1000;
  if (ms < HOUR_MS) return `${Math.round(seconds / 60)} min`;
  if (ms < DAY_MS) return `${(ms / HOUR_MS).toFixed(1)} h`;
  return `${(ms / DAY_MS).toFixed(1)} d`;
}

function formatPercent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

function formatNumber(value: number | null): string {
  return value === null ? '-' : Number(value.toFixed(2)).toString();
}

export function iso(instant: number): string {
  return new Date(instant).toISOString();
}

export function describeWindow(window: TimeWindow, timeZone: string): string {
  return `${iso(window.from)} to ${iso(window.to)} (deploy-days in ${timeZone})`;
}
