import { calendarPeriodAt } from './calendar.js';
import { floorToMinute } from './counts.js';
import { nominalMs } from './duration.js';
import type { MaintenanceWindow, SloDefinition, SloWindow } from './model.js';

/** A half-open interval of instants, [start, end). */
export type Interval = readonly [number, number];

/**
 * The SLO window at evaluation instant `end` (a minute boundary): a rolling
 * window is the last `duration` before `end`; a calendar window runs from the
 * start of the period containing `end`. `periodEnd` is when a calendar period
 * ends (for a rolling window it is `end`), `periodMs` the full period length.
 */
export function windowAt(window: SloWindow, end: number): { start: number; periodEnd: number; periodMs: number } {
  if (window.kind === 'rolling') {
    const length = nominalMs(window.duration);
    return { start: end - length, periodEnd: end, periodMs: length };
  }
  const period = calendarPeriodAt(window.startTime, window.duration, window.timeZone, end);
  const start = floorToMinute(period.start);
  const periodEnd = floorToMinute(period.end);
  return { start, periodEnd, periodMs: periodEnd - start };
}

/** The maintenance windows that apply to an SLO, as minute-aligned intervals (a started minute is excluded whole). */
export function maintenanceIntervals(definition: SloDefinition, windows: readonly MaintenanceWindow[]): Interval[] {
  return windows
    .filter((w) => w.service === definition.service && (w.slos.length === 0 || w.slos.includes(definition.name)))
    .map((w): Interval => [floorToMinute(w.start), Math.ceil(w.end / 60_000) * 60_000]);
}

/** [start, end) with the excluded intervals cut out, in order. */
export function subtractIntervals(range: Interval, excluded: readonly Interval[]): Interval[] {
  let pieces: Interval[] = [range];
  for (const [cutStart, cutEnd] of excluded) {
    pieces = pieces.flatMap(([start, end]): Interval[] => {
      if (cutEnd <= start || cutStart >= end) return [[start, end]];
      const kept: Interval[] = [];
      if (cutStart > start) kept.push([start, cutStart]);
      if (cutEnd < end) kept.push([cutEnd, end]);
      return kept;
    });
  }
  return pieces;
}

export function intervalsLength(intervals: readonly Interval[]): number {
  return intervals.reduce((sum, [start, end]) => sum + (end - start), 0);
}

export function overlaps(a: Interval, intervals: readonly Interval[]): boolean {
  return intervals.some(([start, end]) => start < a[1] && end > a[0]);
}
