import { z } from 'zod';
import { entityId, environmentName } from '../org/index.js';
import { ianaTimeZone } from '../shared/time-zone.js';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../store/pagination.js';
import { DORA_BENCHMARKS, DEFAULT_BENCHMARK, type BenchmarkYear } from './dora-benchmarks.js';

/** What the delivery read routes accept and return (validation and the OpenAPI document). */

// --- Queries ------------------------------------------------------------------

const isoQuery = z.iso.datetime({ offset: true }).transform((v) => Date.parse(v));

/** Which deployments a view counts, over which window, and the metric choices (docs/metrics/delivery.md). */
export const scopeQuery = z.object({
  team: entityId.optional().describe("A team: its services and its sub-teams' services"),
  service: entityId.optional(),
  environment: environmentName.optional().describe("Default: each service's production environments"),
  from: isoQuery.optional().describe('Window start, inclusive (default: 90 days before `to`)'),
  to: isoQuery.optional().describe('Window end, exclusive (default: now)'),
  timezone: ianaTimeZone.default('UTC').describe('Zone of calendar days and weeks'),
  benchmark: z.enum(Object.keys(DORA_BENCHMARKS) as [BenchmarkYear, ...BenchmarkYear[]]).default(DEFAULT_BENCHMARK),
  median: z.enum(['linear', 'lower']).default('linear'),
  leadTimeStart: z.enum(['author', 'committer']).default('author'),
  incidentWindowDays: z.coerce.number().min(0).max(365).default(7),
  revertWindowDays: z.coerce.number().min(0).max(365).default(7),
});
export type ScopeQuery = z.infer<typeof scopeQuery>;

const pageQuery = {
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT),
  cursor: z.string().optional().describe('The nextCursor of the previous page'),
};
const flag = (description: string) => z.enum(['true', 'false']).optional().describe(description);

export const trendQuery = scopeQuery.extend({ interval: z.enum(['week', 'month']).default('week') });
export type TrendQuery = z.infer<typeof trendQuery>;

export const deploymentsQuery = scopeQuery.extend({
  failed: flag('Only failed (true) or only not failed (false) deployments'),
  unplanned: flag('Only unplanned (true) or only planned (false) deployments'),
  restored: flag('Among failed deployments: only restored (true) or unrestored (false)'),
  ...pageQuery,
});
export type DeploymentsQuery = z.infer<typeof deploymentsQuery>;

export const listQuery = scopeQuery.extend({ ...pageQuery });
export type ListQuery = z.infer<typeof listQuery>;

export const deploymentDetailQuery = scopeQuery.pick({ leadTimeStart: true, incidentWindowDays: true, revertWindowDays: true });
export type DeploymentDetailQuery = z.infer<typeof deploymentDetailQuery>;

export const changeDetailQuery = scopeQuery.pick({ leadTimeStart: true });
export type ChangeDetailQuery = z.infer<typeof changeDetailQuery>;

// --- Responses ----------------------------------------------------------------

const tier = z.enum(['elite', 'high', 'medium', 'low']).nullable();
const scope = z.object({
  team: z.string().nullable(),
  service: z.string().nullable(),
  environment: z.string().nullable(),
  services: z.array(z.string()),
});

const metrics = {
  window: z.object({ from: z.string(), to: z.string(), timeZone: z.string() }),
  deployments: z.object({ count: z.number(), perWeek: z.number(), deployDaysPerWeekMedian: z.number().nullable(), weeks: z.number() }),
  leadTime: z.object({
    count: z.number(),
    p50Seconds: z.number().nullable(),
    p75Seconds: z.number().nullable(),
    p90Seconds: z.number().nullable(),
  }),
  changeFailureRate: z.object({ failed: z.number(), total: z.number(), rate: z.number().nullable() }),
  recoveryTime: z.object({
    count: z.number(),
    p50Seconds: z.number().nullable(),
    p90Seconds: z.number().nullable(),
    unrestored: z.number(),
  }),
  reworkRate: z.object({ unplanned: z.number(), total: z.number(), rate: z.number().nullable() }),
  tiers: z.object({ benchmark: z.string(), deploymentFrequency: tier, leadTime: tier, changeFailureRate: tier, recoveryTime: tier }),
};

