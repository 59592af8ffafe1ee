import { sql, type Kysely, type RawBuilder } from 'kysely';
import { yieldIfBusy } from '../shared/yield.js';
import type { DialectName, Store } from './database.js';

/**
 * Bulk insert with one bound parameter per statement: the rows travel as a
 * JSON array of arrays and the database expands them (SQLite `json_each`,
 * PostgreSQL `json_array_elements`). For millions of rows (git history) this
 * avoids building and binding a value per cell, which is where a normal
 * multi-row insert spends its time. Conflicting rows are skipped, or, for
 * the columns named in `updateColumns`, updated to the new values.
 */
export interface JsonColumn {
  name: string;
  type: 'text' | 'bigint' | 'integer' | 'double precision';
}

/** Rows per statement: bounded by memory for the JSON text, not by bind-parameter limits. */
export const JSON_INSERT_CHUNK_ROWS = 5000;

export async function insertJsonRows(
  db: Kysely<unknown>,
  dialect: DialectName,
  table: string,
  columns: readonly JsonColumn[],
  rows: ReadonlyArray<readonly unknown[]>,
  conflictColumns: readonly string[],
  updateColumns: readonly string[] = [],
): Promise<void> {
  const onConflict =
    updateColumns.length === 0
      ? sql`do nothing`
      : sql`do update set ${sql.join(updateColumns.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`))}`;
  for (let start = 0; start < rows.length; start += JSON_INSERT_CHUNK_ROWS) {
    const json = JSON.stringify(rows.slice(start, start + JSON_INSERT_CHUNK_ROWS));
    const values = sql.join(columns.map((column, i) => cell(dialect, column, i)));
    const source: RawBuilder<unknown> =
      dialect === 'postgres' ? sql`json_array_elements(${json}::json) as e(value)` : sql`json_each(${json})`;
    // SQLite needs a WHERE before ON CONFLICT in INSERT ... SELECT (parsing ambiguity with a join's ON).
    await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c.name)))})
      select ${values} from ${source} where true
      on conflict (${sql.join(conflictColumns.map((c) => sql.ref(c)))}) ${onConflict}`.execute(db);
  }
}

function cell(dialect: DialectName, column: JsonColumn, index: number): RawBuilder<unknown> {
  // ->> gives text on PostgreSQL (cast it back) and the JSON value's own SQL type on SQLite.
  const value = sql.raw(`value->>${index}`);
  if (dialect === 'postgres' && column.type !== 'text') return sql`(${value})::${sql.raw(column.type)}`;
  return value;
}

/**
 * `insertJsonRows`, or on SQLite, when the store can prepare a statement on
 * its connection (`Store.bulkStatement`, inside the caller's transaction),
 * one prepared insert run per row: about a third of the cost of expanding a
 * JSON batch (a 100k-commit ingest spent 1.1 s in the JSON inserts). The
 * same conflict handling either way; the event loop gets a turn between
 * chunks.
 */
export async function insertRows(
  target: { db: Kysely<unknown>; dialect: DialectName; bulkStatement?: Store['bulkStatement'] },
  table: string,
  columns: readonly JsonColumn[],
  rows: ReadonlyArray<readonly unknown[]>,
  conflictColumns: readonly string[],
  updateColumns: readonly string[] = [],
): Promise<void> {
  if (target.dialect !== 'sqlite' || !target.bulkStatement) {
    return insertJsonRows(target.db, target.dialect, table, columns, rows, conflictColumns, updateColumns);
  }
  if (rows.length === 0) return;
  const names = columns.map((c) => `"${c.name}"`);
  const onConflict =
    updateColumns.length === 0 ? 'do nothing' : `do update set ${updateColumns.map((c) => `"${c}" = excluded."${c}"`).join(', ')}`;
  const insert = target.bulkStatement(
    `insert into "${table}" (${names.join(', ')}) values (${names.map(() => '?').join(', ')})
     on conflict (${conflictColumns.map((c) => `"${c}"`).join(', ')}) ${onConflict}`,
  );
  for (let start = 0; start < rows.length; start += JSON_INSERT_CHUNK_ROWS) {
    insert(rows.slice(start, start + JSON_INSERT_CHUNK_ROWS));
    await yieldIfBusy();
  }
}
