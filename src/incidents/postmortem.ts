import {
  DAY_MS,
  MILESTONES,
  POSTMORTEM_SECTIONS,
  REMEDIATION_DEFAULT_DAYS,
  type Incident,
  type Postmortem,
  type RemediationItem,
  type TimelineEvent,
} from './model.js';

// --- When a postmortem is required ------------------------------------------------

/**
 * Postmortem triggers (Google SRE book, "Postmortem Culture"): severity at or
 * above a level, data loss, or a single incident spending too much of an
 * error budget. This is the one rule: reliability's release gate reads its
 * budget share from here.
 */
export interface PostmortemRule {
  severities: string[];
  dataLoss: boolean;
  /** An incident that spent more than this share of an SLO's budget (0.2 = 20% of a 30-day budget). */
  budgetShareAbove: number;
}

export const DEFAULT_POSTMORTEM_RULE: PostmortemRule = { severities: ['SEV1', 'SEV2'], dataLoss: true, budgetShareAbove: 0.2 };

/** Whether a budget share triggers a postmortem: strictly more than the limit. */
export function budgetShareRequiresPostmortem(share: number, limit = DEFAULT_POSTMORTEM_RULE.budgetShareAbove): boolean {
  return share > limit;
}

export function postmortemReasons(
  incident: Pick<Incident, 'severity' | 'dataLoss' | 'drill'>,
  spends: ReadonlyArray<{ slo: string; share: number }>,
  rule: PostmortemRule = DEFAULT_POSTMORTEM_RULE,
): string[] {
  if (incident.drill) return [];
  const reasons: string[] = [];
  const severity = incident.severity?.toLowerCase();
  if (severity !== undefined && rule.severities.some((s) => s.toLowerCase() === severity)) reasons.push(`severity ${incident.severity}`);
  if (rule.dataLoss && incident.dataLoss) reasons.push('data loss');
  for (const spend of spends) {
    if (budgetShareRequiresPostmortem(spend.share, rule.budgetShareAbove))
      reasons.push(`spent ${(spend.share * 100).toFixed(1)}% of ${spend.slo}'s error budget (more than ${rule.budgetShareAbove * 100}%)`);
  }
  return reasons;
}

/** Postmortems are due this many business days (Monday to Friday, UTC) after resolution unless configured otherwise. */
export const DEFAULT_POSTMORTEM_DUE_BUSINESS_DAYS = 5;

