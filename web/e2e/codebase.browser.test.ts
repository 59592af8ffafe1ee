import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshHistory } from '../../src/codebase/history-cache.js';
import { buildCodebaseFixture, type TestRepository } from '../../src/test-support/git-repository.js';
import { saveRepository, saveService, saveTeam } from '../../src/org/store.js';
import type { Store } from '../../src/store/database.js';
import { TEST_DIALECTS } from '../../src/test-support/stores.js';
import { chromiumAvailable, launchBrowser, startDashboard, type DashboardServer } from './browser.js';

const sqlite = TEST_DIALECTS[0] as (typeof TEST_DIALECTS)[number];

/**
 * The Codebase page in a real Chromium against the real server, on the
 * fixture history of src/codebase/test-git-repo.ts (expected values worked out
 * in src/codebase/analyses.test.ts): truck factor 1 (Bob; code only, as the paper), src/a.ts
 * the top hotspot (4 revisions x 6 lines), logo.png and src/lib/b.ts coupled at
 * 66% once the thresholds allow such a short history.
 */
describe.skipIf(!chromiumAvailable)('dashboard in Chromium: Codebase page', () => {
  let repo: TestRepository;
  let store: Store;
  let emptyStore: Store;
  let server: DashboardServer;
  let emptyServer: DashboardServer;
  let browser: Browser;

  beforeAll(async () => {
    repo = buildCodebaseFixture();
    store = await sqlite.open();
    await saveRepository(store.db, { id: 'app', name: 'App', path: repo.dir, url: null, defaultBranch: null });
    await saveTeam(store.db, { id: 'core', name: 'Core', parentId: null, description: null });
    await saveService(store.db, {
      id: 'lib',
      name: 'Lib service',
      ownerTeamId: 'core',
      description: null,
      repositories: [{ repositoryId: 'app', paths: ['src/lib/**'] }],
      environments: [],
    });
    await refreshHistory(store, 'app', repo.dir);
    emptyStore = await sqlite.open();
    server = await startDashboard(store, { name: 'Codebase browser test' });
    emptyServer = await startDashboard(emptyStore, { name: 'Codebase browser test' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await emptyServer?.close();
    await store?.close();
    await emptyStore?.close();
    repo?.remove();
  });

  async function open(url: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(url);
    await page.getByRole('heading', { name: 'Code age' }).waitFor();
    return page;
  }

  it('shows hotspots, knowledge, the truck factor and code age of the analysed repository', async () => {
    const page = await open(`${server.baseUrl}/codebase`);
    expect(await page.getByTestId('truck-factor').locator('.card-value').innerText()).toBe('1');
    expect(await page.getByTestId('count-commits').locator('.card-value').innerText()).toBe('8');
    const firstHotspot = page.getByTestId('hotspots-table').locator('tbody tr').first();
    expect(await firstHotspot.locator('td').allInnerTexts()).toEqual(['src/a.ts', '4', '6', '1', '24', expect.any(String)]);
    expect(await page.getByTestId('truck-factor-developers').locator('li > strong').allInnerTexts()).toEqual(['Bob']);
    await page.getByText('files only Bob knows').click();
    expect(await page.getByTestId('truck-factor-developers').getByText('gen/1.txt').isVisible()).toBe(true);
    // code-maat's default thresholds (5 revisions) leave no pair in a 9-commit history.
    expect(await page.getByTestId('coupling-empty').isVisible()).toBe(true);
    for (const chart of [
      'Hotspots: revisions against lines of code, coloured by complexity',
      'Knowledge map per folder',
      'Files by months since their last change',
    ]) {
      const canvas = page.getByRole('img', { name: chart }).locator('canvas');
      await canvas.waitFor();
      expect((await canvas.boundingBox())?.width ?? 0).toBeGreaterThan(100);
    }
    await page.close();
  });

  it('passes coupling thresholds from the address to the coupling graph', async () => {
    const page = await open(`${server.baseUrl}/codebase?repository=app&minRevs=1&minSharedRevs=1&maxChangesetSize=3`);
    const rows = page.getByTestId('coupling-table').locator('tbody tr');
    // Of the four pairs of analyses.test.ts (logo.png-b 66%, a-b 50%, a-c 40%, logo.png-a 33%), coupling is
    // code only by default (docs/metrics/codebase.md): the two with the binary logo.png are left out.
    expect(await rows.first().locator('td').allInnerTexts()).toEqual(['src/a.ts', 'src/lib/b.ts', '50%', '2']);
    expect(await rows.locator('td:nth-child(3)').allInnerTexts()).toEqual(['50%', '40%']);
    await page.getByRole('img', { name: 'Change coupling graph' }).locator('canvas').waitFor();
    await page.close();
  });

  it('switches to a service, narrowed to its path globs', async () => {
    const page = await open(`${server.baseUrl}/codebase`);
    await page.getByLabel('Repository or service').selectOption({ label: 'Lib service' });
    await page.waitForURL(/\/codebase\?service=lib$/);
    await page.getByText('files matching src/lib/**').waitFor();
    // Only src/lib/b.ts. Degree of authorship (3.293 + 1.098 FA + 0.164 DL - 0.321 ln(1 + AC), creation no
    // delivery, as the original tool): Ann created it, DL 0, AC 3 (Bob c2, c4; Cy c5): 4.391 - 0.321 ln 4 = 3.946.
    // Bob: DL 2 (c2, the rename c4), AC 1: 3.621 - 0.321 ln 2 = 3.399 >= 3.293, 0.86 of Ann's > 0.75: an author.
    // Cy: DL 1, AC 2: 3.104 < 3.293. Two authors of the one file: truck factor 2 (Bob, then Ann).
    expect(await page.getByTestId('truck-factor').locator('.card-value').innerText()).toBe('2');
    expect((await page.getByTestId('truck-factor-developers').locator('li > strong').allInnerTexts()).sort()).toEqual(['Ann', 'Bob']);
    await page.close();
  });

  it('explains how to get data when no repository has been analysed', async () => {
    const page = await browser.newPage();
    await page.goto(`${emptyServer.baseUrl}/codebase`);
    await page.getByRole('heading', { name: 'No repository analysed yet' }).waitFor();
    expect(await page.getByRole('status').innerText()).toContain('sextant sync');
    await page.close();
  });
});
