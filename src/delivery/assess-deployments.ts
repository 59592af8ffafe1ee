import { sortInSteps } from '../shared/sort-in-steps.js';
import { finishInSlices, finishNow, type Steps } from '../shared/yield.js';
import { leadTimeMs } from './lead-time.js';
import { byFinish, seriesSteps } from './ship-changes.js';
import { DAY_MS, type Deployment, type Incident, type ShippedChange } from './model.js';

export interface AssessOptions {
  /** An incident without an explicit link blames the latest deployment of its service finished at most this long before it started. */
  incidentWindowMs: number;
  /** A revert marks the reverted change's deployment failed when the revert ships at most this long after it. */
  revertWindowMs: number;
}

export const DEFAULT_INCIDENT_WINDOW_DAYS = 7;
export const DEFAULT_REVERT_WINDOW_DAYS = 7;
export const DEFAULT_ASSESS_OPTIONS: AssessOptions = {
  incidentWindowMs: DEFAULT_INCIDENT_WINDOW_DAYS * DAY_MS,
  revertWindowMs: DEFAULT_REVERT_WINDOW_DAYS * DAY_MS,
};

const NO_LEAD_TIMES = new Float64Array(0);

/** Why a deployment counts as failed. Every reason names the evidence behind it. */
export type FailureReason =
  | { kind: 'incident'; incidentId: string; link: 'explicit' | 'commit' | 'latest-deployment' }
  | { kind: 'rollback'; deploymentId: string }
  | { kind: 'fix-forward'; deploymentId: string }
  | { kind: 'revert'; revertSha: string; revertedSha: string; deploymentId: string };

export type UnplannedReason =
  | { kind: 'marked' }
  | { kind: 'rollback'; of: string }
  | { kind: 'fix-forward'; of: string[] }
  | { kind: 'reverts-previous'; count: number; of: number }
  | { kind: 'patch-after-failure'; previous: string };

export interface DeploymentAssessment {
  deployment: Deployment;
  /** Changes this deployment shipped first. */
  changeCount: number;
  /** Lead time of each of those changes, ms: this deployment's finish minus the change's start, at least 0. */
  leadTimesMs: Float64Array;
  failureReasons: FailureReason[];
  /** When service was restored: the earliest fix, rollback, revert shipment or incident resolution. Null when failed and not yet restored. */
  restoredAt: number | null;
  unplannedReasons: UnplannedReason[];
}

/**
 * What the assessment needs of the changes: every change's start time (lead
 * time), and the changes that carry or are named by evidence — reverts,
 * `Fixes:` trailers, the changes those name, commits named by incidents.
 * Passing every change as evidence is always correct; a store passes only
 * the evidence so a million changes need not be read one by one.
 */
export interface ChangeFacts {
  startsByDeployment: ReadonlyMap<string, ArrayLike<number>>;
  evidence: readonly ShippedChange[];
}

export function changeFactsOf(changes: readonly ShippedChange[]): ChangeFacts {
  const startsByDeployment = new Map<string, number[]>();
  for (const change of changes) {
    const starts = startsByDeployment.get(change.deploymentId);
    if (starts) starts.push(change.startedAt);
    else startsByDeployment.set(change.deploymentId, [change.startedAt]);
  }
  return { startsByDeployment, evidence: changes };
}

export interface Assessment {
  /** Successful deployments, each series in finish order. */
  deployments: DeploymentAssessment[];
  /** Incidents linked to no deployment (none explicit, none within the window before them). */
  unlinkedIncidents: string[];
}

/**
 * Classifies every successful deployment: failed or not (and why), when it was
 * restored, and whether it was unplanned. Deployments that did not complete
 * (`failure` status) ship nothing and are left out. All evidence is used, also
 * evidence that arrived after a reporting window: windows only choose which
 * deployments are counted (see summariseDelivery).
 */
export function assessDeployments(
  deployments: readonly Deployment[],
  changes: ChangeFacts,
  incidents: readonly Incident[],
  options: AssessOptions = DEFAULT_ASSESS_OPTIONS,
): Assessment {
  return finishNow(assessSteps(deployments, changes, incidents, options));
}

