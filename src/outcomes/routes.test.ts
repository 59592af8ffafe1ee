import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { bearer, buildTestApp } from '../test-support/app.js';
import { checkResponseSchemas, routesWithoutResponseSchema } from '../test-support/response-schemas.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import { NO_PEERS, type SeriesRange } from '../kit/module.js';
import { outcomesRoutes } from './routes.js';
import type { Store } from '../store/database.js';

/** Outcomes over HTTP on every test dialect: definitions, batches, bad input, the tree, notes and readouts. */
describe.each(TEST_DIALECTS)('outcomes API on $name', (dialect) => {
  let store: Store;
  let app: FastifyInstance;
  let auth: { authorization: string };

  beforeAll(async () => {
    store = await dialect.open();
    app = await buildTestApp(store);
    checkResponseSchemas(app);
    auth = await bearer(store);
    for (const [id, body] of [
      ['signups', { name: 'Signups', aggregation: 'sum' }],
      ['active', { name: 'Active teams', aggregation: 'last', owner: 'growth' }],
      ['paid', { name: 'Paid', aggregation: 'sum' }],
      ['conversion', { name: 'Conversion', unit: 'ratio', numerator: 'paid', denominator: 'signups' }],
    ] as const) {
      const response = await app.inject({ method: 'PUT', url: `/api/v1/metrics/${id}`, headers: auth, payload: body });
      expect(response.statusCode, response.body).toBe(200);
    }
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  const points = async (metric: string) => {
    const response = await app.inject({ url: `/api/v1/metrics/${metric}/points?from=2000-01-01&to=2100-01-01` });
    return (response.json() as { items: Array<{ date: string; value: number }> }).items;
  };

  it('writes a batch idempotently and lists the rows behind the numbers', async () => {
    const batch = {
      points: [
        { metric: 'signups', date: '2025-01-06', value: 10 },
        { metric: 'signups', date: '2025-01-07', value: 12 },
        { metric: 'paid', date: '2025-01-06', value: 2 },
      ],
    };
    for (let i = 0; i < 2; i++) {
      const response = await app.inject({ method: 'POST', url: '/api/v1/metrics/points', headers: auth, payload: batch });
      expect(response.json()).toEqual({ written: 3 });
    }
    expect(await points('signups')).toEqual([
      { date: '2025-01-06', value: 10 },
      { date: '2025-01-07', value: 12 },
    ]);
    const put = await app.inject({
      method: 'PUT',
      url: '/api/v1/metrics/signups/points/2025-01-07',
      headers: auth,
      payload: { value: 13 },
    });
    expect(put.statusCode).toBe(204);
    expect((await points('signups'))[1]).toEqual({ date: '2025-01-07', value: 13 });
  });

  it.each([
    ['an unknown metric', { metric: 'nope', date: '2025-02-01', value: 1 }, 'body.points[1].metric', 'unknown metric "nope"'],
    ['a duplicate with another value', { metric: 'signups', date: '2025-02-01', value: 9 }, 'body.points[1].value', 'appears twice'],
    ['a computed ratio', { metric: 'conversion', date: '2025-02-01', value: 0.5 }, 'body.points[1].metric', 'is a ratio'],
    ['a non-numeric value', { metric: 'signups', date: '2025-02-02', value: 'ten' }, 'body.points[1].value', ''],
    ['a date that is not a calendar date', { metric: 'signups', date: '2025-02-30', value: 1 }, 'body.points[1].date', 'calendar date'],
  ])('rejects a batch with %s, naming the field, and writes nothing', async (_name, bad, field, message) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/metrics/points',
      headers: auth,
      payload: { points: [{ metric: 'signups', date: '2025-02-01', value: 5 }, bad] },
    });
    expect(response.statusCode).toBe(400);
    const problem = response.json() as { errors: Array<{ field: string; message: string }> };
    expect(problem.errors.map((e) => e.field)).toContain(field);
    expect(problem.errors.find((e) => e.field === field)?.message).toContain(message);
    expect((await points('signups')).map((p) => p.date)).not.toContain('2025-02-01');
  });

  it('rejects a tree with a cycle and a deck with an unknown metric, and keeps what was stored', async () => {
    const good = await app.inject({
      method: 'PUT',
      url: '/api/v1/outcomes/tree',
      headers: auth,
      payload: {
        northStars: [{ metric: 'active' }],
        edges: [{ parent: 'active', child: 'signups', hypothesis: 'more signups -> more active teams' }],
      },
    });
    expect(good.statusCode).toBe(204);
    const cycle = await app.inject({
      method: 'PUT',
      url: '/api/v1/outcomes/tree',
      headers: auth,
      payload: {
        northStars: [{ metric: 'active' }],
        edges: [
          { parent: 'active', child: 'signups' },
          { parent: 'signups', child: 'paid' },
          { parent: 'paid', child: 'active' },
        ],
      },
    });
    expect(cycle.statusCode).toBe(400);
    expect(JSON.stringify(cycle.json())).toContain('cycle');
    const deck = await app.inject({
      method: 'PUT',
      url: '/api/v1/outcomes/deck',
      headers: auth,
      payload: { sections: [{ title: 'Inputs', metrics: ['signups', 'ghost'] }] },
    });
    expect(deck.statusCode).toBe(400);
    expect((deck.json() as { errors: Array<{ field: string }> }).errors[0]?.field).toBe('body.sections[0].metrics[1]');
    const tree = await app.inject({ url: '/api/v1/outcomes/tree?week=2025-01-12' });
    const root = (tree.json() as { northStars: Array<{ root: { metric: string; children: Array<{ metric: string }> } }> }).northStars[0]
      ?.root;
    expect(root?.children.map((c) => c.metric)).toEqual(['signups']);
  });

  it('publishes a readout whose exports never change; notes and re-publishing then answer 409', async () => {
    const week = '2025-01-12';
    const note = await app.inject({
      method: 'PUT',
      url: `/api/v1/reviews/${week}/notes/active`,
      headers: auth,
      payload: { text: 'Flat: waiting for the campaign.', author: 'growth' },
    });
    expect(note.statusCode).toBe(204);
    const published = await app.inject({ method: 'POST', url: `/api/v1/reviews/${week}/publish`, headers: auth, payload: { by: 'alex' } });
    expect(published.statusCode, published.body).toBe(201);
    const exports = async () =>
      Promise.all(['readout.md', 'readout.html'].map(async (file) => (await app.inject({ url: `/api/v1/readouts/${week}/${file}` })).body));
    const [md1, html1] = await exports();
    expect(md1).toContain('# Weekly business review: week ending 2025-01-12');
    expect(md1).toContain('Flat: waiting for the campaign. (growth)');
    // Every metric but active had no note; the default deck orders inputs, the North Star, then the rest.
    expect(md1).toMatch(/## Owners without a note\n\n- signups\n- conversion\n- paid\n$/);
    expect(html1).toContain('<svg');
    expect(html1).not.toMatch(/(src|href)=["']?https?:/);
    // Data changes after publication do not reach the readout.
    await app.inject({ method: 'PUT', url: '/api/v1/metrics/signups/points/2025-01-07', headers: auth, payload: { value: 999 } });
    const [md2, html2] = await exports();
    expect(md2).toBe(md1);
    expect(html2).toBe(html1);
    const edit = await app.inject({
      method: 'PUT',
      url: `/api/v1/reviews/${week}/notes/active`,
      headers: auth,
      payload: { text: 'changed', author: 'growth' },
    });
    expect(edit.statusCode).toBe(409);
    expect((edit.json() as { detail: string }).detail).toContain('published');
    const again = await app.inject({ method: 'POST', url: `/api/v1/reviews/${week}/publish`, headers: auth, payload: { by: 'alex' } });
    expect(again.statusCode).toBe(409);
    const list = await app.inject({ url: '/api/v1/readouts' });
    expect((list.json() as { items: Array<{ weekEnding: string }> }).items.map((r) => r.weekEnding)).toEqual([week]);
  });

  it('needs a token to write', async () => {
    const response = await app.inject({ method: 'PUT', url: '/api/v1/metrics/signups/points/2025-01-08', payload: { value: 1 } });
    expect(response.statusCode).toBe(401);
  });
});

describe('the outcomes routes', () => {
  it('declare a response schema wherever they answer JSON (the OpenAPI document and web/src/api/types.ts carry it)', () => {
    expect(
      routesWithoutResponseSchema(outcomesRoutes({} as Store, NO_PEERS, { workspaceDir: '', repositoryRoots: [], timeZone: 'UTC' })),
    ).toEqual([]);
  });
});

describe('the weekly review route', () => {
  it("gives review sections the workspace's time zone, so their days are local days", async () => {
    const store = await (TEST_DIALECTS[0] as (typeof TEST_DIALECTS)[number]).open();
    try {
      const ranges: SeriesRange[] = [];
      const peers = {
        ...NO_PEERS,
        reviewSections: [{ module: 'probe', section: async (_s: Store, range: SeriesRange) => (ranges.push(range), null) }],
      };
      const route = outcomesRoutes(store, peers, { workspaceDir: '', repositoryRoots: [], timeZone: 'Pacific/Auckland' }).find(
        (spec) => spec.operationId === 'getWeeklyReview',
      );
      await route?.handler({ params: { week: '2026-03-08' }, query: {}, body: undefined, headers: {}, rawBody: undefined });
      // Monday 2026-03-02 to Sunday 2026-03-08, counted in Auckland's days (was UTC whatever the workspace said).
      expect(ranges).toEqual([{ from: '2026-03-02', to: '2026-03-08', timeZone: 'Pacific/Auckland' }]);
    } finally {
      await store.close();
    }
  });
});
