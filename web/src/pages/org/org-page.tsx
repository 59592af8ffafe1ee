import { useEffect, useMemo, useState } from 'react';
import { getAll } from '../../api/client.js';
import type { Person, Repository, Service, Team } from '../../api/types.js';
import { Chart, type ChartOption } from '../../components/chart.js';
import { DataTable } from '../../components/data-table.js';
import { EmptyWorkspace } from '../../components/empty-state.js';
import { ServiceLink, TeamLink } from '../../components/entity-link.js';
import { StatCard, StatCards } from '../../components/stat-card.js';
import { linkProps, navigate, useLocation } from '../../router.js';
import { ServicePage } from './service-page.js';

interface OrgData {
  teams: Team[];
  services: Service[];
  repositories: Repository[];
  people: Person[];
}

export function OrgPage() {
  const { path, query } = useLocation();
  const serviceId = path.startsWith('/org/services/') ? decodeURIComponent(path.slice('/org/services/'.length)) : null;
  const teamFilter = query.get('team');
  const [data, setData] = useState<OrgData | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([
      getAll<Team>('/api/v1/org/teams'),
      getAll<Service>('/api/v1/org/services'),
      getAll<Repository>('/api/v1/org/repositories'),
      getAll<Person>('/api/v1/org/people'),
    ]).then(
      ([teams, services, repositories, people]) => setData({ teams, services, repositories, people }),
      (e: Error) => setError(e.message),
    );
  }, []);

  // Cards link to #teams, #services, ...: scroll there once the tables exist.
  useEffect(() => {
    if (data && window.location.hash) document.getElementById(window.location.hash.slice(1))?.scrollIntoView();
  }, [data]);

  const servicesByTeam = useMemo(() => countBy(data?.services ?? [], (s) => s.ownerTeamId), [data]);
  const peopleByTeam = useMemo(
    () =>
      countBy(
        (data?.people ?? []).filter((p) => p.teamId),
        (p) => p.teamId as string,
      ),
    [data],
  );
  const treeOption = useMemo(() => (data ? teamTreeOption(data.teams, servicesByTeam) : null), [data, servicesByTeam]);

  if (error) return <p className="error">Could not load the organisation: {error}</p>;
  if (!data) return <p className="muted">Loading the organisation…</p>;
  if (data.teams.length === 0) {
    return (
      <section>
        <h1>Org</h1>
        <EmptyWorkspace />
      </section>
    );
  }

  if (serviceId !== null) {
    return <ServicePage id={serviceId} services={data.services} teams={data.teams} repositories={data.repositories} />;
  }

  const teamName = new Map(data.teams.map((t) => [t.id, t.name]));
  const shownServices = teamFilter ? data.services.filter((s) => s.ownerTeamId === teamFilter) : data.services;
  const bots = data.people.filter((p) => p.bot).length;

  return (
    <section>
      <h1>Org</h1>
      <StatCards>
        <StatCard testId="count-teams" href="#teams" value={data.teams.length} label="teams" />
        <StatCard testId="count-services" href="#services" value={data.services.length} label="services" />
        <StatCard testId="count-repositories" href="#repositories" value={data.repositories.length} label="repositories" />
        <StatCard testId="count-people" href="#people" value={data.people.length} label={`people (${bots} bots)`} />
      </StatCards>

      {treeOption && (
        <div className="panel">
          <h2>Team tree</h2>
          <Chart
            option={treeOption}
            height={Math.max(220, data.teams.length * 28)}
            ariaLabel="Team hierarchy"
            onClick={(params) => {
              const id = (params.data as { id?: string }).id;
              if (id) navigate(`/org?team=${encodeURIComponent(id)}#services`);
            }}
          />
        </div>
      )}

      <h2 id="teams">Teams</h2>
      <DataTable
        rows={data.teams}
        rowKey={(team) => team.id}
        columns={[
          {
            header: 'Team',
            sort: (team) => team.name,
            cell: (team) => (
              <>
                <strong>{team.name}</strong> <span className="muted">{team.id}</span>
                {team.description && <div className="muted small">{team.description}</div>}
              </>
            ),
          },
          {
            header: 'Parent',
            sort: (team) => (team.parentId ? (teamName.get(team.parentId) ?? team.parentId) : null),
            cell: (team) => (team.parentId ? (teamName.get(team.parentId) ?? team.parentId) : '—'),
          },
          {
            header: 'Services',
            numeric: true,
            sort: (team) => servicesByTeam.get(team.id) ?? 0,
            cell: (team) => (
              <a {...linkProps(`/org?team=${encodeURIComponent(team.id)}`)} aria-label={`Services of ${team.name}`}>
                {servicesByTeam.get(team.id) ?? 0}
              </a>
            ),
          },
          {
            header: 'People',
            numeric: true,
            sort: (team) => peopleByTeam.get(team.id) ?? 0,
            cell: (team) => peopleByTeam.get(team.id) ?? 0,
          },
          { header: 'Managed by', sort: (team) => sourceLabel(team.source), cell: (team) => sourceLabel(team.source) },
        ]}
      />

      <h2 id="services">
        Services
        {teamFilter && (
          <span className="filter-chip">
            team: {teamName.get(teamFilter) ?? teamFilter} <a {...linkProps('/org')}>clear</a>
          </span>
        )}
      </h2>
      <DataTable
        testId="services-table"
        rows={shownServices}
        rowKey={(service) => service.id}
        columns={[
          {
            header: 'Service',
            sort: (service) => service.name,
            cell: (service) => (
              <>
                <ServiceLink id={service.id}>
                  <strong>{service.name}</strong>
                </ServiceLink>{' '}
                <span className="muted">{service.id}</span>
              </>
            ),
          },
          {
            header: 'Owner',
            sort: (service) => teamName.get(service.ownerTeamId) ?? service.ownerTeamId,
            cell: (service) => <TeamLink id={service.ownerTeamId}>{teamName.get(service.ownerTeamId) ?? service.ownerTeamId}</TeamLink>,
          },
          {
            header: 'Repositories',
            cell: (service) =>
              service.repositories.map((link) => (
                <div key={link.repositoryId}>
                  {link.repositoryId}
                  {link.paths.length > 0 && <span className="muted small"> ({link.paths.join(', ')})</span>}
                </div>
              )),
          },
          {
            header: 'Environments',
            cell: (service) => service.environments.map((env) => (env.production ? `${env.name} (prod)` : env.name)).join(', '),
          },
        ]}
      />

      <h2 id="repositories">Repositories</h2>
      <DataTable
        rows={data.repositories}
        rowKey={(repo) => repo.id}
        columns={[
          { header: 'Repository', sort: (repo) => repo.name, cell: (repo) => repo.name },
          { header: 'Location', cell: (repo) => <span className="mono">{repo.path ?? repo.url}</span> },
        ]}
      />

      <h2 id="people">People</h2>
      <p className="muted">
        People map commit authors and logins to teams. Sextant reports on teams and services, never ranks individuals.
      </p>
      <details>
        <summary>
          {data.people.length} people, {bots} bots
        </summary>
        <DataTable
          rows={data.people}
          rowKey={(person) => person.id}
          columns={[
            {
              header: 'Name',
              sort: (person) => person.name,
              cell: (person) => (
                <>
                  {person.name} {person.bot && <span className="badge">bot</span>}
                </>
              ),
            },
            {
              header: 'Team',
              sort: (person) => (person.teamId ? (teamName.get(person.teamId) ?? person.teamId) : null),
              cell: (person) => (person.teamId ? (teamName.get(person.teamId) ?? person.teamId) : '—'),
            },
            { header: 'Emails', numeric: true, sort: (person) => person.emails.length, cell: (person) => person.emails.length },
            { header: 'Logins', numeric: true, sort: (person) => person.logins.length, cell: (person) => person.logins.length },
          ]}
        />
      </details>
    </section>
  );
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function sourceLabel(source: string): string {
  return source === 'config' ? 'sextant.yaml' : source === 'api' ? 'API' : 'demo';
}

interface TreeNode {
  id: string;
  name: string;
  value: number;
  children: TreeNode[];
}

function teamTreeOption(teams: Team[], servicesByTeam: Map<string, number>): ChartOption {
  const nodes = new Map<string, TreeNode>(
    teams.map((t) => [t.id, { id: t.id, name: t.name, value: servicesByTeam.get(t.id) ?? 0, children: [] }]),
  );
  const roots: TreeNode[] = [];
  for (const team of teams) {
    const node = nodes.get(team.id) as TreeNode;
    const parent = team.parentId ? nodes.get(team.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const data = roots.length === 1 ? roots : [{ id: '', name: 'Organisation', value: 0, children: roots }];
  return {
    tooltip: { trigger: 'item', formatter: (p: { name: string; value: number }) => `${p.name}: ${p.value} services` },
    series: [
      {
        type: 'tree',
        data,
        top: 10,
        bottom: 10,
        left: 110,
        right: 160,
        orient: 'LR',
        symbolSize: 10,
        initialTreeDepth: -1,
        expandAndCollapse: false,
        label: { position: 'left', verticalAlign: 'middle', align: 'right', fontSize: 13 },
        leaves: { label: { position: 'right', align: 'left' } },
      },
    ],
  };
}
