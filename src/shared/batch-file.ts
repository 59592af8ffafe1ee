import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { ValidationError, type FieldIssue } from './errors.js';
import { formatFieldPath } from './field-path.js';
import { parseCsv } from './csv.js';

/**
 * Backfill files for `sextant deploy record --file` and `sextant incident
 * record --file`: JSON (`{"deployments": [...]}` or a bare array) or CSV with a
 * header naming the same fields. In CSV, empty cells are absent fields, lists
 * (`fixes`) are separated by `;`, and nested fields are dotted
 * (`causedBy.deployment`). Every row is validated before anything is written.
 */
export interface BatchRow {
  value: Record<string, unknown>;
  /** 1-based line of the row in a CSV file. */
  line?: number;
}

export function readBatchFile(file: string, listKey: string): { rows: BatchRow[]; display: string } {
  const display = path.relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    throw new ValidationError(`Cannot read ${display}`, [{ field: '--file', file: display, message: reason }]);
  }
  if (file.toLowerCase().endsWith('.csv')) return { rows: parseCsvRows(text, display), display };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`${display} is not valid JSON`, [{ field: '(json)', file: display, message: (error as Error).message }]);
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as Record<string, unknown> | null)?.[listKey];
  if (!Array.isArray(list)) {
    throw new ValidationError(`${display} holds no ${listKey}`, [
      { field: listKey, file: display, message: `expected an array or {"${listKey}": [...]}` },
    ]);
  }
  return { rows: list.map((value) => ({ value: value as Record<string, unknown> })), display };
}

/** Parses every row with `schema`; throws one ValidationError naming each bad row's file, line and field. */
export function parseBatchRows<T>(rows: readonly BatchRow[], schema: z.ZodType<T>, listKey: string, file: string): T[] {
  const issues: FieldIssue[] = [];
  const values: T[] = [];
  rows.forEach((row, i) => {
    const result = schema.safeParse(row.value);
    if (result.success) values.push(result.data);
    else {
      for (const issue of result.error.issues) {
        issues.push({
          field: formatFieldPath(row.line === undefined ? [listKey, i, ...issue.path] : issue.path),
          message: issue.message,
          file,
          ...(row.line !== undefined ? { line: row.line } : {}),
        });
      }
    }
  });
  if (issues.length > 0) throw new ValidationError(`${file}: nothing was recorded`, issues);
  return values;
}

const LIST_FIELDS = new Set(['fixes']);
const BOOLEAN_FIELDS = new Set(['unplanned']);

function parseCsvRows(text: string, file: string): BatchRow[] {
  const records = parseCsv(text);
  const header = records.shift();
  if (!header) throw new ValidationError(`${file} is empty`, [{ field: '(header)', file, line: 1, message: 'expected a header row' }]);
  return records
    .filter((r) => r.cells.some((c) => c !== ''))
    .map((record) => {
      const value: Record<string, unknown> = {};
      header.cells.forEach((column, i) => {
        const cell = record.cells[i] ?? '';
        if (cell === '') return;
        const name = column.trim();
        const converted = LIST_FIELDS.has(name) ? cell.split(';').map((s) => s.trim()) : BOOLEAN_FIELDS.has(name) ? toBoolean(cell) : cell;
        const [outer, inner] = name.split('.');
        if (inner !== undefined) value[outer as string] = { ...((value[outer as string] as object) ?? {}), [inner]: converted };
        else value[name] = converted;
      });
      return { value, line: record.line };
    });
}

function toBoolean(cell: string): boolean | string {
  const lower = cell.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(lower)) return true;
  if (['false', '0', 'no'].includes(lower)) return false;
  return cell;
}
