import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { repositoryReadPath, type Person, type Repository, type RepositoryRoots } from '../org/index.js';
import { NotFoundError, ValidationError } from '../shared/errors.js';
import {
  loadCommitGraph,
  loadFileHistory,
  loadGraphCommits,
  reachable,
  resolveCommit,
  syncRepository,
  walkOrder,
  walkOrderSince,
} from '../sources/git/index.js';
import type { Database, Store } from '../store/database.js';
import { listTree, measureBlobs, type BlobMeasure } from './head-files.js';
import { authorResolver } from './history.js';
import { optionKey, type AnalysisName, type AnalysisOptions, type FieldNamer, type RawCommit } from './model.js';
import { runAnalyses } from './run-analysis.js';
import * as codebaseStore from './store.js';

type Db = Kysely<Database>;

export interface RefreshReport {
  repositoryId: string;
  head: string;
  /** Commits read from git this time (those changing no file are not stored). */
  newCommits: number;
  /** True when the cache was rebuilt from scratch (first run, or history was rewritten). */
  rebuilt: boolean;
  /** Blobs measured this time; unchanged files are not read again. */
  measuredBlobs: number;
}

/**
 * Brings a repository's cached history up to `rev`. The commits come from the
 * git source (sources/git): syncRepository reads each repository once per
 * `sextant sync` for every module (a no-op when delivery already read it),
 * and the cache is derived from what it stored. When the cached head is an
 * ancestor of the new one, only the commits after it are added, in `git log
 * head ^cached` order (walkOrder); otherwise (first run, force-push) the
 * history is rebuilt whole. Only blobs not measured before are read for the
 * tree. Line counts are always stored, so every analysis can run from the cache.
 */
export async function refreshHistory(
  store: Pick<Store, 'db' | 'dialect'>,
  repositoryId: string,
  repo: string,
  rev = 'HEAD',
  field = 'repo',
): Promise<RefreshReport> {
  const { db } = store;
  const head = await resolveCommit(repo, rev, field);
  const state = await codebaseStore.getHistoryState(db, repositoryId);
  if (state?.head === head) return { repositoryId, head, newCommits: 0, rebuilt: false, measuredBlobs: 0 };
  await syncRepository(store, { repositoryId, path: repo, field, revisions: [head] });
  // Usually head has grown from the cached one: walk back from it only until the last walk's commits.
  let order: string[] | null = null;
  let walked: readonly string[] = [];
  const hadWalked = state !== null && (await codebaseStore.hasWalked(db, repositoryId));
  if (state !== null && hadWalked) {
    const since = await walkOrderSince(
      head,
      state.head,
      (shas) => loadGraphCommits(db, repositoryId, shas),
      (shas) => codebaseStore.walkedAmong(db, repositoryId, shas),
    );
    if (since.reachedAfter) walked = order = since.order;
  }
  if (order === null) {
    // First run, a rewritten branch, or a cache from before the walked set was kept: the whole graph once.
    const graph = await loadCommitGraph(db, repositoryId);
    walked = walkOrder(graph, head);
    order = state !== null && !hadWalked && reachable(graph, head).has(state.head) ? walkOrder(graph, head, state.head) : null;
  }
  const incremental = order !== null && state !== null;
  const newest: readonly string[] = order ?? walked;
  const total = newest.length;
  const base = incremental && state !== null ? state.nextSeq : 0;

  const tree = await listTree(repo, head);
  const known = incremental ? await codebaseStore.readBlobMeasures(db, repositoryId) : new Map<string, BlobMeasure>();
  const measured = await measureBlobs(
    repo,
    tree.map((entry) => entry.blob).filter((blob) => !known.has(blob)),
  );
  const files = tree.map(({ path, blob }) => ({ path, blob, measure: (measured.get(blob) ?? known.get(blob)) as BlobMeasure }));

  // Newest first: the i-th commit gets seq base + total - 1 - i, so seq grows with time.
  async function* numbered(tx: Db): AsyncGenerator<{ seq: number; commit: RawCommit }> {
    let index = 0;
    for await (const commit of loadFileHistory(tx, repositoryId, newest)) {
      yield { seq: base + total - 1 - index, commit };
      index++;
    }
  }
  const newCommits = await codebaseStore.writeHistory(db, repositoryId, {
    head,
    replace: !incremental,
    commits: numbered,
    nextSeq: base + total,
    walked,
    files,
  });
  return { repositoryId, head, newCommits, rebuilt: !incremental, measuredBlobs: measured.size };
}

