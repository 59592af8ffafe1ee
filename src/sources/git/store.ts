import { sql, type Kysely } from 'kysely';
import { chunks } from '../../store/chunks.js';
import type { Database, DialectName, Store } from '../../store/database.js';
import { insertRows, type JsonColumn } from '../../store/json-rows-insert.js';
import type { CommitHistory, FileChange, FileHistoryCommit, GitCommit, GitTag, ReadDetail } from './model.js';
import type { CommitGraph } from './walk-order.js';

type Db = Kysely<Database>;

/** Commit history as stored, with the repository it belongs to. */
export interface StoredCommit extends CommitHistory {
  repositoryId: string;
}

export interface SyncState {
  tips: string[];
  withPaths: boolean;
  withChanges: boolean;
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
  { name: 'mailmap_name', type: 'text' },
  { name: 'mailmap_email', type: 'text' },
  { name: 'author_date', type: 'text' },
];

const CHANGE_COLUMNS: JsonColumn[] = [
  { name: 'repository_id', type: 'text' },
  { name: 'sha', type: 'text' },
  { name: 'position', type: 'integer' },
  { name: 'path', type: 'text' },
  { name: 'previous_path', type: 'text' },
  { name: 'added', type: 'integer' },
  { name: 'deleted', type: 'integer' },
  { name: 'is_binary', type: 'integer' },
];

/** The columns a read at this detail fills: a commit stored by a lesser read gets them when read again. */
const DETAIL_COLUMNS: Record<ReadDetail, string[]> = {
  commits: [],
  paths: ['paths'],
  changes: ['paths', 'mailmap_name', 'mailmap_email', 'author_date'],
};

/**
 * Inserts commits and, when they were read, their file changes. A commit
 * already stored keeps its fields (commits are immutable) except those this
 * read's detail adds (paths, mailmap, date). Whole histories are written here
 * (100k+ rows), so rows go in bulk: one JSON parameter per statement, or
 * on SQLite one prepared statement run per row (store/json-rows-insert.ts).
 */
export async function insertCommits(
  target: { db: Db; dialect: DialectName; bulkStatement?: Store['bulkStatement'] },
  repositoryId: string,
  commits: readonly GitCommit[],
  detail: ReadDetail = 'commits',
): Promise<void> {
  const withChanges = detail === 'changes';
  const rows = commits.map((c) => {
    const row: unknown[] = [
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
    ];
    if (withChanges) row.push(c.mailmapName, c.mailmapEmail, c.authorDate);
    return row;
  });
  // Without changes the mailmap and date columns stay null: they are left out of the JSON rows.
  const columns = withChanges ? COMMIT_COLUMNS : COMMIT_COLUMNS.slice(0, COMMIT_COLUMNS.length - 3);
  const bulk = { ...target, db: target.db as Kysely<unknown> };
  await insertRows(bulk, 'git_commits', columns, rows, ['repository_id', 'sha'], DETAIL_COLUMNS[detail]);
  if (!withChanges) return;
  const changes: unknown[][] = [];
  for (const c of commits) {
    (c.changes ?? []).forEach((change, position) =>
      changes.push([repositoryId, c.sha, position, change.path, change.previousPath, change.added, change.deleted, change.binary ? 1 : 0]),
    );
  }
  await insertRows(bulk, 'git_changes', CHANGE_COLUMNS, changes, ['repository_id', 'sha', 'position']);
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
  return (
    row && {
      tips: JSON.parse(row.tips) as string[],
      withPaths: row.with_paths === 1,
      withChanges: Number(row.with_changes) === 1,
      syncedAt: Number(row.synced_at),
    }
  );
}

