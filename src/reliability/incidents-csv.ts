import { ValidationError, type FieldIssue } from '../shared/errors.js';
import { isInstantError, parseInstant } from './instant.js';
import { parseCsv } from '../shared/csv.js';

/** An incident as the gate's policy sees it: when it started and ended. */
export interface IncidentSpan {
  id: string;
  service: string;
  start: number;
  end: number;
}

const COLUMNS = ['id', 'service', 'start', 'end'] as const;

/**
 * Incidents for the postmortem rule when working from files (`sextant gate
 * --incidents FILE`): CSV with columns id, service, start, end (ISO 8601 with
 * offset or epoch seconds; end after start).
 */
export function parseIncidentsCsv(text: string, file: string): IncidentSpan[] {
  const records = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = (records[0]?.cells ?? []).map((cell) => cell.trim().toLowerCase());
  const missing = COLUMNS.filter((name) => !header.includes(name));
  if (missing.length > 0) {
    throw new ValidationError(
      `${file} does not have the incident columns`,
      missing.map((name) => ({ field: name, file, line: 1, message: `missing column (expected ${COLUMNS.join(', ')})` })),
    );
  }
  const issues: FieldIssue[] = [];
  const incidents: IncidentSpan[] = [];
  for (const record of records.slice(1)) {
    const cell = (name: (typeof COLUMNS)[number]) => (record.cells[header.indexOf(name)] ?? '').trim();
    const problem = (name: string, message: string) =>
      issues.push({ field: name, file, line: record.line, column: header.indexOf(name) + 1, message });
    const start = parseInstant(cell('start'));
    const end = parseInstant(cell('end'));
    if (cell('id') === '') problem('id', 'empty');
    if (cell('service') === '') problem('service', 'empty');
    if (isInstantError(start)) problem('start', start.error);
    if (isInstantError(end)) problem('end', end.error);
    if (isInstantError(start) || isInstantError(end) || cell('id') === '' || cell('service') === '') continue;
    if (end <= start) {
      problem('end', 'must be after start');
      continue;
    }
    incidents.push({ id: cell('id'), service: cell('service'), start, end });
  }
  if (issues.length > 0) throw new ValidationError(`${file} has invalid incidents`, issues);
  return incidents;
}
