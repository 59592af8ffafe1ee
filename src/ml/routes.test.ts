import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { saveTeam } from '../org/index.js';
import type { Store } from '../store/database.js';
import { bearer, buildTestApp } from '../test-support/app.js';
import { checkResponseSchemas, routesWithoutResponseSchema } from '../test-support/response-schemas.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import { mlRoutes } from './routes.js';
import { addProject } from './projects.js';
import { projectInput } from './model.js';
import { ValidationError } from '../shared/errors.js';

const project = {
  id: 'churn',
  name: 'Churn model',
  productOwner: 'Ana',
  qualityMetric: 'recall',
  minQuality: 0.7,
  productionPath: 'batch scores into the CRM',
  teams: ['ml'],
  start: '2026-01-05',
  killCriteria: [{ condition: { kind: 'no-go-decision', weeks: 10 } }],
};

async function counts(store: Store) {
  const count = async (table: 'ml_projects' | 'ml_gates' | 'ml_phase_entries' | 'ml_experiments') =>
    Number(
      (
        await store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { projects: await count('ml_projects'), gates: await count('ml_gates'), entries: await count('ml_phase_entries') };
}

for (const dialect of TEST_DIALECTS) {
  describe(`ML API on ${dialect.name}`, () => {
    let store: Store | undefined;
    let app: FastifyInstance | undefined;
    afterEach(async () => {
      await app?.close();
      await store?.close();
      app = undefined;
      store = undefined;
    });

    async function open() {
      store = await dialect.open();
      await saveTeam(store.db, { id: 'ml', name: 'ML', parentId: null, description: null });
      app = await buildTestApp(store);
      checkResponseSchemas(app);
      return { store, app, auth: await bearer(store) };
    }

    it('walks a project through its gates; productionisation is refused without go and allowed after', async () => {
      const { store, app, auth } = await open();
      const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, headers: auth, payload: payload as object });

      expect((await app.inject({ method: 'POST', url: '/api/v1/ml/projects', payload: project })).statusCode).toBe(401);
      const created = await post('/api/v1/ml/projects', project);
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ id: 'churn', phase: 'data-assessment', phaseActive: true });

      // Out of phase order: the project is in data assessment.
      const early = await post('/api/v1/ml/projects/churn/gates', { phase: 'poc', decision: 'go', decidedBy: 'Ana', at: '2026-01-10' });
      expect(early.statusCode).toBe(400);
      expect(early.json().errors).toEqual([
        { field: 'body.phase', message: 'gate decisions follow phase order: the project is in data-assessment, not poc' },
      ]);
      const before = await counts(store);

      const steps = [
        { phase: 'data-assessment', decision: 'go', decidedBy: 'Ana', at: '2026-01-16', evidence: ['readiness report'], enterNext: true },
        { phase: 'poc', decision: 'go', decidedBy: 'Ana', at: '2026-02-06', enterNext: true },
      ];
      for (const step of steps) expect((await post('/api/v1/ml/projects/churn/gates', step)).statusCode).toBe(201);

      // Go/no-go ends with a pivot: productionisation is refused, and nothing is written.
      expect(
        (
          await post('/api/v1/ml/projects/churn/gates', {
            phase: 'go-no-go',
            decision: 'pivot',
            decidedBy: 'Ana',
            at: '2026-02-10',
            pivotTo: 'poc',
          })
        ).statusCode,
      ).toBe(201);
      const stored = await counts(store);
      const refused = await post('/api/v1/ml/projects/churn/phases', { phase: 'productionisation', at: '2026-02-11' });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().errors[0].field).toBe('body.phase');
      expect(await counts(store)).toEqual(stored);

      // Back through POC and go/no-go with a go: now it may enter.
      expect(
        (
          await post('/api/v1/ml/projects/churn/gates', {
            phase: 'poc',
            decision: 'go',
            decidedBy: 'Ana',
            at: '2026-02-20',
            enterNext: true,
          })
        ).statusCode,
      ).toBe(201);
      const checklist = {
        'cost-feasible': true,
        'maintenance-budget': true,
        'data-infrastructure': true,
        failsafe: true,
        communication: false,
      };
      expect(
        (await post('/api/v1/ml/projects/churn/gates', { phase: 'go-no-go', decision: 'go', decidedBy: 'Bo', at: '2026-02-24', checklist }))
          .statusCode,
      ).toBe(201);
      const entered = await post('/api/v1/ml/projects/churn/phases', { phase: 'productionisation', at: '2026-02-25' });
      expect(entered.statusCode).toBe(201);
      const body = entered.json();
      expect(body.phase).toBe('productionisation');
      expect(body.timeline.map((e: { phase: string }) => e.phase)).toEqual([
        'data-assessment',
        'poc',
        'go-no-go',
        'poc',
        'go-no-go',
        'productionisation',
      ]);
      expect(body.gates.at(-1).checklist).toEqual(checklist);
      // Before the walk: one project in data assessment; after it: 5 gates (go, go, pivot, go, go) and 6 phase entries.
      expect(before).toEqual({ projects: 1, gates: 0, entries: 1 });
      expect(await counts(store)).toEqual({ projects: 1, gates: 5, entries: 6 });

      // After go the forecast is committable.
      const forecast = await app.inject({ method: 'GET', url: '/api/v1/ml/projects/churn/forecast?at=2026-03-01' });
      expect(forecast.json()).toMatchObject({ committable: true, label: null });
    });

    it('refuses bad input naming the field and writes nothing', async () => {
      const { store, app, auth } = await open();
      const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, headers: auth, payload: payload as object });
      const badRange = await post('/api/v1/ml/projects', {
        ...project,
        phases: [
          { name: 'data-assessment', min: 14, max: 7 },
          { name: 'poc', min: 14, max: 28 },
          { name: 'go-no-go', min: 3, max: 10 },
          { name: 'productionisation', min: 28, max: 56 },
          { name: 'iteration', min: 14, max: 28 },
        ],
      });
      expect(badRange.statusCode).toBe(400);
      expect(badRange.json().errors).toEqual([{ field: 'body.phases[0].min', message: 'is greater than max' }]);
      const noOwner = await post('/api/v1/ml/projects', { ...project, productOwner: undefined, teams: ['nope'] });
      expect(noOwner.json().errors.map((e: { field: string }) => e.field)).toEqual(['body.productOwner']);
      const unknownTeam = await post('/api/v1/ml/projects', { ...project, teams: ['nope'] });
      expect(unknownTeam.json().errors).toEqual([{ field: 'body.teams[0]', message: 'unknown team "nope"' }]);
      expect(await counts(store)).toEqual({ projects: 0, gates: 0, entries: 0 });

      const started = await post('/api/v1/experiments', {
        id: 'exp-1',
        hypothesis: 'Tenure buckets lift recall',
        metric: 'recall',
        successThreshold: 0.72,
        killThreshold: 0.65,
        owner: 'Ana',
        team: 'ml',
        start: '2026-01-05T09:00:00Z',
      });
      expect(started.statusCode).toBe(201);
      const noLearning = await post('/api/v1/experiments/exp-1/conclusion', { decision: 'adopt' });
      expect(noLearning.statusCode).toBe(400);
      expect(noLearning.json().errors.map((e: { field: string }) => e.field)).toEqual(['body.learning']);
      const noDecision = await post('/api/v1/experiments/exp-1/conclusion', { learning: 'it worked' });
      expect(noDecision.json().errors.map((e: { field: string }) => e.field)).toEqual(['body.decision']);
      const list = await app.inject({ method: 'GET', url: '/api/v1/experiments' });
      expect(list.json().items[0]).toMatchObject({ id: 'exp-1', concluded: false, decision: null });

      const concluded = await post('/api/v1/experiments/exp-1/conclusion', {
        decision: 'kill',
        learning: 'Tenure duplicates the contract-age signal',
        result: 0.64,
        at: '2026-01-12T09:00:00Z',
      });
      expect(concluded.json()).toMatchObject({ decision: 'kill', verdict: 'kill', daysToDecision: 7 });
      const archive = await app.inject({ method: 'GET', url: '/api/v1/experiments?q=contract%20AGE' });
      expect(archive.json().items.map((e: { id: string }) => e.id)).toEqual(['exp-1']);
      const none = await app.inject({ method: 'GET', url: '/api/v1/experiments?q=contract%20churn' });
      expect(none.json().items).toEqual([]);
      const velocity = await app.inject({ method: 'GET', url: '/api/v1/experiments/velocity?timezone=Europe/London' });
      expect(velocity.json().weeks).toEqual([
        {
          teamId: 'ml',
          week: '2026-W03',
          weekStart: '2026-01-12',
          concluded: 1,
          byDecision: { adopt: 0, iterate: 0, kill: 1 },
          medianDaysToDecision: 7,
          experimentIds: ['exp-1'],
        },
      ]);
    });

    it('refuses a kill criterion on an unknown metric once a metric store is plugged in', async () => {
      const { store } = await open();
      const metrics = {
        find: async (id: string) => (id === 'weekly-churn' ? { id, name: 'Weekly churn' } : undefined),
        readingAt: async () => ({ at: Date.parse('2026-03-01'), value: 0.05 }),
      };
      const input = projectInput.parse({
        ...project,
        killCriteria: [{ condition: { kind: 'metric', metric: 'weekly-churm', comparator: '>', threshold: 0.04, by: '2026-03-01' } }],
      });
      const attempt = addProject({ db: store.db, metrics }, input, Date.now());
      await expect(attempt).rejects.toThrow(ValidationError);
      await attempt.catch((error: ValidationError) =>
        expect(error.issues).toEqual([
          { field: 'killCriteria[0].condition.metric', message: 'unknown metric "weekly-churm": it is not in the metric store' },
        ]),
      );
      expect(await counts(store)).toEqual({ projects: 0, gates: 0, entries: 0 });
      // Without a metric store the criterion is kept; the build's API reads the outcomes store
      // (src/modules.ts), which has no such metric, so it evaluates to unknown, saying why.
      await addProject({ db: store.db }, input, Date.now());
      const app2 = app as FastifyInstance;
      const shown = await app2.inject({ method: 'GET', url: '/api/v1/ml/projects/churn?at=2026-03-02' });
      expect(shown.json().killCriteria[0]).toMatchObject({ status: 'unknown', evidence: 'unknown metric "weekly-churm"' });
    });
  });
}

describe('the ML routes', () => {
  it('declare a response schema wherever they answer JSON (the OpenAPI document and web/src/api/types.ts carry it)', () => {
    expect(routesWithoutResponseSchema(mlRoutes({} as Store, {}))).toEqual([]);
  });
});
