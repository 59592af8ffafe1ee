import { describe, expect, it } from 'vitest';
import { generateDemoOrg } from '../org/index.js';
import { assessDeployments, assessDeploymentsInSlices, changeFactsOf, DEFAULT_ASSESS_OPTIONS, isPatchAfter } from './assess-deployments.js';
import { summariseDelivery, summariseDeliveryInSlices } from './delivery-summary.js';
import { generateDemoDelivery } from './demo-delivery.js';
import { DAY_MS, HOUR_MS, type ShippedChange } from './model.js';
import { buildDeployment, buildIncident } from '../test-support/delivery-factories.js';

const t = (iso: string) => Date.parse(iso);
const H = HOUR_MS / 1000;

/**
 * One production series of the payments service in March 2024, with every
 * kind of failure evidence the API can record:
 *   P1 Mar 1 10:00              I1 starts Mar 1 12:00 (no link) -> latest deployment before it: P1; resolved 14:00
 *   P2 Mar 2 10:00              I2 names P2 explicitly, resolved Mar 2 11:30; P3 also rolls P2 back (Mar 3 10:00)
 *   P3 Mar 3 10:00 rollback of P2
 *   P4 Mar 4 10:00              P5 fixes P4 forward
 *   P5 Mar 5 10:00 fixes P4
 *   P6 Mar 10 10:00 ships abc1234...; I4 names commit abc1234 (abbreviated) and is not resolved
 *   P7 Mar 20 10:00 status failure: did not complete, not counted
 *   I3 starts Mar 20 10:00, no link: the latest deployment (P6) is 10 days earlier, beyond the 7-day window
 *   P8 Mar 21 10:00 no commit, marked unplanned
 */
describe('assessing deployments', () => {
  const deployments = [
    buildDeployment({ id: 'P1', finishedAt: t('2024-03-01T10:00:00Z'), commitSha: 'c1' }),
    buildDeployment({ id: 'P2', finishedAt: t('2024-03-02T10:00:00Z'), commitSha: 'c2' }),
    buildDeployment({ id: 'P3', finishedAt: t('2024-03-03T10:00:00Z'), commitSha: 'c1', rollbackOf: 'P2' }),
    buildDeployment({ id: 'P4', finishedAt: t('2024-03-04T10:00:00Z'), commitSha: 'c4' }),
    buildDeployment({ id: 'P5', finishedAt: t('2024-03-05T10:00:00Z'), commitSha: 'c5', fixes: ['P4'] }),
    buildDeployment({ id: 'P6', finishedAt: t('2024-03-10T10:00:00Z'), commitSha: 'abc1234ffffffffffffffffffffffffffffffff' }),
    buildDeployment({ id: 'P7', finishedAt: t('2024-03-20T10:00:00Z'), commitSha: 'c7', status: 'failure' }),
    buildDeployment({ id: 'P8', finishedAt: t('2024-03-21T10:00:00Z'), unplanned: true }),
    buildDeployment({ id: 'S1', finishedAt: t('2024-03-01T09:00:00Z'), commitSha: 'c1', environment: 'staging' }),
  ];
  const changes: ShippedChange[] = [
    {
      deploymentId: 'P6',
      sha: 'abc1234ffffffffffffffffffffffffffffffff',
      startedAt: t('2024-03-09T10:00:00Z'),
      revertsSha: null,
      fixesSha: null,
    },
  ];
  const incidents = [
    buildIncident({ id: 'I1', startedAt: t('2024-03-01T12:00:00Z'), resolvedAt: t('2024-03-01T14:00:00Z') }),
    buildIncident({ id: 'I2', startedAt: t('2024-03-02T11:00:00Z'), resolvedAt: t('2024-03-02T11:30:00Z'), causedByDeployment: 'P2' }),
    buildIncident({ id: 'I3', startedAt: t('2024-03-20T10:00:00Z') }),
    buildIncident({ id: 'I4', startedAt: t('2024-03-11T10:00:00Z'), causedBySha: 'abc1234' }),
    buildIncident({ id: 'I5', startedAt: t('2024-03-11T10:00:00Z'), serviceId: 'ledger' }),
  ];
  // Only production deployments are passed, as the API does for DORA metrics.
  const production = deployments.filter((d) => d.environment === 'production');
  const assessment = assessDeployments(production, changeFactsOf(changes), incidents, DEFAULT_ASSESS_OPTIONS);
  const byId = Object.fromEntries(assessment.deployments.map((a) => [a.deployment.id, a]));

  it('links incidents explicitly, by commit, or to the latest deployment within the window', () => {
    expect(byId.P1?.failureReasons).toEqual([{ kind: 'incident', incidentId: 'I1', link: 'latest-deployment' }]);
    expect(byId.P2?.failureReasons).toEqual([
      { kind: 'rollback', deploymentId: 'P3' },
      { kind: 'incident', incidentId: 'I2', link: 'explicit' },
    ]);
    expect(byId.P4?.failureReasons).toEqual([{ kind: 'fix-forward', deploymentId: 'P5' }]);
    expect(byId.P6?.failureReasons).toEqual([{ kind: 'incident', incidentId: 'I4', link: 'commit' }]);
    // I3: P6 finished 10 days before it; I5: ledger has no deployments.
    expect(assessment.unlinkedIncidents).toEqual(['I3', 'I5']);
    expect(byId.P7).toBeUndefined();
  });

  it('restores at the earliest fix, rollback or resolution', () => {
    expect(byId.P1?.restoredAt).toBe(t('2024-03-01T14:00:00Z'));
    expect(byId.P2?.restoredAt).toBe(t('2024-03-02T11:30:00Z')); // the incident resolved before the rollback
    expect(byId.P4?.restoredAt).toBe(t('2024-03-05T10:00:00Z'));
    expect(byId.P6?.restoredAt).toBeNull();
  });

  it('summarises March: 7 counted deployments, 4 failed, 3 unplanned', () => {
    const summary = summariseDelivery(assessment, { from: t('2024-03-01T00:00:00Z'), to: t('2024-04-01T00:00:00Z') });
    expect(summary.changeFailureRate).toEqual({ failed: 4, total: 7, rate: 4 / 7 });
    // Recovery: P1 4 h, P2 1.5 h, P4 24 h -> sorted 1.5 4 24; p50 = 4 h; p90: h = 1.8 -> 4 + 0.8 * 20 = 20 h.
    expect(summary.recoveryTime.count).toBe(3);
    expect(summary.recoveryTime.p50Seconds).toBe(4 * H);
    expect(summary.recoveryTime.p90Seconds).toBeCloseTo(20 * H, 6);
    expect(summary.recoveryTime.unrestored).toBe(1);
    // Unplanned: P3 (rollback), P5 (fix-forward), P8 (marked).
    expect(summary.reworkRate).toEqual({ unplanned: 3, total: 7, rate: 3 / 7 });
    expect(byId.P3?.unplannedReasons).toEqual([{ kind: 'rollback', of: 'P2' }]);
    // P6's change: Mar 9 10:00 -> Mar 10 10:00.
    expect(summary.leadTime).toMatchObject({ count: 1, p50Seconds: 24 * H });
  });

  it('counts a window by finish time and still uses later evidence', () => {
    // Only P4 finished on Mar 4; the fix that proves it failed came a day later, outside the window.
    const summary = summariseDelivery(assessment, { from: t('2024-03-04T00:00:00Z'), to: t('2024-03-05T00:00:00Z') });
    expect(summary.changeFailureRate).toEqual({ failed: 1, total: 1, rate: 1 });
    expect(summary.recoveryTime.p50Seconds).toBe(24 * H);
  });

  it('recognises patch releases', () => {
    expect(isPatchAfter('v1.4.1', 'v1.4.2')).toBe(true);
    expect(isPatchAfter('1.4', '1.4.1')).toBe(true);
    expect(isPatchAfter('cart/v2.0.0', 'cart/v2.0.1')).toBe(true);
    expect(isPatchAfter('v1.4.2', 'v1.5.0')).toBe(false);
    expect(isPatchAfter('v1.4.2', 'v1.4.2')).toBe(false);
    expect(isPatchAfter(null, 'v1.4.2')).toBe(false);
    expect(isPatchAfter('v1.4.1', 'v1.4.2-rc.1')).toBe(false);
  });
});

