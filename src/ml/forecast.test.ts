import { describe, expect, it } from 'vitest';
import { ValidationError } from '../shared/errors.js';
import { DAY_MS, parseDay } from './days.js';
import { forecast, NOT_COMMITTABLE } from './forecast.js';

/**
 * The independent method: the exact distribution of a sum of independent
 * uniforms, computed numerically in this test by convolving the densities on
 * a 0.01-day grid (no sampling), and its quantiles read off the cumulative
 * sum. The Monte Carlo's 10,000 seeded draws must land within 1% of them.
 */
function exactQuantiles(ranges: Array<[number, number]>, ps: number[]): number[] {
  const step = 0.01;
  let density = [1]; // a point mass at 0, as probability per grid cell
  let offset = 0;
  for (const [min, max] of ranges) {
    const cells = Math.round((max - min) / step);
    const uniform = new Array<number>(cells).fill(1 / cells);
    const next = new Array<number>(density.length + cells - 1).fill(0);
    for (let i = 0; i < density.length; i++) {
      const di = density[i] as number;
      if (di === 0) continue;
      for (let j = 0; j < cells; j++) next[i + j] = (next[i + j] as number) + di * (uniform[j] as number);
    }
    density = next;
    offset += min;
  }
  return ps.map((p) => {
    let cumulative = 0;
    for (let i = 0; i < density.length; i++) {
      const before = cumulative;
      cumulative += density[i] as number;
      // Cell i spans [offset + i·step, offset + (i+1)·step]: interpolate inside it.
      if (cumulative >= p) return offset + (i + (p - before) / (density[i] as number)) * step;
    }
    return offset + density.length * step;
  });
}

const at = parseDay('2026-01-05') as number;
const days = (date: string) => ((parseDay(date) as number) - at) / DAY_MS;

