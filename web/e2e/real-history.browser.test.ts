import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSync } from '../../src/cli/commands/sync.js';
import { openStore, type Store } from '../../src/store/database.js';
import { runCommandsInProcess } from '../../src/test-support/cli-in-process.js';
import { makeTempDir } from '../../src/test-support/stores.js';
import {
  chromiumAvailable,
  launchBrowser,
  pagesWiderThanWindow,
  startDashboard,
  trackOffMachineRequests,
  type DashboardServer,
} from './browser.js';

const BUNDLE = path.resolve(import.meta.dirname, '..', '..', 'src', 'test-support', 'testdata', 'real-history', 'backbone.bundle');
const VIEWPORTS = [1440, 1024, 390];

/**
 * A workspace built the way a new user builds one, on a real repository with
 * 15 years of history (Backbone.js 2010-2025, see the fixture's README):
 * sextant.yaml names the repository and its release tags, `sextant sync` reads
 * it, and the dashboard then opens every page. No page is wider than the
 * window at a desktop, a laptop and a phone width, and the Delivery page,
 * whose last release is long past, offers the window before it.
 */
describe.skipIf(!chromiumAvailable)('dashboard in Chromium: a workspace on 15 years of real history', () => {
  let dir: string;
  let store: Store;
  let server: DashboardServer;
  let browser: Browser;

  beforeAll(async () => {
    dir = makeTempDir('sextant-real-history-');
    execFileSync('git', ['clone', '--quiet', '--branch', 'main', BUNDLE, path.join(dir, 'backbone')]);
    fs.writeFileSync(
      path.join(dir, 'sextant.yaml'),
      `version: 1
workspace: { name: Backbone real history, timezone: UTC }
teams: [{ id: core, name: Core }]
repositories: [{ id: backbone, path: ./backbone }]
services: [{ id: backbone, name: Backbone.js, team: core, repositories: [{ repo: backbone }] }]
delivery:
  tagDeployments: [{ service: backbone, tags: '^\\d+\\.\\d+\\.\\d+$' }]
`,
    );
    const sync = await runCommandsInProcess(registerSync, ['sync', '-w', dir], { SEXTANT_DATABASE_URL: undefined });
    expect(sync.code, sync.stderr).toBe(0);
    expect(`${sync.stdout}${sync.stderr}`).toMatch(/34 tag deployments/);
    store = await openStore({ kind: 'sqlite', path: path.join(dir, '.sextant', 'sextant.db') });
    server = await startDashboard(store, { name: 'Backbone real history', mode: 'configured' });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('no page is wider than the viewport at 1440, 1024 and 390 px', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const offMachine = trackOffMachineRequests(page, server.baseUrl);
    await page.goto(server.baseUrl);
    const nav = page.getByRole('navigation', { name: 'Modules' });
    await nav.locator('li a').first().waitFor({ state: 'attached' });
    const hrefs = await nav.locator('li a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    // 35 tags, of which 34 match the pattern (v1.3.0 repeats 1.3.0): 34 deployments. The last release (1.6.1) is 2025-04-01: the year before it holds deployments, changes and lead times.
    const paths = ['/', ...hrefs, '/org/services/backbone', '/delivery?from=2024-04-01T00:00:00Z&to=2025-04-02T00:00:00Z&view=changes'];
    expect(paths.length).toBeGreaterThan(10);
    const { tooWide, widths } = await pagesWiderThanWindow(page, server.baseUrl, paths, VIEWPORTS);
    expect(tooWide, widths.join(' ')).toEqual([]);
    expect(offMachine).toEqual([]);
    await page.close();
  }, 300_000);

  it('shows the codebase of 15 years and, on Delivery, where the releases are', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${server.baseUrl}/codebase`);
    // backbone.js is the most changed file of the kept set; its row is in the hotspot table.
    await page.getByRole('cell', { name: 'backbone.js', exact: true }).first().waitFor();
    await page.goto(`${server.baseUrl}/delivery`);
    const notice = page.getByTestId('empty-window');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('finished 2025-04-01');
    await page.getByTestId('show-latest').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="metric-deployments"]')?.getAttribute('data-count')) > 0);
    expect(await page.getByLabel('To').inputValue()).toBe('2025-04-01');
    await page.close();
  }, 120_000);
});
