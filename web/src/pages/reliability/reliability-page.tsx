import { useEffect, useMemo, useState } from 'react';
import { getJson, useApi } from '../../api/client.js';
import type { ReleaseGate, SloDetail, SloList as SloListResponse, SloSeries, SloStatus } from '../../api/types.js';
import { Chart, type ChartOption } from '../../components/chart.js';
import { DataTable } from '../../components/data-table.js';
import { EmptyState } from '../../components/empty-state.js';
import { EntityLink, ServiceLink } from '../../components/entity-link.js';
import { StatCard, StatCards } from '../../components/stat-card.js';
import { linkProps, useLocation } from '../../router.js';
import './reliability.css';

/** SLOs by remaining budget, an SLO's detail (SLI, burn-down, alerts), and a banner for every frozen service. */
export function ReliabilityPage() {
  const { query } = useLocation();
  const slo = query.get('slo');
  return slo ? <SloDetailView name={slo} /> : <SloList />;
}

function SloList() {
  const slos = useApi<SloListResponse>('/api/v1/slos?limit=1000');
  const services = useMemo(() => (slos.state === 'ready' ? [...new Set(slos.data.items.map((s) => s.service))] : []), [slos]);
  const gates = useGates(services);

  if (slos.state === 'loading') return <p className="muted">Loading SLOs…</p>;
  if (slos.state === 'error') return <p className="error">Could not load the SLOs: {slos.error.message}</p>;
  const list = slos.data.items;
  if (list.length === 0) return <NoSlos />;
  const alerting = list.filter((s) => s.alerts.length > 0).length;
  const frozen = gates.filter((g) => g.decision === 'frozen');

  return (
    <section>
      <h1>Reliability</h1>
      <p className="lead">SLOs by remaining error budget, as of {formatInstant(slos.data.at)}.</p>
      <FreezeBanners gates={frozen} />
      <StatCards>
        <StatCard
          href="#slos"
          value={list.length}
          label="SLOs"
          help="Service level objectives: a target share of good events over a window."
        />
        <StatCard
          href="#slos"
          testId="count-alerting"
          value={alerting}
          label="burning too fast"
          help="SLOs spending their error budget fast enough to fire a burn-rate alert."
        />
        <StatCard
          href={frozen.length > 0 ? '#freezes' : '#slos'}
          testId="count-frozen"
          value={frozen.length}
          label="services frozen"
          help="Services whose release gate stops releases: an SLO's error budget is spent."
        />
      </StatCards>
      <DataTable<SloStatus>
        id="slos"
        testId="slo-table"
        rows={list}
        rowKey={(s) => s.name}
        columns={[
          {
            header: 'SLO',
            sort: (s) => s.displayName,
            cell: (s) => (
              <>
                <EntityLink kind="slo" id={s.name}>
                  <strong>{s.displayName}</strong>
                </EntityLink>{' '}
                <span className="muted small">{s.name}</span>
              </>
            ),
          },
          { header: 'Service', sort: (s) => s.service, cell: (s) => <ServiceLink id={s.service} /> },
          { header: 'Target', numeric: true, sort: (s) => s.target, cell: (s) => percent(s.target, 3) },
          { header: 'Window', cell: (s) => `${s.window} ${s.windowKind === 'calendar' ? 'calendar' : 'rolling'}` },
          {
            header: 'Attainment',
            numeric: true,
            sort: (s) => s.attainment,
            cell: (s) => (s.attainment === null ? '—' : percent(s.attainment, 3)),
          },
          {
            header: 'Budget left',
            numeric: true,
            sort: (s) => s.budgetRemaining,
            cell: (s) => <BudgetCell remaining={s.budgetRemaining} />,
          },
          { header: 'Burn 1h', numeric: true, sort: (s) => s.burnRates['1h'] ?? null, cell: (s) => s.burnRates['1h']?.toFixed(2) },
          { header: 'Burn 1d', numeric: true, sort: (s) => s.burnRates['1d'] ?? null, cell: (s) => s.burnRates['1d']?.toFixed(2) },
          { header: 'Alerts', sort: (s) => s.alerts.length, cell: (s) => <AlertBadges alerts={s.alerts} /> },
        ]}
      />
    </section>
  );
}

