import { useEffect, useState } from 'react';
import { setToken, useApi } from '../../api/client.js';
import { EntityLink, ServiceLink } from '../../components/entity-link.js';
import { linkProps } from '../../router.js';
import { formatInstant, formatSeconds, percent, SECTIONS, type IncidentDetailView } from './incidents-api.js';

const MILESTONES = [
  ['impactStartedAt', 'Impact started'],
  ['detectedAt', 'Detected'],
  ['acknowledgedAt', 'Acknowledged'],
  ['mitigatedAt', 'Mitigated'],
  ['resolvedAt', 'Resolved'],
  ['closedAt', 'Closed'],
] as const;

/** One incident: milestones as a timeline with durations, linked deployments, budget spent, the postmortem editor and remediation items. */
export function IncidentDetail({ id }: { id: string }) {
  const [version, setVersion] = useState(0);
  const detail = useApi<IncidentDetailView>(`/api/v1/incidents/${encodeURIComponent(id)}?v=${version}`);
  if (detail.state === 'loading') return <p className="muted">Loading incident {id}…</p>;
  if (detail.state === 'error')
    return (
      <p className="error">
        Could not load incident “{id}”: {detail.error.message}
      </p>
    );
  const d = detail.data;
  const i = d.incident;
  const encoded = encodeURIComponent(i.id);
  return (
    <section className="incidents incident-detail">
      <p className="small">
        <a {...linkProps('/incidents')}>← All incidents</a>
      </p>
      <h1>
        {i.title} {i.drill && <span className="badge badge-drill">game day</span>}
      </h1>
      <p className="lead">
        {i.id} ·{' '}
        {i.services.map((s, n) => (
          <span key={s}>
            {n > 0 && ', '}
            <ServiceLink id={s} />
          </span>
        ))}{' '}
        · {i.severity ?? 'severity unknown'}
        {i.priority ? ` · priority ${i.priority}` : ''} · {i.status}
        {i.tags.length > 0 && ` · tags: ${i.tags.join(', ')}`}
      </p>
      {i.customerImpact && <p>{i.customerImpact}</p>}

      <div className="cards">
        {(
          [
            ['to detect', d.durations.detectSeconds],
            ['to acknowledge', d.durations.ttaSeconds],
            ['to mitigate', d.durations.ttmSeconds],
            ['to resolve', d.durations.ttrSeconds],
          ] as const
        ).map(([label, seconds]) => (
          <span className="card" key={label}>
            <span className="card-value">{formatSeconds(seconds)}</span>
            <span className="card-label">{label} (from impact start)</span>
          </span>
        ))}
      </div>

      <div className="two-columns">
        <div className="panel">
          <h2>Milestones</h2>
          <ol className="milestones" data-testid="milestones">
            {MILESTONES.map(([key, label]) => {
              const at = i[key];
              return (
                <li key={key} className={at ? 'reached' : 'pending'}>
                  <span className="milestone-label">{label}</span>
                  <span className="milestone-at">{at ? formatInstant(at) : 'not reached'}</span>
                  {at && key !== 'impactStartedAt' && (
                    <span className="muted small"> +{formatSeconds((Date.parse(at) - Date.parse(i.impactStartedAt)) / 1000)}</span>
                  )}
                </li>
              );
            })}
          </ol>
          <p className="small muted">
            Commander {i.roles.commander ?? '—'} · communications {i.roles.communications ?? '—'} · scribe {i.roles.scribe ?? '—'}
            {i.roles.responders.length > 0 && ` · responders ${i.roles.responders.join(', ')}`}
          </p>
        </div>
        <div className="panel">
          <h2>Caused by</h2>
          {d.deployments.length === 0 && !i.causedBy.commit ? (
            <p className="muted">No deployment or commit is linked.</p>
          ) : (
            <ul data-testid="linked-deployments">
              {d.deployments.map((dep) => (
                <li key={dep.id}>
                  Deployment{' '}
                  <EntityLink kind="deployment" id={dep.id}>
                    <strong>{dep.version ?? dep.id}</strong>
                  </EntityLink>{' '}
                  of <ServiceLink id={dep.serviceId} /> to {dep.environment}, {formatInstant(dep.finishedAt)}{' '}
                  <span className="muted small">{dep.id}</span>
                </li>
              ))}
              {i.causedBy.commit && <li>Commit {i.causedBy.commit}</li>}
            </ul>
          )}
          <h2>Error budget spent</h2>
          {d.budgetSpent.length === 0 ? (
            <p className="muted">No SLO of this service measured the incident.</p>
          ) : (
            <table data-testid="budget-spent">
              <thead>
                <tr>
                  <th>SLO</th>
                  <th className="num">Bad</th>
                  <th className="num">Allowed ({d.budgetSpent[0]?.window})</th>
                  <th className="num">Budget spent</th>
                </tr>
              </thead>
              <tbody>
                {d.budgetSpent.map((b) => (
                  <tr key={b.slo}>
                    <td>
                      <EntityLink kind="slo" id={b.slo} />
                    </td>
                    <td className="num">{Math.round(b.spent).toLocaleString()}</td>
                    <td className="num">{Math.round(b.allowed).toLocaleString()}</td>
                    <td className={`num${b.share > 0.2 ? ' overdue' : ''}`}>{percent(b.share, 1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {d.runbook && (
            <p className="small">
              Runbook: <a href={d.runbook.url}>{d.runbook.url}</a>{' '}
              {d.runbook.stale ? (
                <span className="badge badge-repeat">not reviewed in 90 days</span>
              ) : (
                <span className="muted">reviewed {d.runbook.lastReviewedAt?.slice(0, 10)}</span>
              )}
            </p>
          )}
        </div>
      </div>

      <div className="panel">
        <h2>Remediation items</h2>
        {d.remediation.length === 0 ? (
          <p className="muted">None recorded.</p>
        ) : (
          <table data-testid="remediation-items">
            <thead>
              <tr>
                <th>Item</th>
                <th>Type</th>
                <th>Priority</th>
                <th>Owner</th>
                <th>Due</th>
                <th>Status</th>
                <th>Ticket</th>
              </tr>
            </thead>
            <tbody>
              {d.remediation.map((r) => (
                <tr key={r.id}>
                  <td>{r.description}</td>
                  <td>{r.type}</td>
                  <td>{r.priority}</td>
                  <td>{r.owner}</td>
                  <td className={r.overdue ? 'overdue' : undefined}>
                    {r.dueAt.slice(0, 10)}
                    {r.overdue && ' (overdue)'}
                  </td>
                  <td>{r.status}</td>
                  <td>{r.ticketUrl ? <a href={r.ticketUrl}>ticket</a> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>

      <PostmortemEditor detail={d} onSaved={() => setVersion((v) => v + 1)} />

      <div className="panel">
        <h2>Timeline</h2>
        <ol className="timeline" data-testid="timeline">
          {d.timeline.map((t, index) => (
            <li key={index} className={t.pinned ? 'pinned' : undefined}>
              <span className="milestone-at">{formatInstant(t.at)}</span> <span>{t.text}</span>
              {t.author && <span className="muted small"> — {t.author}</span>}
            </li>
          ))}
        </ol>
        <p className="small">
          Export the postmortem: <a href={`/api/v1/incidents/${encoded}/postmortem.md`}>Markdown</a> ·{' '}
          <a href={`/api/v1/incidents/${encoded}/postmortem.html`}>printable page</a> ·{' '}
          <a href={`/api/v1/incidents/${encoded}/postmortem.html?audience=shareable`}>shareable page</a> (internal notes dropped)
        </p>
      </div>
    </section>
  );
}

function PostmortemEditor({ detail, onSaved }: { detail: IncidentDetailView; onSaved: () => void }) {
  const pm = detail.postmortem;
  const [sections, setSections] = useState<Record<string, string>>(pm?.sections ?? {});
  const [status, setStatus] = useState(pm?.status ?? 'draft');
  const [message, setMessage] = useState<string | null>(null);
  const [needsToken, setNeedsToken] = useState(false);
  const [token, setTokenText] = useState('');
  useEffect(() => {
    setSections(pm?.sections ?? {});
    setStatus(pm?.status ?? 'draft');
  }, [pm]);

  const save = async () => {
    if (token) setToken(token);
    const stored = window.localStorage.getItem('sextant.token');
    const response = await fetch(`/api/v1/incidents/${encodeURIComponent(detail.incident.id)}/postmortem`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...(stored ? { authorization: `Bearer ${stored}` } : {}) },
      body: JSON.stringify({ status, sections }),
    });
    if (response.status === 401) {
      setNeedsToken(true);
      setMessage('Saving needs an API token (sextant token create).');
      return;
    }
    const body = (await response.json()) as { detail?: string; errors?: Array<{ field: string; message: string }> };
    if (!response.ok) {
      setMessage(`Not saved: ${body.errors?.map((e) => `${e.field} ${e.message}`).join('; ') ?? body.detail ?? response.statusText}`);
      return;
    }
    setMessage('Saved.');
    onSaved();
  };

  const suggestions = pm?.suggestions ?? [];
  return (
    <div className="panel postmortem" data-testid="postmortem">
      <h2>Postmortem</h2>
      <p className="small">
        {pm === null ? (
          'No postmortem yet.'
        ) : (
          <>
            Status <strong>{pm.status}</strong>
            {pm.dueAt && ` · due ${pm.dueAt.slice(0, 10)}`}
            {pm.publishedAt && ` · published ${pm.publishedAt.slice(0, 10)}`}
            {pm.reviewers.length > 0 && ` · reviewers ${pm.reviewers.join(', ')}`}
          </>
        )}
        {detail.postmortemRequired.length > 0 && <> · required: {detail.postmortemRequired.join('; ')}</>}
      </p>
      {suggestions.length > 0 && (
        <div className="suggestions" data-testid="blameless-suggestions">
          <strong>Blameless review suggestions</strong> (they never block saving)
          <ul>
            {suggestions.map((s, index) => (
              <li key={index}>
                “{s.sentence}” — <em>{s.phrase}</em>: {s.suggestion}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="sections">
        {SECTIONS.map(([key, title]) => (
          <label key={key} className="section">
            <span>{title}</span>
            <textarea value={sections[key] ?? ''} rows={3} onChange={(e) => setSections({ ...sections, [key]: e.target.value })} />
          </label>
        ))}
      </div>
      <div className="editor-actions">
        <label>
          Status{' '}
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="draft">draft</option>
            <option value="in-review">in review</option>
            <option value="published">published</option>
          </select>
        </label>
        {needsToken && (
          <label>
            API token <input type="password" value={token} onChange={(e) => setTokenText(e.target.value)} />
          </label>
        )}
        <button type="button" onClick={() => void save()}>
          Save postmortem
        </button>
        {message && <span className="small">{message}</span>}
      </div>
    </div>
  );
}
