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

export type LeadTimeStart = 'author' | 'committer';
export type MedianMethod = 'linear' | 'lower';
