import { useEffect, useMemo, useState } from 'react';
import { getAll } from '../../api/client.js';
import { Chart, type ChartOption } from '../../components/chart.js';
import { linkProps, navigate, useLocation } from '../../router.js';
import { EmptyWorkspace } from '../overview-page.js';

interface Team {
  id: string;
  name: string;
  parentId: string | null;
  description: string | null;
  source: string;
}
interface Service {
  id: string;
  name: string;
  ownerTeamId: string;
  repositories: Array<{ repositoryId: string; paths: string[] }>;
  environments: Array<{ name: string; production: boolean }>;
}
interface Repository {
  id: string;
  name: string;
  path: string | null;
  url: string | null;
}
interface Person {
  id: string;
  name: string;
  teamId: string | null;
  bot: boolean;
  emails: string[];
  logins: string[];
}
interface OrgData {
  teams: Team[];
  services: Service[];
  repositories: Repository[];
  people: Person[];
}

export function OrgPage() {
  const { query } = useLocation();
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

  const teamName = new Map(data.teams.map((t) => [t.id, t.name]));
  const shownServices = teamFilter ? data.services.filter((s) => s.ownerTeamId === teamFilter) : data.services;
  const bots = data.people.filter((p) => p.bot).length;

  return (
    <section>
      <h1>Org</h1>
      <div className="cards">
        <a className="card" href="#teams" data-testid="count-teams">
          <span className="card-value">{data.teams.length}</span>
          <span className="card-label">teams</span>
        </a>
        <a className="card" href="#services" data-testid="count-services">
          <span className="card-value">{data.services.length}</span>
          <span className="card-label">services</span>
        </a>
        <a className="card" href="#repositories" data-testid="count-repositories">
          <span className="card-value">{data.repositories.length}</span>
          <span className="card-label">repositories</span>
        </a>
        <a className="card" href="#people" data-testid="count-people">
          <span className="card-value">{data.people.length}</span>
          <span className="card-label">people ({bots} bots)</span>
        </a>
      </div>

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
      <table>
        <thead>
          <tr>
            <th>Team</th>
            <th>Parent</th>
            <th className="num">Services</th>
            <th className="num">People</th>
            <th>Managed by</th>
          </tr>
        </thead>
        <tbody>
          {data.teams.map((team) => (
            <tr key={team.id}>
              <td>
                <strong>{team.name}</strong> <span className="muted">{team.id}</span>
                {team.description && <div className="muted small">{team.description}</div>}
              </td>
              <td>{team.parentId ? (teamName.get(team.parentId) ?? team.parentId) : '—'}</td>
              <td className="num">
                <a {...linkProps(`/org?team=${encodeURIComponent(team.id)}`)} aria-label={`Services of ${team.name}`}>
                  {servicesByTeam.get(team.id) ?? 0}
                </a>
              </td>
              <td className="num">{peopleByTeam.get(team.id) ?? 0}</td>
              <td>{sourceLabel(team.source)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2 id="services">
        Services
        {teamFilter && (
          <span className="filter-chip">
            team: {teamName.get(teamFilter) ?? teamFilter} <a {...linkProps('/org')}>clear</a>
          </span>
        )}
      </h2>
      <table data-testid="services-table">
        <thead>
          <tr>
            <th>Service</th>
            <th>Owner</th>
            <th>Repositories</th>
            <th>Environments</th>
          </tr>
        </thead>
        <tbody>
          {shownServices.map((service) => (
            <tr key={service.id}>
              <td>
                <strong>{service.name}</strong> <span className="muted">{service.id}</span>
              </td>
              <td>{teamName.get(service.ownerTeamId) ?? service.ownerTeamId}</td>
              <td>
                {service.repositories.map((link) => (
                  <div key={link.repositoryId}>
                    {link.repositoryId}
                    {link.paths.length > 0 && <span className="muted small"> ({link.paths.join(', ')})</span>}
                  </div>
                ))}
              </td>
              <td>{service.environments.map((env) => (env.production ? `${env.name} (prod)` : env.name)).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2 id="repositories">Repositories</h2>
      <table>
        <thead>
          <tr>
            <th>Repository</th>
            <th>Location</th>
          </tr>
        </thead>
        <tbody>
          {data.repositories.map((repo) => (
            <tr key={repo.id}>
              <td>{repo.name}</td>
              <td className="mono">{repo.path ?? repo.url}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2 id="people">People</h2>
      <p className="muted">
        People map commit authors and logins to teams. Sextant reports on teams and services, never ranks individuals.
      </p>
      <details>
        <summary>
          {data.people.length} people, {bots} bots
        </summary>
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Team</th>
              <th className="num">Emails</th>
              <th className="num">Logins</th>
            </tr>
          </thead>
          <tbody>
            {data.people.map((person) => (
              <tr key={person.id}>
                <td>
                  {person.name} {person.bot && <span className="badge">bot</span>}
                </td>
                <td>{person.teamId ? (teamName.get(person.teamId) ?? person.teamId) : '—'}</td>
                <td className="num">{person.emails.length}</td>
                <td className="num">{person.logins.length}</td>
              </tr>
            ))}
          </tbody>
        </table>
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
