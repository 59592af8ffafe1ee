import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOkrDemo } from '../../src/okrs/demo.js';
import type { Store } from '../../src/store/database.js';
import { TEST_DIALECTS } from '../../src/test-support/stores.js';
import { chromiumAvailable, launchBrowser, startDashboard, type DashboardServer } from './browser.js';

/**
 * The OKRs page in Chromium on the demo OKRs, generated as of 2026-11-24 (so
 * the period 2026-Q4 is 54 of 92 days in: expected progress 0.587). The demo's
 * payments lead-time key result barely moves while confidence falls week by week.
 */
describe.skipIf(!chromiumAvailable)('dashboard in Chromium: OKRs page', () => {
  let store: Store;
  let server: DashboardServer;
  let browser: Browser;

  beforeAll(async () => {
    store = await (TEST_DIALECTS[0] as (typeof TEST_DIALECTS)[number]).open();
    await loadOkrDemo(store, { seed: 1, scale: 1, now: Date.parse('2026-11-24T00:00:00Z') });
    server = await startDashboard(store, { name: 'OKR test', mode: 'demo' });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
  });

  it('shows the behind key result in its band with its falling confidence, and the check-in history', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${server.baseUrl}/okrs?period=2026-Q4`);

    const row = page.getByTestId('kr-payments-lead-time');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getAttribute('class')).toContain('okr-behind');
    expect(await row.textContent()).toContain('behind');
    expect(await row.locator('.okr-band').first().textContent()).toBe('red');
    expect(await row.getByTestId('confidence-trend').getAttribute('data-direction')).toBe('falling');
    // Every other key result is on track in the demo.
    expect(await page.locator('tr.okr-behind').count()).toBe(1);
    // The company objective comes first, the team objectives aligned under it.
    const objectives = await page.locator('article.okr-objective').evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')));
    expect(objectives[0]).toBe('objective-company-learning');
    // The check-in history opens under the key result: weekly entries with confidence.
    await row.locator('summary').click();
    const history = row.locator('.okr-history tbody tr');
    await expect.poll(() => history.count()).toBeGreaterThan(3);
    // Last quarter's committed payments objective ended below 1.0 and is flagged.
    await page.goto(`${server.baseUrl}/okrs?period=2026-Q3`);
    await expect
      .poll(() => page.getByTestId('objective-payments-flow-prev').textContent())
      .toContain('committed objective ended below 1.0');
    expect(problems).toEqual([]);
  });
});
