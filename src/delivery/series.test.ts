import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modulePeers, type PublishedSeries } from '../kit/module.js';
import { replaceOrg, type Service, type Team } from '../org/index.js';
import { listMetrics, metricPeriodValue } from '../outcomes/index.js';
import { publishModuleSeries } from '../outcomes/sync-task.js';
import type { Store } from '../store/database.js';
import { buildDeployment } from '../test-support/delivery-factories.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import { deliveryModule } from './index.js';
import { deliverySeries } from './series.js';
import { replaceChanges, upsertDeployments, type StoredChange } from './store.js';

const at = (iso: string) => Date.parse(iso);

function team(id: string, parentId: string | null): Team {
  return { id, name: id, parentId, description: null, source: 'config' };
}

function service(id: string, ownerTeamId: string): Service {
  return {
    id,
    name: id,
    ownerTeamId,
    description: null,
    repositories: [],
    environments: [
      { name: 'production', production: true },
      { name: 'staging', production: false },
    ],
    source: 'config',
  };
}

/**
 * Team pay sits under team eng; payments is pay's, checkout is eng's own. The
 * range is Mon Apr 1 - Wed Apr 3 2024 (UTC); lead and recovery medians look at
 * the 7 days ending each day, so checkout's Mar 30 deployment counts in all three.
 *
 *   payments  A1 Apr 1 10:00 ships changes authored 08:00 and 06:00     lead 2 h, 4 h
 *             A2 Apr 2 10:00 ships a change authored 09:00             lead 1 h; failed: rolled back by A3
 *             A3 Apr 2 12:00 rolls A2 back, ships nothing              A2 recovered in 2 h
 *             F1 Apr 3 08:00 did not complete (status failure)         counts in delivery.failed-deployments only
 *             S1 Apr 3 09:00 to staging                                counts nowhere
 *   checkout  C0 Mar 30 10:00 ships a change authored Mar 29 10:00     lead 24 h (before the range)
 *             C1 Apr 3 15:00 ships changes authored 09:00, Apr 2 15:00 lead 6 h, 24 h; failed: fixed by C2
 *             C2 Apr 3 18:00 fixes C1, ships a change authored 17:00   lead 1 h; C1 recovered in 3 h
 */
const DEPLOYMENTS = [
  buildDeployment({ id: 'A1', serviceId: 'payments', finishedAt: at('2024-04-01T10:00:00Z') }),
  buildDeployment({ id: 'A2', serviceId: 'payments', finishedAt: at('2024-04-02T10:00:00Z') }),
  buildDeployment({ id: 'A3', serviceId: 'payments', finishedAt: at('2024-04-02T12:00:00Z'), rollbackOf: 'A2' }),
  buildDeployment({ id: 'F1', serviceId: 'payments', finishedAt: at('2024-04-03T08:00:00Z'), status: 'failure' }),
  buildDeployment({ id: 'S1', serviceId: 'payments', finishedAt: at('2024-04-03T09:00:00Z'), environment: 'staging' }),
  buildDeployment({ id: 'C0', serviceId: 'checkout', finishedAt: at('2024-03-30T10:00:00Z') }),
  buildDeployment({ id: 'C1', serviceId: 'checkout', finishedAt: at('2024-04-03T15:00:00Z') }),
  buildDeployment({ id: 'C2', serviceId: 'checkout', finishedAt: at('2024-04-03T18:00:00Z'), fixes: ['C1'] }),
];

const CHANGES: Array<[deploymentId: string, authoredAt: string]> = [
  ['A1', '2024-04-01T08:00:00Z'],
  ['A1', '2024-04-01T06:00:00Z'],
  ['A2', '2024-04-02T09:00:00Z'],
  ['C0', '2024-03-29T10:00:00Z'],
  ['C1', '2024-04-03T09:00:00Z'],
  ['C1', '2024-04-02T15:00:00Z'],
  ['C2', '2024-04-03T17:00:00Z'],
];

