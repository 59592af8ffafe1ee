import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import picomatch from 'picomatch';
import type { Service } from '../org/index.js';
import type { Database } from '../store/database.js';
import { getSyncState, loadCommits, loadTags, type StoredCommit } from '../sources/git/index.js';
import { CommitGraph, type GraphCommit } from './commit-graph.js';
import { deploymentsFromTags } from './git-dora.js';
import { DAY_MS, type Deployment } from './model.js';
import { DEFAULT_BASELINE_DAYS, shipChanges, type SeriesState } from './ship-changes.js';
import {
  ATTRIBUTION_STATE_PREFIX,
  getSetting,
  loadDeployments,
  putSetting,
  removeDeploymentsNotIn,
  replaceChanges,
  upsertDeployments,
  type StoredChange,
} from './store.js';

type Db = Kysely<Database>;

export const BASELINE_SETTING = 'baselineDays';

export interface TagDeploymentRule {
  pattern: RegExp;
  environment: string;
}

export interface ServiceRebuild {
  serviceId: string;
  tagDeployments: number;
  changes: number;
  /** Deployments of commits not (yet) in the stored history. */
  unknownCommits: number;
}

/**
 * What a service's attribution was last derived from, and where each of its
 * series stood: stored per service (setting `rebuild:<service>`), so that a
 * sync with nothing new skips the work, and a deployment appended at the end
 * of a series is attributed from where the series stood (append-deployments.ts).
 */
export interface AttributionState {
  version: 2;
  /** Digest of the repositories' tips, the service's repository links and path filters, and the baseline. */
  inputs: string;
  /** Digest of the tag rule and the tags it reads; '' when derived without one. */
  tags: string;
  /** Order-independent digest of the service's deployments (deploymentsDigest). */
  deployments: string;
  result: ServiceRebuild;
  series: SeriesState[];
}

export function stateSetting(serviceId: string): string {
  return `${ATTRIBUTION_STATE_PREFIX}${serviceId}`;
}

/** The lock (lockKeys) every writer of a service's deployments or changes takes first. */
export function serviceLock(serviceId: string): string {
  return `delivery:service:${serviceId}`;
}

/**
 * Re-derives what a service's deployments ship: loads the stored history of
 * its repositories, refreshes its tag deployments when it has a tag rule, and
 * replaces the changes of all its deployments. Runs inside the caller's
 * transaction, so a batch of deployments and its changes land together.
 */
export async function rebuildService(db: Db, service: Service, tagRule?: TagDeploymentRule): Promise<ServiceRebuild> {
  const baselineMs = (await getSetting(db, BASELINE_SETTING, DEFAULT_BASELINE_DAYS)) * DAY_MS;
  const repositoryIds = service.repositories.map((r) => r.repositoryId);
  // What the result depends on, digested before loading the whole history:
  // when none of it changed since the last rebuild, neither did the result.
  const previous = await getSetting<AttributionState | null>(db, stateSetting(service.id), null);
  const inputs = await attributionInputs(db, service, baselineMs);
  const tags = await tagInputs(db, service, tagRule);
  if (
    previous?.version === 2 &&
    previous.inputs === inputs &&
    previous.tags === tags &&
    previous.deployments === deploymentsDigest(await loadDeployments(db, { serviceIds: [service.id] }))
  )
    return previous.result;

  const commits = await loadCommits(db, repositoryIds);
  const graph = new CommitGraph(commits);

  let tagDeployments = 0;
  if (tagRule) {
    const found = [];
    for (const repositoryId of repositoryIds) {
      const tags = (await loadTags(db, repositoryId)).filter(
        (t): t is typeof t & { commitSha: string } => t.commitSha !== null && tagRule.pattern.test(t.name),
      );
      const { deployments } = deploymentsFromTags(tags, graph, service.id, `git:${service.id}:${repositoryId}:`);
      found.push(...deployments.map((d) => ({ ...d, environment: tagRule.environment })));
    }
    await upsertDeployments(db, found, 'git', Date.now());
    await removeDeploymentsNotIn(
      db,
      service.id,
      'git',
      found.map((d) => d.id),
    );
    tagDeployments = found.length;
  }

  const deployments = await loadDeployments(db, { serviceIds: [service.id] });
  const shipped = shipChanges(graph, deployments, { leadTimeStart: 'author', baselineMs, isChangeOf: changeFilter(service) });
  const stored: StoredChange[] = shipped.changes.map((change) => {
    const commit = graph.commit(graph.indexOf(change.sha) as number);
    return {
      deploymentId: change.deploymentId,
      sha: change.sha,
      authorTime: commit.authorTime,
      committerTime: commit.committerTime,
      revertsSha: change.revertsSha,
      fixesSha: change.fixesSha,
    };
  });
  await replaceChanges(
    db,
    deployments.map((d) => d.id),
    stored,
  );
  const result = { serviceId: service.id, tagDeployments, changes: stored.length, unknownCommits: shipped.unknownCommits.length };
  const state: AttributionState = {
    version: 2,
    inputs,
    tags,
    // The tag deployments just written are part of the deployments next time.
    deployments: deploymentsDigest(deployments),
    result,
    series: shipped.series,
  };
  await putSetting(db, stateSetting(service.id), state);
  return result;
}