export function addBusinessDays(from: number, days: number): number {
  let at = from;
  let left = days;
  while (left > 0) {
    at += DAY_MS;
    const weekday = new Date(at).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return at;
}

/** A remediation item's default due date: 7 days after the postmortem review (Dispatch's default). */
export function defaultRemediationDue(reviewedAt: number): number {
  return reviewedAt + REMEDIATION_DEFAULT_DAYS * DAY_MS;
}

// --- Blameless check ----------------------------------------------------------------

export interface BlameSuggestion {
  section: string;
  sentence: string;
  /** The words that read as blame. */
  phrase: string;
  suggestion: string;
}

const FAILURE_VERBS = [
  'failed',
  'forgot',
  'broke',
  'missed',
  'neglected',
  'ignored',
  'caused',
  'messed',
  'screwed',
  'botched',
  'overlooked',
  "didn't",
  'did not',
  'should have',
  "should've",
  'mistakenly',
  'accidentally',
  'carelessly',
  'wrongly',
];

const BLAME_PHRASES: Array<[RegExp, string]> = [
  [/\bhuman error\b/i, 'Name the conditions that made the error possible (missing guard rail, unclear tooling) instead of "human error".'],
  [
    /\bshould(?: have|'ve) known\b/i,
    'Say what information was missing at the time and how it can be surfaced, instead of "should have known".',
  ],
];

/**
 * Flags sentences that blame a person: a name of the org's people (full name,
 * first name or alias) as the subject of a failure verb ("Dana forgot to ...",
 * "Dana's mistake"), "human error" and "should have known". Suggestions only:
 * the check never blocks saving or publishing.
 */
export function blamelessCheck(sections: Record<string, string>, names: readonly string[]): BlameSuggestion[] {
  const nameAlternatives = [...new Set(names.flatMap((n) => [n.trim(), n.trim().split(/\s+/)[0] ?? '']).filter((n) => n.length >= 2))]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp);
  const verbs = FAILURE_VERBS.map(escapeRegExp).join('|');
  const personBlame =
    nameAlternatives.length === 0
      ? null
      : new RegExp(
          `\\b(${nameAlternatives.join('|')})(?:\\s+(?:\\w+ly))?\\s+(${verbs})\\b|\\b(${nameAlternatives.join('|')})'s\\s+(mistake|fault|error)\\b`,
          'i',
        );
  const out: BlameSuggestion[] = [];
  for (const [section, text] of Object.entries(sections)) {
    for (const sentence of sentencesOf(text)) {
      const match = personBlame?.exec(sentence);
      if (match) {
        out.push({
          section,
          sentence,
          phrase: match[0],
          suggestion:
            'Describe what happened to the system and why the action made sense at the time, without naming a person as the cause.',
        });
        continue;
      }
      for (const [pattern, suggestion] of BLAME_PHRASES) {
        const found = pattern.exec(sentence);
        if (found) {
          out.push({ section, sentence, phrase: found[0], suggestion });
          break;
        }
      }
    }
  }
  return out;
}

function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// --- Exports -------------------------------------------------------------------------

export interface PostmortemDocument {
  incident: Incident;
  postmortem: Postmortem;
  remediation: readonly RemediationItem[];
  timeline: readonly TimelineEvent[];
  /** `shareable` drops the internal notes and internal timeline entries. */
  audience: 'internal' | 'shareable';
}

const MILESTONE_LABELS: Record<(typeof MILESTONES)[number], string> = {
  impactStartedAt: 'Impact started',
  detectedAt: 'Detected',
  acknowledgedAt: 'Acknowledged',
  mitigatedAt: 'Mitigated',
  resolvedAt: 'Resolved',
  closedAt: 'Closed',
};

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function timelineOf(doc: PostmortemDocument): Array<{ at: number; text: string; pinned: boolean }> {
  const milestones = MILESTONES.flatMap((m) => {
    const at = doc.incident.milestones[m];
    return at === null ? [] : [{ at, text: MILESTONE_LABELS[m], pinned: true }];
  });
  const events = doc.timeline
    .filter((e) => doc.audience === 'internal' || e.kind !== 'internal')
    .map((e) => ({ at: e.at, text: `${e.text}${e.author ? ` (${e.author})` : ''}`, pinned: e.pinned }));
  return [...milestones, ...events].sort((a, b) => a.at - b.at);
}

/** The postmortem as Markdown, every template section present (an empty one says so), for a repository or wiki. */
export function postmortemMarkdown(doc: PostmortemDocument): string {
  const { incident, postmortem } = doc;
  const lines: string[] = [`# Postmortem: ${incident.title}`, ''];
  lines.push(
    `- **Incident:** ${incident.id}`,
    `- **Status:** ${postmortem.status}${doc.audience === 'shareable' ? ' (shareable version)' : ''}`,
    `- **Severity:** ${incident.severity ?? 'unknown'}${incident.priority ? `, priority ${incident.priority}` : ''}`,
    `- **Services:** ${incident.services.join(', ')}`,
    `- **Impact:** ${iso(incident.milestones.impactStartedAt)} to ${incident.milestones.resolvedAt === null ? 'ongoing' : iso(incident.milestones.resolvedAt)}`,
    ...(postmortem.reviewers.length > 0 ? [`- **Reviewers:** ${postmortem.reviewers.join(', ')}`] : []),
    ...(incident.drill ? ['- **Game day:** this was a drill'] : []),
    '',
    'This postmortem is blameless: it describes systems and decisions, not the people who made them.',
    '',
  );
  for (const [key, title] of POSTMORTEM_SECTIONS) {
    if (key === 'wentWell') lines.push('## Lessons learned', '');
    const heading = key === 'wentWell' || key === 'wentWrong' || key === 'gotLucky' ? '###' : '##';
    lines.push(`${heading} ${title}`, '', postmortem.sections[key].trim() || '_Not written yet._', '');
  }
  lines.push('## Action items', '');
  if (doc.remediation.length === 0) lines.push('_None recorded._', '');
  else {
    lines.push('| Action | Type | Priority | Owner | Due | Status | Ticket |', '| --- | --- | --- | --- | --- | --- | --- |');
    for (const item of doc.remediation) {
      lines.push(
        `| ${cell(item.description)} | ${item.type} | ${item.priority} | ${item.owner} | ${iso(item.dueAt).slice(0, 10)} | ${item.status} | ${item.ticketUrl ?? ''} |`,
      );
    }
    lines.push('');
  }
  lines.push('## Timeline', '', '| Time (UTC) | Event |', '| --- | --- |');
  for (const entry of timelineOf(doc))
    lines.push(`| ${iso(entry.at)} | ${entry.pinned ? '**' : ''}${cell(entry.text)}${entry.pinned ? '**' : ''} |`);
  lines.push('');
  if (doc.audience === 'internal' && postmortem.internalNotes) lines.push('## Internal notes', '', postmortem.internalNotes.trim(), '');
  return lines.join('\n');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n+/g, ' ');
}