function SloDetailView({ name }: { name: string }) {
  const encoded = encodeURIComponent(name);
  const detail = useApi<SloDetail>(`/api/v1/slos/${encoded}`);
  const series = useApi<SloSeries>(`/api/v1/slos/${encoded}/series`);
  const gates = useGates(detail.state === 'ready' ? [detail.data.status.service] : []);
  const sliOption = useMemo(
    () => (series.state === 'ready' && detail.state === 'ready' ? sliChart(series.data, detail.data.status.target) : null),
    [series, detail],
  );
  const burnOption = useMemo(() => (series.state === 'ready' ? burnDownChart(series.data) : null), [series]);

  if (detail.state === 'loading') return <p className="muted">Loading {name}…</p>;
  if (detail.state === 'error')
    return (
      <p className="error">
        Could not load SLO “{name}”: {detail.error.message}
      </p>
    );
  const { status, alertHistory } = detail.data;

  return (
    <section>
      <p className="small">
        <a {...linkProps('/reliability')}>← All SLOs</a>
      </p>
      <h1>{status.displayName}</h1>
      <p className="lead">
        <ServiceLink id={status.service} /> · target {percent(status.target, 3)} over {status.window} ({status.windowKind},{' '}
        {status.budgetingMethod}) · {detail.data.description}
      </p>
      <FreezeBanners gates={gates.filter((g) => g.decision === 'frozen')} />
      <StatCards>
        <StatCard
          value={status.attainment === null ? '—' : percent(status.attainment, 3)}
          label={`attainment (${status.good.toLocaleString()} good of ${status.total.toLocaleString()})`}
        />
        <StatCard
          testId="budget-remaining"
          negative={status.budgetRemaining < 0}
          value={percent(status.budgetRemaining, 1)}
          label={`budget left (${round(status.budgetSpent)} of ${round(status.budgetAllowed)} bad ${
            status.budgetingMethod === 'Occurrences' ? 'events' : 'slices'
          })`}
        />
        <StatCard value={`${status.burnRates['1h']?.toFixed(2)}×`} label="burn rate, last hour" />
        <StatCard value={exhaustion(status.timeToExhaustionMs)} label="until the budget is gone at that rate" />
      </StatCards>
      <div className="chart-pair">
        <div className="panel">
          <h2>SLI, hour by hour</h2>
          {sliOption ? (
            <Chart option={sliOption} height={280} ariaLabel={`Hourly SLI of ${status.displayName}`} />
          ) : (
            <p className="muted">Loading…</p>
          )}
        </div>
        <div className="panel">
          <h2>Error budget burn-down</h2>
          {burnOption ? (
            <Chart option={burnOption} height={280} ariaLabel={`Budget remaining of ${status.displayName}`} />
          ) : (
            <p className="muted">Loading…</p>
          )}
        </div>
      </div>
      <h2>Burn-rate alerts</h2>
      <DataTable
        testId="conditions"
        rows={status.conditions}
        rowKey={(c, i) => `${c.tier}-${i}`}
        columns={[
          { header: 'Tier', cell: (c) => c.tier },
          { header: 'Windows', cell: (c) => `${c.longWindow} / ${c.shortWindow}` },
          { header: 'Factor', numeric: true, sort: (c) => c.factor, cell: (c) => `${c.factor}×` },
          { header: 'Long burn', numeric: true, sort: (c) => c.longBurnRate, cell: (c) => c.longBurnRate.toFixed(2) },
          { header: 'Short burn', numeric: true, sort: (c) => c.shortBurnRate, cell: (c) => c.shortBurnRate.toFixed(2) },
          {
            header: 'State',
            cell: (c) => (c.firing ? <AlertBadges alerts={[c.tier]} /> : c.suppressedByMinEvents ? 'quiet: too few events' : 'ok'),
          },
        ]}
      />
      <h2>Alert history</h2>
      {alertHistory.length === 0 ? (
        <p className="muted">No alert fired in the history Sextant holds.</p>
      ) : (
        <ul data-testid="alert-history">
          {alertHistory.map((event) => (
            <li key={`${event.tier}-${event.at}`}>
              {formatInstant(event.at)}: <strong>{event.tier}</strong> {event.state}
            </li>
          ))}
        </ul>
      )}
      {series.state === 'ready' && <HourlyRows series={series.data} />}
      <p className="small muted">
        The same as JSON: <a href={`/api/v1/slos/${encoded}`}>status</a> · <a href={`/api/v1/slos/${encoded}/series`}>series</a>
      </p>
    </section>
  );
}

/** The release gate of each service, fetched once per list of services. */
function useGates(services: string[]): ReleaseGate[] {
  const [gates, setGates] = useState<ReleaseGate[]>([]);
  const key = services.join('\n');
  useEffect(() => {
    if (key === '') return;
    let cancelled = false;
    Promise.all(key.split('\n').map((s) => getJson<ReleaseGate>(`/api/v1/services/${encodeURIComponent(s)}/release-gate`))).then(
      (result) => !cancelled && setGates(result),
      () => !cancelled && setGates([]),
    );
    return () => {
      cancelled = true;
    };
  }, [key]);
  return gates;
}

