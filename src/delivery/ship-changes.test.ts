import { describe, expect, it } from 'vitest';
import { assessDeployments, changeFactsOf } from './assess-deployments.js';
import { CommitGraph } from './commit-graph.js';
import { HOUR_MS } from './model.js';
import { shipChanges, DEFAULT_SHIP_OPTIONS } from './ship-changes.js';
import { buildCommit, buildDeployment } from '../test-support/delivery-factories.js';

const t = (iso: string) => Date.parse(iso);

describe('which changes a deployment ships first', () => {
  // a <- b <- c (revert of b by subject only) ; a <- d (a side branch)
  const graph = new CommitGraph([
    buildCommit({ sha: 'a'.repeat(40), authorTime: t('2024-05-01T00:00:00Z'), subject: 'Base' }),
    buildCommit({ sha: 'b'.repeat(40), authorTime: t('2024-05-02T00:00:00Z'), parents: ['a'.repeat(40)], subject: 'Add cache' }),
    buildCommit({
      sha: 'c'.repeat(40),
      authorTime: t('2024-05-03T00:00:00Z'),
      parents: ['b'.repeat(40)],
      subject: 'Revert "Add cache"',
      revertedSubject: 'Add cache',
    }),
    buildCommit({ sha: 'd'.repeat(40), authorTime: t('2024-05-02T12:00:00Z'), parents: ['a'.repeat(40)], subject: 'Side work' }),
  ]);

  it('ships each commit once per series, in finish order, and per environment separately', () => {
    const deployments = [
      buildDeployment({ id: 'prod-1', finishedAt: t('2024-05-02T06:00:00Z'), commitSha: 'b'.repeat(40) }),
      buildDeployment({ id: 'prod-2', finishedAt: t('2024-05-03T06:00:00Z'), commitSha: 'c'.repeat(40) }),
      buildDeployment({ id: 'stage-1', finishedAt: t('2024-05-03T01:00:00Z'), commitSha: 'c'.repeat(40), environment: 'staging' }),
      buildDeployment({ id: 'failed', finishedAt: t('2024-05-02T07:00:00Z'), commitSha: 'd'.repeat(40), status: 'failure' }),
      buildDeployment({ id: 'unknown', finishedAt: t('2024-05-04T00:00:00Z'), commitSha: 'e'.repeat(40) }),
    ];
    const result = shipChanges(graph, deployments, DEFAULT_SHIP_OPTIONS);
    const shipped = (id: string) => result.changes.filter((c) => c.deploymentId === id).map((c) => c.sha[0]);
    expect(shipped('prod-1')).toEqual(['a', 'b']);
    expect(shipped('prod-2')).toEqual(['c']);
    expect(shipped('stage-1')).toEqual(['a', 'b', 'c']);
    expect(shipped('failed')).toEqual([]);
    expect(result.unknownCommits).toEqual([{ deploymentId: 'unknown', sha: 'e'.repeat(40) }]);
    // The revert named only by subject resolves to "Add cache" (b), so prod-1 failed when prod-2 shipped it.
    expect(result.changes.find((c) => c.sha === 'c'.repeat(40) && c.deploymentId === 'prod-2')?.revertsSha).toBe('b'.repeat(40));
    const assessment = assessDeployments(
      deployments.filter((d) => d.environment === 'production'),
      changeFactsOf(result.changes),
      [],
    );
    expect(assessment.deployments.find((a) => a.deployment.id === 'prod-1')?.failureReasons).toEqual([
      { kind: 'revert', revertSha: 'c'.repeat(40), revertedSha: 'b'.repeat(40), deploymentId: 'prod-2' },
    ]);
  });

  it('limits the first deployment to the baseline and keeps older commits shipped', () => {
    const deployments = [
      buildDeployment({ id: 'first', finishedAt: t('2024-05-02T06:00:00Z'), commitSha: 'b'.repeat(40) }),
      buildDeployment({ id: 'second', finishedAt: t('2024-05-04T00:00:00Z'), commitSha: 'c'.repeat(40) }),
    ];
    // Baseline 12 h: only b (May 2 00:00) is within 12 h of May 2 06:00; a (May 1) is older.
    const result = shipChanges(graph, deployments, { ...DEFAULT_SHIP_OPTIONS, baselineMs: 12 * HOUR_MS });
    expect(result.changes.map((c) => `${c.deploymentId}:${c.sha[0]}`)).toEqual(['first:b', 'second:c']);
  });

  it('handles a maintenance branch: a later tag on an older line ships only its own commits', () => {
    const deployments = [
      buildDeployment({ id: 'main', finishedAt: t('2024-05-03T06:00:00Z'), commitSha: 'c'.repeat(40) }),
      buildDeployment({ id: 'maint', finishedAt: t('2024-05-04T00:00:00Z'), commitSha: 'd'.repeat(40) }),
    ];
    const result = shipChanges(graph, deployments, DEFAULT_SHIP_OPTIONS);
    expect(result.changes.filter((c) => c.deploymentId === 'maint').map((c) => c.sha[0])).toEqual(['d']);
  });

  it('looks up abbreviated shas only when they are unambiguous', () => {
    expect(graph.indexOf('bbbbbbb')).toBe(1);
    expect(graph.indexOf('bbbbbb')).toBeUndefined(); // shorter than git's 7-character minimum
    const twins = new CommitGraph([
      buildCommit({ sha: 'abcdef01'.padEnd(40, '0'), authorTime: 0 }),
      buildCommit({ sha: 'abcdef02'.padEnd(40, '0'), authorTime: 0 }),
    ]);
    expect(twins.indexOf('abcdef0')).toBeUndefined();
    expect(twins.indexOf('abcdef01')).toBe(0);
  });
});
