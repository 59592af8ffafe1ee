import { useApi } from '../../api/client.js';
import { linkProps, useLocation } from '../../router.js';
import type { ListOkrPeriodsResponse, OkrKeyResult as KeyResultView, OkrObjective as ObjectiveView, OkrReport } from '../../api/types.js';
import './okrs.css';

/**
 * OKRs of a period: objectives by team in alignment order (company first,
 * children under their parent), each key result's progress against the
 * period's expected progress, its band, and the confidence trend from
 * check-ins. A key result opens its full check-in history; under it, the
 * work serving it (work items linked `kr:<id>`, ML projects and experiments).
 */
export function OkrsPage() {
  const { query } = useLocation();
  const period = query.get('period');
  const periods = useApi<ListOkrPeriodsResponse>('/api/v1/okrs/periods');
  const report = useApi<OkrReport>(`/api/v1/okrs${period ? `?period=${encodeURIComponent(period)}` : ''}`);

  if (report.state === 'loading') return <p className="muted">Loading OKRs…</p>;
  if (report.state === 'error') return <p className="error">Could not load the OKRs: {report.error.message}</p>;
  const data = report.data;
  const options = periods.state === 'ready' ? periods.data.items : [];

  return (
    <section className="okrs">
      <h1>OKRs</h1>
      <p className="lead">
        {data.period ? (
          <>
            {data.period.id} ({data.period.start} to {data.period.end}): {Math.round((data.expectedProgress ?? 0) * 100)}% of the period has
            passed.
          </>
        ) : (
          'No objectives in this period.'
        )}
      </p>
      {options.length > 0 && (
        <nav className="okr-periods" aria-label="Periods">
          {options.map((p) => (
            <a key={p.id} {...linkProps(`/okrs?period=${p.id}`)} aria-current={p.id === data.period?.id ? 'page' : undefined}>
              {p.id}
            </a>
          ))}
        </nav>
      )}
      {data.objectives.length === 0 ? (
        <div className="empty-state">
          <p>
            Define objectives under <code>okrs:</code> in sextant.yaml, or with <code>PUT /api/v1/okrs/objectives/&#123;id&#125;</code>.
          </p>
        </div>
      ) : (
        <>
          <div className="cards">
            <span className="card" data-testid="okr-score">
              <span className="card-value">{data.score?.toFixed(2)}</span>
              <span className="card-label">company score ({data.band})</span>
            </span>
            <span className="card">
              <span className="card-value">{data.objectives.flatMap((o) => o.keyResults).filter((kr) => kr.behind).length}</span>
              <span className="card-label">key results behind</span>
            </span>
            <span className="card">
              <span className="card-value">{data.objectives.filter((o) => o.flagged).length}</span>
              <span className="card-label">committed below 1.0 at the end</span>
            </span>
          </div>
          <p className="small muted">
            Bands as Google grades: red below 0.4, yellow from 0.4, green from 0.7. The marker on each bar is the expected progress; a key
            result more than 0.1 below it is behind (definitions: docs/metrics/okrs.md).
          </p>
          {alignmentOrder(data.objectives).map(({ objective, depth }) => (
            <ObjectiveCard key={objective.id} objective={objective} depth={depth} expected={data.expectedProgress ?? 0} />
          ))}
        </>
      )}
    </section>
  );
}

/** Objectives with their parents first and children indented under them. */
function alignmentOrder(objectives: readonly ObjectiveView[]): Array<{ objective: ObjectiveView; depth: number }> {
  const ids = new Set(objectives.map((o) => o.id));
  const children = new Map<string | null, ObjectiveView[]>();
  for (const o of objectives) {
    const parent = o.parentId !== null && ids.has(o.parentId) ? o.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), o]);
  }
  const out: Array<{ objective: ObjectiveView; depth: number }> = [];
  const visit = (parent: string | null, depth: number) => {
    for (const o of children.get(parent) ?? []) {
      out.push({ objective: o, depth });
      visit(o.id, depth + 1);
    }
  };
  visit(null, 0);
  return out;
}

function ObjectiveCard({ objective, depth, expected }: { objective: ObjectiveView; depth: number; expected: number }) {
  return (
    <article
      className="okr-objective panel"
      style={{ marginLeft: `${Math.min(depth, 3) * 24}px` }}
      data-testid={`objective-${objective.id}`}
    >
      <header>
        <h2>
          {objective.title} <span className={`okr-band okr-band-${objective.band}`}>{objective.score.toFixed(2)}</span>
        </h2>
        <p className="small muted">
          {objective.teamId ? <a {...linkProps(`/org?team=${objective.teamId}`)}>{objective.teamId}</a> : 'company'} · {objective.kind}
          {objective.weight !== 1 ? ` · weight ${objective.weight}` : ''}
          {objective.flagged && <strong className="okr-flag"> · committed objective ended below 1.0</strong>}
        </p>
      </header>
      <table>
        <thead>
          <tr>
            <th>Key result</th>
            <th>Now</th>
            <th className="okr-progress-col">Progress against expected</th>
            <th>Confidence</th>
          </tr>
        </thead>
        <tbody>
          {objective.keyResults.map((kr) => (
            <KeyResultRow key={kr.id} kr={kr} expected={expected} />
          ))}
        </tbody>
      </table>
    </article>
  );
}

