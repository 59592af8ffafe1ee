import { ValidationError } from '../shared/errors.js';
import type { PeriodDates } from './grading.js';

/** A named period: `2026-Q4`, or a custom one from sextant.yaml. */
export interface Period extends PeriodDates {
  id: string;
}

export interface PeriodSettings {
  /** First month of quarter 1, 1-12 (1: calendar quarters; 4: a fiscal year from April). */
  quarterStartMonth: number;
  custom: readonly Period[];
}

export const DEFAULT_PERIOD_SETTINGS: PeriodSettings = { quarterStartMonth: 1, custom: [] };

const QUARTER = /^(\d{4})-Q([1-4])$/;

/**
 * `YYYY-Qn` is quarter n of the year that starts in `quarterStartMonth` of
 * YYYY (with April: 2026-Q1 is April to June 2026, 2026-Q4 January to March
 * 2027). Custom periods are looked up by id.
 */
export function resolvePeriod(id: string, settings: PeriodSettings = DEFAULT_PERIOD_SETTINGS, field = 'period'): Period {
  const custom = settings.custom.find((p) => p.id === id);
  if (custom) return custom;
  const match = QUARTER.exec(id);
  if (!match) {
    const known = settings.custom.map((p) => p.id);
    throw new ValidationError('Unknown period', [
      { field, message: `"${id}" is neither a quarter such as 2026-Q4 nor a custom period${known.length ? ` (${known.join(', ')})` : ''}` },
    ]);
  }
  const year = Number(match[1]);
  const quarter = Number(match[2]);
  const firstMonth = settings.quarterStartMonth - 1 + (quarter - 1) * 3; // 0-based, may pass December
  const start = new Date(Date.UTC(year, firstMonth, 1));
  const end = new Date(Date.UTC(year, firstMonth + 3, 0)); // day 0 of the next month: the last day of this one
  return { id, start: start.toISOString().slice(0, 10), end: end.toISOString().slice(0, 10) };
}

/** The quarter that contains the instant (UTC calendar). */
export function quarterAt(at: number, settings: PeriodSettings = DEFAULT_PERIOD_SETTINGS): Period {
  const date = new Date(at);
  const monthsIntoYear = (date.getUTCMonth() - (settings.quarterStartMonth - 1) + 12) % 12;
  const fiscalYear = date.getUTCMonth() >= settings.quarterStartMonth - 1 ? date.getUTCFullYear() : date.getUTCFullYear() - 1;
  return resolvePeriod(`${fiscalYear}-Q${Math.floor(monthsIntoYear / 3) + 1}`, settings);
}
