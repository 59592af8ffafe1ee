import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { NO_PEERS } from '../src/kit/module.js';
import { addMonths, dateOf, dayOf, monthEnd } from '../src/outcomes/dates.js';
import { metricDefinitionInput, type PointInput } from '../src/outcomes/model.js';
import { toDefinition } from '../src/outcomes/outcomes-config.js';
import { weeklyReview } from '../src/outcomes/review.js';
import { defineMetrics, listMetrics, periodValues, putDeck, writePoints } from '../src/outcomes/store.js';
import { xmr } from '../src/outcomes/xmr.js';
import { SeededRandom } from '../src/shared/random.js';
import { openStore } from '../src/store/database.js';
import { migrateModules } from '../src/workspace/workspace.js';
import { medianSeconds, type Benchmark } from './harness.js';

const METRICS = 1000;
const FIRST = dayOf('2023-01-01');
const LAST = dayOf('2025-12-31');
const DAYS = LAST - FIRST + 1;
const BATCH_METRICS = 100;
const WEEK_ENDING = dayOf('2025-12-28');

function batch(from: number): PointInput[] {
  const points: PointInput[] = [];
  for (let m = from; m < from + BATCH_METRICS; m++) {
    const random = new SeededRandom(m + 1);
    const base = random.int(50, 5000);
    for (let d = 0; d < DAYS; d++)
      points.push({ metric: `m-${m}`, date: dateOf(FIRST + d), value: base + random.int(-50, 50) + (d > DAYS - 60 ? base / 10 : 0) });
  }
  return points;
}

/**
 * The targets: 1,000 metrics x 3 years of daily points imported at
 * >= 200,000 points/s on SQLite; a 20-metric weekly review (6-12 charts,
 * boxes, XmR) in < 300 ms; XmR over every metric's weekly and monthly series
 * in < 2 s. Comparisons in the same run: the same rows through a prepared
 * better-sqlite3 insert (no validation, no JSON), and the weekly and monthly
 * aggregation done by SQLite as one GROUP BY.
 */
const benchmark: Benchmark = {
  name: 'outcomes-metrics',
  description: `${METRICS} metrics x ${DAYS} days of daily points: SQLite import, a 20-metric weekly review, XmR over every series`,
  async run() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sextant-bench-outcomes-'));
    try {
      const store = await openStore({ kind: 'sqlite', path: path.join(dir, 'outcomes.db') });
      await migrateModules(store);
      await defineMetrics(
        store.db,
        Array.from({ length: METRICS }, (_, i) =>
          toDefinition(
            `m-${i}`,
            metricDefinitionInput.parse({ name: `Metric ${i}`, aggregation: 'sum', owner: `team-${i % 20}` }),
            'bench',
          ),
        ),
      );
      let importSeconds = 0;
      let points = 0;
      const generated: PointInput[][] = [];
      for (let from = 0; from < METRICS; from += BATCH_METRICS) generated.push(batch(from));
      for (const rows of generated) {
        const start = performance.now();
        points += await writePoints(store, rows);
        importSeconds += (performance.now() - start) / 1000;
      }
      await putDeck(store.db, {
        sections: [
          { title: 'Inputs', metrics: Array.from({ length: 10 }, (_, i) => `m-${i}`) },
          { title: 'Outputs', metrics: Array.from({ length: 10 }, (_, i) => `m-${i + 10}`) },
        ],
      });

      let signalsOnReview = 0;
      const reviewSeconds = await medianSeconds(async () => {
        const review = await weeklyReview(store, WEEK_ENDING, NO_PEERS);
        signalsOnReview = review.sections.flatMap((s) => s.metrics).reduce((n, m) => n + m.chart.weekly.signals.length, 0);
      }, 5);

      let signalCount = 0;
      const xmrSeconds = await medianSeconds(async () => {
        const metrics = await listMetrics(store.db);
        const values = await periodValues(store.db, metrics, FIRST, LAST);
        signalCount = 0;
        for (const m of metrics) {
          const value = values.get(m.id);
          if (!value) continue;
          const weekly: number[] = [];
          for (let end = WEEK_ENDING - 7 * 155; end <= WEEK_ENDING; end += 7) weekly.push(value(end - 6, end) ?? NaN);
          const monthly: number[] = [];
          for (let start = FIRST; start <= LAST; start = addMonths(start, 1)) monthly.push(value(start, monthEnd(start)) ?? NaN);
          signalCount +=
            (xmr(weekly.filter((v) => !Number.isNaN(v)))?.signals.length ?? 0) +
            (xmr(monthly.filter((v) => !Number.isNaN(v)))?.signals.length ?? 0);
        }
      }, 3);

      const groupBySeconds = await medianSeconds(async () => {
        await sql`select metric_id, (day + 3) / 7 as week, sum(value) from outcomes_points group by metric_id, week`.execute(store.db);
        await sql`select metric_id, strftime('%Y-%m', day * 86400, 'unixepoch') as month, sum(value) from outcomes_points group by metric_id, month`.execute(
          store.db,
        );
      }, 3);
      await store.close();

      const rawSeconds = rawInsertSeconds(path.join(dir, 'raw.db'), generated);
      const pointsPerSecond = points / importSeconds;
      return {
        input: { metrics: METRICS, days: DAYS, points, reviewMetrics: 20 },
        figures: {
          importSeconds,
          importPointsPerSecond: pointsPerSecond,
          rawPreparedInsertPointsPerSecond: points / rawSeconds,
          importRatioToRawInserts: pointsPerSecond / (points / rawSeconds),
          weeklyReview20MetricsSeconds: reviewSeconds,
          weeklySignalsOnReview: signalsOnReview,
          xmrAllMetricsWeeklyAndMonthlySeconds: xmrSeconds,
          xmrSignalsFound: signalCount,
          sqlGroupByWeeklyAndMonthlySeconds: groupBySeconds,
        },
        targets: [
          { description: 'import >= 200,000 points/s on SQLite', met: pointsPerSecond >= 200_000 },
          { description: '20-metric weekly review (6-12 charts, boxes, XmR) in < 300 ms', met: reviewSeconds < 0.3 },
          { description: `XmR over every metric's weekly and monthly series (${METRICS} metrics) in < 2 s`, met: xmrSeconds < 2 },
        ],
        notes: [
          `Import is writePoints (validation against the definitions, duplicate check, JSON upsert in one transaction) in batches of ${BATCH_METRICS} metrics (~${BATCH_METRICS * DAYS} points); generation is excluded.`,
          'The raw comparison inserts the same rows with one prepared better-sqlite3 statement per row in one transaction per batch (no validation, no upsert).',
          'The review is the median of 5 runs of weeklyReview over a 20-metric deck (reads three years of points, 6-12 charts, boxes, weekly and monthly XmR, notes, annotations).',
          'XmR over every metric reads all points (periodValues), aggregates 156 weeks and 36 months per metric in JavaScript and runs XmR on both; the comparison is SQLite doing only the weekly and monthly sums as two GROUP BY queries.',
        ],
      };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

function rawInsertSeconds(file: string, batches: PointInput[][]): number {
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('create table points (metric_id text not null, day integer not null, value real not null, primary key (metric_id, day))');
  const insert = db.prepare('insert into points (metric_id, day, value) values (?, ?, ?)');
  let seconds = 0;
  for (const rows of batches) {
    const start = performance.now();
    db.transaction(() => {
      for (const p of rows) insert.run(p.metric, dayOf(p.date), p.value);
    })();
    seconds += (performance.now() - start) / 1000;
  }
  db.close();
  return seconds;
}

export default benchmark;
