import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_PEERS } from '../kit/module.js';
import type { Store } from '../store/database.js';
import { buildTestApp } from '../test-support/app.js';
import { checkResponseSchemas } from '../test-support/response-schemas.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import { dayOf } from './dates.js';
import { loadOutcomesDemo } from './demo.js';
import { edgeChecks, treeView, weeklyReview } from './review.js';
import { listReadouts } from './store.js';

/** The demo's North Star as the issue asks for it: a leading input, one that does not lead, a step change, readouts. */
describe('outcomes demo', () => {
  let store: Store;
  // Monday 2026-03-02, 09:00 UTC: the last complete week ends Sunday 2026-03-01.
  const now = Date.UTC(2026, 2, 2, 9);

  beforeAll(async () => {
    store = await (TEST_DIALECTS[0] as (typeof TEST_DIALECTS)[number]).open();
    await loadOutcomesDemo({ store, options: { seed: 1, scale: 1, now }, peers: NO_PEERS });
  }, 60_000);

  afterAll(async () => {
    await store?.close();
  });

  it('finds activated teams leading the North Star by two weeks and reports created as no relation', async () => {
    const edges = edgeChecks(await treeView(store.db, dayOf('2026-03-01')));
    const byChild = new Map(edges.map((e) => [e.child, e.check]));
    expect(byChild.get('activated-teams')?.bestLag).toBe(2);
    expect(byChild.get('activated-teams')?.verdict).toBe('moves with it 2 weeks ahead');
    expect(byChild.get('reports-created')?.related).toBe(false);
    expect(byChild.get('reports-created')?.verdict).toBe('no relation found');
  });

  it('catches the reports-created step change eight weeks before the end, and not on the North Star inputs that did not change', async () => {
    const review = await weeklyReview(store, dayOf('2026-03-01'), NO_PEERS);
    const item = review.sections.flatMap((s) => s.metrics).find((m) => m.metric.id === 'reports-created');
    // The step starts 56 days before the last day (2026-03-01): the first week after it ends 2026-01-11.
    const high = item?.chart.weekly.signals.filter((s) => s.direction === 'high').map((s) => s.period) ?? [];
    expect(high).toContain('2026-03-01');
    expect(high.every((period) => period >= '2026-01-11')).toBe(true);
    expect(item?.chart.weekly.signals.some((s) => s.rule === 1)).toBe(true);
  });

  it('publishes three readouts and leaves the last week open', async () => {
    expect((await listReadouts(store.db)).map((r) => r.weekEnding)).toEqual(['2026-02-15', '2026-02-08', '2026-02-01']);
    expect((await weeklyReview(store, dayOf('2026-03-01'), NO_PEERS)).published).toBe(false);
  });

  it('answers every read route with what its response schema says (tree, check, charts, review, readouts)', async () => {
    const app = await buildTestApp(store);
    checkResponseSchemas(app);
    try {
      const get = async (url: string) => {
        const response = await app.inject({ method: 'GET', url });
        expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
        return response.json();
      };
      const metrics = await get('/api/v1/metrics?limit=500');
      expect(metrics.items.map((m: { id: string }) => m.id)).toContain('activated-teams');
      expect((await get('/api/v1/metrics/activated-teams')).id).toBe('activated-teams');
      expect((await get('/api/v1/metrics/activated-teams/chart?week=2026-03-01')).chart.weeks).toHaveLength(6);
      expect((await get('/api/v1/outcomes/tree?week=2026-03-01')).northStars.length).toBeGreaterThan(0);
      const check = await get('/api/v1/outcomes/northstar/check?week=2026-03-01');
      expect(check.edges.find((e: { child: string }) => e.child === 'activated-teams').check.bestLag).toBe(2);
      await get('/api/v1/outcomes/deck');
      expect((await get('/api/v1/reviews/2026-03-01')).published).toBe(false);
      expect((await get('/api/v1/readouts')).items.map((r: { weekEnding: string }) => r.weekEnding)).toEqual([
        '2026-02-15',
        '2026-02-08',
        '2026-02-01',
      ]);
      expect((await get('/api/v1/readouts/2026-02-15')).review.published).toBe(true);
    } finally {
      await app.close();
    }
  });
});
