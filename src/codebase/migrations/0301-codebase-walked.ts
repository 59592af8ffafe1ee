import type { Kysely, Migration } from 'kysely';

/**
 * codebase_walked: every commit the cached history's walk covered (head and
 * all its ancestors, merges and commits that change no file included), so a
 * refresh after new commits walks only those and stops where the last walk
 * was, instead of loading the whole commit graph to find out. Filled on the
 * next refresh of a cache created before it (one full walk).
 */
export const codebaseWalkedMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('codebase_walked')
      .addColumn('repository_id', 'text', (c) => c.notNull().references('codebase_histories.repository_id').onDelete('cascade'))
      .addColumn('sha', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('codebase_walked_pk', ['repository_id', 'sha'])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('codebase_walked').execute();
  },
};
