import { useApi } from '../../api/client.js';
import type { ListRunbooksResponse, Repository, Service, SloList, Team } from '../../api/types.js';
import { EmptyState } from '../../components/empty-state.js';
import { EntityLink, TeamLink } from '../../components/entity-link.js';
import { StatCard, StatCards } from '../../components/stat-card.js';
import { linkProps } from '../../router.js';

/**
 * A service's page (`/org/services/<id>`), where every mention of the service
 * links: who owns it, where its code lives, and a way into each module's view
 * of it (delivery metrics, SLOs, incidents, code).
 */
export function ServicePage({
  id,
  services,
  teams,
  repositories,
}: {
  id: string;
  services: Service[];
  teams: Team[];
  repositories: Repository[];
}) {
  const service = services.find((s) => s.id === id);
  const slos = useApi<SloList>(service ? '/api/v1/slos?limit=1000' : null);
  const runbooks = useApi<ListRunbooksResponse>(service ? '/api/v1/incidents/runbooks' : null);
  if (!service) {
    return (
      <section>
        <p className="small">
          <a {...linkProps('/org#services')}>← All services</a>
        </p>
        <h1>Service {id}</h1>
        <EmptyState title="No such service">
          <p>
            No service has the id <code>{id}</code>. Services are described in <code>sextant.yaml</code> or through the API.
          </p>
        </EmptyState>
      </section>
    );
  }
  const team = teams.find((t) => t.id === service.ownerTeamId);
  const repositoryName = new Map(repositories.map((r) => [r.id, r.name]));
  const own = slos.state === 'ready' ? slos.data.items.filter((s) => s.service === service.id) : [];
  const key = encodeURIComponent(service.id);
  return (
    <section data-testid="service-page" data-service={service.id}>
      <p className="small">
        <a {...linkProps('/org#services')}>← All services</a>
      </p>
      <h1>{service.name}</h1>
      <p className="lead">
        <span className="mono">{service.id}</span> · owned by{' '}
        <TeamLink id={service.ownerTeamId}>{team?.name ?? service.ownerTeamId}</TeamLink>
        {service.description && <> · {service.description}</>}
      </p>
      <StatCards>
        <StatCard href={`/delivery?service=${key}`} value="DORA" label="Delivery metrics" ariaLabel="Delivery metrics" />
        <StatCard
          href={`/reliability`}
          value={slos.state === 'ready' ? own.length : '…'}
          label="SLOs"
          detail={own.filter((s) => s.budgetRemaining < 0).length > 0 ? 'budget exhausted' : undefined}
        />
        <StatCard href={`/incidents?service=${key}`} value="Incidents" label="of this service" />
        <StatCard href={`/codebase?service=${key}`} value="Code" label="hotspots and knowledge" />
      </StatCards>

      <h2>SLOs</h2>
      {slos.state === 'ready' && own.length === 0 && <p className="muted">No SLO measures this service.</p>}
      {own.length > 0 && (
        <ul>
          {own.map((s) => (
            <li key={s.name}>
              <EntityLink kind="slo" id={s.name}>
                {s.displayName}
              </EntityLink>{' '}
              <span className="muted small">
                target {(s.target * 100).toFixed(2)}% · {(s.budgetRemaining * 100).toFixed(1)}% of the error budget left
              </span>
            </li>
          ))}
        </ul>
      )}

      <h2>Runbook</h2>
      {runbooks.state === 'ready' &&
        (() => {
          const runbook = runbooks.data.items.find((r) => r.serviceId === service.id);
          if (!runbook) return <p className="muted">No runbook is recorded for this service.</p>;
          return (
            <p data-testid="service-runbook">
              <a href={runbook.url} rel="noreferrer">
                {runbook.url}
              </a>{' '}
              <span className="muted small">
                {runbook.lastReviewedAt ? `reviewed ${runbook.lastReviewedAt.slice(0, 10)}` : 'never reviewed'}
              </span>{' '}
              {runbook.stale && <span className="badge badge-empty">stale: not reviewed in 90 days</span>}
            </p>
          );
        })()}

      <h2>Repositories</h2>
      {service.repositories.length === 0 ? (
        <p className="muted">No repository is linked.</p>
      ) : (
        <ul>
          {service.repositories.map((link) => (
            <li key={link.repositoryId}>
              {repositoryName.get(link.repositoryId) ?? link.repositoryId}
              {link.paths.length > 0 && <span className="muted small"> ({link.paths.join(', ')})</span>}
            </li>
          ))}
        </ul>
      )}

      <h2>Environments</h2>
      <ul>
        {service.environments.map((env) => (
          <li key={env.name}>
            <a {...linkProps(`/delivery?service=${key}&environment=${encodeURIComponent(env.name)}`)}>{env.name}</a>
            {env.production && <span className="muted small"> (production: counts for delivery metrics)</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
