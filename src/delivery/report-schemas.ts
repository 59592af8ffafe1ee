import { z } from 'zod';

/** Response shapes of the delivery read routes, for the OpenAPI document. */

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

export const deliverySummary = z.object({ scope, ...metrics, unlinkedIncidents: z.number() }).meta({ id: 'DeliverySummary' });
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

export const page = (item: z.ZodType) => z.object({ total: z.number(), items: z.array(item), nextCursor: z.string().nullable() });
