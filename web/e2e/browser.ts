import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp } from '../../src/server/app.js';
import type { Store } from '../../src/store/database.js';
import type { WorkspaceInfo } from '../../src/workspace/workspace.js';
import { defaultWebRoot } from '../../src/server/web-assets.js';
import { externalTool } from '../../src/test-support/external-tools.js';

/**
 * Shared set-up for dashboard tests: a real Chromium (Debian's, driven by
 * playwright-core) against the real server serving the built dashboard.
 * `npm test` builds the dashboard first. Without Chromium the tests skip with
 * a loud message, unless SEXTANT_REQUIRE_TOOLS is set (CI sets it), in which
 * case they fail.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const chromiumAvailable = externalTool(CHROMIUM_PATH, 'apt-get install -y chromium');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    // Without the background-networking flags Chromium tries to reach Google's
    // services, which this machine's closed network refuses.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface DashboardServer {
  app: FastifyInstance;
  baseUrl: string;
  close(): Promise<void>;
}

export async function startDashboard(store: Store, workspace: Partial<WorkspaceInfo> = {}): Promise<DashboardServer> {
  const webRoot = defaultWebRoot();
  if (!fs.existsSync(path.join(webRoot, 'index.html'))) {
    throw new Error(`${webRoot}/index.html is missing: run \`npm run build:web\` (npm test does it first)`);
  }
  const app = await buildApp({
    store,
    readsNeedToken: false,
    bodyLimitBytes: 1024 * 1024,
    logLevel: 'silent',
    webRoot,
    workspace: { name: 'Test workspace', timezone: 'UTC', mode: 'configured', store: store.location, ...workspace },
    workspaceDir: fs.mkdtempSync(path.join(os.tmpdir(), 'sextant-e2e-workspace-')),
  });
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, baseUrl, close: () => app.close() };
}

/** Records every request the page makes whose host is not the test server's. */
export function trackOffMachineRequests(page: Page, baseUrl: string): string[] {
  const allowed = new URL(baseUrl).host;
  const offMachine: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol.startsWith('http') && url.host !== allowed) offMachine.push(request.url());
  });
  return offMachine;
}

/**
 * Opens each path at each window width and measures the document's width:
 * `tooWide` lists every page wider than its window, `widths` every measure
 * (for the failure message). Waits for the page's heading before measuring.
 */
export async function pagesWiderThanWindow(
  page: Page,
  baseUrl: string,
  paths: readonly string[],
  windowWidths: readonly number[],
): Promise<{ tooWide: string[]; widths: string[] }> {
  const widths: string[] = [];
  const tooWide: string[] = [];
  for (const width of windowWidths) {
    await page.setViewportSize({ width, height: 900 });
    for (const p of paths) {
      await page.goto(`${baseUrl}${p}`, { waitUntil: 'networkidle' });
      await page.locator('main h1').first().waitFor();
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      widths.push(`${p}@${width}=${scrollWidth}`);
      if (scrollWidth > width) tooWide.push(`${p} at ${width} px is ${scrollWidth} px wide`);
    }
  }
  return { tooWide, widths };
}
