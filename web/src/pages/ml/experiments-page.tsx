import { useMemo, useState } from 'react';
import { useApi } from '../../api/client.js';
import { Chart, type ChartOption } from '../../components/chart.js';
import type { GetExperimentVelocityResponse, GetWorkspaceResponse, ListExperimentsResponse } from '../../api/types.js';

type VelocityWeek = GetExperimentVelocityResponse['weeks'][number];
import './ml.css';

const DECISION_COLOURS = { adopt: '#1a7f37', iterate: '#0969da', kill: '#8250df' } as const;

/** Experiment velocity per team and week, and the searchable archive of learnings. */
export function ExperimentsPage() {
  const workspace = useApi<GetWorkspaceResponse>('/api/v1/workspace');
  const zone = workspace.state === 'ready' ? workspace.data.timezone : null;
  const velocity = useApi<GetExperimentVelocityResponse>(
    zone === null ? null : `/api/v1/experiments/velocity?timezone=${encodeURIComponent(zone)}`,
  );
  const [team, setTeam] = useState<string>('');
  const teams = useMemo(() => (velocity.state === 'ready' ? [...new Set(velocity.data.weeks.map((w) => w.teamId))] : []), [velocity]);
  const shownTeam = team || teams[0] || '';
  const option = useMemo(
    () => (velocity.state === 'ready' ? velocityChart(velocity.data.weeks.filter((w) => w.teamId === shownTeam)) : null),
    [velocity, shownTeam],
  );
  const weeks = velocity.state === 'ready' ? velocity.data.weeks.filter((w) => w.teamId === shownTeam) : [];
  const concluded = weeks.reduce((sum, w) => sum + w.concluded, 0);
  const recent = weeks.slice(-12);
  const recentCount = recent.reduce((sum, w) => sum + w.concluded, 0);

  return (
    <section>
      <h1>Experiments</h1>
      <p className="lead">
        The ticket is the experiment; the outcome is learning. Velocity = experiments concluded (with a decision and a learning) per team
        per ISO week in {zone ?? 'the workspace zone'}, with the median days from start to decision. A kill counts as much as an adopt.
      </p>
      {velocity.state === 'error' && <p className="error">Could not load the velocity: {velocity.error.message}</p>}
      {velocity.state === 'ready' && weeks.length === 0 && (
        <div className="empty-state" role="status">
          <p>No concluded experiments yet.</p>
          <p className="muted">
            Start one with <code>sextant experiment start</code>; conclude it with <code>sextant experiment conclude</code>.
          </p>
        </div>
      )}
      {weeks.length > 0 && (
        <>
          <div className="ml-search">
            <label>
              Team{' '}
              <select value={shownTeam} onChange={(e) => setTeam(e.target.value)} data-testid="team">
                {teams.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            </label>
          </div>
          <div className="cards">
            <span className="card">
              <span className="card-value">{concluded}</span>
              <span className="card-label">concluded since {weeks[0]?.weekStart}</span>
            </span>
            <span className="card" data-testid="recent-velocity">
              <span className="card-value">{(recentCount / Math.max(1, recent.length)).toFixed(1)}</span>
              <span className="card-label">per week over the last {recent.length} weeks</span>
            </span>
          </div>
          {option && <Chart option={option} ariaLabel={`Experiments concluded per week by ${shownTeam}`} height={300} />}
        </>
      )}
      <Archive />
    </section>
  );
}

function velocityChart(weeks: VelocityWeek[]): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 48, top: 32, bottom: 40 },
    xAxis: { type: 'category', data: weeks.map((w) => w.week) },
    yAxis: [
      { type: 'value', name: 'concluded', minInterval: 1 },
      { type: 'value', name: 'median days', position: 'right' },
    ],
    series: [
      ...(['adopt', 'iterate', 'kill'] as const).map((decision) => ({
        name: decision,
        type: 'bar',
        stack: 'decisions',
        itemStyle: { color: DECISION_COLOURS[decision] },
        data: weeks.map((w) => w.byDecision[decision]),
      })),
      {
        name: 'median days to decision',
        type: 'line',
        yAxisIndex: 1,
        connectNulls: false,
        itemStyle: { color: '#bf8700' },
        data: weeks.map((w) => (w.medianDaysToDecision === null ? null : Number(w.medianDaysToDecision.toFixed(1)))),
      },
    ],
  };
}

function Archive() {
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const list = useApi<ListExperimentsResponse>(`/api/v1/experiments?concluded=true&limit=200${q ? `&q=${encodeURIComponent(q)}` : ''}`);
  return (
    <>
      <h2>Learnings archive</h2>
      <form
        className="ml-search"
        onSubmit={(event) => {
          event.preventDefault();
          setQ(text.trim());
        }}
      >
        <input
          type="search"
          placeholder="Search hypotheses, metrics and learnings"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-label="Search learnings"
          data-testid="search"
        />
        <button type="submit">Search</button>
      </form>
      {list.state === 'loading' && <p className="muted">Loading…</p>}
      {list.state === 'error' && <p className="error">Could not load experiments: {list.error.message}</p>}
      {list.state === 'ready' && (
        <div className="table-scroll">
          <table data-testid="archive">
            <thead>
              <tr>
                <th>Decided</th>
                <th>Team</th>
                <th>Hypothesis</th>
                <th>Decision</th>
                <th className="num">Days</th>
                <th>Learning</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((e) => (
                <tr key={e.id}>
                  <td>{e.decidedAt?.slice(0, 10)}</td>
                  <td>{e.team}</td>
                  <td>
                    {e.hypothesis} <span className="muted small">{e.id}</span>
                  </td>
                  <td>{e.decision}</td>
                  <td className="num">{e.daysToDecision}</td>
                  <td>{e.learning}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.data.items.length === 0 && <p className="muted">No concluded experiment matches “{q}”.</p>}
          {list.data.nextCursor && <p className="muted small">Showing the 200 most recent; narrow the search to see others.</p>}
        </div>
      )}
    </>
  );
}
