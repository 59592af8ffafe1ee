import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/auth/store.js';
import { loadCodebaseDemo } from '../../src/codebase/demo.js';
import { loadDebtDemo, UNDER_TARGET_TEAM } from '../../src/debt/demo.js';
import { loadDemoDelivery } from '../../src/delivery/demo-delivery.js';
import { generateDemoOrg, replaceOrg } from '../../src/org/index.js';
import type { Store } from '../../src/store/database.js';
import { TEST_DIALECTS } from '../../src/test-support/stores.js';
import { chromiumAvailable, launchBrowser, startDashboard, type DashboardServer } from './browser.js';

/**
 * The Debt page in a real Chromium against the real server and the built
 * dashboard (`npm run build:web` first), over the demo's org, codebase,
 * delivery and debt data (the SLO demo is left out: the page reads no SLO here).
 */
describe.skipIf(!chromiumAvailable)('dashboard in Chromium: Debt page', () => {
  let store: Store;
  let server: DashboardServer;
  let browser: Browser;
  let token: string;
  const options = { seed: 1, scale: 1, now: Date.UTC(2025, 5, 1) };

  beforeAll(async () => {
    store = await (TEST_DIALECTS[0] as (typeof TEST_DIALECTS)[number]).open();
    await replaceOrg(store.db, generateDemoOrg(options), 'demo');
    await loadDemoDelivery(store, options);
    await loadCodebaseDemo(store, options);
    await loadDebtDemo(store, options);
    token = (await createToken(store.db, 'browser')).token;
    server = await startDashboard(store, { name: 'Debt test', mode: 'demo' });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
  });

  it('shows the under-target team, and accepting a candidate adds it to the register', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => message.type() === 'error' && !message.text().includes('401') && problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${server.baseUrl}/debt`);

    // The demo's Search team is below its 20% in every sprint: its streak is every sprint shown (12).
    const searchRow = page.getByTestId(`team-${UNDER_TARGET_TEAM}`);
    await expect.poll(() => searchRow.getByTestId('streak').textContent()).toMatch(/^\d+ below target$/);
    const streak = Number.parseInt((await searchRow.getByTestId('streak').textContent()) ?? '', 10);
    expect(streak).toBeGreaterThanOrEqual(12);
    expect(await page.getByTestId('count-under-target').locator('.card-value').textContent()).not.toBe('0');
    // The chart shows the under-target team first.
    await expect.poll(() => page.locator('h2', { hasText: `${UNDER_TARGET_TEAM}: share of effort` }).count()).toBe(1);
    await expect.poll(() => page.locator('canvas').count()).toBe(1);

    const register = page.getByTestId('register-table').locator('tbody tr');
    await expect.poll(() => register.count()).toBeGreaterThan(0);
    const before = await register.count();

    const candidates = page.getByTestId('candidates-table').locator('tbody tr');
    await expect.poll(() => candidates.count()).toBeGreaterThan(0);
    const first = candidates.first();
    const title = (await first.locator('strong').textContent()) ?? '';
    const openBefore = await candidates.count();

    // Without a token the write is refused and the page asks for one.
    await first.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => page.locator('#debt-token').count()).toBe(1);
    await page.locator('#debt-token').fill(token);
    await page.getByRole('button', { name: 'Save token' }).click();
    await page.getByTestId('candidates-table').locator('tbody tr').first().getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => page.getByTestId('candidate-message').textContent()).toMatch(/^Accepted /);

    await expect.poll(() => register.count()).toBe(before + 1);
    expect(await page.getByTestId('register-table').textContent()).toContain(title);
    await expect.poll(() => candidates.count()).toBe(openBefore - 1);
    expect(problems).toEqual([]);
  }, 60_000);
});
