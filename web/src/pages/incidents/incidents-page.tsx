import { useMemo } from 'react';
import { useApi } from '../../api/client.js';
import { Chart, type ChartOption } from '../../components/chart.js';
import { ServiceLink } from '../../components/entity-link.js';
import { linkProps, navigate, useLocation } from '../../router.js';
import { IncidentDetail } from './incident-detail.js';
import {
  formatInstant,
  formatSeconds,
  percent,
  type IncidentItem,
  type IncidentMetrics,
  type RemediationItemView,
} from './incidents-api.js';
import './incidents.css';

const FILTERS = ['team', 'service', 'severity', 'status'] as const;
const STATUSES = ['triage', 'investigating', 'identified', 'monitoring', 'resolved', 'closed'];

/** The Incidents page: metrics with trends, overdue actions and the filtered list; `/incidents/<id>` is one incident. */
export function IncidentsPage() {
  const { path } = useLocation();
  const id = path.startsWith('/incidents/') ? decodeURIComponent(path.slice('/incidents/'.length)) : null;
  return id ? <IncidentDetail id={id} /> : <IncidentList />;
}

function IncidentList() {
  const { query } = useLocation();
  const filter = new URLSearchParams();
  for (const key of FILTERS) {
    const value = query.get(key);
    if (value) filter.set(key, value);
  }
  const filterText = filter.toString();
  const metrics = useApi<IncidentMetrics>(`/api/v1/incidents/metrics${filterText ? `?${filterText}` : ''}`);
  const list = useApi<{ items: IncidentItem[] }>(`/api/v1/incidents?limit=1000${filterText ? `&${filterText}` : ''}`);
  const teams = useApi<{ items: Array<{ id: string; name: string }> }>('/api/v1/org/teams?limit=1000');
  const services = useApi<{ items: Array<{ id: string; name: string }> }>('/api/v1/org/services?limit=1000');
  const severities = useApi<{ items: Array<{ name: string; description: string }> }>('/api/v1/incidents/severities');
  const trend = useMemo(() => (metrics.state === 'ready' ? trendChart(metrics.data) : null), [metrics]);

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(filterText);
    if (value) next.set(key, value);
    else next.delete(key);
    const text = next.toString();
    navigate(`/incidents${text ? `?${text}` : ''}`);
  };
  const options = (loadable: typeof teams) =>
    loadable.state === 'ready' ? loadable.data.items.map((i) => ({ value: i.id, label: i.name })) : [];

  return (
    <section className="incidents">
      <h1>Incidents</h1>
      <p className="lead">
        Incidents, how fast they were acknowledged, mitigated and resolved, and whether their postmortems and remediation items were done.
        Game days (drills) are listed but not counted.
      </p>
      <div className="filters" role="group" aria-label="Filters">
        <Select label="Team" value={query.get('team') ?? ''} options={options(teams)} onChange={(v) => setFilter('team', v)} />
        <Select label="Service" value={query.get('service') ?? ''} options={options(services)} onChange={(v) => setFilter('service', v)} />
        <Select
          label="Severity"
          value={query.get('severity') ?? ''}
          options={
            severities.state === 'ready' ? severities.data.items.map((s) => ({ value: s.name, label: `${s.name} — ${s.description}` })) : []
          }
          onChange={(v) => setFilter('severity', v)}
        />
        <Select
          label="Status"
          value={query.get('status') ?? ''}
          options={STATUSES.map((s) => ({ value: s, label: s }))}
          onChange={(v) => setFilter('status', v)}
        />
      </div>
      {metrics.state === 'error' && <p className="error">Could not load the metrics: {metrics.error.message}</p>}
      {metrics.state === 'ready' && <MetricCards metrics={metrics.data} />}
      {trend && (
        <div className="panel">
          <h2>Trend</h2>
          <Chart option={trend} height={240} ariaLabel="Incidents per month and median time to resolve" />
        </div>
      )}
      {metrics.state === 'ready' && <OverdueActions items={metrics.data.overdueActions} />}
      <h2 id="list">Incidents</h2>
      {list.state === 'loading' && <p className="muted">Loading incidents…</p>}
      {list.state === 'error' && <p className="error">Could not load the incidents: {list.error.message}</p>}
      {list.state === 'ready' && (
        <IncidentTable incidents={list.data.items} repeats={metrics.state === 'ready' ? metrics.data.repeats : []} />
      )}
    </section>
  );
}

function Select(props: {
  label: string;
  value: string;
  options: Array<{ value: string; label: string }>;
  onChange: (value: string) => void;
}) {
  return (
    <label className="filter">
      <span className="small muted">{props.label}</span>
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)} aria-label={props.label}>
        <option value="">All</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

