import { afterEach, describe, expect, it } from 'vitest';
import { runCrashRound } from '../test-support/crash-round.js';
import { makeServeTarget, SERVE_DIALECTS, type ServeTarget } from '../test-support/serve-targets.js';

/**
 * SIGKILL gives the process no chance to clean up. Eight writers send service
 * PUTs (a service and its environments in one transaction) and deployment
 * batches to two shared services (all or nothing); after a kill in the middle
 * of that stream every service must be whole or absent, every batch whole or
 * absent, every acknowledged write present, SQLite's integrity and foreign-key
 * checks clean, and no request may have failed with a 500 before the kill:
 * a write that loses a race is retried, then answered 503 with Retry-After.
 * One round per dialect here; bench/crash-rounds.bench.ts runs many.
 */
describe.each(SERVE_DIALECTS)('store consistency after SIGKILL during writes on %s', (dialect) => {
  const targets: ServeTarget[] = [];
  afterEach(async () => {
    for (const target of targets.splice(0)) await target.cleanup();
  });

  it('keeps every acknowledged write and no partial one, with no 500 before the kill', async () => {
    const target = await makeServeTarget(dialect, 'sextant-crash-');
    targets.push(target);
    const round = await runCrashRound(target, { writers: 8, acknowledgedBeforeKill: 150 });

    expect(round.serverErrors).toEqual([]);
    expect(round.statuses['500'] ?? 0).toBe(0);
    expect(round.problems).toEqual([]);
    expect(round.acknowledged.services).toBeGreaterThan(0);
    expect(round.acknowledged.deploymentBatches).toBeGreaterThan(0);
    expect(round.stored.services).toBeGreaterThanOrEqual(round.acknowledged.services);
  }, 120_000);
});
