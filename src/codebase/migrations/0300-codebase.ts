import type { Kysely, Migration } from 'kysely';

/**
 * The codebase module's cache of git history, so re-analysing a repository
 * reads only the commits added since the last run:
 *
 * - codebase_histories: per repository, the last commit read (head).
 * - codebase_commits / codebase_changes: the file-level history as git
 *   reported it (paths as they were then; renames are followed at analysis
 *   time), numbered by `seq`, larger = newer.
 * - codebase_files: the tree of head with each file's blob, size and
 *   indentation (in quarter levels, so integers), re-measured only for blobs
 *   that changed.
 * - codebase_results: analysis results per repository, analysis and options,
 *   valid for the head they were computed at.
 */
export const codebaseMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('codebase_histories')
      .addColumn('repository_id', 'text', (c) => c.primaryKey().references('repositories.id').onDelete('cascade'))
      .addColumn('head', 'text', (c) => c.notNull())
      .addColumn('commits', 'integer', (c) => c.notNull())
      .addColumn('next_seq', 'integer', (c) => c.notNull())
      .addColumn('analysed_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('codebase_commits')
      .addColumn('repository_id', 'text', (c) => c.notNull().references('codebase_histories.repository_id').onDelete('cascade'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('rev', 'text', (c) => c.notNull())
      .addColumn('time', 'bigint', (c) => c.notNull())
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('author_name', 'text', (c) => c.notNull())
      .addColumn('author_email', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('codebase_commits_pk', ['repository_id', 'seq'])
      .execute();

    await db.schema
      .createTable('codebase_changes')
      .addColumn('repository_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('previous_path', 'text')
      .addColumn('added', 'integer', (c) => c.notNull())
      .addColumn('deleted', 'integer', (c) => c.notNull())
      .addColumn('is_binary', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('codebase_changes_pk', ['repository_id', 'seq', 'position'])
      .addForeignKeyConstraint('codebase_changes_commit_fk', ['repository_id', 'seq'], 'codebase_commits', ['repository_id', 'seq'], (fk) =>
        fk.onDelete('cascade'),
      )
      .execute();

    await db.schema
      .createTable('codebase_files')
      .addColumn('repository_id', 'text', (c) => c.notNull().references('codebase_histories.repository_id').onDelete('cascade'))
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('blob', 'text', (c) => c.notNull())
      .addColumn('is_binary', 'integer', (c) => c.notNull())
      .addColumn('lines', 'integer', (c) => c.notNull())
      .addColumn('indent_quarters', 'integer', (c) => c.notNull())
      .addColumn('max_indent_quarters', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('codebase_files_pk', ['repository_id', 'path'])
      .execute();

    await db.schema
      .createTable('codebase_results')
      .addColumn('repository_id', 'text', (c) => c.notNull().references('codebase_histories.repository_id').onDelete('cascade'))
      .addColumn('analysis', 'text', (c) => c.notNull())
      .addColumn('options_key', 'text', (c) => c.notNull())
      .addColumn('head', 'text', (c) => c.notNull())
      .addColumn('commits', 'integer', (c) => c.notNull())
      .addColumn('result', 'text', (c) => c.notNull())
      .addColumn('computed_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('codebase_results_pk', ['repository_id', 'analysis', 'options_key'])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    for (const table of ['codebase_results', 'codebase_files', 'codebase_changes', 'codebase_commits', 'codebase_histories']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
