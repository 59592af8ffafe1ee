import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { getAll, useApi } from '../../api/client.js';
import type {
  DeliveryChange,
  DeliveryDeploymentDetail,
  DeliveryDeploymentListRow,
  DeliveryIncident,
  DeliverySummary,
  DeliveryTrend,
  Service,
  Team,
  Workspace,
} from '../../api/types.js';
import { Chart, type ChartOption } from '../../components/chart.js';
import { DataTable, type Column } from '../../components/data-table.js';
import { DrillDownList, usePagedList } from '../../components/drill-down.js';
import { EntityLink, ServiceLink } from '../../components/entity-link.js';
import { StatCard, StatCards } from '../../components/stat-card.js';
import { linkProps, navigate, useLocation } from '../../router.js';
import { describeReason, formatDuration, formatPercent, formatTime, type Tier } from './delivery-api.js';
import './delivery.css';

const PERIODS = [30, 90, 180, 365];
/** Rows a drill-down shows at first and adds per "Show more rows" (the API's keyset cursor): a page, not hundreds of rows. */
const PAGE_SIZE = 50;
type View = 'deployments' | 'changes' | 'failed' | 'restored' | 'unplanned' | 'incidents' | 'deployment';

/**
 * The Delivery page: the five DORA metrics for a team, service or
 * environment over a period, each with its DORA tier, a weekly trend, and
 * every figure a link to the rows behind it (`view=...` below the cards).
 */
export function DeliveryPage() {
  const { query } = useLocation();
  const workspace = useApi<Workspace>('/api/v1/workspace');
  const [now] = useState(() => Math.floor(Date.now() / 60_000) * 60_000);
  const period = Number(query.get('period') ?? 90);
  const to = query.get('to') ?? new Date(now).toISOString();
  const from = query.get('from') ?? new Date(Date.parse(to) - period * 86_400_000).toISOString();
  const timeZone = workspace.state === 'ready' ? workspace.data.timezone : null;

  const scope = new URLSearchParams();
  for (const key of ['team', 'service', 'environment']) {
    const value = query.get(key);
    if (value) scope.set(key, value);
  }
  scope.set('from', from);
  scope.set('to', to);
  if (timeZone) scope.set('timezone', timeZone);
  const scopeQuery = scope.toString();

  const summary = useApi<DeliverySummary>(timeZone ? `/api/v1/delivery/summary?${scopeQuery}` : null);
  const trend = useApi<DeliveryTrend>(timeZone ? `/api/v1/delivery/trend?${scopeQuery}&interval=${trendInterval(from, to)}` : null);
  const view = query.get('view') as View | null;

  const pageLink = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(query);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    return `/delivery?${next.toString()}`;
  };

  return (
    <section>
      <h1>Delivery</h1>
      <p className="lead">
        DORA metrics from deployments, the changes they ship and the incidents they cause. Click any figure for its rows.
      </p>
      <Filters
        period={period}
        from={from}
        to={to}
        timeZone={timeZone ?? 'UTC'}
        dataRange={summary.state === 'ready' ? summary.data.dataRange : null}
        pageLink={pageLink}
      />
      {summary.state === 'error' && <p className="error">Could not load delivery metrics: {summary.error.message}</p>}
      {summary.state === 'loading' && <p className="muted">Loading delivery metrics…</p>}
      {summary.state === 'ready' && summary.data.deployments.count === 0 && (
        <EmptyWindow summary={summary.data} period={period} timeZone={timeZone ?? 'UTC'} pageLink={pageLink} />
      )}
      {summary.state === 'ready' && <MetricCards summary={summary.data} pageLink={pageLink} />}
      {/* An empty window has the notice above instead of a chart of flat lines. */}
      {trend.state === 'ready' && trend.data.points.length > 1 && !(summary.state === 'ready' && summary.data.deployments.count === 0) && (
        <TrendChart trend={trend.data} pageLink={pageLink} />
      )}
      {/* Keyed so a new view never renders the previous view's rows while its own load. */}
      {view && (
        <Rows
          key={`${view}|${scopeQuery}|${query.get('id')}`}
          view={view}
          scopeQuery={scopeQuery}
          id={query.get('id')}
          pageLink={pageLink}
        />
      )}
    </section>
  );
}