export async function saveSyncState(db: Db, repositoryId: string, state: SyncState): Promise<void> {
  const row = {
    repository_id: repositoryId,
    tips: JSON.stringify(state.tips),
    with_paths: state.withPaths ? 1 : 0,
    with_changes: state.withChanges ? 1 : 0,
    synced_at: state.syncedAt,
  };
  await db
    .insertInto('git_sync_state')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('repository_id')
        .doUpdateSet({ tips: row.tips, with_paths: row.with_paths, with_changes: row.with_changes, synced_at: row.synced_at }),
    )
    .execute();
}

const HISTORY_COLUMNS = [
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
] as const;

type HistoryRow = Pick<Database['git_commits'], (typeof HISTORY_COLUMNS)[number]>;

function toStoredCommit(r: HistoryRow): StoredCommit {
  return {
    repositoryId: r.repository_id,
    sha: r.sha,
    parents: splitParents(r.parents),
    authorTime: r.author_time,
    committerTime: r.committer_time,
    subject: r.subject,
    revertsSha: r.reverts_sha,
    revertedSubject: r.reverted_subject,
    fixesSha: r.fixes_sha,
    paths: r.paths === null ? null : (JSON.parse(r.paths) as string[]),
  };
}

function splitParents(parents: string): string[] {
  return parents === '' ? [] : parents.split(' ');
}

/** Every stored commit of the repositories, for walking history. */
export async function loadCommits(db: Db, repositoryIds: readonly string[]): Promise<StoredCommit[]> {
  const out: StoredCommit[] = [];
  for (const repositoryId of repositoryIds) {
    const rows = await db.selectFrom('git_commits').select(HISTORY_COLUMNS).where('repository_id', '=', repositoryId).execute();
    for (const r of rows) out.push(toStoredCommit(r));
  }
  return out;
}

/** Some commits of the repositories, whole (those not stored are left out). */
export async function loadCommitsBySha(db: Db, repositoryIds: readonly string[], shas: readonly string[]): Promise<StoredCommit[]> {
  const out: StoredCommit[] = [];
  if (repositoryIds.length === 0) return out;
  for (const batch of chunks(shas)) {
    const rows = await db
      .selectFrom('git_commits')
      .select(HISTORY_COLUMNS)
      .where('repository_id', 'in', repositoryIds)
      .where('sha', 'in', batch)
      .execute();
    for (const r of rows) out.push(toStoredCommit(r));
  }
  return out;
}

/** A commit's place in the graph: its parents and generation number (generations.ts). */
export interface CommitLink {
  sha: string;
  parents: string[];
  generation: number;
}

/** Parents and generations of some commits of the repositories (those not stored are left out). */
export async function loadCommitLinks(db: Db, repositoryIds: readonly string[], shas: readonly string[]): Promise<CommitLink[]> {
  const out: CommitLink[] = [];
  if (repositoryIds.length === 0) return out;
  for (const batch of chunks(shas)) {
    const rows = await db
      .selectFrom('git_commits')
      .select(['sha', 'parents', 'generation', 'committer_time'])
      .where('repository_id', 'in', repositoryIds)
      .where('sha', 'in', batch)
      .execute();
    // Only corrections are stored (generations.ts): elsewhere the generation is the committer time.
    for (const r of rows) out.push({ sha: r.sha, parents: splitParents(r.parents), generation: Number(r.generation ?? r.committer_time) });
  }
  return out;
}

/** The distinct stored shas starting with `prefix` (at most `limit`): resolves an abbreviated sha. */
export async function shasWithPrefix(db: Db, repositoryIds: readonly string[], prefix: string, limit = 2): Promise<string[]> {
  if (repositoryIds.length === 0) return [];
  const rows = await db
    .selectFrom('git_commits')
    .select('sha')
    .distinct()
    .where('repository_id', 'in', repositoryIds)
    .where('sha', '>=', prefix)
    .where('sha', '<', `${prefix}g`)
    .orderBy('sha')
    .limit(limit)
    .execute();
  return rows.map((r) => r.sha);
}

