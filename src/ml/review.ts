import { ValidationError } from '../shared/errors.js';
import { fromLocal } from '../shared/time-zone.js';
import { formatDay } from './days.js';
import { resultVerdict } from './experiments.js';
import type { MlContext } from './links.js';
import { NO_METRIC_STORE } from './links.js';
import { PHASE_LABELS } from './phases.js';
import { projectViews, type ProjectView } from './projects.js';
import { listExperiments, type KillFlag } from './store.js';

/**
 * The monthly model review: for each project, where it stands at the end of
 * the month (phase and confidence, model quality against its threshold, the
 * business metric's movement over the month, experiments concluded in the
 * month and their learnings, blockers, kill-criteria status), rendered as
 * JSON, Markdown and self-contained HTML (inline styles, no external
 * requests). Month boundaries are local midnights in the workspace's zone.
 */
export interface ReviewProject {
  id: string;
  name: string;
  status: string;
  phase: string;
  confidence: { value: number; previous: number | null; note: string | null } | null;
  quality: { metric: string; value: number | null; threshold: number; direction: string; meets: boolean | null; at: string | null };
  businessMetric: { name: string | null; id: string | null; movement: string };
  forecast: { p50: string; p90: string; committable: boolean; label: string | null } | null;
  experiments: Array<{ id: string; decision: string; decidedAt: string; hypothesis: string; learning: string; verdict: string | null }>;
  blockers: string[];
  killCriteria: Array<{ id: string; description: string; status: string; evidence: string; flagged: boolean }>;
  learning: string | null;
}

export interface MonthlyReview {
  month: string;
  timeZone: string;
  from: string;
  to: string;
  projects: ReviewProject[];
}

export function monthBounds(month: string, timeZone: string): { from: number; to: number } {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  const m = Number(match?.[2]);
  if (!match || m < 1 || m > 12) throw new ValidationError('Invalid month', [{ field: 'month', message: 'must be YYYY-MM' }]);
  const year = Number(match[1]);
  const local = (y: number, mo: number) => ({ year: y, month: mo, day: 1, hour: 0, minute: 0, second: 0 });
  return { from: fromLocal(local(year, m), timeZone), to: fromLocal(m === 12 ? local(year + 1, 1) : local(year, m + 1), timeZone) };
}

export async function monthlyReview(ctx: MlContext, month: string, timeZone: string): Promise<MonthlyReview> {
  const { from, to } = monthBounds(month, timeZone);
  const end = to - 1;
  const views = await projectViews(ctx, end);
  const concluded = await listExperiments(ctx.db, { concluded: true, decidedFrom: from, decidedTo: to });
  const projects: ReviewProject[] = [];
  for (const view of views) {
    const p = view.project;
    if (p.startedAt > end) continue;
    const before = p.confidence.filter((c) => c.at < from).at(-1);
    projects.push({
      id: p.id,
      name: p.name,
      status: p.status,
      phase: PHASE_LABELS[view.phase] + (view.phaseActive ? '' : ' (ended, next phase not entered)'),
      confidence: view.confidence ? { value: view.confidence.value, previous: before?.value ?? null, note: view.confidence.note } : null,
      quality: {
        metric: p.qualityMetric,
        value: view.latestQuality?.value ?? null,
        threshold: p.qualityThreshold,
        direction: p.qualityDirection,
        meets: view.latestQuality?.meetsThreshold ?? null,
        at: view.latestQuality ? formatDay(view.latestQuality.at) : null,
      },
      businessMetric: {
        name: p.businessMetric,
        id: p.businessMetricId,
        movement: await metricMovement(ctx, p.businessMetricId, from, end),
      },
      forecast: view.forecast
        ? { p50: view.forecast.p50, p90: view.forecast.p90, committable: view.forecast.committable, label: view.forecast.label }
        : null,
      experiments: concluded
        .filter((e) => e.projectId === p.id)
        .sort((a, b) => (a.decidedAt as number) - (b.decidedAt as number))
        .map((e) => ({
          id: e.id,
          decision: e.decision as string,
          decidedAt: formatDay(e.decidedAt as number),
          hypothesis: e.hypothesis,
          learning: e.learning as string,
          verdict: resultVerdict(e),
        })),
      blockers: blockers(view, end),
      killCriteria: view.killCriteria.map((c) => ({
        id: c.id,
        description: c.description,
        status: c.evaluation.status,
        evidence: c.evaluation.evidence,
        flagged: view.flags.some((f) => f.criterionId === c.id && openAt(f, end)),
      })),
      learning: p.learning,
    });
  }
  return { month, timeZone, from: new Date(from).toISOString(), to: new Date(to).toISOString(), projects };
}

/** A kill flag open at `at`: met by then (a sync after the month does not reach back into it) and not yet answered. */
function openAt(flag: KillFlag, at: number): boolean {
  return flag.metAt <= at && (flag.resolvedAt === null || flag.resolvedAt > at);
}

function blockers(view: ProjectView, at: number): string[] {
  const out = view.detectors.filter((d) => d.status === 'fired').map((d) => `${d.detector}: ${d.evidence.join('; ')}`);
  for (const flag of view.flags.filter((f) => openAt(f, at))) out.push(`kill criterion ${flag.criterionId} met: ${flag.evidence}`);
  for (const phase of view.forecast?.phases ?? []) if (phase.overdue) out.push(`${phase.name} is past its ${phase.max}-day maximum`);
  return out;
}

