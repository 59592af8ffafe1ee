import type { Kysely, Migration } from 'kysely';

/**
 * Deployments, incidents and the changes each deployment ships first
 * (src/delivery). delivery_changes is derived: rebuilt per series from the
 * deployments and git_commits whenever either changes.
 */
export const deliveryMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('delivery_deployments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('service_id', 'text', (c) => c.notNull().references('services.id').onDelete('cascade'))
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('commit_sha', 'text')
      .addColumn('started_at', 'bigint')
      .addColumn('finished_at', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('rollback_of', 'text')
      .addColumn('fixes', 'text', (c) => c.notNull())
      .addColumn('unplanned', 'integer', (c) => c.notNull())
      .addColumn('version', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('delivery_deployments_series_idx')
      .on('delivery_deployments')
      .columns(['service_id', 'environment', 'finished_at'])
      .execute();
    await db.schema.createIndex('delivery_deployments_finished_idx').on('delivery_deployments').column('finished_at').execute();

    await db.schema
      .createTable('delivery_changes')
      .addColumn('deployment_id', 'text', (c) => c.notNull().references('delivery_deployments.id').onDelete('cascade'))
      .addColumn('sha', 'text', (c) => c.notNull())
      .addColumn('author_time', 'bigint', (c) => c.notNull())
      .addColumn('committer_time', 'bigint', (c) => c.notNull())
      .addColumn('reverts_sha', 'text')
      .addColumn('fixes_sha', 'text')
      .addPrimaryKeyConstraint('delivery_changes_pk', ['deployment_id', 'sha'])
      .execute();
    await db.schema.createIndex('delivery_changes_sha_idx').on('delivery_changes').column('sha').execute();

    await db.schema
      .createTable('delivery_incidents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('service_id', 'text', (c) => c.notNull().references('services.id').onDelete('cascade'))
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('detected_at', 'bigint')
      .addColumn('resolved_at', 'bigint')
      .addColumn('caused_by_deployment', 'text')
      .addColumn('caused_by_sha', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('delivery_incidents_service_idx').on('delivery_incidents').columns(['service_id', 'started_at']).execute();

    // Settings from sextant.yaml that writes through the API need too (the attribution baseline).
    await db.schema
      .createTable('delivery_settings')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>) {
    for (const table of ['delivery_settings', 'delivery_incidents', 'delivery_changes', 'delivery_deployments'])
      await db.schema.dropTable(table).execute();
  },
};
