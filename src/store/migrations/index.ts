import type { Migration } from 'kysely';
import { orgMigration } from './0001-org.js';
import { apiTokensMigration } from './0002-api-tokens.js';
import { slosMigration } from './0200-slos.js';

/**
 * The one migration set for SQLite and PostgreSQL, applied in name order.
 * Listed here (not discovered on disk) so the compiled CLI needs no file globbing.
 * Never edit a released migration; add the next one.
 */
export const migrations: Record<string, Migration> = {
  '0001-org': orgMigration,
  '0002-api-tokens': apiTokensMigration,
  '0200-slos': slosMigration,
};
