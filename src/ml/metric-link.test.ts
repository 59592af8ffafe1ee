import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { saveTeam } from '../org/index.js';
import type { Store } from '../store/database.js';
import { bearer, buildTestApp } from '../test-support/app.js';
import { TEST_DIALECTS } from '../test-support/stores.js';

/**
 * src/modules.ts builds the ML module with the outcomes metric store as its
 * `metrics` link: a project's business metric shows the metric's latest daily
 * point on or before the date asked, and follows new points; an id the store
 * does not have is refused when the project is written.
 */
const project = {
  id: 'churn',
  name: 'Churn model',
  productOwner: 'Ana',
  qualityMetric: 'recall',
  minQuality: 0.7,
  productionPath: 'batch scores into the CRM',
  teams: ['ml'],
  start: '2026-01-05',
  businessMetric: 'Weekly churned accounts',
  businessMetricId: 'churned-accounts',
};

for (const dialect of TEST_DIALECTS) {
  describe(`ML business metric from the outcomes store on ${dialect.name}`, () => {
    let store: Store | undefined;
    let app: FastifyInstance | undefined;
    afterEach(async () => {
      await app?.close();
      await store?.close();
      app = undefined;
      store = undefined;
    });

    it('shows the live value of the business metric and follows new points', async () => {
      store = await dialect.open();
      await saveTeam(store.db, { id: 'ml', name: 'ML', parentId: null, description: null });
      app = await buildTestApp(store);
      const headers = await bearer(store);

      // Before the metric exists the project is refused, naming the field; nothing is written.
      const refused = await app.inject({ method: 'POST', url: '/api/v1/ml/projects', headers, payload: project });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().errors).toEqual([
        { field: 'body.businessMetricId', message: 'unknown metric "churned-accounts": it is not in the metric store' },
      ]);
      expect((await app.inject({ method: 'GET', url: '/api/v1/ml/projects/churn' })).statusCode).toBe(404);

      expect(
        (
          await app.inject({
            method: 'PUT',
            url: '/api/v1/metrics/churned-accounts',
            headers,
            payload: { name: 'Churned accounts', direction: 'down', aggregation: 'sum' },
          })
        ).statusCode,
      ).toBeLessThan(300);
      const points = (list: Array<[string, number]>) =>
        app!.inject({
          method: 'POST',
          url: '/api/v1/metrics/points',
          headers,
          payload: { points: list.map(([date, value]) => ({ metric: 'churned-accounts', date, value })) },
        });
      expect(
        (
          await points([
            ['2026-02-27', 41],
            ['2026-03-01', 38],
            ['2026-03-04', 35],
          ])
        ).statusCode,
      ).toBe(200);
      expect((await app.inject({ method: 'POST', url: '/api/v1/ml/projects', headers, payload: project })).statusCode).toBe(201);

      const at = async (date: string) => (await app!.inject({ method: 'GET', url: `/api/v1/ml/projects/churn?at=${date}` })).json();
      // On 2 March the latest point on or before the day is 1 March's 38; on 28 February, 27 February's 41.
      expect((await at('2026-03-02')).businessMetricValue).toEqual({ value: 38, date: '2026-03-01' });
      expect((await at('2026-02-28')).businessMetricValue).toEqual({ value: 41, date: '2026-02-27' });
      expect((await at('2026-02-26')).businessMetricValue).toBeNull();
      expect((await at('2026-02-26')).businessMetricNote).toBe('no reading of "churned-accounts" yet');
      // A new point for 2 March (and a correction of 1 March) is followed without touching the project.
      expect(
        (
          await points([
            ['2026-03-01', 39],
            ['2026-03-02', 30],
          ])
        ).statusCode,
      ).toBe(200);
      const after = await at('2026-03-02');
      expect(after.businessMetricValue).toEqual({ value: 30, date: '2026-03-02' });
      expect(after.businessMetricNote).toBeNull();
      // The fields the project had before are unchanged.
      expect(after).toMatchObject({ businessMetric: 'Weekly churned accounts', businessMetricId: 'churned-accounts' });
    });
  });
}
