import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../store/database.js';
import { bearer, buildTestApp } from '../test-support/app.js';
import { checkResponseSchemas } from '../test-support/response-schemas.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import { parseWorkspaceConfig } from '../workspace/workspace-file.js';
import { applyWorkspaceConfig } from '../workspace/workspace.js';
import { servingWork } from './alignment.js';

const YAML = `version: 1
teams:
  - id: payments
    name: Payments
okrs:
  objectives:
    - id: pay
      title: Ship safely
      team: payments
      period: 2026-Q4
      keyResults:
        - id: lead
          title: Lead time 30 h to 12 h
          start: 30
          target: 12
        - id: sdk
          title: SDK adopted
          milestones: { commit: two teams, target: four teams }
`;

const item = (id: string, state: string, links: string[], completed: string | null = null) => ({
  id,
  team: 'payments',
  title: `Work ${id}`,
  type: 'story',
  state,
  created: '2026-10-01T09:00:00Z',
  ...(completed ? { completed } : {}),
  links,
});

for (const dialect of TEST_DIALECTS) {
  describe(`work serving key results on ${dialect.name}`, () => {
    let store: Store;
    let app: FastifyInstance;
    let auth: { authorization: string };
    beforeEach(async () => {
      store = await dialect.open();
      await applyWorkspaceConfig(store, parseWorkspaceConfig(YAML, 'sextant.yaml'));
      app = await buildTestApp(store);
      checkResponseSchemas(app);
      auth = await bearer(store);
    });
    afterEach(async () => {
      await app.close();
      await store.close();
    });

    it('lists, per key result, exactly the work items and ML work that name it', async () => {
      const post = async (url: string, payload: Record<string, unknown>) => {
        const res = await app.inject({ method: 'POST', url, headers: auth, payload });
        expect(res.statusCode, res.payload).toBeLessThan(300);
      };
      await post('/api/v1/work/items', {
        items: [
          // Two items serve `lead`: one done, one in progress (W-2 also links a PR).
          item('W-1', 'done', ['kr:lead'], '2026-10-20T12:00:00Z'),
          item('W-2', 'in-progress', ['https://git.example/pr/7', 'kr:lead']),
          // One serves `sdk`; one serves nothing; one names a key result that only starts like `lead`.
          item('W-3', 'todo', ['kr:sdk']),
          item('W-4', 'todo', []),
          item('W-5', 'todo', ['kr:lead-time']),
        ],
      });
      const project = (id: string, keyResult: string) => ({
        id,
        name: `Project ${id}`,
        productOwner: 'Ana',
        minQuality: 0.8,
        teams: ['payments'],
        keyResult,
        start: '2026-10-01',
      });
      await post('/api/v1/ml/projects', project('fraud', 'lead'));
      await post('/api/v1/ml/projects', project('churn', 'sdk'));
      await post('/api/v1/experiments', {
        id: 'exp-1',
        hypothesis: 'A smaller SDK is adopted faster',
        metric: 'adoption',
        successThreshold: 2,
        owner: 'Ana',
        team: 'payments',
        keyResult: 'sdk',
      });

      // Worked by hand from the rows above.
      const lead = {
        workItems: {
          counts: { open: 0, inProgress: 1, done: 1, cancelled: 0 },
          items: [
            { id: 'W-1', team: 'payments', title: 'Work W-1', type: 'story', state: 'done', completed: '2026-10-20T12:00:00.000Z' },
            { id: 'W-2', team: 'payments', title: 'Work W-2', type: 'story', state: 'in-progress', completed: null },
          ],
        },
        ml: [{ kind: 'project', id: 'fraud', title: 'Project fraud', status: 'active' }],
      };
      const sdk = {
        workItems: {
          counts: { open: 1, inProgress: 0, done: 0, cancelled: 0 },
          items: [{ id: 'W-3', team: 'payments', title: 'Work W-3', type: 'story', state: 'todo', completed: null }],
        },
        ml: [
          { kind: 'project', id: 'churn', title: 'Project churn', status: 'active' },
          { kind: 'experiment', id: 'exp-1', title: 'A smaller SDK is adopted faster', status: 'running' },
        ],
      };

      const objective = await app.inject({ method: 'GET', url: '/api/v1/okrs/objectives/pay?at=2026-11-15T00:00:00Z' });
      expect(objective.statusCode).toBe(200);
      const serving = (body: { keyResults: Array<{ id: string; serving: unknown }> }) =>
        Object.fromEntries(body.keyResults.map((kr) => [kr.id, kr.serving]));
      expect(serving(objective.json())).toEqual({ lead, sdk });

      const report = await app.inject({ method: 'GET', url: '/api/v1/okrs?period=2026-Q4&at=2026-11-15T00:00:00Z' });
      expect(report.statusCode).toBe(200);
      expect(serving(report.json().objectives[0])).toEqual({ lead, sdk });
    });

    it('shows an empty list for a key result nothing serves', async () => {
      const report = await app.inject({ method: 'GET', url: '/api/v1/okrs?period=2026-Q4&at=2026-11-15T00:00:00Z' });
      expect(report.json().objectives[0].keyResults[0].serving).toEqual({
        workItems: { counts: { open: 0, inProgress: 0, done: 0, cancelled: 0 }, items: [] },
        ml: [],
      });
    });

    it('answers null for a part whose module is not in the build (no lookup)', async () => {
      expect(await servingWork(store.db, ['lead'], {})).toEqual(new Map([['lead', { workItems: null, ml: null }]]));
    });
  });
}
