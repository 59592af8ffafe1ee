import type { Kysely, Migration } from 'kysely';

/**
 * ML projects (plan, phase entries, gate decisions, kill criteria and their
 * flags, confidence and model-quality histories) and experiments. Dates are
 * epoch milliseconds; JSON columns hold small structured values (the plan,
 * the checklist, evidence lists) that are always read whole.
 */
export const mlMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('ml_projects')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('product_owner', 'text')
      .addColumn('business_sponsor', 'text')
      .addColumn('business_metric', 'text')
      .addColumn('business_metric_id', 'text')
      .addColumn('quality_metric', 'text', (c) => c.notNull())
      .addColumn('quality_threshold', 'double precision', (c) => c.notNull())
      .addColumn('quality_direction', 'text', (c) => c.notNull())
      .addColumn('production_path', 'text')
      .addColumn('teams', 'text', (c) => c.notNull())
      .addColumn('key_result', 'text')
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('learning', 'text')
      .addColumn('plan', 'text', (c) => c.notNull())
      .addColumn('checklist', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    const child = (name: string) =>
      db.schema.createTable(name).addColumn('project_id', 'text', (c) => c.notNull().references('ml_projects.id').onDelete('cascade'));

    await child('ml_phase_entries')
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('phase', 'text', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('ended_at', 'bigint')
      .addPrimaryKeyConstraint('ml_phase_entries_pk', ['project_id', 'seq'])
      .execute();

    await child('ml_gates')
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('phase', 'text', (c) => c.notNull())
      .addColumn('decision', 'text', (c) => c.notNull())
      .addColumn('decided_by', 'text', (c) => c.notNull())
      .addColumn('decided_at', 'bigint', (c) => c.notNull())
      .addColumn('evidence', 'text', (c) => c.notNull())
      .addColumn('checklist', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('pivot_to', 'text')
      .addPrimaryKeyConstraint('ml_gates_pk', ['project_id', 'seq'])
      .execute();

    await child('ml_kill_criteria')
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('condition', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('ml_kill_criteria_pk', ['project_id', 'id'])
      .execute();

    await child('ml_kill_flags')
      .addColumn('criterion_id', 'text', (c) => c.notNull())
      .addColumn('met_at', 'bigint', (c) => c.notNull())
      .addColumn('evidence', 'text', (c) => c.notNull())
      .addColumn('resolved_at', 'bigint')
      .addColumn('resolved_by', 'text')
      .addPrimaryKeyConstraint('ml_kill_flags_pk', ['project_id', 'criterion_id', 'met_at'])
      .execute();

    await child('ml_quality')
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('value', 'double precision', (c) => c.notNull())
      .addPrimaryKeyConstraint('ml_quality_pk', ['project_id', 'at'])
      .execute();

    await child('ml_confidence')
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('value', 'double precision', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('stated_by', 'text')
      .addPrimaryKeyConstraint('ml_confidence_pk', ['project_id', 'at'])
      .execute();

    await db.schema
      .createTable('ml_experiments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hypothesis', 'text', (c) => c.notNull())
      .addColumn('metric', 'text', (c) => c.notNull())
      .addColumn('direction', 'text', (c) => c.notNull())
      .addColumn('success_threshold', 'double precision', (c) => c.notNull())
      .addColumn('kill_threshold', 'double precision')
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('project_id', 'text', (c) => c.references('ml_projects.id').onDelete('set null'))
      .addColumn('key_result', 'text')
      .addColumn('ticket_url', 'text')
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('ended_at', 'bigint')
      .addColumn('result', 'double precision')
      .addColumn('decision', 'text')
      .addColumn('learning', 'text')
      .addColumn('decided_at', 'bigint')
      .addColumn('source', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('ml_experiments_team_decided').on('ml_experiments').columns(['team_id', 'decided_at']).execute();
  },
};
