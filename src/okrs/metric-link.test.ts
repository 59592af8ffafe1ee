import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../shared/errors.js';
import type { Store } from '../store/database.js';
import { bearer, buildTestApp } from '../test-support/app.js';
import { runCli } from '../test-support/cli.js';
import { makeTempDir, TEST_DIALECTS } from '../test-support/stores.js';
import { parseWorkspaceConfig } from '../workspace/workspace-file.js';
import { applyWorkspaceConfig } from '../workspace/workspace.js';

/**
 * Metric key results follow the outcomes metric store (src/modules.ts builds
 * the OKR module with outcomes' metricValues as its `metrics` link).
 * 2026-Q4 runs 1 October to 31 December (92 days).
 */
const YAML = `version: 1
teams:
  - id: growth
    name: Growth
outcomes:
  metrics:
    - id: weekly-sharing
      name: Teams sharing a report
      aggregation: last
    - id: support-tickets
      name: Support tickets
      direction: down
okrs:
  objectives:
    - id: grow
      title: More teams learn from reports
      team: growth
      period: 2026-Q4
      keyResults:
        - id: sharing
          title: Teams sharing from 100 to 200
          metric: weekly-sharing
          start: 100
          target: 200
        - id: tickets
          title: Mean daily tickets from 40 to 20
          metric: support-tickets
          aggregation: mean
          start: 40
          target: 20
`;

for (const dialect of TEST_DIALECTS) {
  describe(`OKR metric key results from the outcomes store on ${dialect.name}`, () => {
    let store: Store;
    let app: FastifyInstance;
    let auth: { authorization: string };
    beforeEach(async () => {
      store = await dialect.open();
      await applyWorkspaceConfig(store, parseWorkspaceConfig(YAML, 'sextant.yaml'));
      app = await buildTestApp(store);
      auth = await bearer(store);
    });
    afterEach(async () => {
      await app.close();
      await store.close();
    });

    const push = async (points: Array<[string, string, number]>) => {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/metrics/points',
        headers: auth,
        payload: { points: points.map(([metric, date, value]) => ({ metric, date, value })) },
      });
      expect(response.statusCode).toBe(200);
    };
    const report = async () => {
      const body = (await app.inject({ method: 'GET', url: '/api/v1/okrs?period=2026-Q4&at=2026-11-16T00:00:00Z' })).json();
      const krs = body.objectives[0].keyResults as Array<{ id: string; current: number | null; progress: number }>;
      return {
        score: body.objectives[0].score as number,
        sharing: krs.find((kr) => kr.id === 'sharing'),
        tickets: krs.find((kr) => kr.id === 'tickets'),
      };
    };

    it('progress follows new data points without a check-in', async () => {
      // No points yet: no current value, progress 0.
      let r = await report();
      expect(r.sharing).toMatchObject({ current: null, progress: 0 });

      // sharing (latest): 150 on 2 November is current on 16 November: (150 - 100) / (200 - 100) = 0.5.
      // tickets (mean over the period): (30 + 50) / 2 = 40 = start: progress 0.
      await push([
        ['weekly-sharing', '2026-10-05', 120],
        ['weekly-sharing', '2026-11-02', 150],
        ['support-tickets', '2026-10-01', 30],
        ['support-tickets', '2026-10-02', 50],
      ]);
      r = await report();
      expect(r.sharing).toMatchObject({ current: 150, progress: 0.5 });
      expect(r.tickets).toMatchObject({ current: 40, progress: 0 });
      expect(r.score).toBeCloseTo(0.25, 10);

      // New points: sharing 180 on 10 November -> 0.8; tickets mean (30 + 50 + 10) / 3 = 30 -> (30 - 40) / (20 - 40) = 0.5.
      // A point after the grading date (20 November) is not read.
      await push([
        ['weekly-sharing', '2026-11-10', 180],
        ['weekly-sharing', '2026-11-20', 400],
        ['support-tickets', '2026-10-03', 10],
      ]);
      r = await report();
      expect(r.sharing).toMatchObject({ current: 180, progress: 0.8 });
      expect(r.tickets).toMatchObject({ current: 30, progress: 0.5 });
      expect(r.score).toBeCloseTo(0.65, 10);
    });

    it('refuses an objective whose key result names an unknown metric, naming the field, and writes nothing', async () => {
      const objective = (metric: string) => ({
        title: 'Faster reviews',
        team: 'growth',
        period: '2026-Q4',
        keyResults: [
          { id: 'reviews', title: 'Reviews per week', start: 1, target: 5 },
          { id: 'review-time', title: 'Review time', metric, start: 10, target: 5 },
        ],
      });
      const refused = await app.inject({
        method: 'PUT',
        url: '/api/v1/okrs/objectives/faster',
        headers: auth,
        payload: objective('review-hours'),
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().errors).toEqual([
        {
          field: 'body.keyResults[1].metric',
          message: 'unknown metric "review-hours" (define it in the outcomes metric store first)',
        },
      ]);
      expect((await app.inject({ method: 'GET', url: '/api/v1/okrs/objectives/faster' })).statusCode).toBe(404);
      const accepted = await app.inject({
        method: 'PUT',
        url: '/api/v1/okrs/objectives/faster',
        headers: auth,
        payload: objective('support-tickets'),
      });
      expect(accepted.statusCode).toBe(204);
    });
  });
}

describe('sextant.yaml: a key result naming an unknown metric', () => {
  it('is refused with the field, file and line; metrics the file defines and module series are accepted', () => {
    const bad = YAML.replace('metric: support-tickets', 'metric: support-tickts');
    const line = bad.split('\n').findIndex((l) => l.includes('metric: support-tickts')) + 1;
    let error: unknown;
    try {
      parseWorkspaceConfig(bad, 'sextant.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      expect.objectContaining({
        field: 'okrs.objectives[0].keyResults[1].metric',
        message: 'unknown metric "support-tickts" (define it under outcomes.metrics, or name a module\'s published series)',
        file: 'sextant.yaml',
        line,
      }),
    ]);
    expect(() =>
      parseWorkspaceConfig(YAML.replace('metric: support-tickets', 'metric: delivery.deployments'), 'sextant.yaml'),
    ).not.toThrow();
  });
});

describe('sextant sync with a key result naming an unknown metric', () => {
  it('exits 2 naming the file, line and field, and writes nothing', () => {
    const dir = makeTempDir('sextant-okr-metric-');
    try {
      const bad = YAML.replace('metric: weekly-sharing', 'metric: weekly-shares');
      const line = bad.split('\n').findIndex((l) => l.includes('metric: weekly-shares')) + 1;
      fs.writeFileSync(path.join(dir, 'sextant.yaml'), bad);
      const result = runCli(['sync', '-w', dir]);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`sextant.yaml:${line}:`);
      expect(result.stderr).toContain('okrs.objectives[0].keyResults[0].metric');
      expect(result.stderr).toContain('unknown metric "weekly-shares"');
      // The file is validated before the store is opened: no database was created.
      expect(fs.existsSync(path.join(dir, '.sextant', 'sextant.db'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
