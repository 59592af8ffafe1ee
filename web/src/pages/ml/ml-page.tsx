import { useEffect, useState } from 'react';
import { getAll, useApi } from '../../api/client.js';
import { linkProps, useLocation } from '../../router.js';
import type { GetMlMonthlyReviewResponse, GetWorkspaceResponse, MlProject, MlProjectSummary } from '../../api/types.js';
import './ml.css';

const PHASES: Array<[string, string]> = [
  ['data-assessment', 'Data assessment'],
  ['poc', 'Proof of concept'],
  ['go-no-go', 'Go/no-go'],
  ['productionisation', 'Productionisation'],
  ['iteration', 'Iteration'],
  ['killed', 'Killed (learning recorded)'],
];
const phaseLabel = (name: string) => PHASES.find(([id]) => id === name)?.[1] ?? name;

/** The ML portfolio by phase, a project's page, and the monthly model review. */
export function MlPage() {
  const { query } = useLocation();
  const project = query.get('project');
  const review = query.get('review');
  if (project) return <ProjectPage id={project} />;
  if (review) return <ReviewPage month={review} />;
  return <Portfolio />;
}

function useAll<T>(path: string): { state: 'loading' } | { state: 'error'; error: Error } | { state: 'ready'; data: T[] } {
  const [result, setResult] = useState<{ state: 'loading' } | { state: 'error'; error: Error } | { state: 'ready'; data: T[] }>({
    state: 'loading',
  });
  useEffect(() => {
    let cancelled = false;
    getAll<T>(path).then(
      (data) => !cancelled && setResult({ state: 'ready', data }),
      (error: Error) => !cancelled && setResult({ state: 'error', error }),
    );
    return () => {
      cancelled = true;
    };
  }, [path]);
  return result;
}

function Flags({ flags }: { flags: string[] }) {
  return (
    <>
      {flags.map((flag) => (
        <span key={flag} className={`ml-flag${flag === 'kill criterion met' ? ' ml-flag-kill' : ''}`} data-testid="flag">
          {flag}
        </span>
      ))}
    </>
  );
}

function thisMonth(): string {
  return new Date().toISOString().slice(0, 7);
}

function Portfolio() {
  const projects = useAll<MlProjectSummary>('/api/v1/ml/projects');
  if (projects.state === 'loading') return <p className="muted">Loading ML projects…</p>;
  if (projects.state === 'error') return <p className="error">Could not load the ML projects: {projects.error.message}</p>;
  const list = projects.data;
  if (list.length === 0) {
    return (
      <section>
        <h1>ML projects</h1>
        <div className="empty-state" role="status">
          <p>No ML projects yet.</p>
          <p className="muted">
            Add one with <code>sextant ml project add</code> or <code>POST /api/v1/ml/projects</code>.
          </p>
        </div>
      </section>
    );
  }
  const open = list.filter((p) => p.openKillFlags.length > 0).length;
  return (
    <section>
      <h1>ML projects</h1>
      <p className="lead">
        The portfolio by phase: the team’s confidence, P50/P90 end dates (10,000 seeded draws over the remaining phases) and flags.{' '}
        <a {...linkProps(`/ml?review=${thisMonth()}`)}>Monthly model review →</a>
      </p>
      <div className="cards">
        <span className="card">
          <span className="card-value">{list.filter((p) => p.status === 'active').length}</span>
          <span className="card-label">active projects</span>
        </span>
        <span className="card" data-testid="count-kill-flags">
          <span className="card-value">{open}</span>
          <span className="card-label">kill criteria met, awaiting a decision</span>
        </span>
        <span className="card">
          <span className="card-value">{list.filter((p) => p.status === 'killed').length}</span>
          <span className="card-label">killed with a learning</span>
        </span>
      </div>
      <div className="ml-board" data-testid="ml-board">
        {PHASES.map(([phase, label]) => {
          const inPhase = list.filter((p) => (p.status === 'killed' ? 'killed' : p.phase) === phase);
          return (
            <div key={phase} className="ml-column" data-testid={`column-${phase}`}>
              <h2>
                {label} <span className="muted">{inPhase.length}</span>
              </h2>
              {inPhase.map((p) => (
                <a key={p.id} className="ml-card" data-testid={`project-${p.id}`} {...linkProps(`/ml?project=${encodeURIComponent(p.id)}`)}>
                  <strong>{p.name}</strong>
                  <span className="muted small">
                    {p.teams.join(', ')} · {p.confidence === null ? 'confidence not stated' : `${p.confidence}% confident`}
                  </span>
                  {p.p50 !== null && (
                    <div className="ml-dates" data-testid="dates">
                      P50 <span data-testid="p50">{p.p50}</span> · P90 <span data-testid="p90">{p.p90}</span>
                    </div>
                  )}
                  {p.committable === false && <div className="ml-note">{p.label}</div>}
                  {p.status === 'killed' && p.learning && <div className="small">{p.learning}</div>}
                  <Flags flags={p.flags} />
                </a>
              ))}
            </div>
          );
        })}
      </div>
    </section>
  );
}

