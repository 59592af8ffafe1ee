import type { Kysely, Migration } from 'kysely';

/**
 * The debt module's tables:
 *
 * - work_items: work as the tracker holds it (id from the tracker), the unit of
 *   capacity. Labels and links are JSON arrays. Indexed by team and completion,
 *   which is how capacity reads them.
 * - debt_items: the register. `candidate_key` names the candidate an item was
 *   accepted from, so it is not proposed again.
 * - debt_dismissals: candidates the user dismissed (remembered).
 * - debt_settings: the applied `debt:` section of sextant.yaml.
 */
export const debtMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('work_items')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('labels', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('started_at', 'bigint')
      .addColumn('completed_at', 'bigint')
      .addColumn('points', 'double precision')
      .addColumn('parent_id', 'text')
      .addColumn('sprint', 'text')
      .addColumn('links', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('imported_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('work_items_team_completed').on('work_items').columns(['team_id', 'completed_at']).execute();

    await db.schema
      .createTable('debt_items')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('quadrant', 'text')
      .addColumn('repository_id', 'text')
      .addColumn('paths', 'text', (c) => c.notNull())
      .addColumn('service_id', 'text')
      .addColumn('team_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('impact', 'text', (c) => c.notNull())
      .addColumn('principal_days', 'double precision')
      .addColumn('candidate_key', 'text', (c) => c.unique())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('debt_dismissals')
      .addColumn('candidate_key', 'text', (c) => c.primaryKey())
      .addColumn('dismissed_at', 'bigint', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('debt_settings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('config', 'text', (c) => c.notNull())
      .execute();
  },
};
