import { describe, expect, it } from 'vitest';
import { experimentVelocity, isoWeek, type ConcludedExperiment } from './velocity.js';

const at = (iso: string) => Date.parse(iso);

describe('experiment velocity', () => {
  it('numbers ISO weeks as the standard does', () => {
    // 2026-01-01 is a Thursday: week 1 of 2026 starts Monday 2025-12-29. 2021-01-03 (Sunday) is still 2020-W53.
    expect(isoWeek(2026, 1, 1)).toEqual({ week: '2026-W01', weekStart: '2025-12-29' });
    expect(isoWeek(2021, 1, 3)).toEqual({ week: '2020-W53', weekStart: '2020-12-28' });
    expect(isoWeek(2024, 12, 30)).toEqual({ week: '2025-W01', weekStart: '2024-12-30' });
  });

  it('counts concluded experiments per team per week with the median time to decision', () => {
    const experiments: ConcludedExperiment[] = [
      // Team ml, week of Mon 2026-03-02 (2026-W10): 3 concluded, taking 4, 10 and 7 days -> median 7.
      { id: 'a', teamId: 'ml', startedAt: at('2026-02-27T09:00:00Z'), decidedAt: at('2026-03-03T09:00:00Z'), decision: 'adopt' },
      { id: 'b', teamId: 'ml', startedAt: at('2026-02-24T12:00:00Z'), decidedAt: at('2026-03-06T12:00:00Z'), decision: 'kill' },
      { id: 'c', teamId: 'ml', startedAt: at('2026-03-01T10:00:00Z'), decidedAt: at('2026-03-08T10:00:00Z'), decision: 'kill' },
      // Team ml, 2026-W12: 2 concluded taking 2 and 5 days -> median 3.5. W11 has none.
      { id: 'd', teamId: 'ml', startedAt: at('2026-03-14T08:00:00Z'), decidedAt: at('2026-03-16T08:00:00Z'), decision: 'iterate' },
      { id: 'e', teamId: 'ml', startedAt: at('2026-03-15T08:00:00Z'), decidedAt: at('2026-03-20T08:00:00Z'), decision: 'adopt' },
      // Team search: Sunday 2026-03-15 23:30 UTC; London is on GMT until 29 March, so still Sunday, 2026-W11 (3 days).
      { id: 'f', teamId: 'search', startedAt: at('2026-03-12T23:30:00Z'), decidedAt: at('2026-03-15T23:30:00Z'), decision: 'kill' },
    ];
    const rows = experimentVelocity(experiments, 'Europe/London');
    expect(rows.map((r) => [r.teamId, r.week, r.concluded, r.medianDaysToDecision, r.experimentIds.join('')])).toEqual([
      ['ml', '2026-W10', 3, 7, 'abc'],
      ['ml', '2026-W11', 0, null, ''],
      ['ml', '2026-W12', 2, 3.5, 'de'],
      ['search', '2026-W11', 1, 3, 'f'],
      ['search', '2026-W12', 0, null, ''],
    ]);
    expect(rows[0]?.byDecision).toEqual({ adopt: 1, iterate: 0, kill: 2 });
    // In Asia/Tokyo (UTC+9) experiment c's decision (Sunday 10:00 UTC = Sunday 19:00) stays in W10, but f's
    // (Sunday 23:30 UTC = Monday 08:30) moves to W12.
    const tokyo = experimentVelocity(experiments, 'Asia/Tokyo');
    expect(tokyo.filter((r) => r.teamId === 'search' && r.concluded > 0).map((r) => r.week)).toEqual(['2026-W12']);
  });
});
