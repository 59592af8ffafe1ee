import { fromLocal, toLocal } from '../shared/time-zone.js';
import type { ReviewRow, SeriesRange } from './module.js';

const DAY_MS = 86_400_000;

/**
 * The instant a weekly review section is computed at: the end of the range's
 * last local day (midnight starting the next day in the workspace's zone), so
 * "overdue" and "stale" mean as of the end of the reviewed week.
 */
export function reviewAt(range: SeriesRange): number {
  const next = new Date(Date.parse(`${range.to}T00:00:00Z`) + DAY_MS);
  return fromLocal(
    { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: 0, minute: 0, second: 0 },
    range.timeZone,
  );
}

/** The first instant of the range (midnight starting its first local day). */
export function reviewFrom(range: SeriesRange): number {
  const [year, month, day] = range.from.split('-').map(Number) as [number, number, number];
  return fromLocal({ year, month, day, hour: 0, minute: 0, second: 0 }, range.timeZone);
}

/** An instant as its local calendar date (YYYY-MM-DD) in the zone. */
export function localDate(ms: number, timeZone: string): string {
  const l = toLocal(ms, timeZone);
  return `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
}

/** Rows each naming one thing are capped per kind so a review stays readable; the rest are counted in one row linking to the full list. */
export const REVIEW_ROWS_PER_KIND = 10;

export function capRows(rows: ReviewRow[], more: { label: string; href?: string }): ReviewRow[] {
  if (rows.length <= REVIEW_ROWS_PER_KIND) return rows;
  return [
    ...rows.slice(0, REVIEW_ROWS_PER_KIND),
    { label: more.label, value: `${rows.length - REVIEW_ROWS_PER_KIND} more`, ...(more.href ? { href: more.href } : {}) },
  ];
}

/** Each local day of a series range with its bounds: [start, end) in epoch ms, in the range's zone. */
export function rangeDays(range: SeriesRange): Array<{ date: string; start: number; end: number }> {
  const days: Array<{ date: string; start: number; end: number }> = [];
  const boundary = (ms: number) => {
    const d = new Date(ms);
    return fromLocal(
      { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: 0, minute: 0, second: 0 },
      range.timeZone,
    );
  };
  const last = Date.parse(`${range.to}T00:00:00Z`);
  for (let ms = Date.parse(`${range.from}T00:00:00Z`); ms <= last; ms += DAY_MS)
    days.push({ date: new Date(ms).toISOString().slice(0, 10), start: boundary(ms), end: boundary(ms + DAY_MS) });
  return days;
}

/** The index of the day of `days` (ascending, contiguous) containing `at`; -1 before the first, days.length after the last. */
export function dayIndex(days: ReadonlyArray<{ start: number; end: number }>, at: number): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((days[mid] as { end: number }).end <= at) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0 && days.length > 0 && at < (days[0] as { start: number }).start) return -1;
  return lo;
}
