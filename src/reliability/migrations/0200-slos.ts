import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

/**
 * Reliability: SLO definitions (as validated JSON), error-budget policies and
 * maintenance windows, per-minute samples rolled up to hours and days, alert
 * state history, and the Prometheus source's read position.
 *
 * Samples: one row per SLO and UTC hour holds the hour's good/total sums and
 * its 60 minutes as a blob (60 good then 60 total float64, little-endian); one
 * row per SLO and UTC day holds the day's sums. A 30-day window then reads
 * ~30 day rows, a few dozen hour rows and the minute detail of at most two
 * hours, however many samples it covers (docs/metrics/reliability.md).
 */
export const slosMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    const blob = postgres ? sql`bytea` : sql`blob`;
    // SQLite: keyed tables without a separate rowid b-tree are smaller and faster to append to.
    const compact = <T extends { modifyEnd(modifier: ReturnType<typeof sql>): T }>(builder: T): T =>
      postgres ? builder : builder.modifyEnd(sql`without rowid`);

    await db.schema
      .createTable('slo_definitions')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('target', 'double precision', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('slo_definitions_service_idx').on('slo_definitions').column('service').execute();

    await db.schema
      .createTable('slo_policies')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('service', 'text')
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('slo_maintenance_windows')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('slo_samples_hour')
      .addColumn('slo', 'text', (c) => c.notNull())
      .addColumn('hour_start', 'bigint', (c) => c.notNull())
      .addColumn('good', 'double precision', (c) => c.notNull())
      .addColumn('total', 'double precision', (c) => c.notNull())
      .addColumn('minutes', blob, (c) => c.notNull())
      .addPrimaryKeyConstraint('slo_samples_hour_pk', ['slo', 'hour_start'])
      .$call(compact)
      .execute();

    await db.schema
      .createTable('slo_samples_day')
      .addColumn('slo', 'text', (c) => c.notNull())
      .addColumn('day_start', 'bigint', (c) => c.notNull())
      .addColumn('good', 'double precision', (c) => c.notNull())
      .addColumn('total', 'double precision', (c) => c.notNull())
      .addPrimaryKeyConstraint('slo_samples_day_pk', ['slo', 'day_start'])
      .$call(compact)
      .execute();

    await db.schema
      .createTable('slo_alert_events')
      .addColumn('slo', 'text', (c) => c.notNull())
      .addColumn('tier', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('slo_alert_events_pk', ['slo', 'tier', 'at'])
      .execute();

    await db.schema
      .createTable('slo_source_cursors')
      .addColumn('slo', 'text', (c) => c.primaryKey())
      .addColumn('next_minute', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>) {
    for (const table of [
      'slo_source_cursors',
      'slo_alert_events',
      'slo_samples_day',
      'slo_samples_hour',
      'slo_maintenance_windows',
      'slo_policies',
      'slo_definitions',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
