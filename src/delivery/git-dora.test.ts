import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../test-support/stores.js';
import { TestRepository } from '../test-support/git-repository.js';
import { DEFAULT_ASSESS_OPTIONS } from './assess-deployments.js';
import { DEFAULT_SUMMARY_OPTIONS } from './delivery-summary.js';
import { doraReportJson } from './dora-report.js';
import { DEFAULT_TAG_PATTERN, doraFromGit, emptyWindowHint, type GitDoraRequest } from './git-dora.js';
import { DAY_MS, HOUR_MS } from './model.js';
import { DEFAULT_SHIP_OPTIONS } from './ship-changes.js';

const H = HOUR_MS / 1000; // seconds per hour
const WINDOW = { from: Date.parse('2024-01-01T00:00:00Z'), to: Date.parse('2024-02-05T00:00:00Z') };

function request(repoPath: string, overrides: Partial<GitDoraRequest> = {}): GitDoraRequest {
  return {
    repoPath,
    serviceId: 'shop',
    tagPattern: new RegExp(DEFAULT_TAG_PATTERN),
    paths: [],
    window: WINDOW,
    ship: DEFAULT_SHIP_OPTIONS,
    assess: DEFAULT_ASSESS_OPTIONS,
    summary: DEFAULT_SUMMARY_OPTIONS,
    ...overrides,
  };
}

/**
 * One product line with every case the semantics must get right. Times are
 * UTC; 2024-01-01 is a Monday, so the window [Jan 1, Feb 5) is five whole weeks.
 *
 *   c1 Nov 1 (older than the 30-day baseline)  c2 Dec 20 10:00 (committed Dec 21)  c3 Dec 28 10:00
 *   D1 v1.0.0   annotated Jan 2 12:00  ships c2, c3          (c1 is before the baseline Dec 3 12:00)
 *   feature-a: f1 Jan 3 09:00, f2 Jan 4 09:00; main: c5 Jan 5 08:00; merge m1 Jan 5 10:00
 *   D2 v1.1.0   annotated Jan 5 16:00  ships f1, f2, c5      (the merge is no change)
 *   feature-b: s1, s2 squash-merged as sq Jan 10 09:00; c6 Jan 10 11:00
 *   D3 v1.2.0   annotated Jan 10 15:00 ships sq, c6          (s1, s2 are not reachable)
 *   r1 = git revert c6, Jan 11 09:00
 *   D4 v1.2.1   annotated Jan 11 12:00 ships r1              -> D3 failed (revert within 7 days), restored 21 h later
 *   c7 Jan 15 09:00 (tagged v1.3.0-rc.1: a pre-release, ignored), c8 Jan 16 09:00
 *   D5 v1.3.0   annotated Jan 17 10:00 ships c7, c8
 *   release-1.2 branch from v1.2.1: b1 Jan 18 09:00
 *   D6 v1.2.2   annotated Jan 18 12:00 ships b1 only         (c7, c8 are later by time but not reachable)
 *   main: c9 Jan 22 09:00, c10 = revert of c7 Jan 29 09:00   (12 days after D5: too late to fail it)
 *   D7 v1.4.0   annotated Jan 29 12:00 ships c9, c10; lightweight v1.4 on the same commit is the same deployment
 */
