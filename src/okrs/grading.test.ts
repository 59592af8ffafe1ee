import { describe, expect, it } from 'vitest';
import { dateToInstant, gradeObjectives } from './grade-report.js';
import { band, expectedProgress, isFlagged, metricProgress, milestoneProgress, periodDays, weightedMean } from './grading.js';

const Q = { start: '2026-10-01', end: '2026-12-29' }; // 90 days counting both ends (31 + 30 + 29)
const at = (date: string) => dateToInstant(date);

describe('key result progress', () => {
  it('is the clamped linear scale for an increasing target', () => {
    // start 100, target 200: 150 is half way; 80 is before the start (0); 260 beyond the target (1).
    expect(metricProgress(150, 100, 200)).toBe(0.5);
    expect(metricProgress(80, 100, 200)).toBe(0);
    expect(metricProgress(260, 100, 200)).toBe(1);
    expect(metricProgress(null, 100, 200)).toBe(0);
  });

  it('is the same formula for a decreasing target', () => {
    // Lead time from 40 h down to 10 h: 32.5 h is (32.5 - 40) / (10 - 40) = 0.25; 45 h is worse than the start (0); 8 h beats the target (1).
    expect(metricProgress(32.5, 40, 10)).toBe(0.25);
    expect(metricProgress(45, 40, 10)).toBe(0);
    expect(metricProgress(8, 40, 10)).toBe(1);
  });

  it('takes a milestone zone on Google scale by default', () => {
    expect([milestoneProgress('fail'), milestoneProgress('commit'), milestoneProgress('target'), milestoneProgress('stretch')]).toEqual([
      0, 0.3, 0.7, 1,
    ]);
    expect(milestoneProgress('commit', { fail: 0, commit: 0.5, target: 0.8, stretch: 1 })).toBe(0.5);
  });

  it('refuses a target equal to its start', () => {
    expect(() => metricProgress(5, 3, 3)).toThrow(RangeError);
  });
});

describe('scores, bands and expected progress', () => {
  it('weights the mean and bands it as Google grades', () => {
    // (0.5 x 1 + 1 x 3) / 4 = 0.875
    expect(
      weightedMean([
        { value: 0.5, weight: 1 },
        { value: 1, weight: 3 },
      ]),
    ).toBe(0.875);
    expect([band(0), band(0.39), band(0.4), band(0.69), band(0.7), band(1)]).toEqual(['red', 'red', 'yellow', 'yellow', 'green', 'green']);
  });

  it('counts whole days over the period length including both ends', () => {
    expect(periodDays(Q)).toBe(90);
    // 2026-11-15 is 45 whole days after 2026-10-01 (30 in October + 15): 45 / 90 = 0.5, also at 23:59 that day.
    expect(expectedProgress(Q, at('2026-11-15'))).toBe(0.5);
    expect(expectedProgress(Q, Date.parse('2026-11-15T23:59:00Z'))).toBe(0.5);
    expect(expectedProgress(Q, at('2026-09-01'))).toBe(0);
    expect(expectedProgress(Q, at('2027-02-01'))).toBe(1);
  });

  it('flags a committed objective that ends its period below 1.0, and only then', () => {
    expect(isFlagged('committed', 0.9, Q, at('2026-12-29'))).toBe(false); // the last day is still in the period
    expect(isFlagged('committed', 0.9, Q, at('2026-12-30'))).toBe(true);
    expect(isFlagged('committed', 1, Q, at('2026-12-30'))).toBe(false);
    expect(isFlagged('aspirational', 0.7, Q, at('2026-12-30'))).toBe(false);
  });
});

describe('gradeObjectives', () => {
  it('grades a worked quarter: current values, behind key results, weighted objective and roll-up', () => {
    const report = gradeObjectives(
      Q,
      [
        {
          id: 'o1',
          title: 'Faster delivery',
          kind: 'committed',
          weight: 2,
          keyResults: [
            // Latest value on or before Nov 15 is 30 (Nov 1): (30 - 20) / (60 - 20) = 0.25 < 0.5 - 0.1: behind.
            {
              id: 'kr1',
              weight: 1,
              start: 20,
              target: 60,
              values: [
                { at: at('2026-10-15'), value: 25 },
                { at: at('2026-11-01'), value: 30 },
                { at: at('2026-11-20'), value: 55 },
              ],
            },
            // Decreasing: 40 -> 10, at 19 on Nov 10: (19 - 40) / (10 - 40) = 0.7: ahead.
            { id: 'kr2', weight: 3, start: 40, target: 10, values: [{ at: at('2026-11-10'), value: 19 }] },
          ],
        },
        { id: 'o2', title: 'Ship the SDK', kind: 'aspirational', weight: 1, keyResults: [{ id: 'kr3', weight: 1, zone: 'commit' }] },
      ],
      at('2026-11-15'),
    );
    expect(report.expectedProgress).toBe(0.5);
    const [o1, o2] = report.objectives;
    expect(o1?.keyResults.map((kr) => [kr.id, kr.current, kr.progress, kr.behind])).toEqual([
      ['kr1', 30, 0.25, true],
      ['kr2', 19, 0.7, false],
    ]);
    // o1: (0.25 x 1 + 0.7 x 3) / 4 = 2.35 / 4 = 0.5875 -> yellow; o2: commit zone 0.3 -> red, behind (0.3 < 0.4).
    expect(o1?.score).toBeCloseTo(0.5875, 12);
    expect(o1?.band).toBe('yellow');
    expect(o2?.score).toBe(0.3);
    expect(o2?.keyResults[0]?.behind).toBe(true);
    // Roll-up: (0.5875 x 2 + 0.3 x 1) / 3 = 1.475 / 3.
    expect(report.score).toBeCloseTo(1.475 / 3, 12);
    expect(o1?.flagged).toBe(false);
  });
});
