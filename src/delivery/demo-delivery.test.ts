import { describe, expect, it } from 'vitest';
import { generateDemoOrg } from '../org/index.js';
import { loadDemoWorkspace } from '../workspace/workspace.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import { generateDemoDelivery } from './demo-delivery.js';
import { loadDeliveryFacts } from './delivery-facts.js';
import { assessDeployments, changeFactsOf, DEFAULT_ASSESS_OPTIONS, type DeploymentAssessment } from './assess-deployments.js';
import { loadChangesOfDeployments, loadDeployments } from './store.js';

const now = Date.parse('2026-01-05T00:00:00Z');

describe('demo delivery data', () => {
  const org = generateDemoOrg({ seed: 1, scale: 1 });
  const demo = generateDemoDelivery(org, { seed: 1, now, days: 365, staging: true });

  it('is the same for the same seed, and different for another', () => {
    expect(generateDemoDelivery(org, { seed: 1, now, days: 365, staging: true })).toEqual(demo);
    expect(generateDemoDelivery(org, { seed: 2, now, days: 365, staging: true }).deployments.length).not.toBe(demo.deployments.length);
  });

  it('covers a year of every demo service with every kind of failure evidence', () => {
    expect(new Set(demo.deployments.map((d) => d.serviceId))).toEqual(new Set(org.services.map((s) => s.id)));
    expect(Math.min(...demo.deployments.map((d) => d.finishedAt))).toBeGreaterThanOrEqual(now - 365 * 86_400_000);
    expect(Math.max(...demo.deployments.map((d) => d.finishedAt))).toBeLessThan(now);
    expect(demo.deployments.some((d) => d.rollbackOf !== null)).toBe(true);
    expect(demo.deployments.some((d) => d.fixes.length > 0)).toBe(true);
    expect(demo.deployments.some((d) => d.environment === 'staging')).toBe(true);
    expect(demo.incidents.some((i) => i.causedByDeployment !== null)).toBe(true);
    expect(demo.incidents.some((i) => i.causedByDeployment === null)).toBe(true);
    expect(demo.changes.some((c) => c.revertsSha !== null)).toBe(true);
    const ids = new Set(demo.deployments.map((d) => d.id));
    expect(demo.changes.every((c) => ids.has(c.deploymentId))).toBe(true);
  });
});

// Loading the demo year twice writes a year of deployments, changes and incidents
// per demo service; on PostgreSQL beside other test
// files on two cores that takes 15-30 s, so this test gets a budget of its own.
const DEMO_LOAD_TIMEOUT_MS = 120_000;

for (const dialect of TEST_DIALECTS) {
  describe(`demo workspace on ${dialect.name}`, () => {
    it(
      'loads the demo year, replacing earlier demo rows',
      async () => {
        const store = await dialect.open();
        try {
          await loadDemoWorkspace(store, { seed: 1, scale: 1 });
          await loadDemoWorkspace(store, { seed: 1, scale: 1 });
          const stored = await loadDeployments(store.db);
          const org = generateDemoOrg({ seed: 1, scale: 1 });
          const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
          expect(stored.length).toBe(generateDemoDelivery(org, { seed: 1, now: today, days: 365, staging: true }).deployments.length);
          const facts = await loadDeliveryFacts(
            store.db,
            { teamId: 'payments' },
            { leadTimeStart: 'author', assess: DEFAULT_ASSESS_OPTIONS },
          );
          expect(facts.services.map((s) => s.id).sort()).toEqual(['ledger', 'payments-api']);
          expect(facts.assessment.deployments.some((a) => a.failureReasons.length > 0)).toBe(true);
          expect(facts.assessment.deployments.every((a) => a.deployment.environment === 'production')).toBe(true);

          // Independent check of the store path (change summaries + evidence only): assessing with
          // every change read one by one gives the same lead times, failures and rework.
          const deployments = facts.assessment.deployments.map((a) => a.deployment);
          const every = await loadChangesOfDeployments(
            store.db,
            deployments.map((d) => d.id),
            'author',
          );
          const direct = assessDeployments(deployments, changeFactsOf(every), facts.incidents, DEFAULT_ASSESS_OPTIONS);
          const view = (a: DeploymentAssessment) => ({
            id: a.deployment.id,
            lead: [...a.leadTimesMs].sort((x, y) => x - y),
            failed: a.failureReasons,
            restoredAt: a.restoredAt,
            unplanned: a.unplannedReasons,
          });
          expect(facts.assessment.deployments.map(view)).toEqual(direct.deployments.map(view));
          expect(direct.deployments.some((a) => a.failureReasons.some((r) => r.kind === 'revert'))).toBe(true);
        } finally {
          await store.close();
        }
      },
      DEMO_LOAD_TIMEOUT_MS,
    );
  });
}
