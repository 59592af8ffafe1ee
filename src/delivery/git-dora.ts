import picomatch from 'picomatch';
import { silentProgress, type Progress } from '../shared/progress.js';
import { assertGitRepository } from '../sources/git/index.js';
import type { GitCommit, GitTag } from '../sources/git/index.js';
import { readCommits } from '../sources/git/index.js';
import { readTags } from '../sources/git/index.js';
import { assessDeployments, changeFactsOf, type AssessOptions, type Assessment } from './assess-deployments.js';
import { CommitGraph, type GraphCommit } from './commit-graph.js';
import { summariseDelivery, type DeliverySummary, type SummaryOptions } from './delivery-summary.js';
import { DAY_MS, type Deployment, type ShippedChange, type TimeWindow } from './model.js';
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
  /**
   * `last-data`: the window ends just after the latest deployment and keeps the
   * length of `window` — for a repository whose last release is older than the
   * default 90 days before now.
   */
  windowMode?: 'fixed' | 'last-data';
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
  const window = request.windowMode === 'last-data' ? windowEndingAtLastDeployment(assessment, request.window) : request.window;
  return {
    repoPath,
    summary: summariseDelivery(assessment, window, request.summary),
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

/** The window of the same length that ends just after the latest deployment (the end is exclusive). */
export function windowEndingAtLastDeployment(assessment: Assessment, window: TimeWindow): TimeWindow {
  const latest = latestDeployment(assessment);
  if (latest === undefined) return window;
  const to = latest + 1;
  return { from: to - (window.to - window.from), to };
}

/** When the latest deployment finished, if there is one. */
export function latestDeployment(assessment: Assessment): number | undefined {
  let latest: number | undefined;
  for (const d of assessment.deployments) if (latest === undefined || d.deployment.finishedAt > latest) latest = d.deployment.finishedAt;
  return latest;
}

/**
 * Says where the data is when no deployment finished in the window: the
 * latest deployment's date, and the --since/--until that show the window of
 * the same length ending just after it (or `--window last-data`).
 */
export function emptyWindowHint(assessment: Assessment, window: TimeWindow): string {
  const latest = latestDeployment(assessment);
  if (latest === undefined) return 'No deployment found.';
  const days = Math.round((window.to - window.from) / DAY_MS);
  const suggested = windowEndingAtLastDeployment(assessment, window);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const since = day(suggested.from);
  const until = day(suggested.to + DAY_MS - 1);
  return latest < window.from
    ? `No deployment finished in the window: the latest deployment finished ${day(latest)}. ` +
        `\`--since ${since} --until ${until}\` shows the ${days} days before it, or pass --window last-data.`
    : `No deployment finished in the window (${day(window.from)} to ${day(window.to)}); deployments exist from ${day(
        Math.min(...assessment.deployments.map((d) => d.deployment.finishedAt)),
      )} to ${day(latest)}: widen it with --since/--until.`;
}