describe('DORA metrics from a git repository', () => {
  let repo: TestRepository;

  beforeAll(() => {
    repo = TestRepository.create();
    repo.commit({ message: 'Initial', at: '2023-11-01T00:00:00Z' });
    repo.commit({ message: 'Add API', at: '2023-12-20T10:00:00Z', committedAt: '2023-12-21T10:00:00Z' });
    repo.commit({ message: 'Add docs', at: '2023-12-28T10:00:00Z' });
    repo.annotatedTag('v1.0.0', '2024-01-02T12:00:00Z');

    repo.checkout('feature-a', { create: true });
    repo.commit({ message: 'Feature A part 1', at: '2024-01-03T09:00:00Z' });
    repo.commit({ message: 'Feature A part 2', at: '2024-01-04T09:00:00Z' });
    repo.checkout('main');
    repo.commit({ message: 'Fix typo', at: '2024-01-05T08:00:00Z' });
    repo.merge('feature-a', '2024-01-05T10:00:00Z');
    repo.annotatedTag('v1.1.0', '2024-01-05T16:00:00Z');

    repo.checkout('feature-b', { create: true });
    repo.commit({ message: 'Feature B part 1', at: '2024-01-08T09:00:00Z' });
    repo.commit({ message: 'Feature B part 2', at: '2024-01-09T09:00:00Z' });
    repo.checkout('main');
    repo.squashMerge('feature-b', 'Feature B (#12)', '2024-01-10T09:00:00Z');
    const c6 = repo.commit({ message: 'Risky change', at: '2024-01-10T11:00:00Z' });
    repo.annotatedTag('v1.2.0', '2024-01-10T15:00:00Z');
    repo.revert(c6, '2024-01-11T09:00:00Z');
    repo.annotatedTag('v1.2.1', '2024-01-11T12:00:00Z');

    const c7 = repo.commit({ message: 'Feature C', at: '2024-01-15T09:00:00Z' });
    repo.annotatedTag('v1.3.0-rc.1', '2024-01-15T10:00:00Z');
    repo.commit({ message: 'Feature D', at: '2024-01-16T09:00:00Z' });
    repo.annotatedTag('v1.3.0', '2024-01-17T10:00:00Z');

    repo.checkout('release-1.2', { create: true, from: 'v1.2.1' });
    repo.commit({ message: 'Backport fix', at: '2024-01-18T09:00:00Z' });
    repo.annotatedTag('v1.2.2', '2024-01-18T12:00:00Z');

    repo.checkout('main');
    repo.commit({ message: 'Feature E', at: '2024-01-22T09:00:00Z' });
    repo.revert(c7, '2024-01-29T09:00:00Z');
    repo.annotatedTag('v1.4.0', '2024-01-29T12:00:00Z');
    repo.tag('v1.4');
  });
  afterAll(() => repo.remove());

  it('attributes changes by reachability and computes the five metrics', async () => {
    const result = await doraFromGit(request(repo.dir));
    const shipped = Object.fromEntries(
      result.assessment.deployments.map((a) => [
        a.deployment.version,
        Array.from(a.leadTimesMs, (ms) => ms / HOUR_MS).sort((x, y) => x - y),
      ]),
    );
    // Lead times in hours, worked out from the timeline above (deployment finish - author time).
    expect(shipped).toEqual({
      'v1.0.0': [122, 314], // c3: Dec 28 10:00 -> Jan 2 12:00 = 5 d 2 h; c2: Dec 20 10:00 -> 13 d 2 h
      'v1.1.0': [8, 31, 55], // c5 08:00 -> Jan 5 16:00; f2 Jan 4 09:00; f1 Jan 3 09:00
      'v1.2.0': [4, 6], // c6 11:00 and sq 09:00 -> 15:00
      'v1.2.1': [3], // r1 09:00 -> 12:00
      'v1.3.0': [25, 49], // c8 Jan 16 09:00, c7 Jan 15 09:00 -> Jan 17 10:00
      'v1.2.2': [3], // b1 09:00 -> 12:00
      'v1.4.0': [3, 171], // c10 09:00 -> 12:00; c9 Jan 22 09:00 -> Jan 29 12:00 = 7 d 3 h
    });
    expect(result.sameCommitTags).toEqual([{ tag: 'v1.4', sameAs: 'v1.4.0' }]);

    const s = result.summary;
    // 7 deployments in 5 weeks. Deploy-days per week: Jan 1-7 {2, 5}, Jan 8-14 {10, 11}, Jan 15-21 {17, 18},
    // Jan 22-28 none, Jan 29-Feb 4 {29} -> [2, 2, 2, 0, 1], median 2.
    expect(s.deployments).toEqual({ count: 7, perWeek: 7 / 5, deployDaysPerWeekMedian: 2, weeks: 5 });
    // 13 lead times sorted: 3 3 3 4 6 8 25 31 49 55 122 171 314 (h). Linear: p50 = x[6] = 25;
    // p75: h = 12 * 0.75 = 9 -> x[9] = 55; p90: h = 10.8 -> 122 + 0.8 * (171 - 122) = 161.2.
    expect(s.leadTime.count).toBe(13);
    expect(s.leadTime.p50Seconds).toBe(25 * H);
    expect(s.leadTime.p75Seconds).toBe(55 * H);
    expect(s.leadTime.p90Seconds).toBeCloseTo(161.2 * H, 6);
    // Only v1.2.0 failed (c6 reverted by v1.2.1 within 21 h); c7's revert shipped 12 days after v1.3.0.
    expect(s.changeFailureRate).toEqual({ failed: 1, total: 7, rate: 1 / 7 });
    expect(s.recoveryTime).toEqual({ count: 1, p50Seconds: 21 * H, p90Seconds: 21 * H, unrestored: 0 });
    // v1.2.1 is rework: all its changes revert the previous deployment's, and it patches a failed release.
    expect(s.reworkRate).toEqual({ unplanned: 1, total: 7, rate: 1 / 7 });
    const v121 = result.assessment.deployments.find((a) => a.deployment.version === 'v1.2.1');
    expect(v121?.unplannedReasons.map((r) => r.kind)).toEqual(['reverts-previous', 'patch-after-failure']);
    // DORA 2024: median 2 deploy-days/week -> high; p50 25 h -> high (1 day to 1 week);
    // CFR 14.3% -> medium (7.5-15%); recovery 21 h -> high (under a day).
    expect(doraReportJson(s, result.assessment, 'UTC').tiers).toEqual({
      benchmark: '2024',
      deploymentFrequency: 'high',
      leadTime: 'high',
      changeFailureRate: 'medium',
      recoveryTime: 'high',
    });
  });

  it('applies the options: baseline, committer time, lower median, revert window', async () => {
    // A 100-day baseline lets v1.0.0 ship c1 too: Nov 1 00:00 -> Jan 2 12:00 = 62.5 days.
    const wide = await doraFromGit(request(repo.dir, { ship: { ...DEFAULT_SHIP_OPTIONS, baselineMs: 100 * DAY_MS } }));
    expect(wide.summary.leadTime.count).toBe(14);
    expect(Array.from(wide.assessment.deployments[0]?.leadTimesMs ?? [])).toContain(62.5 * DAY_MS);

    // Committer time: c2 was committed Dec 21 10:00 -> Jan 2 12:00 = 290 h instead of 314 h.
    const committer = await doraFromGit(request(repo.dir, { ship: { ...DEFAULT_SHIP_OPTIONS, leadTimeStart: 'committer' } }));
    expect(Array.from(committer.assessment.deployments[0]?.leadTimesMs ?? [], (ms) => ms / HOUR_MS).sort((a, b) => a - b)).toEqual([
      122, 290,
    ]);

    // Window [Jan 5, Jan 12): v1.1.0, v1.2.0, v1.2.1 -> lead times 3 4 6 8 31 55 h.
    // Linear median (6 + 8) / 2 = 7 h; the lower median is the 3rd value, 6 h.
    const janWeek = { from: Date.parse('2024-01-05T00:00:00Z'), to: Date.parse('2024-01-12T00:00:00Z') };
    const linear = await doraFromGit(request(repo.dir, { window: janWeek }));
    expect(linear.summary.leadTime.p50Seconds).toBe(7 * H);
    const lower = await doraFromGit(request(repo.dir, { window: janWeek, summary: { ...DEFAULT_SUMMARY_OPTIONS, median: 'lower' } }));
    expect(lower.summary.leadTime.p50Seconds).toBe(6 * H);

    // With a 14-day revert window, c7's revert (12 days after v1.3.0) fails v1.3.0 as well.
    const longWindow = await doraFromGit(request(repo.dir, { assess: { ...DEFAULT_ASSESS_OPTIONS, revertWindowMs: 14 * DAY_MS } }));
    expect(longWindow.summary.changeFailureRate).toEqual({ failed: 2, total: 7, rate: 2 / 7 });
  });

  it('says where the data is when the window is empty, and --window last-data ends the window there', async () => {
    // A window a year after the last release holds no deployment.
    const later = { from: Date.parse('2025-01-01T00:00:00Z'), to: Date.parse('2025-04-01T00:00:00Z') };
    const empty = await doraFromGit(request(repo.dir, { window: later }));
    expect(empty.summary.deployments.count).toBe(0);
    // Latest deployment: v1.4.0, Jan 29 2024 12:00. The 90 days ending just after it start
    // Oct 31 2023 12:00:00.001 (90 d earlier); the exclusive end falls on Jan 30 as a date.
    expect(emptyWindowHint(empty.assessment, empty.summary.window)).toBe(
      'No deployment finished in the window: the latest deployment finished 2024-01-29. ' +
        '`--since 2023-10-31 --until 2024-01-30` shows the 90 days before it, or pass --window last-data.',
    );
    // last-data: the same length (90 days), ending just after v1.4.0: every deployment of the timeline (7) is in it.
    const lastData = await doraFromGit(request(repo.dir, { window: later, windowMode: 'last-data' }));
    expect(lastData.summary.window).toEqual({
      from: Date.parse('2024-01-29T12:00:00.001Z') - 90 * DAY_MS,
      to: Date.parse('2024-01-29T12:00:00.001Z'),
    });
    expect(lastData.summary.deployments.count).toBe(7);
  });

  it('prints the JSON report and a table through the CLI, and fails clearly on a non-git folder', async () => {
    const cli = (args: string[]) =>
      promisify(execFile)('node', ['--import', 'tsx', path.resolve('src/cli/main.ts'), ...args], {
        env: { ...process.env, NO_COLOR: '1' },
      });
    const window = ['--since', '2024-01-01T00:00:00Z', '--until', '2024-02-05T00:00:00Z'];
    const { stdout } = await cli(['dora', '--repo', repo.dir, ...window, '--json']);
    const json = JSON.parse(stdout);
    expect(json.window).toEqual({ from: '2024-01-01T00:00:00.000Z', to: '2024-02-05T00:00:00.000Z', timeZone: 'UTC' });
    expect(json.deployments).toEqual({ count: 7, perWeek: 1.4, deployDaysPerWeekMedian: 2, weeks: 5 });
    expect(json.leadTime).toMatchObject({ count: 13, p50Seconds: 25 * H, p75Seconds: 55 * H });
    expect(json.changeFailureRate).toEqual({ failed: 1, total: 7, rate: 1 / 7 });
    expect(json.recoveryTime).toMatchObject({ count: 1, p50Seconds: 21 * H, p90Seconds: 21 * H });
    expect(json.reworkRate).toEqual({ unplanned: 1, total: 7, rate: 1 / 7 });
    expect(json.tiers.benchmark).toBe('2024');
    expect(json.deploymentList.find((d: { version: string }) => d.version === 'v1.2.0').failureReasons).toEqual([
      expect.objectContaining({ kind: 'revert', deploymentId: 'git:v1.2.1' }),
    ]);

    const table = await cli(['dora', '--repo', repo.dir, ...window, '--benchmark', '2023']);
    expect(table.stdout).toMatch(/Change failure rate\s+14\.3% \(1 of 7 deployments\)\s+medium/);
    expect(table.stdout).toMatch(/tiers: DORA 2023/);

    const notGit = makeTempDir('sextant-not-git-');
    const failure = await cli(['dora', '--repo', notGit]).catch((e: { code: number; stderr: string }) => e);
    fs.rmSync(notGit, { recursive: true, force: true });
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain(`--repo: ${notGit} is not a git repository`);
  });
});

