import { useApi } from '../api/client.js';
import type { GetOrgSummaryResponse, Workspace } from '../api/types.js';
import { EmptyWorkspace } from '../components/empty-state.js';
import { StatCard, StatCards } from '../components/stat-card.js';
import { linkProps } from '../router.js';

/**
 * The landing page. It gets the module list from the app (it does not import
 * modules.tsx, which imports every page: that would be an import cycle).
 */
export function OverviewPage({
  workspace,
  modules,
}: {
  workspace: Workspace | null;
  modules: ReadonlyArray<{ path: string; label: string; purpose: string }>;
}) {
  const counts = useApi<GetOrgSummaryResponse>('/api/v1/org');
  return (
    <section>
      <h1>{workspace?.name ?? 'Sextant'}</h1>
      <p className="lead">Where the organisation stands against its North Star, and what to correct next.</p>
      {counts.state === 'ready' && counts.data.teams === 0 && <EmptyWorkspace />}
      {counts.state === 'ready' && counts.data.teams > 0 && (
        <StatCards>
          {(['teams', 'services', 'repositories', 'people'] as const).map((key) => (
            <StatCard key={key} label={key} value={counts.data[key]} href={`/org#${key}`} />
          ))}
        </StatCards>
      )}
      <h2>Modules</h2>
      <ul className="module-list">
        {modules.map((p) => (
          <li key={p.path}>
            <a {...linkProps(p.path)}>{p.label}</a> — {p.purpose}
          </li>
        ))}
      </ul>
    </section>
  );
}
