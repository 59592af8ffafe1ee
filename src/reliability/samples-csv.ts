import { ValidationError, type FieldIssue } from '../shared/errors.js';
import { MINUTE_MS } from './duration.js';
import type { MinuteSample } from './counts.js';
import { isInstantError, parseInstant } from './instant.js';
import { parseCsv } from '../shared/csv.js';

/**
 * Per-minute SLI samples as CSV, one row per SLO and minute:
 *
 *   slo,timestamp,good,total
 *   checkout-availability,2024-06-01T00:00:00Z,998,1000
 *
 * `slo` is the SLO's name (optional when exactly one SLO is known),
 * `timestamp` the start of the minute (ISO 8601 with offset, or epoch
 * seconds), `good` and `total` event counts with 0 <= good <= total. Every
 * row is checked before any is used; errors name the file, line and column.
 */
export const SAMPLE_COLUMNS = ['slo', 'timestamp', 'good', 'total'] as const;
const MAX_REPORTED_ISSUES = 50;

/**
 * Reads samples for the SLOs named in `sloNames`, returning them by SLO name.
 * Throws a ValidationError listing the problems (up to 50) if any row is bad.
 */
export function parseSamplesCsv(text: string, file: string, sloNames: readonly string[]): Map<string, MinuteSample[]> {
  const records = parseCsv(text.replace(/^\uFEFF/, ''));
  const issues: FieldIssue[] = [];
  const header = records[0];
  if (!header)
    throw new ValidationError(`${file} is empty`, [
      { field: '(header)', file, line: 1, message: `expected the columns ${SAMPLE_COLUMNS.join(',')}` },
    ]);
  const names = header.cells.map((cell) => cell.trim().toLowerCase());
  const column = new Map<string, number>();
  names.forEach((name, index) => {
    if (!(SAMPLE_COLUMNS as readonly string[]).includes(name)) {
      issues.push({
        field: name || `(column ${index + 1})`,
        file,
        line: 1,
        column: index + 1,
        message: `unknown column (expected ${SAMPLE_COLUMNS.join(', ')})`,
      });
    } else if (column.has(name)) {
      issues.push({ field: name, file, line: 1, column: index + 1, message: 'column appears twice' });
    } else {
      column.set(name, index);
    }
  });
  for (const required of ['timestamp', 'good', 'total']) {
    if (!column.has(required)) issues.push({ field: required, file, line: 1, message: 'missing column' });
  }
  if (!column.has('slo') && sloNames.length !== 1) {
    issues.push({ field: 'slo', file, line: 1, message: `missing column: needed when the definitions hold ${sloNames.length} SLOs` });
  }
  if (issues.length > 0) throw new ValidationError(`${file} does not have the sample columns`, issues);

  const known = new Set(sloNames);
  const seen = new Map<string, number>();
  const bySlo = new Map<string, MinuteSample[]>();
  const at = (index: number | undefined) => (index === undefined ? undefined : index + 1);
  for (const record of records.slice(1)) {
    const cell = (name: string) => (record.cells[column.get(name) ?? -1] ?? '').trim();
    const problem = (name: string, message: string) =>
      issues.push({ field: name, file, line: record.line, column: at(column.get(name)), message });
    const slo = column.has('slo') ? cell('slo') : (sloNames[0] as string);
    if (!known.has(slo)) problem('slo', slo === '' ? 'empty' : `no SLO named "${slo}" in the definitions${knownList(sloNames)}`);
    const timestamp = parseInstant(cell('timestamp'));
    if (isInstantError(timestamp)) problem('timestamp', timestamp.error);
    else if (timestamp % MINUTE_MS !== 0) problem('timestamp', `${cell('timestamp')} is not the start of a minute (seconds must be 0)`);
    const good = count(cell('good'));
    const total = count(cell('total'));
    if (typeof good === 'string') problem('good', good);
    if (typeof total === 'string') problem('total', total);
    if (typeof good === 'number' && typeof total === 'number' && good > total)
      problem('good', `${good} good events exceed the ${total} in total`);
    if (issues.length >= MAX_REPORTED_ISSUES) break;
    if (typeof good !== 'number' || typeof total !== 'number' || isInstantError(timestamp) || !known.has(slo)) continue;
    const key = `${slo}\u0000${timestamp}`;
    const firstLine = seen.get(key);
    if (firstLine !== undefined) {
      problem('timestamp', `a second sample for SLO "${slo}" at ${new Date(timestamp).toISOString()} (first on line ${firstLine})`);
      continue;
    }
    seen.set(key, record.line);
    let list = bySlo.get(slo);
    if (!list) bySlo.set(slo, (list = []));
    list.push({ minute: timestamp, good, total });
  }
  if (issues.length > 0) {
    const shown = issues.slice(0, MAX_REPORTED_ISSUES);
    const more = issues.length >= MAX_REPORTED_ISSUES ? ' (showing the first 50; later rows were not checked)' : '';
    throw new ValidationError(`${file} has ${shown.length} invalid sample${shown.length > 1 ? 's' : ''}${more}`, shown);
  }
  return bySlo;
}

function count(text: string): number | string {
  if (text === '') return 'empty';
  // Decimal digits only: Number() would also read `0x9`, `1e1`, `0b1` and ` 7 `.
  if (/^-\d+$/.test(text)) return `${text} is negative`;
  if (!/^\d+$/.test(text)) return `"${text}" is not a whole number (decimal digits only)`;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) return `${text} is too large`;
  return value;
}

function knownList(names: readonly string[]): string {
  const shown = names.slice(0, 10);
  return names.length === 0 ? '' : ` (known: ${shown.join(', ')}${names.length > shown.length ? ', ...' : ''})`;
}
