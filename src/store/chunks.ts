/**
 * Splits rows for multi-row inserts. SQLite allows 32,766 bound parameters per
 * statement and PostgreSQL 65,535; 500 rows of up to ~20 columns stays under both.
 */
export const INSERT_CHUNK_ROWS = 500;

export function* chunks<T>(rows: readonly T[], size = INSERT_CHUNK_ROWS): Generator<T[]> {
  for (let start = 0; start < rows.length; start += size) yield rows.slice(start, start + size);
}
