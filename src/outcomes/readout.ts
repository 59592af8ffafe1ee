import { BOX_ROWS, formatChange, formatValue, round } from '../shared/display/metric-format.js';
import type { Review, ReviewMetric } from './review.js';
import type { ChartPoint, SixTwelve } from './six-twelve.js';

/**
 * A readout's two exports, rendered once from the frozen review when the week
 * is published and stored as they are: Markdown, and a self-contained HTML
 * page (inline CSS and SVG charts, no script, no external request). Both are
 * pure functions of the snapshot, so rendering twice gives the same bytes.
 */
export interface ReadoutSnapshot {
  review: Review;
  publishedAt: string;
  publishedBy: string;
}

const RULE_TEXT = { 1: 'beyond a limit', 2: '3 of 4 near a limit', 3: '8 on one side' } as const;

function boxCells(item: ReviewMetric): string[] {
  return BOX_ROWS.map(([key, , kind]) =>
    kind === 'value' ? formatValue(item.metric.unit, item.chart.box[key]) : formatChange(item.metric.unit, item.chart.box[key]),
  );
}

function signalLines(chart: SixTwelve): string[] {
  return [
    ...chart.weekly.signals
      .filter((s) => chart.weeks.some((w) => w.period === s.period))
      .map((s) => `week ending ${s.period}: rule ${s.rule} (${RULE_TEXT[s.rule]}), ${s.direction}`),
    ...chart.monthly.signals
      .filter((s) => chart.months.some((m) => m.period === s.period))
      .map((s) => `month ${s.period}: rule ${s.rule} (${RULE_TEXT[s.rule]}), ${s.direction}`),
  ];
}

