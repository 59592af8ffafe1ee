import { afterEach, describe, expect, it } from 'vitest';
import { saveTeam } from '../org/index.js';
import type { Store } from '../store/database.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import { buildProject, d } from './fixtures.test-support.js';
import { mlContext } from './links.js';
import { monthlyReview, reviewMarkdown } from './review.js';
import { insertKillFlag, insertProject, resolveKillFlags } from './store.js';

/**
 * The monthly model review reports the kill flags as they stood at the end of
 * the month asked for, not as they stand when the review is generated:
 * - k1 (recall < 0.6 by 20 February) was flagged on 21 February and answered
 *   by a decision on 10 April: open at the end of March, so March lists it.
 * - k2 (no go 10 weeks after the 5 January start) was flagged by a sync on
 *   2 April: after March, so March's review does not list it as flagged
 *   (its own evaluation at the month's end still says `met`).
 */
describe('monthly model review', () => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('shows the kill flags open at the end of the month, not those raised or answered after it', async () => {
    store = await (TEST_DIALECTS[0] as (typeof TEST_DIALECTS)[number]).open();
    await saveTeam(store.db, { id: 'ml', name: 'ML', parentId: null, description: null });
    const project = buildProject({
      killCriteria: [
        {
          id: 'k1',
          description: 'recall < 0.6 by 2026-02-20',
          condition: { kind: 'model-quality', comparator: '<', threshold: 0.6, by: d('2026-02-20') },
        },
        { id: 'k2', description: 'no go decision 10 weeks after start', condition: { kind: 'no-go-decision', weeks: 10 } },
      ],
      quality: [{ at: d('2026-02-10'), value: 0.52 }],
    });
    await insertProject(store.db, project, 'api', d('2026-01-05'));
    await insertKillFlag(store.db, { projectId: 'churn', criterionId: 'k1', metAt: d('2026-02-21'), evidence: 'recall = 0.52' });
    await resolveKillFlags(store.db, 'churn', d('2026-04-10'), 'Ana');
    await insertKillFlag(store.db, { projectId: 'churn', criterionId: 'k2', metAt: d('2026-04-02'), evidence: 'no go by 2026-03-16' });

    const march = await monthlyReview(mlContext(store.db, {}), '2026-03', 'UTC');
    const row = march.projects[0];
    expect(row?.killCriteria.map((c) => [c.id, c.status, c.flagged])).toEqual([
      ['k1', 'met', true],
      ['k2', 'met', false],
    ]);
    expect(row?.blockers.filter((b) => b.startsWith('kill criterion'))).toEqual(['kill criterion k1 met: recall = 0.52']);
    expect(reviewMarkdown(march)).toContain('⚑ recall < 0.6 by 2026-02-20: **met**');

    // April: k1 answered on 10 April, k2 open since 2 April.
    const april = await monthlyReview(mlContext(store.db, {}), '2026-04', 'UTC');
    expect(april.projects[0]?.killCriteria.map((c) => [c.id, c.flagged])).toEqual([
      ['k1', false],
      ['k2', true],
    ]);
    expect(april.projects[0]?.blockers.filter((b) => b.startsWith('kill criterion'))).toEqual([
      'kill criterion k2 met: no go by 2026-03-16',
    ]);
  });
});
