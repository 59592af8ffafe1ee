import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../store/database.js';
import { bearer, buildTestApp } from '../test-support/app.js';
import { checkResponseSchemas } from '../test-support/response-schemas.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import { generateDemoOrg, replaceOrg } from '../org/index.js';
import { MODULES } from '../modules.js';
import { parseDay } from './days.js';
import { DEMO_BUSINESS_METRICS, loadMlDemo } from './demo.js';
import { mlContext } from './links.js';
import { projectViews } from './projects.js';
import { monthlyReview, reviewHtml, reviewMarkdown } from './review.js';
import { projectFlags } from './views.js';

const now = parseDay('2026-11-30') as number;

describe('ML demo', () => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('has the five projects of the issue, each showing what it is there to show, and a year of experiments for two teams', async () => {
    store = await (TEST_DIALECTS[0] as (typeof TEST_DIALECTS)[number]).open();
    const options = { seed: 1, scale: 1, now };
    await replaceOrg(store.db, generateDemoOrg(options), 'demo');
    expect(await loadMlDemo(store, options)).toMatchObject({ projects: 5, killFlags: 1 });
    const views = await projectViews(mlContext(store.db, {}), now);
    const byId = new Map(views.map((v) => [v.project.id, v]));
    expect(views.map((v) => [v.project.id, v.project.status === 'killed' ? 'killed' : v.phase, projectFlags(v)])).toEqual([
      ['churn-poc', 'poc', ['kill criterion met']],
      ['demand-forecast', 'killed', []],
      ['fraud-signals', 'data-assessment', []],
      ['search-ranking', 'iteration', []],
      ['support-triage', 'poc', ['accuracy-trap']],
    ]);
    // churn-poc: recall 0.55 (its latest) < 0.6 on the deadline three days ago.
    expect(byId.get('churn-poc')?.flags[0]?.evidence).toBe('recall = 0.55 on 2026-11-24 (< 0.6)');
    expect(byId.get('churn-poc')?.forecast).toMatchObject({ committable: false, label: 'not committable until go/no-go' });
    expect(byId.get('search-ranking')?.forecast?.committable).toBe(true);
    expect(byId.get('demand-forecast')?.project.learning).toContain('rules-based uplift');

    const experiments = await store.db.selectFrom('ml_experiments').select(['team_id', 'decision', 'started_at']).execute();
    expect(new Set(experiments.map((e) => e.team_id))).toEqual(new Set(['ml', 'search']));
    const first = Math.min(...experiments.map((e) => e.started_at));
    expect((now - first) / 86_400_000).toBeGreaterThan(350); // a year back
    expect(experiments.some((e) => e.decision === null)).toBe(true); // some still running

    // Loading again replaces the demo rows instead of failing on duplicates.
    await loadMlDemo(store, options);
    expect((await store.db.selectFrom('ml_projects').select('id').execute()).length).toBe(5);

    const review = await monthlyReview(mlContext(store.db, {}), '2026-11', 'Europe/London');
    const markdown = reviewMarkdown(review);
    expect(markdown).toContain('# Monthly model review — 2026-11');
    expect(markdown).toContain('⚑ recall < 0.6 by 2026-11-27: **met**');
    const html = reviewHtml(review);
    // Self-contained: no scripts, no stylesheets or images fetched from anywhere.
    expect(html).not.toMatch(/<script|<link|src=|url\(/i);
    expect(html).toContain('<span class="flag">kill criterion met</span>');
  });

  it('answers every route with what its response schema says, over the demo portfolio', async () => {
    store = await (TEST_DIALECTS[0] as (typeof TEST_DIALECTS)[number]).open();
    const options = { seed: 1, scale: 1, now };
    await replaceOrg(store.db, generateDemoOrg(options), 'demo');
    await loadMlDemo(store, options);
    const app = await buildTestApp(store);
    checkResponseSchemas(app);
    try {
      const auth = await bearer(store);
      const call = async (method: 'GET' | 'POST', url: string, payload?: object) => {
        const response = await app.inject({ method, url, ...(payload ? { payload, headers: auth } : {}) });
        expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
        return response.json();
      };
      const portfolio = await call('GET', '/api/v1/ml/projects?at=2026-11-30');
      expect(portfolio.items).toHaveLength(5);
      for (const { id } of portfolio.items as Array<{ id: string }>) {
        expect((await call('GET', `/api/v1/ml/projects/${id}?at=2026-11-30`)).id).toBe(id);
        await call('GET', `/api/v1/ml/projects/${id}/forecast?at=2026-11-30`);
      }
      // The killed project has no forecast, only the reason.
      expect(await call('GET', '/api/v1/ml/projects/demand-forecast/forecast?at=2026-11-30')).toEqual({
        note: expect.stringMatching(/^killed /),
      });
      expect((await call('POST', '/api/v1/ml/projects/churn-poc/confidence', { value: 40, at: '2026-11-30' })).confidence).toBe(40);
      const quality = await call('POST', '/api/v1/ml/projects/churn-poc/quality', { value: 0.57, at: '2026-11-30' });
      expect(quality.quality.latest).toMatchObject({ value: 0.57, meetsThreshold: false });
      const plan = { phases: [{ name: 'poc', min: 14, max: 28, start: '2026-11-02' }], at: '2026-11-30' };
      expect((await call('POST', '/api/v1/ml/forecast', plan)).phases).toHaveLength(1);
      expect((await call('GET', '/api/v1/ml/kill-flags')).items).toHaveLength(1);
      await call('GET', '/api/v1/ml/kill-flags?open=false');
      expect((await call('GET', '/api/v1/ml/review?month=2026-11')).projects.length).toBeGreaterThan(0);
      expect((await call('GET', '/api/v1/experiments?limit=500')).items.length).toBeGreaterThan(0);
      expect((await call('GET', '/api/v1/experiments/velocity')).weeks.length).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });

  it('links demo business metrics to the outcomes demo, so their live value shows (API, page data, monthly review)', async () => {
    store = await (TEST_DIALECTS[0] as (typeof TEST_DIALECTS)[number]).open();
    const options = { seed: 1, scale: 1, now };
    // The workspace demo's order (src/modules.ts): org, then outcomes, then ml built with the metric-store links.
    await replaceOrg(store.db, generateDemoOrg(options), 'demo');
    const module = (name: string) => MODULES.find((m) => m.name === name);
    await module('outcomes')?.demo?.({ store, options });
    await module('ml')?.demo?.({ store, options });
    const app = await buildTestApp(store);
    try {
      for (const [projectId, metricId] of Object.entries(DEMO_BUSINESS_METRICS)) {
        // Independently of the ML module and the outcomes module's reader: the metric's latest stored daily
        // point on or before 30 November 2026 (the outcomes demo's last day is the day before its clock).
        const day = Math.floor(now / 86_400_000);
        const latest = await store.db
          .selectFrom('outcomes_points')
          .select(['day', 'value'])
          .where('metric_id', '=', metricId)
          .where('day', '<=', day)
          .orderBy('day', 'desc')
          .limit(1)
          .executeTakeFirstOrThrow();
        expect(latest.day).toBe(day - 1);
        const project = (await app.inject({ method: 'GET', url: `/api/v1/ml/projects/${projectId}?at=2026-11-30` })).json();
        expect(project.businessMetricId).toBe(metricId);
        expect(project.businessMetricNote).toBeNull();
        expect(project.businessMetricValue).toEqual({ value: latest.value, date: '2026-11-29' });
        // The monthly review states the metric's movement over November from the same store.
        const first = await store.db
          .selectFrom('outcomes_points')
          .select('value')
          .where('metric_id', '=', metricId)
          .where('day', '<=', Math.floor((parseDay('2026-11-01') as number) / 86_400_000))
          .orderBy('day', 'desc')
          .limit(1)
          .executeTakeFirstOrThrow();
        const review = (await app.inject({ method: 'GET', url: '/api/v1/ml/review?month=2026-11' })).json();
        const row = review.projects.find((r: { id: string }) => r.id === projectId);
        expect(row.businessMetric.id).toBe(metricId);
        expect(row.businessMetric.movement).toMatch(new RegExp(`^${first.value} → ${latest.value} `));
      }
    } finally {
      await app.close();
    }
  });
});
