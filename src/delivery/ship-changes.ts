import { finishNow, type Steps } from '../shared/yield.js';
import type { CommitGraph, GraphCommit } from './commit-graph.js';
import { DAY_MS, type Deployment, type LeadTimeStart, type ShippedChange } from './model.js';

export interface ShipOptions {
  /** Where a change's lead time starts. Default: author time. */
  leadTimeStart: LeadTimeStart;
  /** The first deployment of a series ships only commits committed at most this long before it finished. */
  baselineMs: number;
  /** Keeps only the commits that are changes of a service (monorepo path filters). Default: every commit. */
  isChangeOf?: (serviceId: string, commit: GraphCommit) => boolean;
}

export const DEFAULT_BASELINE_DAYS = 30;
export const DEFAULT_SHIP_OPTIONS: ShipOptions = { leadTimeStart: 'author', baselineMs: DEFAULT_BASELINE_DAYS * DAY_MS };

export interface ShipResult {
  changes: ShippedChange[];
  /** Successful deployments whose commit is not in the graph: they ship nothing until the history is read. */
  unknownCommits: Array<{ deploymentId: string; sha: string }>;
  /** Where each series stands after its last deployment: what a deployment appended later starts from. */
  series: SeriesState[];
}

/** A series (service + environment) after its deployments so far. */
export interface SeriesState {
  serviceId: string;
  environment: string;
  /**
   * The commits of its deployments that no other of them reaches: everything
   * shipped so far is exactly what they reach. Empty until a deployment's
   * commit is in the history (the next one then ships within the baseline).
   */
  tips: string[];
  /** Its latest successful deployment with a commit, in finish order (known commit or not). */
  last: { id: string; finishedAt: number };
}

/**
 * Decides which changes each deployment ships for the first time.
 *
 * Per series (service + environment), successful deployments are taken in the
 * order they finished. A deployment ships the commits reachable from its commit
 * and not reachable from any earlier successful deployment of the series —
 * graph reachability, so maintenance branches and out-of-order releases stay
 * right. The set of shipped commits is closed under ancestry, so the walk from
 * a new deployment stops at the first shipped commit on each path: each commit
 * is visited once per series, whatever the number of deployments.
 *
 * In git-only mode a change is a non-merge commit (merges carry no work of
 * their own). The first deployment of a series ships only commits committed
 * within the baseline before it, never the whole history; older commits are
 * marked shipped without counting.
 */
export function shipChanges(
  graph: CommitGraph,
  deployments: readonly Deployment[],
  options: ShipOptions = DEFAULT_SHIP_OPTIONS,
): ShipResult {
  const changes: ShippedChange[] = [];
  const unknownCommits: ShipResult['unknownCommits'] = [];
  const states: SeriesState[] = [];
  for (const series of seriesOf(deployments)) {
    const shipped = new Uint8Array(graph.size);
    const tips = new Set<number>();
    const latestShaBySubject = new Map<string, string>();
    for (const deployment of series) {
      const start = graph.indexOf(deployment.commitSha as string);
      if (start === undefined) {
        unknownCommits.push({ deploymentId: deployment.id, sha: deployment.commitSha as string });
        continue;
      }
      const first = tips.size === 0;
      const reached = walkUnshipped(graph, start, shipped, tips);
      const oldest = first ? deployment.finishedAt - options.baselineMs : -Infinity;
      const commits = reached
        .map((i) => graph.commit(i))
        .filter((c) => c.parents.length <= 1 && c.committerTime >= oldest)
        .filter((c) => !options.isChangeOf || options.isChangeOf(deployment.serviceId, c))
        .sort((a, b) => a.committerTime - b.committerTime || (a.sha < b.sha ? -1 : 1));
      for (const commit of commits) {
        // `Revert "subject"` without the sha line: the latest earlier change with that subject.
        const revertsSha =
          commit.revertsSha ?? (commit.revertedSubject !== null ? (latestShaBySubject.get(commit.revertedSubject) ?? null) : null);
        latestShaBySubject.set(commit.subject, commit.sha);
        changes.push({
          deploymentId: deployment.id,
          sha: commit.sha,
          startedAt: options.leadTimeStart === 'committer' ? commit.committerTime : commit.authorTime,
          revertsSha,
          fixesSha: commit.fixesSha,
        });
      }
    }
    const last = series[series.length - 1] as Deployment;
    states.push({
      serviceId: last.serviceId,
      environment: last.environment,
      tips: [...tips].map((i) => graph.commit(i).sha).sort(),
      last: { id: last.id, finishedAt: last.finishedAt },
    });
  }
  return { changes, unknownCommits, series: states };
}

/** Successful deployments with a commit, grouped by service + environment, each group in finish order. */
export function seriesOf(deployments: readonly Deployment[]): Deployment[][] {
  return finishNow(seriesSteps(deployments));
}

/** seriesOf, pausing after each deployment and each series (see shared/yield.ts). */
export function* seriesSteps(deployments: readonly Deployment[]): Steps<Deployment[][]> {
  const groups = new Map<string, Deployment[]>();
  for (const d of deployments) {
    yield;
    if (d.status !== 'success' || d.commitSha === null) continue;
    const key = `${d.serviceId}\u0000${d.environment}`;
    const group = groups.get(key);
    if (group) group.push(d);
    else groups.set(key, [d]);
  }
  const ordered = [...groups.values()];
  for (const group of ordered) {
    yield;
    group.sort(byFinish);
  }
  return ordered;
}

export function byFinish(a: Deployment, b: Deployment): number {
  return a.finishedAt - b.finishedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Marks and returns every commit reachable from `start` that is not yet
 * shipped, and keeps `tips` (the shipped commits no other shipped deployment
 * reaches) current: `start` joins them, and those it reaches leave. A tip it
 * reaches is met as a shipped parent of a newly reached commit: no other
 * shipped commit lies between, since that one would be reached from another
 * tip, which would then reach this tip.
 */
function walkUnshipped(graph: CommitGraph, start: number, shipped: Uint8Array, tips: Set<number>): number[] {
  const reached: number[] = [];
  if (shipped[start]) return reached;
  shipped[start] = 1;
  tips.add(start);
  const stack = [start];
  while (stack.length > 0) {
    const index = stack.pop() as number;
    reached.push(index);
    for (const parent of graph.parentsOf(index)) {
      if (shipped[parent]) {
        tips.delete(parent);
        continue;
      }
      shipped[parent] = 1;
      stack.push(parent);
    }
  }
  return reached;
}
