import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The incidents module's tables, and every incident delivery recorded before
 * (delivery_incidents) copied in with all its fields: id, service, severity,
 * start (now impactStartedAt), detection, resolution, cause links, source and
 * update time. Copied incidents get their id as title, status resolved when
 * they have a resolution (else investigating), and keep their source (api,
 * cli, demo). delivery_incidents is left as it was (nothing writes it any more).
 */
export const incidentsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('incidents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('service_id', 'text', (c) => c.notNull().references('services.id').onDelete('cascade'))
      .addColumn('services', 'text', (c) => c.notNull())
      .addColumn('severity', 'text')
      .addColumn('priority', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('impact_started_at', 'bigint', (c) => c.notNull())
      .addColumn('detected_at', 'bigint')
      .addColumn('acknowledged_at', 'bigint')
      .addColumn('mitigated_at', 'bigint')
      .addColumn('resolved_at', 'bigint')
      .addColumn('closed_at', 'bigint')
      .addColumn('commander', 'text')
      .addColumn('communications', 'text')
      .addColumn('scribe', 'text')
      .addColumn('responders', 'text', (c) => c.notNull())
      .addColumn('customer_impact', 'text')
      .addColumn('caused_by_deployment', 'text')
      .addColumn('caused_by_sha', 'text')
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('drill', 'integer', (c) => c.notNull())
      .addColumn('data_loss', 'integer', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('incidents_service_idx').on('incidents').columns(['service_id', 'impact_started_at']).execute();
    await db.schema.createIndex('incidents_started_idx').on('incidents').column('impact_started_at').execute();

    await db.schema
      .createTable('incident_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('author', 'text')
      .addColumn('pinned', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('incident_events_incident_idx').on('incident_events').columns(['incident_id', 'at']).execute();

    await db.schema
      .createTable('incident_postmortems')
      .addColumn('incident_id', 'text', (c) => c.primaryKey().references('incidents.id').onDelete('cascade'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('sections', 'text', (c) => c.notNull())
      .addColumn('internal_notes', 'text')
      .addColumn('reviewers', 'text', (c) => c.notNull())
      .addColumn('due_at', 'bigint')
      .addColumn('reviewed_at', 'bigint')
      .addColumn('published_at', 'bigint')
      // JSON array: why the postmortem was required when the incident resolved (budget spend is costly to recompute for every list).
      .addColumn('required_because', 'text')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('incident_remediations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('priority', 'text', (c) => c.notNull())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('team_id', 'text')
      .addColumn('due_at', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('ticket_url', 'text')
      .addColumn('resolved_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('incident_remediations_incident_idx').on('incident_remediations').column('incident_id').execute();
    await db.schema.createIndex('incident_remediations_due_idx').on('incident_remediations').columns(['status', 'due_at']).execute();

    await db.schema
      .createTable('incident_runbooks')
      .addColumn('service_id', 'text', (c) => c.primaryKey().references('services.id').onDelete('cascade'))
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('last_reviewed_at', 'bigint')
      .execute();

    await db.schema
      .createTable('incident_settings')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('incident_webhook_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .addColumn('incident_id', 'text')
      .addColumn('body', 'text', (c) => c.notNull())
      .execute();

    // Every incident delivery recorded, with every field it had.
    await sql`
      INSERT INTO incidents (
        id, title, service_id, services, severity, priority, status,
        impact_started_at, detected_at, acknowledged_at, mitigated_at, resolved_at, closed_at,
        commander, communications, scribe, responders, customer_impact,
        caused_by_deployment, caused_by_sha, tags, drill, data_loss, source, created_at, updated_at
      )
      SELECT
        id, id, service_id, '["' || service_id || '"]', severity, NULL,
        CASE WHEN resolved_at IS NULL THEN 'investigating' ELSE 'resolved' END,
        started_at, detected_at, NULL, NULL, resolved_at, NULL,
        NULL, NULL, NULL, '[]', NULL,
        caused_by_deployment, caused_by_sha, '[]', 0, 0, source, updated_at, updated_at
      FROM delivery_incidents
    `.execute(db);
  },
};
