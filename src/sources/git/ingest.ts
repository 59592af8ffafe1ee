import { silentProgress, type Progress } from '../../shared/progress.js';
import type { Store } from '../../store/database.js';
import { assertGitRepository, runGit } from './git-process.js';
import { readCommitBatches } from './read-commits.js';
import { readRefTips, readTags } from './read-tags.js';
import { getSyncState, insertCommits, replaceTags, saveSyncState } from './store.js';

export interface IngestRequest {
  repositoryId: string;
  /** Absolute path of the clone. */
  path: string;
  /** Field naming the path in errors, e.g. `repositories[2].path`. */
  field: string;
  /** Read touched paths too (a service of this repository has path filters). */
  withPaths: boolean;
  progress?: Progress;
}

export interface IngestReport {
  repositoryId: string;
  /** Commits read by this sync (all of them when `full`). */
  commitsRead: number;
  tags: number;
  /** True when the whole history was read (first sync, paths newly needed, or known tips gone). */
  full: boolean;
}

/**
 * Reads a repository into the store incrementally: only commits reachable from
 * the current branch, tag and remote tips and not from the tips seen last time
 * are read, so a re-sync after N new commits costs N commits, not the history.
 * Tags are re-read whole (one cheap for-each-ref). One transaction: a failure
 * leaves the previous state.
 */
export async function ingestRepository(store: Pick<Store, 'db' | 'dialect'>, request: IngestRequest): Promise<IngestReport> {
  const { db } = store;
  const repoPath = await assertGitRepository(request.path, request.field);
  const progress = request.progress ?? silentProgress;
  const [tips, tags, state] = await Promise.all([readRefTips(repoPath), readTags(repoPath), getSyncState(db, request.repositoryId)]);
  const canIncrement = state !== undefined && (state.withPaths || !request.withPaths);
  // A rewritten history (force push, gc) can drop a tip we knew; excluding a missing commit is an error for git.
  const exclude = canIncrement ? await existingCommits(repoPath, state.tips) : [];
  const full = !canIncrement || exclude.length < state.tips.length;

  let commitsRead = 0;
  await db.transaction().execute(async (tx) => {
    for await (const batch of readCommitBatches(repoPath, {
      include: tips,
      exclude: full ? [] : exclude,
      withPaths: request.withPaths,
      spool: true,
      progress,
    })) {
      await insertCommits(tx, store.dialect, request.repositoryId, batch);
      commitsRead += batch.length;
    }
    await replaceTags(tx, request.repositoryId, tags);
    await saveSyncState(tx, request.repositoryId, { tips, withPaths: request.withPaths, syncedAt: Date.now() });
  });
  return { repositoryId: request.repositoryId, commitsRead, tags: tags.length, full };
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
