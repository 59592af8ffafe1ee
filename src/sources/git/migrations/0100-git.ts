import type { Kysely, Migration } from 'kysely';

/**
 * Commit and tag metadata read from the workspace's repositories (src/sources/git).
 * Commits are append-only: a sync reads only commits not reachable from the tips
 * it saw last time (git_sync_state.tips).
 */
export const gitMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('git_commits')
      .addColumn('repository_id', 'text', (c) => c.notNull().references('repositories.id').onDelete('cascade'))
      .addColumn('sha', 'text', (c) => c.notNull())
      .addColumn('parents', 'text', (c) => c.notNull())
      .addColumn('author_name', 'text', (c) => c.notNull())
      .addColumn('author_email', 'text', (c) => c.notNull())
      .addColumn('author_time', 'bigint', (c) => c.notNull())
      .addColumn('committer_name', 'text', (c) => c.notNull())
      .addColumn('committer_email', 'text', (c) => c.notNull())
      .addColumn('committer_time', 'bigint', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('reverts_sha', 'text')
      .addColumn('reverted_subject', 'text')
      .addColumn('fixes_sha', 'text')
      .addColumn('paths', 'text')
      .addPrimaryKeyConstraint('git_commits_pk', ['repository_id', 'sha'])
      .execute();

    await db.schema
      .createTable('git_tags')
      .addColumn('repository_id', 'text', (c) => c.notNull().references('repositories.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('commit_sha', 'text', (c) => c.notNull())
      .addColumn('annotated', 'integer', (c) => c.notNull())
      .addColumn('tagger_time', 'bigint')
      .addPrimaryKeyConstraint('git_tags_pk', ['repository_id', 'name'])
      .execute();

    await db.schema
      .createTable('git_sync_state')
      .addColumn('repository_id', 'text', (c) => c.primaryKey().references('repositories.id').onDelete('cascade'))
      .addColumn('tips', 'text', (c) => c.notNull())
      .addColumn('with_paths', 'integer', (c) => c.notNull())
      .addColumn('synced_at', 'bigint', (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>) {
    for (const table of ['git_sync_state', 'git_tags', 'git_commits']) await db.schema.dropTable(table).execute();
  },
};
