import { sql, type Kysely, type Migration } from 'kysely';

/**
 * An index of the few changes that are failure and rework evidence (they
 * revert or fix another; ~0.3% of the demo's), so that loadEvidenceChanges
 * reads those rows instead of scanning every change: a full scan of a million
 * changes held the server's event loop 150-250 ms in one synchronous SQLite
 * read. Partial indexes exist in SQLite and PostgreSQL alike; the query's
 * condition must be the index's own for the planner to use it.
 */
export const deliveryEvidenceIndexMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('delivery_changes_evidence_idx')
      .on('delivery_changes')
      .column('deployment_id')
      .where(sql<boolean>`reverts_sha is not null or fixes_sha is not null`)
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('delivery_changes_evidence_idx').execute();
  },
};
