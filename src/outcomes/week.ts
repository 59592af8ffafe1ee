import { ValidationError } from '../shared/errors.js';
import { dayOf, isCalendarDate } from './dates.js';

/** The default review week: the last completed Monday-Sunday week before `today` (ends on the Sunday). */
export function defaultWeekEnding(today: number): number {
  // Day 0 (1970-01-01) was a Thursday: (day + 3) % 7 is 0 on Mondays, 6 on Sundays.
  const weekday = (((today + 3) % 7) + 7) % 7;
  return today - weekday - 1;
}

/** A `--week`/`:week` value as a day number, or a validation error naming `field`. */
export function weekParam(text: string | undefined, field: string, today: number): number {
  if (text === undefined) return defaultWeekEnding(today);
  if (!isCalendarDate(text))
    throw new ValidationError(`Invalid ${field}`, [{ field, message: `"${text}" is not a calendar date YYYY-MM-DD` }]);
  return dayOf(text);
}

export function todayUtc(now = Date.now()): number {
  return Math.floor(now / 86_400_000);
}
