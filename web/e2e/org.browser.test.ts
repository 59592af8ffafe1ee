import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoOrg } from '../../src/org/demo-org.js';
import { replaceOrg } from '../../src/org/store.js';
import type { Store } from '../../src/store/database.js';
import { TEST_DIALECTS } from '../../src/test-support/stores.js';
import { chromiumAvailable, launchBrowser, startDashboard, trackOffMachineRequests, type DashboardServer } from './browser.js';

const sqlite = TEST_DIALECTS[0]!;

describe.skipIf(!chromiumAvailable)('dashboard in Chromium: Org page', () => {
  let store: Store;
  let server: DashboardServer;
  let browser: Browser;
  const org = generateDemoOrg({ seed: 1, scale: 1 });

  beforeAll(async () => {
    store = await sqlite.open();
    await replaceOrg(store.db, org, 'demo');
    server = await startDashboard(store, { name: 'Acme browser test', mode: 'demo' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
  });

  it('navigates from the overview to the Org page and shows the stored organisation', async () => {
    const page = await browser.newPage();
    const offMachine = trackOffMachineRequests(page, server.baseUrl);
    await page.goto(server.baseUrl);
    await page.locator('.workspace-name').waitFor();
    expect(await page.locator('.workspace-name').innerText()).toBe('Acme browser test');

    await page.getByRole('navigation', { name: 'Modules' }).getByRole('link', { name: 'Org' }).click();
    await page.waitForURL(/\/org$/);
    await page.getByRole('heading', { name: 'Teams' }).waitFor();

    // The counts are the generator's: 1 root + 5 product teams at scale 1, 8 services, 7 repositories.
    expect(await page.getByTestId('count-teams').locator('.card-value').innerText()).toBe(String(org.teams.length));
    expect(await page.getByTestId('count-services').locator('.card-value').innerText()).toBe(String(org.services.length));
    expect(await page.getByTestId('count-repositories').locator('.card-value').innerText()).toBe(String(org.repositories.length));
    expect(org.teams).toHaveLength(6);
    expect(org.services).toHaveLength(8);

    for (const team of org.teams) {
      await expect.poll(() => page.getByRole('cell', { name: new RegExp(`^${team.name} ${team.id}`) }).count()).toBeGreaterThan(0);
    }
    // The team tree is drawn by ECharts on a canvas.
    expect(await page.getByRole('img', { name: 'Team hierarchy' }).locator('canvas').count()).toBe(1);

    // A team's service count links to exactly that team's services.
    await page.getByRole('link', { name: 'Services of Payments' }).click();
    await page.waitForURL(/team=payments/);
    const rows = page.getByTestId('services-table').locator('tbody tr');
    expect(await rows.count()).toBe(2);
    const shown = (await rows.allInnerTexts()).join('\n');
    expect(shown).toContain('Payments API');
    expect(shown).toContain('Ledger');
    expect(shown).not.toContain('Cart Service');

    expect(offMachine).toEqual([]);
    await page.close();
  });

  it('shows how to add data when the workspace is empty', async () => {
    const empty = await sqlite.open();
    const emptyServer = await startDashboard(empty, { mode: 'empty' });
    try {
      const page = await browser.newPage();
      await page.goto(`${emptyServer.baseUrl}/org`);
      const status = page.getByRole('status');
      await status.waitFor();
      const text = await status.innerText();
      expect(text).toContain('No organisation described yet');
      expect(text).toContain('sextant init');
      expect(text).toContain('sextant sync');
      await page.close();
    } finally {
      await emptyServer.close();
      await empty.close();
    }
  });
});
