import type { Kysely } from 'kysely';
import { chunks } from '../../store/chunks.js';
import type { Database } from '../../store/tables/index.js';
import type { GitCommitRow } from '../../store/tables/git.js';
import type { CommitHistory, GitCommit, GitTag } from './model.js';

type Db = Kysely<Database>;

/** Commit history as stored, with the repository it belongs to. */
export interface StoredCommit extends CommitHistory {
  repositoryId: string;
}

export interface SyncState {
  tips: string[];
  withPaths: boolean;
  syncedAt: number;
}

// 14 columns: 2,300 rows bind 32,200 parameters, just under SQLite's 32,766 (PostgreSQL allows 65,535).
// Fewer, larger statements: each one is prepared anew, and ingestion writes up to millions of rows.
const COMMIT_CHUNK_ROWS = 2300;

/** Inserts commits; a commit already stored is left as it is (commits are immutable). */
export async function insertCommits(db: Db, repositoryId: string, commits: readonly GitCommit[]): Promise<void> {
  for (const batch of chunks(commits, COMMIT_CHUNK_ROWS)) {
    await db
      .insertInto('git_commits')
      .values(batch.map((c) => commitRow(repositoryId, c)))
      .onConflict((oc) => oc.columns(['repository_id', 'sha']).doNothing())
      .execute();
  }
}

function commitRow(repositoryId: string, c: GitCommit): GitCommitRow {
  return {
    repository_id: repositoryId,
    sha: c.sha,
    parents: c.parents.join(' '),
    author_name: c.authorName,
    author_email: c.authorEmail,
    author_time: c.authorTime,
    committer_name: c.committerName,
    committer_email: c.committerEmail,
    committer_time: c.committerTime,
    subject: c.subject,
    reverts_sha: c.revertsSha,
    reverted_subject: c.revertedSubject,
    fixes_sha: c.fixesSha,
    paths: c.paths === null ? null : JSON.stringify(c.paths),
  };
}

/** Makes the stored tags of a repository exactly `tags`. */
export async function replaceTags(db: Db, repositoryId: string, tags: readonly GitTag[]): Promise<void> {
  await db.deleteFrom('git_tags').where('repository_id', '=', repositoryId).execute();
  const rows = tags
    .filter((t): t is GitTag & { commitSha: string } => t.commitSha !== null)
    .map((t) => ({
      repository_id: repositoryId,
      name: t.name,
      commit_sha: t.commitSha,
      annotated: t.annotated ? 1 : 0,
      tagger_time: t.taggerTime,
    }));
  for (const batch of chunks(rows)) await db.insertInto('git_tags').values(batch).execute();
}

export async function loadTags(db: Db, repositoryId: string): Promise<GitTag[]> {
  const rows = await db.selectFrom('git_tags').selectAll().where('repository_id', '=', repositoryId).orderBy('name').execute();
  return rows.map((r) => ({ name: r.name, commitSha: r.commit_sha, annotated: r.annotated === 1, taggerTime: r.tagger_time }));
}

export async function getSyncState(db: Db, repositoryId: string): Promise<SyncState | undefined> {
  const row = await db.selectFrom('git_sync_state').selectAll().where('repository_id', '=', repositoryId).executeTakeFirst();
  return row && { tips: JSON.parse(row.tips) as string[], withPaths: row.with_paths === 1, syncedAt: row.synced_at };
}

export async function saveSyncState(db: Db, repositoryId: string, state: SyncState): Promise<void> {
  const row = {
    repository_id: repositoryId,
    tips: JSON.stringify(state.tips),
    with_paths: state.withPaths ? 1 : 0,
    synced_at: state.syncedAt,
  };
  await db
    .insertInto('git_sync_state')
    .values(row)
    .onConflict((oc) => oc.column('repository_id').doUpdateSet({ tips: row.tips, with_paths: row.with_paths, synced_at: row.synced_at }))
    .execute();
}

/** Every stored commit of the repositories, for walking history. */
export async function loadCommits(db: Db, repositoryIds: readonly string[]): Promise<StoredCommit[]> {
  const out: StoredCommit[] = [];
  for (const repositoryId of repositoryIds) {
    const rows = await db
      .selectFrom('git_commits')
      .select([
        'repository_id',
        'sha',
        'parents',
        'author_time',
        'committer_time',
        'subject',
        'reverts_sha',
        'reverted_subject',
        'fixes_sha',
        'paths',
      ])
      .where('repository_id', '=', repositoryId)
      .execute();
    for (const r of rows) {
      out.push({
        repositoryId: r.repository_id,
        sha: r.sha,
        parents: r.parents === '' ? [] : r.parents.split(' '),
        authorTime: r.author_time,
        committerTime: r.committer_time,
        subject: r.subject,
        revertsSha: r.reverts_sha,
        revertedSubject: r.reverted_subject,
        fixesSha: r.fixes_sha,
        paths: r.paths === null ? null : (JSON.parse(r.paths) as string[]),
      });
    }
  }
  return out;
}

export async function countCommits(db: Db, repositoryId: string): Promise<number> {
  const row = await db
    .selectFrom('git_commits')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('repository_id', '=', repositoryId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
