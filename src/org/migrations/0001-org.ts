import type { Kysely, Migration } from 'kysely';

// Instants are bigint epoch milliseconds (UTC) in every dialect: compact, sortable,
// and free of the time-zone handling differences between SQLite text and timestamptz.
// Booleans are 0/1 integers because SQLite has no boolean type.
// References that must block deletion use the default NO ACTION, not RESTRICT:
// SQLite implements RESTRICT as a trigger and reports SQLITE_CONSTRAINT_TRIGGER,
// while NO ACTION reports SQLITE_CONSTRAINT_FOREIGNKEY like PostgreSQL's 23503.
export const orgMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('teams')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('parent_id', 'text', (c) => c.references('teams.id').onDelete('set null'))
      .addColumn('description', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('repositories')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('path', 'text')
      .addColumn('url', 'text')
      .addColumn('default_branch', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('services')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('owner_team_id', 'text', (c) => c.notNull().references('teams.id'))
      .addColumn('description', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('services_owner_team_idx').on('services').column('owner_team_id').execute();

    await db.schema
      .createTable('service_repositories')
      .addColumn('service_id', 'text', (c) => c.notNull().references('services.id').onDelete('cascade'))
      .addColumn('repository_id', 'text', (c) => c.notNull().references('repositories.id'))
      .addColumn('path_filters', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('service_repositories_pk', ['service_id', 'repository_id'])
      .execute();
    await db.schema.createIndex('service_repositories_repository_idx').on('service_repositories').column('repository_id').execute();

    await db.schema
      .createTable('service_environments')
      .addColumn('service_id', 'text', (c) => c.notNull().references('services.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('production', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('service_environments_pk', ['service_id', 'name'])
      .execute();

    await db.schema
      .createTable('people')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('team_id', 'text', (c) => c.references('teams.id').onDelete('set null'))
      .addColumn('is_bot', 'integer', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('person_identities')
      .addColumn('person_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('person_identities_pk', ['kind', 'value'])
      .execute();
    await db.schema.createIndex('person_identities_person_idx').on('person_identities').column('person_id').execute();
  },

  async down(db: Kysely<unknown>) {
    for (const table of [
      'person_identities',
      'people',
      'service_environments',
      'service_repositories',
      'services',
      'repositories',
      'teams',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
