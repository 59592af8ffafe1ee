import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoWorkspace } from '../../src/workspace/workspace.js';
import type { Store } from '../../src/store/database.js';
import { TEST_DIALECTS } from '../../src/test-support/stores.js';
import { chromiumAvailable, launchBrowser, pagesWiderThanWindow, startDashboard, type DashboardServer } from './browser.js';

const sqlite = TEST_DIALECTS[0] as (typeof TEST_DIALECTS)[number];
const VIEWPORTS = [1440, 1024, 390];

/**
 * Every page of the demo workspace at a desktop, a laptop and a phone width:
 * nothing makes the document wider than the window (wide tables scroll in
 * their own box), the sidebar folds into a menu on narrow screens, and a
 * service's name, wherever a page mentions it, opens the service's page.
 */
describe.skipIf(!chromiumAvailable)('dashboard in Chromium: layout on every page', () => {
  let store: Store;
  let server: DashboardServer;
  let browser: Browser;

  beforeAll(async () => {
    store = await sqlite.open();
    await loadDemoWorkspace(store, { seed: 1, scale: 1 });
    server = await startDashboard(store, { name: 'Acme layout test', mode: 'demo' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
  });

  /** The pages the sidebar lists, and the overview. */
  async function pagePaths(page: Page): Promise<string[]> {
    await page.goto(server.baseUrl);
    const nav = page.getByRole('navigation', { name: 'Modules' });
    await nav.locator('li a').first().waitFor({ state: 'attached' });
    const hrefs = await nav.locator('li a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    // Beside the sidebar's pages, the detail views a page opens.
    const incidents = (await (await page.request.get(`${server.baseUrl}/api/v1/incidents?limit=1`)).json()) as {
      items: Array<{ id: string }>;
    };
    const incident = incidents.items[0]?.id;
    return [
      '/',
      ...hrefs,
      '/org/services/payments-api',
      '/reliability?slo=payments-api-availability',
      '/delivery?view=deployments',
      ...(incident ? [`/incidents/${encodeURIComponent(incident)}`] : []),
    ];
  }

  it('no page is wider than the viewport at 1440, 1024 and 390 px', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const paths = await pagePaths(page);
    expect(paths.length).toBeGreaterThan(10);
    const { tooWide, widths } = await pagesWiderThanWindow(page, server.baseUrl, paths, VIEWPORTS);
    expect(tooWide, widths.join(' ')).toEqual([]);
    await page.close();
  }, 240_000);

  it('folds the sidebar into a menu button below 900 px', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    await page.goto(`${server.baseUrl}/delivery`);
    const menu = page.getByRole('button', { name: 'Menu' });
    await menu.waitFor();
    const reliability = page.getByRole('navigation', { name: 'Modules' }).getByRole('link', { name: 'Reliability' });
    expect(await reliability.isVisible()).toBe(false);
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await reliability.click();
    await page.waitForURL(/\/reliability$/);
    // Navigating closes the menu again.
    await expect.poll(() => reliability.isVisible()).toBe(false);

    await page.setViewportSize({ width: 1024, height: 800 });
    expect(await menu.isVisible()).toBe(false);
    expect(await reliability.isVisible()).toBe(true);
    await page.close();
  });

  it('opens a service page from a service named on any page', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const fromPages: Array<[string, string]> = [
      ['/org', '[data-testid="services-table"]'],
      ['/reliability', 'table'],
      ['/delivery?view=deployments', '[data-testid="rows-table"]'],
      ['/incidents', '[data-testid="incident-table"]'],
    ];
    for (const [from, within] of fromPages) {
      await page.goto(`${server.baseUrl}${from}`);
      const link = page.locator(`${within} a[data-entity="service"]`).first();
      await link.waitFor();
      const id = await link.getAttribute('data-id');
      expect(id, from).toBeTruthy();
      await link.click();
      await page.waitForURL(new RegExp(`/org/services/${id}$`));
      const heading = page.getByTestId('service-page');
      await heading.waitFor();
      expect(await heading.getAttribute('data-service'), from).toBe(id);
    }
    // The service page flags a runbook not reviewed in 90 days (the rule is tested in src/incidents/runbooks.test.ts).
    const runbooks = (await (await fetch(`${server.baseUrl}/api/v1/incidents/runbooks`)).json()) as {
      items: Array<{ serviceId: string; stale: boolean }>;
    };
    const stale = runbooks.items.find((r) => r.stale);
    const fresh = runbooks.items.find((r) => !r.stale);
    expect(stale && fresh).toBeTruthy();
    for (const runbook of [stale, fresh]) {
      await page.goto(`${server.baseUrl}/org/services/${runbook?.serviceId}`);
      const shown = page.getByTestId('service-runbook');
      await shown.waitFor();
      expect(await shown.textContent(), runbook?.serviceId).toContain(`runbooks/${runbook?.serviceId}`);
      expect((await shown.textContent())?.includes('stale: not reviewed in 90 days'), runbook?.serviceId).toBe(runbook?.stale);
    }
    await page.goto(`${server.baseUrl}/org/services/${fresh?.serviceId}`);
    await page.getByTestId('service-page').waitFor();
    // The service page links onwards to the service's delivery metrics.
    await page.getByRole('link', { name: 'Delivery metrics' }).click();
    await page.waitForURL(/\/delivery\?service=/);
    await page.getByTestId('metric-cards').waitFor();
    await page.close();
  });
});
