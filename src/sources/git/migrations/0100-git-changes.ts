import type { Kysely, Migration } from 'kysely';

/**
 * Per-file changes (renames, line counts) of every commit read, and what
 * file-level history needs of a commit besides its metadata: the author
 * through .mailmap and the author's calendar date. Filled when a sync reads
 * changes (`sextant sync` always does), so codebase and delivery share one
 * read of each repository. The name sorts right after 0100-git: the git
 * source's migrations are named 0100-git*.
 */
export const gitChangesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('git_changes')
      .addColumn('repository_id', 'text', (c) => c.notNull().references('repositories.id').onDelete('cascade'))
      .addColumn('sha', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('previous_path', 'text')
      .addColumn('added', 'integer', (c) => c.notNull())
      .addColumn('deleted', 'integer', (c) => c.notNull())
      .addColumn('is_binary', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('git_changes_pk', ['repository_id', 'sha', 'position'])
      .execute();
    await db.schema.alterTable('git_commits').addColumn('mailmap_name', 'text').execute();
    await db.schema.alterTable('git_commits').addColumn('mailmap_email', 'text').execute();
    await db.schema.alterTable('git_commits').addColumn('author_date', 'text').execute();
    await db.schema
      .alterTable('git_sync_state')
      .addColumn('with_changes', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('git_sync_state').dropColumn('with_changes').execute();
    for (const column of ['author_date', 'mailmap_email', 'mailmap_name'])
      await db.schema.alterTable('git_commits').dropColumn(column).execute();
    await db.schema.dropTable('git_changes').execute();
  },
};