/** An instant's calendar date (YYYY-MM-DD) in a time zone. */
function localDate(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/** Weekly bars beyond half a year become hairlines: months instead. */
function trendInterval(from: string, to: string): 'week' | 'month' {
  return Date.parse(to) - Date.parse(from) > 26 * 7 * 86_400_000 ? 'month' : 'week';
}

/** The instant a calendar date (YYYY-MM-DD) starts in a time zone (its local midnight). */
function zonedMidnight(date: string, timeZone: string): number {
  const utc = Date.parse(`${date}T00:00:00Z`);
  const offsetAt = (ms: number) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      })
        .formatToParts(new Date(ms))
        .map((p) => [p.type, p.value]),
    );
    return Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!) - ms;
  };
  // Twice: the offset at the first guess may differ across a daylight-saving change.
  const guess = utc - offsetAt(utc);
  return utc - offsetAt(guess);
}

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The `period` days ending with the local day of the latest deployment: where "latest data" and the empty-window link go. */
function latestWindow(last: string, period: number, timeZone: string): { from: string; to: string } {
  const lastDay = localDate(last, timeZone);
  return {
    from: new Date(zonedMidnight(addDays(lastDay, 1 - period), timeZone)).toISOString(),
    to: new Date(zonedMidnight(addDays(lastDay, 1), timeZone)).toISOString(),
  };
}

/** No deployment finished in the window: say where the data is instead of a row of zeros. */
function EmptyWindow({
  summary,
  period,
  timeZone,
  pageLink,
}: {
  summary: DeliverySummary;
  period: number;
  timeZone: string;
  pageLink: (changes: Record<string, string | null>) => string;
}) {
  const range = summary.dataRange;
  const from = localDate(summary.window.from, timeZone);
  const to = localDate(new Date(Date.parse(summary.window.to) - 1).toISOString(), timeZone);
  if (range === null) {
    return (
      <p className="notice" data-testid="empty-window">
        No deployments are recorded for this scope yet. Record them with <code>sextant deploy record</code> or the API, or derive them from
        release tags with <code>delivery.tagDeployments</code> in sextant.yaml (<code>sextant help config</code>).
      </p>
    );
  }
  const latest = latestWindow(range.last, period, timeZone);
  const lastDay = localDate(range.last, timeZone);
  return (
    <p className="notice" data-testid="empty-window">
      No deployment finished between {from} and {to}. The latest deployment in this scope finished {lastDay}
      {Date.parse(range.first) > Date.parse(summary.window.to) ? ` and the first ${localDate(range.first, timeZone)}` : ''}:{' '}
      <a {...linkProps(pageLink({ from: latest.from, to: latest.to, view: null, id: null }))} data-testid="show-latest">
        show the {period} days before it
      </a>
      .
    </p>
  );
}

