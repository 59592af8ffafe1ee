import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';
import type { Database } from '../../../store/database.js';
import { storeGenerations } from '../generations.js';

/**
 * Each commit's generation number (generations.ts), so that attributing one
 * new deployment walks only the history between it and the deployments
 * before it, and an index on the subject, so that `Revert "subject"` finds
 * the change it reverts without scanning a series. The index holds the
 * first 200 characters: a whole subject can exceed PostgreSQL's btree row
 * limit. Commits already stored get their generation here (stored only
 * where it differs from the committer time).
 */
export const gitGenerationMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('git_commits').addColumn('generation', 'bigint').execute();
    await sql`create index git_commits_subject_idx on git_commits (repository_id, substr(subject, 1, 200))`.execute(db);
    const store = db as unknown as Kysely<Database>;
    const dialect = db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
    const repositories = await store.selectFrom('git_commits').select('repository_id').distinct().execute();
    for (const { repository_id: repositoryId } of repositories) {
      const rows = await store
        .selectFrom('git_commits')
        .select(['sha', 'parents', 'committer_time'])
        .where('repository_id', '=', repositoryId)
        .execute();
      const commits = rows.map((r) => ({
        sha: r.sha,
        parents: r.parents === '' ? [] : r.parents.split(' '),
        committerTime: Number(r.committer_time),
      }));
      await storeGenerations(store, dialect, repositoryId, commits);
    }
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('git_commits_subject_idx').execute();
    await db.schema.alterTable('git_commits').dropColumn('generation').execute();
  },
};