/** The rows behind the charts, readable: each hour's events, its SLI and the budget left after it (drawn only once opened). */
function HourlyRows({ series }: { series: SloSeries }) {
  const [open, setOpen] = useState(false);
  const rows = useMemo(() => {
    const budget = new Map(series.burnDown.map((b) => [b.at, b.budgetRemaining]));
    return series.sli.map((s) => ({ ...s, budgetRemaining: budget.get(s.at) ?? null }));
  }, [series]);
  return (
    <details data-testid="hourly-rows" onToggle={(event) => setOpen((event.target as HTMLDetailsElement).open)}>
      <summary>Hour by hour: the {rows.length} rows behind the charts</summary>
      {open && (
        <DataTable
          rows={rows}
          rowKey={(r) => r.at}
          columns={[
            { header: 'Hour', sort: (r) => r.at, cell: (r) => formatInstant(r.at) },
            { header: 'Good', numeric: true, sort: (r) => r.good, cell: (r) => r.good.toLocaleString() },
            { header: 'Total', numeric: true, sort: (r) => r.total, cell: (r) => r.total.toLocaleString() },
            {
              header: 'SLI',
              numeric: true,
              sort: (r) => r.attainment,
              cell: (r) => (r.attainment === null ? '—' : percent(r.attainment, 3)),
            },
            {
              header: 'Budget left',
              numeric: true,
              sort: (r) => r.budgetRemaining,
              cell: (r) => (r.budgetRemaining === null ? '—' : percent(r.budgetRemaining, 1)),
            },
          ]}
        />
      )}
    </details>
  );
}

function FreezeBanners({ gates }: { gates: ReleaseGate[] }) {
  return (
    <div id="freezes">
      {gates.map((gate) => (
        <div key={gate.service} className="freeze-banner" role="alert" data-testid="freeze-banner">
          <strong>
            Release freeze: <ServiceLink id={gate.service} />
          </strong>{' '}
          — the error-budget policy ({gate.policy}) stops releases of this service.
          <ul>
            {gate.reasons.map((reason) => (
              <li key={`${reason.rule}-${reason.slo}`}>{reason.message}</li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}

function BudgetCell({ remaining }: { remaining: number }) {
  const width = Math.max(0, Math.min(1, remaining)) * 100;
  const tone = remaining <= 0 ? 'budget-spent' : remaining < 0.25 ? 'budget-low' : 'budget-ok';
  return (
    <span className="budget-cell">
      <span className={remaining < 0 ? 'negative' : undefined}>{percent(remaining, 1)}</span>
      <span className="budget-bar" aria-hidden="true">
        <span className={tone} style={{ width: `${width}%` }} />
      </span>
    </span>
  );
}

function AlertBadges({ alerts }: { alerts: string[] }) {
  if (alerts.length === 0) return <span className="muted">—</span>;
  return (
    <>
      {alerts.map((tier) => (
        <span key={tier} className={`alert-badge alert-${tier}`}>
          {tier}
        </span>
      ))}
    </>
  );
}

function NoSlos() {
  return (
    <section>
      <h1>Reliability</h1>
      <EmptyState title="No SLOs yet">
        <p>Describe your SLOs in OpenSLO v1 (or Sloth) YAML, then:</p>
        <ol>
          <li>
            put the files in the workspace&apos;s <code>slos/</code> folder and run <code>sextant sync</code>, or run{' '}
            <code>sextant slo apply FILES</code>;
          </li>
          <li>
            send per-minute counts with <code>POST /api/v1/slos/&lt;name&gt;/samples</code> or <code>sextant slo import samples.csv</code>,
            or let <code>sextant sync</code> read them from a Prometheus DataSource.
          </li>
        </ol>
      </EmptyState>
    </section>
  );
}

function sliChart(series: SloSeries, target: number): ChartOption {
  const values = series.sli.filter((p) => p.attainment !== null).map((p) => p.attainment as number);
  const low = Math.min(target, ...values);
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => percent(v, 3) },
    grid: { left: 70, right: 80, top: 20, bottom: 40 },
    xAxis: { type: 'time' },
    yAxis: { type: 'value', min: Math.max(0, low - (1 - low) * 0.2), max: 1, axisLabel: { formatter: (v: number) => percent(v, 2) } },
    series: [
      {
        type: 'line',
        name: 'SLI',
        showSymbol: false,
        data: series.sli.map((p) => [p.at, p.attainment]),
        markLine: { symbol: 'none', data: [{ yAxis: target, name: 'target' }], label: { formatter: 'target' } },
      },
    ],
  };
}

function burnDownChart(series: SloSeries): ChartOption {
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => percent(v, 1) },
    grid: { left: 70, right: 80, top: 20, bottom: 40 },
    xAxis: { type: 'time' },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => percent(v, 0) } },
    series: [
      {
        type: 'line',
        name: 'Budget left',
        showSymbol: false,
        areaStyle: { opacity: 0.15 },
        data: series.burnDown.map((p) => [p.at, p.budgetRemaining]),
        markLine: { symbol: 'none', data: [{ yAxis: 0, name: 'exhausted' }], label: { formatter: 'exhausted' } },
      },
    ],
  };
}

function percent(fraction: number, decimals: number): string {
  return `${(fraction * 100).toFixed(decimals)}%`;
}

function round(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString() : value.toFixed(1);
}

function exhaustion(ms: number | null): string {
  if (ms === null) return 'not burning';
  if (ms === 0) return 'spent';
  const hours = ms / 3_600_000;
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} d`;
}

function formatInstant(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