/** A self-contained HTML page (inline styles, no scripts or external resources) that prints well. */
export function postmortemHtml(doc: PostmortemDocument): string {
  const { incident, postmortem } = doc;
  const e = escapeHtml;
  const section = (title: string, body: string, level = 2) =>
    `<h${level}>${e(title)}</h${level}>${body.trim() ? paragraphs(body) : '<p class="empty">Not written yet.</p>'}`;
  const parts: string[] = [];
  for (const [key, title] of POSTMORTEM_SECTIONS) {
    if (key === 'wentWell') parts.push('<h2>Lessons learned</h2>');
    parts.push(section(title, postmortem.sections[key], key === 'wentWell' || key === 'wentWrong' || key === 'gotLucky' ? 3 : 2));
  }
  const actions =
    doc.remediation.length === 0
      ? '<p class="empty">None recorded.</p>'
      : `<table><thead><tr><th>Action</th><th>Type</th><th>Priority</th><th>Owner</th><th>Due</th><th>Status</th></tr></thead><tbody>${doc.remediation
          .map(
            (i) =>
              `<tr><td>${e(i.description)}${i.ticketUrl ? ` (<a href="${e(i.ticketUrl)}">ticket</a>)` : ''}</td><td>${e(i.type)}</td><td>${e(i.priority)}</td><td>${e(i.owner)}</td><td>${iso(i.dueAt).slice(0, 10)}</td><td>${e(i.status)}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  const timeline = `<table><thead><tr><th>Time (UTC)</th><th>Event</th></tr></thead><tbody>${timelineOf(doc)
    .map((t) => `<tr${t.pinned ? ' class="pinned"' : ''}><td>${iso(t.at)}</td><td>${e(t.text)}</td></tr>`)
    .join('')}</tbody></table>`;
  const internal = doc.audience === 'internal' && postmortem.internalNotes ? section('Internal notes', postmortem.internalNotes) : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Postmortem: ${e(incident.title)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:1.6rem;border-bottom:1px solid #d0d7de}h3{font-size:1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
tr.pinned td{font-weight:600}.empty{color:#57606a;font-style:italic}
@media print{body{margin:0;max-width:none}a{color:inherit}h2{break-after:avoid}tr{break-inside:avoid}}
</style></head><body>
<h1>Postmortem: ${e(incident.title)}</h1>
<dl><dt>Incident</dt><dd>${e(incident.id)}</dd><dt>Status</dt><dd>${e(postmortem.status)}${doc.audience === 'shareable' ? ' (shareable version)' : ''}</dd>
<dt>Severity</dt><dd>${e(incident.severity ?? 'unknown')}</dd><dt>Services</dt><dd>${e(incident.services.join(', '))}</dd>
<dt>Impact</dt><dd>${iso(incident.milestones.impactStartedAt)} to ${incident.milestones.resolvedAt === null ? 'ongoing' : iso(incident.milestones.resolvedAt)}</dd></dl>
<p><em>This postmortem is blameless: it describes systems and decisions, not the people who made them.</em></p>
${parts.join('\n')}
<h2>Action items</h2>${actions}
<h2>Timeline</h2>${timeline}
${internal}
</body></html>
`;
}

function paragraphs(text: string): string {
  return text
    .trim()
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
