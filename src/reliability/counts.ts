import { DAY_MS, HOUR_MS, MINUTE_MS } from './duration.js';
import type { Counts } from './model.js';

/**
 * Where the computations read good/total counts from. Samples are per
 * minute: a sample stamped t covers [t, t + 1 min). Every range is
 * [start, end) on minute boundaries; minutes without a sample count as zero
 * events. Two implementations: a dense in-memory series (files, tests) and a
 * tiered one over day/hour roll-ups with minute detail (the store).
 */
export interface CountsSource {
  sum(start: number, end: number): Counts;
  /**
   * Optional fast path for time-slice methods: the judged slices wholly inside
   * [start, end) and how many were bad (see budget.ts `measure`). Sources that
   * can answer in O(1) from precomputed slices implement it.
   */
  sliceTally?(start: number, end: number, slicing: SliceRule): { units: number; bad: number };
}

/** How slices are judged: length, method, and for Timeslices the good-ratio test. */
export interface SliceRule {
  sliceMs: number;
  method: 'Timeslices' | 'RatioTimeslices';
  /** Whether a slice with events is good (Timeslices). */
  isGood(good: number, total: number): boolean;
  /** Identifies the rule for caching. */
  key: string;
}

export const ZERO: Counts = Object.freeze({ good: 0, total: 0 });

export function addCounts(a: Counts, b: Counts): Counts {
  return { good: a.good + b.good, total: a.total + b.total };
}

export function floorToMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/** One minute's sample. */
export interface MinuteSample {
  /** Start of the minute, epoch ms. */
  minute: number;
  good: number;
  total: number;
}

/**
 * A dense per-minute series with prefix sums, so any range sum is two
 * subtractions: O(1) per burn-rate window however long.
 */
export class MinuteSeries implements CountsSource {
  private readonly start: number;
  private readonly prefixGood: Float64Array;
  private readonly prefixTotal: Float64Array;

  /** Samples in any order; two samples for one minute are an error for the caller to prevent. */
  constructor(samples: readonly MinuteSample[]) {
    let first = Infinity;
    let last = -Infinity;
    for (const sample of samples) {
      if (sample.minute < first) first = sample.minute;
      if (sample.minute > last) last = sample.minute;
    }
    this.start = samples.length === 0 ? 0 : first;
    const length = samples.length === 0 ? 0 : (last - first) / MINUTE_MS + 1;
    const good = new Float64Array(length);
    const total = new Float64Array(length);
    for (const sample of samples) {
      const index = (sample.minute - this.start) / MINUTE_MS;
      good[index] = (good[index] as number) + sample.good;
      total[index] = (total[index] as number) + sample.total;
    }
    this.prefixGood = new Float64Array(length + 1);
    this.prefixTotal = new Float64Array(length + 1);
    for (let i = 0; i < length; i++) {
      this.prefixGood[i + 1] = (this.prefixGood[i] as number) + (good[i] as number);
      this.prefixTotal[i + 1] = (this.prefixTotal[i] as number) + (total[i] as number);
    }
  }

  private readonly slicePrefixes = new Map<string, { first: number; units: Float64Array; bad: Float64Array }>();

  /**
   * Judges every slice of the series once per rule and keeps prefix sums of
   * units and bad slices, so any span costs two subtractions: replaying a
   * month of alert history over one-minute slices stays linear.
   */
  sliceTally(start: number, end: number, rule: SliceRule): { units: number; bad: number } {
    const len = rule.sliceMs;
    let prefix = this.slicePrefixes.get(rule.key);
    if (!prefix) {
      const length = this.prefixGood.length - 1;
      const first = Math.floor(this.start / len);
      const last = Math.ceil((this.start + length * MINUTE_MS) / len);
      const units = new Float64Array(last - first + 1);
      const bad = new Float64Array(last - first + 1);
      for (let k = first; k < last; k++) {
        const counts = this.sum(k * len, (k + 1) * len);
        const i = k - first;
        let unit = rule.method === 'Timeslices' ? 1 : 0;
        let shortfall = 0;
        if (counts.total > 0) {
          unit = 1;
          shortfall = rule.method === 'Timeslices' ? (rule.isGood(counts.good, counts.total) ? 0 : 1) : 1 - counts.good / counts.total;
        }
        units[i + 1] = (units[i] as number) + unit;
        bad[i + 1] = (bad[i] as number) + shortfall;
      }
      prefix = { first, units, bad };
      this.slicePrefixes.set(rule.key, prefix);
    }
    const from = Math.ceil(start / len);
    const to = Math.floor(end / len);
    if (to <= from) return { units: 0, bad: 0 };
    // Slices outside the series hold no events: good slices for Timeslices, not judged for RatioTimeslices.
    const count = prefix.units.length - 1;
    const index = (k: number) => clamp(k - prefix.first, 0, count);
    const inside = {
      units: (prefix.units[index(to)] as number) - (prefix.units[index(from)] as number),
      bad: (prefix.bad[index(to)] as number) - (prefix.bad[index(from)] as number),
    };
    if (rule.method === 'Timeslices') inside.units = to - from;
    return inside;
  }

