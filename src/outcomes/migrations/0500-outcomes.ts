import type { Kysely, Migration } from 'kysely';

/** Metrics, their daily points, annotations, review notes, readouts, and the tree and deck documents. */
export const outcomesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('outcomes_metrics')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('unit', 'text', (c) => c.notNull())
      .addColumn('direction', 'text', (c) => c.notNull())
      .addColumn('owner', 'text')
      .addColumn('aggregation', 'text', (c) => c.notNull())
      .addColumn('numerator', 'text')
      .addColumn('denominator', 'text')
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('target_week', 'double precision')
      .addColumn('target_month', 'double precision')
      .addColumn('baseline_points', 'integer', (c) => c.notNull())
      .addColumn('baseline_from', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('outcomes_points')
      .addColumn('metric_id', 'text', (c) => c.notNull().references('outcomes_metrics.id').onDelete('cascade'))
      .addColumn('day', 'integer', (c) => c.notNull())
      .addColumn('value', 'double precision', (c) => c.notNull())
      .addPrimaryKeyConstraint('outcomes_points_pk', ['metric_id', 'day'])
      .execute();
    await db.schema
      .createTable('outcomes_annotations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('metric_id', 'text', (c) => c.notNull().references('outcomes_metrics.id').onDelete('cascade'))
      .addColumn('day', 'integer', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('author', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('outcomes_annotations_metric_day').on('outcomes_annotations').columns(['metric_id', 'day']).execute();
    await db.schema
      .createTable('outcomes_notes')
      .addColumn('metric_id', 'text', (c) => c.notNull())
      .addColumn('week_ending', 'integer', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('author', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('outcomes_notes_pk', ['metric_id', 'week_ending'])
      .execute();
    await db.schema
      .createTable('outcomes_readouts')
      .addColumn('week_ending', 'text', (c) => c.primaryKey())
      .addColumn('published_at', 'bigint', (c) => c.notNull())
      .addColumn('published_by', 'text', (c) => c.notNull())
      .addColumn('snapshot', 'text', (c) => c.notNull())
      .addColumn('markdown', 'text', (c) => c.notNull())
      .addColumn('html', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('outcomes_documents')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
