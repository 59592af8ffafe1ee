import { z } from 'zod';
import { instantRangeProblem } from '../shared/instant-range.js';
import { entityId, environmentName } from '../org/index.js';

/**
 * The delivery module's domain: deployments of a service to an environment,
 * the changes each ships first, and incidents. Times are epoch milliseconds (UTC).
 */

export type DeploymentStatus = 'success' | 'failure';

export interface Deployment {
  /** Stable id from the source: `git:<repo>:<tag>`, the CI system's id, ... */
  id: string;
  serviceId: string;
  environment: string;
  commitSha: string | null;
  startedAt: number | null;
  finishedAt: number;
  /** `failure`: the deployment itself did not complete; it ships nothing and is not counted. */
  status: DeploymentStatus;
  /** The deployment this one rolled back. */
  rollbackOf: string | null;
  /** Earlier deployments this one fixes forward. */
  fixes: string[];
  /** Marked unplanned by its source (a hotfix, an emergency change). */
  unplanned: boolean;
  /** Release name (the tag for git-tag deployments); used to recognise patch releases. */
  version: string | null;
}

/** A change as shipped by a deployment. In git-only mode a change is a non-merge commit. */
export interface ShippedChange {
  deploymentId: string;
  sha: string;
  /** Where lead time starts: the commit's author time by default, or its committer time. */
  startedAt: number;
  /** The commit this change reverts (full or abbreviated sha), resolved from the message. */
  revertsSha: string | null;
  /** The commit named by a `Fixes:` trailer. */
  fixesSha: string | null;
}

/** An incident as delivery reads it from the incidents module (drills left out). */
export interface Incident {
  id: string;
  serviceId: string;
  severity: string;
  startedAt: number;
  detectedAt: number | null;
  resolvedAt: number | null;
  /** Explicit link to the deployment that caused it. */
  causedByDeployment: string | null;
  /** Explicit link to the commit that caused it (the deployment that first shipped it is blamed). */
  causedBySha: string | null;
}

export interface TimeWindow {
  /** Inclusive start, epoch ms. */
  from: number;
  /** Exclusive end, epoch ms. */
  to: number;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

/** Release-like tags: `1.2`, `v1.2.3`. Pre-releases (`v1.2.3-rc.1`) and other suffixes do not match. */
export const DEFAULT_TAG_PATTERN = String.raw`^v?\d+\.\d+(\.\d+)?$`;

export type LeadTimeStart = 'author' | 'committer';
export type MedianMethod = 'linear' | 'lower';

// --- Inputs: what the HTTP API and the CLI accept ------------------------------

const isoInstant = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 time with a zone, e.g. 2024-05-01T12:00:00Z' })
  .transform((value) => Date.parse(value))
  .refine((ms) => instantRangeProblem(ms) === null, { message: instantRangeProblem(-1) ?? '' });
const sourceId = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const commitSha = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{7,40}$/, 'must be a commit sha (7 to 40 hex digits)');

export const deploymentInput = z
  .strictObject({
    id: sourceId.describe('Stable id from the source (CI run, deploy id): sending it again changes nothing'),
    service: entityId,
    environment: environmentName.default('production'),
    commitSha: commitSha.nullish(),
    startedAt: isoInstant.nullish(),
    finishedAt: isoInstant,
    status: z.enum(['success', 'failure']).default('success'),
    rollbackOf: sourceId.nullish().describe('Id of the deployment this one rolled back'),
    fixes: z.array(sourceId).default([]).describe('Ids of earlier deployments this one fixes forward'),
    unplanned: z.boolean().default(false),
    version: z.string().trim().min(1).nullish(),
  })
  .superRefine((d, ctx) => {
    if (d.startedAt != null && d.finishedAt < d.startedAt) {
      ctx.addIssue({ code: 'custom', path: ['finishedAt'], message: 'is before startedAt: timestamps out of order' });
    }
  })
  .meta({ id: 'DeploymentInput' });

export type DeploymentInput = z.infer<typeof deploymentInput>;

export const MAX_BATCH = 1000;
export const deploymentBatch = z.strictObject({ deployments: z.array(deploymentInput).min(1).max(MAX_BATCH) });

export function deploymentFromInput(input: DeploymentInput): Deployment {
  return {
    id: input.id,
    serviceId: input.service,
    environment: input.environment,
    commitSha: input.commitSha ?? null,
    startedAt: input.startedAt ?? null,
    finishedAt: input.finishedAt,
    status: input.status,
    rollbackOf: input.rollbackOf ?? null,
    fixes: input.fixes,
    unplanned: input.unplanned,
    version: input.version ?? null,
  };
}
