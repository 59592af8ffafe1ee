import type { ReactNode } from 'react';
import { linkProps } from '../router.js';

/**
 * The one place that knows where each kind of thing has its page: a service,
 * team, SLO, deployment or incident named anywhere links there. Each link
 * carries `data-entity` and `data-id` for tests.
 */
export type EntityKind = 'service' | 'team' | 'slo' | 'deployment' | 'incident';

export function entityHref(kind: EntityKind, id: string): string {
  const key = encodeURIComponent(id);
  switch (kind) {
    case 'service':
      return `/org/services/${key}`;
    case 'team':
      return `/org?team=${key}#services`;
    case 'slo':
      return `/reliability?slo=${key}`;
    case 'deployment':
      return `/delivery?view=deployment&id=${key}#rows`;
    case 'incident':
      return `/incidents/${key}`;
  }
}

export function EntityLink({ kind, id, children }: { kind: EntityKind; id: string; children?: ReactNode }) {
  return (
    <a className="entity-link" data-entity={kind} data-id={id} {...linkProps(entityHref(kind, id))}>
      {children ?? id}
    </a>
  );
}

export const ServiceLink = ({ id, children }: { id: string; children?: ReactNode }) => (
  <EntityLink kind="service" id={id}>
    {children}
  </EntityLink>
);

export const TeamLink = ({ id, children }: { id: string; children?: ReactNode }) => (
  <EntityLink kind="team" id={id}>
    {children}
  </EntityLink>
);
