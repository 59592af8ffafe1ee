import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../test-support/stores.js';

const run = promisify(execFile);

describe('sextant deploy record / incident record', () => {
  let workspace: string;
  const cli = (...args: string[]) =>
    run('node', ['--import', 'tsx', path.resolve('src/cli/main.ts'), '--workspace', workspace, ...args], {
      env: { ...process.env, NO_COLOR: '1' },
    });

  beforeAll(async () => {
    workspace = makeTempDir('sextant-record-');
    fs.writeFileSync(
      path.join(workspace, 'sextant.yaml'),
      'version: 1\nteams: [{ id: shop, name: Shop }]\nservices: [{ id: api, name: API, team: shop }]\n',
    );
    await cli('sync');
  });
  afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

  it('records from flags and from a CSV backfill; a bad CSV row writes nothing and names file, line and field', async () => {
    const one = await cli('deploy', 'record', '--id', 'D0', '--service', 'api', '--finished-at', '2024-05-01T08:00:00Z', '--json');
    expect(JSON.parse(one.stdout)).toEqual({ received: 1, created: 1, updated: 0, unchanged: 0 });

    const badFlag = await cli('deploy', 'record', '--id', 'D9', '--service', 'api', '--finished-at', 'yesterday').catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(badFlag).toMatchObject({ code: 2 });
    expect((badFlag as { stderr: string }).stderr).toContain('--finished-at: must be an ISO 8601 time');

    const csv = path.join(workspace, 'deploys.csv');
    const rows = [
      'id,service,environment,finishedAt,fixes,unplanned,version',
      'D1,api,production,2024-05-01T10:00:00Z,,,"v1,0"',
      'D2,api,production,2024-05-02T10:00:00Z,D1,true,',
      'D3,api,production,not-a-date,,,',
    ];
    fs.writeFileSync(csv, rows.join('\n') + '\n');
    const rejected = await cli('deploy', 'record', '--file', csv).catch((e: { code: number; stderr: string }) => e);
    expect(rejected).toMatchObject({ code: 2 });
    expect((rejected as { stderr: string }).stderr).toMatch(/deploys\.csv:4 finishedAt: must be an ISO 8601 time/);

    fs.writeFileSync(csv, [...rows.slice(0, 3), 'D3,api,production,2024-05-03T10:00:00Z,,,'].join('\n') + '\n');
    const accepted = await cli('deploy', 'record', '--file', csv);
    expect(accepted.stdout).toBe('3 deployments received: 3 new, 0 updated, 0 unchanged\n');

    const incident = ['incident', 'record', '--id', 'INC-1', '--service', 'api', '--started-at', '2024-05-02T12:00:00Z'];
    const outOfOrder = await cli(...incident, '--resolved-at', '2024-05-02T11:00:00Z').catch((e: { stderr: string }) => e);
    expect((outOfOrder as { stderr: string }).stderr).toContain('--resolved-at: is before impactStartedAt');
    const resolved = await cli(...incident, '--caused-by-deployment', 'D2');
    expect(resolved.stdout).toBe('1 incident received: 1 new, 0 updated, 0 unchanged\n');
    // Seven runs of the CLI from source (tsx): several seconds each on a loaded machine.
  }, 180_000);
});
