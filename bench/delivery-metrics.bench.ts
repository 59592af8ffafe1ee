import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { generateDemoOrg } from '../src/org/demo-org.js';
import { DEFAULT_ASSESS_OPTIONS } from '../src/delivery/assess-deployments.js';
import { loadDeliveryFacts } from '../src/delivery/delivery-facts.js';
import { summariseDelivery, DEFAULT_SUMMARY_OPTIONS } from '../src/delivery/delivery-summary.js';
import { generateDemoDelivery, saveDemoDelivery } from '../src/delivery/demo-delivery.js';
import { DAY_MS } from '../src/delivery/model.js';
import { replaceOrg } from '../src/org/store.js';
import { openStore, type Store } from '../src/store/database.js';
import { migrateModules } from '../src/workspace/workspace.js';
import { median as medianOf, sortedSample } from '../src/delivery/percentiles.js';
import type { Benchmark, BenchmarkResult } from './harness.js';

const SCALE = 50;
const RUNS = 3;
const NOW = Date.parse('2026-01-05T00:00:00Z');

/** The rows the computation reads: deployments with their change summaries, evidence changes, incidents. */
const SAME_ROWS = [
  'select * from delivery_deployments',
  'select deployment_id, sha, author_time, reverts_sha, fixes_sha from delivery_changes where reverts_sha is not null or fixes_sha is not null',
  'select * from incidents',
];
/** What reading every change row costs: the design the per-deployment change summary avoids. */
const EVERY_CHANGE = ['select deployment_id, sha, author_time, reverts_sha, fixes_sha from delivery_changes'];

/**
 * All five DORA metrics over a year for the whole organisation — the demo
 * generator at scale 50 (400 services) with a daily-deploy profile: ~100k
 * production deployments, ~1M changes, ~10k incidents — read from the store
 * and computed, on SQLite and (when SEXTANT_TEST_DATABASE_URL is set) on
 * PostgreSQL. The natural limit is reading the same rows with the bare driver.
 */
const benchmark: Benchmark = {
  name: 'delivery-metrics',
  description: `the five DORA metrics for the demo organisation at scale ${SCALE} (~100k deployments, ~1M changes, ~10k incidents) on SQLite and PostgreSQL`,
  async run() {
    const org = generateDemoOrg({ seed: 1, scale: SCALE });
    const demo = generateDemoDelivery(org, {
      seed: 1,
      now: NOW,
      days: 365,
      staging: false,
      profile: {
        deployDayChance: 1,
        maxDeploysPerDay: 1,
        changesPerDeployment: [5, 15],
        leadTimeMedianHours: 24,
        failureRate: 0.13,
        recoveryMedianMinutes: 120,
      },
    });
    const window = { from: NOW - 365 * DAY_MS, to: NOW };
    const input: BenchmarkResult['input'] = {
      services: org.services.length,
      deployments: demo.deployments.length,
      changes: demo.changes.length,
      incidents: demo.incidents.length,
      window: '365 days',
    };
    const figures: Record<string, number> = {};
    const targets: NonNullable<BenchmarkResult['targets']> = [];
    const notes = [
      'Timed: loading the facts (org, deployments, changes, incidents) from the store, assessing every deployment, and summarising the five metrics with tiers for the whole organisation over the year. Medians of 3.',
      'Natural limit (RawSameRows): the rows the computation reads - deployments with their per-deployment change summaries (count and start times), the evidence changes (reverts, Fixes: and what they name), incidents - read with the bare driver and nothing else.',
      'RawEveryChange: every change row read with the bare driver, the cost the per-deployment change summary avoids.',
    ];

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sextant-bench-metrics-'));
    const sqliteFile = path.join(dir, 'metrics.db');
    const sqlite = await openStore({ kind: 'sqlite', path: sqliteFile });
    await seed(sqlite, org, demo);
    figures.sqliteSeconds = await timeMetrics(sqlite, window, demo.deployments.length);
    await sqlite.close();
    const sqliteRead = (queries: string[]) =>
      median(
        Array.from({ length: RUNS }, () => {
          const start = performance.now();
          const raw = new SqliteDatabase(sqliteFile, { readonly: true });
          for (const text of queries) raw.prepare(text).raw().all();
          raw.close();
          return (performance.now() - start) / 1000;
        }),
      );
    figures.sqliteRawSameRowsSeconds = sqliteRead(SAME_ROWS);
    figures.sqliteRawEveryChangeSeconds = sqliteRead(EVERY_CHANGE);
    targets.push({
      description: 'all five metrics for ~1M changes, ~100k deployments, ~10k incidents in under 5 s on SQLite',
      met: figures.sqliteSeconds < 5,
    });

    const url = process.env.SEXTANT_TEST_DATABASE_URL;
    if (url) {
      const schema = `bench_${randomBytes(4).toString('hex')}`;
      const postgres = await openStore({ kind: 'postgres', url, schema });
      try {
        await seed(postgres, org, demo);
        figures.postgresSeconds = await timeMetrics(postgres, window, demo.deployments.length);
        figures.postgresRawSameRowsSeconds = await rawPostgresRead(url, schema, SAME_ROWS);
        figures.postgresRawEveryChangeSeconds = await rawPostgresRead(url, schema, EVERY_CHANGE);
        targets.push({ description: 'the same in under 5 s on PostgreSQL', met: figures.postgresSeconds < 5 });
      } finally {
        await postgres.close();
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`drop schema ${schema} cascade`);
        await client.end();
      }
    } else {
      notes.push('PostgreSQL not measured: SEXTANT_TEST_DATABASE_URL was not set.');
    }
    fs.rmSync(dir, { recursive: true, force: true });
    return { input, figures, targets, notes };
  },
};

async function seed(store: Store, org: ReturnType<typeof generateDemoOrg>, demo: ReturnType<typeof generateDemoDelivery>): Promise<void> {
  await migrateModules(store);
  await replaceOrg(store.db, org, 'demo');
  await saveDemoDelivery(store, demo, NOW);
}

async function timeMetrics(store: Store, window: { from: number; to: number }, expectedDeployments: number): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    const facts = await loadDeliveryFacts(store.db, {}, { leadTimeStart: 'author', assess: DEFAULT_ASSESS_OPTIONS });
    const summary = summariseDelivery(facts.assessment, window, DEFAULT_SUMMARY_OPTIONS);
    times.push((performance.now() - start) / 1000);
    if (summary.deployments.count !== expectedDeployments)
      throw new Error(`counted ${summary.deployments.count} deployments, expected ${expectedDeployments}`);
  }
  return median(times);
}

async function rawPostgresRead(url: string, schema: string, queries: string[]): Promise<number> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    for (const text of queries) await client.query({ text, rowMode: 'array' });
    times.push((performance.now() - start) / 1000);
  }
  await client.end();
  return median(times);
}

/** Median of a few timings (linear interpolation for an even count). */
function median(values: number[]): number {
  return medianOf(sortedSample(values), 'linear') as number;
}

export default benchmark;
