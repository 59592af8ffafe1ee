import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Per-deployment change summaries: how many changes a deployment shipped
 * first and their start times (comma-separated epoch ms), kept with
 * delivery_changes so that metrics read one row per deployment instead of one
 * per change (a million rows at scale). Existing deployments are backfilled
 * from delivery_changes.
 */
export const deliveryChangeSummaryMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('delivery_deployments')
      .addColumn('change_count', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('delivery_deployments')
      .addColumn('change_author_times', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    await db.schema
      .alterTable('delivery_deployments')
      .addColumn('change_committer_times', 'text', (c) => c.notNull().defaultTo(''))
      .execute();

    // Aggregated here rather than in SQL: SQLite's group_concat and PostgreSQL's string_agg differ.
    const { rows } = await sql<{ deployment_id: string; author_time: number; committer_time: number }>`
      select deployment_id, author_time, committer_time from delivery_changes order by deployment_id`.execute(db);
    const summaries = new Map<string, { author: number[]; committer: number[] }>();
    for (const row of rows) {
      let summary = summaries.get(row.deployment_id);
      if (!summary) summaries.set(row.deployment_id, (summary = { author: [], committer: [] }));
      summary.author.push(Number(row.author_time));
      summary.committer.push(Number(row.committer_time));
    }
    for (const [id, summary] of summaries) {
      await sql`update delivery_deployments
        set change_count = ${summary.author.length},
            change_author_times = ${summary.author.join(',')},
            change_committer_times = ${summary.committer.join(',')}
        where id = ${id}`.execute(db);
    }
  },

  async down(db: Kysely<unknown>) {
    for (const column of ['change_committer_times', 'change_author_times', 'change_count']) {
      await db.schema.alterTable('delivery_deployments').dropColumn(column).execute();
    }
  },
};
