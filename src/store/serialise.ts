import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { UnavailableError } from '../shared/errors.js';
import type { Database } from './database.js';

/**
 * Concurrent writers on one store. SQLite serialises writes with its database
 * lock, so two transactions never interleave. PostgreSQL runs them side by
 * side: two writers that rebuild the same rows in different orders deadlock
 * (SQLSTATE 40P01) and one of them fails. Writers that touch a shared unit
 * (a service's deployment series) take a lock per unit first, and a conflict
 * that still happens is retried, then reported as 503 with Retry-After.
 */

/**
 * Takes transaction-scoped advisory locks on `keys` (PostgreSQL; a no-op on
 * SQLite), in sorted order so two writers never wait on each other crosswise.
 * Call it first inside the transaction; the locks are released at its end.
 */
export async function lockKeys(tx: Kysely<Database>, keys: Iterable<string>): Promise<void> {
  if (!(tx.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const key of [...new Set(keys)].sort()) {
    await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(tx);
  }
}

/** Deadlock or serialization failure (PostgreSQL), or a busy database (SQLite): trying again can succeed. */
export function isRetryableConflict(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
  return code === '40P01' || code === '40001' || code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT';
}

export const RETRY_AFTER_SECONDS = 1;

/** Runs a whole transaction again on a retryable conflict (up to `attempts` times), then answers 503. */
export async function retryConflicts<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!isRetryableConflict(error)) throw error;
      if (attempt >= attempts) {
        throw new UnavailableError(
          'The store was busy with concurrent writes; nothing was written, send the request again',
          RETRY_AFTER_SECONDS,
        );
      }
      // Jittered backoff so the writers that collided do not collide again.
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20 * attempt));
    }
  }
}
