import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import picomatch from 'picomatch';
import type { Service } from '../org/index.js';
import type { Database } from '../store/database.js';
import { getSyncState, loadCommits, loadTags, type StoredCommit } from '../sources/git/index.js';
import { CommitGraph, type GraphCommit } from './commit-graph.js';
import { deploymentsFromTags } from './git-dora.js';
import { DAY_MS } from './model.js';
import { DEFAULT_BASELINE_DAYS, shipChanges } from './ship-changes.js';
import {
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
 * Re-derives what a service's deployments ship: loads the stored history of
 * its repositories, refreshes its tag deployments when it has a tag rule, and
 * replaces the changes of all its deployments. Runs inside the caller's
 * transaction, so a batch of deployments and its changes land together.
 */
export async function rebuildService(db: Db, service: Service, tagRule?: TagDeploymentRule): Promise<ServiceRebuild> {
  const baselineMs = (await getSetting(db, BASELINE_SETTING, DEFAULT_BASELINE_DAYS)) * DAY_MS;
  const repositoryIds = service.repositories.map((r) => r.repositoryId);
  // What the result depends on, fingerprinted before loading the whole history:
  // when none of it changed since the last rebuild, neither did the result.
  const settingName = `rebuild:${service.id}`;
  const previous = await getSetting<{ fingerprint: string; result: ServiceRebuild } | null>(db, settingName, null);
  const before = await rebuildInputs(db, service, tagRule, baselineMs);
  if (previous?.fingerprint === before) return previous.result;

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
  const matchers = new Map(
    service.repositories.map((r) => [r.repositoryId, r.paths.length > 0 ? picomatch(r.paths, { dot: true }) : null] as const),
  );
  const isChangeOf = (_service: string, commit: GraphCommit) => {
    const matcher = matchers.get((commit as StoredCommit).repositoryId);
    return !matcher || (commit.paths ?? []).some((p) => matcher(p));
  };
  const shipped = shipChanges(graph, deployments, { leadTimeStart: 'author', baselineMs, isChangeOf });
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
  // The tag deployments just written are part of the inputs next time.
  await putSetting(db, settingName, { fingerprint: await rebuildInputs(db, service, tagRule, baselineMs), result });
  return result;
}

/**
 * A digest of everything rebuildService reads besides the history itself: the
 * repositories' ref tips (the history only grows or is rewritten when they
 * move), their tags under a tag rule, the service's path filters, the
 * baseline, and the service's deployments as stored.
 */
async function rebuildInputs(db: Db, service: Service, tagRule: TagDeploymentRule | undefined, baselineMs: number): Promise<string> {
  const repositories = [];
  for (const link of service.repositories) {
    // The tips, not the sync time: a sync that read nothing new changes only the time.
    const state = await getSyncState(db, link.repositoryId);
    const tags = tagRule ? await loadTags(db, link.repositoryId) : [];
    repositories.push({ link, tips: state?.tips ?? null, withPaths: state?.withPaths ?? null, tags });
  }
  const deployments = await loadDeployments(db, { serviceIds: [service.id] });
  const inputs = {
    repositories,
    tagRule: tagRule ? { pattern: tagRule.pattern.source, flags: tagRule.pattern.flags, environment: tagRule.environment } : null,
    baselineMs,
    deployments: deployments.sort((a, b) => a.id.localeCompare(b.id)),
  };
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
}
