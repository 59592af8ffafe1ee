import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/database.js';
import { buildTestApp } from '../test-support/app.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import { loadDemoWorkspace } from '../workspace/workspace.js';
import { UNDER_TARGET_TEAM } from './demo.js';
import { capacityReport, listCandidates, scoredRegister } from './service.js';

const NOW = Date.UTC(2025, 5, 1);

describe('the debt demo', () => {
  let store: Store;
  let report: Record<string, Record<string, number>>;
  beforeAll(async () => {
    store = await (TEST_DIALECTS[0] as (typeof TEST_DIALECTS)[number]).open();
    report = await loadDemoWorkspace(store, { seed: 1, scale: 1, now: NOW });
  }, 120_000);
  afterAll(() => store.close());

  it('has a year of sprints for every team with services, one team persistently under its 20%', async () => {
    const { teams } = await capacityReport(store);
    expect(teams.map((t) => t.team).sort()).toEqual(['checkout', 'ml', 'payments', 'platform', 'search']);
    for (const team of teams) {
      // 26 two-week sprints (a year); the last may still be running.
      expect(team.sprints.length).toBeGreaterThanOrEqual(25);
      expect(team.target).toBe(0.2);
    }
    const under = teams.find((t) => t.team === UNDER_TARGET_TEAM);
    // Its debt share is drawn from 2-10% each sprint: below 20% every sprint, so the streak is the whole year.
    expect(under?.sprints.every((s) => s.below)).toBe(true);
    expect(under?.streak).toBe(under?.sprints.length);
    const others = teams.filter((t) => t.team !== UNDER_TARGET_TEAM);
    for (const team of others) expect(team.sprints.filter((s) => s.below).length).toBeLessThan(team.sprints.length);
    expect(teams.find((t) => t.team === 'payments')?.wip).toEqual({ count: 11, limit: 8, over: true });
  });

  it('has a register of about 15 items with evidence from the demo’s codebase and delivery data, some from candidates', async () => {
    expect(report.debt?.registerItems).toBeGreaterThanOrEqual(13);
    expect(report.debt?.registerItems).toBeLessThanOrEqual(16);
    expect(report.debt?.acceptedCandidates).toBeGreaterThanOrEqual(2);
    const scored = await scoredRegister(store.db, NOW, { all: true });
    expect(scored.length).toBe(report.debt?.registerItems);
    expect(scored.filter((s) => s.item.candidateKey !== null).length).toBe(report.debt?.acceptedCandidates);
    // Evidence reached every kind of source: code (revisions), delivery (lead time), incidents.
    expect(scored.some((s) => (s.evidence.revisions90 ?? 0) > 0)).toBe(true);
    expect(scored.some((s) => s.evidence.leadTimeP50Hours !== null)).toBe(true);
    expect(scored.some((s) => (s.evidence.incidents90 ?? 0) > 0)).toBe(true);
    // Ranked by score, highest first.
    const scores = scored.map((s) => s.terms.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // Open candidates remain to accept on the dashboard.
    expect((await listCandidates(store.db, NOW)).length).toBeGreaterThan(0);
  });

  it('links a done, an in-progress and a todo item of payments and of search to demo key results, and the search ML project to its', async () => {
    const app = await buildTestApp(store);
    try {
      const body = (await app.inject({ method: 'GET', url: `/api/v1/okrs?at=${new Date(NOW).toISOString()}` })).json();
      const krs = new Map<string, { serving: { workItems: { counts: unknown; items: Array<{ team: string }> }; ml: unknown[] } }>(
        body.objectives.flatMap((o: { keyResults: Array<{ id: string }> }) => o.keyResults.map((kr) => [kr.id, kr])),
      );
      // By construction (linkDemoKeyResults): one item in each state for each of the two key results.
      for (const [id, team] of [
        ['payments-lead-time', 'payments'],
        ['search-zero-results', 'search'],
      ] as const) {
        const serving = krs.get(id)?.serving;
        expect(serving?.workItems.counts).toEqual({ open: 1, inProgress: 1, done: 1, cancelled: 0 });
        expect(serving?.workItems.items.map((i) => i.team)).toEqual([team, team, team]);
      }
      expect(krs.get('search-zero-results')?.serving.ml).toEqual([
        { kind: 'project', id: 'search-ranking', title: 'Learning-to-rank for search', status: 'active' },
      ]);
      expect(krs.get('payments-cfr')?.serving).toEqual({
        workItems: { counts: { open: 0, inProgress: 0, done: 0, cancelled: 0 }, items: [] },
        ml: [],
      });
    } finally {
      await app.close();
    }
  });
});
