import { describe, expect, it } from 'vitest';
import { DEFAULT_WEIGHTS, type DebtItem } from './model.js';
import { EMPTY_EVIDENCE, scorecard } from './scorecard.js';

function debt(id: string, principalDays: number | null): DebtItem {
  return {
    id,
    title: id,
    category: 'code',
    quadrant: null,
    location: { repository: 'app', paths: [id], service: 'pay' },
    team: 'core',
    status: 'accepted',
    impact: '',
    principalDays,
    candidateKey: null,
    created: 0,
    updated: 0,
  };
}

describe('the scorecard', () => {
  it('ranks a frequently changed, incident-heavy item above a larger, never-changed one, with every term shown', () => {
    // Hot: 30 commits in 90 days -> change 3; 4 incidents + half a budget consumed; lead time 2x the median -> excess 1;
    //      CFR 0.25 vs median 0.1 -> excess 1.5; interest 4 + 0.5 + 1 + 1.5 = 7. Risk: sole author 0.5, the
    //      2nd of 5 hotspots -> 1 - 1/4 = 0.75; risk 1.25. Cost of delay 7 + 1.25 + 3 = 11.25; principal 5 days -> 2.25.
    const hot = {
      item: debt('hot', 5),
      evidence: {
        ...EMPTY_EVIDENCE,
        revisions90: 30,
        incidents90: 4,
        budgetConsumed: 0.5,
        leadTimeP50Hours: 48,
        leadTimeMedianHours: 24,
        changeFailureRate: 0.25,
        changeFailureRateMedian: 0.1,
        soleAuthorShare: 0.5,
        hotspotRank: 2,
        hotspotCount: 5,
      },
    };
    // Cold: never changed, no incidents, but all knowledge gone (knowledge 1, sole author 1) -> risk 2;
    //       cost of delay 2; principal 40 days -> 0.05.
    const cold = {
      item: debt('cold', 40),
      evidence: { ...EMPTY_EVIDENCE, revisions90: 0, incidents90: 0, knowledgeRisk: 1, soleAuthorShare: 1 },
    };
    const ranked = scorecard([cold, hot], DEFAULT_WEIGHTS);
    expect(ranked.map((r) => [r.item.id, r.rank])).toEqual([
      ['hot', 1],
      ['cold', 2],
    ]);
    const [first, second] = ranked;
    expect(first?.terms.interestParts).toEqual({ incidents: 4, budget: 0.5, leadTimeExcess: 1, changeFailureExcess: 1.5 });
    expect(first?.terms.interest).toBeCloseTo(7, 10);
    expect(first?.terms.risk).toBeCloseTo(1.25, 10);
    expect(first?.terms.change).toBe(3);
    expect(first?.terms.costOfDelay).toBeCloseTo(11.25, 10);
    expect(first?.terms.score).toBeCloseTo(2.25, 10);
    expect(second?.terms).toMatchObject({ interest: 0, risk: 2, change: 0, principalDays: 40, costOfDelay: 2, score: 0.05 });
  });

  it('takes weights from the configuration and assumes 5 days of principal when none is estimated', () => {
    const item = { item: debt('x', null), evidence: { ...EMPTY_EVIDENCE, revisions90: 10, incidents90: 1 } };
    // interest 1 x 2 + change 1 x 0 = 2; principal 5 (assumed) ^ 0 = 1 -> score 2.
    const [scored] = scorecard([item], { interest: 2, risk: 1, change: 0, principal: 0 });
    expect(scored?.terms).toMatchObject({ principalDays: 5, principalEstimated: true, costOfDelay: 2, score: 2 });
  });
});
