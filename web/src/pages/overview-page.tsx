import { useApi } from '../api/client.js';
import { MODULE_PAGES } from '../modules.js';
import { linkProps } from '../router.js';

export interface Workspace {
  name: string;
  timezone: string;
  mode: 'configured' | 'demo' | 'empty';
  store: string;
  version: string;
}

interface OrgCounts {
  teams: number;
  services: number;
  repositories: number;
  people: number;
}

export function OverviewPage({ workspace }: { workspace: Workspace | null }) {
  const counts = useApi<OrgCounts>('/api/v1/org');
  return (
    <section>
      <h1>{workspace?.name ?? 'Sextant'}</h1>
      <p className="lead">Where the organisation stands against its North Star, and what to correct next.</p>
      {counts.state === 'ready' && counts.data.teams === 0 && <EmptyWorkspace />}
      {counts.state === 'ready' && counts.data.teams > 0 && (
        <div className="cards">
          {(['teams', 'services', 'repositories', 'people'] as const).map((key) => (
            <a key={key} className="card" {...linkProps(`/org#${key}`)}>
              <span className="card-value">{counts.data[key]}</span>
              <span className="card-label">{key}</span>
            </a>
          ))}
        </div>
      )}
      <h2>Modules</h2>
      <ul className="module-list">
        {MODULE_PAGES.map((p) => (
          <li key={p.path}>
            <a {...linkProps(p.path)}>{p.label}</a> — {p.purpose}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function EmptyWorkspace() {
  return (
    <div className="empty-state" role="status">
      <h2>No organisation described yet</h2>
      <p>Sextant starts from your teams, services and repositories. To add them:</p>
      <ol>
        <li>
          Run <code>sextant init</code> in your workspace folder: it writes a commented <code>sextant.yaml</code>.
        </li>
        <li>Describe your teams, services and repositories in it.</li>
        <li>
          Run <code>sextant sync</code>, or restart <code>sextant serve</code>.
        </li>
      </ol>
      <p>
        Or create them through the API (<code>PUT /api/v1/org/teams/&lt;id&gt;</code> with a token from <code>sextant token create</code>),
        or explore first with <code>sextant serve --demo</code>.
      </p>
    </div>
  );
}