/**
 * A monorepo with two services, each tagged `<service>/vX.Y.Z` and owning its folder.
 *   m0 Feb 1 09:00 touches both; a1 Feb 2 09:00 api; w1 Feb 2 10:00 web
 *   api/v1.0.0 Feb 2 12:00, web/v1.0.0 Feb 2 13:00
 *   a2 Feb 5 09:00 api; w2 Feb 5 10:00 web; b1 Feb 5 11:00 both
 *   api/v1.1.0 Feb 6 12:00, web/v1.1.0 Feb 7 12:00
 */
describe('DORA metrics for a monorepo service', () => {
  let repo: TestRepository;
  const window = { from: Date.parse('2024-02-01T00:00:00Z'), to: Date.parse('2024-03-01T00:00:00Z') };

  beforeAll(() => {
    repo = TestRepository.create();
    repo.commit({ message: 'Bootstrap', at: '2024-02-01T09:00:00Z', files: { 'services/api/main.ts': '1', 'services/web/main.ts': '1' } });
    repo.commit({ message: 'API endpoint', at: '2024-02-02T09:00:00Z', files: { 'services/api/x.ts': '1' } });
    repo.commit({ message: 'Web page', at: '2024-02-02T10:00:00Z', files: { 'services/web/y.ts': '1' } });
    repo.annotatedTag('api/v1.0.0', '2024-02-02T12:00:00Z');
    repo.annotatedTag('web/v1.0.0', '2024-02-02T13:00:00Z');
    repo.commit({ message: 'API second', at: '2024-02-05T09:00:00Z', files: { 'services/api/x.ts': '2' } });
    repo.commit({ message: 'Web second', at: '2024-02-05T10:00:00Z', files: { 'services/web/y.ts': '2' } });
    repo.commit({ message: 'Both', at: '2024-02-05T11:00:00Z', files: { 'services/api/z.ts': '1', 'services/web/z.ts': '1' } });
    repo.annotatedTag('api/v1.1.0', '2024-02-06T12:00:00Z');
    repo.annotatedTag('web/v1.1.0', '2024-02-07T12:00:00Z');
  });
  afterAll(() => repo.remove());

  const service = (name: string, paths: string[]) =>
    doraFromGit(request(repo.dir, { serviceId: name, tagPattern: new RegExp(`^${name}/v\\d+\\.\\d+\\.\\d+$`), paths, window }));

  it("keeps only the commits touching each service's paths", async () => {
    const api = await service('api', ['services/api/**']);
    // api/v1.0.0: m0 (27 h), a1 (3 h); api/v1.1.0: a2 Feb 5 09:00 -> Feb 6 12:00 (27 h), b1 11:00 (25 h).
    // Sorted 3 25 27 27: linear median (25 + 27) / 2 = 26 h.
    expect(api.summary.deployments.count).toBe(2);
    expect(api.summary.leadTime).toMatchObject({ count: 4, p50Seconds: 26 * H });
    const web = await service('web', ['services/web/**']);
    // web/v1.0.0: m0 (28 h), w1 (3 h); web/v1.1.0: w2 Feb 5 10:00 -> Feb 7 12:00 (50 h), b1 (49 h).
    // Sorted 3 28 49 50: median (28 + 49) / 2 = 38.5 h.
    expect(web.summary.leadTime).toMatchObject({ count: 4, p50Seconds: 38.5 * H });
    // Without a path filter every commit is a change of the service: 3 + 3.
    const unfiltered = await service('api', []);
    expect(unfiltered.summary.leadTime.count).toBe(6);
  });
});
