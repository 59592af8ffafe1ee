import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandsInProcess } from '../test-support/cli-in-process.js';
import { makeTempDir } from '../test-support/stores.js';
import { registerReliabilityCommands } from './cli.js';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** Runs `sextant <args>` in-process with this module's commands (src/test-support/cli-in-process.ts). */
const run = (args: string[]) => runCommandsInProcess(registerReliabilityCommands, args);

const SLO_YAML = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: api-availability
spec:
  service: api
  indicator:
    metadata:
      name: api-requests
    spec:
      ratioMetric:
        counter: true
        good: { metricSource: { type: Prometheus, spec: { query: 'http_requests_total{code!~"5.."}' } } }
        total: { metricSource: { type: Prometheus, spec: { query: http_requests_total } } }
  timeWindow: [{ duration: 1d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ target: 0.99 }]
`;

/** 100 requests a minute from 10:00 to 10:59 UTC; the last five minutes have 20 failures each. */
function sampleCsv(withSloColumn: boolean): string {
  const rows = [withSloColumn ? 'slo,timestamp,good,total' : 'timestamp,good,total'];
  for (let minute = 0; minute < 60; minute++) {
    const good = minute >= 55 ? 80 : 100;
    const timestamp = withSloColumn
      ? `2024-06-01T10:${String(minute).padStart(2, '0')}:00Z`
      : String(Date.UTC(2024, 5, 1, 10, minute) / 1000);
    rows.push(withSloColumn ? `api-availability,${timestamp},${good},100` : `${timestamp},${good},100`);
  }
  return rows.join('\n') + '\n';
}

let dir: string;
// Worked by hand: 6,000 requests, 100 failed. Attainment 5,900/6,000; the 99% target allows
// 60 failures, 100 spent: remaining 1 - 100/60 = -0.667. Burn rates (error ratio / 0.01):
// 5m 100/500 = 0.2 -> 20; 30m 100/3,000 -> 3.33; 1h and longer 100/6,000 -> 1.67.
// Factors for a 1-day period: page 0.02·24 = 0.48 (1h/5m), ticket 0.1·1 = 0.1 (1d/2h): both fire.
const expected = {
  name: 'api-availability',
  target: 0.99,
  window: '1d',
  good: 5900,
  total: 6000,
  alerts: ['page', 'ticket'],
};
/** The definitions, the samples and the evaluation instant every worked example below uses. */
const withSamples = () => [path.join(dir, 'slo.yaml'), '--samples', path.join(dir, 'samples.csv'), '--at', '2024-06-01T11:00:00Z'];
const statusJsonArgs = () => ['slo', 'status', ...withSamples(), '--json'];
beforeAll(() => {
  dir = makeTempDir('sextant-slo-cli-');
  fs.writeFileSync(path.join(dir, 'slo.yaml'), SLO_YAML);
  fs.writeFileSync(path.join(dir, 'samples.csv'), sampleCsv(true));
  fs.writeFileSync(path.join(dir, 'samples-epoch.csv'), sampleCsv(false));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('sextant slo status', () => {
  it('answers --json with exactly the documented fields, without a workspace', async () => {
    const result = await run(statusJsonArgs());
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const json = JSON.parse(result.stdout) as { slos: Array<Record<string, unknown>> };
    expect(Object.keys(json)).toEqual(['slos']);
    const [slo] = json.slos;
    expect(Object.keys(slo ?? {})).toEqual([
      'name',
      'target',
      'window',
      'good',
      'total',
      'attainment',
      'budgetRemaining',
      'burnRates',
      'alerts',
    ]);
    expect(slo).toMatchObject(expected);
    expect(slo?.attainment).toBeCloseTo(5900 / 6000, 12);
    expect(slo?.budgetRemaining).toBeCloseTo(1 - 100 / 60, 9);
    const burn = slo?.burnRates as Record<string, number>;
    expect(Object.keys(burn)).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d']);
    expect(burn['5m']).toBeCloseTo(20, 9);
    expect(burn['30m']).toBeCloseTo(10 / 3, 9);
    for (const w of ['1h', '2h', '6h', '1d', '3d']) expect(burn[w]).toBeCloseTo(5 / 3, 9);
  });

  it('takes epoch seconds and no slo column when the files hold one SLO', async () => {
    const result = await run(['slo', 'status', dir, '--samples', path.join(dir, 'samples-epoch.csv'), '--at', '1717239600', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).slos[0]).toMatchObject(expected);
  });

  it('prints a table for people', async () => {
    const result = await run(['slo', 'status', dir, '--samples', path.join(dir, 'samples.csv'), '--at', '2024-06-01T11:00:00Z']);
    expect(result.stdout).toContain('api-availability');
    expect(result.stdout).toContain('-66.7%');
    expect(result.stdout).toContain('page, ticket');
  });

  it('rejects bad rows with file, line and column, and prints no status', async () => {
    const csv = [
      'slo,timestamp,good,total',
      'api-availability,2024-06-01T10:00:30Z,10,10',
      'api-availability,2024-06-01T10:01:00Z,11,10',
      'other,2024-06-01T10:02:00Z,1,1',
      'api-availability,2024-06-01 10:03,1,1',
      'api-availability,2024-06-01T10:04:00Z,1,1',
      'api-availability,2024-06-01T10:04:00Z,1,1',
    ].join('\n');
    const file = path.join(dir, 'bad.csv');
    fs.writeFileSync(file, csv);
    const result = await run(['slo', 'status', path.join(dir, 'slo.yaml'), '--samples', file, '--json']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n').slice(1, 6)).toEqual([
      `  ${file}:2:2 timestamp: 2024-06-01T10:00:30Z is not the start of a minute (seconds must be 0)`,
      `  ${file}:3:3 good: 11 good events exceed the 10 in total`,
      `  ${file}:4:1 slo: no SLO named "other" in the definitions (known: api-availability)`,
      `  ${file}:5:2 timestamp: "2024-06-01 10:03" is not an ISO 8601 date-time with offset (e.g. 2024-03-01T00:00:00Z) or epoch seconds — add "Z" or an offset such as +01:00`,
      `  ${file}:7:2 timestamp: a second sample for SLO "api-availability" at 2024-06-01T10:04:00.000Z (first on line 6)`,
    ]);
  });

  it('reports invalid definitions with exit code 2', async () => {
    const file = path.join(dir, 'broken.yaml');
    fs.writeFileSync(file, SLO_YAML.replace('target: 0.99', 'target: 99'));
    const result = await run(['slo', 'validate', file]);
    expect(result.code).toBe(2);
    // Files are named relative to the working directory, as editors and terminals link them.
    expect(result.stderr).toContain(`${path.relative(process.cwd(), file)}:17:26 spec.objectives[0].target: 99 is outside (0, 1)`);
  });

  it('runs as the real CLI, outside any workspace', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        pathToFileURL(path.join(repoRoot, 'node_modules/tsx/dist/loader.mjs')).href,
        path.join(repoRoot, 'src/cli/main.ts'),
        ...statusJsonArgs(),
      ],
      { cwd: dir, env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(JSON.parse(stdout).slos[0]).toMatchObject(expected);
    expect(fs.existsSync(path.join(dir, '.sextant'))).toBe(false);
  });
});

describe('sextant gate from files', () => {
  it('exits 1 with the reason when the budget is spent, 0 with an exempting label, 2 for an unknown service', async () => {
    const args = ['gate', 'api', ...withSamples()];
    const frozen = await run(args);
    expect(frozen.code).toBe(1);
    expect(frozen.stdout).toContain('api: FROZEN (policy sextant-default)');
    expect(frozen.stdout).toContain(
      'frozen by release-freeze: api-availability: error budget exhausted (-66.7% of the 1d error budget remains',
    );
    const exempt = await run([...args, '--label', 'P0']);
    expect(exempt.code).toBe(0);
    expect(exempt.stdout).toContain('release-freeze lifted by label "P0"');
    const json = await run([...args, '--label', 'docs,Security', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      decision: 'open',
      labels: ['docs', 'Security'],
      exempted: [{ exemptedBy: 'Security' }],
    });
    // Before the failures (10:55) the budget is untouched: open without labels.
    expect((await run([...args.slice(0, -2), '--at', '2024-06-01T10:55:00Z'])).code).toBe(0);
    const unknown = await run(['gate', 'apii', path.join(dir, 'slo.yaml')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no SLO has service "apii" (services with SLOs: api)');
  });

  it('requires a postmortem for an incident that spent more than 20% of the budget', async () => {
    // The incident 10:55-11:00 holds all 100 failures; the window's allowance is 60: share 1.67 > 0.2.
    const incidents = path.join(dir, 'incidents.csv');
    fs.writeFileSync(
      incidents,
      'id,service,start,end\nINC-1,api,2024-06-01T10:55:00Z,2024-06-01T11:00:00Z\nINC-2,api,2024-06-01T10:00:00Z,2024-06-01T10:30:00Z\n',
    );
    const result = await run(['gate', 'api', ...withSamples(), '--incidents', incidents, '--json']);
    const decision = JSON.parse(result.stdout);
    expect(decision.postmortemsRequired).toHaveLength(1);
    expect(decision.postmortemsRequired[0]).toMatchObject({ incident: 'INC-1', slo: 'api-availability', rule: 'postmortem' });
    expect(decision.postmortemsRequired[0].share).toBeCloseTo(100 / 60, 9);
  });
});

describe('the same commands over a workspace store', () => {
  it('apply, import, status and gate agree with the file-based answers', async () => {
    const workspace = path.join(dir, 'workspace');
    fs.mkdirSync(workspace);
    const inWorkspace = (args: string[]) => run(['--workspace', workspace, ...args]);
    expect(await inWorkspace(['slo', 'apply', path.join(dir, 'slo.yaml')])).toMatchObject({ code: 0, stdout: '1 SLOs stored.\n' });
    expect(await inWorkspace(['slo', 'import', path.join(dir, 'samples.csv')])).toMatchObject({
      code: 0,
      stdout: '60 samples imported for 1 SLO.\n',
    });
    // Importing again changes nothing: the same minutes are replaced by the same counts.
    await inWorkspace(['slo', 'import', path.join(dir, 'samples.csv')]);
    const status = await inWorkspace(['slo', 'status', '--at', '2024-06-01T11:00:00Z', '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).slos[0]).toMatchObject(expected);
    expect((await inWorkspace(['gate', 'api', '--at', '2024-06-01T11:00:00Z'])).code).toBe(1);
    expect((await inWorkspace(['gate', 'api', '--at', '2024-06-01T11:00:00Z', '--label', 'security'])).code).toBe(0);
    // A samples file without definitions would be ignored over the workspace: refused instead.
    const stray = await inWorkspace(['slo', 'status', '--samples', path.join(dir, 'samples.csv')]);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('--samples: give the SLO definition files too');
    const unknown = await inWorkspace(['gate', 'web']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No SLO belongs to service "web"');
  });
});

describe('sextant gate on the demo workspace', () => {
  it('exits 1 with the reason for the service that spent its budget, and 0 with an exemption label', async () => {
    const workspace = path.join(dir, 'demo-workspace');
    fs.mkdirSync(workspace);
    const frozen = await run(['--workspace', workspace, 'gate', 'payments-api', '--demo']);
    expect(frozen.code).toBe(1);
    expect(frozen.stdout).toContain('payments-api: FROZEN (policy engineering-default)');
    expect(frozen.stdout).toMatch(/frozen by release-freeze: payments-api-availability: error budget exhausted/);
    const exempt = await run(['--workspace', workspace, 'gate', 'payments-api', '--demo', '--label', 'security']);
    expect(exempt.code).toBe(0);
  }, 60_000);
});
