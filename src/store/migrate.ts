import { Migrator, sql, type DatabaseIntrospector, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import type { Store } from './database.js';

export interface MigrationReport {
  applied: string[];
  /** Every migration known to this build, in order. */
  known: string[];
}

/**
 * One migration set over every module, keyed by globally unique names. A name
 * declared by two modules is a programming error, reported at start.
 */
export function collectMigrations(
  sets: ReadonlyArray<{ name: string; migrations?: Record<string, Migration> }>,
): Record<string, Migration> {
  const all: Record<string, Migration> = {};
  const owner = new Map<string, string>();
  for (const set of sets) {
    for (const [name, migration] of Object.entries(set.migrations ?? {})) {
      const previous = owner.get(name);
      if (previous !== undefined) throw new Error(`migration "${name}" is declared by both ${previous} and ${set.name}`);
      owner.set(name, set.name);
      all[name] = migration;
    }
  }
  return all;
}

/** Brings the schema to the latest version. A second run applies nothing. */
export async function migrateToLatest(store: Store, migrations: Record<string, Migration>): Promise<MigrationReport> {
  // Kysely looks for its bookkeeping tables in every schema unless told which one: on a
  // PostgreSQL server where another schema has them (another app, parallel test schemas)
  // it would skip creating its own. Name the schema the store works in.
  const migrationTableSchema =
    store.dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db: migrationTableSchema !== undefined ? withSchemaIntrospection(store.db, migrationTableSchema) : store.db,
    ...(migrationTableSchema !== undefined ? { migrationTableSchema } : {}),
    provider: { getMigrations: async () => migrations },
    // Each module numbers its migrations in its own range (org 0001-0099,
    // delivery 0100-, reliability 0200-, codebase 0300-, ...), so a module's new
    // migration may sort before another module's applied one. They touch
    // disjoint tables, so applying it late is safe.
    allowUnorderedMigrations: true,
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const cause = result.error instanceof Error ? result.error : new Error(String(result.error));
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause.message}`, { cause });
  }
  return {
    applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
    known: Object.keys(migrations).sort(),
  };
}

/**
 * Kysely's migrator asks the introspector whether its bookkeeping tables exist.
 * Kysely's PostgreSQL introspector reads every column of every table in every
 * schema, calling pg_get_serial_sequence on each: when another schema is being
 * dropped meanwhile (another application, parallel test schemas), that call
 * fails with "column ... of relation ... does not exist" for a table the
 * migrator never cared about. This one answers from the store's own schema only.
 */
function withSchemaIntrospection<DB>(db: Kysely<DB>, schema: string): Kysely<DB> {
  const introspection: DatabaseIntrospector = {
    getSchemas: async () => {
      const rows = await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace where nspname = ${schema}`.execute(db);
      return rows.rows;
    },
    getTables: async () => {
      const rows = await sql<{ name: string; schema: string; kind: string }>`
        select table_name as name, table_schema as schema, table_type as kind
        from information_schema.tables where table_schema = ${schema}`.execute(db);
      return rows.rows.map((row) => ({ name: row.name, schema: row.schema, isView: row.kind === 'VIEW', columns: [] }));
    },
    getMetadata: async () => ({ tables: await introspection.getTables() }),
  };
  return new Proxy(db, {
    get(target, property) {
      if (property === 'introspection') return introspection;
      const value: unknown = Reflect.get(target, property, target);
      // Kysely keeps its state in private fields: call its methods on the real instance.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
