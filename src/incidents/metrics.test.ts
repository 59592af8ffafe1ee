import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommandsInProcess } from '../test-support/cli-in-process.js';
import { makeTempDir } from '../test-support/stores.js';
import { registerIncidentCommands } from './cli.js';
import { incidentCounts, remediationMetrics, repeatIncidents, responseMetrics, type MetricIncident } from './metrics.js';
import { DAY_MS, type RemediationItem } from './model.js';

const T0 = Date.parse('2026-03-02T00:00:00Z');
const MIN = 60_000;

/** A row of the zero-config file: minutes after T0 (plus a day per row), empty = not reached. */
function row(id: string, service: string, ack: number | null, mit: number | null, res: number | null, drill = false, day = 0) {
  const start = T0 + day * DAY_MS;
  const at = (m: number | null) => (m === null ? '' : new Date(start + m * MIN).toISOString());
  return {
    id,
    service,
    severity: 'SEV2',
    impactStartedAt: at(0),
    detectedAt: at(0),
    acknowledgedAt: at(ack),
    mitigatedAt: at(mit),
    resolvedAt: at(res),
    drill,
  };
}

/**
 * The hand-worked set. A: ack 5 min, mitigated 20, resolved 60. B: 10, 30, 120.
 * C: ack 2, mitigated 1 (an automatic rollback before acknowledgement: valid), resolved 15.
 * D: ack 30, still open. E: a drill (excluded). F: acknowledged at the impact start (equal
 * milestones are allowed), mitigated 45, resolved 90.
 */
const ROWS = [
  row('A', 'api', 5, 20, 60, false, 0),
  row('B', 'api', 10, 30, 120, false, 1),
  row('C', 'web', 2, 1, 15, false, 2),
  row('D', 'web', 30, null, null, false, 3),
  row('E', 'api', 1, 2, 3, true, 4),
  row('F', 'db', 0, 45, 90, false, 5),
];

/**
 * Expected, by hand with linear interpolation between closest ranks (h = (n-1)p):
 * MTTA over A,B,C,D,F = [0, 120, 300, 600, 1800] s: p50 h=2 -> 300; p90 h=3.6 -> 600 + 0.6 x 1200 = 1320;
 *   mean 2820/5 = 564.
 * MTTM over A,B,C,F = [60, 1200, 1800, 2700]: p50 h=1.5 -> 1500; p90 h=2.7 -> 1800 + 0.7 x 900 = 2430; mean 5760/4 = 1440.
 * MTTR over A,B,C,F = [900, 3600, 5400, 7200]: p50 -> 4500; p90 -> 5400 + 0.7 x 1800 = 6660; mean 17100/4 = 4275.
 * Checked with numpy 1.x: np.percentile(v, 50), np.percentile(v, 90), np.mean(v) give the same nine figures.
 */
const EXPECTED = {
  incidents: 5,
  drills: 1,
  open: 1,
  mtta: { count: 5, p50Seconds: 300, p90Seconds: 1320, meanSeconds: 564 },
  mttm: { count: 4, p50Seconds: 1500, p90Seconds: 2430, meanSeconds: 1440 },
  mttr: { count: 4, p50Seconds: 4500, p90Seconds: 6660, meanSeconds: 4275 },
};

const dir = makeTempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const HEADER = 'id,service,severity,impactStartedAt,detectedAt,acknowledgedAt,mitigatedAt,resolvedAt,drill';
const csvOf = (rows: typeof ROWS) =>
  [
    HEADER,
    ...rows.map((r) =>
      [r.id, r.service, r.severity, r.impactStartedAt, r.detectedAt, r.acknowledgedAt, r.mitigatedAt, r.resolvedAt, r.drill].join(','),
    ),
  ].join('\n') + '\n';
const run = (args: string[]) => runCommandsInProcess(registerIncidentCommands, args);

