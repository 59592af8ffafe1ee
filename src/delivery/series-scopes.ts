import type { PublishedSeries } from '../kit/module.js';
import type { Org } from '../org/index.js';

type SeriesMetric = PublishedSeries['metric'];

/**
 * Where a published delivery series counts deployments: the workspace (the
 * plain id, `delivery.deploy-days`), one service (`delivery.deploy-days.<service>`,
 * owned by the service's team) or one team (`delivery.deploy-days.team.<team>`,
 * owned by the team).
 */
export interface SeriesScope {
  /** Appended to every id of the scope's series: '', `.<service>` or `.team.<team>`. */
  suffix: string;
  /** Appended to the name (`Deploy days: payments`); null for the workspace. */
  label: string | null;
  /** Appended to the description: what the scope counts. */
  detail: string;
  owner: string | null;
}

export const WORKSPACE_SCOPE: SeriesScope = { suffix: '', label: null, detail: '', owner: null };

/**
 * The scopes a service's deployments count in besides the workspace: the
 * service, its owner team and every team above it. A team's series thus
 * covers the services of the team and of the teams below it, as the delivery
 * summary's team scope does (servicesInScope), so the two agree. A service the
 * org does not know gets its own scope, without owner or team.
 */
export function serviceScopes(org: Org): (serviceId: string) => readonly SeriesScope[] {
  const parents = new Map(org.teams.map((t) => [t.id, t.parentId]));
  const owners = new Map(org.services.map((s) => [s.id, s.ownerTeamId]));
  const cache = new Map<string, SeriesScope[]>();
  return (serviceId) => {
    const cached = cache.get(serviceId);
    if (cached) return cached;
    const owner = owners.get(serviceId) ?? null;
    const scopes: SeriesScope[] = [{ suffix: `.${serviceId}`, label: serviceId, detail: `Service ${serviceId} only.`, owner }];
    // The org forbids cycles; `seen` keeps a corrupt store from looping.
    const seen = new Set<string>();
    for (let team = owner; team !== null && parents.has(team) && !seen.has(team); team = parents.get(team) ?? null) {
      seen.add(team);
      scopes.push({
        suffix: `.team.${team}`,
        label: `team ${team}`,
        detail: `Services of team ${team} and of the teams below it.`,
        owner: team,
      });
    }
    cache.set(serviceId, scopes);
    return scopes;
  };
}

/** Services first, then teams, each by id: a stable order for the published list. */
export function byScope(a: SeriesScope, b: SeriesScope): number {
  const team = (s: SeriesScope) => (s.suffix.startsWith('.team.') ? 1 : 0);
  return team(a) - team(b) || (a.suffix < b.suffix ? -1 : a.suffix > b.suffix ? 1 : 0);
}

/** A workspace-wide metric's definition for one scope: the ids (a ratio's parts too) suffixed, the name labelled, the owner set. */
export function scopedMetric(metric: SeriesMetric, scope: SeriesScope): SeriesMetric {
  if (scope.label === null) return metric;
  return {
    ...metric,
    id: `${metric.id}${scope.suffix}`,
    name: `${metric.name}: ${scope.label}`,
    description: `${metric.description} ${scope.detail}`,
    owner: scope.owner,
    ...(metric.numerator !== undefined && metric.denominator !== undefined
      ? { numerator: `${metric.numerator}${scope.suffix}`, denominator: `${metric.denominator}${scope.suffix}` }
      : {}),
  };
}
