import { useEffect, useMemo, useState } from 'react';
import { getAll, getJson } from '../../api/client.js';
import { Chart } from '../../components/chart.js';
import { navigate, useLocation } from '../../router.js';
import {
  ageOption,
  couplingOption,
  hotspotOption,
  KNOWLEDGE_COLOURS,
  knowledgeMapOption,
  type AgeRow,
  type CouplingRow,
  type HotspotRow,
  type Knowledge,
  type KnowledgeRiskReport,
  type TruckFactorReport,
} from './codebase-charts.js';

interface History {
  repositoryId: string;
  head: string;
  commits: number;
  analysedAt: string;
}
interface Service {
  id: string;
  name: string;
  repositories: Array<{ repositoryId: string; paths: string[] }>;
}
interface ScopedResult<R> {
  repositoryId: string;
  paths: string[];
  rev: string;
  commits: number;
  result: R;
}
interface Analyses {
  summary: ScopedResult<Array<{ statistic: string; value: number }>>[];
  hotspots: ScopedResult<HotspotRow[]>[];
  coupling: ScopedResult<CouplingRow[]>[];
  truckFactor: ScopedResult<TruckFactorReport>[];
  knowledgeRisk: ScopedResult<KnowledgeRiskReport>[];
  age: ScopedResult<AgeRow[]>[];
}

/** Coupling thresholds the page passes through from its URL (code-maat's defaults otherwise). */
const COUPLING_PARAMS = ['minRevs', 'minSharedRevs', 'minCoupling', 'maxChangesetSize'];
const TOP_HOTSPOTS = 15;

