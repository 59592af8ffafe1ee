import type { ReactNode } from 'react';
import { linkProps } from '../router.js';

export interface StatCardProps {
  label: ReactNode;
  value: ReactNode;
  /** A second line: what the number counts, its parts. */
  detail?: ReactNode;
  /** What the figure means, in a sentence a reader new to the metric understands. */
  help?: ReactNode;
  /** In-app link to the rows behind the number (`/delivery?view=...`), or `#anchor` on the page. */
  href?: string;
  ariaLabel?: string;
  testId?: string;
  /** Extra `data-*` attributes tests read (`{ count: 4 }` -> `data-count="4"`). */
  data?: Record<string, string | number>;
  /** Marks the value as bad (a spent budget). */
  negative?: boolean;
  className?: string;
}

/** One figure with its label: a link to the rows behind it when it has them. */
export function StatCard({ label, value, detail, help, href, ariaLabel, testId, data, negative, className }: StatCardProps) {
  const attributes = {
    className: `card${className ? ` ${className}` : ''}`,
    'data-testid': testId,
    'aria-label': ariaLabel,
    ...Object.fromEntries(Object.entries(data ?? {}).map(([key, v]) => [`data-${key}`, v])),
  };
  const body = (
    <>
      <span className={`card-value${negative ? ' negative' : ''}`}>{value}</span>
      <span className="card-label">{label}</span>
      {detail !== undefined && <span className="muted small">{detail}</span>}
      {help !== undefined && <span className="card-help">{help}</span>}
    </>
  );
  if (href === undefined) return <span {...attributes}>{body}</span>;
  const link = href.startsWith('#') ? { href } : linkProps(href);
  return (
    <a {...attributes} {...link}>
      {body}
    </a>
  );
}

/** A row of stat cards. */
export function StatCards({ children, testId, data }: { children: ReactNode; testId?: string; data?: Record<string, string> }) {
  return (
    <div className="cards" data-testid={testId} {...Object.fromEntries(Object.entries(data ?? {}).map(([key, v]) => [`data-${key}`, v]))}>
      {children}
    </div>
  );
}