for (const dialect of TEST_DIALECTS) {
  describe(`delivery series per service and team on ${dialect.name}`, () => {
    let store: Store;
    let series: Map<string, PublishedSeries>;
    const range = { from: '2024-04-01', to: '2024-04-03', timeZone: 'UTC' };
    // Values on Apr 1, 2 and 3; null where the series has no point that day.
    const values = (id: string) => {
      const points = new Map(series.get(id)?.points.map((p) => [p.date, p.value]));
      return ['2024-04-01', '2024-04-02', '2024-04-03'].map((date) => points.get(date) ?? null);
    };

    beforeAll(async () => {
      store = await dialect.open();
      await replaceOrg(
        store.db,
        {
          teams: [team('eng', null), team('pay', 'eng')],
          repositories: [],
          services: [service('payments', 'pay'), service('checkout', 'eng')],
          people: [],
        },
        'config',
      );
      await upsertDeployments(store.db, DEPLOYMENTS, 'api', Date.now());
      const changes: StoredChange[] = CHANGES.map(([deploymentId, authoredAt], i) => ({
        deploymentId,
        sha: `c${i}`,
        authorTime: at(authoredAt),
        committerTime: at(authoredAt),
        revertsSha: null,
        fixesSha: null,
      }));
      await replaceChanges(
        store.db,
        DEPLOYMENTS.map((d) => d.id),
        changes,
      );
      series = new Map((await deliverySeries(store, range)).map((s) => [s.metric.id, s]));
    });
    afterAll(async () => {
      await store?.close();
    });

    it('publishes deployments and deploy-days per service and per team', () => {
      // Successful production deployments: payments A1 (Apr 1), A2 + A3 (Apr 2); checkout C1 + C2 (Apr 3).
      expect(values('delivery.deployments.payments')).toEqual([1, 2, 0]);
      expect(values('delivery.deploy-days.payments')).toEqual([1, 1, 0]);
      expect(values('delivery.deployments.checkout')).toEqual([0, 0, 2]);
      expect(values('delivery.deploy-days.checkout')).toEqual([0, 0, 1]);
      // pay = payments; eng = its own checkout plus pay's payments.
      expect(values('delivery.deployments.team.pay')).toEqual([1, 2, 0]);
      expect(values('delivery.deploy-days.team.pay')).toEqual([1, 1, 0]);
      expect(values('delivery.deployments.team.eng')).toEqual([1, 2, 2]);
      expect(values('delivery.deploy-days.team.eng')).toEqual([1, 1, 1]);
      // Workspace-wide, unchanged: everything is under eng; F1 is the one failed deployment.
      expect(values('delivery.deployments')).toEqual([1, 2, 2]);
      expect(values('delivery.deploy-days')).toEqual([1, 1, 1]);
      expect(values('delivery.failed-deployments')).toEqual([0, 0, 1]);
    });

    it('publishes lead time p50, change failure rate and recovery p50 per service and per team', () => {
      // Lead times (h) in the 7 days ending each day, linear median:
      //   payments Apr 1 [2, 4] -> 3; Apr 2-3 [1, 2, 4] -> 2
      //   checkout Apr 1-2 [24] (C0) -> 24; Apr 3 [1, 6, 24, 24] -> (6 + 24) / 2 = 15
      //   eng      Apr 1 [2, 4, 24] -> 4; Apr 2 [1, 2, 4, 24] -> (2 + 4) / 2 = 3; Apr 3 [1, 1, 2, 4, 6, 24, 24] -> 4
      expect(values('delivery.lead-time-p50.payments')).toEqual([3, 2, 2]);
      expect(values('delivery.lead-time-p50.checkout')).toEqual([24, 24, 15]);
      expect(values('delivery.lead-time-p50.team.pay')).toEqual([3, 2, 2]);
      expect(values('delivery.lead-time-p50.team.eng')).toEqual([4, 3, 4]);
      // Assessed deployments finished each day, and those that failed (A2 rolled back, C1 fixed forward).
      expect(values('delivery.cfr.deployments.payments')).toEqual([1, 2, 0]);
      expect(values('delivery.cfr.failed.payments')).toEqual([0, 1, 0]);
      expect(values('delivery.cfr.deployments.checkout')).toEqual([0, 0, 2]);
      expect(values('delivery.cfr.failed.checkout')).toEqual([0, 0, 1]);
      expect(values('delivery.cfr.deployments.team.eng')).toEqual([1, 2, 2]);
      expect(values('delivery.cfr.failed.team.eng')).toEqual([0, 1, 1]);
      // Recovery (h): A2 2 h from Apr 2; C1 3 h on Apr 3; eng on Apr 3 the median of [2, 3] = 2.5.
      expect(values('delivery.recovery-time-p50.payments')).toEqual([null, 2, 2]);
      expect(values('delivery.recovery-time-p50.checkout')).toEqual([null, null, 3]);
      expect(values('delivery.recovery-time-p50.team.pay')).toEqual([null, 2, 2]);
      expect(values('delivery.recovery-time-p50.team.eng')).toEqual([null, 2, 2.5]);
      // The workspace is eng here, and its series are as before.
      expect(values('delivery.lead-time-p50')).toEqual(values('delivery.lead-time-p50.team.eng'));
      expect(values('delivery.recovery-time-p50')).toEqual(values('delivery.recovery-time-p50.team.eng'));
      expect(values('delivery.cfr.failed')).toEqual([0, 1, 1]);
    });

    it('names owners and ratio parts by scope', () => {
      expect(series.get('delivery.change-failure-rate.checkout')?.metric).toMatchObject({
        unit: 'ratio',
        numerator: 'delivery.cfr.failed.checkout',
        denominator: 'delivery.cfr.deployments.checkout',
        owner: 'eng',
      });
      expect(series.get('delivery.change-failure-rate.team.pay')?.metric).toMatchObject({
        numerator: 'delivery.cfr.failed.team.pay',
        denominator: 'delivery.cfr.deployments.team.pay',
        owner: 'pay',
      });
      const owners = [...series.values()].filter((s) => s.metric.id.endsWith('.payments')).map((s) => s.metric.owner);
      expect(owners).toEqual(Array.from({ length: 7 }, () => 'pay'));
      expect(series.get('delivery.deploy-days.team.eng')?.metric.owner).toBe('eng');
      expect(series.get('delivery.deploy-days')?.metric.owner).toBeUndefined();
      expect(series.get('delivery.lead-time-p50.payments')?.metric).toMatchObject({ unit: 'duration', aggregation: 'last' });
    });

    it('stores them in the outcomes store, where a period of a ratio divides its parts', async () => {
      await publishModuleSeries(store, modulePeers([deliveryModule]), '2024-04-03', 'UTC');
      const stored = new Map((await listMetrics(store.db)).map((m) => [m.id, m]));
      expect(stored.get('delivery.deploy-days.payments')?.owner).toBe('pay');
      expect(stored.get('delivery.lead-time-p50.team.eng')?.owner).toBe('eng');
      // eng Apr 1-3: failed 0 + 1 + 1 over assessed 1 + 2 + 2 = 2 / 5; checkout 1 / 2; deploy-days of payments 1 + 1 + 0.
      const period = (id: string) => metricPeriodValue(store.db, id, '2024-04-01', '2024-04-03');
      expect(await period('delivery.change-failure-rate.team.eng')).toBe(2 / 5);
      expect(await period('delivery.change-failure-rate.checkout')).toBe(1 / 2);
      expect(await period('delivery.deploy-days.payments')).toBe(2);
    });
  });
}
