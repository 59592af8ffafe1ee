import type { PublishedSeries, SeriesRange } from '../kit/module.js';
import { loadOrg } from '../org/index.js';
import { toLocal } from '../shared/time-zone.js';
import type { Store } from '../store/database.js';
import { productionEnvironments } from './delivery-facts.js';
import { deliveryDoraSeries } from './dora-series.js';
import { loadDeployments } from './store.js';

const DAY_MS = 86_400_000;

function localDate(ms: number, timeZone: string): string {
  const l = toLocal(ms, timeZone);
  return `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
}

/**
 * Delivery's daily series for the outcomes store (the module contract's
 * optional `series`): successful production deployments a day (workspace-wide
 * and per service, owned by the service's team), deploy-days (1 on a day with
 * at least one) and failed production deployments. Days are local to the
 * workspace's zone; every day of the range gets a value (0 when nothing shipped).
 */
export async function deliverySeries(store: Store, range: SeriesRange): Promise<PublishedSeries[]> {
  const [deployments, org] = await Promise.all([loadDeployments(store.db), loadOrg(store.db)]);
  const services = new Map(org.services.map((s) => [s.id, s]));
  const days: string[] = [];
  for (let ms = Date.parse(`${range.from}T00:00:00Z`); ms <= Date.parse(`${range.to}T00:00:00Z`); ms += DAY_MS)
    days.push(new Date(ms).toISOString().slice(0, 10));
  const inRange = new Set(days);
  const success = new Map<string, number>();
  const failed = new Map<string, number>();
  const perService = new Map<string, Map<string, number>>();
  for (const d of deployments) {
    if (!productionEnvironments(services.get(d.serviceId)).has(d.environment)) continue;
    const date = localDate(d.finishedAt, range.timeZone);
    if (!inRange.has(date)) continue;
    const counts = d.status === 'success' ? success : failed;
    counts.set(date, (counts.get(date) ?? 0) + 1);
    if (d.status === 'success') {
      const service = perService.get(d.serviceId) ?? new Map<string, number>();
      service.set(date, (service.get(date) ?? 0) + 1);
      perService.set(d.serviceId, service);
    }
  }
  const daily = (counts: Map<string, number>) => days.map((date) => ({ date, value: counts.get(date) ?? 0 }));
  const count = (id: string, name: string, description: string, direction: 'up' | 'down' = 'up') =>
    ({ id, name, unit: 'count', direction, aggregation: 'sum', description }) as const;
  return [
    {
      metric: count(
        'delivery.deployments',
        'Production deployments',
        'Successful production deployments finished that day (DORA deployment frequency).',
      ),
      points: daily(success),
    },
    {
      metric: count(
        'delivery.deploy-days',
        'Deploy days',
        'Days with at least one successful production deployment (1 or 0 a day; a week sums to its deploy days).',
      ),
      points: days.map((date) => ({ date, value: (success.get(date) ?? 0) > 0 ? 1 : 0 })),
    },
    {
      metric: count(
        'delivery.failed-deployments',
        'Failed production deployments',
        'Production deployments that did not complete, by the day they finished.',
        'down',
      ),
      points: daily(failed),
    },
    ...[...perService.keys()].sort().map((serviceId) => ({
      metric: {
        ...count(
          `delivery.deployments.${serviceId}`,
          `Deployments: ${serviceId}`,
          `Successful production deployments of ${serviceId} a day.`,
        ),
        owner: services.get(serviceId)?.ownerTeamId ?? null,
      },
      points: daily(perService.get(serviceId) as Map<string, number>),
    })),
    ...(await deliveryDoraSeries(store, range)),
  ];
}
