import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { ValidationError, type FieldIssue } from '../shared/errors.js';
import { isCalendarDate } from './dates.js';
import type { PointInput } from './model.js';
import type { SqlSourceConfig } from './outcomes-config.js';

/**
 * Runs a configured metric query against the user's database without any
 * chance of writing to it: SQLite opened read-only (and the statement must be
 * a reader), PostgreSQL inside a READ ONLY transaction that is rolled back.
 * Rows become daily points: `date` (YYYY-MM-DD text or a date), `value`, and
 * `metric` unless the source names one.
 */
export async function runSqlSource(source: SqlSourceConfig, workspaceDir: string, field: string): Promise<PointInput[]> {
  const rows =
    source.sqlite !== undefined
      ? querySqlite(path.resolve(workspaceDir, source.sqlite), source.query, field)
      : await queryPostgres(source.postgres as string, source.query);
  const points: PointInput[] = [];
  const issues: FieldIssue[] = [];
  rows.forEach((row, i) => {
    const metric = source.metric ?? row.metric;
    const rawDate = row.date instanceof Date ? row.date.toISOString().slice(0, 10) : row.date;
    const value = typeof row.value === 'string' ? Number(row.value) : row.value;
    if (typeof metric !== 'string') issues.push({ field: `${field}.query`, message: `row ${i + 1}: no metric column (or set \`metric\`)` });
    else if (typeof rawDate !== 'string' || !isCalendarDate(rawDate))
      issues.push({ field: `${field}.query`, message: `row ${i + 1}: date ${JSON.stringify(rawDate)} is not a calendar date YYYY-MM-DD` });
    else if (typeof value !== 'number' || !Number.isFinite(value))
      issues.push({ field: `${field}.query`, message: `row ${i + 1}: value ${JSON.stringify(row.value)} is not a number` });
    else points.push({ metric, date: rawDate, value });
  });
  if (issues.length > 0)
    throw new ValidationError('A metric query returned rows that are not daily points: nothing was written', issues.slice(0, 20));
  return points;
}

type Row = Record<string, unknown>;

function querySqlite(file: string, query: string, field: string): Row[] {
  let db: SqliteDatabase.Database;
  try {
    db = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new ValidationError('Cannot open a metric source', [
      { field: `${field}.sqlite`, message: `${file}: ${(error as Error).message}` },
    ]);
  }
  try {
    const statement = db.prepare(query);
    if (!statement.reader || !statement.readonly) {
      throw new ValidationError('A metric source must only read', [{ field: `${field}.query`, message: 'is not a read-only SELECT' }]);
    }
    return statement.all() as Row[];
  } finally {
    db.close();
  }
}

async function queryPostgres(url: string, query: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin transaction read only');
    try {
      return (await client.query(query)).rows as Row[];
    } finally {
      await client.query('rollback');
    }
  } finally {
    await client.end();
  }
}
