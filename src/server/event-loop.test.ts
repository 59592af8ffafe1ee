import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoDelivery, saveDemoDelivery } from '../delivery/demo-delivery.js';
import { generateDemoOrg } from '../org/index.js';
import { replaceOrg } from '../org/store.js';
import { loadReliabilityDemo } from '../reliability/demo.js';
import type { Store } from '../store/database.js';
import { buildTestApp } from '../test-support/app.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import { migrateModules } from '../workspace/workspace.js';

const sqlite = TEST_DIALECTS.find((d) => d.name === 'sqlite');

/**
 * Issue 9 item 1: no long computation on the server's event loop. better-sqlite3
 * answers synchronously, so before the SQLite store yielded between queries
 * (shared/yield.ts) a whole view (here the SLO list over five weeks of
 * per-minute samples of the demo's nine SLOs, one of them judged in 1-minute
 * time slices) ran as one macrotask: the event loop's longest stall was the
 * request's whole duration (0.3-1 s), and /healthz waited for it. Measured as
 * the longest stall relative to the request's duration, so a slow or busy
 * machine slows both alike. PostgreSQL answers over a socket, so the loop
 * turns between its queries anyway.
 */
describe('a heavy read on SQLite', () => {
  let store: Store;
  let app: FastifyInstance;

  beforeAll(async () => {
    store = await (sqlite as NonNullable<typeof sqlite>).open();
    await loadReliabilityDemo(store, { seed: 1, scale: 1 }, { days: 35 });
    app = await buildTestApp(store);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('leaves the event loop free in short slices instead of holding it throughout', async () => {
    // Warm up (JIT, statement cache) on another URL, so the measured requests are not cached.
    expect((await app.inject('/api/v1/slos?limit=999')).statusCode).toBe(200);

    const { response, tookMs, longestStallMs, turns, runs } = await leastStalled(
      app,
      [998, 997, 996].map((n) => `/api/v1/slos?limit=${n}`),
    );
    expect(response.json().items).toHaveLength(9);
    // Before: one stall as long as the request (ratio ~1, one or no turn of the loop).
    expect(longestStallMs, runs).toBeLessThan(tookMs / 3);
    expect(turns).toBeGreaterThanOrEqual(10);
  }, 60_000);
});

/**
 * The delivery summary of a year of a large organisation (the demo at scale 8
 * deploying daily: ~17,700 deployments, ~34,000 changes, ~1,500 incidents).
 * Before the deployments were read in pages and assessDeployments and
 * summariseDelivery ran in slices, the read of every deployment, the
 * assessment and the summary each held the loop in one piece: the longest
 * stall was 1/3 to 1/2 of the request (scale 20: 300-1000 ms of 1-3 s).
 */
describe('a delivery view over a large store on SQLite', () => {
  const now = Date.parse('2026-01-05T00:00:00Z');
  let store: Store;
  let app: FastifyInstance;

  beforeAll(async () => {
    store = await (sqlite as NonNullable<typeof sqlite>).open();
    const org = generateDemoOrg({ seed: 1, scale: 8 });
    const demo = generateDemoDelivery(org, {
      seed: 1,
      now,
      days: 365,
      staging: false,
      profile: {
        deployDayChance: 1,
        maxDeploysPerDay: 1,
        changesPerDeployment: [1, 3],
        leadTimeMedianHours: 24,
        failureRate: 0.13,
        recoveryMedianMinutes: 120,
      },
    });
    await migrateModules(store);
    await replaceOrg(store.db, org, 'demo');
    await saveDemoDelivery(store, demo, now);
    app = await buildTestApp(store);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('is computed in slices, none a large part of the request', async () => {
    const year = `from=${new Date(now - 365 * 86_400_000).toISOString()}&to=${new Date(now).toISOString()}`;
    // Warm up on another URL (another window), so the measured request is not cached.
    expect((await app.inject(`/api/v1/delivery/summary?from=2025-06-01T00:00:00Z&to=2026-01-01T00:00:00Z`)).statusCode).toBe(200);

    // The same year three times, each with another time zone: three computations, none answered from the cache.
    const urls = ['UTC', 'Europe/London', 'America/New_York'].map((zone) => `/api/v1/delivery/summary?${year}&timezone=${zone}`);
    const { response, tookMs, longestStallMs, turns, runs } = await leastStalled(app, urls);
    expect(response.json().deployments.count).toBeGreaterThan(17_000);
    expect(longestStallMs, runs).toBeLessThan(tookMs / 6);
    expect(turns).toBeGreaterThanOrEqual(10);
  }, 60_000);
});

/**
 * Each request in turn (measure()), and the run whose longest stall was the
 * smallest part of its request. The stall is wall time: on a busy machine
 * (the whole suite on 2 cores) the process also waits for a core now and
 * then, which lengthens one gap by a random 100-200 ms (226 ms of a 1.2 s
 * request once in CI) but is no computation of ours. A computation that holds
 * the loop does so on every run, so the least stalled of three still shows it.
 */
async function leastStalled(app: FastifyInstance, urls: readonly string[]) {
  const measured = [];
  for (const url of urls) measured.push(await measure(app, url));
  measured.sort((a, b) => a.longestStallMs / a.tookMs - b.longestStallMs / b.tookMs);
  const runs = measured.map((m) => `longest stall ${m.longestStallMs.toFixed(1)} ms of a ${m.tookMs.toFixed(0)} ms request`).join('; ');
  return { ...(measured[0] as Awaited<ReturnType<typeof measure>>), runs };
}

/** One request, with the event loop's longest stall meanwhile and how often a 1 ms timer got to run. */
async function measure(app: FastifyInstance, url: string) {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let turns = 0;
  const ticker = setInterval(() => turns++, 1);
  delay.enable();
  // The monitor records stalls between runs of its timer: let it run before and after the request.
  await new Promise((resolve) => setTimeout(resolve, 20));
  turns = 0;
  const started = performance.now();
  const response = await app.inject(url);
  const tookMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 5));
  delay.disable();
  clearInterval(ticker);
  expect(response.statusCode).toBe(200);
  expect(response.headers['x-cache']).toBe('miss');
  return { response, tookMs, longestStallMs: delay.max / 1e6, turns };
}
