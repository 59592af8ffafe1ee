import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/auth/store.js';
import { upsertIncidents } from '../../src/incidents/store.js';
import { saveService, saveTeam } from '../../src/org/index.js';
import { NO_PEERS } from '../../src/kit/module.js';
import { loadOutcomesDemo } from '../../src/outcomes/demo.js';
import type { Store } from '../../src/store/database.js';
import { TEST_DIALECTS } from '../../src/test-support/stores.js';
import { chromiumAvailable, launchBrowser, startDashboard, type DashboardServer } from './browser.js';

/**
 * The Outcomes pages in a real Chromium against the real server and the built
 * dashboard, over the demo's North Star with the clock pinned to Monday
 * 2026-03-02 (the last complete week ends Sunday 2026-03-01; the demo's three
 * readouts are the weeks ending 1, 8 and 15 February).
 */
describe.skipIf(!chromiumAvailable)('dashboard in Chromium: Outcomes', () => {
  let store: Store;
  let server: DashboardServer;
  let browser: Browser;
  let baseUrl: string;
  let token: string;
  const week = '2026-03-01';

  beforeAll(async () => {
    store = await (TEST_DIALECTS[0] as (typeof TEST_DIALECTS)[number]).open();
    await loadOutcomesDemo({ store, options: { seed: 1, scale: 1, now: Date.UTC(2026, 2, 2, 9) }, peers: NO_PEERS });
    token = (await createToken(store.db, 'browser')).token;
    server = await startDashboard(store, { name: 'Outcomes test', mode: 'demo' });
    baseUrl = server.baseUrl;
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
  });

  it('draws the North Star tree with values, signal badges and edge verdicts', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${baseUrl}/outcomes?week=${week}`);
    const tree = page.getByTestId('north-star-tree');
    await expect.poll(() => tree.getByTestId('signal-badge').count()).toBe(5);
    expect(await page.getByTestId('node-weekly-sharing-teams').locator('.node-name').first().textContent()).toBe(
      'Weekly active teams sharing a report',
    );
    // The input that leads by two weeks, and the one that does not.
    expect(await page.getByTestId('node-activated-teams').getByTestId('edge-verdict').textContent()).toContain(
      'moves with it 2 weeks ahead',
    );
    expect(await page.getByTestId('node-reports-created').getByTestId('edge-verdict').textContent()).toContain('no relation found');
    // The step change in reports created shows as a high signal on its node.
    expect(await page.getByTestId('node-reports-created').getByTestId('signal-badge').getAttribute('data-signal')).toMatch(/^\d-high$/);
    expect(problems).toEqual([]);
  }, 60_000);

  it('shows the step-change signal on reports created in the weekly review, then publishes the week into the archive', async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/outcomes?view=review&week=${week}`);
    const signals = page.getByTestId('signals-reports-created');
    await expect.poll(() => signals.textContent()).toContain(`week ending ${week}: rule 1 (beyond a limit), high`);
    // The North Star's inputs that did not change show no rule-1 signal this week.
    expect(await page.getByTestId('signals-support-tickets').textContent()).not.toContain(`week ending ${week}: rule 1`);
    expect(await page.getByTestId('review-reports-created').locator('canvas').count()).toBeGreaterThan(0);

    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Use token' }).click();
    const note = page.getByLabel('Note on Reports created');
    await note.fill('Templates launched eight weeks ago: a new level, not noise.');
    await page.getByTestId('review-reports-created').getByRole('button', { name: 'Save note' }).click();
    await expect.poll(() => page.getByTestId('review-reports-created').textContent()).toContain('Saved.');

    await page.getByTestId('publish').click();
    await page.waitForURL(/view=readouts/);
    const rows = page.getByTestId('readouts').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(4);
    expect(await rows.first().locator('td').first().textContent()).toBe(week);
  }, 60_000);

  it('serves a readout HTML that makes no request beyond itself', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const url = `${baseUrl}/api/v1/readouts/2026-02-15/readout.html`;
    await page.goto(url);
    await page.waitForLoadState('networkidle');
    // One 6-12 chart per deck metric: three inputs, the North Star and its counter-metric.
    expect(await page.locator('svg').count()).toBe(5);
    expect(requests).toEqual([url]);
  }, 60_000);
  it("links a module section's rows to what they name: an open incident opens its page", async () => {
    await saveTeam(store.db, { id: 'shop', name: 'Shop', parentId: null, description: null });
    await saveService(store.db, {
      id: 'checkout',
      name: 'Checkout',
      ownerTeamId: 'shop',
      description: null,
      repositories: [],
      environments: [],
    });
    await upsertIncidents(
      store.db,
      [
        {
          id: 'INC-7',
          title: 'Checkout errors',
          serviceId: 'checkout',
          services: ['checkout'],
          severity: 'SEV2',
          priority: null,
          status: 'investigating',
          milestones: {
            impactStartedAt: Date.parse('2026-02-18T10:00:00Z'),
            detectedAt: null,
            acknowledgedAt: null,
            mitigatedAt: null,
            resolvedAt: null,
            closedAt: null,
          },
          roles: { commander: null, communications: null, scribe: null, responders: [] },
          customerImpact: null,
          causedByDeployment: null,
          causedBySha: null,
          tags: [],
          drill: false,
          dataLoss: false,
          source: 'test',
        },
      ],
      Date.now(),
    );
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/outcomes?view=review&week=2026-02-22`);
    const link = page.getByRole('link', { name: 'Open: INC-7 Checkout errors' });
    await expect.poll(() => link.count()).toBe(1);
    expect(await link.getAttribute('href')).toBe('/incidents/INC-7');
    await link.click();
    await page.waitForURL(/\/incidents\/INC-7$/);
  }, 60_000);
});