/**
 * assessDeployments for the server: the same assessment, computed in slices
 * between which other requests are answered (shared/yield.ts). At 100,000
 * deployments the whole takes several hundred milliseconds.
 */
export function assessDeploymentsInSlices(
  deployments: readonly Deployment[],
  changes: ChangeFacts,
  incidents: readonly Incident[],
  options: AssessOptions = DEFAULT_ASSESS_OPTIONS,
): Promise<Assessment> {
  return finishInSlices(assessSteps(deployments, changes, incidents, options));
}

/** The assessment, pausing (`yield`) after each deployment, change or incident it handles. */
function* assessSteps(
  deployments: readonly Deployment[],
  changes: ChangeFacts,
  incidents: readonly Incident[],
  options: AssessOptions,
): Steps<Assessment> {
  const withCommit = yield* seriesSteps(deployments);
  const series = withCommit.concat(withoutCommit(deployments));
  yield;
  const byId = new Map<string, DeploymentAssessment>();
  const ordered: DeploymentAssessment[] = [];
  for (const group of series) {
    for (const deployment of group) {
      yield;
      const assessment: DeploymentAssessment = {
        deployment,
        changeCount: 0,
        leadTimesMs: NO_LEAD_TIMES,
        failureReasons: [],
        restoredAt: null,
        unplannedReasons: [],
      };
      byId.set(deployment.id, assessment);
      ordered.push(assessment);
    }
  }
  for (const [deploymentId, starts] of changes.startsByDeployment) {
    yield;
    const assessment = byId.get(deploymentId);
    if (!assessment) continue;
    assessment.changeCount = starts.length;
    const finishedAt = assessment.deployment.finishedAt;
    const leadTimes = new Float64Array(starts.length);
    for (let i = 0; i < starts.length; i++) leadTimes[i] = leadTimeMs(finishedAt, starts[i] as number);
    assessment.leadTimesMs = leadTimes;
  }
  const changesByDeployment = new Map<string, ShippedChange[]>();
  for (const change of changes.evidence) {
    yield;
    if (!byId.has(change.deploymentId)) continue;
    const list = changesByDeployment.get(change.deploymentId);
    if (list) list.push(change);
    else changesByDeployment.set(change.deploymentId, [change]);
  }
  const restoredCandidates = new Map<string, number[]>();
  const fail = (target: DeploymentAssessment, reason: FailureReason, restoredAt: number | null) => {
    target.failureReasons.push(reason);
    if (restoredAt !== null) {
      const list = restoredCandidates.get(target.deployment.id) ?? [];
      list.push(restoredAt);
      restoredCandidates.set(target.deployment.id, list);
    }
  };

  // Rollbacks and fixes forward, as recorded by the deployment source.
  for (const assessment of ordered) {
    yield;
    const d = assessment.deployment;
    if (d.rollbackOf !== null) {
      const target = byId.get(d.rollbackOf);
      if (target) fail(target, { kind: 'rollback', deploymentId: d.id }, d.finishedAt);
    }
    for (const fixed of d.fixes) {
      const target = byId.get(fixed);
      if (target) fail(target, { kind: 'fix-forward', deploymentId: d.id }, d.finishedAt);
    }
  }

  // Git-only evidence: a revert of a shipped change that ships within the window.
  for (const group of withCommit) {
    yield;
    // Most series revert nothing: skip indexing their changes (a million at scale).
    if (!group.some((d) => (changesByDeployment.get(d.id) ?? []).some((c) => c.revertsSha !== null))) continue;
    const shippedBy = new Map<string, DeploymentAssessment>();
    for (const deployment of group) {
      yield;
      const assessment = byId.get(deployment.id) as DeploymentAssessment;
      for (const change of changesByDeployment.get(deployment.id) ?? []) shippedBy.set(change.sha, assessment);
    }
    for (const deployment of group) {
      yield;
      for (const change of changesByDeployment.get(deployment.id) ?? []) {
        if (change.revertsSha === null) continue;
        const target = lookupSha(shippedBy, change.revertsSha);
        if (!target || target.deployment.id === deployment.id) continue;
        const delay = deployment.finishedAt - target.deployment.finishedAt;
        if (delay < 0 || delay > options.revertWindowMs) continue;
        fail(
          target,
          { kind: 'revert', revertSha: change.sha, revertedSha: change.revertsSha, deploymentId: deployment.id },
          deployment.finishedAt,
        );
      }
    }
  }

  // Incidents: an explicit deployment, else the deployment that first shipped the named commit,
  // else the latest deployment of the service that finished before the incident started.
  const unlinkedIncidents: string[] = [];
  const deploymentsOfService = yield* groupByService(ordered);
  // Indexed only when an incident names a commit.
  const firstShipperOfSha = new Map<string, DeploymentAssessment>();
  if (incidents.some((i) => i.causedByDeployment === null && i.causedBySha !== null)) {
    const byFinishOrder = [...ordered];
    yield* sortInSteps(byFinishOrder, (a, b) => byFinish(a.deployment, b.deployment));
    for (const assessment of byFinishOrder) {
      yield;
      for (const change of changesByDeployment.get(assessment.deployment.id) ?? []) {
        const key = `${assessment.deployment.serviceId}\u0000${change.sha}`;
        if (!firstShipperOfSha.has(key)) firstShipperOfSha.set(key, assessment);
      }
    }
  }
  for (const incident of incidents) {
    yield;
    let target: DeploymentAssessment | undefined;
    let link: 'explicit' | 'commit' | 'latest-deployment' = 'explicit';
    if (incident.causedByDeployment !== null) {
      target = byId.get(incident.causedByDeployment);
    } else if (incident.causedBySha !== null) {
      link = 'commit';
      target = firstShipperOfCommit(incident, firstShipperOfSha, deploymentsOfService.get(incident.serviceId) ?? []);
    } else {
      link = 'latest-deployment';
      target = latestBefore(deploymentsOfService.get(incident.serviceId) ?? [], incident.startedAt);
      if (target && incident.startedAt - target.deployment.finishedAt > options.incidentWindowMs) target = undefined;
    }
    if (!target) {
      unlinkedIncidents.push(incident.id);
      continue;
    }
    fail(target, { kind: 'incident', incidentId: incident.id, link }, incident.resolvedAt);
  }

  for (const assessment of ordered) {
    yield;
    if (assessment.failureReasons.length === 0) continue;
    const candidates = restoredCandidates.get(assessment.deployment.id) ?? [];
    // Restoration cannot precede the deployment it restores: clamp to its finish.
    if (candidates.length > 0) assessment.restoredAt = Math.max(assessment.deployment.finishedAt, Math.min(...candidates));
  }

  yield* markUnplanned(ordered, withCommit, byId, changesByDeployment);
  yield* sortInSteps(ordered, (a, b) => byFinish(a.deployment, b.deployment));
  return { deployments: ordered, unlinkedIncidents };
}

