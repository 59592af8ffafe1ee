import { DAY_MS, isCalendarUnit, type Duration } from './duration.js';
import { fromLocal, type LocalDateTime } from '../shared/time-zone.js';

/**
 * Calendar-aligned SLO windows. A local day is not always 24 hours: across a
 * DST change it is 23 or 25, so a calendar month is computed from local dates
 * (src/shared/time-zone.ts) and converted to instants, never as N x 24 h.
 */

/** Adds whole calendar units to a local date; a day past the month's end is clamped (31 Jan + 1M = 28/29 Feb). */
export function addCalendar(local: LocalDateTime, unit: 'd' | 'w' | 'M' | 'Q' | 'Y', count: number): LocalDateTime {
  if (unit === 'd' || unit === 'w') {
    const days = unit === 'd' ? count : count * 7;
    const shifted = new Date(Date.UTC(local.year, local.month - 1, local.day + days));
    return { ...local, year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
  }
  const months = unit === 'M' ? count : unit === 'Q' ? count * 3 : count * 12;
  const index = local.year * 12 + (local.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { ...local, year, month, day: Math.min(local.day, lastDay) };
}

/** A calendar-aligned SLO period: [start, end) as instants. */
export interface CalendarPeriod {
  start: number;
  end: number;
}

/**
 * The period of a calendar window (`duration` from `startTime` in `timeZone`,
 * repeated) that contains instant `at`. Periods are `startTime + k × duration`
 * in local calendar terms, each computed from the anchor so clamped month
 * ends do not drift (31 Jan, 29 Feb, 31 Mar, ...).
 */
export function calendarPeriodAt(anchor: LocalDateTime, duration: Duration, timeZone: string, at: number): CalendarPeriod {
  const unit = duration.unit;
  if (!(isCalendarUnit(unit) || unit === 'd' || unit === 'w')) {
    throw new RangeError(`calendar windows need a unit of d, w, M, Q or Y, not ${unit}`);
  }
  const boundary = (k: number) => fromLocal(addCalendar(anchor, unit, k * duration.count), timeZone);
  // Estimate k from the nominal length, then walk to the exact period.
  const anchorMs = fromLocal(anchor, timeZone);
  const nominal = duration.count * (unit === 'd' ? 1 : unit === 'w' ? 7 : unit === 'M' ? 30.44 : unit === 'Q' ? 91.31 : 365.25) * DAY_MS;
  let k = Math.floor((at - anchorMs) / nominal);
  while (boundary(k) > at) k--;
  while (boundary(k + 1) <= at) k++;
  return { start: boundary(k), end: boundary(k + 1) };
}

/** Parses OpenSLO's `startTime` (`2022-01-01 12:00:00`, no zone; a `T` separator is accepted too). */
export function parseLocalDateTime(text: unknown): LocalDateTime | { error: string } {
  if (text instanceof Date) text = text.toISOString().replace('Z', '');
  const match =
    typeof text === 'string' ? /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?$/.exec(text.trim()) : null;
  if (!match) return { error: 'must be a local date and time such as "2024-01-01 00:00:00" (no time zone: that goes in timeZone)' };
  const [year, month, day, hour, minute, second] = match.slice(1).map((v) => Number(v ?? 0)) as number[] as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const check = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return { error: `"${String(text)}" is not a real date and time` };
  }
  return { year, month, day, hour, minute, second };
}