const day = (iso: string | null) => (iso === null ? '—' : iso.slice(0, 10));

function Timeline({ project }: { project: MlProject }) {
  const starts = project.timeline.map((e) => Date.parse(e.start as string));
  const forecastEnds = (project.forecast?.phases ?? []).map((p) => Date.parse(p.p90));
  const from = Math.min(...starts);
  const to = Math.max(Date.now(), ...forecastEnds, ...project.timeline.map((e) => (e.end ? Date.parse(e.end) : Date.now())));
  const span = Math.max(1, to - from);
  const pos = (ms: number) => `${(((ms - from) / span) * 100).toFixed(2)}%`;
  const width = (a: number, b: number) => `${Math.max(0.5, ((b - a) / span) * 100).toFixed(2)}%`;
  return (
    <div className="ml-timeline" data-testid="timeline">
      {project.plan.map((plan) => {
        const entries = project.timeline.filter((e) => e.phase === plan.name);
        const forecast = project.forecast?.phases.find((p) => p.name === plan.name && p.status !== 'done');
        const forecastStart = forecast
          ? forecast.status === 'active'
            ? Date.now()
            : Date.parse((project.forecast?.phases[project.forecast.phases.indexOf(forecast) - 1]?.p50 ?? project.forecast?.at) as string)
          : 0;
        return (
          <div key={plan.name} className="ml-timeline-row">
            <span>
              {phaseLabel(plan.name)} <span className="muted small">{`${plan.min}-${plan.max} d`}</span>
            </span>
            <div className="ml-timeline-track">
              {entries.map((e) => {
                const a = Date.parse(e.start as string);
                const b = e.end ? Date.parse(e.end) : Date.now();
                return (
                  <span
                    key={e.seq}
                    className="ml-timeline-bar"
                    style={{ left: pos(a), width: width(a, b) }}
                    title={`${day(e.start)} – ${e.end ? day(e.end) : 'now'}`}
                  />
                );
              })}
              {forecast && (
                <span
                  className="ml-timeline-bar forecast"
                  style={{ left: pos(forecastStart), width: width(forecastStart, Date.parse(forecast.p90)) }}
                  title={`forecast: P50 ${forecast.p50}, P90 ${forecast.p90}`}
                />
              )}
            </div>
          </div>
        );
      })}
    </div>
  );
}