describe('assessing and summarising in slices', () => {
  const now = Date.parse('2026-01-05T00:00:00Z');
  const demo = generateDemoDelivery(generateDemoOrg({ seed: 1, scale: 1 }), { seed: 1, now, days: 365, staging: true });
  // Every change as evidence (the slowest path), and incidents naming a commit in full and abbreviated.
  const changes = changeFactsOf(
    demo.changes.map((c) => ({
      deploymentId: c.deploymentId,
      sha: c.sha,
      startedAt: c.authorTime,
      revertsSha: c.revertsSha,
      fixesSha: c.fixesSha,
    })),
  );
  const named = demo.changes.slice(-2).map((c, i) => {
    const serviceId = demo.deployments.find((d) => d.id === c.deploymentId)?.serviceId;
    return buildIncident({ id: `named-${i}`, serviceId, startedAt: now - DAY_MS, causedBySha: i === 0 ? c.sha : c.sha.slice(0, 8) });
  });
  const incidents = [...demo.incidents, ...named];

  it('gives exactly the assessment and summaries computed in one piece, letting the event loop turn meanwhile', async () => {
    const whole = assessDeployments(demo.deployments, changes, incidents, DEFAULT_ASSESS_OPTIONS);
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    const sliced = await assessDeploymentsInSlices(demo.deployments, changes, incidents, DEFAULT_ASSESS_OPTIONS);
    clearInterval(ticker);
    expect(sliced).toEqual(whole);
    expect(whole.deployments.some((a) => a.failureReasons.some((r) => r.kind === 'incident' && r.link === 'commit'))).toBe(true);
    // ~3,400 deployments take longer than one slice (8 ms) on any machine.
    expect(turns).toBeGreaterThan(0);

    for (const window of [
      { from: now - 365 * DAY_MS, to: now },
      { from: now - 30 * DAY_MS, to: now },
    ]) {
      expect(await summariseDeliveryInSlices(whole, window)).toEqual(summariseDelivery(whole, window));
    }
  });
});
