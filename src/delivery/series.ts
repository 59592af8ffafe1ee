import type { PublishedSeries, SeriesRange } from '../kit/module.js';
import { loadOrg } from '../org/index.js';
import { toLocal } from '../shared/time-zone.js';
import type { Store } from '../store/database.js';
import { productionEnvironments } from './delivery-facts.js';
import { deliveryDoraSeries } from './dora-series.js';
import { byScope, scopedMetric, serviceScopes, type SeriesScope } from './series-scopes.js';
import { loadDeployments } from './store.js';

const DAY_MS = 86_400_000;

function localDate(ms: number, timeZone: string): string {
  const l = toLocal(ms, timeZone);
  return `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
}

/**
 * Delivery's daily series for the outcomes store (the module contract's
 * optional `series`): successful production deployments a day, deploy-days (1
 * on a day with at least one) and failed production deployments
 * workspace-wide; deployments and deploy-days per service (owned by the
 * service's team) and per team (series-scopes.ts); then the DORA series
 * (dora-series.ts). Days are local to the workspace's zone; every day of the
 * range gets a value (0 when nothing shipped).
 */
export async function deliverySeries(store: Store, range: SeriesRange): Promise<PublishedSeries[]> {
  const [deployments, org] = await Promise.all([loadDeployments(store.db), loadOrg(store.db)]);
  const services = new Map(org.services.map((s) => [s.id, s]));
  const scopesOf = serviceScopes(org);
  const days: string[] = [];
  for (let ms = Date.parse(`${range.from}T00:00:00Z`); ms <= Date.parse(`${range.to}T00:00:00Z`); ms += DAY_MS)
    days.push(new Date(ms).toISOString().slice(0, 10));
  const inRange = new Set(days);
  const success = new Map<string, number>();
  const failed = new Map<string, number>();
  const perScope = new Map<string, { scope: SeriesScope; success: Map<string, number> }>();
  const add = (counts: Map<string, number>, date: string) => counts.set(date, (counts.get(date) ?? 0) + 1);
  for (const d of deployments) {
    if (!productionEnvironments(services.get(d.serviceId)).has(d.environment)) continue;
    const date = localDate(d.finishedAt, range.timeZone);
    if (!inRange.has(date)) continue;
    if (d.status !== 'success') {
      add(failed, date);
      continue;
    }
    add(success, date);
    for (const scope of scopesOf(d.serviceId)) {
      let entry = perScope.get(scope.suffix);
      if (!entry) perScope.set(scope.suffix, (entry = { scope, success: new Map() }));
      add(entry.success, date);
    }
  }
  const daily = (counts: Map<string, number>) => days.map((date) => ({ date, value: counts.get(date) ?? 0 }));
  const deployDays = (counts: Map<string, number>) => days.map((date) => ({ date, value: (counts.get(date) ?? 0) > 0 ? 1 : 0 }));
  const count = (id: string, name: string, description: string, direction: 'up' | 'down' = 'up') =>
    ({ id, name, unit: 'count', direction, aggregation: 'sum', description }) as const;
  const deploymentsMetric = count(
    'delivery.deployments',
    'Production deployments',
    'Successful production deployments finished that day (DORA deployment frequency).',
  );
  const deployDaysMetric = count(
    'delivery.deploy-days',
    'Deploy days',
    'Days with at least one successful production deployment (1 or 0 a day; a week sums to its deploy days).',
  );
  return [
    { metric: deploymentsMetric, points: daily(success) },
    { metric: deployDaysMetric, points: deployDays(success) },
    {
      metric: count(
        'delivery.failed-deployments',
        'Failed production deployments',
        'Production deployments that did not complete, by the day they finished.',
        'down',
      ),
      points: daily(failed),
    },
    ...[...perScope.values()]
      .sort((a, b) => byScope(a.scope, b.scope))
      .flatMap(({ scope, success: counts }) => [
        { metric: scopedMetric(deploymentsMetric, scope), points: daily(counts) },
        { metric: scopedMetric(deployDaysMetric, scope), points: deployDays(counts) },
      ]),
    ...(await deliveryDoraSeries(store, range, scopesOf)),
  ];
}
