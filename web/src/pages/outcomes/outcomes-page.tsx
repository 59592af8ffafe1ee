import { useEffect, useState } from 'react';
import { getAll, setToken, useApi } from '../../api/client.js';
import { linkProps, navigate, useLocation } from '../../router.js';
import type {
  GetMetricChartResponse,
  GetMetricResponse,
  GetNorthStarTreeResponse,
  GetWeeklyReviewResponse,
  ListMetricPointsResponse,
  ReadoutSummary,
  ReviewMetric,
  SixTwelve,
  TreeNodeView,
} from '../../api/types.js';
import { BOX_ROWS, formatChange, formatValue } from '../../../../src/shared/display/metric-format.js';
import { lastSunday, RULE_TEXT, sendJson, storedToken } from './outcomes-api.js';
import { SixTwelveChart } from './six-twelve-chart.js';
import './outcomes.css';

/** Outcomes: the North Star tree, the weekly business review, readouts, and a metric's data points. */
export function OutcomesPage() {
  const { query } = useLocation();
  const view = query.get('view') ?? 'tree';
  const week = query.get('week') ?? lastSunday();
  return (
    <section>
      <h1>Outcomes</h1>
      <nav className="outcomes-tabs" aria-label="Outcomes views">
        {[
          ['tree', 'North Star', '/outcomes'],
          ['review', 'Weekly review', `/outcomes?view=review&week=${week}`],
          ['readouts', 'Readouts', '/outcomes?view=readouts'],
        ].map(([key, label, href]) => (
          <a key={key} {...linkProps(href as string)} aria-current={view === key ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
      {view === 'review' ? (
        <WeeklyReview week={week} />
      ) : view === 'readouts' ? (
        <Readouts />
      ) : view === 'readout' ? (
        <Readout week={week} />
      ) : view === 'metric' ? (
        <MetricPoints id={query.get('metric') ?? ''} from={query.get('from')} to={query.get('to')} week={week} />
      ) : (
        <NorthStarTree week={week} />
      )}
    </section>
  );
}

function signalBadge(node: TreeNodeView) {
  const latest = node.signals[0];
  if (!latest)
    return (
      <span className="signal-badge quiet" data-testid="signal-badge" data-signal="none">
        no signal
      </span>
    );
  return (
    <span
      className={`signal-badge ${latest.direction}`}
      data-testid="signal-badge"
      data-signal={`${latest.rule}-${latest.direction}`}
      title={`week ending ${latest.period}: ${RULE_TEXT[latest.rule]}`}
    >
      {latest.direction === 'high' ? '▲' : '▼'} rule {latest.rule}
    </span>
  );
}

function TreeNode({ node, week }: { node: TreeNodeView; week: string }) {
  return (
    <li>
      <div className="tree-node" data-testid={`node-${node.metric}`}>
        {node.edge && (
          <div className="edge" data-testid="edge-verdict">
            <span className={node.edge.check.related ? 'verdict related' : 'verdict'}>{node.edge.check.verdict}</span>
            {node.edge.check.strength !== null && <span className="muted small"> r = {node.edge.check.strength.toFixed(2)}</span>}
            {node.edge.hypothesis && <div className="muted small">“{node.edge.hypothesis}”</div>}
          </div>
        )}
        <a {...linkProps(`/outcomes?view=metric&metric=${encodeURIComponent(node.metric)}&week=${week}`)} className="node-name">
          {node.name}
        </a>
        <div className="node-figures">
          <span className="node-value">{formatValue(node.unit, node.lastWeek)}</span>
          <span className="muted small">WoW {formatChange(node.unit, node.weekOverWeek)}</span>
          {signalBadge(node)}
        </div>
      </div>
      {node.children.length > 0 && (
        <ul>
          {node.children.map((child) => (
            <TreeNode key={child.metric} node={child} week={week} />
          ))}
        </ul>
      )}
    </li>
  );
}

function NorthStarTree({ week }: { week: string }) {
  const tree = useApi<GetNorthStarTreeResponse>(`/api/v1/outcomes/tree?week=${week}`);
  if (tree.state === 'loading') return <p className="muted">Loading the tree…</p>;
  if (tree.state === 'error') return <p className="error">Could not load the tree: {tree.error.message}</p>;
  if (tree.data.northStars.length === 0) {
    return (
      <div className="empty-state">
        <p>
          No North Star yet. Define metrics and the tree in sextant.yaml (<code>outcomes.northStar</code>) or with{' '}
          <code>PUT /api/v1/outcomes/tree</code>.
        </p>
      </div>
    );
  }
  return (
    <>
      <p className="lead">
        Week ending {tree.data.weekEnding}. Each input’s edge says whether its weekly changes lead its parent’s (cross-correlation, lags 0-8
        weeks, last 52 weeks).
      </p>
      {tree.data.northStars.map((ns) => (
        <div key={ns.area} className="panel tree-panel" data-testid="north-star-tree">
          <ul className="tree">
            <TreeNode node={ns.root} week={tree.data.weekEnding} />
          </ul>
          {ns.counterMetrics.length > 0 && (
            <div className="counter-metrics">
              <h3>Counter-metrics</h3>
              <ul className="tree">
                {ns.counterMetrics.map((c) => (
                  <TreeNode key={c.metric} node={c} week={tree.data.weekEnding} />
                ))}
              </ul>
            </div>
          )}
        </div>
      ))}
    </>
  );
}

function BoxTable({ item }: { item: ReviewMetric }) {
  const unit = item.metric.unit;
  return (
    <table className="box" data-testid={`box-${item.metric.id}`}>
      <thead>
        <tr>
          {BOX_ROWS.map(([, label]) => (
            <th key={label} className="num">
              {label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        <tr>
          {BOX_ROWS.map(([key, label, kind]) => (
            <td key={label} className="num">
              {kind === 'value' ? formatValue(unit, item.chart.box[key]) : formatChange(unit, item.chart.box[key])}
            </td>
          ))}
        </tr>
      </tbody>
    </table>
  );
}

function signalsIn(chart: SixTwelve) {
  return [
    ...chart.weekly.signals.filter((s) => chart.weeks.some((w) => w.period === s.period)).map((s) => ({ ...s, grain: 'week ending' })),
    ...chart.monthly.signals.filter((s) => chart.months.some((m) => m.period === s.period)).map((s) => ({ ...s, grain: 'month' })),
  ];
}

function NoteEditor({ item, week, published, onSaved }: { item: ReviewMetric; week: string; published: boolean; onSaved: () => void }) {
  const [text, setText] = useState(item.note?.text ?? '');
  const [author, setAuthor] = useState(item.note?.author ?? item.metric.owner ?? '');
  const [status, setStatus] = useState<string | null>(null);
  if (published || !storedToken()) {
    return item.note ? (
      <blockquote className="note" data-testid={`note-${item.metric.id}`}>
        {item.note.text} <cite>{item.note.author}</cite>
      </blockquote>
    ) : (
      <p className="muted small" data-testid={`note-${item.metric.id}`}>
        No note from the owner{!published && ' (enter a token above to write one)'}.
      </p>
    );
  }
  const save = async () => {
    try {
      await sendJson('PUT', `/api/v1/reviews/${week}/notes/${item.metric.id}`, { text, author });
      setStatus('Saved.');
      onSaved();
    } catch (error) {
      setStatus(`Not saved: ${(error as Error).message}`);
    }
  };
  return (
    <div className="note-editor">
      <label>
        Owner’s note (why it moved, what we do)
        <textarea aria-label={`Note on ${item.metric.name}`} value={text} onChange={(e) => setText(e.target.value)} rows={2} />
      </label>
      <div className="note-actions">
        <input aria-label="Author" value={author} onChange={(e) => setAuthor(e.target.value)} placeholder="author" />
        <button type="button" onClick={() => void save()}>
          Save note
        </button>
        {status && <span className="muted small">{status}</span>}
      </div>
    </div>
  );
}

function WeeklyReview({ week }: { week: string }) {
  const [reload, setReload] = useState(0);
  const review = useApi<GetWeeklyReviewResponse>(`/api/v1/reviews/${week}?r=${reload}`);
  const [tokenInput, setTokenInput] = useState('');
  const [publishError, setPublishError] = useState<string | null>(null);
  const hasToken = Boolean(storedToken());

  const publish = async () => {
    try {
      await sendJson('POST', `/api/v1/reviews/${week}/publish`, { by: 'dashboard' });
      navigate(`/outcomes?view=readouts`);
    } catch (error) {
      setPublishError((error as Error).message);
    }
  };

  return (
    <>
      <div className="review-controls">
        <label>
          Week ending
          <input
            type="date"
            value={week}
            onChange={(e) => e.target.value && navigate(`/outcomes?view=review&week=${e.target.value}`)}
            data-testid="week-picker"
          />
        </label>
        {!hasToken ? (
          <form
            className="token-form"
            onSubmit={(e) => {
              e.preventDefault();
              setToken(tokenInput.trim() || null);
              setReload((n) => n + 1);
            }}
          >
            <input
              aria-label="API token"
              type="password"
              placeholder="API token to write notes and publish"
              value={tokenInput}
              onChange={(e) => setTokenInput(e.target.value)}
            />
            <button type="submit">Use token</button>
          </form>
        ) : (
          review.state === 'ready' &&
          !review.data.published && (
            <button type="button" className="primary" onClick={() => void publish()} data-testid="publish">
              Publish readout
            </button>
          )
        )}
      </div>
      {publishError && <p className="error">Could not publish: {publishError}</p>}
      {review.state === 'loading' && <p className="muted">Loading the review…</p>}
      {review.state === 'error' && <p className="error">Could not load the review: {review.error.message}</p>}
      {review.state === 'ready' && (
        <>
          <p className="lead">
            Week {review.data.weekStart} to {review.data.weekEnding}.{' '}
            {review.data.published && (
              <a {...linkProps(`/outcomes?view=readout&week=${review.data.weekEnding}`)} data-testid="published-link">
                Published: open the readout
              </a>
            )}
          </p>
          {review.data.sections.map((section) => (
            <div key={section.title} className="review-section">
              <h2>{section.title}</h2>
              {section.metrics.map((item) => {
                const signals = signalsIn(item.chart);
                return (
                  <article key={item.metric.id} className="panel review-metric" data-testid={`review-${item.metric.id}`}>
                    <h3>
                      <a
                        {...linkProps(`/outcomes?view=metric&metric=${encodeURIComponent(item.metric.id)}&week=${review.data.weekEnding}`)}
                      >
                        {item.metric.name}
                      </a>{' '}
                      <span className="muted small">{item.metric.owner && `owner: ${item.metric.owner}`}</span>
                    </h3>
                    <SixTwelveChart
                      chart={item.chart}
                      label={`${item.metric.name}: six weeks and twelve months`}
                      onPick={(p) =>
                        navigate(
                          `/outcomes?view=metric&metric=${encodeURIComponent(item.metric.id)}&from=${p.from}&to=${p.to}&week=${review.data.weekEnding}`,
                        )
                      }
                    />
                    <BoxTable item={item} />
                    <ul className="signals" data-testid={`signals-${item.metric.id}`}>
                      {signals.length === 0 ? (
                        <li className="muted small">No signals: routine variation.</li>
                      ) : (
                        signals.map((s) => (
                          <li key={`${s.grain}${s.period}${s.rule}`} className={`signal ${s.direction}`}>
                            {s.grain} {s.period}: rule {s.rule} ({RULE_TEXT[s.rule]}), {s.direction}
                          </li>
                        ))
                      )}
                    </ul>
                    {item.annotations.length > 0 && (
                      <ul className="annotations">
                        {item.annotations.map((a) => (
                          <li key={a.id} className="small">
                            {a.date}: {a.text} <span className="muted">({a.author})</span>
                          </li>
                        ))}
                      </ul>
                    )}
                    <NoteEditor item={item} week={review.data.weekEnding} published={review.data.published} onSaved={() => undefined} />
                  </article>
                );
              })}
            </div>
          ))}
          {review.data.moduleSections.map((section) => (
            <div key={section.module} className="review-section">
              <h2>{section.title}</h2>
              <ul>
                {section.rows.map((row, i) => (
                  <li key={`${i}-${row.label}`}>
                    {row.href?.startsWith('/') ? (
                      <a {...linkProps(row.href)}>{row.label}</a>
                    ) : row.href ? (
                      <a href={row.href} rel="noreferrer">
                        {row.label}
                      </a>
                    ) : (
                      row.label
                    )}
                    : {row.value}
                  </li>
                ))}
              </ul>
            </div>
          ))}
          <p className="muted small" data-testid="missing-notes">
            {review.data.missingNotes.length === 0
              ? 'Every owner wrote a note.'
              : `No note yet: ${review.data.missingNotes.map((m) => m.metric).join(', ')}`}
          </p>
        </>
      )}
    </>
  );
}

function Readouts() {
  const [items, setItems] = useState<ReadoutSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    getAll<ReadoutSummary>('/api/v1/readouts').then(setItems, (e: Error) => setError(e.message));
  }, []);
  if (error) return <p className="error">Could not load the readouts: {error}</p>;
  if (items === null) return <p className="muted">Loading readouts…</p>;
  if (items.length === 0) return <div className="empty-state">No readouts yet: publish a week from the weekly review.</div>;
  return (
    <table data-testid="readouts">
      <thead>
        <tr>
          <th>Week ending</th>
          <th>Published</th>
          <th>By</th>
          <th>Exports</th>
        </tr>
      </thead>
      <tbody>
        {items.map((r) => (
          <tr key={r.weekEnding}>
            <td>
              <a {...linkProps(`/outcomes?view=readout&week=${r.weekEnding}`)}>{r.weekEnding}</a>
            </td>
            <td>{r.publishedAt.slice(0, 16).replace('T', ' ')} UTC</td>
            <td>{r.publishedBy}</td>
            <td>
              <a href={`/api/v1/readouts/${r.weekEnding}/readout.md`} download={`readout-${r.weekEnding}.md`}>
                Markdown
              </a>{' '}
              ·{' '}
              <a href={`/api/v1/readouts/${r.weekEnding}/readout.html`} download={`readout-${r.weekEnding}.html`}>
                HTML
              </a>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Readout({ week }: { week: string }) {
  return (
    <div className="readout">
      <p className="lead">
        The readout of the week ending {week}, frozen when it was published.{' '}
        <a href={`/api/v1/readouts/${week}/readout.md`} download={`readout-${week}.md`}>
          Markdown
        </a>{' '}
        ·{' '}
        <a href={`/api/v1/readouts/${week}/readout.html`} download={`readout-${week}.html`}>
          HTML
        </a>
      </p>
      <iframe title={`Readout, week ending ${week}`} src={`/api/v1/readouts/${week}/readout.html`} className="readout-frame" sandbox="" />
    </div>
  );
}

function MetricPoints({ id, from, to, week }: { id: string; from: string | null; to: string | null; week: string }) {
  const metric = useApi<GetMetricResponse>(`/api/v1/metrics/${encodeURIComponent(id)}`);
  const chart = useApi<GetMetricChartResponse>(`/api/v1/metrics/${encodeURIComponent(id)}/chart?week=${week}`);
  const start = from ?? new Date(Date.parse(`${week}T00:00:00Z`) - 41 * 86_400_000).toISOString().slice(0, 10);
  const end = to ?? week;
  const source = metric.state === 'ready' && metric.data.numerator ? metric.data.numerator : id;
  const points = useApi<ListMetricPointsResponse>(
    `/api/v1/metrics/${encodeURIComponent(source)}/points?from=${start}&to=${end}&limit=1000`,
  );
  if (metric.state === 'error') return <p className="error">Could not load the metric: {metric.error.message}</p>;
  if (metric.state === 'loading') return <p className="muted">Loading…</p>;
  const m = metric.data;
  return (
    <>
      <h2>{m.name}</h2>
      <p className="lead">
        {m.description}{' '}
        <span className="muted small">
          ({m.numerator ? `${m.numerator} / ${m.denominator}, each aggregated first` : `${m.aggregation} of days`}; {m.direction} is good;
          source: {m.source})
        </span>
      </p>
      {chart.state === 'ready' && (
        <SixTwelveChart
          chart={chart.data.chart}
          label={`${m.name}: six weeks and twelve months`}
          onPick={(p) => navigate(`/outcomes?view=metric&metric=${encodeURIComponent(id)}&from=${p.from}&to=${p.to}&week=${week}`)}
        />
      )}
      <h3>
        Data points {start} to {end}
        {m.numerator ? ` (numerator ${m.numerator})` : ''}
      </h3>
      {points.state === 'ready' && (
        <table data-testid="data-points">
          <thead>
            <tr>
              <th>Date</th>
              <th className="num">Value</th>
            </tr>
          </thead>
          <tbody>
            {points.data.items.map((p) => (
              <tr key={p.date}>
                <td>{p.date}</td>
                <td className="num">{p.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
