import { z } from 'zod';
import { ValidationError, type FieldIssue } from '../shared/errors.js';
import { parseCsv } from '../shared/csv.js';
import { WORK_STATES, type WorkItem, type WorkState } from './model.js';

/**
 * Work item files, parsed without touching the store: Sextant's own CSV (a
 * header of field names, or any header under a column mapping), Jira's CSV
 * export, and GitHub's and GitLab's issue JSON as their REST APIs return it.
 * Every problem is collected with its file, line and field; one bad row rejects
 * the file (the caller writes nothing).
 */
export const WORK_FORMATS = ['csv', 'jira', 'github', 'gitlab'] as const;
export type WorkFormat = (typeof WORK_FORMATS)[number];

export interface ImportOptions {
  /** The team every item belongs to when the file has no team column (GitHub and GitLab issues never do). */
  team?: string | undefined;
  /** A column mapping (CSV only), already parsed with `columnMapping`. */
  mapping?: ColumnMapping | undefined;
  /** Name of the mapping file, for errors about it. */
  mappingFile?: string | undefined;
}

export interface ImportResult {
  items: WorkItem[];
  /** Records left out on purpose (GitHub pull requests), with why. */
  skipped: Array<{ line: number; reason: string }>;
}

const FIELDS = [
  'id',
  'team',
  'title',
  'type',
  'labels',
  'state',
  'created',
  'started',
  'completed',
  'points',
  'parent',
  'sprint',
  'links',
] as const;
type Field = (typeof FIELDS)[number];
const REQUIRED: readonly Field[] = ['id', 'title', 'type', 'state', 'created'];

/**
 * `--mapping M` (JSON): which column holds each field, the tracker's state names,
 * and columns to ignore. Under a mapping every column of the file must be mapped
 * or ignored, so a renamed column is an error rather than silently lost data.
 */
export const columnMapping = z.strictObject({
  columns: z.partialRecord(z.enum(FIELDS), z.string().min(1)),
  ignore: z.array(z.string()).default([]),
  states: z.record(z.string(), z.enum(WORK_STATES)).default({}),
  listSeparator: z.string().min(1).default(';'),
});
export type ColumnMapping = z.infer<typeof columnMapping>;

const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