describe('incident response metrics', () => {
  it('computes MTTA, MTTM and MTTR over the incidents that reached each milestone, drills apart', () => {
    const incidents: MetricIncident[] = ROWS.map((r) => ({
      id: r.id,
      serviceId: r.service,
      severity: r.severity,
      drill: r.drill,
      milestones: {
        impactStartedAt: Date.parse(r.impactStartedAt),
        detectedAt: Date.parse(r.detectedAt),
        acknowledgedAt: r.acknowledgedAt ? Date.parse(r.acknowledgedAt) : null,
        mitigatedAt: r.mitigatedAt ? Date.parse(r.mitigatedAt) : null,
        resolvedAt: r.resolvedAt ? Date.parse(r.resolvedAt) : null,
        closedAt: null,
      },
    }));
    expect(responseMetrics(incidents, T0 + 30 * DAY_MS)).toEqual(EXPECTED);
    // At a time before B resolved (B started on day 1 and resolved 120 min later): B is open, and only A
    // and B had started: MTTR over A alone = 3600 s.
    const early = responseMetrics(incidents, T0 + DAY_MS + 100 * MIN);
    expect(early).toMatchObject({ incidents: 2, open: 1, mttr: { count: 1, p50Seconds: 3600, meanSeconds: 3600 } });
    // Counts leave the drill out: api has A and B (E is the drill), web C and D, db F.
    expect(incidentCounts(incidents, (s) => (s === 'db' ? 'data' : 'shop')).byService).toEqual([
      { key: 'api', count: 2 },
      { key: 'web', count: 2 },
      { key: 'db', count: 1 },
    ]);
  });

  it('`sextant incident metrics --file` gives the same figures from CSV and from JSON, without a workspace', async () => {
    const csv = path.join(dir, 'incidents.csv');
    fs.writeFileSync(csv, csvOf(ROWS));
    const fromCsv = await run(['incident', 'metrics', '--file', csv, '--at', '2026-04-01T00:00:00Z', '--json']);
    expect(fromCsv.stderr).toBe('');
    expect(fromCsv.code).toBe(0);
    expect(JSON.parse(fromCsv.stdout)).toEqual(EXPECTED);

    const json = path.join(dir, 'incidents.json');
    fs.writeFileSync(
      json,
      JSON.stringify(
        { incidents: ROWS.map((r) => ({ ...r, mitigatedAt: r.mitigatedAt || null, resolvedAt: r.resolvedAt || null })) },
        null,
        2,
      ),
    );
    const fromJson = await run(['incident', 'metrics', '--file', json, '--at', '2026-04-01T00:00:00Z', '--json']);
    expect(JSON.parse(fromJson.stdout)).toEqual(EXPECTED);

    const table = await run(['incident', 'metrics', '--file', csv, '--at', '2026-04-01T00:00:00Z']);
    expect(table.stdout).toContain('5 incidents (1 drills excluded), 1 open');
    // 4500 s = 1.25 h, 6660 s = 1.85 h, 4275 s = 1.1875 h.
    expect(table.stdout).toMatch(/MTTR\s+4\s+1\.25 h\s+1\.85 h\s+1\.19 h/);
  });

  it('refuses out-of-order milestones with FILE:LINE and the later milestone, printing nothing on stdout (exit 2)', async () => {
    const csv = path.join(dir, 'bad.csv');
    // Line 3 (B): resolved 10 minutes after the start but mitigated at 30: mitigatedAt <= resolvedAt fails.
    fs.writeFileSync(
      csv,
      csvOf([
        ROWS[0] as (typeof ROWS)[0],
        { ...(ROWS[1] as (typeof ROWS)[0]), resolvedAt: new Date(T0 + DAY_MS + 10 * MIN).toISOString() },
      ]),
    );
    const result = await run(['incident', 'metrics', '--file', csv, '--json']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('bad.csv:3 resolvedAt: is before mitigatedAt');

    // JSON: the line of the offending field. Detected before the impact start on the second incident.
    const json = path.join(dir, 'bad.json');
    const lines = [
      '{"incidents": [',
      `  {"id": "A", "service": "api", "impactStartedAt": "2026-03-02T00:00:00Z", "resolvedAt": "2026-03-02T01:00:00Z"},`,
      '  {"id": "B", "service": "api",',
      '   "impactStartedAt": "2026-03-02T10:00:00Z",',
      '   "detectedAt": "2026-03-02T09:00:00Z",',
      '   "drill": false}',
      ']}',
    ];
    fs.writeFileSync(json, lines.join('\n'));
    const bad = await run(['incident', 'metrics', '--file', json]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('bad.json:5 detectedAt: is before impactStartedAt');

    // Acknowledged before detection is refused too (impact start <= detected <= acknowledged).
    fs.writeFileSync(csv, csvOf([{ ...(ROWS[0] as (typeof ROWS)[0]), detectedAt: new Date(T0 + 10 * MIN).toISOString() }]));
    expect((await run(['incident', 'metrics', '--file', csv])).stderr).toContain('bad.csv:2 acknowledgedAt: is before detectedAt');
  });
});

describe('repeats and remediation metrics', () => {
  const base = { severity: 'SEV3', drill: false };
  const ms = (day: number) => ({
    impactStartedAt: T0 + day * DAY_MS,
    detectedAt: null,
    acknowledgedAt: null,
    mitigatedAt: null,
    resolvedAt: null,
    closedAt: null,
  });

  it('finds an incident of the same service and tag within 30 days of an earlier one', () => {
    const incidents: MetricIncident[] = [
      { ...base, id: 'p1', serviceId: 'pay', tags: ['db-pool'], milestones: ms(0) },
      { ...base, id: 'p2', serviceId: 'pay', tags: ['db-pool'], milestones: ms(20) }, // repeat of p1 (20 days)
      { ...base, id: 'p3', serviceId: 'pay', tags: ['db-pool'], milestones: ms(60) }, // 40 days after p2: not a repeat
      { ...base, id: 'c1', serviceId: 'cart', tags: ['db-pool'], milestones: ms(21) }, // other service
      { ...base, id: 'p4', serviceId: 'pay', tags: ['cdn'], milestones: ms(61) }, // other tag
    ];
    expect(repeatIncidents(incidents)).toEqual([{ id: 'p2', repeats: 'p1', serviceId: 'pay', tag: 'db-pool' }]);
  });

  it('counts open and overdue items, median days to close and the share closed by the due date', () => {
    const item = (
      id: string,
      created: number,
      due: number,
      status: RemediationItem['status'],
      resolved: number | null,
    ): RemediationItem => ({
      id,
      incidentId: 'i',
      description: id,
      type: 'prevent',
      priority: 'P2',
      owner: 'shop',
      teamId: 'shop',
      createdAt: T0 + created * DAY_MS,
      dueAt: T0 + due * DAY_MS,
      status,
      ticketUrl: null,
      resolvedAt: resolved === null ? null : T0 + resolved * DAY_MS,
    });
    const items = [
      item('a', 0, 7, 'done', 4), // closed in 4 days, on time
      item('b', 0, 7, 'done', 10), // closed in 10 days, late
      item('c', 0, 7, 'open', null), // overdue at day 20
      item('d', 0, 30, 'in-progress', null), // open, not due
      item('e', 0, 7, 'wont-do', 8), // closed, not counted as due
    ];
    // At day 20: open c, d (2); overdue c (1); days to close of done items [4, 10] -> median 7;
    // due by day 20 (wont-do left out): a, b, c -> only a on time: 1/3.
    expect(remediationMetrics(items, T0 + 20 * DAY_MS)).toEqual({ open: 2, overdue: 1, medianDaysToClose: 7, closedByDueDateShare: 1 / 3 });
  });
});
