import { offsetMs } from '../shared/time-zone.js';
import { DAY_MS, HOUR_MS, type TimeWindow } from './model.js';

/**
 * Calendar days and Monday-to-Sunday weeks in an IANA time zone, as integers
 * (days since 1970-01-01 in that zone). Deploy-days are calendar days where the
 * team lives, not UTC days: a deployment at 23:30 in Berlin belongs to that day.
 */
export class ZoneCalendar {
  private readonly offsetByHour = new Map<number, number>();

  constructor(readonly timeZone: string) {}

  /** The local calendar day of an instant, as days since 1970-01-01. */
  day(instant: number): number {
    return Math.floor((instant + this.offset(instant)) / DAY_MS);
  }

  /** The instant a local calendar day starts (local midnight; 01:00 on the rare days a DST change skips midnight). */
  startOfDay(day: number): number {
    let instant = day * DAY_MS - this.offset(day * DAY_MS);
    // The offset at the guess may differ from the offset at midnight across a change: correct once.
    instant = day * DAY_MS - this.offset(instant);
    return this.day(instant) === day ? instant : instant + HOUR_MS;
  }

  /** UTC offset of the zone at an instant, in ms. Offsets change on whole hours at most, so one lookup per hour is cached. */
  private offset(instant: number): number {
    if (this.timeZone === 'UTC') return 0;
    const hour = Math.floor(instant / HOUR_MS);
    const cached = this.offsetByHour.get(hour);
    if (cached !== undefined) return cached;
    const offset = offsetMs(hour * HOUR_MS, this.timeZone);
    this.offsetByHour.set(hour, offset);
    return offset;
  }
}

/** The Monday on or before a day (1970-01-01 was a Thursday). */
export function mondayOf(day: number): number {
  return day - ((day + 3) % 7);
}

export interface DeployDaysPerWeek {
  /** Monday of each week considered, as days since 1970-01-01 in the zone. */
  weeks: number[];
  /** Distinct calendar days with at least one deployment, per week, same order as `weeks`. */
  deployDays: number[];
  /** False when the window holds no whole week and partial weeks were used. */
  wholeWeeks: boolean;
}

/**
 * Counts deploy-days in each Monday-to-Sunday week of the window. The weeks
 * are those lying wholly inside the window's calendar days; a window shorter
 * than that uses the weeks it touches (only days inside the window count).
 */
export function deployDaysPerWeek(finishTimes: readonly number[], window: TimeWindow, calendar: ZoneCalendar): DeployDaysPerWeek {
  const firstDay = calendar.day(window.from);
  const lastDay = calendar.day(window.to - 1);
  let weeks: number[] = [];
  for (let monday = mondayOf(firstDay); monday <= lastDay; monday += 7) {
    if (monday >= firstDay && monday + 6 <= lastDay) weeks.push(monday);
  }
  const wholeWeeks = weeks.length > 0;
  if (!wholeWeeks) {
    weeks = [];
    for (let monday = mondayOf(firstDay); monday <= lastDay; monday += 7) weeks.push(monday);
  }
  const days = new Set<number>();
  for (const t of finishTimes) {
    if (t >= window.from && t < window.to) days.add(calendar.day(t));
  }
  const counts = new Map<number, number>();
  for (const day of days) {
    const monday = mondayOf(day);
    counts.set(monday, (counts.get(monday) ?? 0) + 1);
  }
  return { weeks, deployDays: weeks.map((monday) => counts.get(monday) ?? 0), wholeWeeks };
}

/** Day number of the first day of the month holding `day`. */
export function firstOfMonth(day: number): number {
  const date = new Date(day * DAY_MS);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / DAY_MS;
}

/** Day number of the first day of the next month. */
export function firstOfNextMonth(day: number): number {
  const date = new Date(day * DAY_MS);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / DAY_MS;
}