function withoutCommit(deployments: readonly Deployment[]): Deployment[][] {
  const list = deployments.filter((d) => d.status === 'success' && d.commitSha === null);
  return list.length > 0 ? [list.sort(byFinish)] : [];
}

function* groupByService(assessments: DeploymentAssessment[]): Steps<Map<string, DeploymentAssessment[]>> {
  const groups = new Map<string, DeploymentAssessment[]>();
  for (const a of assessments) {
    yield;
    const list = groups.get(a.deployment.serviceId) ?? [];
    list.push(a);
    groups.set(a.deployment.serviceId, list);
  }
  for (const list of groups.values()) {
    yield;
    list.sort((a, b) => byFinish(a.deployment, b.deployment));
  }
  return groups;
}

/** The last deployment (in finish order) that finished at or before `instant`. */
function latestBefore(sortedByFinish: DeploymentAssessment[], instant: number): DeploymentAssessment | undefined {
  let low = 0;
  let high = sortedByFinish.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((sortedByFinish[mid] as DeploymentAssessment).deployment.finishedAt <= instant) low = mid + 1;
    else high = mid;
  }
  return low === 0 ? undefined : sortedByFinish[low - 1];
}

function firstShipperOfCommit(
  incident: Incident,
  firstShipperOfSha: Map<string, DeploymentAssessment>,
  ofService: DeploymentAssessment[],
): DeploymentAssessment | undefined {
  const sha = incident.causedBySha as string;
  const exact = firstShipperOfSha.get(`${incident.serviceId}\u0000${sha}`);
  if (exact) return exact;
  // An abbreviated sha, or the deployed commit itself (a merge, which is not a change).
  for (const [key, assessment] of firstShipperOfSha) {
    if (key.startsWith(`${incident.serviceId}\u0000${sha}`)) return assessment;
  }
  return ofService.find((a) => a.deployment.commitSha !== null && a.deployment.commitSha.startsWith(sha));
}

