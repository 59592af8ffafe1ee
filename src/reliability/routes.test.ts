import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createToken } from '../auth/store.js';
import { buildTestApp } from '../test-support/app.js';
import type { Store } from '../store/database.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import { loadDefinitions } from './definitions/load-definitions.js';
import { replaceDefinitions } from './store.js';
import { upsertDeployments } from '../delivery/store.js';
import { saveDeliveryIncidents } from '../incidents/index.js';
import { saveService, saveTeam } from '../org/index.js';
import { buildDeployment, buildIncident } from '../test-support/delivery-factories.js';

const definitions = loadDefinitions([path.join(import.meta.dirname, '..', 'test-support', 'testdata', 'reliability', 'openslo')]);

async function openApp(store: Store): Promise<{ app: FastifyInstance; token: string }> {
  await replaceDefinitions(store.db, definitions, 'config');
  const { token } = await createToken(store.db, 'test');
  const app = await buildTestApp(store);
  return { app, token };
}

/** 100 requests a minute from 10:00 to 10:59 on 3 June 2024; the last five minutes have 20 failures each. */
const samples = Array.from({ length: 60 }, (_, minute) => ({
  timestamp: `2024-06-03T10:${String(minute).padStart(2, '0')}:00Z`,
  good: minute >= 55 ? 80 : 100,
  total: 100,
}));

