import { silentProgress, type Progress } from '../../shared/progress.js';
import type { Store } from '../../store/database.js';
import { assertGitRepository, runGit, tryGit } from './git-process.js';
import type { ReadDetail } from './model.js';
import { storeGenerations, type GenerationInput } from './generations.js';
import { readCommitBatches } from './read-commits.js';
import { readRefTips, readTags } from './read-tags.js';
import { getSyncState, insertCommits, replaceTags, saveSyncState, type SyncState } from './store.js';

export interface IngestRequest {
  repositoryId: string;
  /** Absolute path of the clone. */
  path: string;
  /** Field naming the path in errors, e.g. `repositories.app.path`. */
  field: string;
  /** What to read of each commit; a repository stored with more detail keeps being read with it. Default: commits. */
  detail?: ReadDetail;
  /** Commits to read besides every branch, tag, remote-tracking branch and HEAD (e.g. a detached revision to analyse). */
  revisions?: readonly string[];
  progress?: Progress;
}

export interface IngestReport {
  repositoryId: string;
  /** Commits read by this sync (all of them when `full`). */
  commitsRead: number;
  tags: number;
  /** True when the whole history was read (first sync, more detail newly needed, or known tips gone). */
  full: boolean;
  /** False when nothing new was reachable: no `git log` ran. */
  walked: boolean;
}

const LEVEL: Record<ReadDetail, number> = { commits: 0, paths: 1, changes: 2 };
const DETAILS: ReadDetail[] = ['commits', 'paths', 'changes'];

function levelOf(state: SyncState): number {
  return state.withChanges ? 2 : state.withPaths ? 1 : 0;
}

/**
 * Reads a repository into the store incrementally: only commits reachable from
 * the current branch, tag and remote tips (and HEAD) and not from the tips
 * seen last time are read, so a re-sync after N new commits costs N commits,
 * not the history; when no tip is new, no `git log` runs at all. Tags are
 * re-read whole (one cheap for-each-ref). One transaction: a failure leaves
 * the previous state.
 */
export async function ingestRepository(
  store: Pick<Store, 'db' | 'dialect' | 'bulkStatement'>,
  request: IngestRequest,
): Promise<IngestReport> {
  const { db } = store;
  const repoPath = await assertGitRepository(request.path, request.field);
  const progress = request.progress ?? silentProgress;
  const [refTips, extraTips, tags, state] = await Promise.all([
    readRefTips(repoPath),
    resolveTips(repoPath, ['HEAD', ...(request.revisions ?? [])]),
    readTags(repoPath),
    getSyncState(db, request.repositoryId),
  ]);
  const tips = [...new Set([...refTips, ...extraTips])].sort();
  const wanted = LEVEL[request.detail ?? 'commits'];
  const canIncrement = state !== undefined && levelOf(state) >= wanted;
  // Once read with more detail, a repository keeps being read with it: every stored commit has the same columns.
  const detail = DETAILS[Math.max(wanted, state ? levelOf(state) : 0)] as ReadDetail;
  const known = new Set(canIncrement ? state.tips : []);
  const upToDate = canIncrement && tips.every((tip) => known.has(tip));
  // A rewritten history (force push, gc) can drop a tip we knew; excluding a missing commit is an error for git.
  const exclude = canIncrement && !upToDate ? await existingCommits(repoPath, state.tips) : [];
  const full = !canIncrement || (!upToDate && exclude.length < state.tips.length);

  let commitsRead = 0;
  await db.transaction().execute(async (tx) => {
    if (!upToDate) {
      // git log lists children before parents: generations are computed once every commit read is stored.
      const links: GenerationInput[] = [];
      for await (const batch of readCommitBatches(repoPath, {
        include: tips,
        exclude: full ? [] : exclude,
        withPaths: detail !== 'commits',
        withChanges: detail === 'changes',
        spool: true,
        progress,
      })) {
        await insertCommits({ db: tx, dialect: store.dialect, bulkStatement: store.bulkStatement }, request.repositoryId, batch, detail);
        for (const commit of batch) links.push({ sha: commit.sha, parents: commit.parents, committerTime: commit.committerTime });
        commitsRead += batch.length;
      }
      await storeGenerations(tx, store.dialect, request.repositoryId, links);
    }
    await replaceTags(tx, request.repositoryId, tags);
    await saveSyncState(tx, request.repositoryId, {
      // Up to date: the known tips still cover everything (they may include revisions asked for earlier).
      tips: upToDate ? (state as SyncState).tips : tips,
      withPaths: detail !== 'commits',
      withChanges: detail === 'changes',
      syncedAt: Date.now(),
    });
  });
  return { repositoryId: request.repositoryId, commitsRead, tags: tags.length, full: full && !upToDate, walked: !upToDate };
}

/**
 * What `sextant sync` reads of a repository: every commit with its paths and
 * per-file changes, so that every module fed by git (delivery, codebase) is
 * served by one read. The first module to ask in a sync reads; the next finds
 * the repository current and runs no `git log`.
 */
export function syncRepository(
  store: Pick<Store, 'db' | 'dialect' | 'bulkStatement'>,
  request: Omit<IngestRequest, 'detail'>,
): Promise<IngestReport> {
  return ingestRepository(store, { ...request, detail: 'changes' });
}

/** The commits the revisions name; a revision naming nothing (HEAD of an empty repository) is left out. */
async function resolveTips(repoPath: string, revisions: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const rev of revisions) {
    const sha = await tryGit(repoPath, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
    if (sha !== null && sha.trim() !== '') out.push(sha.trim());
  }
  return out;
}

/** The subset of `shas` that are commits in the repository (one `git cat-file --batch-check`). */
async function existingCommits(repoPath: string, shas: readonly string[]): Promise<string[]> {
  if (shas.length === 0) return [];
  const output = await runGit(repoPath, ['cat-file', '--batch-check=%(objectname) %(objecttype)'], shas.join('\n') + '\n');
  return output
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([, type]) => type === 'commit')
    .map(([sha]) => sha as string);
}
