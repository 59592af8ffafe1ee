import type { Kysely } from 'kysely';
import { chunks } from '../../store/chunks.js';
import type { DialectName } from '../../store/database.js';
import { insertJsonRows, type JsonColumn } from '../../store/json-rows-insert.js';
import type { Database } from '../../store/database.js';
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

const COMMIT_COLUMNS: JsonColumn[] = [
  { name: 'repository_id', type: 'text' },
  { name: 'sha', type: 'text' },
  { name: 'parents', type: 'text' },
  { name: 'author_name', type: 'text' },
  { name: 'author_email', type: 'text' },
  { name: 'author_time', type: 'bigint' },
  { name: 'committer_name', type: 'text' },
  { name: 'committer_email', type: 'text' },
  { name: 'committer_time', type: 'bigint' },
  { name: 'subject', type: 'text' },
  { name: 'reverts_sha', type: 'text' },
  { name: 'reverted_subject', type: 'text' },
  { name: 'fixes_sha', type: 'text' },
  { name: 'paths', type: 'text' },
];

/**
 * Inserts commits; a commit already stored is left as it is (commits are
 * immutable). Whole histories are written here (100k+ rows), so rows go as one
 * JSON parameter per statement (store/json-rows-insert.ts).
 */
export async function insertCommits(db: Db, dialect: DialectName, repositoryId: string, commits: readonly GitCommit[]): Promise<void> {
  const rows = commits.map((c) => [
    repositoryId,
    c.sha,
    c.parents.join(' '),
    c.authorName,
    c.authorEmail,
    c.authorTime,
    c.committerName,
    c.committerEmail,
    c.committerTime,
    c.subject,
    c.revertsSha,
    c.revertedSubject,
    c.fixesSha,
    c.paths === null ? null : JSON.stringify(c.paths),
  ]);
  await insertJsonRows(db as Kysely<unknown>, dialect, 'git_commits', COMMIT_COLUMNS, rows, ['repository_id', 'sha']);
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
