import type { Kysely, Migration } from 'kysely';

/**
 * Runbooks can be set through the API and CLI as well as sextant.yaml, so each
 * row records who manages it (`config`, `api` or `demo`, as org entities do).
 * Rows written before this migration came from sextant.yaml or the demo; they
 * are marked `config`, so the file keeps managing them.
 */
export const runbookSourceMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('incident_runbooks')
      .addColumn('source', 'text', (c) => c.notNull().defaultTo('config'))
      .execute();
  },
};
