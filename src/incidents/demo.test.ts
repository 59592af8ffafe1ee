import { describe, expect, it } from 'vitest';
import { LOOKUPS } from '../modules.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import { loadDemoWorkspace } from '../workspace/workspace.js';
import { loadIncidents, loadPostmortems, loadRemediation } from './store.js';
import { incidentDetail, incidentMetricsView } from './views.js';
import { isOverdue } from './model.js';

// The demo year of every module: a minute or more on two busy cores.
const DEMO_TIMEOUT_MS = 240_000;

describe('the incidents demo', () => {
  it(
    'has a year of incidents with postmortems, overdue items, a game day, a repeat, and the outage the SLOs show',
    async () => {
      const store = await (TEST_DIALECTS[0] as (typeof TEST_DIALECTS)[number]).open();
      try {
        const now = Date.parse('2026-06-01T12:00:00Z');
        const reports = await loadDemoWorkspace(store, { seed: 1, scale: 1, now });
        const incidents = await loadIncidents(store.db, { includeDrills: true });
        expect(reports.incidents?.incidents).toBe(incidents.length);
        const first = Math.min(...incidents.map((i) => i.milestones.impactStartedAt));
        expect(now - first).toBeGreaterThan(300 * 86_400_000);
        expect(incidents.filter((i) => i.drill).map((i) => i.id)).toEqual(['demo:game-day:identity-failover']);

        const postmortems = [...(await loadPostmortems(store.db)).values()];
        expect(postmortems.some((p) => p.status === 'published')).toBe(true);
        expect(postmortems.some((p) => p.status !== 'published' && p.dueAt !== null && p.dueAt < now)).toBe(true);
        const items = await loadRemediation(store.db);
        expect(items.some((i) => isOverdue(i, now))).toBe(true);
        expect(items.some((i) => i.status === 'done')).toBe(true);

        const view = await incidentMetricsView(store.db, {}, now);
        // One repeat, made on purpose: two payments-api incidents within 30 days sharing a tag.
        expect(view.repeats).toEqual([expect.objectContaining({ serviceId: 'payments-api', tag: 'db-connection-pool' })]);
        expect(view.response.drills).toBe(1);
        expect(view.overdueActions.length).toBe(items.filter((i) => isOverdue(i, now)).length);

        // The payments-api outage reliability's demo plays (8 hours at 25% failures) spent far more
        // than 20% of its 30-day budget: the postmortem is required for its budget as well as its severity.
        const outage = await incidentDetail(store.db, 'demo:payments-api:outage', now, LOOKUPS);
        expect(outage.budgetSpent.find((b) => b.slo === 'payments-api-availability')?.share).toBeGreaterThan(1);
        expect(outage.postmortemRequired.some((r) => r.includes('payments-api-availability'))).toBe(true);
        // Reloading replaces the demo rows rather than adding to them.
        await loadDemoWorkspace(store, { seed: 1, scale: 1, now });
        expect(await loadIncidents(store.db, { includeDrills: true })).toHaveLength(incidents.length);
      } finally {
        await store.close();
      }
    },
    DEMO_TIMEOUT_MS,
  );
});