  sum(start: number, end: number): Counts {
    const length = this.prefixGood.length - 1;
    const from = clamp(Math.ceil((start - this.start) / MINUTE_MS), 0, length);
    const to = clamp(Math.ceil((end - this.start) / MINUTE_MS), 0, length);
    if (to <= from) return ZERO;
    return {
      good: (this.prefixGood[to] as number) - (this.prefixGood[from] as number),
      total: (this.prefixTotal[to] as number) - (this.prefixTotal[from] as number),
    };
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** An hour's per-minute detail: 60 good and 60 total values. */
export interface HourDetail {
  good: Float64Array;
  total: Float64Array;
}

/** Which buckets a set of ranges reads: whole UTC days, whole hours, and hours read minute by minute. */
export interface BucketPlan {
  days: Set<number>;
  hours: Set<number>;
  minuteHours: Set<number>;
}

/**
 * Splits [start, end) into whole UTC days, whole hours and single minutes,
 * largest first: a 30-day window costs ~30 day rows, up to 46 hour rows and
 * up to 118 minutes, however many samples it covers.
 */
export function decompose(start: number, end: number, visit: (kind: 'day' | 'hour' | 'minute', bucketStart: number) => void): void {
  let t = start;
  while (t < end) {
    if (t % DAY_MS === 0 && t + DAY_MS <= end) {
      visit('day', t);
      t += DAY_MS;
    } else if (t % HOUR_MS === 0 && t + HOUR_MS <= end) {
      visit('hour', t);
      t += HOUR_MS;
    } else {
      visit('minute', t);
      t += MINUTE_MS;
    }
  }
}

export function planBuckets(
  ranges: ReadonlyArray<readonly [number, number]>,
  plan: BucketPlan = { days: new Set(), hours: new Set(), minuteHours: new Set() },
): BucketPlan {
  for (const [start, end] of ranges) {
    decompose(start, end, (kind, bucket) => {
      if (kind === 'day') plan.days.add(bucket);
      else if (kind === 'hour') plan.hours.add(bucket);
      else plan.minuteHours.add(bucket - (bucket % HOUR_MS));
    });
  }
  return plan;
}

/**
 * Range sums from roll-ups: day totals, hour totals and per-minute detail of
 * the hours a range only partly covers. A bucket missing from the maps holds
 * no events, so the maps must contain every bucket `planBuckets` names for
 * the ranges that will be asked.
 */
export class TieredCounts implements CountsSource {
  constructor(
    private readonly days: ReadonlyMap<number, Counts>,
    private readonly hours: ReadonlyMap<number, Counts>,
    private readonly minuteDetail: ReadonlyMap<number, HourDetail>,
  ) {}

  /**
   * Judges each whole slice of [start, end) as `measure` would by summing it,
   * without a range walk per slice: slices shorter than an hour read the
   * minute detail directly (in the same order, so the sums are identical). A
   * 1-minute-slice SLO over 4 weeks judges ~40,000 slices per window.
   */
  sliceTally(start: number, end: number, rule: SliceRule): { units: number; bad: number } {
    const len = rule.sliceMs;
    const direct = len < HOUR_MS && len % MINUTE_MS === 0;
    let units = 0;
    let bad = 0;
    let hourKey = NaN;
    let detail: HourDetail | undefined;
    for (let sliceStart = Math.ceil(start / len) * len; sliceStart + len <= end; sliceStart += len) {
      let good = 0;
      let total = 0;
      if (direct) {
        for (let t = sliceStart; t < sliceStart + len; t += MINUTE_MS) {
          const hour = t - (t % HOUR_MS);
          if (hour !== hourKey) {
            hourKey = hour;
            detail = this.minuteDetail.get(hour);
          }
          if (!detail) continue;
          const index = (t - hour) / MINUTE_MS;
          good += detail.good[index] as number;
          total += detail.total[index] as number;
        }
      } else {
        ({ good, total } = this.sum(sliceStart, sliceStart + len));
      }
      if (rule.method === 'Timeslices') {
        units++;
        if (total > 0 && !rule.isGood(good, total)) bad++;
      } else if (total > 0) {
        units++;
        bad += 1 - good / total;
      }
    }
    return { units, bad };
  }

  sum(start: number, end: number): Counts {
    let good = 0;
    let total = 0;
    decompose(start, end, (kind, bucket) => {
      if (kind === 'minute') {
        const hour = bucket - (bucket % HOUR_MS);
        const detail = this.minuteDetail.get(hour);
        if (!detail) return;
        const index = (bucket - hour) / MINUTE_MS;
        good += detail.good[index] as number;
        total += detail.total[index] as number;
        return;
      }
      const counts = (kind === 'day' ? this.days : this.hours).get(bucket);
      if (counts) {
        good += counts.good;
        total += counts.total;
      }
    });
    return { good, total };
  }
}

/** Rolls minute samples up into hour details, hour sums and UTC-day sums (the store's layout, in memory). */
export function rollUp(samples: readonly MinuteSample[]): {
  days: Map<number, Counts>;
  hours: Map<number, Counts>;
  minuteDetail: Map<number, HourDetail>;
} {
  const minuteDetail = new Map<number, HourDetail>();
  const hours = new Map<number, Counts>();
  const days = new Map<number, Counts>();
  for (const sample of samples) {
    const hour = sample.minute - (sample.minute % HOUR_MS);
    const day = sample.minute - (sample.minute % DAY_MS);
    let detail = minuteDetail.get(hour);
    if (!detail) minuteDetail.set(hour, (detail = { good: new Float64Array(60), total: new Float64Array(60) }));
    const index = (sample.minute - hour) / MINUTE_MS;
    detail.good[index] = (detail.good[index] as number) + sample.good;
    detail.total[index] = (detail.total[index] as number) + sample.total;
    hours.set(hour, addCounts(hours.get(hour) ?? ZERO, sample));
    days.set(day, addCounts(days.get(day) ?? ZERO, sample));
  }
  return { days, hours, minuteDetail };
}
