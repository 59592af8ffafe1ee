import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReliabilityDemo } from '../../src/reliability/demo.js';
import type { Store } from '../../src/store/database.js';
import { TEST_DIALECTS } from '../../src/test-support/stores.js';
import { chromiumAvailable, launchBrowser, startDashboard, type DashboardServer } from './browser.js';

/**
 * The Reliability page in a real Chromium against the real server and the
 * built dashboard (`npm run build:web` first; `npm test` does it), over the
 * demo SLOs with 35 days of minute data ending now.
 */
describe.skipIf(!chromiumAvailable)('dashboard in Chromium: Reliability page', () => {
  let store: Store;
  let server: DashboardServer;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    store = await (TEST_DIALECTS[0] as (typeof TEST_DIALECTS)[number]).open();
    await loadReliabilityDemo(store, { seed: 1, scale: 1 }, { days: 35 });
    server = await startDashboard(store, { name: 'Reliability test', mode: 'demo' });
    baseUrl = server.baseUrl;
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
  });

  it('lists SLOs by remaining budget with a freeze banner, and opens an SLO with its charts and alerts', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${baseUrl}/reliability`);

    const rows = page.getByTestId('slo-table').locator('tbody tr');
    // The first answer evaluates 9 SLOs over 35 days of minute data: seconds when the whole suite shares 2 cores.
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(9);
    // payments-api spent its budget (an eight-hour incident at 25% that ended two days ago): it comes first and is frozen.
    await expect.poll(() => rows.first().locator('td').nth(1).textContent()).toBe('payments-api');
    const banner = page.getByTestId('freeze-banner');
    await expect.poll(() => banner.count()).toBe(1);
    expect(await banner.textContent()).toContain('Release freeze: payments-api');
    expect(await banner.textContent()).toContain('payments-api-availability: error budget exhausted');
    // Budgets ascend down the table.
    const budgets = await rows.evaluateAll((trs) => trs.map((tr) => parseFloat(tr.querySelectorAll('td')[5]?.textContent ?? '')));
    expect(budgets).toEqual([...budgets].sort((a, b) => a - b));

    await rows.first().locator('a[data-entity="slo"]').click();
    await page.waitForURL(/\/reliability\?slo=payments-api-availability$/);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Payments API availability');
    await expect.poll(() => page.getByTestId('freeze-banner').count()).toBe(1);
    expect(await page.getByTestId('budget-remaining').locator('.card-value').textContent()).toMatch(/^-\d+\.\d%$/);
    await expect.poll(() => page.locator('canvas').count()).toBe(2);
    expect(await page.getByTestId('conditions').locator('tbody tr').count()).toBe(4);
    // The incident paged and resolved: both show in the history.
    const history = await page.getByTestId('alert-history').textContent();
    expect(history).toContain('page firing');
    expect(history).toContain('page resolved');
    // The rows behind the charts open as a readable table, not raw JSON.
    const hourly = page.getByTestId('hourly-rows');
    await hourly.locator('summary').click();
    const api = await (await page.request.get(`${baseUrl}/api/v1/slos/payments-api-availability/series`)).json();
    await expect.poll(() => hourly.locator('tbody tr').count()).toBe(api.sli.length);
    expect(problems).toEqual([]);
  }, 60_000);
});