function md(text: string): string {
  return text.replace(/([\\`*_[\]|<>])/g, '\\$1').replace(/\n/g, ' ');
}

export function readoutMarkdown(snapshot: ReadoutSnapshot): string {
  const { review } = snapshot;
  const lines: string[] = [
    `# Weekly business review: week ending ${review.weekEnding}`,
    '',
    `Published ${snapshot.publishedAt} by ${md(snapshot.publishedBy)}. Week ${review.weekStart} to ${review.weekEnding}.`,
    '',
  ];
  for (const section of review.sections) {
    lines.push(`## ${md(section.title)}`, '');
    for (const item of section.metrics) {
      const { metric, chart } = item;
      lines.push(`### ${md(metric.name)} (\`${metric.id}\`)`, '');
      if (metric.owner) lines.push(`Owner: ${md(metric.owner)}`, '');
      lines.push(
        `| ${BOX_ROWS.map((r) => r[1]).join(' | ')} |`,
        `|${BOX_ROWS.map(() => '---:').join('|')}|`,
        `| ${boxCells(item).join(' | ')} |`,
        '',
      );
      lines.push(`Weeks: ${chart.weeks.map((w) => `${w.period} ${formatValue(metric.unit, w.value)}`).join(', ')}`, '');
      lines.push(`Months: ${chart.months.map((m) => `${m.period} ${formatValue(metric.unit, m.value)}`).join(', ')}`, '');
      const signals = signalLines(chart);
      lines.push(signals.length > 0 ? `Signals: ${signals.join('; ')}` : 'Signals: none (routine variation)', '');
      for (const a of item.annotations) lines.push(`- ${a.date} ${md(a.text)} (${md(a.author)})`);
      if (item.annotations.length > 0) lines.push('');
      lines.push(item.note ? `> ${md(item.note.text)} (${md(item.note.author)})` : '> No note from the owner.', '');
    }
  }
  for (const section of review.moduleSections) {
    lines.push(`## ${md(section.title)}`, '');
    for (const row of section.rows)
      lines.push(
        `- ${row.href ? `[${md(row.label)}](${row.href.replace(/[()\s]/g, encodeURIComponent)})` : md(row.label)}: ${md(row.value)}`,
      );
    lines.push('');
  }
  lines.push('## Owners without a note', '');
  if (review.missingNotes.length === 0) lines.push('Every owner wrote a note.');
  for (const m of review.missingNotes) lines.push(`- ${md(m.metric)}${m.owner ? ` (${md(m.owner)})` : ''}`);
  return lines.join('\n') + '\n';
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The 6-12 chart as inline SVG: six weeks, a gap, twelve months; each part on its own scale (weekly and monthly totals differ in size). */
export function sixTwelveSvg(chart: SixTwelve, title: string): string {
  const width = 640;
  const height = 200;
  const pad = 28;
  const slot = (width - 2 * pad) / 19;
  const part = (points: ChartPoint[], offset: number, signals: Set<string>) => {
    const numbers = points.flatMap((p) => [p.value, p.priorYear, p.target]).filter((v): v is number => v !== null);
    const lo = numbers.length ? Math.min(...numbers) : 0;
    const hi = numbers.length ? Math.max(...numbers) : 1;
    const span = hi - lo || 1;
    const x = (i: number) => round(pad + (offset + i + 0.5) * slot, 1);
    const y = (v: number) => round(height - pad - ((v - lo) / span) * (height - 2 * pad), 1);
    const line = (key: 'value' | 'priorYear' | 'target', style: string) => {
      const segments: string[][] = [[]];
      points.forEach((p, i) => {
        const v = p[key];
        if (v === null) segments.push([]);
        else (segments[segments.length - 1] as string[]).push(`${x(i)},${y(v)}`);
      });
      return segments
        .filter((s) => s.length > 0)
        .map((s) => `<polyline points="${s.join(' ')}" ${style}/>`)
        .join('');
    };
    const dots = points
      .map((p, i) =>
        p.value === null
          ? ''
          : `<circle cx="${x(i)}" cy="${y(p.value)}" r="${signals.has(p.period) ? 5 : 2.5}" fill="${signals.has(p.period) ? '#c0392b' : '#1f4e79'}"><title>${esc(p.period)}: ${p.value}</title></circle>`,
      )
      .join('');
    return `${line('priorYear', 'fill="none" stroke="#999" stroke-dasharray="4 3"')}${line('target', 'fill="none" stroke="#2e7d32" stroke-dasharray="2 2"')}${line('value', 'fill="none" stroke="#1f4e79" stroke-width="2"')}${dots}`;
  };
  const weekSignals = new Set(chart.weekly.signals.map((s) => s.period));
  const monthSignals = new Set(chart.monthly.signals.map((s) => s.period));
  const labels = [
    ...chart.weeks.map(
      (w, i) =>
        `<text x="${round(pad + (i + 0.5) * slot, 1)}" y="${height - 8}" font-size="9" text-anchor="middle">${esc(w.period.slice(5))}</text>`,
    ),
    ...chart.months.map(
      (m, i) =>
        `<text x="${round(pad + (7 + i + 0.5) * slot, 1)}" y="${height - 8}" font-size="9" text-anchor="middle">${esc(m.period.slice(2))}</text>`,
    ),
  ].join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title)}"><rect width="${width}" height="${height}" fill="#fff"/><line x1="${round(pad + 6.5 * slot, 1)}" y1="${pad / 2}" x2="${round(pad + 6.5 * slot, 1)}" y2="${height - pad}" stroke="#ddd"/><text x="${pad}" y="14" font-size="10">Trailing 6 weeks</text><text x="${round(pad + 7 * slot, 1)}" y="14" font-size="10">Trailing 12 months</text>${part(chart.weeks, 0, weekSignals)}${part(chart.months, 7, monthSignals)}${labels}</svg>`;
}

export function readoutHtml(snapshot: ReadoutSnapshot): string {
  const { review } = snapshot;
  const parts: string[] = [];
  for (const section of review.sections) {
    parts.push(`<h2>${esc(section.title)}</h2>`);
    for (const item of section.metrics) {
      const { metric, chart } = item;
      const signals = signalLines(chart);
      parts.push(
        `<section class="metric"><h3>${esc(metric.name)} <code>${esc(metric.id)}</code></h3>`,
        metric.owner ? `<p class="owner">Owner: ${esc(metric.owner)}</p>` : '',
        sixTwelveSvg(chart, `${metric.name}: six weeks and twelve months`),
        `<table><tr>${BOX_ROWS.map((r) => `<th>${r[1]}</th>`).join('')}</tr><tr>${boxCells(item)
          .map((c) => `<td>${esc(c)}</td>`)
          .join('')}</tr></table>`,
        `<p class="signals">${signals.length > 0 ? `Signals: ${esc(signals.join('; '))}` : 'Signals: none (routine variation)'}</p>`,
        item.annotations.length > 0
          ? `<ul>${item.annotations.map((a) => `<li>${esc(a.date)} ${esc(a.text)} (${esc(a.author)})</li>`).join('')}</ul>`
          : '',
        item.note
          ? `<blockquote>${esc(item.note.text)} <cite>${esc(item.note.author)}</cite></blockquote>`
          : '<blockquote class="missing">No note from the owner.</blockquote>',
        '</section>',
      );
    }
  }
  for (const section of review.moduleSections) {
    parts.push(
      `<h2>${esc(section.title)}</h2><ul>${section.rows.map((r) => `<li>${r.href ? `<a href="${esc(r.href)}">${esc(r.label)}</a>` : esc(r.label)}: ${esc(r.value)}</li>`).join('')}</ul>`,
    );
  }
  parts.push(
    '<h2>Owners without a note</h2>',
    review.missingNotes.length === 0
      ? '<p>Every owner wrote a note.</p>'
      : `<ul>${review.missingNotes.map((m) => `<li>${esc(m.metric)}${m.owner ? ` (${esc(m.owner)})` : ''}</li>`).join('')}</ul>`,
  );
  const css =
    'body{font-family:system-ui,sans-serif;max-width:980px;margin:2rem auto;padding:0 1rem;color:#222}table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:right;font-size:.85rem}blockquote{border-left:3px solid #1f4e79;margin:.5rem 0;padding-left:.75rem}.missing{color:#a00}.metric{margin-bottom:2rem}svg{max-width:100%;height:auto}';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Weekly business review: week ending ${esc(review.weekEnding)}</title><style>${css}</style></head>
<body><h1>Weekly business review: week ending ${esc(review.weekEnding)}</h1><p>Published ${esc(snapshot.publishedAt)} by ${esc(snapshot.publishedBy)}. Week ${esc(review.weekStart)} to ${esc(review.weekEnding)}.</p>
${parts.join('\n')}
</body></html>
`;
}