function ProjectPage({ id }: { id: string }) {
  const loaded = useApi<MlProject>(`/api/v1/ml/projects/${encodeURIComponent(id)}`);
  if (loaded.state === 'loading') return <p className="muted">Loading {id}…</p>;
  if (loaded.state === 'error')
    return (
      <p className="error">
        Could not load ML project “{id}”: {loaded.error.message}
      </p>
    );
  const p = loaded.data;
  return (
    <section>
      <p className="small">
        <a {...linkProps('/ml')}>← Portfolio</a>
      </p>
      <h1>{p.name}</h1>
      <p className="lead">
        {p.status === 'killed' ? 'Killed' : phaseLabel(p.phase)} · product owner {p.productOwner ?? '—'} · sponsor{' '}
        {p.businessSponsor ?? '—'} · teams {p.teams.join(', ')} · moves {p.businessMetric ?? p.businessMetricId ?? '—'}
        {p.businessMetricValue && (
          <span data-testid="business-metric-value">
            {' '}
            (now {p.businessMetricValue.value} on {p.businessMetricValue.date})
          </span>
        )}{' '}
        · production path {p.productionPath ?? 'not agreed'}
        {p.keyResult ? ` · serves ${p.keyResult}` : ''}
      </p>
      <Flags flags={p.flags} />
      {p.learning && (
        <div className="panel">
          <strong>Learning:</strong> {p.learning}
        </div>
      )}
      <div className="cards">
        <span className="card">
          <span className="card-value">{p.confidence === null ? '—' : `${p.confidence}%`}</span>
          <span className="card-label">confidence the approach will work</span>
        </span>
        <span className="card">
          <span className="card-value">{p.quality.latest ? p.quality.latest.value : '—'}</span>
          <span className="card-label">
            {p.qualityMetric} (minimum viable {p.qualityDirection === 'higher' ? '≥' : '≤'} {p.minQuality})
          </span>
        </span>
        <span className="card" data-testid="forecast">
          <span className="card-value">{p.p50 ?? '—'}</span>
          <span className="card-label">
            P50 end · P90 {p.p90 ?? '—'}
            {p.committable === false ? ` · ${p.label}` : ''}
            {p.forecast
              ? ` · from ${p.forecast.method === 'history' ? "past projects' durations" : p.forecast.method === 'mixed' ? 'ranges and past durations' : 'planned ranges'}`
              : ''}
          </span>
        </span>
      </div>
      <h2>Phases</h2>
      <Timeline project={p} />
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th>Phase</th>
              <th>Planned</th>
              <th>Status</th>
              <th>P50</th>
              <th>P90</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(p.forecast?.phases ?? []).map((f) => (
              <tr key={f.name}>
                <td>{phaseLabel(f.name)}</td>
                <td>{`${f.min}-${f.max} days`}</td>
                <td>
                  {f.status}
                  {f.overdue ? ' (overdue)' : ''}
                </td>
                <td>{f.p50}</td>
                <td>{f.p90}</td>
                <td className="ml-note">{f.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Gate decisions</h2>
      {p.gates.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <div className="table-scroll">
          <table data-testid="gates">
            <thead>
              <tr>
                <th>Phase</th>
                <th>Decision</th>
                <th>By</th>
                <th>On</th>
                <th>Evidence</th>
                <th>Checklist</th>
              </tr>
            </thead>
            <tbody>
              {p.gates.map((g) => (
                <tr key={g.seq}>
                  <td>{phaseLabel(g.phase)}</td>
                  <td>
                    <strong>{g.decision}</strong>
                    {g.pivotTo ? ` → ${phaseLabel(g.pivotTo)}` : ''}
                  </td>
                  <td>{g.decidedBy}</td>
                  <td>{day(g.decidedAt)}</td>
                  <td>{g.evidence.join('; ')}</td>
                  <td className="small">
                    {Object.entries(g.checklist)
                      .map(([item, yes]) => `${p.checklist.find((c) => c.id === item)?.label ?? item}: ${yes ? 'yes' : 'no'}`)
                      .join(' · ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Kill criteria</h2>
      {p.killCriteria.length === 0 ? (
        <p className="muted">None defined.</p>
      ) : (
        <div className="table-scroll">
          <table data-testid="kill-criteria">
            <thead>
              <tr>
                <th>Criterion</th>
                <th>Status</th>
                <th>Evidence</th>
                <th>Flag</th>
              </tr>
            </thead>
            <tbody>
              {p.killCriteria.map((k) => (
                <tr key={k.id}>
                  <td>{k.description}</td>
                  <td className={`ml-status-${k.status}`}>{k.status}</td>
                  <td>{k.evidence}</td>
                  <td>
                    {k.flag
                      ? k.flag.resolvedAt
                        ? `answered ${day(k.flag.resolvedAt)} (${k.flag.resolvedBy})`
                        : `open since ${day(k.flag.metAt)}`
                      : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Failure-mode detectors</h2>
      <div className="table-scroll">
        <table data-testid="detectors">
          <tbody>
            {p.detectors.map((d) => (
              <tr key={d.detector}>
                <td>{d.detector}</td>
                <td className={`ml-status-${d.status}`}>{d.status}</td>
                <td>{d.evidence.join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Experiments</h2>
      {p.experiments.length === 0 ? (
        <p className="muted">No experiments linked to this project.</p>
      ) : (
        <div className="table-scroll">
          <table data-testid="project-experiments">
            <thead>
              <tr>
                <th>Experiment</th>
                <th>Started</th>
                <th>Decision</th>
                <th>Learning</th>
              </tr>
            </thead>
            <tbody>
              {p.experiments.map((e) => (
                <tr key={e.id}>
                  <td>
                    <strong>{e.id}</strong> <span className="small">{e.hypothesis}</span>
                  </td>
                  <td>{day(e.startedAt)}</td>
                  <td>{e.decision ?? 'running'}</td>
                  <td>{e.learning ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function download(name: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

function ReviewPage({ month }: { month: string }) {
  const workspace = useApi<GetWorkspaceResponse>('/api/v1/workspace');
  const zone = workspace.state === 'ready' ? workspace.data.timezone : null;
  const review = useApi<GetMlMonthlyReviewResponse>(
    zone === null ? null : `/api/v1/ml/review?month=${encodeURIComponent(month)}&timezone=${encodeURIComponent(zone)}`,
  );
  const [year, m] = month.split('-').map(Number) as [number, number];
  const shift = (delta: number) => {
    const d = new Date(Date.UTC(year, m - 1 + delta, 1));
    return d.toISOString().slice(0, 7);
  };
  return (
    <section>
      <p className="small">
        <a {...linkProps('/ml')}>← Portfolio</a>
      </p>
      <h1>Monthly model review — {month}</h1>
      <p className="lead">
        <a {...linkProps(`/ml?review=${shift(-1)}`)}>← {shift(-1)}</a> · <a {...linkProps(`/ml?review=${shift(1)}`)}>{shift(1)} →</a>
      </p>
      {review.state === 'loading' && <p className="muted">Loading the review…</p>}
      {review.state === 'error' && <p className="error">Could not load the review: {review.error.message}</p>}
      {review.state === 'ready' && (
        <>
          <p>
            <button type="button" onClick={() => download(`model-review-${month}.md`, 'text/markdown', review.data.markdown)}>
              Export Markdown
            </button>{' '}
            <button type="button" onClick={() => download(`model-review-${month}.html`, 'text/html', review.data.html)}>
              Export HTML
            </button>
          </p>
          <iframe
            className="ml-review-frame"
            title={`Monthly model review ${month}`}
            sandbox=""
            srcDoc={review.data.html}
            data-testid="review"
          />
        </>
      )}
    </section>
  );
}
