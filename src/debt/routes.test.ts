import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { upsertDeployments } from '../delivery/store.js';
import { saveService, saveTeam } from '../org/index.js';
import type { Store } from '../store/database.js';
import { bearer, buildTestApp } from '../test-support/app.js';
import { buildDeployment } from '../test-support/delivery-factories.js';
import { checkResponseSchemas, routesWithoutResponseSchema } from '../test-support/response-schemas.js';
import { debtRoutes } from './routes.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import { parseWorkspaceConfig } from '../workspace/workspace-file.js';

const AT = '2024-06-30T00:00:00.000Z';
const june = (d: number) => Date.UTC(2024, 5, d, 12);

const workItem = (id: string, fields: Record<string, unknown> = {}) => ({
  id,
  team: 'shop',
  title: `Item ${id}`,
  type: 'task',
  state: 'done',
  created: '2024-06-03T09:00:00Z',
  completed: '2024-06-05T09:00:00Z',
  ...fields,
});

for (const dialect of TEST_DIALECTS) {
  describe(`debt API on ${dialect.name}`, () => {
    let store: Store | undefined;
    let app: FastifyInstance | undefined;
    afterEach(async () => {
      await app?.close();
      await store?.close();
      app = store = undefined;
    });

    async function open() {
      store = await dialect.open();
      app = await buildTestApp(store);
      checkResponseSchemas(app);
      await saveTeam(store.db, { id: 'shop', name: 'Shop', parentId: null, description: null });
      for (const id of ['pay', 'cart']) {
        await saveService(store.db, {
          id,
          name: id,
          ownerTeamId: 'shop',
          description: null,
          repositories: [],
          environments: [{ name: 'production', production: true }],
        });
      }
      return { app, store, auth: await bearer(store) };
    }

    it('imports batches idempotently, rejects a bad batch whole, and lists the items behind a sprint', async () => {
      const { app, auth } = await open();
      const url = '/api/v1/work/items';
      expect((await app.inject({ method: 'POST', url, payload: { items: [workItem('A')] } })).statusCode).toBe(401);
      const bad = await app.inject({
        method: 'POST',
        url,
        headers: auth,
        payload: { items: [workItem('A'), workItem('B', { created: '3 June' })] },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(bad.json())).toContain('items[1].created');
      // Nothing of the rejected batch was written.
      expect((await app.inject({ method: 'GET', url: '/api/v1/debt/capacity' })).json().teams).toEqual([]);

      const batch = {
        items: [workItem('A', { labels: ['tech-debt'] }), workItem('B', { type: 'feature' }), workItem('C', { type: 'bug' })],
      };
      for (let i = 0; i < 2; i++)
        expect((await app.inject({ method: 'POST', url, headers: auth, payload: batch })).json()).toEqual({ imported: 3 });
      // Default cadence: two-week sprints from 2024-01-01; 2024-06-05 falls in the one starting 2024-06-03 (day 154 = 11 x 14).
      const capacity = (await app.inject({ method: 'GET', url: '/api/v1/debt/capacity?team=shop' })).json();
      expect(
        capacity.teams[0].sprints.map((s: { sprint: string; items: number; debtShare: number; below: boolean }) => [
          s.sprint,
          s.items,
          s.debtShare,
          s.below,
        ]),
      ).toEqual([['2024-06-03', 3, 1 / 3, false]]);
      const behind = (await app.inject({ method: 'GET', url: '/api/v1/work/items?team=shop&sprint=2024-06-03' })).json();
      expect(
        behind.items.map((i: { id: string; category: { category: string; because: string } }) => [
          i.id,
          i.category.category,
          i.category.because,
        ]),
      ).toEqual([
        ['A', 'debt', '#1 label tech-debt'],
        ['B', 'new', '#4 type feature|epic|story'],
        ['C', 'ktlo', '#5 type bug|incident|chore|remediation'],
      ]);
      expect(behind.items[0].completed).toBe('2024-06-05T09:00:00.000Z');
      // The weekly series: A, B and C were completed on Wednesday 2024-06-05, in the week from Monday 2024-06-03;
      // A of the three is debt, none was started, so nothing was in progress.
      const weekly = await app.inject({ method: 'GET', url: '/api/v1/debt/weekly?from=2024-06-03T00:00:00Z&to=2024-06-10T00:00:00Z' });
      expect(weekly.json()).toEqual({ items: [{ team: 'shop', week: '2024-06-03', debtShare: 1 / 3, wip: 0 }], nextCursor: null });
    });

    it('scores register items with incident and change-failure evidence, and accepts a service candidate', async () => {
      const { app, store, auth } = await open();
      // pay: four production deployments, two of them blamed by incidents -> CFR 0.5; cart: four, none failed -> 0.
      // Median over the two services (0 and 0.5) = 0.25: pay is the worst and worse than the median.
      await upsertDeployments(
        store.db,
        ['pay', 'cart'].flatMap((service) =>
          [1, 2, 3, 4].map((d) => buildDeployment({ id: `${service}-${d}`, serviceId: service, finishedAt: june(d) })),
        ),
        'api',
        0,
      );
      // The incidents go in through the incidents module's API, as an incident tool sends them.
      const recorded = await app.inject({
        method: 'POST',
        url: '/api/v1/incidents',
        headers: auth,
        payload: {
          incidents: [2, 4].map((d) => ({
            id: `i${d / 2}`,
            service: 'pay',
            severity: 'SEV2',
            startedAt: new Date(june(d) + 3600_000).toISOString(),
            resolvedAt: new Date(june(d) + 7200_000).toISOString(),
            causedBy: { deployment: `pay-${d}` },
          })),
        },
      });
      expect(recorded.statusCode).toBe(200);
      const candidates = (await app.inject({ method: 'GET', url: `/api/v1/debt/candidates?at=${AT}` })).json();
      expect(candidates.items.map((c: { key: string; category: string; evidence: unknown }) => [c.key, c.category, c.evidence])).toEqual([
        ['change-failure:pay', 'infrastructure', { changeFailureRate: 0.5, workspaceMedian: 0.25, deployments: 4, services: 2 }],
      ]);
      const accepted = await app.inject({
        method: 'POST',
        url: '/api/v1/debt/candidates/accept',
        headers: auth,
        payload: { key: 'change-failure:pay', principalDays: 2, at: AT },
      });
      expect(accepted.statusCode).toBe(201);
      // One item shape everywhere: location flattened as in the register, instants ISO 8601 (accepted at AT).
      expect(accepted.json()).toEqual({
        item: {
          id: expect.any(String),
          title: expect.any(String),
          category: 'infrastructure',
          quadrant: null,
          team: 'shop',
          status: 'accepted',
          impact: expect.any(String),
          principalDays: 2,
          candidateKey: 'change-failure:pay',
          repository: null,
          paths: [],
          service: 'pay',
          created: AT,
          updated: AT,
        },
        warnings: [],
      });
      expect((await app.inject({ method: 'GET', url: `/api/v1/debt/candidates?at=${AT}` })).json().items).toEqual([]);
      const again = await app.inject({
        method: 'POST',
        url: '/api/v1/debt/candidates/accept',
        headers: auth,
        payload: { key: 'change-failure:pay', at: AT },
      });
      expect(again.statusCode).toBe(404);

      const register = (await app.inject({ method: 'GET', url: `/api/v1/debt/items?at=${AT}` })).json();
      const [item] = register.items;
      // Interest: 2 incidents in 90 days + CFR excess (0.5 - 0.25) x 10 = 2.5 -> 4.5; no code, no risk, no change.
      // Score 4.5 / 2 days = 2.25.
      expect(item.evidence).toMatchObject({ incidents90: 2, changeFailureRate: 0.5, changeFailureRateMedian: 0.25, budgetConsumed: null });
      expect(item.terms).toMatchObject({ interest: 4.5, risk: 0, change: 0, principalDays: 2, score: 2.25 });
      expect(item.service).toBe('pay');

      const moved = await app.inject({ method: 'PATCH', url: `/api/v1/debt/items/${item.id}`, headers: auth, payload: { status: 'paid' } });
      expect(moved.json().status).toBe('paid');
      const { rank: _rank, score: _score, terms: _terms, evidence: _evidence, ...registerItem } = item;
      const { updated, ...movedRest } = moved.json();
      const { updated: _before, ...registerRest } = registerItem;
      expect(movedRest).toEqual({ ...registerRest, status: 'paid' });
      // Changed now: an ISO instant after the acceptance.
      expect(updated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(Date.parse(updated)).toBeGreaterThan(Date.parse(AT));

      expect((await app.inject({ method: 'GET', url: `/api/v1/debt/items?at=${AT}` })).json().items).toEqual([]);
      expect((await app.inject({ method: 'GET', url: `/api/v1/debt/items?at=${AT}&all=true` })).json().items).toHaveLength(1);

      // Adding an item by hand answers the same shape.
      const added = await app.inject({
        method: 'POST',
        url: '/api/v1/debt/items',
        headers: auth,
        payload: { title: 'Retry storm in pay', category: 'code', service: 'pay', impact: 'outages', principalDays: 3 },
      });
      expect(added.statusCode).toBe(201);
      const body = added.json();
      expect(Object.keys(body.item).sort()).toEqual(Object.keys(registerItem).sort());
      expect(body.item).toMatchObject({ id: 'retry-storm-in-pay', repository: null, paths: [], service: 'pay', status: 'accepted' });
      expect(body.item.created).toBe(body.item.updated);
      expect(body.item.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    });
  });
}

describe('the debt routes', () => {
  it('declare a response schema wherever they answer JSON (the OpenAPI document and web/src/api/types.ts carry it)', () => {
    expect(routesWithoutResponseSchema(debtRoutes({} as Store))).toEqual([]);
  });
});

describe('the debt section of sextant.yaml', () => {
  it('names the file, line and field of a rule with an unknown team and a zero-length cadence', () => {
    const yaml = [
      'version: 1',
      'teams: [{ id: core, name: Core }]',
      'debt:',
      '  cadence: { days: 0, start: 2024-01-01 }',
      '  rules:',
      '    - { category: debt, team: [ghosts] }',
      '',
    ].join('\n');
    let issues: unknown[] = [];
    try {
      parseWorkspaceConfig(yaml, 'sextant.yaml');
    } catch (error) {
      issues = (error as { issues: unknown[] }).issues;
    }
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'sextant.yaml', line: 4, field: 'debt.cadence.days', message: 'must be at least 1 day' }),
      ]),
    );
    let teamIssues: unknown[] = [];
    try {
      parseWorkspaceConfig(yaml.replace('days: 0', 'days: 14'), 'sextant.yaml');
    } catch (error) {
      teamIssues = (error as { issues: unknown[] }).issues;
    }
    expect(teamIssues).toEqual([
      expect.objectContaining({ file: 'sextant.yaml', line: 6, field: 'debt.rules[0].team[0]', message: 'unknown team "ghosts"' }),
    ]);
  });
});
