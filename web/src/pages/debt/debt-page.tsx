import { useMemo, useState } from 'react';
import { ApiError, setToken, useApi, type Problem } from '../../api/client.js';
import type {
  DebtEfforts,
  DebtEvidence,
  DebtTeamCapacity,
  GetDebtCapacityResponse,
  ListDebtCandidatesResponse,
  ListDebtItemsResponse,
} from '../../api/types.js';
import { Chart, type ChartOption } from '../../components/chart.js';
import './debt.css';

type Category = keyof DebtEfforts;

const CATEGORIES: Array<{ key: Category; label: string; color: string }> = [
  { key: 'new', label: 'New things', color: '#0969da' },
  { key: 'improve', label: 'Improving', color: '#8250df' },
  { key: 'ktlo', label: 'Keeping the lights on', color: '#bf8700' },
  { key: 'debt', label: 'Debt', color: '#1a7f37' },
];
const SHOWN_SPRINTS = 12;
const pct = (v: number | null) => (v === null ? '–' : `${Math.round(v * 100)}%`);
const num = (v: number, digits = 2) => String(Math.round(v * 10 ** digits) / 10 ** digits);

/** Capacity spent on debt per team and sprint against the target, the register ranked by score, and candidates to accept. */
export function DebtPage() {
  const [version, setVersion] = useState(0);
  const capacity = useApi<GetDebtCapacityResponse>(`/api/v1/debt/capacity?sprints=${SHOWN_SPRINTS}`);
  const register = useApi<ListDebtItemsResponse>(`/api/v1/debt/items?v=${version}`);
  const candidates = useApi<ListDebtCandidatesResponse>(`/api/v1/debt/candidates?v=${version}`);
  const refresh = () => setVersion((v) => v + 1);

  if (capacity.state === 'loading') return <p className="muted">Loading capacity…</p>;
  if (capacity.state === 'error') return <p className="error">Could not load capacity: {capacity.error.message}</p>;
  const teams = capacity.data.teams;
  const under = teams.filter((t) => t.streak > 0);
  return (
    <section>
      <h1>Debt</h1>
      <p className="lead">
        The share of each sprint spent on technical debt against the team’s target, the debt register ranked by a scorecard fed by evidence,
        and debt proposed from that evidence. Effort is measured by{' '}
        {capacity.data.effort === 'count' ? 'completed items' : capacity.data.effort}.
      </p>
      <div className="cards">
        <a className="card" href="#capacity" data-testid="count-under-target">
          <span className="card-value">{under.length}</span>
          <span className="card-label">teams below target now</span>
        </a>
        <a className="card" href="#register">
          <span className="card-value">{register.state === 'ready' ? register.data.items.length : '…'}</span>
          <span className="card-label">register items</span>
        </a>
        <a className="card" href="#candidates">
          <span className="card-value">{candidates.state === 'ready' ? candidates.data.items.length : '…'}</span>
          <span className="card-label">candidates to review</span>
        </a>
      </div>
      {teams.length === 0 ? <NoWork /> : <CapacitySection teams={teams} />}
      <RegisterSection register={register} />
      <CandidatesSection candidates={candidates} onChange={refresh} />
    </section>
  );
}

function NoWork() {
  return (
    <div className="empty-state">
      <p>No work items yet. Import them from your tracker:</p>
      <p>
        <code>sextant work import --file export.csv --format jira</code> (or <code>--format github|gitlab|csv</code>), or{' '}
        <code>POST /api/v1/work/items</code>.
      </p>
    </div>
  );
}

