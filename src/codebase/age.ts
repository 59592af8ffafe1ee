import { byName } from './entities.js';
import type { HistoryFold } from './model.js';

/**
 * Code age (code-maat `age`, after Dan North's "short software half-life"):
 * whole months from an entity's latest change to now. Dates are author dates
 * (YYYY-MM-DD). As in code-maat, only changes dated strictly before `now`
 * count when `now` is given (`--age-time-now`); without it, now is the current
 * instant, so changes dated today count too.
 */
export interface AgeOptions {
  /** YYYY-MM-DD */
  now: string;
  /** Count changes dated `now` itself (true when now is today's date rather than a given date). */
  includeNow: boolean;
}

export interface AgeRow {
  entity: string;
  ageMonths: number;
  lastChange: string;
}

export function ageFold(options: AgeOptions): HistoryFold<AgeRow[]> {
  const latest = new Map<string, string>();
  const counts = (date: string) => date < options.now || (options.includeNow && date === options.now);
  return {
    add(commit) {
      if (!counts(commit.date)) return;
      for (const change of commit.changes) {
        const seen = latest.get(change.entity);
        if (seen === undefined || commit.date > seen) latest.set(change.entity, commit.date);
      }
    },
    result: () =>
      [...latest]
        .map(([entity, lastChange]) => ({ entity, ageMonths: monthsBetween(lastChange, options.now), lastChange }))
        .sort((a, b) => a.ageMonths - b.ageMonths || byName(a.entity, b.entity)),
  };
}

/**
 * Whole calendar months from `start` to `end` (YYYY-MM-DD): the largest n with
 * start + n months <= end, where adding months clamps the day to the target
 * month's length (Jan 31 + 1 month = Feb 28). This is Joda-Time's
 * monthsBetween, which code-maat uses.
 */
export function monthsBetween(start: string, end: string): number {
  const [y1, m1, d1] = parseDate(start);
  const [y2, m2] = parseDate(end);
  let months = (y2 - y1) * 12 + (m2 - m1);
  const step = months >= 0 ? -1 : 1;
  while (months !== 0 && (months > 0 ? addMonths(y1, m1, d1, months) > end : addMonths(y1, m1, d1, months) < end)) months += step;
  return months;
}

function addMonths(year: number, month: number, day: number, months: number): string {
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  const d = Math.min(day, daysInMonth(y, m));
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parseDate(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return [y, m, d];
}
