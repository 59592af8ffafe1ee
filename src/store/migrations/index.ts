import type { Migration } from 'kysely';
import { orgMigration } from './0001-org.js';
import { apiTokensMigration } from './0002-api-tokens.js';
import { gitMigration } from './0100-git.js';
import { deliveryMigration } from './0101-delivery.js';
import { deliveryChangeSummaryMigration } from './0102-delivery-change-summary.js';
import { slosMigration } from './0200-slos.js';
import { codebaseMigration } from './0300-codebase.js';

/**
 * The one migration set for SQLite and PostgreSQL, applied in name order.
 * Listed here (not discovered on disk) so the compiled CLI needs no file globbing.
 * Never edit a released migration; add the next one.
 */
export const migrations: Record<string, Migration> = {
  '0001-org': orgMigration,
  '0002-api-tokens': apiTokensMigration,
  '0100-git': gitMigration,
  '0101-delivery': deliveryMigration,
  '0102-delivery-change-summary': deliveryChangeSummaryMigration,
  '0200-slos': slosMigration,
  '0300-codebase': codebaseMigration,
};