/** The stored commits whose subject is exactly `subject` (through the subject index). */
export async function shasWithSubject(db: Db, repositoryIds: readonly string[], subject: string): Promise<string[]> {
  if (repositoryIds.length === 0) return [];
  const rows = await db
    .selectFrom('git_commits')
    .select('sha')
    .where('repository_id', 'in', repositoryIds)
    .where(sql<string>`substr(subject, 1, 200)`, '=', sql<string>`substr(${subject}, 1, 200)`)
    .where('subject', '=', subject)
    .execute();
  return [...new Set(rows.map((r) => r.sha))];
}

export async function countCommits(db: Db, repositoryId: string): Promise<number> {
  const row = await db
    .selectFrom('git_commits')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('repository_id', '=', repositoryId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The commit graph of a repository as stored: parents and committer times, for walking history without git. */
export async function loadCommitGraph(db: Db, repositoryId: string): Promise<CommitGraph> {
  const rows = await db
    .selectFrom('git_commits')
    .select(['sha', 'parents', 'committer_time'])
    .where('repository_id', '=', repositoryId)
    .execute();
  const graph: CommitGraph = new Map();
  for (const r of rows)
    graph.set(r.sha, { parents: r.parents === '' ? [] : r.parents.split(' '), committerTime: Number(r.committer_time) });
  return graph;
}

/** Parents and committer times of some commits (those not stored are left out). */
export async function loadGraphCommits(db: Db, repositoryId: string, shas: readonly string[]): Promise<CommitGraph> {
  const graph: CommitGraph = new Map();
  for (const page of chunks(shas, 500)) {
    const rows = await db
      .selectFrom('git_commits')
      .select(['sha', 'parents', 'committer_time'])
      .where('repository_id', '=', repositoryId)
      .where('sha', 'in', page)
      .execute();
    for (const r of rows)
      graph.set(r.sha, { parents: r.parents === '' ? [] : r.parents.split(' '), committerTime: Number(r.committer_time) });
  }
  return graph;
}

const FILE_HISTORY_PAGE = 500;

/**
 * File-level history of the given commits, in the given order, read a page at
 * a time. Needs commits stored by a read with changes; a commit that is not
 * stored is an error (the caller walked a graph this store does not hold).
 */
export async function* loadFileHistory(db: Db, repositoryId: string, shas: readonly string[]): AsyncGenerator<FileHistoryCommit> {
  for (let start = 0; start < shas.length; start += FILE_HISTORY_PAGE) {
    const page = shas.slice(start, start + FILE_HISTORY_PAGE);
    const commits = await db
      .selectFrom('git_commits')
      .select(['sha', 'author_time', 'author_date', 'mailmap_name', 'mailmap_email'])
      .where('repository_id', '=', repositoryId)
      .where('sha', 'in', page)
      .execute();
    const changes = await db
      .selectFrom('git_changes')
      .select(['sha', 'path', 'previous_path', 'added', 'deleted', 'is_binary'])
      .where('repository_id', '=', repositoryId)
      .where('sha', 'in', page)
      .orderBy('sha')
      .orderBy('position')
      .execute();
    const bySha = new Map(commits.map((c) => [c.sha, c]));
    const changesBySha = new Map<string, FileChange[]>();
    for (const c of changes) {
      let list = changesBySha.get(c.sha);
      if (list === undefined) changesBySha.set(c.sha, (list = []));
      list.push({
        path: c.path,
        previousPath: c.previous_path,
        added: Number(c.added),
        deleted: Number(c.deleted),
        binary: Number(c.is_binary) === 1,
      });
    }
    for (const sha of page) {
      const row = bySha.get(sha);
      if (row === undefined || row.author_date === null) throw new Error(`commit ${sha} of ${repositoryId} is not stored with its changes`);
      yield {
        rev: sha,
        time: Number(row.author_time),
        date: row.author_date,
        authorName: row.mailmap_name ?? '',
        authorEmail: row.mailmap_email ?? '',
        changes: changesBySha.get(sha) ?? [],
      };
    }
  }
}