for (const dialect of TEST_DIALECTS) {
  describe(`reliability API on ${dialect.name}`, () => {
    let store: Store | undefined;
    let app: FastifyInstance | undefined;
    afterEach(async () => {
      await app?.close();
      await store?.close();
      app = undefined;
      store = undefined;
    });

    it('takes pushed samples and answers status, detail, series and the release gate', async () => {
      store = await dialect.open();
      const opened = await openApp(store);
      app = opened.app;
      const auth = { authorization: `Bearer ${opened.token}` };

      const unauthorised = await app.inject({ method: 'POST', url: '/api/v1/slos/checkout-availability/samples', payload: { samples } });
      expect(unauthorised.statusCode).toBe(401);

      const pushed = await app.inject({
        method: 'POST',
        url: '/api/v1/slos/checkout-availability/samples',
        headers: auth,
        payload: { samples },
      });
      expect(pushed.statusCode).toBe(200);
      expect(pushed.json()).toEqual({ written: 60, from: '2024-06-03T10:00:00.000Z', to: '2024-06-03T10:59:00.000Z' });

      // 6,000 requests, 100 failed; 99.9% allows 6: remaining 1 - 100/6 (the 30-day window holds only this hour).
      const list = await app.inject({ method: 'GET', url: '/api/v1/slos?at=2024-06-03T11:00:00Z' });
      expect(list.statusCode).toBe(200);
      const slos = list.json().items as Array<{ name: string; budgetRemaining: number; total: number }>;
      expect(slos.map((s) => s.name)).toEqual(['checkout-availability', 'checkout-latency']);
      expect(slos[0]?.total).toBe(6000);
      expect(slos[0]?.budgetRemaining).toBeCloseTo(1 - 100 / 6, 9);

      const detail = await app.inject({ method: 'GET', url: '/api/v1/slos/checkout-availability?at=2024-06-03T11:00:00Z' });
      expect(detail.json()).toMatchObject({
        status: { name: 'checkout-availability', alerts: ['page', 'ticket'] },
        labels: { team: 'checkout' },
      });

      const series = await app.inject({ method: 'GET', url: '/api/v1/slos/checkout-availability/series?at=2024-06-03T11:00:00Z' });
      const body = series.json() as { sli: Array<{ at: string; attainment: number }>; burnDown: Array<{ budgetRemaining: number }> };
      expect(body.sli).toEqual([{ at: '2024-06-03T10:00:00.000Z', good: 5900, total: 6000, attainment: 5900 / 6000 }]);
      expect(body.burnDown.at(-1)?.budgetRemaining).toBeCloseTo(1 - 100 / 6, 9);

      const gate = await app.inject({ method: 'GET', url: '/api/v1/services/checkout/release-gate?at=2024-06-03T11:00:00Z' });
      expect(gate.json()).toMatchObject({
        decision: 'frozen',
        policy: 'default',
        reasons: [{ rule: 'release-freeze', slo: 'checkout-availability' }],
      });
      const exempt = await app.inject({ method: 'GET', url: '/api/v1/services/checkout/release-gate?at=2024-06-03T11:00:00Z&label=P0' });
      expect(exempt.json()).toMatchObject({ decision: 'open', labels: ['P0'] });

      const openApi = await app.inject({ method: 'GET', url: '/api/openapi.json' });
      expect(Object.keys(openApi.json().paths)).toEqual(
        expect.arrayContaining(['/api/v1/slos', '/api/v1/slos/{id}', '/api/v1/slos/{id}/samples', '/api/v1/services/{id}/release-gate']),
      );
    });

    it("attributes budget spend to the delivery module's incidents and deployments, and requires a postmortem", async () => {
      store = await dialect.open();
      const opened = await openApp(store);
      app = opened.app;
      await app.inject({
        method: 'POST',
        url: '/api/v1/slos/checkout-availability/samples',
        headers: { authorization: `Bearer ${opened.token}` },
        payload: { samples },
      });
      const at = (hhmm: string) => Date.parse(`2024-06-03T${hhmm}:00Z`);
      await saveTeam(store.db, { id: 'shop', name: 'Shop', parentId: null, description: null });
      await saveService(store.db, {
        id: 'checkout',
        name: 'Checkout',
        ownerTeamId: 'shop',
        description: null,
        repositories: [],
        environments: [
          { name: 'production', production: true },
          { name: 'staging', production: false },
        ],
      });
      await saveDeliveryIncidents(
        store.db,
        [buildIncident({ id: 'inc-1', serviceId: 'checkout', startedAt: at('10:50'), resolvedAt: at('11:00') })],
        'api',
        0,
      );
      await upsertDeployments(
        store.db,
        [
          buildDeployment({ id: 'dep-early', serviceId: 'checkout', finishedAt: at('10:30') }),
          buildDeployment({ id: 'dep-bad', serviceId: 'checkout', finishedAt: at('10:54') }),
          buildDeployment({ id: 'dep-staging', serviceId: 'checkout', environment: 'staging', finishedAt: at('10:56') }),
        ],
        'api',
        0,
      );

      const response = await app.inject({ method: 'GET', url: '/api/v1/slos/checkout-availability/attribution?at=2024-06-03T11:00:00Z' });
      expect(response.statusCode).toBe(200);
      // By hand: minutes 10:55-10:59 have 20 bad events each (100 in all); 99.9% allows 0.001 of the window's events.
      // inc-1 spans 10:50-11:00: 100 bad of 0.001 x 6,000 = 6 allowed. dep-bad: its 2 hours are cut at `at` (11:00),
      // 10:54-11:00, the same 100 of 6. dep-early: 10:30 until the next deployment at 10:54, no bad events, of
      // 0.001 x 5,400 = 5.4. The staging deployment does not count.
      expect(response.json().attributions).toEqual([
        {
          kind: 'deployment',
          id: 'dep-bad',
          start: '2024-06-03T10:54:00.000Z',
          end: '2024-06-03T11:00:00.000Z',
          spent: 100,
          allowed: expect.closeTo(6, 9),
          share: expect.closeTo(100 / 6, 9),
        },
        {
          kind: 'incident',
          id: 'inc-1',
          start: '2024-06-03T10:50:00.000Z',
          end: '2024-06-03T11:00:00.000Z',
          spent: 100,
          allowed: expect.closeTo(6, 9),
          share: expect.closeTo(100 / 6, 9),
        },
        {
          kind: 'deployment',
          id: 'dep-early',
          start: '2024-06-03T10:30:00.000Z',
          end: '2024-06-03T10:54:00.000Z',
          spent: 0,
          allowed: expect.closeTo(5.4, 9),
          share: 0,
        },
      ]);

      // The stored gate sees the same incident: far over 20% of the budget, so a postmortem is required.
      const gate = await app.inject({ method: 'GET', url: '/api/v1/services/checkout/release-gate?at=2024-06-03T11:00:00Z' });
      expect(gate.json().postmortemsRequired).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ incident: 'inc-1', slo: 'checkout-availability', share: expect.closeTo(100 / 6, 9) }),
        ]),
      );
    });

    it('refuses a bad batch with the fields named and writes nothing', async () => {
      store = await dialect.open();
      const opened = await openApp(store);
      app = opened.app;
      const payload = {
        samples: [
          { timestamp: '2024-06-03T10:00:00Z', good: 1, total: 1 },
          { timestamp: '2024-06-03T10:01:30Z', good: 1, total: 1 },
          { timestamp: '2024-06-03T10:02:00Z', good: 2, total: 1 },
        ],
      };
      const push = (slo: string, samples: typeof payload.samples) =>
        (app as FastifyInstance).inject({
          method: 'POST',
          url: `/api/v1/slos/${slo}/samples`,
          headers: { authorization: `Bearer ${opened.token}` },
          payload: { samples },
        });
      const response = await push('checkout-availability', payload.samples);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json().errors).toEqual([{ field: 'body.samples[2].good', message: 'good exceeds total' }]);
      const timestamps = await push('checkout-availability', payload.samples.slice(0, 2));
      expect(timestamps.statusCode).toBe(400);
      expect(timestamps.json().errors).toEqual([
        { field: 'body.samples[1].timestamp', message: 'is not the start of a minute (seconds must be 0)' },
      ]);
      const rows = await store.db.selectFrom('slo_samples_hour').select('slo').execute();
      expect(rows).toEqual([]);
      const unknown = await push('no-such-slo', payload.samples.slice(0, 1));
      expect(unknown.statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: '/api/v1/services/nope/release-gate' })).statusCode).toBe(404);
    });
  });
}
