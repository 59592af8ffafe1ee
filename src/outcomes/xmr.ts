/**
 * Process-behaviour charts (XmR, Wheeler, "Understanding Variation"): an
 * individuals chart with its moving ranges. The limits come from a baseline
 * (the first N points from a start index); every point is tested against them
 * with the three detection rules Wheeler recommends.
 */

/** Wheeler's scaling constants for n = 2 moving ranges: 3 / d2 (d2 = 1.128) and D4. */
export const NATURAL_PROCESS_LIMIT_FACTOR = 2.66;
export const UPPER_RANGE_LIMIT_FACTOR = 3.268;
export const DEFAULT_BASELINE_POINTS = 12;
const RULE_2_WINDOW = 4;
const RULE_2_HITS = 3;
const RULE_3_RUN = 8;

export type XmrRule = 1 | 2 | 3;

export interface XmrSignal {
  /** 0-based position in the series. */
  index: number;
  rule: XmrRule;
  direction: 'high' | 'low';
}

export interface XmrLimits {
  centreLine: number;
  averageMovingRange: number;
  lowerLimit: number;
  upperLimit: number;
  upperRangeLimit: number;
  /** Fewer baseline points than asked for: trial limits, to be revised as data comes in. */
  trial: boolean;
  /** Where the baseline starts (index) and how many points it holds. */
  baselineStart: number;
  baselinePoints: number;
}

export interface XmrResult extends XmrLimits {
  /** |x[i] - x[i-1]|; null for the first point. */
  movingRanges: Array<number | null>;
  /** Ordered by index, then rule. */
  signals: XmrSignal[];
}

export interface XmrOptions {
  /** Baseline length N (default 12). */
  baseline?: number;
  /** Index the baseline starts at (default 0): recompute limits after a real change. */
  baselineStart?: number;
}

/** Limits from `baseline` points starting at `baselineStart`; null when fewer than two points are available. */
export function xmrLimits(values: readonly number[], options: XmrOptions = {}): XmrLimits | null {
  const wanted = options.baseline ?? DEFAULT_BASELINE_POINTS;
  const start = Math.max(0, Math.min(options.baselineStart ?? 0, values.length));
  const baseline = values.slice(start, start + wanted);
  if (baseline.length < 2) return null;
  const centreLine = mean(baseline);
  let rangeSum = 0;
  for (let i = 1; i < baseline.length; i++) rangeSum += Math.abs((baseline[i] as number) - (baseline[i - 1] as number));
  const averageMovingRange = rangeSum / (baseline.length - 1);
  const spread = NATURAL_PROCESS_LIMIT_FACTOR * averageMovingRange;
  return {
    centreLine,
    averageMovingRange,
    lowerLimit: centreLine - spread,
    upperLimit: centreLine + spread,
    upperRangeLimit: UPPER_RANGE_LIMIT_FACTOR * averageMovingRange,
    trial: baseline.length < wanted,
    baselineStart: start,
    baselinePoints: baseline.length,
  };
}

/**
 * The chart and its signals. Rule 1: a point beyond a natural process limit,
 * or a moving range above the upper range limit (reported at the later point,
 * in the direction the series moved). Rule 2: three of four consecutive points
 * closer to the same limit than to the centre line (beyond the midline halfway
 * between them); every such point of a qualifying window is reported. Rule 3:
 * eight or more consecutive points on one side of the centre line (a point on
 * the line ends the run); every point of the run is reported. A point firing
 * several rules is listed once per rule.
 */
export function xmr(values: readonly number[], options: XmrOptions = {}): XmrResult | null {
  const limits = xmrLimits(values, options);
  if (!limits) return null;
  const movingRanges = values.map((value, i) => (i === 0 ? null : Math.abs(value - (values[i - 1] as number))));
  const found = new Map<string, XmrSignal>();
  const add = (index: number, rule: XmrRule, direction: 'high' | 'low') => {
    const key = `${index}:${rule}`;
    if (!found.has(key)) found.set(key, { index, rule, direction });
  };
  const { centreLine, lowerLimit, upperLimit, upperRangeLimit } = limits;

  values.forEach((value, i) => {
    if (value > upperLimit) add(i, 1, 'high');
    else if (value < lowerLimit) add(i, 1, 'low');
    const range = movingRanges[i];
    if (range !== null && range !== undefined && range > upperRangeLimit) add(i, 1, value > (values[i - 1] as number) ? 'high' : 'low');
  });

  const upperMid = (centreLine + upperLimit) / 2;
  const lowerMid = (centreLine + lowerLimit) / 2;
  for (let end = RULE_2_WINDOW - 1; end < values.length; end++) {
    const window = values.slice(end - RULE_2_WINDOW + 1, end + 1);
    for (const [side, beyond] of [
      ['high', (v: number) => v > upperMid],
      ['low', (v: number) => v < lowerMid],
    ] as const) {
      if (window.filter(beyond).length >= RULE_2_HITS) {
        window.forEach((v, k) => beyond(v) && add(end - RULE_2_WINDOW + 1 + k, 2, side));
      }
    }
  }

  let runStart = 0;
  const sideOf = (v: number) => (v > centreLine ? 1 : v < centreLine ? -1 : 0);
  for (let i = 1; i <= values.length; i++) {
    const side = sideOf(values[runStart] as number);
    if (i < values.length && side !== 0 && sideOf(values[i] as number) === side) continue;
    if (side !== 0 && i - runStart >= RULE_3_RUN) {
      for (let k = runStart; k < i; k++) add(k, 3, side > 0 ? 'high' : 'low');
    }
    runStart = i;
  }

  const signals = [...found.values()].sort((a, b) => a.index - b.index || a.rule - b.rule);
  return { ...limits, movingRanges, signals };
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
