import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoWorkspace } from '../../src/workspace/workspace.js';
import type { Store } from '../../src/store/database.js';
import { TEST_DIALECTS } from '../../src/test-support/stores.js';
import { chromiumAvailable, launchBrowser, startDashboard, type DashboardServer } from './browser.js';

const sqlite = TEST_DIALECTS[0] as (typeof TEST_DIALECTS)[number];

/**
 * The Delivery page in a real Chromium against the real server and the demo
 * workspace: each of the five numbers links to the rows behind it, and the
 * rows are as many as the number says. `npm test` builds the dashboard first.
 */
describe.skipIf(!chromiumAvailable)('dashboard in Chromium: Delivery page', () => {
  let store: Store;
  let server: DashboardServer;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    store = await sqlite.open();
    await loadDemoWorkspace(store, { seed: 1, scale: 1 });
    server = await startDashboard(store, { name: 'Acme delivery test', mode: 'demo' });
    baseUrl = server.baseUrl;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
  });

  it('shows the five metrics with tier badges, each number linking to exactly its rows', async () => {
    const page = await browser.newPage();
    const offMachine: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).host !== new URL(baseUrl).host) offMachine.push(request.url());
    });
    await page.goto(`${baseUrl}/delivery?team=payments`);
    await page.getByTestId('metric-change-failure-rate').waitFor();
    expect(await page.locator('.tier').count()).toBe(4);

    const cards: Array<[string, string]> = [
      ['metric-deployments', 'deployments'],
      ['metric-lead-time', 'changes'],
      ['metric-change-failure-rate', 'failed'],
      ['metric-recovery-time', 'restored'],
      ['metric-rework-rate', 'unplanned'],
    ];
    for (const [testId, view] of cards) {
      const card = page.getByTestId(testId);
      const count = Number(await card.getAttribute('data-count'));
      expect(count, testId).toBeGreaterThan(0);
      await card.click();
      // Wait for this view's rows, not the previous view's.
      const total = page.locator(`[data-testid="rows-total"][data-view="${view}"]`);
      await total.waitFor();
      expect(Number(await total.getAttribute('data-total')), testId).toBe(count);
      // The page shows the first 50 rows (its page size) and a button for the next page.
      expect(await page.getByTestId('rows-table').locator('tbody tr').count(), testId).toBe(Math.min(count, 50));
    }

    // Following nextCursor: each click adds the next page, no row twice, until every row is shown.
    await page.getByTestId('metric-lead-time').click();
    const changes = page.locator('[data-testid="rows-total"][data-view="changes"]');
    await changes.waitFor();
    const changeCount = Number(await changes.getAttribute('data-total'));
    expect(changeCount, 'enough changes in the demo for two pages').toBeGreaterThan(50);
    await page.getByRole('button', { name: 'Show more rows' }).click();
    await page.waitForFunction(
      (expected) => document.querySelectorAll('[data-testid="rows-table"] tbody tr').length === expected,
      Math.min(changeCount, 100),
    );
    const shas = await page.getByTestId('rows-table').locator('tbody tr td:nth-child(1)').allInnerTexts();
    const shippedBy = await page.getByTestId('rows-table').locator('tbody tr td:nth-child(4)').allInnerTexts();
    expect(new Set(shas.map((sha, i) => `${sha}|${shippedBy[i]}`)).size).toBe(shas.length);
    // Lead times arrive longest first; a click on the header sorts them shortest first.
    const leadTimes = () => page.getByTestId('rows-table').locator('tbody tr td:nth-child(5)').allInnerTexts();
    const inSeconds = (text: string) => parseFloat(text) * (text.endsWith('min') ? 60 : text.endsWith('h') ? 3600 : 86400);
    const before = (await leadTimes()).map(inSeconds);
    expect(before).toEqual([...before].sort((a, b) => b - a));
    await page.getByRole('button', { name: 'Lead time' }).click();
    const after = (await leadTimes()).map(inSeconds);
    expect(after).toEqual([...before].sort((a, b) => a - b));

    // From a failed deployment to its detail: why it failed, its changes and incidents.
    await page.getByTestId('metric-change-failure-rate').click();
    await page.waitForURL(/view=failed/);
    await page.getByTestId('rows-table').locator('tbody tr').first().getByRole('link').first().click();
    await page.waitForURL(/view=deployment&id=/);
    const detail = page.getByTestId('deployment-detail');
    await detail.waitFor();
    expect(await detail.innerText()).toMatch(/Failed: (incident|rolled back|fixed forward|change)/);
    // The pipeline's status and the outcome in production are two separate, named facts (issue 15, item 16).
    expect(await page.getByTestId('pipeline-status').innerText()).toMatch(/^succeeded/);
    expect(await page.getByTestId('deployment-outcome').innerText()).toMatch(/^Failed/);
    expect(offMachine).toEqual([]);
  });

  it('filters by service and environment, showing what the API computes for that scope', async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/delivery`);
    await page.locator('[data-testid="metric-cards"][data-scope="||"]').waitFor();
    await page.getByLabel('Service').selectOption('ledger');
    await page.locator('[data-testid="metric-cards"][data-scope="|ledger|"]').waitFor();
    await page.getByLabel('Environment').selectOption('staging');
    const cards = page.locator('[data-testid="metric-cards"][data-scope="|ledger|staging"]');
    await cards.waitFor();
    const window = `from=${await cards.getAttribute('data-from')}&to=${await cards.getAttribute('data-to')}`;
    const api = await (await page.request.get(`${baseUrl}/api/v1/delivery/summary?service=ledger&environment=staging&${window}`)).json();
    expect(Number(await page.getByTestId('metric-deployments').getAttribute('data-count'))).toBe(api.deployments.count);
    expect(Number(await page.getByTestId('metric-lead-time').getAttribute('data-count'))).toBe(api.leadTime.count);
    // The rows behind the count are the ledger's staging deployments, and only those.
    await page.getByTestId('metric-deployments').click();
    const total = page.locator('[data-testid="rows-total"][data-view="deployments"]');
    await total.waitFor();
    expect(Number(await total.getAttribute('data-total'))).toBe(api.deployments.count);
    const services = await page.getByTestId('rows-table').locator('tbody tr td:nth-child(2)').allInnerTexts();
    expect(services.length).toBe(Math.min(api.deployments.count, 50));
    expect(new Set(services)).toEqual(new Set(['ledger staging']));
  });
});
