import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertWorkItems } from '../../src/debt/store.js';
import { generateDemoProjects } from '../../src/ml/demo.js';
import { insertProject } from '../../src/ml/store.js';
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
    const now = Date.parse('2026-11-24T00:00:00Z');
    await loadOkrDemo(store, { seed: 1, scale: 1, now });
    // Alignment: two work items serve the payments lead-time key result (one done, one in progress), and
    // the demo's search-ranking ML project serves the search zero-results key result.
    const work = (id: string, state: 'done' | 'in-progress', completed: number | null) => ({
      id,
      team: 'payments',
      title: `Lead time work ${id}`,
      type: 'story',
      labels: [],
      state,
      created: now - 20 * 86_400_000,
      started: now - 10 * 86_400_000,
      completed,
      points: null,
      parent: null,
      sprint: null,
      links: ['kr:payments-lead-time'],
      source: 'api' as const,
    });
    await upsertWorkItems(store, [work('PAY-1', 'done', now - 86_400_000), work('PAY-2', 'in-progress', null)], now);
    const ranking = generateDemoProjects(now).find((p) => p.id === 'search-ranking');
    if (ranking) await insertProject(store.db, ranking, 'demo', now);
    server = await startDashboard(store, { name: 'OKR test', mode: 'demo' });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
  });

  it('shows the behind key result in its band with its falling confidence, the check-in history and the work serving it', async () => {
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
    // Under each key result, the work serving it: exactly the two items linked to lead time, and the ML project under search.
    const serving = row.getByTestId('serving');
    expect(await serving.getByTestId('serving-counts').textContent()).toBe('1 done · 1 in progress · 0 open');
    expect(await serving.locator('li').allTextContents()).toEqual([
      'done PAY-1 Lead time work PAY-1 (payments)',
      'in-progress PAY-2 Lead time work PAY-2 (payments)',
    ]);
    const search = page.getByTestId('kr-search-zero-results').getByTestId('serving');
    expect(await search.locator('li').allTextContents()).toEqual(['ML project Learning-to-rank for search (active)']);
    expect(await page.getByTestId('kr-payments-cfr').getByTestId('serving').textContent()).toContain('none yet');
    // Last quarter's committed payments objective ended below 1.0 and is flagged.
    await page.goto(`${server.baseUrl}/okrs?period=2026-Q3`);
    await expect
      .poll(() => page.getByTestId('objective-payments-flow-prev').textContent())
      .toContain('committed objective ended below 1.0');
    expect(problems).toEqual([]);
  });
});
