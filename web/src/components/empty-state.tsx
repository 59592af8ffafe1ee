import type { ReactNode } from 'react';

/** What a page shows when it has nothing to show yet: what is missing and how to add it. */
export function EmptyState({ title, children }: { title: ReactNode; children: ReactNode }) {
  return (
    <div className="empty-state" role="status">
      <h2>{title}</h2>
      {children}
    </div>
  );
}

/** The empty state of a workspace with no organisation described yet (overview and org pages). */
export function EmptyWorkspace() {
  return (
    <EmptyState title="No organisation described yet">
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
    </EmptyState>
  );
}
