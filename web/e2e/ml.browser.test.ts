import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlContext } from '../../src/ml/links.js';
import { MODULES } from '../../src/modules.js';
import { projectViews } from '../../src/ml/projects.js';
import { generateDemoOrg, replaceOrg } from '../../src/org/index.js';
import type { Store } from '../../src/store/database.js';
import { TEST_DIALECTS } from '../../src/test-support/stores.js';
import { chromiumAvailable, launchBrowser, startDashboard, type DashboardServer } from './browser.js';

/**
 * The ML projects and Experiments pages in a real Chromium against the real
 * server and the built dashboard (`npm run build:web` first), over the demo
 * portfolio dated back from today.
 */
describe.skipIf(!chromiumAvailable)('dashboard in Chromium: ML projects and Experiments', () => {
  let store: Store;
  let server: DashboardServer;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    store = await (TEST_DIALECTS[0] as (typeof TEST_DIALECTS)[number]).open();
    const options = { seed: 1, scale: 1 };
    await replaceOrg(store.db, generateDemoOrg(options), 'demo');
    // As the demo workspace loads them: the outcomes demo first (the metric store the ML projects' business metrics
    // name), then the ML module as src/modules.ts builds it, reading that store.
    for (const name of ['outcomes', 'ml']) await MODULES.find((m) => m.name === name)?.demo?.({ store, options });
    server = await startDashboard(store, { name: 'ML test', mode: 'demo', timezone: 'Europe/London' });
    baseUrl = server.baseUrl;
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
  });

  it('shows the kill-criterion flag and the P50/P90 dates of the demo POC project on the portfolio, and opens it', async () => {
    // The dates the page must show: the forecast the server computes for churn-poc today (seed 1).
    const churn = (await projectViews(mlContext(store.db, {}), Date.now(), ['churn-poc']))[0];
    const expected = churn?.forecast;
    expect(expected?.p50).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${baseUrl}/ml`);

    const card = page.getByTestId('project-churn-poc');
    await expect.poll(() => card.count(), { timeout: 15_000 }).toBe(1);
    // It sits in the proof-of-concept column.
    expect(await page.getByTestId('column-poc').getByTestId('project-churn-poc').count()).toBe(1);
    expect(await card.getByTestId('flag').allTextContents()).toContain('kill criterion met');
    expect(await card.getByTestId('p50').textContent()).toBe(expected?.p50);
    expect(await card.getByTestId('p90').textContent()).toBe(expected?.p90);
    expect(await card.textContent()).toContain('not committable until go/no-go');
    // The other projects carry no kill flag; the trapped one shows its detector.
    expect(await page.getByTestId('project-search-ranking').getByTestId('flag').count()).toBe(0);
    expect(await page.getByTestId('project-support-triage').getByTestId('flag').allTextContents()).toEqual(['accuracy-trap']);
    expect(await page.getByTestId('count-kill-flags').locator('.card-value').textContent()).toBe('1');

    await card.click();
    await page.waitForURL(/\/ml\?project=churn-poc$/);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Churn prediction');
    const criteria = page.getByTestId('kill-criteria');
    await expect.poll(() => criteria.locator('tbody tr').count()).toBe(2);
    expect(await criteria.locator('tbody tr').first().textContent()).toContain('recall < 0.6');
    expect(await criteria.locator('tbody tr').first().textContent()).toContain('open since');
    expect(await page.getByTestId('gates').locator('tbody tr').count()).toBe(1);
    // Its business metric is the outcomes demo's North Star: the page shows its latest stored point (yesterday's).
    const latest = await store.db
      .selectFrom('outcomes_points')
      .select(['day', 'value'])
      .where('metric_id', '=', 'weekly-sharing-teams')
      .orderBy('day', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const date = new Date(latest.day * 86_400_000).toISOString().slice(0, 10);
    expect(await page.getByTestId('business-metric-value').textContent()).toBe(` (now ${latest.value} on ${date})`);
    expect(problems).toEqual([]);
  }, 60_000);

  it('draws the velocity chart and searches the learnings archive', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${baseUrl}/experiments`);
    await expect.poll(() => page.locator('canvas').count(), { timeout: 15_000 }).toBe(1);
    const rows = page.getByTestId('archive').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(20);
    await page.getByTestId('search').fill('position bias');
    await page.getByTestId('search').press('Enter');
    await expect
      .poll(async () => (await rows.allTextContents()).every((row) => row.includes('position bias')), { timeout: 15_000 })
      .toBe(true);
    expect(await rows.count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  }, 60_000);
});
