import type { Kysely, Migration } from 'kysely';

// Objectives, their key results and the check-in history. A correction is a
// new check-in row naming the one it corrects, so the history keeps both.
export const okrsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('okr_objectives')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('team_id', 'text')
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('period_start', 'text', (c) => c.notNull())
      .addColumn('period_end', 'text', (c) => c.notNull())
      .addColumn('parent_id', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('weight', 'double precision', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('okr_objectives_period').on('okr_objectives').columns(['period', 'team_id']).execute();

    await db.schema
      .createTable('okr_key_results')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('objective_id', 'text', (c) => c.notNull().references('okr_objectives.id').onDelete('cascade'))
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('metric_id', 'text')
      .addColumn('start_value', 'double precision')
      .addColumn('target_value', 'double precision')
      .addColumn('unit', 'text')
      .addColumn('aggregation', 'text')
      .addColumn('zones', 'text')
      .addColumn('weight', 'double precision', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('okr_key_results_objective').on('okr_key_results').column('objective_id').execute();

    await db.schema
      .createTable('okr_checkins')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('key_result_id', 'text', (c) => c.notNull().references('okr_key_results.id').onDelete('cascade'))
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('value', 'double precision')
      .addColumn('zone', 'text')
      .addColumn('confidence', 'integer')
      .addColumn('comment', 'text')
      .addColumn('author', 'text')
      .addColumn('corrects_id', 'text')
      .addColumn('recorded_at', 'bigint', (c) => c.notNull())
      .execute();
    // Period settings from sextant.yaml (quarter start month, custom periods, tolerance, zone values) as JSON.
    await db.schema
      .createTable('okr_settings')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('okr_checkins_key_result').on('okr_checkins').columns(['key_result_id', 'at']).execute();
  },
};
