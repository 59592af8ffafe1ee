import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDefinitions } from './definitions/load-definitions.js';
import { HOUR_MS, MINUTE_MS } from './duration.js';
import { getSourceCursor, replaceDefinitions } from './store.js';
import { storedStatuses } from './stored-slos.js';
import { ValidationError } from '../shared/errors.js';
import type { Store } from '../store/database.js';
import { freePort } from '../test-support/free-port.js';
import { makeTempDir, TEST_DIALECTS } from '../test-support/stores.js';
import { queryRange } from '../sources/prometheus/prometheus-client.js';
import { pullPrometheusSamples } from './prometheus-samples.js';
import { prometheusAvailable, promtoolAvailable } from '../test-support/external-tools.js';

/**
 * A real Prometheus (Debian's package) on 127.0.0.1, serving recorded series
 * backfilled with `promtool tsdb create-blocks-from openmetrics`: three hours
 * of two counters sampled every 15 s, ending one hour before the test's now.
 * http_requests_total{code="200"} grows by 15 every 15 s (60 a minute);
 * {code="500"} by 1.5 every 15 s (6 a minute) during the second hour's first
 * 30 minutes, and stays flat otherwise.
 */
const NOW = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
const END = NOW - HOUR_MS;
const START = END - 3 * HOUR_MS;
const INCIDENT: readonly [number, number] = [START + HOUR_MS, START + HOUR_MS + 30 * MINUTE_MS];

function openMetrics(): string {
  const good: string[] = [];
  const bad: string[] = [];
  let ok = 0;
  let failed = 0;
  for (let t = START; t <= END; t += 15_000) {
    good.push(`http_requests_total{job="api",code="200"} ${ok} ${t / 1000}`);
    bad.push(`http_requests_total{job="api",code="500"} ${failed} ${t / 1000}`);
    ok += 15;
    if (t >= INCIDENT[0] && t < INCIDENT[1]) failed += 1.5;
  }
  return ['# HELP http_requests Requests served.', '# TYPE http_requests counter', ...good, ...bad, '# EOF', ''].join('\n');
}

const definitions = (url: string) =>
  parseDefinitions(
    `apiVersion: openslo/v1
kind: DataSource
metadata: { name: prometheus }
spec: { type: Prometheus, connectionDetails: { url: '${url}' } }
---
apiVersion: openslo/v1
kind: SLO
metadata: { name: api-availability }
spec:
  service: api
  indicator:
    metadata: { name: api-requests }
    spec:
      ratioMetric:
        counter: true
        good: { metricSource: { metricSourceRef: prometheus, spec: { query: 'http_requests_total{job="api",code!~"5.."}' } } }
        total: { metricSource: { metricSourceRef: prometheus, spec: { query: 'sum(http_requests_total{job="api"})' } } }
  timeWindow: [{ duration: 1d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ target: 0.99 }]
`,
    'slos.yaml',
  );

describe.skipIf(!prometheusAvailable() || !promtoolAvailable())('Prometheus as an SLO data source', () => {
  let dir: string;
  let prometheus: ChildProcess | undefined;
  let url: string;

  beforeAll(async () => {
    dir = makeTempDir('sextant-prometheus-');
    fs.writeFileSync(path.join(dir, 'series.om'), openMetrics());
    await promisify(execFile)('promtool', [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      path.join(dir, 'series.om'),
      path.join(dir, 'data'),
    ]);
    fs.writeFileSync(path.join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1m\n');
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        '--storage.tsdb.retention.time=100y',
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    for (let attempt = 0; attempt < 100; attempt++) {
      const ready = await fetch(`${url}/-/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('prometheus did not become ready');
  }, 60_000);

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus?.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads per-minute counts over HTTP range queries into the store, and only new minutes the next time', async () => {
    const store: Store = await (TEST_DIALECTS[0] as (typeof TEST_DIALECTS)[number]).open();
    try {
      const set = definitions(url);
      await replaceDefinitions(store.db, set, 'config');
      // First pull: from START (4 hours before NOW) to NOW. Minutes with recorded data are
      // [START, END): 180 minutes of 60 good requests, 30 of them with 6 more that failed.
      const report = await pullPrometheusSamples(store.db, set, { now: NOW, backfillMs: 4 * HOUR_MS });
      expect(report).toMatchObject({ slos: 1, samples: 180, skipped: [], unavailable: [] });
      const [status] = await storedStatuses(store.db, NOW);
      expect(status).toMatchObject({ total: 180 * 60 + 30 * 6, good: 180 * 60 });
      // 180 failures of 10,980 requests against a 1% budget of 109.8: remaining 1 - 180/109.8.
      expect(status?.budgetRemaining).toBeCloseTo(1 - 180 / 109.8, 9);
      expect(await getSourceCursor(store.db, 'api-availability')).toBe(NOW);
      // The next pull starts at the cursor: no new minutes.
      expect(await pullPrometheusSamples(store.db, set, { now: NOW + 10 * MINUTE_MS })).toMatchObject({ slos: 1, samples: 0 });
    } finally {
      await store.close();
    }
  });

  it('names the query Prometheus rejects, and reports a server that does not answer', async () => {
    await expect(
      queryRange(url, 'sum(rate(', { start: START / 1000, end: END / 1000, stepSeconds: 60 }, 'spec.query'),
    ).rejects.toBeInstanceOf(ValidationError);
    const store = await (TEST_DIALECTS[0] as (typeof TEST_DIALECTS)[number]).open();
    const unreachable = await pullPrometheusSamples(store.db, definitions('http://127.0.0.1:1'), { now: NOW }).finally(() => store.close());
    expect(unreachable.unavailable).toEqual([{ slo: 'api-availability', reason: expect.stringContaining('did not answer') }]);
  });
});
