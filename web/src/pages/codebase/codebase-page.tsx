import { useEffect, useMemo, useState } from 'react';
import { getAll, getJson } from '../../api/client.js';
import type { CodebaseSummary, GetCodebaseAnalysisResponse, ListCodebaseHistoriesResponse, Service } from '../../api/types.js';
import { Chart } from '../../components/chart.js';
import { DataTable } from '../../components/data-table.js';
import { EmptyState } from '../../components/empty-state.js';
import { StatCard, StatCards } from '../../components/stat-card.js';
import { navigate, useLocation } from '../../router.js';
import './codebase.css';
import {
  ageOption,
  alignedTrends,
  complexityColour,
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

type History = ListCodebaseHistoriesResponse['items'][number];
/** One repository's result of an analysis; `result` narrowed to the analysis asked for. */
type ScopedResult<R> = Omit<GetCodebaseAnalysisResponse['results'][number], 'result'> & { result: R };
interface Analyses {
  summary: ScopedResult<CodebaseSummary>[];
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
    Promise.all([getAll<History>('/api/v1/codebase/repositories'), getAll<Service>('/api/v1/org/services')]).then(
      ([h, s]) => {
        setHistories(h);
        const analysed = new Set(h.map((x) => x.repositoryId));
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
        <EmptyState title="No repository analysed yet">
          <p>
            List your repositories with a local <code>path</code> in sextant.yaml and run <code>sextant sync</code>: Sextant reads their git
            history (only new commits on later syncs) and shows hotspots, change coupling, code age and knowledge risk here.
          </p>
          <p>
            Any repository answers at once on the command line too: <code>sextant code hotspots --repo .</code>
          </p>
        </EmptyState>
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
      getJson<GetCodebaseAnalysisResponse>(`/api/v1/codebase/analyses/${analysis}?${props.scope}${extra}`).then(
        (r) => r.results as ScopedResult<R>[],
      );
    Promise.all([
      get<CodebaseSummary>('summary'),
      get<HotspotRow[]>('hotspots', `&top=${TOP_HOTSPOTS}`),
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
  summary: ScopedResult<CodebaseSummary>;
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
  const trends = useMemo(() => alignedTrends(hotspots.slice(0, TOP_HOTSPOTS)), [hotspots]);
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
      <StatCards>
        <StatCard href="#hotspots" testId="count-commits" value={stat('number-of-commits').toLocaleString('en')} label="commits analysed" />
        <StatCard href="#hotspots" value={stat('number-of-entities').toLocaleString('en')} label="files in history" />
        <StatCard href="#truck-factor" testId="truck-factor" value={truckFactor?.truckFactor ?? '–'} label="truck factor" />
        <StatCard href="#knowledge" testId="orphaned-files" value={orphaned} label="files whose authors are inactive" />
      </StatCards>

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
            <HotspotLegend />
          </div>
          <DataTable
            testId="hotspots-table"
            rows={hotspots.slice(0, TOP_HOTSPOTS)}
            rowKey={(h) => h.entity}
            columns={[
              { header: 'File', sort: (h) => h.entity, cell: (h) => <span className="mono">{h.entity}</span> },
              { header: 'Revisions', numeric: true, sort: (h) => h.nRevs, cell: (h) => h.nRevs },
              { header: 'Lines', numeric: true, sort: (h) => h.lines, cell: (h) => h.lines },
              { header: 'Complexity / line', numeric: true, sort: (h) => h.complexityMean, cell: (h) => h.complexityMean },
              { header: 'Score', numeric: true, sort: (h) => h.score, cell: (h) => h.score },
              {
                header:
                  trends.months.length > 0 ? (
                    <>
                      Revisions per month{' '}
                      <span className="muted small">
                        {trends.months[0]} to {trends.months[trends.months.length - 1]}
                      </span>
                    </>
                  ) : (
                    'Revisions per month'
                  ),
                cell: (h) => {
                  const values = trends.counts.get(h.entity);
                  return values ? (
                    <span className="mono small sparkline" title={trends.months.map((m, i) => `${m}: ${values[i]}`).join('\n')}>
                      {sparkline(values)}
                    </span>
                  ) : (
                    ''
                  );
                },
              },
            ]}
          />
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
          <DataTable
            testId="coupling-table"
            rows={coupling.slice(0, 20)}
            rowKey={(c) => `${c.entity} ${c.coupled}`}
            columns={[
              { header: 'File', sort: (c) => c.entity, cell: (c) => <span className="mono">{c.entity}</span> },
              { header: 'Changes with', sort: (c) => c.coupled, cell: (c) => <span className="mono">{c.coupled}</span> },
              { header: 'Degree', numeric: true, sort: (c) => c.degree, cell: (c) => `${c.degree}%` },
              { header: 'Shared revisions', numeric: true, sort: (c) => c.sharedRevs, cell: (c) => c.sharedRevs },
            ]}
          />
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
        <DataTable
          testId="modules-table"
          rows={knowledgeRisk.modules}
          rowKey={(m) => m.module}
          columns={[
            { header: 'Folder', sort: (m) => m.module, cell: (m) => <span className="mono">{m.module}</span> },
            { header: 'Files', numeric: true, sort: (m) => m.files, cell: (m) => m.files },
            { header: 'Authors inactive', numeric: true, sort: (m) => m.inactive, cell: (m) => m.inactive },
          ]}
        />
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

/** What the hotspot chart's colour and size mean. */
function HotspotLegend() {
  return (
    <p className="hotspot-legend muted small" data-testid="hotspot-legend">
      <span>
        Colour: complexity per line, <span className="legend-ramp" style={{ background: rampGradient() }} aria-hidden="true" /> low to high
      </span>
      <span>
        Size: lines of code, <span className="legend-dot small-dot" aria-hidden="true" /> few{' '}
        <span className="legend-dot large-dot" aria-hidden="true" /> many
      </span>
    </p>
  );
}

function rampGradient(): string {
  return `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map((t) => complexityColour(t)).join(', ')})`;
}

/** A text sparkline, so the trend of each hotspot fits a table cell (its own scale: the Revisions column gives the volume). */
function sparkline(values: readonly number[]): string {
  const max = Math.max(1, ...values);
  return values.map((v) => BARS[Math.round((v / max) * (BARS.length - 1))]).join('');
}
