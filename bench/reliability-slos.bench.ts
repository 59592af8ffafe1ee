import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SqliteDatabase from 'better-sqlite3';
import type { MinuteSample } from '../src/reliability/counts.js';
import { parseDefinitions } from '../src/reliability/definitions/load-definitions.js';
import { DAY_MS, MINUTE_MS } from '../src/reliability/duration.js';
import { replaceDefinitions, writeSamples } from '../src/reliability/store.js';
import { refreshAlertHistory, storedStatuses } from '../src/reliability/stored-slos.js';
import { SeededRandom } from '../src/shared/random.js';
import { openStore } from '../src/store/database.js';
import { migrateModules } from '../src/workspace/workspace.js';
import { medianSeconds, type Benchmark } from './harness.js';

const SLOS = 1000;
const DAYS = 30;
const MINUTES = DAYS * 1440;
const RAW_ROWS = 2_000_000;
const HISTORY_SAMPLE_SLOS = 5;
const END = Date.UTC(2024, 6, 1, 12, 34);
const START = END - DAYS * DAY_MS;

/** One SLO's month: 100-1,000 requests a minute, a few failing, an outage for some. */
function monthOfSamples(index: number): MinuteSample[] {
  const random = new SeededRandom(index + 1);
  const base = random.int(100, 1000);
  const outageAt = random.chance(0.2) ? random.int(0, MINUTES - 120) : -1;
  const samples: MinuteSample[] = new Array(MINUTES);
  for (let i = 0; i < MINUTES; i++) {
    const total = base + (i % 7);
    const bad = i >= outageAt && i < outageAt + 60 ? Math.floor(total / 10) : i % 97 === 0 ? 1 : 0;
    samples[i] = { minute: START + i * MINUTE_MS, good: total - bad, total };
  }
  return samples;
}

function definitionsYaml(): string {
  return Array.from(
    { length: SLOS },
    (_, i) => `apiVersion: openslo/v1
kind: SLO
metadata: { name: slo-${i} }
spec:
  service: service-${i % 100}
  budgetingMethod: Occurrences
  timeWindow: [{ duration: 30d, isRolling: true }]
  objectives: [{ target: 0.999 }]
  indicator:
    metadata: { name: sli-${i} }
    spec:
      ratioMetric:
        good: { metricSource: { type: Prometheus, spec: { query: 'ok_total{slo="${i}"}' } } }
        total: { metricSource: { type: Prometheus, spec: { query: 'all_total{slo="${i}"}' } } }
`,
  ).join('---\n');
}

/**
 * The target: 1,000 SLOs with 30 days of per-minute samples (43.2
 * million) ingested into SQLite at >= 200,000 samples/s, then budget status
 * and burn rates for all of them in under 2 s. Natural limits in the same
 * run: raw prepared better-sqlite3 inserts of one row per sample (no
 * roll-ups), and the cost of the alert-history replay per SLO-month.
 */
const benchmark: Benchmark = {
  name: 'reliability-slos',
  description: `${SLOS} SLOs x ${DAYS} days of per-minute samples: SQLite ingest, then status and burn rates of all SLOs`,
  async run() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sextant-bench-slo-'));
    try {
      const store = await openStore({ kind: 'sqlite', path: path.join(dir, 'slos.db') });
      await migrateModules(store);
      await replaceDefinitions(store.db, parseDefinitions(definitionsYaml(), 'bench.yaml'), 'api');

      let ingestSeconds = 0;
      let generateSeconds = 0;
      for (let i = 0; i < SLOS; i++) {
        const generated = performance.now();
        const samples = monthOfSamples(i);
        const started = performance.now();
        generateSeconds += (started - generated) / 1000;
        await writeSamples(store.db, `slo-${i}`, samples);
        ingestSeconds += (performance.now() - started) / 1000;
      }
      const samples = SLOS * MINUTES;
      const databaseBytes = fs.statSync(path.join(dir, 'slos.db')).size + fileSize(path.join(dir, 'slos.db-wal'));

      let statusCount = 0;
      let firing = 0;
      const statusSeconds = await medianSeconds(async () => {
        const statuses = await storedStatuses(store.db, END);
        statusCount = statuses.length;
        firing = statuses.filter((s) => s.alerts.length > 0).length;
      });

      const historyStart = performance.now();
      for (let i = 0; i < HISTORY_SAMPLE_SLOS; i++) {
        await refreshAlertHistory(store.db, `slo-${i}`, [START, END], { now: END });
      }
      const historySecondsPerSloMonth = (performance.now() - historyStart) / 1000 / HISTORY_SAMPLE_SLOS;
      await store.close();

      const rawSecondsFor = rawInsertSeconds(path.join(dir, 'raw.db'));
      const rawRowsPerSecond = RAW_ROWS / rawSecondsFor;
      const samplesPerSecond = samples / ingestSeconds;
      return {
        input: { slos: SLOS, days: DAYS, samples, rawInsertRows: RAW_ROWS },
        figures: {
          ingestSeconds,
          ingestSamplesPerSecond: samplesPerSecond,
          sampleGenerationSeconds: generateSeconds,
          statusAllSlosSeconds: statusSeconds,
          statusesComputed: statusCount,
          slosAlerting: firing,
          rawRowPerSampleInsertRowsPerSecond: rawRowsPerSecond,
          ingestRatioToRawRowInserts: samplesPerSecond / rawRowsPerSecond,
          databaseMegabytes: databaseBytes / 2 ** 20,
          alertHistoryReplaySecondsPerSloMonth: historySecondsPerSloMonth,
        },
        targets: [
          { description: 'ingest >= 200,000 samples/s on SQLite', met: samplesPerSecond >= 200_000 },
          { description: `status and burn rates of ${SLOS} SLOs in < 2 s`, met: statusSeconds < 2 },
        ],
        notes: [
          'Ingest is the store path (writeSamples): grouping by hour, minute blobs, hour and day roll-ups, one transaction per SLO-month; sample generation is excluded.',
          'The raw comparison inserts one (slo, minute, good, total) row per sample with a prepared statement in one transaction, no roll-ups, into a WITHOUT ROWID table.',
          'Status is the median of 3 runs of storedStatuses over all SLOs at the end of the data (30-day windows, 7 burn-rate windows, 4 alert conditions each).',
          `Alert-history replay (minute by minute over the month) is measured on ${HISTORY_SAMPLE_SLOS} SLOs; pushes of recent minutes replay only the 3 days they can affect.`,
        ],
      };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

function fileSize(file: string): number {
  return fs.existsSync(file) ? fs.statSync(file).size : 0;
}

function rawInsertSeconds(file: string): number {
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    'create table samples (slo text not null, minute integer not null, good real not null, total real not null, primary key (slo, minute)) without rowid',
  );
  const insert = db.prepare('insert into samples values (?, ?, ?, ?)');
  const perSlo = MINUTES;
  const start = performance.now();
  db.transaction(() => {
    for (let row = 0; row < RAW_ROWS; row++) {
      const slo = Math.floor(row / perSlo);
      insert.run(`slo-${slo}`, START + (row % perSlo) * MINUTE_MS, 999, 1000);
    }
  })();
  const seconds = (performance.now() - start) / 1000;
  db.close();
  return seconds;
}

export default benchmark;