export function parseWorkFile(text: string, format: WorkFormat, file: string, options: ImportOptions = {}): ImportResult {
  if (format === 'github' || format === 'gitlab') return parseIssueJson(text, format, file, options);
  const records = parseCsv(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const header = records.shift();
  if (!header) throw new ValidationError(`${file} is empty`, [{ field: '(header)', file, line: 1, message: 'expected a header row' }]);
  return format === 'jira' ? parseJira(header.cells, records, file, options) : parseMappedCsv(header.cells, records, file, options);
}

// --- Sextant CSV, with or without a mapping ----------------------------------------------------------

function parseMappedCsv(header: string[], records: ReturnType<typeof parseCsv>, file: string, options: ImportOptions): ImportResult {
  const issues: FieldIssue[] = [];
  const mapping = options.mapping;
  const columnOf = new Map<Field, number>();
  const ignored = new Set(mapping?.ignore ?? []);
  const fieldOfColumn = new Map<string, Field>();
  if (mapping) for (const [field, column] of Object.entries(mapping.columns)) fieldOfColumn.set(column, field as Field);
  header.forEach((column, i) => {
    const name = column.trim();
    const field = mapping ? fieldOfColumn.get(name) : (FIELDS as readonly string[]).includes(name) ? (name as Field) : undefined;
    if (field !== undefined) columnOf.set(field, i);
    else if (!ignored.has(name)) {
      issues.push({
        field: name,
        file,
        line: 1,
        column: i + 1,
        message: mapping
          ? `unknown column: the mapping neither maps nor ignores "${name}"`
          : `unknown column; expected ${FIELDS.join(', ')} (or give --mapping)`,
      });
    }
  });
  if (mapping) {
    for (const [field, column] of Object.entries(mapping.columns)) {
      if (!header.some((h) => h.trim() === column)) {
        issues.push({ field: `columns.${field}`, file: options.mappingFile ?? file, message: `column "${column}" is not in ${file}` });
      }
    }
  }
  for (const field of REQUIRED) {
    if (!columnOf.has(field)) issues.push({ field, file, line: 1, message: 'required column missing' });
  }
  if (!columnOf.has('team') && options.team === undefined)
    issues.push({ field: 'team', file, line: 1, message: 'no team column; give --team' });
  if (issues.length > 0) throw new ValidationError(`${file}: nothing was imported`, issues);

  const separator = mapping?.listSeparator ?? ';';
  const states = new Map(Object.entries(mapping?.states ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const items: WorkItem[] = [];
  for (const record of records) {
    if (record.cells.every((c) => c === '')) continue;
    const cell = (field: Field) => {
      const i = columnOf.get(field);
      return i === undefined ? '' : (record.cells[i] ?? '').trim();
    };
    const row = new RowReader(file, record.line, issues);
    const list = (field: Field) => {
      const v = cell(field);
      return v === ''
        ? []
        : v
            .split(separator)
            .map((s) => s.trim())
            .filter((s) => s !== '');
    };
    const stateText = cell('state');
    const mappedState =
      states.get(stateText.toLowerCase()) ?? ((WORK_STATES as readonly string[]).includes(stateText) ? (stateText as WorkState) : null);
    if (mappedState === null)
      row.issue(
        'state',
        `"${stateText}" is not a state; expected ${WORK_STATES.join(', ')}${mapping ? " or a key of the mapping's states" : ''}`,
      );
    const item = row.item({
      id: row.required('id', cell('id')),
      team: row.team(cell('team') || options.team || ''),
      title: row.required('title', cell('title')),
      type: row.required('type', cell('type')).toLowerCase(),
      labels: list('labels'),
      state: mappedState ?? 'todo',
      created: row.instant('created', cell('created'), true) ?? 0,
      started: row.instant('started', cell('started'), false),
      completed: row.instant('completed', cell('completed'), false),
      points: row.number('points', cell('points')),
      parent: cell('parent') || null,
      sprint: cell('sprint') || null,
      links: list('links'),
      source: 'csv',
    });
    if (item) items.push(item);
  }
  if (issues.length > 0) throw new ValidationError(`${file}: nothing was imported`, issues);
  return { items, skipped: [] };
}

/** Reads one record's cells into a work item, collecting issues located at its line. */
class RowReader {
  private ok = true;
  constructor(
    private readonly file: string,
    private readonly line: number,
    private readonly issues: FieldIssue[],
  ) {}

  issue(field: string, message: string): void {
    this.ok = false;
    this.issues.push({ field, message, file: this.file, line: this.line });
  }
  required(field: string, value: string): string {
    if (value === '') this.issue(field, 'is empty');
    return value;
  }
  team(value: string): string {
    const team = value.trim().toLowerCase();
    if (!ID_PATTERN.test(team))
      this.issue(
        'team',
        team === '' ? 'is empty (give --team or a team column)' : `"${value}" is not a team id (lower-case letters, digits, dashes)`,
      );
    return team;
  }
  instant(field: string, value: string, required: boolean): number | null {
    if (value === '') {
      if (required) this.issue(field, 'is empty');
      return null;
    }
    const parsed = parseInstant(value);
    if (parsed === null)
      this.issue(field, `"${value}" is not a date (ISO 8601 such as 2024-03-05 or 2024-03-05T09:41:00Z, or Jira's 05/Mar/24 9:41 AM)`);
    return parsed;
  }
  number(field: string, value: string): number | null {
    if (value === '') return null;
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) {
      this.issue(field, `"${value}" is not a number of 0 or more`);
      return null;
    }
    return n;
  }
  item(item: WorkItem): WorkItem | null {
    if (item.completed !== null && item.completed < item.created) this.issue('completed', 'is before created');
    for (const field of ['labels', 'links'] as const) {
      if (item[field].some((v) => v.trim().toLowerCase() === KR_LINK))
        this.issue(field, `"${KR_LINK}" names no key result; write ${KR_LINK}<key-result-id>`);
    }
    return this.ok ? withKeyResultLabels(item) : null;
  }
}

/**
 * A label `kr:<key-result-id>` also becomes a link (trackers have labels where
 * Sextant CSV has a links column): the item serves that key result.
 */
function withKeyResultLabels(item: WorkItem): WorkItem {
  const fromLabels = item.labels
    .filter((l) => l.slice(0, KR_LINK.length).toLowerCase() === KR_LINK && l.trim().length > KR_LINK.length)
    .map((l) => KR_LINK + l.slice(KR_LINK.length).trim());
  return { ...item, links: [...item.links, ...fromLabels.filter((l) => !item.links.includes(l))] };
}
const KR_LINK = 'kr:';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const JIRA = /^(\d{1,2})\/([A-Za-z]{3})\/(\d{2}|\d{4}) (\d{1,2}):(\d{2}) ?([AaPp][Mm])?$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * ISO 8601 dates and times (a time without a zone is UTC) and Jira's export
 * format `dd/MMM/yy h:mm AM` (read as UTC: Jira writes the exporting user's
 * zone and does not say which). Calendar-invalid dates (2024-02-31) are rejected.
 */
export function parseInstant(text: string): number | null {
  const iso = ISO.exec(text);
  if (iso) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', fraction, zone] = iso;
    const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    if (!sameCalendar(utc, Number(y), Number(mo), Number(d)) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
    const ms = fraction ? Math.round(Number(`0.${fraction}`) * 1000) : 0;
    return utc + ms - zoneOffset(zone);
  }
  const jira = JIRA.exec(text);
  if (jira) {
    const [, d, mon, y, h, mi, ampm] = jira;
    const month = MONTHS.indexOf((mon as string).toLowerCase());
    if (month < 0) return null;
    const year = (y as string).length === 2 ? 2000 + Number(y) : Number(y);
    let hour = Number(h);
    if (ampm) {
      if (hour < 1 || hour > 12) return null;
      hour = (hour % 12) + (ampm.toLowerCase() === 'pm' ? 12 : 0);
    }
    const utc = Date.UTC(year, month, Number(d), hour, Number(mi));
    if (!sameCalendar(utc, year, month + 1, Number(d)) || hour > 23 || Number(mi) > 59) return null;
    return utc;
  }
  return null;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether y-m-d is a calendar date (arithmetic: this runs for every date of an import). */
function sameCalendar(_utc: number, y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = m === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0);
  return d <= (DAYS_IN_MONTH[m - 1] as number) + (leap ? 1 : 0);
}

function zoneOffset(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

// --- Jira's CSV export ----------------------------------------------------------------------------

/**
 * Jira's "Export CSV (all fields)": multi-valued fields repeat their column
 * (`Labels,Labels,Sprint,Sprint`); the parent is `Parent id` (the parent's
 * numeric `Issue id`, turned into its key when the parent is in the file) or
 * `Parent` / `Parent key`; story points are `Custom field (Story Points)` or
 * `Story Points`; the team is `Team` / `Custom field (Team)` or --team.
 * Columns Sextant does not read are ignored (an export has hundreds).
 * The last sprint an item was in is its sprint.
 */
function parseJira(header: string[], records: ReturnType<typeof parseCsv>, file: string, options: ImportOptions): ImportResult {
  const issues: FieldIssue[] = [];
  const all = (...names: string[]) => header.flatMap((h, i) => (names.includes(h.trim()) ? [i] : []));
  const one = (...names: string[]) => all(...names)[0];
  const col = {
    key: one('Issue key'),
    id: one('Issue id'),
    type: one('Issue Type'),
    summary: one('Summary'),
    status: one('Status'),
    statusCategory: one('Status Category'),
    created: one('Created'),
    resolved: one('Resolved'),
    started: one('Custom field (Start date)', 'Start date'),
    points: one('Custom field (Story Points)', 'Story Points', 'Custom field (Story point estimate)'),
    parentId: one('Parent id', 'Parent ID'),
    parentKey: one('Parent', 'Parent key'),
    team: one('Team', 'Custom field (Team)'),
    labels: all('Labels'),
    sprints: all('Sprint'),
  };
  for (const [name, index] of [
    ['Issue key', col.key],
    ['Issue Type', col.type],
    ['Summary', col.summary],
    ['Status', col.status],
    ['Created', col.created],
  ] as const) {
    if (index === undefined) issues.push({ field: name, file, line: 1, message: 'column missing: is this a Jira CSV export?' });
  }
  if (col.team === undefined && options.team === undefined)
    issues.push({ field: 'Team', file, line: 1, message: 'no Team column; give --team' });
  if (issues.length > 0) throw new ValidationError(`${file}: nothing was imported`, issues);

  const cellOf = (record: { cells: string[] }, index: number | undefined) =>
    index === undefined ? '' : (record.cells[index] ?? '').trim();
  const keyById = new Map<string, string>();
  for (const record of records) {
    const id = cellOf(record, col.id);
    if (id !== '') keyById.set(id, cellOf(record, col.key));
  }
  const items: WorkItem[] = [];
  for (const record of records) {
    if (record.cells.every((c) => c === '')) continue;
    const cell = (index: number | undefined) => cellOf(record, index);
    const row = new RowReader(file, record.line, issues);
    const status = cell(col.status);
    const resolved = row.instant('Resolved', cell(col.resolved), false);
    const state = jiraState(status, cell(col.statusCategory), resolved !== null);
    const parentId = cell(col.parentId);
    const parent = cell(col.parentKey) || (parentId === '' ? '' : (keyById.get(parentId) ?? parentId));
    const sprints = col.sprints.map((i) => cell(i)).filter((s) => s !== '');
    const item = row.item({
      id: row.required('Issue key', cell(col.key)),
      team: row.team(cell(col.team) || options.team || ''),
      title: row.required('Summary', cell(col.summary)),
      type: row.required('Issue Type', cell(col.type)).toLowerCase(),
      labels: col.labels.map((i) => cell(i)).filter((l) => l !== ''),
      state,
      created: row.instant('Created', cell(col.created), true) ?? 0,
      started: row.instant('Start date', cell(col.started), false),
      completed: state === 'done' ? resolved : null,
      points: row.number('Story Points', cell(col.points)),
      parent: parent === '' ? null : parent,
      sprint: sprints.at(-1) ?? null,
      links: [],
      source: 'jira',
    });
    if (item) items.push(item);
  }
  if (issues.length > 0) throw new ValidationError(`${file}: nothing was imported`, issues);
  return { items, skipped: [] };
}

/** Jira's status category when exported, else common status names; a resolution date means done. */
function jiraState(status: string, category: string, resolved: boolean): WorkState {
  const s = status.toLowerCase();
  if (/won'?t|cancel|reject|duplicate|obsolete/.test(s)) return 'cancelled';
  const c = category.toLowerCase();
  if (c === 'done' || resolved || /^(done|closed|resolved|released)$/.test(s)) return 'done';
  if (c === 'in progress' || /progress|review|testing|qa|doing/.test(s)) return 'in-progress';
  return 'todo';
}

// --- GitHub and GitLab issue JSON -----------------------------------------------------------------

/** Types read from labels (GitHub and GitLab have none of their own besides GitLab's issue_type). */
const TYPE_LABELS: Record<string, string> = {
  bug: 'bug',
  enhancement: 'feature',
  feature: 'feature',
  story: 'story',
  epic: 'epic',
  chore: 'chore',
  spike: 'spike',
  task: 'task',
  incident: 'incident',
};

const githubIssue = z.looseObject({
  number: z.number().int(),
  title: z.string(),
  state: z.enum(['open', 'closed']),
  state_reason: z.string().nullable().optional(),
  labels: z.array(z.union([z.string(), z.looseObject({ name: z.string() })])).default([]),
  created_at: z.string(),
  closed_at: z.string().nullable().optional(),
  repository_url: z.string().optional(),
  html_url: z.string().optional(),
  milestone: z.looseObject({ title: z.string() }).nullable().optional(),
  pull_request: z.unknown().optional(),
  assignees: z.array(z.unknown()).optional(),
});

const gitlabIssue = z.looseObject({
  iid: z.number().int(),
  project_id: z.number().int().optional(),
  title: z.string(),
  state: z.enum(['opened', 'closed']),
  labels: z.array(z.union([z.string(), z.looseObject({ name: z.string() })])).default([]),
  created_at: z.string(),
  closed_at: z.string().nullable().optional(),
  milestone: z.looseObject({ title: z.string() }).nullable().optional(),
  iteration: z.looseObject({ title: z.string().nullable().optional(), start_date: z.string().optional() }).nullable().optional(),
  weight: z.number().nullable().optional(),
  issue_type: z.string().optional(),
  type: z.string().optional(),
  references: z.looseObject({ full: z.string() }).optional(),
  web_url: z.string().optional(),
  assignees: z.array(z.unknown()).optional(),
  epic: z.looseObject({ iid: z.number() }).nullable().optional(),
});

/**
 * An array of issues exactly as `GET /repos/{owner}/{repo}/issues` (GitHub) or
 * `GET /projects/:id/issues` (GitLab) returns them, pages concatenated. GitHub
 * lists pull requests among issues: those are skipped (they are links, not
 * work). Open issues with an assignee count as in progress, other open ones
 * as to do; GitHub's `state_reason: not_planned` is cancelled. The milestone
 * (GitLab: the iteration, else the milestone) is the sprint; GitLab's weight
 * is the points. The first label naming a type gives the type (default
 * `issue`; GitLab's `issue_type` incident is an incident).
 */
function parseIssueJson(text: string, format: 'github' | 'gitlab', file: string, options: ImportOptions): ImportResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`${file} is not valid JSON`, [{ field: '(json)', file, message: (error as Error).message }]);
  }
  if (!Array.isArray(parsed))
    throw new ValidationError(`${file} holds no issues`, [
      { field: '(json)', file, message: 'expected an array of issues as the API returns it' },
    ]);
  const issues: FieldIssue[] = [];
  if (options.team === undefined) issues.push({ field: '--team', file, message: `${format} issues carry no team; give --team` });
  else if (!ID_PATTERN.test(options.team)) issues.push({ field: '--team', file, message: `"${options.team}" is not a team id` });
  const items: WorkItem[] = [];
  const skipped: ImportResult['skipped'] = [];
  parsed.forEach((raw, index) => {
    const line = index + 1;
    const where = (field: string, message: string) => issues.push({ field: `[${index}].${field}`, message, file, line });
    const labelNames = (labels: Array<string | { name: string }>) => labels.map((l) => (typeof l === 'string' ? l : l.name));
    const instant = (field: string, value: string | null | undefined) => {
      if (value === null || value === undefined) return null;
      const t = parseInstant(value);
      if (t === null) where(field, `"${value}" is not an ISO 8601 time`);
      return t;
    };
    const typeOf = (labels: string[], fallback: string) =>
      labels.map((l) => TYPE_LABELS[l.toLowerCase()]).find((t) => t !== undefined) ?? fallback;
    if (format === 'github') {
      const result = githubIssue.safeParse(raw);
      if (!result.success) {
        for (const issue of result.error.issues) where(issue.path.join('.'), issue.message);
        return;
      }
      const g = result.data;
      if (g.pull_request !== undefined) {
        skipped.push({ line, reason: `#${g.number} is a pull request` });
        return;
      }
      const repo =
        /repos\/([^/]+\/[^/]+)$/.exec(g.repository_url ?? '')?.[1] ?? /github\.com\/([^/]+\/[^/]+)\/issues/.exec(g.html_url ?? '')?.[1];
      const labels = labelNames(g.labels);
      const closed = instant('closed_at', g.closed_at);
      const state: WorkState =
        g.state === 'closed'
          ? g.state_reason === 'not_planned'
            ? 'cancelled'
            : 'done'
          : (g.assignees?.length ?? 0) > 0
            ? 'in-progress'
            : 'todo';
      items.push(
        withKeyResultLabels({
          id: repo ? `${repo}#${g.number}` : `#${g.number}`,
          team: options.team ?? '',
          title: g.title,
          type: typeOf(labels, 'issue'),
          labels,
          state,
          created: instant('created_at', g.created_at) ?? 0,
          started: null,
          completed: state === 'done' ? closed : null,
          points: null,
          parent: null,
          sprint: g.milestone?.title ?? null,
          links: g.html_url ? [g.html_url] : [],
          source: 'github',
        }),
      );
    } else {
      const result = gitlabIssue.safeParse(raw);
      if (!result.success) {
        for (const issue of result.error.issues) where(issue.path.join('.'), issue.message);
        return;
      }
      const g = result.data;
      const labels = labelNames(g.labels);
      const closed = instant('closed_at', g.closed_at);
      const state: WorkState = g.state === 'closed' ? 'done' : (g.assignees?.length ?? 0) > 0 ? 'in-progress' : 'todo';
      const kind = (g.issue_type ?? g.type ?? 'issue').toLowerCase();
      const ref = g.references?.full ?? (g.project_id !== undefined ? `${g.project_id}#${g.iid}` : `#${g.iid}`);
      items.push(
        withKeyResultLabels({
          id: ref,
          team: options.team ?? '',
          title: g.title,
          type: kind === 'incident' ? 'incident' : typeOf(labels, kind),
          labels,
          state,
          created: instant('created_at', g.created_at) ?? 0,
          started: null,
          completed: state === 'done' ? closed : null,
          points: g.weight ?? null,
          parent: g.epic ? `&${g.epic.iid}` : null,
          sprint: g.iteration?.title ?? g.milestone?.title ?? null,
          links: g.web_url ? [g.web_url] : [],
          source: 'gitlab',
        }),
      );
    }
  });
  if (issues.length > 0) throw new ValidationError(`${file}: nothing was imported`, issues);
  return { items, skipped };
}