function CapacitySection({ teams }: { teams: DebtTeamCapacity[] }) {
  const [chosen, setChosen] = useState<string | null>(null);
  // Until a team is picked, the chart shows the one longest below target.
  const longest = teams.reduce((a, b) => (b.streak > a.streak ? b : a), teams[0] as DebtTeamCapacity);
  const team = teams.find((t) => t.team === chosen) ?? longest;
  return (
    <>
      <h2 id="capacity">Capacity by team</h2>
      <div className="debt-table-wrap">
        <table data-testid="capacity-table">
          <thead>
            <tr>
              <th>Team</th>
              <th className="num">Debt share, last sprint</th>
              <th className="num">Target</th>
              <th className="num">Sprints below target in a row</th>
              <th className="num">In progress</th>
            </tr>
          </thead>
          <tbody>
            {teams.map((t) => {
              const last = t.sprints.at(-1);
              return (
                <tr key={t.team} data-testid={`team-${t.team}`}>
                  <td>
                    <button type="button" className="link-button" onClick={() => setChosen(t.team)} aria-pressed={t.team === team.team}>
                      {t.team}
                    </button>
                  </td>
                  <td className={`num${last?.below ? ' debt-below' : ''}`}>{pct(last?.debtShare ?? null)}</td>
                  <td className="num">{pct(t.target)}</td>
                  <td className={`num${t.streak > 0 ? ' debt-below' : ''}`} data-testid="streak">
                    {t.streak > 0 ? `${t.streak} below target` : '0'}
                  </td>
                  <td className={`num${t.wip.over ? ' debt-over' : ''}`}>
                    {t.wip.count}
                    {t.wip.limit !== null ? ` / ${t.wip.limit}` : ''}
                    {t.wip.over ? ' over limit' : ''}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <h2>
        {team.team}: share of effort per sprint (target {pct(team.target)})
      </h2>
      <CapacityChart team={team} />
    </>
  );
}

function CapacityChart({ team }: { team: DebtTeamCapacity }) {
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${Math.round(v)}%` },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 56 },
      xAxis: { type: 'category', data: team.sprints.map((s) => s.sprint), axisLabel: { rotate: 45 } },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: CATEGORIES.map((c) => ({
        name: c.label,
        type: 'bar',
        stack: 'share',
        itemStyle: { color: c.color },
        data: team.sprints.map((s) => (s.shares ? Math.round(s.shares[c.key] * 1000) / 10 : 0)),
        ...(c.key === 'debt'
          ? {
              markLine: {
                symbol: 'none',
                lineStyle: { color: '#cf222e', type: 'dashed' },
                label: { formatter: `target ${pct(team.target)}` },
                data: [{ yAxis: team.target * 100 }],
              },
            }
          : {}),
      })),
    }),
    [team],
  );
  return (
    <div className="panel">
      <Chart
        option={option}
        height={300}
        ariaLabel={`Share of effort per category per sprint for ${team.team}, with the debt target line`}
      />
      <p className="small muted">
        Debt sprints below target: {team.sprints.filter((s) => s.below).length} of {team.sprints.length} shown. Rows behind a bar:{' '}
        <code>GET /api/v1/work/items?team={team.team}&amp;sprint=…</code>
      </p>
    </div>
  );
}

function evidenceLine(e: DebtEvidence): string {
  const parts: string[] = [];
  if (e.revisions90 !== null) parts.push(`${e.revisions90} commits in 90 days`);
  if (e.hotspotRank !== null) parts.push(`hotspot #${e.hotspotRank} of ${e.hotspotCount}`);
  if (e.knowledgeRisk !== null && e.knowledgeRisk > 0) parts.push(`${pct(e.knowledgeRisk)} of files without an active author`);
  if (e.soleAuthorShare !== null) parts.push(`${pct(e.soleAuthorShare)} single-author files`);
  if (e.leadTimeP50Hours !== null)
    parts.push(
      `lead time p50 ${num(e.leadTimeP50Hours, 1)} h (workspace ${e.leadTimeMedianHours === null ? '–' : num(e.leadTimeMedianHours, 1)} h)`,
    );
  if (e.changeFailureRate !== null) parts.push(`CFR ${pct(e.changeFailureRate)} (workspace ${pct(e.changeFailureRateMedian)})`);
  if (e.incidents90 !== null) parts.push(`${e.incidents90} incidents in 90 days`);
  if (e.budgetConsumed !== null) parts.push(`${pct(e.budgetConsumed)} of error budget used`);
  return parts.join(' · ') || 'no evidence yet';
}

function RegisterSection({ register }: { register: ReturnType<typeof useApi<ListDebtItemsResponse>> }) {
  return (
    <>
      <h2 id="register">Register, by score</h2>
      <p className="small muted">
        score = (interest + risk + change) ÷ principal days, each weighted (docs/metrics/debt.md). Interest: incidents, error budget, lead
        time and change failure rate above the workspace median; risk: knowledge, single authors, hotspot rank; change: commits in 90 days ÷
        10.
      </p>
      {register.state === 'loading' && <p className="muted">Loading the register…</p>}
      {register.state === 'error' && <p className="error">Could not load the register: {register.error.message}</p>}
      {register.state === 'ready' && register.data.items.length === 0 && (
        <div className="empty-state">
          The register is empty: accept a candidate below or run <code>sextant debt add</code>.
        </div>
      )}
      {register.state === 'ready' && register.data.items.length > 0 && (
        <div className="debt-table-wrap">
          <table data-testid="register-table">
            <thead>
              <tr>
                <th className="num">#</th>
                <th>Item</th>
                <th>Category</th>
                <th>Status</th>
                <th>Team</th>
                <th className="num">Score</th>
                <th>Terms</th>
              </tr>
            </thead>
            <tbody>
              {register.data.items.map((item) => (
                <tr key={item.id} data-testid={`register-${item.id}`}>
                  <td className="num">{item.rank}</td>
                  <td>
                    <strong>{item.title}</strong>
                    {item.impact && <div className="small">{item.impact}</div>}
                    <div className="debt-evidence">
                      {[item.service, item.repository && `${item.repository}${item.paths.length > 0 ? `:${item.paths.join(', ')}` : ''}`]
                        .filter(Boolean)
                        .join(' · ')}
                    </div>
                    <div className="debt-evidence">{evidenceLine(item.evidence)}</div>
                  </td>
                  <td>{item.category}</td>
                  <td>{item.status}</td>
                  <td>{item.team ?? '–'}</td>
                  <td className="num">{num(item.score)}</td>
                  <td className="debt-terms">
                    interest {num(item.terms.interest)} · risk {num(item.terms.risk)} · change {num(item.terms.change)}
                    <br />÷ {num(item.terms.principalDays, 1)} days{item.terms.principalEstimated ? ' (assumed)' : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

async function post(path: string, body: unknown): Promise<void> {
  const token = window.localStorage.getItem('sextant.token');
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => null)) as Problem | null;
    throw new ApiError(problem ?? { type: 'about:blank', title: response.statusText, status: response.status, detail: '' });
  }
}

function CandidatesSection({
  candidates,
  onChange,
}: {
  candidates: ReturnType<typeof useApi<ListDebtCandidatesResponse>>;
  onChange: () => void;
}) {
  const [message, setMessage] = useState<string | null>(null);
  const [needsToken, setNeedsToken] = useState(false);
  const [token, setTokenText] = useState('');
  const act = async (action: 'accept' | 'dismiss', key: string) => {
    try {
      await post(`/api/v1/debt/candidates/${action}`, { key });
      setMessage(action === 'accept' ? `Accepted ${key} into the register.` : `Dismissed ${key}; it will not be proposed again.`);
      setNeedsToken(false);
      onChange();
    } catch (error) {
      if (error instanceof ApiError && error.problem.status === 401) setNeedsToken(true);
      setMessage(`Could not ${action} ${key}: ${(error as Error).message}`);
    }
  };
  return (
    <>
      <h2 id="candidates">Candidates from evidence</h2>
      <p className="small muted">
        Hotspots in the top 5% changed in the last 90 days, folders whose knowledge sits with one person inactive for 90+ days, the services
        with the worst lead time or change failure rate, SLOs that exhausted their budget in two of the last three periods.
      </p>
      {needsToken && (
        <form
          className="debt-token"
          onSubmit={(event) => {
            event.preventDefault();
            setToken(token.trim() || null);
            setNeedsToken(false);
            setMessage('Token saved; try again.');
          }}
        >
          <label htmlFor="debt-token">Changes need a write token (sextant token create):</label>
          <input id="debt-token" type="password" value={token} onChange={(e) => setTokenText(e.target.value)} />
          <button type="submit">Save token</button>
        </form>
      )}
      {message && (
        <p className="small" role="status" data-testid="candidate-message">
          {message}
        </p>
      )}
      {candidates.state === 'loading' && <p className="muted">Loading candidates…</p>}
      {candidates.state === 'error' && <p className="error">Could not load candidates: {candidates.error.message}</p>}
      {candidates.state === 'ready' && candidates.data.items.length === 0 && <p className="muted">No open candidates.</p>}
      {candidates.state === 'ready' && candidates.data.items.length > 0 && (
        <div className="debt-table-wrap">
          <table data-testid="candidates-table">
            <thead>
              <tr>
                <th>Candidate</th>
                <th>Category</th>
                <th>Evidence</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {candidates.data.items.map((c) => (
                <tr key={c.key} data-testid={`candidate-${c.key}`}>
                  <td>
                    <strong>{c.title}</strong>
                    <div className="small">{c.impact}</div>
                    <div className="debt-evidence mono">{c.key}</div>
                  </td>
                  <td>{c.category}</td>
                  <td className="debt-evidence">
                    {Object.entries(c.evidence)
                      .map(([k, v]) => `${k}: ${v}`)
                      .join(' · ')}
                  </td>
                  <td>
                    <div className="debt-actions">
                      <button type="button" onClick={() => void act('accept', c.key)}>
                        Accept
                      </button>
                      <button type="button" onClick={() => void act('dismiss', c.key)}>
                        Dismiss
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
