import type { Kysely } from 'kysely';
import type { ReviewRow, ReviewSectionContent, SeriesRange } from '../kit/module.js';
import { capRows, localDate, reviewAt, reviewFrom } from '../kit/review.js';
import type { Database } from '../store/database.js';
import { DAY_MS, isClosed, runbookStale, type Incident, type RemediationItem } from './model.js';
import { loadIncidents, loadPostmortems, loadRemediation, loadRunbooks } from './store.js';

type Db = Kysely<Database>;

const incidentHref = (id: string) => `/incidents/${encodeURIComponent(id)}`;

/** Open (not resolved) at `at`: impact started before it and no resolution before it. */
function openAt(incident: Incident, at: number): boolean {
  return incident.milestones.impactStartedAt < at && (incident.milestones.resolvedAt === null || incident.milestones.resolvedAt >= at);
}

/** Overdue at `at`: due before it and not closed before it (an item closed later was still overdue then). */
export function overdueAt(item: RemediationItem, at: number): boolean {
  if (item.dueAt >= at || item.createdAt >= at) return false;
  return item.resolvedAt === null ? !isClosed(item) : item.resolvedAt >= at;
}

/**
 * The incidents section of the weekly review, as of the end of the week:
 * incidents that started in the week, incidents still open, postmortems not
 * published that are overdue or fall due within the next seven days,
 * remediation items past their due date (with owner and due date), and
 * runbooks not reviewed in 90 days. Drills are left out. Each thing named
 * links to its incident (a runbook to its own URL). Null when the workspace
 * has no incidents, remediation items or runbooks.
 */
export async function incidentsReviewSection(db: Db, range: SeriesRange): Promise<ReviewSectionContent | null> {
  const at = reviewAt(range);
  const from = reviewFrom(range);
  const [incidents, items, runbooks] = await Promise.all([loadIncidents(db), loadRemediation(db), loadRunbooks(db)]);
  if (incidents.length === 0 && items.length === 0 && runbooks.length === 0) return null;
  const byId = new Map(incidents.map((i) => [i.id, i]));
  const day = (ms: number) => localDate(ms, range.timeZone);

  const started = incidents.filter((i) => i.milestones.impactStartedAt >= from && i.milestones.impactStartedAt < at);
  const bySeverity = new Map<string, number>();
  for (const i of started) bySeverity.set(i.severity ?? 'no severity', (bySeverity.get(i.severity ?? 'no severity') ?? 0) + 1);
  const severities = [...bySeverity].sort(([a], [b]) => (a < b ? -1 : 1)).map(([s, n]) => `${s}: ${n}`);

  const open = incidents
    .filter((i) => openAt(i, at))
    .sort((a, b) => a.milestones.impactStartedAt - b.milestones.impactStartedAt || (a.id < b.id ? -1 : 1));

  const postmortems = await loadPostmortems(db);
  const due = [...postmortems.values()]
    .filter(
      (p) => byId.has(p.incidentId) && p.dueAt !== null && p.dueAt < at + 7 * DAY_MS && (p.publishedAt === null || p.publishedAt >= at),
    )
    .sort((a, b) => (a.dueAt as number) - (b.dueAt as number) || (a.incidentId < b.incidentId ? -1 : 1));
  const overduePostmortems = due.filter((p) => (p.dueAt as number) < at).length;

  const overdue = items.filter((i) => overdueAt(i, at)).sort((a, b) => a.dueAt - b.dueAt || (a.id < b.id ? -1 : 1));
  const stale = runbooks.filter((r) => runbookStale(r, at));

  const rows: ReviewRow[] = [
    {
      label: 'Incidents started this week',
      value: started.length === 0 ? '0' : `${started.length} (${severities.join(', ')})`,
      href: '/incidents',
    },
    { label: 'Open incidents', value: String(open.length), href: '/incidents' },
    { label: 'Postmortems due', value: `${due.length} (${overduePostmortems} overdue)`, href: '/incidents' },
    { label: 'Overdue remediation items', value: String(overdue.length), href: '/incidents#overdue' },
    { label: 'Runbooks not reviewed in 90 days', value: String(stale.length) },
  ];
  rows.push(
    ...capRows(
      open.map((i) => ({
        label: `Open: ${i.id} ${i.title}`,
        value: `${i.severity ?? 'no severity'}, ${i.status}, since ${day(i.milestones.impactStartedAt)}`,
        href: incidentHref(i.id),
      })),
      { label: 'Open incidents not listed', href: '/incidents' },
    ),
    ...capRows(
      due.map((p) => {
        const incident = byId.get(p.incidentId) as Incident;
        const dueAt = p.dueAt as number;
        return {
          label: `Postmortem: ${incident.id} ${incident.title}`,
          value: `${p.status}, ${dueAt < at ? 'overdue since' : 'due'} ${day(dueAt)}`,
          href: incidentHref(incident.id),
        };
      }),
      { label: 'Postmortems due not listed', href: '/incidents' },
    ),
    ...capRows(
      overdue.map((item) => ({
        label: `Remediation: ${item.description}`,
        value: `owner ${item.owner}, due ${day(item.dueAt)}, ${item.priority}, incident ${item.incidentId}`,
        href: incidentHref(item.incidentId),
      })),
      { label: 'Overdue remediation items not listed', href: '/incidents#overdue' },
    ),
    ...capRows(
      stale.map((r) => ({
        label: `Runbook: ${r.serviceId}`,
        value: r.lastReviewedAt === null ? 'never reviewed' : `last reviewed ${day(r.lastReviewedAt)}`,
        href: r.url,
      })),
      { label: 'Stale runbooks not listed' },
    ),
  );
  return { title: 'Incidents', rows };
}
