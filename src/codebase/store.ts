import type { Kysely, Transaction } from 'kysely';
import { chunks } from '../store/chunks.js';
import type { Database } from '../store/database.js';
import { decodeCursor, toPage, type Page, type PageRequest } from '../store/pagination.js';
import type { CodebaseChangeRow, CodebaseCommitRow, CodebaseFileRow } from './tables.js';
import { complexityFromQuarters, toQuarters } from './complexity.js';
import type { BlobMeasure, HeadFile } from './head-files.js';
import type { RawCommit } from './model.js';

type Db = Kysely<Database>;
type Tx = Transaction<Database>;

/** What the cache holds for one repository. */
export interface HistoryState {
  repositoryId: string;
  head: string;
  commits: number;
  nextSeq: number;
  analysedAt: number;
}

export async function getHistoryState(db: Db, repositoryId: string): Promise<HistoryState | null> {
  const row = await db.selectFrom('codebase_histories').selectAll().where('repository_id', '=', repositoryId).executeTakeFirst();
  return row ? toState(row) : null;
}

export async function listHistoryStates(db: Db): Promise<HistoryState[]> {
  const rows = await db.selectFrom('codebase_histories').selectAll().orderBy('repository_id').execute();
  return rows.map(toState);
}

/** One page of analysed repositories, by id (keyset: the page after a cursor starts after its id). */
export async function pageHistoryStates(db: Db, page: PageRequest): Promise<Page<HistoryState>> {
  const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
  const rows = await db
    .selectFrom('codebase_histories')
    .selectAll()
    .$if(after !== undefined, (q) => q.where('repository_id', '>', after as string))
    .orderBy('repository_id')
    .limit(page.limit + 1)
    .execute();
  return toPage(rows.map(toState), page.limit, (state) => state.repositoryId);
}

function toState(row: Database['codebase_histories']): HistoryState {
  return {
    repositoryId: row.repository_id,
    head: row.head,
    commits: Number(row.commits),
    nextSeq: Number(row.next_seq),
    analysedAt: Number(row.analysed_at),
  };
}

export interface StoredFile {
  path: string;
  blob: string;
  measure: BlobMeasure;
}

export interface HistoryUpdate {
  head: string;
  /** Drop the cached history first (the branch was rewritten, or nothing was cached). */
  replace: boolean;
  /** New commits, newest first, each with its seq (larger = newer); read through the transaction it is given. */
  commits: (tx: Db) => AsyncIterable<{ seq: number; commit: RawCommit }>;
  nextSeq: number;
  /** Every commit this walk covered (the new ones; with `replace`, all of head's history). */
  walked: readonly string[];
  /** The whole tree of head. */
  files: StoredFile[];
}

const COMMIT_BATCH = 500;
const WALKED_BATCH = 2000;

/** Whether the cache records which commits its walk covered (caches made before it do not). */
export async function hasWalked(db: Db, repositoryId: string): Promise<boolean> {
  const row = await db.selectFrom('codebase_walked').select('sha').where('repository_id', '=', repositoryId).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Which of these commits the cached history's walk covered. */
export async function walkedAmong(db: Db, repositoryId: string, shas: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let start = 0; start < shas.length; start += 500) {
    const rows = await db
      .selectFrom('codebase_walked')
      .select('sha')
      .where('repository_id', '=', repositoryId)
      .where('sha', 'in', shas.slice(start, start + 500))
      .execute();
    for (const row of rows) found.add(row.sha);
  }
  return found;
}

/**
 * Writes new history and the tree of the new head in one transaction: a
 * failure half-way (git dies, the disk fills) leaves the previous cache as it
 * was. Returns how many commits were stored.
 */
export async function writeHistory(db: Db, repositoryId: string, update: HistoryUpdate): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const previous = await getHistoryState(tx, repositoryId);
    if (update.replace || previous === null) {
      await tx.deleteFrom('codebase_histories').where('repository_id', '=', repositoryId).execute();
    }
    const now = Date.now();
    await tx
      .insertInto('codebase_histories')
      .values({
        repository_id: repositoryId,
        head: update.head,
        commits: update.replace ? 0 : (previous?.commits ?? 0),
        next_seq: update.nextSeq,
        analysed_at: now,
      })
      .onConflict((oc) => oc.column('repository_id').doUpdateSet({ head: update.head, next_seq: update.nextSeq, analysed_at: now }))
      .execute();

    let stored = 0;
    let batch: Array<{ seq: number; commit: RawCommit }> = [];
    for await (const item of update.commits(tx)) {
      if (item.commit.changes.length === 0) continue;
      batch.push(item);
      if (batch.length >= COMMIT_BATCH) {
        stored += await insertCommits(tx, repositoryId, batch);
        batch = [];
      }
    }
    stored += await insertCommits(tx, repositoryId, batch);
    await tx
      .updateTable('codebase_histories')
      .set((eb) => ({ commits: eb('commits', '+', stored) }))
      .where('repository_id', '=', repositoryId)
      .execute();
    for (let start = 0; start < update.walked.length; start += WALKED_BATCH) {
      const rows = update.walked.slice(start, start + WALKED_BATCH).map((sha) => ({ repository_id: repositoryId, sha }));
      await tx
        .insertInto('codebase_walked')
        .values(rows)
        .onConflict((oc) => oc.columns(['repository_id', 'sha']).doNothing())
        .execute();
    }
    await replaceFiles(tx, repositoryId, update.files);
    await tx.deleteFrom('codebase_results').where('repository_id', '=', repositoryId).where('head', '!=', update.head).execute();
    return stored;
  });
}