async function metricMovement(ctx: MlContext, id: string | null, from: number, end: number): Promise<string> {
  if (id === null) return 'not linked to a metric of the metric store';
  if (!ctx.metrics) return NO_METRIC_STORE;
  const [start, last] = await Promise.all([ctx.metrics.readingAt(id, from), ctx.metrics.readingAt(id, end)]);
  if (!last) return 'no reading this month';
  if (!start) return `${last.value} (${formatDay(last.at)}); no reading before the month`;
  const change = last.value - start.value;
  return `${start.value} → ${last.value} (${change >= 0 ? '+' : ''}${Number(change.toFixed(6))})`;
}

// --- Rendering ----------------------------------------------------------------------

const percent = (value: number) => `${Math.round(value)}%`;

function confidenceText(c: ReviewProject['confidence']): string {
  if (!c) return 'not stated';
  const change = c.previous === null || c.previous === c.value ? '' : ` (was ${percent(c.previous)})`;
  return `${percent(c.value)}${change}${c.note ? ` — ${c.note}` : ''}`;
}

function qualityText(q: ReviewProject['quality']): string {
  const bar = `${q.direction === 'higher' ? '≥' : '≤'} ${q.threshold}`;
  if (q.value === null) return `no reading yet (minimum viable ${bar})`;
  return `${q.value} on ${q.at} — ${q.meets ? 'meets' : 'below'} the minimum viable ${bar}`;
}

function forecastText(f: ReviewProject['forecast']): string {
  if (!f) return 'none (project ended)';
  return `P50 ${f.p50}, P90 ${f.p90}${f.committable ? '' : ` — ${f.label}`}`;
}

export function reviewMarkdown(review: MonthlyReview): string {
  const lines = [`# Monthly model review — ${review.month}`, '', `Month in ${review.timeZone}: ${review.from} to ${review.to}.`, ''];
  for (const p of review.projects) {
    lines.push(`## ${p.name} (${p.id})`, '');
    lines.push(`- **Phase:** ${p.status === 'killed' ? 'killed' : p.phase}`);
    lines.push(`- **Confidence:** ${confidenceText(p.confidence)}`);
    lines.push(`- **Model quality (${p.quality.metric}):** ${qualityText(p.quality)}`);
    lines.push(`- **Business metric:** ${p.businessMetric.name ?? 'not set'} — ${p.businessMetric.movement}`);
    lines.push(`- **Forecast:** ${forecastText(p.forecast)}`);
    if (p.learning) lines.push(`- **Learning (killed):** ${p.learning}`);
    lines.push('', '### Experiments concluded', '');
    if (p.experiments.length === 0) lines.push('None this month.');
    for (const e of p.experiments) lines.push(`- ${e.decidedAt} **${e.decision}** \`${e.id}\`: ${e.hypothesis} — *${e.learning}*`);
    lines.push('', '### Blockers', '');
    if (p.blockers.length === 0) lines.push('None.');
    for (const b of p.blockers) lines.push(`- ${b}`);
    lines.push('', '### Kill criteria', '');
    if (p.killCriteria.length === 0) lines.push('None defined.');
    for (const k of p.killCriteria) lines.push(`- ${k.flagged ? '⚑ ' : ''}${k.description}: **${k.status}** — ${k.evidence}`);
    lines.push('');
  }
  if (review.projects.length === 0) lines.push('No ML projects this month.', '');
  return lines.join('\n');
}

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

export function reviewHtml(review: MonthlyReview): string {
  const list = (items: string[], empty: string) =>
    items.length === 0 ? `<p class="muted">${escape(empty)}</p>` : `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;
  const sections = review.projects.map(
    (p) => `<section>
<h2>${escape(p.name)} <small>${escape(p.id)}</small></h2>
<dl>
<dt>Phase</dt><dd>${escape(p.status === 'killed' ? 'killed' : p.phase)}</dd>
<dt>Confidence</dt><dd>${escape(confidenceText(p.confidence))}</dd>
<dt>Model quality (${escape(p.quality.metric)})</dt><dd>${escape(qualityText(p.quality))}</dd>
<dt>Business metric</dt><dd>${escape(`${p.businessMetric.name ?? 'not set'} — ${p.businessMetric.movement}`)}</dd>
<dt>Forecast</dt><dd>${escape(forecastText(p.forecast))}</dd>
${p.learning ? `<dt>Learning (killed)</dt><dd>${escape(p.learning)}</dd>` : ''}
</dl>
<h3>Experiments concluded</h3>
${list(
  p.experiments.map(
    (e) =>
      `${escape(e.decidedAt)} <strong>${escape(e.decision)}</strong> <code>${escape(e.id)}</code>: ${escape(e.hypothesis)} — <em>${escape(e.learning)}</em>`,
  ),
  'None this month.',
)}
<h3>Blockers</h3>
${list(p.blockers.map(escape), 'None.')}
<h3>Kill criteria</h3>
${list(
  p.killCriteria.map(
    (k) =>
      `${k.flagged ? '<span class="flag">kill criterion met</span> ' : ''}${escape(k.description)}: <strong>${escape(k.status)}</strong> — ${escape(k.evidence)}`,
  ),
  'None defined.',
)}
</section>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Monthly model review — ${escape(review.month)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
h1{font-size:1.6rem}h2{border-top:1px solid #d0d7de;padding-top:1rem}small{color:#57606a;font-weight:normal}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}.muted{color:#57606a}
.flag{background:#cf222e;color:#fff;border-radius:3px;padding:0 .3rem;font-size:.85em}code{background:#f6f8fa;padding:0 .2rem}
</style></head><body>
<h1>Monthly model review — ${escape(review.month)}</h1>
<p class="muted">Month in ${escape(review.timeZone)}: ${escape(review.from)} to ${escape(review.to)}.</p>
${sections.join('\n') || '<p>No ML projects this month.</p>'}
</body></html>
`;
}