export function CodebasePage() {
  const { query } = useLocation();
  const [histories, setHistories] = useState<History[] | null>(null);
  const [services, setServices] = useState<Service[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([getJson<{ items: History[] }>('/api/v1/codebase/repositories'), getAll<Service>('/api/v1/org/services')]).then(
      ([h, s]) => {
        setHistories(h.items);
        const analysed = new Set(h.items.map((x) => x.repositoryId));
        setServices(
          s.filter((service) => service.repositories.length > 0 && service.repositories.every((r) => analysed.has(r.repositoryId))),
        );
      },
      (e: Error) => setError(e.message),
    );
  }, []);

  const scope = useMemo(() => {
    const service = query.get('service');
    if (service) return `service=${encodeURIComponent(service)}`;
    const repository = query.get('repository') ?? histories?.[0]?.repositoryId;
    return repository ? `repository=${encodeURIComponent(repository)}` : null;
  }, [query, histories]);
  const couplingParams = COUPLING_PARAMS.filter((p) => query.get(p))
    .map((p) => `&${p}=${encodeURIComponent(query.get(p) as string)}`)
    .join('');

  if (error) return <p className="error">Could not load the codebase analyses: {error}</p>;
  if (!histories) return <p className="muted">Loading…</p>;
  if (histories.length === 0 || scope === null) {
    return (
      <section>
        <h1>Codebase</h1>
        <div className="empty-state" role="status">
          <h2>No repository analysed yet</h2>
          <p>
            List your repositories with a local <code>path</code> in sextant.yaml and run <code>sextant sync</code>: Sextant reads their git
            history (only new commits on later syncs) and shows hotspots, change coupling, code age and knowledge risk here.
          </p>
          <p>
            Any repository answers at once on the command line too: <code>sextant code hotspots --repo .</code>
          </p>
        </div>
      </section>
    );
  }
  return (
    <section>
      <h1>Codebase</h1>
      <p className="lead">Where change concentrates, what changes together, and who knows what — from git history.</p>
      <label style={{ display: 'block', margin: '0 0 16px' }}>
        Show{' '}
        <select
          aria-label="Repository or service"
          value={scope}
          onChange={(event) => navigate(`/codebase?${event.target.value}${couplingParams}`)}
        >
          <optgroup label="Repositories">
            {histories.map((h) => (
              <option key={h.repositoryId} value={`repository=${encodeURIComponent(h.repositoryId)}`}>
                {h.repositoryId} ({h.commits.toLocaleString('en')} commits)
              </option>
            ))}
          </optgroup>
          {services.length > 0 && (
            <optgroup label="Services">
              {services.map((s) => (
                <option key={s.id} value={`service=${encodeURIComponent(s.id)}`}>
                  {s.name}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </label>
      <ScopeAnalyses key={scope + couplingParams} scope={scope} couplingParams={couplingParams} />
    </section>
  );
}

function ScopeAnalyses(props: { scope: string; couplingParams: string }) {
  const [data, setData] = useState<Analyses | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const get = <R,>(analysis: string, extra = '') =>
      getJson<{ results: ScopedResult<R>[] }>(`/api/v1/codebase/analyses/${analysis}?${props.scope}${extra}`).then((r) => r.results);
    Promise.all([
      get<Array<{ statistic: string; value: number }>>('summary'),
      get<HotspotRow[]>('hotspots'),
      get<CouplingRow[]>('coupling', props.couplingParams),
      get<TruckFactorReport>('truck-factor'),
      get<KnowledgeRiskReport>('knowledge-risk'),
      get<AgeRow[]>('age'),
    ]).then(
      ([summary, hotspots, coupling, truckFactor, knowledgeRisk, age]) =>
        setData({ summary, hotspots, coupling, truckFactor, knowledgeRisk, age }),
      (e: Error) => setError(e.message),
    );
  }, [props.scope, props.couplingParams]);

  if (error) return <p className="error">Could not run the analyses: {error}</p>;
  if (!data) return <p className="muted">Analysing…</p>;
  return (
    <>
      {data.summary.map((summary, i) => (
        <RepositoryAnalyses
          key={summary.repositoryId}
          showTitle={data.summary.length > 1}
          summary={summary}
          hotspots={data.hotspots[i]?.result ?? []}
          coupling={data.coupling[i]?.result ?? []}
          truckFactor={data.truckFactor[i]?.result ?? null}
          knowledgeRisk={data.knowledgeRisk[i]?.result ?? null}
          age={data.age[i]?.result ?? []}
        />
      ))}
    </>
  );
}

function RepositoryAnalyses(props: {
  showTitle: boolean;
  summary: ScopedResult<Array<{ statistic: string; value: number }>>;
  hotspots: HotspotRow[];
  coupling: CouplingRow[];
  truckFactor: TruckFactorReport | null;
  knowledgeRisk: KnowledgeRiskReport | null;
  age: AgeRow[];
}) {
  const { summary, hotspots, coupling, truckFactor, knowledgeRisk, age } = props;
  const stat = (name: string) => summary.result.find((s) => s.statistic === name)?.value ?? 0;
  const lines = useMemo(() => new Map(hotspots.map((h) => [h.entity, h.lines])), [hotspots]);
  const hotspotChart = useMemo(() => hotspotOption(hotspots), [hotspots]);
  const couplingChart = useMemo(() => couplingOption(coupling), [coupling]);
  const knowledgeChart = useMemo(
    () => (truckFactor ? knowledgeMapOption(truckFactor, knowledgeRisk, lines) : null),
    [truckFactor, knowledgeRisk, lines],
  );
  const ageChart = useMemo(() => ageOption(age), [age]);
  const orphaned = knowledgeRisk?.files.filter((f) => f.cause === 'inactive').length ?? 0;

  return (
    <div>
      {props.showTitle && <h2>{summary.repositoryId}</h2>}
      <p className="muted small">
        {summary.repositoryId} at <span className="mono">{summary.rev.slice(0, 10)}</span>
        {summary.paths.length > 0 && <> · files matching {summary.paths.join(', ')}</>}
      </p>
      <div className="cards">
        <a className="card" href="#hotspots" data-testid="count-commits">
          <span className="card-value">{stat('number-of-commits').toLocaleString('en')}</span>
          <span className="card-label">commits analysed</span>
        </a>
        <a className="card" href="#hotspots">
          <span className="card-value">{stat('number-of-entities').toLocaleString('en')}</span>
          <span className="card-label">files in history</span>
        </a>
        <a className="card" href="#truck-factor" data-testid="truck-factor">
          <span className="card-value">{truckFactor?.truckFactor ?? '–'}</span>
          <span className="card-label">truck factor</span>
        </a>
        <a className="card" href="#knowledge" data-testid="orphaned-files">
          <span className="card-value">{orphaned}</span>
          <span className="card-label">files whose authors are inactive</span>
        </a>
      </div>

      <h2 id="hotspots">Hotspots</h2>
      <p className="muted">
        Files that change often and are large: where debt costs most. Colour is indentation complexity per line. Score = revisions × lines.
      </p>
      {hotspots.length === 0 ? (
        <p className="muted">No file of the current tree changed in this history.</p>
      ) : (
        <>
          <div className="panel">
            <Chart option={hotspotChart} height={360} ariaLabel="Hotspots: revisions against lines of code, coloured by complexity" />
          </div>
          <table data-testid="hotspots-table">
            <thead>
              <tr>
                <th>File</th>
                <th className="num">Revisions</th>
                <th className="num">Lines</th>
                <th className="num">Complexity / line</th>
                <th className="num">Score</th>
                <th>Revisions per month</th>
              </tr>
            </thead>
            <tbody>
              {hotspots.slice(0, TOP_HOTSPOTS).map((h) => (
                <tr key={h.entity}>
                  <td className="mono">{h.entity}</td>
                  <td className="num">{h.nRevs}</td>
                  <td className="num">{h.lines}</td>
                  <td className="num">{h.complexityMean}</td>
                  <td className="num">{h.score}</td>
                  <td className="mono small">{h.trend ? sparkline(h.trend.map((t) => t.revisions)) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      <h2 id="coupling">Change coupling</h2>
      <p className="muted">
        Files that change in the same commits. Thresholds are code-maat&apos;s unless the address sets them (for example{' '}
        <code>&amp;minRevs=2&amp;minSharedRevs=2</code>).
      </p>
      {coupling.length === 0 ? (
        <p className="muted" data-testid="coupling-empty">
          No pair of files is coupled at these thresholds.
        </p>
      ) : (
        <>
          <div className="panel">
            <Chart option={couplingChart} height={380} ariaLabel="Change coupling graph" />
          </div>
          <table data-testid="coupling-table">
            <thead>
              <tr>
                <th>File</th>
                <th>Changes with</th>
                <th className="num">Degree</th>
                <th className="num">Shared revisions</th>
              </tr>
            </thead>
            <tbody>
              {coupling.slice(0, 20).map((c) => (
                <tr key={`${c.entity} ${c.coupled}`}>
                  <td className="mono">{c.entity}</td>
                  <td className="mono">{c.coupled}</td>
                  <td className="num">{c.degree}%</td>
                  <td className="num">{c.sharedRevs}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      <h2 id="knowledge">Ownership and knowledge</h2>
      <p className="muted">
        Who knows each file (degree of authorship). This names people only to reduce risk: spread the knowledge where one person or nobody
        active holds it.
      </p>
      {knowledgeChart && (
        <div className="panel">
          <div className="small" style={{ display: 'flex', gap: 16, marginBottom: 8 }}>
            {(Object.keys(KNOWLEDGE_COLOURS) as Knowledge[]).map((k) => (
              <span key={k}>
                <span style={{ display: 'inline-block', width: 10, height: 10, background: KNOWLEDGE_COLOURS[k] }} /> {k}
              </span>
            ))}
          </div>
          <Chart option={knowledgeChart} height={420} ariaLabel="Knowledge map per folder" />
        </div>
      )}
      {knowledgeRisk && (
        <table data-testid="modules-table">
          <thead>
            <tr>
              <th>Folder</th>
              <th className="num">Files</th>
              <th className="num">Authors inactive</th>
            </tr>
          </thead>
          <tbody>
            {knowledgeRisk.modules.map((m) => (
              <tr key={m.module}>
                <td className="mono">{m.module}</td>
                <td className="num">{m.files}</td>
                <td className="num">{m.inactive}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 id="truck-factor">Truck factor</h2>
      {truckFactor && (
        <>
          <p>
            <strong data-testid="truck-factor-sentence">
              {truckFactor.truckFactor === 1
                ? 'If 1 developer left, most files would have no author.'
                : `If ${truckFactor.truckFactor} developers left, most files would have no author.`}
            </strong>{' '}
            <span className="muted">
              {truckFactor.files.length} files; {Math.round(truckFactor.coverage * 100)}% have an author now. Avelino et al.&apos;s greedy
              estimate.
            </span>
          </p>
          <ol data-testid="truck-factor-developers">
            {truckFactor.developers.map((d) => (
              <li key={d.name}>
                <strong>{d.name}</strong> — author of {d.authoredFiles} files, sole author of {d.soleFiles.length}
                {d.soleFiles.length > 0 && (
                  <details>
                    <summary>files only {d.name} knows</summary>
                    <ul className="mono small">
                      {d.soleFiles.map((f) => (
                        <li key={f}>{f}</li>
                      ))}
                    </ul>
                  </details>
                )}
              </li>
            ))}
          </ol>
          {truckFactor.excluded.length > 0 && (
            <details>
              <summary>{truckFactor.excluded.length} vendored, generated or documentation files left out</summary>
              <ul className="mono small">
                {truckFactor.excluded.map((f) => (
                  <li key={f.path}>
                    {f.path} <span className="muted">({f.reason})</span>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}

      <h2 id="age">Code age</h2>
      <p className="muted">
        Months since each file last changed: stable old code is fine; churning code should be fresh in someone&apos;s mind.
      </p>
      <div className="panel">
        <Chart option={ageChart} height={260} ariaLabel="Files by months since their last change" />
      </div>
    </div>
  );
}

const BARS = '▁▂▃▄▅▆▇█';

/** A text sparkline, so the trend of each hotspot fits a table cell. */
function sparkline(values: readonly number[]): string {
  const max = Math.max(1, ...values);
  return values.map((v) => BARS[Math.round((v / max) * (BARS.length - 1))]).join('');
}
