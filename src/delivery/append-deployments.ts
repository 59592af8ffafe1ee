import type { Kysely } from 'kysely';
import type { Service } from '../org/index.js';
import {
  loadCommitLinks,
  loadCommitsBySha,
  newCommitsSince,
  shasWithPrefix,
  shasWithSubject,
  type StoredCommit,
} from '../sources/git/index.js';
import type { Database } from '../store/database.js';
import {
  attributionInputs,
  BASELINE_SETTING,
  changeFilter,
  deploymentsDigest,
  stateSetting,
  type AttributionState,
  type ServiceRebuild,
} from './attribution.js';
import { DAY_MS, type Deployment } from './model.js';
import { byFinish, DEFAULT_BASELINE_DAYS, seriesOf, type SeriesState } from './ship-changes.js';
import { getDeployments, getSetting, latestOfSeries, latestSeriesChange, putSetting, replaceChanges, type StoredChange } from './store.js';

type Db = Kysely<Database>;

/** Steps of the walk after which reading the whole history at once is cheaper (a deployment shipping thousands of commits). */
const WALK_LIMIT = 2000;

/**
 * Attributes deployments that are new and finish after every deployment of
 * their series, without reading the service's history or its other
 * deployments: each ships the commits its commit reaches and the series'
 * tips do not (newCommitsSince), and the series' tips move on. The same
 * answer shipChanges gives over the whole history (tested against it), at
 * a cost that depends on what the deployment ships, not on how many came
 * before.
 *
 * Undefined when that does not apply and the caller rebuilds the service:
 * no stored state, or one derived from other inputs (a sync moved the tips,
 * the links or baseline changed) or from other deployments (the latest of a
 * series is not the one the state ends with); a deployment finishing before
 * the latest of its series; the first deployment of a series with a known
 * commit (it ships within the baseline, from the whole history); or a walk
 * longer than WALK_LIMIT steps.
 */
export async function appendDeployments(db: Db, service: Service, created: readonly Deployment[]): Promise<ServiceRebuild | undefined> {
  const state = await getSetting<AttributionState | null>(db, stateSetting(service.id), null);
  if (state?.version !== 2) return undefined;
  const baselineMs = (await getSetting(db, BASELINE_SETTING, DEFAULT_BASELINE_DAYS)) * DAY_MS;
  if ((await attributionInputs(db, service, baselineMs)) !== state.inputs) return undefined;

  const repositoryIds = service.repositories.map((r) => r.repositoryId);
  const isChangeOf = changeFilter(service);
  const createdIds = created.map((d) => d.id);
  const states = new Map(state.series.map((s) => [s.environment, { ...s, tips: [...s.tips] }]));
  const changes: StoredChange[] = [];
  let unknownCommits = 0;

  for (const series of seriesOf(created)) {
    const first = series[0] as Deployment;
    const current = states.get(first.environment);
    const latest = await latestOfSeries(db, service.id, first.environment, createdIds);
    if ((current?.last.id ?? null) !== (latest?.id ?? null)) return undefined;
    if (latest && byFinish(first, latest as Deployment) <= 0) return undefined;
    const at: SeriesState = current ?? { serviceId: service.id, environment: first.environment, tips: [], last: first };
    states.set(first.environment, at);
    // Changes appended in this call, by subject: a `Revert "subject"` among them may name one.
    const appendedBySubject = new Map<string, string>();
    for (const deployment of series) {
      at.last = { id: deployment.id, finishedAt: deployment.finishedAt };
      const head = await resolveCommit(db, repositoryIds, deployment.commitSha as string);
      if (head === undefined) {
        unknownCommits++;
        continue;
      }
      if (at.tips.length === 0) return undefined;
      const walk = await newCommitsSince(head, at.tips, (shas) => loadCommitLinks(db, repositoryIds, shas), WALK_LIMIT);
      if (walk === undefined) return undefined;
      if (walk.commits.length === 0) continue;
      at.tips = [...at.tips.filter((tip) => !walk.reachedExcluded.includes(tip)), head].sort();
      const commits = firstCopies(await loadCommitsBySha(db, repositoryIds, walk.commits), repositoryIds)
        .filter((c) => c.parents.length <= 1 && isChangeOf(service.id, c))
        .sort((a, b) => a.committerTime - b.committerTime || (a.sha < b.sha ? -1 : 1));
      for (const commit of commits) {
        let revertsSha = commit.revertsSha;
        if (revertsSha === null && commit.revertedSubject !== null) {
          revertsSha =
            appendedBySubject.get(commit.revertedSubject) ??
            (await latestChangeWithSubject(db, service.id, deployment.environment, repositoryIds, commit.revertedSubject));
        }
        appendedBySubject.set(commit.subject, commit.sha);
        changes.push({
          deploymentId: deployment.id,
          sha: commit.sha,
          authorTime: commit.authorTime,
          committerTime: commit.committerTime,
          revertsSha,
          fixesSha: commit.fixesSha,
        });
      }
    }
  }

  await replaceChanges(db, createdIds, changes);
  const result: ServiceRebuild = {
    ...state.result,
    changes: state.result.changes + changes.length,
    unknownCommits: state.result.unknownCommits + unknownCommits,
  };
  // As stored, so the digest matches the one a rebuild computes from loaded rows.
  const stored = [...(await getDeployments(db, createdIds)).values()];
  const next: AttributionState = {
    ...state,
    deployments: deploymentsDigest(stored, state.deployments),
    result,
    series: [...states.values()],
  };
  await putSetting(db, stateSetting(service.id), next);
  return result;
}

/** One copy of each commit, from the first of the service's repositories that has it (as the whole-history graph keeps). */
function firstCopies(commits: StoredCommit[], repositoryIds: readonly string[]): StoredCommit[] {
  const rank = new Map(repositoryIds.map((id, i) => [id, i]));
  const kept = new Map<string, StoredCommit>();
  for (const commit of commits) {
    const held = kept.get(commit.sha);
    if (!held || (rank.get(commit.repositoryId) as number) < (rank.get(held.repositoryId) as number)) kept.set(commit.sha, commit);
  }
  return [...kept.values()];
}

/** The stored commit a deployment names: its full sha, or the one commit an abbreviation of 7+ characters names. */
async function resolveCommit(db: Db, repositoryIds: readonly string[], sha: string): Promise<string | undefined> {
  if (sha.length >= 40) return (await loadCommitLinks(db, repositoryIds, [sha])).length > 0 ? sha : undefined;
  if (sha.length < 7) return undefined;
  const found = await shasWithPrefix(db, repositoryIds, sha, 2);
  return found.length === 1 ? found[0] : undefined;
}

/** The latest change of the series with this subject: what `Revert "subject"` without a sha reverts. */
async function latestChangeWithSubject(
  db: Db,
  serviceId: string,
  environment: string,
  repositoryIds: readonly string[],
  subject: string,
): Promise<string | null> {
  const shas = await shasWithSubject(db, repositoryIds, subject);
  return shas.length === 0 ? null : latestSeriesChange(db, serviceId, environment, shas);
}