function KeyResultRow({ kr, expected }: { kr: KeyResultView; expected: number }) {
  const bandName = kr.progress < 0.4 ? 'red' : kr.progress < 0.7 ? 'yellow' : 'green';
  return (
    <tr data-testid={`kr-${kr.id}`} className={kr.behind ? 'okr-behind' : undefined}>
      <td>
        <details>
          <summary>{kr.title}</summary>
          <CheckinHistory kr={kr} />
        </details>
        <ServingWork kr={kr} />
      </td>
      <td className="num">
        {kr.kind === 'milestone' ? (kr.zone ?? 'not started') : kr.current === null ? '–' : `${kr.current}${kr.unit ? ` ${kr.unit}` : ''}`}
        {kr.kind === 'metric' && (
          <div className="small muted">
            {kr.start} → {kr.target}
          </div>
        )}
      </td>
      <td>
        <div className="okr-bar" role="img" aria-label={`progress ${kr.progress.toFixed(2)}, expected ${expected.toFixed(2)}`}>
          <div className={`okr-bar-fill okr-band-${bandName}`} style={{ width: `${kr.progress * 100}%` }} />
          <div className="okr-bar-expected" style={{ left: `${expected * 100}%` }} />
        </div>
        <span className="small">
          {kr.progress.toFixed(2)} <span className={`okr-band okr-band-${bandName}`}>{bandName}</span>
          {kr.behind && <strong className="okr-behind-label"> behind</strong>}
        </span>
      </td>
      <td>
        <ConfidenceTrend trend={kr.confidenceTrend} />
      </td>
    </tr>
  );
}

/** Alignment: the work items and ML work that name this key result; nothing when neither module is installed. */
function ServingWork({ kr }: { kr: KeyResultView }) {
  const { workItems, ml } = kr.serving;
  if (workItems === null && ml === null) return null;
  const items = workItems?.items ?? [];
  const mlWork = ml ?? [];
  const counts = workItems?.counts;
  return (
    <div className="okr-serving small" data-testid="serving">
      <span className="muted">Work serving this key result: </span>
      {items.length === 0 && mlWork.length === 0 ? (
        <span className="muted">
          none yet (link work items <code>kr:{kr.id}</code>, or name it as an ML project&apos;s key result)
        </span>
      ) : (
        <>
          {counts && items.length > 0 && (
            <span data-testid="serving-counts">
              {counts.done} done · {counts.inProgress} in progress · {counts.open} open
              {counts.cancelled > 0 ? ` · ${counts.cancelled} cancelled` : ''}
            </span>
          )}
          <ul className="okr-serving-list">
            {items.map((i) => (
              <li key={`w-${i.id}`} data-state={i.state}>
                <span className={`okr-work-state okr-work-${i.state}`}>{i.state}</span> {i.id} {i.title}{' '}
                <span className="muted">({i.team})</span>
              </li>
            ))}
            {mlWork.map((w) => (
              <li key={`${w.kind}-${w.id}`} data-kind={w.kind}>
                <span className="okr-work-state">ML {w.kind}</span>{' '}
                {w.kind === 'project' ? <a {...linkProps(`/ml?project=${encodeURIComponent(w.id)}`)}>{w.title}</a> : w.title}{' '}
                <span className="muted">({w.status})</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function ConfidenceTrend({ trend }: { trend: KeyResultView['confidenceTrend'] }) {
  if (trend.length === 0) return <span className="muted small">no check-in</span>;
  const width = 120;
  const height = 28;
  const x = (i: number) => (trend.length === 1 ? width / 2 : (i / (trend.length - 1)) * (width - 4) + 2);
  const y = (c: number) => height - 2 - (c / 10) * (height - 4);
  const last = trend[trend.length - 1] as { confidence: number };
  const first = trend[0] as { confidence: number };
  const direction = last.confidence < first.confidence ? 'falling' : last.confidence > first.confidence ? 'rising' : 'steady';
  return (
    <span className="okr-confidence" data-testid="confidence-trend" data-direction={direction}>
      <svg width={width} height={height} role="img" aria-label={`confidence ${trend.map((t) => t.confidence).join(', ')} out of 10`}>
        <polyline
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
          points={trend.map((t, i) => `${x(i)},${y(t.confidence)}`).join(' ')}
        />
      </svg>
      <span className="small">
        {last.confidence}/10 {direction !== 'steady' ? `(${direction})` : ''}
      </span>
    </span>
  );
}

function CheckinHistory({ kr }: { kr: KeyResultView }) {
  if (kr.checkins.length === 0) return <p className="small muted">No check-ins yet: `sextant okr checkin {kr.id}` or the API.</p>;
  return (
    <table className="okr-history small">
      <thead>
        <tr>
          <th>Date</th>
          <th>{kr.kind === 'milestone' ? 'Zone' : 'Value'}</th>
          <th>Confidence</th>
          <th>Comment</th>
        </tr>
      </thead>
      <tbody>
        {kr.checkins.map((c) => (
          <tr key={c.id} className={c.correctedBy ? 'okr-corrected' : undefined}>
            <td>
              {c.at.slice(0, 10)}
              {c.correctsId && <span className="muted"> (correction)</span>}
            </td>
            <td>{kr.kind === 'milestone' ? c.zone : c.value}</td>
            <td>{c.confidence ?? ''}</td>
            <td>
              {c.comment}
              {c.author && <span className="muted"> — {c.author}</span>}
              {c.correctedBy && <span className="muted"> (corrected)</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