export const deliverySummary = z
  .object({
    scope,
    ...metrics,
    unlinkedIncidents: z.number(),
    dataRange: z
      .object({ first: z.string(), last: z.string() })
      .nullable()
      .describe('When the first and the latest deployment in scope finished, whatever the window (null: none recorded)'),
  })
  .meta({ id: 'DeliverySummary' });
export const deliveryTrend = z
  .object({ scope, interval: z.enum(['week', 'month']), points: z.array(z.object(metrics)) })
  .meta({ id: 'DeliveryTrend' });

const reason = z
  .object({ kind: z.string() })
  .catchall(z.unknown())
  .describe(
    'Evidence: incident, rollback, fix-forward or revert (failure); marked, rollback, fix-forward, reverts-previous or patch-after-failure (rework)',
  );

export const deploymentRow = z
  .object({
    id: z.string(),
    serviceId: z.string(),
    environment: z.string(),
    version: z.string().nullable(),
    commitSha: z.string().nullable(),
    finishedAt: z.string(),
    changes: z.number(),
    failed: z.boolean(),
    failureReasons: z.array(reason),
    restoredAt: z.string().nullable(),
    unplanned: z.boolean(),
    unplannedReasons: z.array(reason),
  })
  .meta({ id: 'DeliveryDeployment' });

export const deploymentListRow = deploymentRow
  .extend({ leadTimeMaxSeconds: z.number().nullable().describe('The longest lead time of the changes it shipped first; null when none') })
  .meta({ id: 'DeliveryDeploymentListRow' });

export const changeRow = z
  .object({
    sha: z.string(),
    deploymentId: z.string(),
    serviceId: z.string(),
    environment: z.string(),
    version: z.string().nullable(),
    startedAt: z.string(),
    deployedAt: z.string(),
    leadTimeSeconds: z.number(),
    revertsSha: z.string().nullable(),
  })
  .meta({ id: 'DeliveryChange' });

export const incidentRow = z
  .object({
    id: z.string(),
    serviceId: z.string(),
    severity: z.string(),
    startedAt: z.string(),
    detectedAt: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    deploymentId: z.string().nullable().describe('The deployment the incident is blamed on; null when none'),
    link: z.string().nullable().describe('explicit, commit or latest-deployment'),
  })
  .meta({ id: 'DeliveryIncident' });

export const deploymentDetail = deploymentRow
  .extend({
    status: z.string(),
    startedAt: z.string().nullable(),
    rollbackOf: z.string().nullable(),
    fixes: z.array(z.string()),
    changeList: z.array(
      z.object({
        sha: z.string(),
        authorTime: z.string(),
        committerTime: z.string(),
        leadTimeSeconds: z.number(),
        revertsSha: z.string().nullable(),
        fixesSha: z.string().nullable(),
      }),
    ),
    incidents: z.array(z.object({ id: z.string(), severity: z.string(), startedAt: z.string(), resolvedAt: z.string().nullable() })),
  })
  .meta({ id: 'DeliveryDeploymentDetail' });

export const changeDetail = z
  .object({
    sha: z.string(),
    authorTime: z.string(),
    committerTime: z.string(),
    shippedBy: z.array(
      z.object({
        sha: z.string(),
        deploymentId: z.string(),
        serviceId: z.string(),
        environment: z.string(),
        version: z.string().nullable(),
        deployedAt: z.string(),
        leadTimeSeconds: z.number(),
      }),
    ),
  })
  .meta({ id: 'DeliveryChangeDetail' });

/** A drill-down page: the rows are computed in memory, so `total` (every row of the list) costs nothing. */
export const page = (item: z.ZodType) =>
  z.object({
    total: z.number().describe('Rows in the whole list, every page'),
    items: z.array(item),
    nextCursor: z.string().nullable().describe('Pass back as `cursor` for the next page; null at the end'),
  });