async function insertCommits(tx: Tx, repositoryId: string, batch: Array<{ seq: number; commit: RawCommit }>): Promise<number> {
  const commits: CodebaseCommitRow[] = batch.map(({ seq, commit }) => ({
    repository_id: repositoryId,
    seq,
    rev: commit.rev,
    time: commit.time,
    date: commit.date,
    author_name: commit.authorName,
    author_email: commit.authorEmail,
  }));
  const changes: CodebaseChangeRow[] = batch.flatMap(({ seq, commit }) =>
    commit.changes.map((change, position) => ({
      repository_id: repositoryId,
      seq,
      position,
      path: change.path,
      previous_path: change.previousPath,
      added: change.added,
      deleted: change.deleted,
      is_binary: change.binary ? 1 : 0,
    })),
  );
  for (const rows of chunks(commits)) await tx.insertInto('codebase_commits').values(rows).execute();
  for (const rows of chunks(changes)) await tx.insertInto('codebase_changes').values(rows).execute();
  return commits.length;
}

async function replaceFiles(tx: Tx, repositoryId: string, files: StoredFile[]): Promise<void> {
  await tx.deleteFrom('codebase_files').where('repository_id', '=', repositoryId).execute();
  const rows: CodebaseFileRow[] = files.map(({ path, blob, measure }) => {
    const quarters = measure.complexity ? toQuarters(measure.complexity) : { totalQuarters: 0, maxQuarters: 0 };
    return {
      repository_id: repositoryId,
      path,
      blob,
      is_binary: measure.binary ? 1 : 0,
      lines: measure.complexity?.lines ?? 0,
      indent_quarters: quarters.totalQuarters,
      max_indent_quarters: quarters.maxQuarters,
    };
  });
  for (const batch of chunks(rows)) await tx.insertInto('codebase_files').values(batch).execute();
}

/** The measured blobs of the cached tree, so a refresh reads only blobs it has not seen. */
export async function readBlobMeasures(db: Db, repositoryId: string): Promise<Map<string, BlobMeasure>> {
  const rows = await db.selectFrom('codebase_files').selectAll().where('repository_id', '=', repositoryId).execute();
  return new Map(rows.map((row) => [row.blob, toMeasure(row)]));
}

export async function readTree(db: Db, repositoryId: string): Promise<Map<string, HeadFile>> {
  const rows = await db.selectFrom('codebase_files').selectAll().where('repository_id', '=', repositoryId).execute();
  return new Map(rows.map((row) => [row.path, { path: row.path, ...toMeasure(row) }]));
}

function toMeasure(row: CodebaseFileRow): BlobMeasure {
  return {
    binary: row.is_binary === 1,
    complexity:
      row.is_binary === 1 ? null : complexityFromQuarters(Number(row.lines), Number(row.indent_quarters), Number(row.max_indent_quarters)),
  };
}

const READ_PAGE_COMMITS = 2000;

/** The cached history, newest first, read a page of commits at a time. */
export async function* readStoredHistory(db: Db, repositoryId: string): AsyncGenerator<RawCommit> {
  let before: number | null = null;
  for (;;) {
    const commits: CodebaseCommitRow[] = await db
      .selectFrom('codebase_commits')
      .selectAll()
      .where('repository_id', '=', repositoryId)
      .$if(before !== null, (q) => q.where('seq', '<', before as number))
      .orderBy('seq', 'desc')
      .limit(READ_PAGE_COMMITS)
      .execute();
    if (commits.length === 0) return;
    const newest = Number(commits[0]?.seq);
    const oldest: number = Number(commits[commits.length - 1]?.seq);
    const changes = await db
      .selectFrom('codebase_changes')
      .selectAll()
      .where('repository_id', '=', repositoryId)
      .where('seq', '>=', oldest)
      .where('seq', '<=', newest)
      .orderBy('seq', 'desc')
      .orderBy('position')
      .execute();
    let next = 0;
    for (const row of commits) {
      const seq = Number(row.seq);
      const commit: RawCommit = {
        rev: row.rev,
        time: Number(row.time),
        date: row.date,
        authorName: row.author_name,
        authorEmail: row.author_email,
        changes: [],
      };
      for (; next < changes.length && Number(changes[next]?.seq) === seq; next++) {
        const change = changes[next] as CodebaseChangeRow;
        commit.changes.push({
          path: change.path,
          previousPath: change.previous_path,
          added: Number(change.added),
          deleted: Number(change.deleted),
          binary: change.is_binary === 1,
        });
      }
      yield commit;
    }
    before = oldest;
  }
}

export interface StoredResult {
  head: string;
  commits: number;
  result: unknown;
}

export async function readResult(
  db: Db,
  repositoryId: string,
  analysis: string,
  optionsKey: string,
  head: string,
): Promise<StoredResult | null> {
  const row = await db
    .selectFrom('codebase_results')
    .selectAll()
    .where('repository_id', '=', repositoryId)
    .where('analysis', '=', analysis)
    .where('options_key', '=', optionsKey)
    .where('head', '=', head)
    .executeTakeFirst();
  return row ? { head: row.head, commits: Number(row.commits), result: JSON.parse(row.result) } : null;
}

export async function writeResult(db: Db, repositoryId: string, analysis: string, optionsKey: string, stored: StoredResult): Promise<void> {
  const values = {
    repository_id: repositoryId,
    analysis,
    options_key: optionsKey,
    head: stored.head,
    commits: stored.commits,
    result: JSON.stringify(stored.result),
    computed_at: Date.now(),
  };
  await db
    .insertInto('codebase_results')
    .values(values)
    .onConflict((oc) =>
      oc
        .columns(['repository_id', 'analysis', 'options_key'])
        .doUpdateSet({ head: values.head, commits: values.commits, result: values.result, computed_at: values.computed_at }),
    )
    .execute();
}