function Filters({
  period,
  from,
  to,
  timeZone,
  dataRange,
  pageLink,
}: {
  period: number;
  from: string;
  to: string;
  timeZone: string;
  dataRange: DeliverySummary['dataRange'];
  pageLink: (changes: Record<string, string | null>) => string;
}) {
  const { query } = useLocation();
  const [options, setOptions] = useState<{ teams: Team[]; services: Service[] } | null>(null);
  useEffect(() => {
    Promise.all([getAll<Team>('/api/v1/org/teams'), getAll<Service>('/api/v1/org/services')]).then(
      ([teams, services]) => setOptions({ teams, services }),
      () => setOptions({ teams: [], services: [] }),
    );
  }, []);
  const service = options?.services.find((s) => s.id === query.get('service'));
  // Names are lower-cased on ingest; lower-casing here too keeps older rows from listing twice.
  const environments = [
    ...new Set((service ? [service] : (options?.services ?? [])).flatMap((s) => s.environments.map((e) => e.name.toLowerCase()))),
  ].sort();
  const fromDay = localDate(from, timeZone);
  const toDay = localDate(new Date(Date.parse(to) - 1).toISOString(), timeZone);
  const chooseDay = (edge: 'from' | 'to') => (event: React.ChangeEvent<HTMLInputElement>) => {
    const day = event.target.value;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return;
    const start = edge === 'from' ? day : fromDay;
    const end = edge === 'to' ? day : toDay;
    if (start > end) return;
    navigate(
      pageLink({
        from: new Date(zonedMidnight(start, timeZone)).toISOString(),
        to: new Date(zonedMidnight(addDays(end, 1), timeZone)).toISOString(),
        view: null,
        id: null,
      }),
    );
  };
  const choose = (key: string) => (event: React.ChangeEvent<HTMLSelectElement>) =>
    navigate(pageLink({ [key]: event.target.value || null, view: null, id: null, ...(key === 'period' ? { from: null, to: null } : {}) }));
  return (
    <div className="delivery-filters">
      <label>
        Team
        <select aria-label="Team" value={query.get('team') ?? ''} onChange={choose('team')}>
          <option value="">All teams</option>
          {options?.teams.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Service
        <select aria-label="Service" value={query.get('service') ?? ''} onChange={choose('service')}>
          <option value="">All services</option>
          {options?.services
            .filter((s) => !query.get('team') || s.ownerTeamId === query.get('team'))
            .map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
        </select>
      </label>
      <label>
        Environment
        <select aria-label="Environment" value={query.get('environment') ?? ''} onChange={choose('environment')}>
          <option value="">All production environments</option>
          {environments.map((e) => (
            <option key={e} value={e}>
              {e}
            </option>
          ))}
        </select>
      </label>
      <label>
        Period
        <select aria-label="Period" value={query.get('from') ? '' : String(period)} onChange={choose('period')}>
          {query.get('from') && <option value="">Custom</option>}
          {PERIODS.map((days) => (
            <option key={days} value={days}>
              Last {days} days
            </option>
          ))}
        </select>
      </label>
      {/* Local calendar days in the workspace's zone: From is the first day counted, To the last. */}
      <label>
        From
        <input type="date" aria-label="From" value={fromDay} max={toDay} onChange={chooseDay('from')} />
      </label>
      <label>
        To
        <input type="date" aria-label="To" value={toDay} min={fromDay} onChange={chooseDay('to')} />
      </label>
      <button
        type="button"
        className="filter-button"
        disabled={dataRange === null}
        title={
          dataRange
            ? `The ${period} days ending with the latest deployment in scope (${localDate(dataRange.last, timeZone)})`
            : 'No deployments in scope'
        }
        onClick={() => dataRange && navigate(pageLink({ ...latestWindow(dataRange.last, period, timeZone), view: null, id: null }))}
      >
        Latest data
      </button>
    </div>
  );
}

function TierBadge({ tier, benchmark }: { tier: Tier; benchmark: string }) {
  return (
    <span className={`tier tier-${tier ?? 'none'}`} title={`DORA ${benchmark} benchmark`}>
      {tier ?? 'no data'}
    </span>
  );
}

/** What each metric means, in a sentence; the full definitions are in docs/metrics/delivery.md. */
const METRIC_HELP: Record<string, string> = {
  'metric-deployments': 'How often production gets a successful deployment.',
  'metric-lead-time': "From a change's first commit to the production deployment that shipped it; half the changes were faster.",
  'metric-change-failure-rate': 'Share of production deployments that failed: an incident, a rollback, a fix forward or a revert.',
  'metric-recovery-time': 'From a failed deployment to the deployment that restored service; half recovered faster.',
  'metric-rework-rate': 'Share of deployments that were unplanned: made to fix a failure in production.',
};

function MetricCards({ summary, pageLink }: { summary: DeliverySummary; pageLink: (changes: Record<string, string | null>) => string }) {
  const { deployments: d, leadTime: l, changeFailureRate: c, recoveryTime: r, reworkRate: w, tiers } = summary;
  const card = (testId: string, view: View, count: number, label: string, value: string, tier: Tier | undefined, detail: ReactNode) => (
    <StatCard
      help={METRIC_HELP[testId]}
      className="metric-card"
      testId={testId}
      data={{ count }}
      href={`${pageLink({ view, id: null })}#rows`}
      ariaLabel={`${label}: show the rows behind it`}
      label={label}
      value={
        <>
          {value} {tier !== undefined && <TierBadge tier={tier} benchmark={tiers.benchmark} />}
        </>
      }
      detail={detail}
    />
  );
  return (
    <>
      <StatCards
        testId="metric-cards"
        data={{
          scope: `${summary.scope.team ?? ''}|${summary.scope.service ?? ''}|${summary.scope.environment ?? ''}`,
          from: summary.window.from,
          to: summary.window.to,
        }}
      >
        {card(
          'metric-deployments',
          'deployments',
          d.count,
          'Deployment frequency',
          `${d.perWeek.toFixed(1)}/week`,
          tiers.deploymentFrequency,
          `${d.count} deployments · median ${d.deployDaysPerWeekMedian ?? '—'} deploy-days/week`,
        )}
        {card(
          'metric-lead-time',
          'changes',
          l.count,
          'Lead time for changes (p50)',
          formatDuration(l.p50Seconds),
          tiers.leadTime,
          `p75 ${formatDuration(l.p75Seconds)} · p90 ${formatDuration(l.p90Seconds)} · ${l.count} changes`,
        )}
        {card(
          'metric-change-failure-rate',
          'failed',
          c.failed,
          'Change failure rate',
          formatPercent(c.rate),
          tiers.changeFailureRate,
          `${c.failed} of ${c.total} deployments failed`,
        )}
        {card(
          'metric-recovery-time',
          'restored',
          r.count,
          'Failed deployment recovery (p50)',
          formatDuration(r.p50Seconds),
          tiers.recoveryTime,
          `p90 ${formatDuration(r.p90Seconds)} · ${r.count} restored${r.unrestored ? `, ${r.unrestored} not yet` : ''}`,
        )}
        {card(
          'metric-rework-rate',
          'unplanned',
          w.unplanned,
          'Rework rate',
          formatPercent(w.rate),
          undefined,
          `${w.unplanned} of ${w.total} deployments unplanned`,
        )}
      </StatCards>
      <p className="muted small">
        {localDate(summary.window.from, summary.window.timeZone)} to{' '}
        {localDate(new Date(Date.parse(summary.window.to) - 1).toISOString(), summary.window.timeZone)} · {summary.scope.services.length}{' '}
        services · tiers: DORA {tiers.benchmark} · <a {...linkProps(`${pageLink({ view: 'incidents', id: null })}#rows`)}>incidents</a> (
        {summary.unlinkedIncidents} not linked to a deployment) · definitions: <code>docs/metrics/delivery.md</code>
      </p>
    </>
  );
}

function TrendChart({ trend, pageLink }: { trend: DeliveryTrend; pageLink: (changes: Record<string, string | null>) => string }) {
  // Three small multiples on one time axis, each with its own unit: deployments
  // (count), lead time (hours) and change failure rate (%) never share a scale.
  const option = useMemo<ChartOption>(() => {
    // Each window starts at local midnight in the workspace's zone: label it with that local date, not the UTC one.
    const labels = trend.points.map((p) => {
      const day = localDate(p.window.from, p.window.timeZone);
      return trend.interval === 'month' ? day.slice(0, 7) : day;
    });
    const grids = [
      { top: 28, height: 70 },
      { top: 140, height: 70 },
      { top: 252, height: 70 },
    ].map((g) => ({ ...g, left: 56, right: 16 }));
    const axis = (gridIndex: number, show: boolean) => ({
      type: 'category',
      gridIndex,
      data: labels,
      axisLabel: { show, hideOverlap: true },
      axisTick: { alignWithLabel: true },
    });
    const title = (text: string, top: number) => ({ text, top, left: 0, textStyle: { fontSize: 13, fontWeight: 'normal' } });
    return {
      title: [title('Deployments', 0), title('Lead time p50 (hours)', 112), title('Change failure rate (%)', 224)],
      tooltip: { trigger: 'axis' },
      axisPointer: { link: [{ xAxisIndex: 'all' }] },
      grid: grids,
      xAxis: [axis(0, false), axis(1, false), axis(2, true)],
      yAxis: [
        { type: 'value', gridIndex: 0, minInterval: 1, splitNumber: 2 },
        { type: 'value', gridIndex: 1, splitNumber: 2, axisLabel: { formatter: '{value} h' } },
        { type: 'value', gridIndex: 2, splitNumber: 2, axisLabel: { formatter: '{value}%' } },
      ],
      series: [
        { name: 'Deployments', type: 'bar', xAxisIndex: 0, yAxisIndex: 0, data: trend.points.map((p) => p.deployments.count) },
        {
          name: 'Lead time p50 (h)',
          type: 'line',
          xAxisIndex: 1,
          yAxisIndex: 1,
          connectNulls: false,
          data: trend.points.map((p) => (p.leadTime.p50Seconds === null ? null : +(p.leadTime.p50Seconds / 3600).toFixed(1))),
        },
        {
          name: 'Change failure rate (%)',
          type: 'bar',
          xAxisIndex: 2,
          yAxisIndex: 2,
          data: trend.points.map((p) => (p.changeFailureRate.rate === null ? null : +(p.changeFailureRate.rate * 100).toFixed(1))),
        },
      ],
    };
  }, [trend]);
  return (
    <div className="panel">
      <h2>Trend per {trend.interval}</h2>
      <Chart
        option={option}
        height={360}
        ariaLabel={`Deployments, lead time and change failure rate per ${trend.interval}`}
        onClick={(params) => {
          const point = trend.points[params.dataIndex];
          if (point) navigate(`${pageLink({ view: 'deployments', from: point.window.from, to: point.window.to, id: null })}#rows`);
        }}
      />
    </div>
  );
}

const VIEW_TITLES: Record<View, string> = {
  deployments: 'Deployments',
  changes: 'Changes and their lead time',
  failed: 'Failed deployments and why each failed',
  restored: 'Restored failed deployments',
  unplanned: 'Unplanned deployments (rework)',
  incidents: 'Incidents',
  deployment: 'Deployment',
};

function Rows({
  view,
  scopeQuery,
  id,
  pageLink,
}: {
  view: View;
  scopeQuery: string;
  id: string | null;
  pageLink: (changes: Record<string, string | null>) => string;
}) {
  const deploymentLink = (deploymentId: string) => (
    <a {...linkProps(`${pageLink({ view: 'deployment', id: deploymentId })}#rows`)}>{deploymentId}</a>
  );
  const title = VIEW_TITLES[view];
  const closeHref = pageLink({ view: null, id: null });
  if (view === 'deployment') return <DeploymentRows id={id} title={title} closeHref={closeHref} deploymentLink={deploymentLink} />;
  if (view === 'changes') {
    return (
      <ListRows<DeliveryChange>
        view={view}
        title={title}
        closeHref={closeHref}
        path={`/api/v1/delivery/changes?${scopeQuery}`}
        columns={changeColumns(deploymentLink)}
        rowKey={(c) => `${c.deploymentId}:${c.sha}`}
      />
    );
  }
  if (view === 'incidents') {
    return (
      <ListRows<DeliveryIncident>
        view={view}
        title={title}
        closeHref={closeHref}
        path={`/api/v1/delivery/incidents?${scopeQuery}`}
        columns={incidentColumns(deploymentLink)}
        rowKey={(i) => i.id}
      />
    );
  }
  const filter: Record<string, string> = { failed: '&failed=true', restored: '&restored=true', unplanned: '&unplanned=true' };
  return (
    <ListRows<DeliveryDeploymentListRow>
      view={view}
      title={title}
      closeHref={closeHref}
      path={`/api/v1/delivery/deployments?${scopeQuery}${filter[view] ?? ''}`}
      columns={deploymentColumns(deploymentLink)}
      rowKey={(d) => d.id}
    />
  );
}

function ListRows<T>(props: {
  view: View;
  title: string;
  closeHref: string;
  path: string;
  columns: ReadonlyArray<Column<T>>;
  rowKey: (row: T) => string;
}) {
  const list = usePagedList<T>(props.path, PAGE_SIZE);
  return (
    <DrillDownList
      view={props.view}
      title={props.title}
      closeHref={props.closeHref}
      list={list}
      columns={props.columns}
      rowKey={props.rowKey}
    />
  );
}

type DeploymentLink = (id: string) => ReactNode;

function deploymentColumns(deploymentLink: DeploymentLink): Array<Column<DeliveryDeploymentListRow>> {
  return [
    {
      header: 'Deployment',
      sort: (d) => d.id,
      cell: (d) => (
        <>
          {deploymentLink(d.id)} {d.version && <span className="muted small">{d.version}</span>}
        </>
      ),
    },
    {
      header: 'Service',
      sort: (d) => d.serviceId,
      cell: (d) => (
        <>
          <ServiceLink id={d.serviceId} /> <span className="muted small">{d.environment}</span>
        </>
      ),
    },
    { header: 'Finished', sort: (d) => d.finishedAt, cell: (d) => formatTime(d.finishedAt) },
    { header: 'Changes', numeric: true, sort: (d) => d.changes, cell: (d) => d.changes },
    {
      header: 'Outcome in production',
      sort: (d) => (d.failed ? 1 : 0),
      cell: (d) => (d.failed ? <>failed: {d.failureReasons.map(describeReason).join('; ')}</> : <span className="muted">no failure</span>),
    },
    { header: 'Restored', sort: (d) => (d.failed ? d.restoredAt : null), cell: (d) => (d.failed ? formatTime(d.restoredAt) : '') },
    { header: 'Unplanned because', cell: (d) => d.unplannedReasons.map(describeReason).join('; ') },
  ];
}

function changeColumns(deploymentLink: DeploymentLink): Array<Column<DeliveryChange>> {
  return [
    {
      header: 'Change',
      sort: (c) => c.sha,
      cell: (c) => (
        <span className="mono">
          {c.sha.slice(0, 10)} {c.revertsSha && <span className="badge">revert of {c.revertsSha.slice(0, 8)}</span>}
        </span>
      ),
    },
    { header: 'Service', sort: (c) => c.serviceId, cell: (c) => <ServiceLink id={c.serviceId} /> },
    { header: 'Started', sort: (c) => c.startedAt, cell: (c) => formatTime(c.startedAt) },
    {
      header: 'Shipped by',
      sort: (c) => c.deployedAt,
      cell: (c) => (
        <>
          {deploymentLink(c.deploymentId)} <span className="muted small">{formatTime(c.deployedAt)}</span>
        </>
      ),
    },
    { header: 'Lead time', numeric: true, sort: (c) => c.leadTimeSeconds, cell: (c) => formatDuration(c.leadTimeSeconds) },
  ];
}

function incidentColumns(deploymentLink: DeploymentLink): Array<Column<DeliveryIncident>> {
  return [
    { header: 'Incident', sort: (i) => i.id, cell: (i) => <EntityLink kind="incident" id={i.id} /> },
    { header: 'Service', sort: (i) => i.serviceId, cell: (i) => <ServiceLink id={i.serviceId} /> },
    { header: 'Severity', sort: (i) => i.severity, cell: (i) => i.severity },
    { header: 'Started', sort: (i) => i.startedAt, cell: (i) => formatTime(i.startedAt) },
    { header: 'Resolved', sort: (i) => i.resolvedAt, cell: (i) => formatTime(i.resolvedAt) },
    {
      header: 'Blamed on',
      cell: (i) =>
        i.deploymentId ? (
          <>
            {deploymentLink(i.deploymentId)} <span className="muted small">{i.link}</span>
          </>
        ) : (
          <span className="muted">no deployment</span>
        ),
    },
  ];
}

function DeploymentRows({
  id,
  title,
  closeHref,
  deploymentLink,
}: {
  id: string | null;
  title: string;
  closeHref: string;
  deploymentLink: DeploymentLink;
}) {
  const detail = useApi<DeliveryDeploymentDetail>(id ? `/api/v1/delivery/deployments/${encodeURIComponent(id)}` : null);
  return (
    <div id="rows">
      <h2>
        {title}
        <span className="filter-chip">
          <a {...linkProps(closeHref)}>close</a>
        </span>
      </h2>
      {detail.state === 'loading' && <p className="muted">Loading rows…</p>}
      {detail.state === 'error' && <p className="error">{detail.error.message}</p>}
      {detail.state === 'ready' && <DeploymentDetailView detail={detail.data} deploymentLink={deploymentLink} />}
    </div>
  );
}

function DeploymentDetailView({ detail, deploymentLink }: { detail: DeliveryDeploymentDetail; deploymentLink: DeploymentLink }) {
  return (
    <div data-testid="deployment-detail">
      <p>
        <strong>{detail.id}</strong> {detail.version && <span className="muted">{detail.version}</span>} ·{' '}
        <ServiceLink id={detail.serviceId} /> to {detail.environment} · finished {formatTime(detail.finishedAt)}
        {detail.rollbackOf && <> · rolls back {deploymentLink(detail.rollbackOf)}</>}
        {detail.fixes.length > 0 && <> · fixes {detail.fixes.map((f) => deploymentLink(f))}</>}
      </p>
      {/* Two different questions: did the deploy job run to the end, and did the release then fail in production? */}
      <dl className="deployment-facts">
        <dt>Pipeline status</dt>
        <dd data-testid="pipeline-status">
          {detail.status === 'success' ? 'succeeded: the deploy job finished' : `${detail.status}: the deploy job did not finish`}
        </dd>
        <dt>Outcome in production</dt>
        <dd data-testid="deployment-outcome">
          {detail.failed ? (
            <>
              <strong>Failed</strong>, as shown by:
              <ul className="reasons">
                {detail.failureReasons.map((r, i) => (
                  <li key={i}>Failed: {describeReason(r)}</li>
                ))}
                <li>Restored: {formatTime(detail.restoredAt)}</li>
              </ul>
            </>
          ) : (
            'no failure: no incident, rollback, fix-forward or revert points at it'
          )}
        </dd>
      </dl>
      <h2>Changes it shipped first ({detail.changeList.length})</h2>
      <DataTable
        testId="rows-table"
        rows={detail.changeList.map((c) => ({
          ...c,
          deploymentId: detail.id,
          serviceId: detail.serviceId,
          environment: detail.environment,
          version: detail.version,
          startedAt: c.authorTime,
          deployedAt: detail.finishedAt,
        }))}
        columns={changeColumns(deploymentLink)}
        rowKey={(c) => c.sha}
      />
      <h2>Incidents blamed on it ({detail.incidents.length})</h2>
      <DataTable
        rows={detail.incidents.map((i) => ({
          ...i,
          serviceId: detail.serviceId,
          deploymentId: detail.id,
          link: null,
          detectedAt: null,
        }))}
        columns={incidentColumns(deploymentLink)}
        rowKey={(i) => i.id}
      />
    </div>
  );
}