/**
 * Refreshes a workspace repository: its `path` is relative to the workspace
 * folder (one set through the API is checked against the allowed roots again),
 * its default branch (HEAD when unset) is what is analysed. A path that is not
 * a git repository is reported against the repository's entry.
 */
export async function refreshWorkspaceRepository(
  store: Pick<Store, 'db' | 'dialect'>,
  repository: Repository,
  roots: RepositoryRoots,
): Promise<RefreshReport> {
  const field = `repositories.${repository.id}.path`;
  try {
    return await refreshHistory(
      store,
      repository.id,
      await repositoryReadPath(store.db, repository, roots),
      repository.defaultBranch ?? 'HEAD',
      field,
    );
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(`Cannot read the history of repository "${repository.id}"`, [
      { field, message: error.issues.map((issue) => issue.message).join('; ') },
    ]);
  }
}

export interface StoredAnalysis {
  repositoryId: string;
  rev: string;
  commits: number;
  result: unknown;
}

/**
 * Runs analyses over a repository's cached history, reusing results computed
 * at the same head with the same options and the same people. Missing ones are
 * computed together in one pass over the cache and stored.
 */
export async function analyseCachedHistory(
  db: Db,
  repositoryId: string,
  names: readonly AnalysisName[],
  options: AnalysisOptions,
  people: readonly Person[],
  now = Date.now(),
  fieldOf: FieldNamer = optionKey,
): Promise<Map<AnalysisName, StoredAnalysis>> {
  const state = await codebaseStore.getHistoryState(db, repositoryId);
  if (state === null) throw new NotFoundError(`Repository "${repositoryId}" has not been analysed yet; run \`sextant sync\``);
  const keyOf = (name: AnalysisName) => resultKey(name, options, people, now);
  const results = new Map<AnalysisName, StoredAnalysis>();
  const missing: AnalysisName[] = [];
  for (const name of names) {
    const cached = await codebaseStore.readResult(db, repositoryId, name, keyOf(name), state.head);
    if (cached) results.set(name, { repositoryId, rev: cached.head, commits: cached.commits, result: cached.result });
    else missing.push(name);
  }
  if (missing.length === 0) return results;
  const run = await runAnalyses(
    missing,
    {
      kind: 'prepared',
      rev: state.head,
      history: () => codebaseStore.readStoredHistory(db, repositoryId),
      tree: () => codebaseStore.readTree(db, repositoryId),
    },
    options,
    { now, resolveAuthor: authorResolver(people), fieldOf },
  );
  for (const name of missing) {
    const stored = { head: state.head, commits: run.commits, result: run.results.get(name) };
    await codebaseStore.writeResult(db, repositoryId, name, keyOf(name), stored);
    results.set(name, { repositoryId, rev: state.head, commits: run.commits, result: stored.result });
  }
  return results;
}

/**
 * What a cached result depends on besides the head: the options, the people
 * who merge identities, and for analyses relative to now (age, knowledge risk)
 * today's date unless --age-time-now fixes it.
 */
function resultKey(name: AnalysisName, options: AnalysisOptions, people: readonly Person[], now: number): string {
  const relativeToNow = (name === 'age' || name === 'knowledge-risk') && options.ageTimeNow === undefined;
  const identities = people.map((p) => [p.name, [...p.emails].sort(), [...p.aliases].sort()]);
  const fingerprint = createHash('sha256').update(JSON.stringify(identities)).digest('hex').slice(0, 16);
  return JSON.stringify({ options, people: fingerprint, today: relativeToNow ? new Date(now).toISOString().slice(0, 10) : null });
}