describe('forecast', () => {
  it('matches the exact sum-of-uniforms quantiles within 1% for three planned phases', () => {
    const ranges: Array<[number, number]> = [
      [7, 14],
      [14, 28],
      [28, 56],
    ];
    const result = forecast({
      at,
      seed: 42,
      phases: ranges.map(([min, max], i) => ({ name: `phase-${i + 1}`, min, max })),
    });
    const [p50, p90] = exactQuantiles(ranges, [0.5, 0.9]) as [number, number];
    // Sanity of the independent method: the sum's median is the sum of the midpoints (symmetric distribution) = 73.5.
    expect(p50).toBeCloseTo(73.5, 1);
    // Dates are whole days rounded up, so the Monte Carlo's day count is within 1% of the exact quantile, plus at most the rounding day.
    expect(Math.abs(days(result.p50) - p50)).toBeLessThanOrEqual(0.01 * p50 + 1);
    expect(Math.abs(days(result.p90) - p90)).toBeLessThanOrEqual(0.01 * p90 + 1);
    expect(Math.abs(result.p50Days - p50) / p50).toBeLessThan(0.01);
    expect(Math.abs(result.p90Days - p90) / p90).toBeLessThan(0.01);
    expect(days(result.p50)).toBe(Math.ceil(p50)); // 73.5 -> day 74: the MC median is well inside (73, 74]
    expect(result.draws).toBe(10_000);
    // Each phase's own P50 is the quantile of the partial sums.
    const [first] = exactQuantiles([ranges[0] as [number, number]], [0.5]) as [number];
    expect(days(result.phases[0]?.p50 as string)).toBe(Math.ceil(first)); // 10.5 -> 11
    const [two] = exactQuantiles(ranges.slice(0, 2), [0.9]) as [number];
    expect(Math.abs(days(result.phases[1]?.p90 as string) - two)).toBeLessThanOrEqual(0.01 * two + 1);
  });

  it('keeps the unrounded P50/P90 within 1% of the exact quantiles for five seeds', () => {
    // Across seeds 1..5 the P90 day count stays within 1% (+ the rounding day) of the exact 0.9 quantile.
    const ranges: Array<[number, number]> = [
      [10, 20],
      [20, 40],
    ];
    const [p90] = exactQuantiles(ranges, [0.9]) as [number];
    // Hand check: the sum of U(10,20)+U(20,40) is a trapezoid on [30,60]; its top 10% lies in the falling triangle [50,60]
    // with area (60-x)^2/(2·10·20) = 0.1 -> x = 60 - sqrt(40) = 53.675.
    expect(p90).toBeCloseTo(60 - Math.sqrt(40), 1);
    for (let seed = 1; seed <= 5; seed++) {
      const result = forecast({ at, seed, phases: ranges.map(([min, max], i) => ({ name: `p${i}`, min, max })) });
      expect(Math.abs(result.p90Days - p90) / p90).toBeLessThan(0.01);
      expect(Math.abs(result.p50Days - 45) / 45).toBeLessThan(0.01); // symmetric: median = 15 + 30
      expect(days(result.p90)).toBe(Math.ceil(result.p90Days));
    }
  });

  it('conditions the active phase on its elapsed days and keeps done phases at their actual end', () => {
    // Data assessment done; POC (14-28 days) started 19 days ago: the rest is U(19,28) - 19 = U(0,9).
    const result = forecast({
      at,
      seed: 7,
      phases: [
        { name: 'data-assessment', min: 7, max: 14, start: at - 30 * DAY_MS, end: at - 20 * DAY_MS },
        { name: 'poc', min: 14, max: 28, start: at - 19 * DAY_MS },
        { name: 'go-no-go', min: 3, max: 10 },
      ],
    });
    expect(result.phases.map((p) => p.status)).toEqual(['done', 'active', 'planned']);
    expect(result.phases[0]?.p50).toBe('2025-12-16');
    const [poc50] = exactQuantiles([[0, 9]], [0.5]) as [number];
    expect(days(result.phases[1]?.p50 as string)).toBe(Math.ceil(poc50)); // 4.5 days -> 5
    const [end90] = exactQuantiles(
      [
        [0, 9],
        [3, 10],
      ],
      [0.9],
    ) as [number];
    expect(Math.abs(days(result.p90) - end90)).toBeLessThanOrEqual(0.01 * end90 + 1);
  });

  it('labels phases 4-5 not committable before go, committable after', () => {
    const phases = [
      { name: 'data-assessment', min: 7, max: 14 },
      { name: 'poc', min: 14, max: 28 },
      { name: 'go-no-go', min: 3, max: 10 },
      { name: 'productionisation', min: 28, max: 56 },
      { name: 'iteration', min: 14, max: 28 },
    ];
    const before = forecast({ at, phases });
    expect(before.committable).toBe(false);
    expect(before.label).toBe(NOT_COMMITTABLE);
    expect(before.phases.map((p) => p.committable)).toEqual([true, true, true, false, false]);
    expect(before.phases[3]?.label).toBe('not committable until go/no-go');
    const after = forecast({ at, go: at, phases });
    expect(after.committable).toBe(true);
    expect(after.phases.every((p) => p.committable && p.label === null)).toBe(true);
  });

  it('draws from past actual durations once three projects give them', () => {
    const result = forecast({ at, phases: [{ name: 'poc', min: 14, max: 28, history: [30, 30, 30] }] });
    expect(result.method).toBe('history');
    expect(days(result.p50)).toBe(30);
    const two = forecast({ at, phases: [{ name: 'poc', min: 14, max: 28, history: [30, 30] }] });
    expect(two.method).toBe('range');
  });

  it('refuses min > max and phases out of order, naming the field', () => {
    const attempt = () =>
      forecast({
        at,
        phases: [
          { name: 'a', min: 10, max: 5 },
          { name: 'b', min: 1, max: 2, start: at - DAY_MS },
        ],
      });
    expect(attempt).toThrow(ValidationError);
    try {
      attempt();
    } catch (error) {
      expect((error as ValidationError).issues.map((i) => i.field)).toEqual(['phases[0].min', 'phases[1].start']);
    }
  });
});
