import { useEffect, useState } from 'react';
import { useApi } from './api/client.js';
import type { Workspace } from './api/types.js';
import { MODULE_PAGES } from './modules.js';
import { OverviewPage } from './pages/overview-page.js';
import { linkProps, useLocation } from './router.js';

export function App() {
  const { path } = useLocation();
  const workspace = useApi<Workspace>('/api/v1/workspace');
  const page = MODULE_PAGES.find((p) => path === p.path || path.startsWith(`${p.path}/`));
  // Below 900 px the sidebar folds into a menu button; a navigation closes it again.
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [path]);

  return (
    <div className="shell">
      <nav className={`sidebar${menuOpen ? ' open' : ''}`} aria-label="Modules">
        <div className="sidebar-head">
          <a className="brand" {...linkProps('/')}>
            <img src="/favicon.svg" alt="" width={22} height={22} /> Sextant
          </a>
          <button
            type="button"
            className="menu-button"
            aria-expanded={menuOpen}
            aria-controls="module-list"
            onClick={() => setMenuOpen((open) => !open)}
          >
            <span aria-hidden="true">☰</span> Menu
          </button>
        </div>
        <ul id="module-list">
          {MODULE_PAGES.map((p) => (
            <li key={p.path}>
              <a {...linkProps(p.path)} aria-current={page?.path === p.path ? 'page' : undefined}>
                {p.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="content">
        <header className="topbar">
          {workspace.state === 'ready' ? (
            <>
              <span className="workspace-name">{workspace.data.name}</span>
              {workspace.data.mode !== 'configured' && <span className={`badge badge-${workspace.data.mode}`}>{workspace.data.mode}</span>}
              <span className="muted small">{workspace.data.timezone}</span>
            </>
          ) : workspace.state === 'error' ? (
            <span className="error">Cannot reach the Sextant API: {workspace.error.message}</span>
          ) : (
            <span className="muted">Loading…</span>
          )}
        </header>
        <main>
          {page ? page.render() : <OverviewPage workspace={workspace.state === 'ready' ? workspace.data : null} modules={MODULE_PAGES} />}
        </main>
      </div>
    </div>
  );
}