function lookupSha<T>(bySha: Map<string, T>, sha: string): T | undefined {
  const exact = bySha.get(sha);
  if (exact !== undefined || sha.length >= 40) return exact;
  for (const [full, value] of bySha) if (full.startsWith(sha)) return value;
  return undefined;
}

// A release version at the end of a tag: `v1.4.2`, `1.4`, `cart/v1.4.2`, `cart@1.4.2`.
const VERSION = /^(?:.*[/@-])?v?(\d+)\.(\d+)(?:\.(\d+))?$/;

/**
 * Rework: deployments that were not planned work. Marked by the source, a
 * rollback or fix-forward, or (git-only) a deployment whose changes are mostly
 * reverts or `Fixes:` of the previous deployment's changes, or a patch release
 * that follows a failed one.
 */
function* markUnplanned(
  ordered: DeploymentAssessment[],
  series: Deployment[][],
  byId: Map<string, DeploymentAssessment>,
  changesByDeployment: Map<string, ShippedChange[]>,
): Steps<void> {
  for (const group of series) {
    let previous: DeploymentAssessment | undefined;
    for (const deployment of group) {
      yield;
      const current = byId.get(deployment.id) as DeploymentAssessment;
      if (previous) {
        const changes = changesByDeployment.get(deployment.id) ?? [];
        // Only changes that revert or fix something can make a deployment rework; most have none.
        if (changes.some((c) => c.revertsSha !== null || c.fixesSha !== null)) {
          const previousShas = new Map((changesByDeployment.get(previous.deployment.id) ?? []).map((c) => [c.sha, true]));
          const corrective = changes.filter(
            (c) =>
              (c.revertsSha !== null && lookupSha(previousShas, c.revertsSha)) ||
              (c.fixesSha !== null && lookupSha(previousShas, c.fixesSha)),
          ).length;
          if (current.changeCount > 0 && corrective * 2 > current.changeCount) {
            current.unplannedReasons.push({ kind: 'reverts-previous', count: corrective, of: current.changeCount });
          }
        }
        if (previous.failureReasons.length > 0 && isPatchAfter(previous.deployment.version, deployment.version)) {
          current.unplannedReasons.push({ kind: 'patch-after-failure', previous: previous.deployment.id });
        }
      }
      previous = current;
    }
  }
  for (const assessment of ordered) {
    yield;
    const d = assessment.deployment;
    const reasons: UnplannedReason[] = [];
    if (d.unplanned) reasons.push({ kind: 'marked' });
    if (d.rollbackOf !== null) reasons.push({ kind: 'rollback', of: d.rollbackOf });
    if (d.fixes.length > 0) reasons.push({ kind: 'fix-forward', of: d.fixes });
    assessment.unplannedReasons.unshift(...reasons);
  }
}

/** 1.4.2 after 1.4.1 (or after 1.4): same major and minor, higher patch. */
export function isPatchAfter(previous: string | null, current: string | null): boolean {
  const a = previous === null ? null : VERSION.exec(previous);
  const b = current === null ? null : VERSION.exec(current);
  if (!a || !b || b[3] === undefined) return false;
  return a[1] === b[1] && a[2] === b[2] && Number(b[3]) > Number(a[3] ?? 0);
}