function MetricCards({ metrics }: { metrics: IncidentMetrics }) {
  const r = metrics.response;
  const duration = (label: string, s: IncidentMetrics['response']['mtta'], testId: string) => (
    <span className="card" data-testid={testId}>
      <span className="card-value">{formatSeconds(s.p50Seconds)}</span>
      <span className="card-label">
        {label} p50 · p90 {formatSeconds(s.p90Seconds)} · mean {formatSeconds(s.meanSeconds)} ({s.count} incidents)
      </span>
    </span>
  );
  const pm = metrics.postmortems;
  const rem = metrics.remediation;
  return (
    <div className="cards">
      <a className="card" href="#list" data-testid="count-incidents">
        <span className="card-value">{r.incidents}</span>
        <span className="card-label">
          incidents ({r.open} open, {r.drills} drills not counted)
        </span>
      </a>
      {duration('MTTA', r.mtta, 'mtta')}
      {duration('MTTM', r.mttm, 'mttm')}
      {duration('MTTR', r.mttr, 'mttr')}
      <span className="card" data-testid="postmortem-completion">
        <span className="card-value">{percent(pm.completionRate)}</span>
        <span className="card-label">
          postmortems published ({pm.published} of {pm.required} required; {pm.overdue} overdue; median{' '}
          {pm.medianDaysToPublish === null ? '—' : `${pm.medianDaysToPublish.toFixed(1)} d`} to publish)
        </span>
      </span>
      <a className="card" href="#overdue" data-testid="remediation">
        <span className="card-value">{rem.overdue}</span>
        <span className="card-label">
          remediation items overdue ({rem.open} open; {percent(rem.closedByDueDateShare)} closed by the due date)
        </span>
      </a>
      <span className="card" data-testid="repeats">
        <span className="card-value">{metrics.repeats.length}</span>
        <span className="card-label">repeat incidents (same service and tag within 30 days)</span>
      </span>
    </div>
  );
}

function OverdueActions({ items }: { items: RemediationItemView[] }) {
  const byTeam = new Map<string, RemediationItemView[]>();
  for (const item of items) byTeam.set(item.teamId ?? 'no team', [...(byTeam.get(item.teamId ?? 'no team') ?? []), item]);
  return (
    <div className="panel" id="overdue">
      <h2>Overdue remediation items</h2>
      {items.length === 0 ? (
        <p className="muted">None: every open item is within its due date.</p>
      ) : (
        <table data-testid="overdue-actions">
          <thead>
            <tr>
              <th>Team</th>
              <th>Item</th>
              <th>Owner</th>
              <th>Due</th>
              <th>Status</th>
              <th>Incident</th>
            </tr>
          </thead>
          <tbody>
            {[...byTeam].flatMap(([team, list]) =>
              list.map((item) => (
                <tr key={item.id}>
                  <td>{team}</td>
                  <td>{item.description}</td>
                  <td>{item.owner}</td>
                  <td className="overdue">{item.dueAt.slice(0, 10)}</td>
                  <td>{item.status}</td>
                  <td>
                    <a {...linkProps(`/incidents/${encodeURIComponent(item.incidentId)}`)}>{item.incidentId}</a>
                  </td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
    </div>
  );
}

function IncidentTable({ incidents, repeats }: { incidents: IncidentItem[]; repeats: IncidentMetrics['repeats'] }) {
  if (incidents.length === 0)
    return (
      <div className="empty-state">
        <p>No incidents match.</p>
        <p className="muted small">
          Incidents arrive through <code>POST /api/v1/incidents</code>, <code>sextant incident record</code>, and Alertmanager or PagerDuty
          webhooks.
        </p>
      </div>
    );
  const repeatOf = new Map(repeats.map((r) => [r.id, r]));
  return (
    <table data-testid="incident-table">
      <thead>
        <tr>
          <th>Incident</th>
          <th>Service</th>
          <th>Severity</th>
          <th>Status</th>
          <th>Impact started</th>
          <th className="num">Time to resolve</th>
          <th>Postmortem</th>
        </tr>
      </thead>
      <tbody>
        {incidents.map((i) => {
          const ttr = i.resolvedAt === null ? null : (Date.parse(i.resolvedAt) - Date.parse(i.impactStartedAt)) / 1000;
          const repeat = repeatOf.get(i.id);
          return (
            <tr key={i.id}>
              <td>
                <a {...linkProps(`/incidents/${encodeURIComponent(i.id)}`)}>{i.title}</a>
                {i.drill && <span className="badge badge-drill">game day</span>}
                {repeat && (
                  <span className="badge badge-repeat" title={`Repeats ${repeat.repeats} (${repeat.tag})`}>
                    repeat
                  </span>
                )}
              </td>
              <td>{i.service ? <ServiceLink id={i.service} /> : '—'}</td>
              <td>{i.severity ?? '—'}</td>
              <td>{i.status}</td>
              <td>{formatInstant(i.impactStartedAt)}</td>
              <td className="num">{formatSeconds(ttr)}</td>
              <td>{i.postmortemStatus ?? '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function trendChart(metrics: IncidentMetrics): ChartOption {
  const months = metrics.monthly.map((m) => m.month);
  return {
    tooltip: { trigger: 'axis' },
    legend: { data: ['Incidents', 'MTTR p50 (h)'] },
    grid: { left: 40, right: 50, top: 30, bottom: 30 },
    xAxis: { type: 'category', data: months },
    yAxis: [
      { type: 'value', name: 'incidents', minInterval: 1 },
      { type: 'value', name: 'hours' },
    ],
    series: [
      { name: 'Incidents', type: 'bar', data: metrics.monthly.map((m) => m.incidents) },
      {
        name: 'MTTR p50 (h)',
        type: 'line',
        yAxisIndex: 1,
        data: metrics.monthly.map((m) => (m.mttrP50Seconds === null ? null : +(m.mttrP50Seconds / 3600).toFixed(2))),
      },
    ],
  };
}
