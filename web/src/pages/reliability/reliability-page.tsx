import { useEffect, useMemo, useState } from 'react';
import { getJson, useApi } from '../../api/client.js';
import { Chart, type ChartOption } from '../../components/chart.js';
import { linkProps, useLocation } from '../../router.js';
import type { ReleaseGateView, SloDetailView, SloSeriesView, SloStatusView } from '../../../../src/reliability/model.js';
import './reliability.css';

// The API's response types, shared with the server's schemas (type-only: nothing of the server is bundled).
type SloStatus = SloStatusView;
type SloDetail = SloDetailView;
type SloSeries = SloSeriesView;
type ReleaseGate = ReleaseGateView;

/** SLOs by remaining budget, an SLO's detail (SLI, burn-down, alerts), and a banner for every frozen service. */
export function ReliabilityPage() {
  const { query } = useLocation();
  const slo = query.get('slo');
  return slo ? <SloDetailView name={slo} /> : <SloList />;
}

function SloList() {
  const slos = useApi<{ at: string; items: SloStatus[] }>('/api/v1/slos?limit=1000');
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
      <div className="cards">
        <a className="card" href="#slos">
          <span className="card-value">{list.length}</span>
          <span className="card-label">SLOs</span>
        </a>
        <a className="card" href="#slos" data-testid="count-alerting">
          <span className="card-value">{alerting}</span>
          <span className="card-label">burning too fast</span>
        </a>
        <span className="card" data-testid="count-frozen">
          <span className="card-value">{frozen.length}</span>
          <span className="card-label">services frozen</span>
        </span>
      </div>
      <table id="slos" data-testid="slo-table">
        <thead>
          <tr>
            <th>SLO</th>
            <th>Service</th>
            <th className="num">Target</th>
            <th>Window</th>
            <th className="num">Attainment</th>
            <th className="num">Budget left</th>
            <th className="num">Burn 1h</th>
            <th className="num">Burn 1d</th>
            <th>Alerts</th>
          </tr>
        </thead>
        <tbody>
          {list.map((s) => (
            <tr key={s.name}>
              <td>
                <a {...linkProps(`/reliability?slo=${encodeURIComponent(s.name)}`)}>
                  <strong>{s.displayName}</strong>
                </a>{' '}
                <span className="muted small">{s.name}</span>
              </td>
              <td>{s.service}</td>
              <td className="num">{percent(s.target, 3)}</td>
              <td>
                {s.window} {s.windowKind === 'calendar' ? 'calendar' : 'rolling'}
              </td>
              <td className="num">{s.attainment === null ? '—' : percent(s.attainment, 3)}</td>
              <td className="num">
                <BudgetCell remaining={s.budgetRemaining} />
              </td>
              <td className="num">{s.burnRates['1h']?.toFixed(2)}</td>
              <td className="num">{s.burnRates['1d']?.toFixed(2)}</td>
              <td>
                <AlertBadges alerts={s.alerts} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
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
        {status.service} · target {percent(status.target, 3)} over {status.window} ({status.windowKind}, {status.budgetingMethod}) ·{' '}
        {detail.data.description}
      </p>
      <FreezeBanners gates={gates.filter((g) => g.decision === 'frozen')} />
      <div className="cards">
        <span className="card">
          <span className="card-value">{status.attainment === null ? '—' : percent(status.attainment, 3)}</span>
          <span className="card-label">
            attainment ({status.good.toLocaleString()} good of {status.total.toLocaleString()})
          </span>
        </span>
        <span className="card" data-testid="budget-remaining">
          <span className={`card-value${status.budgetRemaining < 0 ? ' negative' : ''}`}>{percent(status.budgetRemaining, 1)}</span>
          <span className="card-label">
            budget left ({round(status.budgetSpent)} of {round(status.budgetAllowed)} bad{' '}
            {status.budgetingMethod === 'Occurrences' ? 'events' : 'slices'})
          </span>
        </span>
        <span className="card">
          <span className="card-value">{status.burnRates['1h']?.toFixed(2)}×</span>
          <span className="card-label">burn rate, last hour</span>
        </span>
        <span className="card">
          <span className="card-value">{exhaustion(status.timeToExhaustionMs)}</span>
          <span className="card-label">until the budget is gone at that rate</span>
        </span>
      </div>
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
      <table data-testid="conditions">
        <thead>
          <tr>
            <th>Tier</th>
            <th>Windows</th>
            <th className="num">Factor</th>
            <th className="num">Long burn</th>
            <th className="num">Short burn</th>
            <th>State</th>
          </tr>
        </thead>
        <tbody>
          {status.conditions.map((c, i) => (
            <tr key={i}>
              <td>{c.tier}</td>
              <td>
                {c.longWindow} / {c.shortWindow}
              </td>
              <td className="num">{c.factor}×</td>
              <td className="num">{c.longBurnRate.toFixed(2)}</td>
              <td className="num">{c.shortBurnRate.toFixed(2)}</td>
              <td>{c.firing ? <AlertBadges alerts={[c.tier]} /> : c.suppressedByMinEvents ? 'quiet: too few events' : 'ok'}</td>
            </tr>
          ))}
        </tbody>
      </table>
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
      <p className="small muted">
        Rows behind these numbers: <a href={`/api/v1/slos/${encoded}`}>status</a> · <a href={`/api/v1/slos/${encoded}/series`}>series</a>
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

function FreezeBanners({ gates }: { gates: ReleaseGate[] }) {
  return (
    <>
      {gates.map((gate) => (
        <div key={gate.service} className="freeze-banner" role="alert" data-testid="freeze-banner">
          <strong>Release freeze: {gate.service}</strong> — the error-budget policy ({gate.policy}) stops releases of this service.
          <ul>
            {gate.reasons.map((reason) => (
              <li key={`${reason.rule}-${reason.slo}`}>{reason.message}</li>
            ))}
          </ul>
        </div>
      ))}
    </>
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
      <div className="empty-state" role="status">
        <h2>No SLOs yet</h2>
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
      </div>
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