/** Keeps the commits that are changes of the service: with path filters, those touching a filtered path of their repository. */
export function changeFilter(service: Service): (serviceId: string, commit: GraphCommit) => boolean {
  const matchers = new Map(
    service.repositories.map((r) => [r.repositoryId, r.paths.length > 0 ? picomatch(r.paths, { dot: true }) : null] as const),
  );
  return (_service, commit) => {
    const matcher = matchers.get((commit as StoredCommit).repositoryId);
    return !matcher || (commit.paths ?? []).some((p) => matcher(p));
  };
}

/**
 * A digest of what attribution reads besides the history, the deployments and
 * the tags: the repositories' ref tips (the history only grows or is
 * rewritten when they move), the service's repository links with their path
 * filters, and the baseline. A few rows, whatever the history's size.
 */
export async function attributionInputs(db: Db, service: Service, baselineMs: number): Promise<string> {
  const repositories = [];
  for (const link of service.repositories) {
    // The tips, not the sync time: a sync that read nothing new changes only the time.
    const state = await getSyncState(db, link.repositoryId);
    repositories.push({ link, tips: state?.tips ?? null, withPaths: state?.withPaths ?? null });
  }
  return sha256(JSON.stringify({ repositories, baselineMs }));
}

async function tagInputs(db: Db, service: Service, tagRule: TagDeploymentRule | undefined): Promise<string> {
  if (!tagRule) return '';
  const tags = [];
  for (const link of service.repositories) tags.push(await loadTags(db, link.repositoryId));
  const rule = { pattern: tagRule.pattern.source, flags: tagRule.pattern.flags, environment: tagRule.environment };
  return sha256(JSON.stringify({ rule, tags }));
}

/**
 * An order-independent digest of deployments: the XOR of each one's SHA-256,
 * so adding a deployment to the digest costs one hash, not a pass over the
 * series. Ids are unique, so no deployment cancels another out.
 */
export function deploymentsDigest(deployments: readonly Deployment[], from?: string): string {
  const digest = from === undefined ? Buffer.alloc(32) : Buffer.from(from, 'hex');
  for (const d of deployments) {
    const hash = createHash('sha256')
      .update(
        JSON.stringify([
          d.id,
          d.serviceId,
          d.environment,
          d.commitSha,
          d.startedAt === null ? null : Number(d.startedAt),
          Number(d.finishedAt),
          d.status,
          d.rollbackOf,
          d.fixes,
          d.unplanned,
          d.version,
        ]),
      )
      .digest();
    for (let i = 0; i < 32; i++) digest[i] = (digest[i] as number) ^ (hash[i] as number);
  }
  return digest.toString('hex');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
