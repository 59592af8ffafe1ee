import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReliabilityDemo } from '../../src/reliability/demo.js';
import { buildApp } from '../../src/server/app.js';
import { defaultWebRoot } from '../../src/server/web-assets.js';
import type { Store } from '../../src/store/database.js';
import { TEST_DIALECTS } from '../../src/test-support/stores.js';

/**
 * The Reliability page in a real Chromium against the real server and the
 * built dashboard (`npm run build:web` first; `npm test` does it), over the
 * demo SLOs with 35 days of minute data ending now.
 */
describe('Reliability page', () => {
  let store: Store;
  let app: FastifyInstance;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    const webRoot = defaultWebRoot();
    if (!fs.existsSync(path.join(webRoot, 'index.html')))
      throw new Error(`${webRoot}/index.html is missing: run \`npm run build:web\` first`);
    store = await (TEST_DIALECTS[0] as (typeof TEST_DIALECTS)[number]).open();
    await loadReliabilityDemo(store, { seed: 1, scale: 1 }, { days: 35 });
    app = await buildApp({
      store,
      readsNeedToken: false,
      bodyLimitBytes: 1024 * 1024,
      logLevel: 'silent',
      webRoot,
      workspace: { name: 'Reliability test', timezone: 'UTC', mode: 'demo', store: store.location },
    });
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
  });

  it('lists SLOs by remaining budget with a freeze banner, and opens an SLO with its charts and alerts', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${baseUrl}/reliability`);

    const rows = page.getByTestId('slo-table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(9);
    // payments-api spent its budget (a six-hour incident at 10% two days ago): it comes first and is frozen.
    await expect.poll(() => rows.first().locator('td').nth(1).textContent()).toBe('payments-api');
    const banner = page.getByTestId('freeze-banner');
    await expect.poll(() => banner.count()).toBe(1);
    expect(await banner.textContent()).toContain('Release freeze: payments-api');
    expect(await banner.textContent()).toContain('payments-api-availability: error budget exhausted');
    // Budgets ascend down the table.
    const budgets = await rows.evaluateAll((trs) => trs.map((tr) => parseFloat(tr.querySelectorAll('td')[5]?.textContent ?? '')));
    expect(budgets).toEqual([...budgets].sort((a, b) => a - b));

    await rows.first().locator('a').click();
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
    expect(problems).toEqual([]);
  }, 60_000);
});
