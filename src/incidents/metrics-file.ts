import fs from 'node:fs';
import path from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { parseCsv } from '../shared/csv.js';
import { ValidationError, type FieldIssue } from '../shared/errors.js';
import type { MetricIncident } from './metrics.js';
import { milestoneOrderIssues, MILESTONES, type Milestone, type Milestones } from './model.js';

/**
 * The zero-config input of `sextant incident metrics --file F`: a CSV with the
 * header `id,service,severity,impactStartedAt,detectedAt,acknowledgedAt,
 * mitigatedAt,resolvedAt,drill` or a JSON `{"incidents": [...]}` with the
 * same fields. Instants are ISO 8601 with a zone; empty (or null) = not
 * reached; drill true/false. Every problem is reported as FILE:LINE (the line
 * of the offending field, for JSON too) and nothing is computed.
 */
export const FILE_COLUMNS = ['id', 'service', 'severity', ...MILESTONES.slice(0, 5), 'drill'] as const;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

interface RawRow {
  /** Field values as text (JSON values converted), undefined when absent. */
  get(field: string): unknown;
  line(field: string): number;
}

export function readMetricsFile(file: string): MetricIncident[] {
  const display = path.relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    throw new ValidationError(`Cannot read ${display}`, [{ field: '--file', file: display, message: reason }]);
  }
  return parseMetricsFile(text.replace(/^\uFEFF/, ''), display);
}

export function parseMetricsFile(text: string, file: string): MetricIncident[] {
  const rows = file.toLowerCase().endsWith('.csv') || !text.trimStart().startsWith('{') ? csvRows(text, file) : jsonRows(text, file);
  const issues: FieldIssue[] = [];
  const incidents: MetricIncident[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const problem = (field: string, message: string) => issues.push({ field, file, line: row.line(field), message });
    const id = text1(row.get('id'));
    const service = text1(row.get('service'));
    if (!id) problem('id', 'is required');
    else if (seen.has(id)) problem('id', `"${id}" is also on line ${seen.get(id)}`);
    else seen.set(id, row.line('id'));
    if (!service) problem('service', 'is required');
    const milestones: Partial<Record<Milestone, number | null>> = {};
    let valid = true;
    for (const m of MILESTONES.slice(0, 5)) {
      const value = row.get(m);
      const raw = value === null || value === undefined ? '' : String(value).trim();
      if (raw === '') {
        milestones[m] = null;
        if (m === 'impactStartedAt') {
          problem(m, 'is required');
          valid = false;
        }
        continue;
      }
      const ms = ISO.test(raw) ? Date.parse(raw) : NaN;
      if (Number.isNaN(ms)) {
        problem(m, `"${raw}" is not an ISO 8601 instant with a zone (e.g. 2026-03-01T12:00:00Z)`);
        valid = false;
      } else milestones[m] = ms;
    }
    const drillValue = row.get('drill');
    const drillText = drillValue === undefined || drillValue === null ? '' : String(drillValue).trim().toLowerCase();
    if (!['', 'true', 'false'].includes(drillText)) problem('drill', `"${drillText}" must be true or false`);
    if (!valid) continue;
    for (const order of milestoneOrderIssues(milestones)) problem(order.field, order.message);
    incidents.push({
      id: id ?? '',
      serviceId: service ?? '',
      severity: text1(row.get('severity')) ?? null,
      milestones: { ...milestones, closedAt: null } as Milestones,
      drill: drillText === 'true',
    });
  }
  if (issues.length > 0) throw new ValidationError(`${file} has invalid incidents`, issues);
  return incidents;
}

function text1(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const s = String(value).trim();
  return s === '' ? undefined : s;
}

function csvRows(text: string, file: string): RawRow[] {
  const records = parseCsv(text);
  const header = (records[0]?.cells ?? []).map((c) => c.trim());
  const missing = FILE_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new ValidationError(
      `${file} does not have the incident columns`,
      missing.map((name) => ({ field: name, file, line: 1, message: `missing column (expected ${FILE_COLUMNS.join(',')})` })),
    );
  }
  return records.slice(1).map((record) => ({
    get: (field) => record.cells[header.indexOf(field)],
    line: () => record.line,
  }));
}

function jsonRows(text: string, file: string): RawRow[] {
  try {
    JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`${file} is not valid JSON`, [{ field: '(json)', file, message: (error as Error).message }]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const value = doc.toJS() as { incidents?: unknown };
  if (!Array.isArray(value?.incidents)) {
    throw new ValidationError(`${file} holds no incidents`, [
      { field: 'incidents', file, line: 1, message: 'expected {"incidents": [...]}' },
    ]);
  }
  const lineOf = (keys: Array<string | number>): number | undefined => {
    const node = doc.getIn(keys, true);
    const offset = isNode(node) ? node.range?.[0] : undefined;
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
  return (value.incidents as unknown[]).map((item, i) => {
    const object = (item ?? {}) as Record<string, unknown>;
    const rowLine = lineOf(['incidents', i]) ?? 1;
    return {
      get: (field) => object[field],
      line: (field) => lineOf(['incidents', i, field]) ?? rowLine,
    };
  });
}
