import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliverySection } from '../../src/delivery/delivery-config.js';
import { deliverySyncTask } from '../../src/delivery/sync-task.js';
import { silentProgress } from '../../src/shared/progress.js';
import type { Store } from '../../src/store/database.js';
import { TestRepository } from '../../src/test-support/git-repository.js';
import { TEST_DIALECTS } from '../../src/test-support/stores.js';
import { parseWorkspaceConfig } from '../../src/workspace/workspace-file.js';
import { applyWorkspaceConfig } from '../../src/workspace/workspace.js';
import { chromiumAvailable, launchBrowser, startDashboard, trackOffMachineRequests, type DashboardServer } from './browser.js';

const sqlite = TEST_DIALECTS[0] as (typeof TEST_DIALECTS)[number];

/**
 * The Delivery page on a real repository whose last release is long past (tags
 * in 2024, the page opens on the 90 days before today): instead of a row of
 * zeros it says when the latest deployment finished and links to the window
 * before it; the From/To pickers and "Latest data" move the window.
 *
 * Releases (tag time = deployment): v1.0.0 2024-10-01, v1.1.0 2024-10-20,
 * v1.2.0 2024-11-13 (UTC; the workspace zone is UTC).
 */
describe.skipIf(!chromiumAvailable)('dashboard in Chromium: Delivery page on a repository with no recent tags', () => {
  let repo: TestRepository;
  let store: Store;
  let server: DashboardServer;
  let browser: Browser;

  beforeAll(async () => {
    repo = TestRepository.create();
    repo.commit({ message: 'Start', at: '2024-09-28T09:00:00Z', files: { 'src/a.ts': '1' } });
    repo.annotatedTag('v1.0.0', '2024-10-01T12:00:00Z');
    repo.commit({ message: 'Two', at: '2024-10-15T09:00:00Z', files: { 'src/a.ts': '2' } });
    repo.annotatedTag('v1.1.0', '2024-10-20T12:00:00Z');
    repo.commit({ message: 'Three', at: '2024-11-10T09:00:00Z', files: { 'src/a.ts': '3' } });
    repo.annotatedTag('v1.2.0', '2024-11-13T12:00:00Z');
    store = await sqlite.open();
    const config = parseWorkspaceConfig<DeliverySection>(
      `version: 1
teams: [{ id: core, name: Core }]
repositories: [{ id: app, path: ${repo.dir} }]
services: [{ id: app, name: App, team: core, repositories: [{ repo: app }] }]
delivery:
  tagDeployments: [{ service: app, tags: '^v\\d+\\.\\d+\\.\\d+$' }]
`,
      'sextant.yaml',
    );
    await applyWorkspaceConfig(store, config);
    await deliverySyncTask.run({ store, config, workspaceDir: repo.dir, progress: silentProgress });
    server = await startDashboard(store, { name: 'Old releases', mode: 'configured', timezone: 'UTC' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    repo?.remove();
  });

  it('says where the data is, and the link, the pickers and "Latest data" show a past window', async () => {
    const page = await browser.newPage();
    const offMachine = trackOffMachineRequests(page, server.baseUrl);
    await page.goto(`${server.baseUrl}/delivery`);

    const notice = page.getByTestId('empty-window');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('The latest deployment in this scope finished 2024-11-13');
    expect(await page.getByTestId('metric-deployments').getAttribute('data-count')).toBe('0');

    // The link: the 90 days ending with 2024-11-13, i.e. 2024-08-16 .. 2024-11-13 inclusive: all three releases.
    await page.getByTestId('show-latest').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="metric-deployments"]')?.getAttribute('data-count') === '3');
    expect(await page.getByLabel('From').inputValue()).toBe('2024-08-16');
    expect(await page.getByLabel('To').inputValue()).toBe('2024-11-13');
    expect(await page.getByTestId('empty-window').count()).toBe(0);
    const url = new URL(page.url());
    expect(url.searchParams.get('from')).toBe('2024-08-16T00:00:00.000Z');
    expect(url.searchParams.get('to')).toBe('2024-11-14T00:00:00.000Z');

    // The pickers: From 2024-10-10 keeps v1.1.0 and v1.2.0; To 2024-10-31 then leaves v1.1.0 only.
    await page.getByLabel('From').fill('2024-10-10');
    await page.waitForFunction(() => document.querySelector('[data-testid="metric-deployments"]')?.getAttribute('data-count') === '2');
    await page.getByLabel('To').fill('2024-10-31');
    await page.waitForFunction(() => document.querySelector('[data-testid="metric-deployments"]')?.getAttribute('data-count') === '1');
    expect(new URL(page.url()).searchParams.get('to')).toBe('2024-11-01T00:00:00.000Z');

    // "Latest data" with the 30-day period: 2024-10-15 .. 2024-11-13 holds v1.1.0 (10-20) and v1.2.0 (11-13).
    await page.goto(`${server.baseUrl}/delivery?period=30`);
    await notice.waitFor();
    await page.getByRole('button', { name: 'Latest data' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="metric-deployments"]')?.getAttribute('data-count') === '2');
    expect(await page.getByLabel('From').inputValue()).toBe('2024-10-15');
    expect(offMachine).toEqual([]);
  });
});
