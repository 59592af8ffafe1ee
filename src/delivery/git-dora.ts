import picomatch from 'picomatch';
import { silentProgress, type Progress } from '../shared/progress.js';
import { assertGitRepository } from '../sources/git/index.js';
import type { GitCommit, GitTag } from '../sources/git/index.js';
import { readCommits } from '../sources/git/index.js';
import { readTags } from '../sources/git/index.js';
import { assessDeployments, changeFactsOf, type AssessOptions, type Assessment } from './assess-deployments.js';
import { CommitGraph, type GraphCommit } from './commit-graph.js';
import { summariseDelivery, type DeliverySummary, type SummaryOptions } from './delivery-summary.js';
import type { Deployment, ShippedChange, TimeWindow } from './model.js';
export { DEFAULT_TAG_PATTERN } from './model.js';
import { shipChanges, type ShipOptions } from './ship-changes.js';

export interface GitDoraRequest {
  repoPath: string;
  /** Labels the deployments; monorepos pair it with `tagPattern` and `paths`. */
  serviceId: string;
  tagPattern: RegExp;
  /** Globs (repository-relative) selecting the service's files in a monorepo; empty = every commit. */
  paths: readonly string[];
  window: TimeWindow;
  ship: Omit<ShipOptions, 'isChangeOf'>;
  assess: AssessOptions;
  summary: SummaryOptions;
  progress?: Progress;
}

export interface GitDoraResult {
  repoPath: string;
  summary: DeliverySummary;
  assessment: Assessment;
  changes: ShippedChange[];
  /** Tags that matched the pattern but name the same commit as an earlier matching tag. */
  sameCommitTags: Array<{ tag: string; sameAs: string }>;
  commitsRead: number;
}

/**
 * DORA metrics from a git repository alone: each matching tag is a successful
 * production deployment, finished at the annotated tag's tagger time or else
 * the tagged commit's committer time; reverts are the failure signal. Reads
 * only what the tags reach, in one `git log`.
 */
export async function doraFromGit(request: GitDoraRequest): Promise<GitDoraResult> {
  const repoPath = await assertGitRepository(request.repoPath, '--repo');
  const progress = request.progress ?? silentProgress;
  const tags = (await readTags(repoPath)).filter(
    (t): t is GitTag & { commitSha: string } => t.commitSha !== null && request.tagPattern.test(t.name),
  );

  progress.start('git log');
  const graph = new CommitGraph();
  for await (const commit of readCommits(repoPath, {
    include: [...new Set(tags.map((t) => t.commitSha))],
    withPaths: request.paths.length > 0,
    progress,
  })) {
    graph.add(toGraphCommit(commit));
  }
  progress.finish(`${graph.size} commits`);

  const { deployments, sameCommitTags } = deploymentsFromTags(tags, graph, request.serviceId);
  const isServicePath = request.paths.length > 0 ? picomatch([...request.paths], { dot: true }) : null;
  const shipped = shipChanges(graph, deployments, {
    ...request.ship,
    ...(isServicePath ? { isChangeOf: (_service: string, commit: GraphCommit) => (commit.paths ?? []).some((p) => isServicePath(p)) } : {}),
  });
  const assessment = assessDeployments(deployments, changeFactsOf(shipped.changes), [], request.assess);
  return {
    repoPath,
    summary: summariseDelivery(assessment, request.window, request.summary),
    assessment,
    changes: shipped.changes,
    sameCommitTags,
    commitsRead: graph.size,
  };
}

export function toGraphCommit(commit: GitCommit): GraphCommit {
  return {
    sha: commit.sha,
    parents: commit.parents,
    authorTime: commit.authorTime,
    committerTime: commit.committerTime,
    subject: commit.subject,
    revertsSha: commit.revertsSha,
    revertedSubject: commit.revertedSubject,
    fixesSha: commit.fixesSha,
    paths: commit.paths,
  };
}

/**
 * One deployment per tagged commit. When several release tags name one commit
 * (`v2.0`, `v2.0.0`), one deployment stands for them: an annotated tag (its
 * tagger time is when the release was cut) before a lightweight one (whose
 * time is only the commit's), then the earliest, then by name.
 */
export function deploymentsFromTags(
  tags: ReadonlyArray<GitTag & { commitSha: string }>,
  graph: CommitGraph,
  serviceId: string,
  idPrefix = 'git:',
): { deployments: Deployment[]; sameCommitTags: Array<{ tag: string; sameAs: string }> } {
  const dated = tags
    .map((tag) => {
      const index = graph.indexOf(tag.commitSha);
      const finishedAt = tag.taggerTime ?? (index === undefined ? null : graph.commit(index).committerTime);
      return { tag, finishedAt };
    })
    .filter((t): t is { tag: GitTag & { commitSha: string }; finishedAt: number } => t.finishedAt !== null)
    .sort((a, b) => Number(b.tag.annotated) - Number(a.tag.annotated) || a.finishedAt - b.finishedAt || (a.tag.name < b.tag.name ? -1 : 1));
  const byCommit = new Map<string, string>();
  const deployments: Deployment[] = [];
  const sameCommitTags: Array<{ tag: string; sameAs: string }> = [];
  for (const { tag, finishedAt } of dated) {
    const chosen = byCommit.get(tag.commitSha);
    if (chosen !== undefined) {
      sameCommitTags.push({ tag: tag.name, sameAs: chosen });
      continue;
    }
    byCommit.set(tag.commitSha, tag.name);
    deployments.push({
      id: `${idPrefix}${tag.name}`,
      serviceId,
      environment: 'production',
      commitSha: tag.commitSha,
      startedAt: null,
      finishedAt,
      status: 'success',
      rollbackOf: null,
      fixes: [],
      unplanned: false,
      version: tag.name,
    });
  }
  deployments.sort((a, b) => a.finishedAt - b.finishedAt || (a.id < b.id ? -1 : 1));
  return { deployments, sameCommitTags };
}
