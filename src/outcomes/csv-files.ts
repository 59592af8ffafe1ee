import { parseCsv } from '../shared/csv.js';
import { ValidationError, type FieldIssue } from '../shared/errors.js';
import { isCalendarDate } from './dates.js';
import type { AnnotationInput, PointInput } from './model.js';

/**
 * CSV files the outcomes module reads, every problem located by file, line
 * and column name: points (`date,metric,value`, or wide `date,m1,m2,...` with
 * one column per metric, empty cells skipped), annotations
 * (`date,metric,text,author`) and a single series (`date,value`) for the
 * zero-config `sextant xmr` and `sextant metric box`.
 */
export interface LocatedRows<T> {
  rows: T[];
  lines: number[];
}

function header(text: string, file: string): { cells: string[]; records: Array<{ line: number; cells: string[] }> } {
  const records = parseCsv(text.replace(/^\uFEFF/, ''));
  const first = records[0];
  if (!first) throw new ValidationError(`${file} is empty`, [{ field: '(header)', file, line: 1, message: 'no header line' }]);
  return { cells: first.cells.map((c) => c.trim()), records: records.slice(1) };
}

function numberCell(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

function fail(file: string, issues: FieldIssue[]): never {
  throw new ValidationError(
    `${file}: ${issues.length} invalid row${issues.length === 1 ? '' : 's'}; nothing was written`,
    issues.slice(0, 50),
  );
}

export function parsePointsCsv(text: string, file: string): LocatedRows<PointInput> {
  const { cells, records } = header(text, file);
  if (cells[0] !== 'date') fail(file, [{ field: 'date', file, line: 1, message: `the first column must be "date" (found "${cells[0]}")` }]);
  const long = cells.length === 3 && cells[1] === 'metric' && cells[2] === 'value';
  const rows: PointInput[] = [];
  const lines: number[] = [];
  const issues: FieldIssue[] = [];
  for (const record of records) {
    const date = (record.cells[0] ?? '').trim();
    if (!isCalendarDate(date)) {
      issues.push({ field: 'date', file, line: record.line, message: `"${date}" is not a calendar date YYYY-MM-DD` });
      continue;
    }
    if (long) {
      const metric = (record.cells[1] ?? '').trim();
      const value = numberCell(record.cells[2] ?? '');
      if (value === null) issues.push({ field: 'value', file, line: record.line, message: `"${record.cells[2] ?? ''}" is not a number` });
      else {
        rows.push({ metric, date, value });
        lines.push(record.line);
      }
      continue;
    }
    cells.slice(1).forEach((metric, k) => {
      const cell = record.cells[k + 1] ?? '';
      if (cell.trim() === '') return;
      const value = numberCell(cell);
      if (value === null) issues.push({ field: metric, file, line: record.line, message: `"${cell}" is not a number` });
      else {
        rows.push({ metric, date, value });
        lines.push(record.line);
      }
    });
  }
  if (issues.length > 0) fail(file, issues);
  return { rows, lines };
}

export function parseAnnotationsCsv(text: string, file: string): LocatedRows<AnnotationInput> {
  const { cells, records } = header(text, file);
  const expected = ['date', 'metric', 'text', 'author'];
  if (cells.join(',') !== expected.join(',')) fail(file, [{ field: '(header)', file, line: 1, message: `must be ${expected.join(',')}` }]);
  const rows: AnnotationInput[] = [];
  const lines: number[] = [];
  const issues: FieldIssue[] = [];
  for (const record of records) {
    const [date = '', metric = '', text = '', author = ''] = record.cells.map((c) => c.trim());
    if (!isCalendarDate(date))
      issues.push({ field: 'date', file, line: record.line, message: `"${date}" is not a calendar date YYYY-MM-DD` });
    else if (text === '') issues.push({ field: 'text', file, line: record.line, message: 'is empty' });
    else if (author === '') issues.push({ field: 'author', file, line: record.line, message: 'is empty' });
    else {
      rows.push({ date, metric, text, author });
      lines.push(record.line);
    }
  }
  if (issues.length > 0) fail(file, issues);
  return { rows, lines };
}

/** `date,value`, one row per period in order (xmr) or per day (box). */
export function parseSeriesCsv(text: string, file: string, options: { daily?: boolean } = {}): Array<{ date: string; value: number }> {
  const { cells, records } = header(text, file);
  if (cells.join(',') !== 'date,value') fail(file, [{ field: '(header)', file, line: 1, message: 'must be date,value' }]);
  const rows: Array<{ date: string; value: number }> = [];
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    const date = (record.cells[0] ?? '').trim();
    const value = numberCell(record.cells[1] ?? '');
    if (options.daily && !isCalendarDate(date))
      issues.push({ field: 'date', file, line: record.line, message: `"${date}" is not a calendar date YYYY-MM-DD` });
    else if (value === null)
      issues.push({ field: 'value', file, line: record.line, message: `"${record.cells[1] ?? ''}" is not a number` });
    else if (options.daily && seen.has(date)) issues.push({ field: 'date', file, line: record.line, message: `${date} appears twice` });
    else {
      seen.add(date);
      rows.push({ date, value });
    }
  }
  if (issues.length > 0) fail(file, issues);
  return rows;
}
