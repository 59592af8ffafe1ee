/**
 * OpenSLO's duration shorthand: a positive integer and a case-sensitive unit,
 * `m` minutes, `h` hours, `d` days, `w` weeks, `M` months, `Q` quarters, `Y`
 * years (OpenSLO v1, "duration-shorthand"). Minutes to weeks are fixed lengths;
 * months, quarters and years are calendar units whose length depends on where
 * they start, so they carry a nominal length for the places that need one
 * number (alert factors, Prometheus rules): 30, 90 and 365 days.
 */
export type DurationUnit = 'm' | 'h' | 'd' | 'w' | 'M' | 'Q' | 'Y';

export interface Duration {
  count: number;
  unit: DurationUnit;
  /** As written, e.g. `30d`, `1M`. */
  text: string;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const FIXED_UNIT_MS: Record<'m' | 'h' | 'd' | 'w', number> = { m: MINUTE_MS, h: HOUR_MS, d: DAY_MS, w: 7 * DAY_MS };
const NOMINAL_CALENDAR_UNIT_MS: Record<'M' | 'Q' | 'Y', number> = { M: 30 * DAY_MS, Q: 90 * DAY_MS, Y: 365 * DAY_MS };

const SHORTHAND = /^([1-9][0-9]{0,5})([mhdwMQY])$/;

/**
 * The longest duration accepted anywhere (SLO windows, lookbacks): 400 days,
 * so a year-long window fits with room for a leap day and calendar drift.
 * Evaluating an SLO walks its window's minutes, so without a limit one
 * definition (`999999999999d`) could make every read run for minutes.
 */
export const MAX_DURATION_DAYS = 400;

/** Parses `30d`; returns a message instead of throwing so callers can locate the field. */
export function parseDuration(text: unknown): Duration | { error: string } {
  if (typeof text !== 'string') return { error: 'must be a duration such as 5m, 1h, 28d or 1M' };
  const match = SHORTHAND.exec(text.trim());
  if (!match) {
    if (/^\d+[mhdwMQY]$/.test(text.trim()) && !text.trim().startsWith('0')) {
      return { error: `"${text.trim()}" is longer than the ${MAX_DURATION_DAYS} days Sextant evaluates (e.g. 30d, 1Q, 1Y)` };
    }
    return { error: `"${text}" is not a duration: write a positive whole number and one of m, h, d, w, M, Q, Y (e.g. 30d, 1M)` };
  }
  const duration: Duration = { count: Number(match[1]), unit: match[2] as DurationUnit, text: text.trim() };
  if (nominalMs(duration) > MAX_DURATION_DAYS * DAY_MS) {
    return { error: `"${duration.text}" is longer than the ${MAX_DURATION_DAYS} days Sextant evaluates (e.g. 30d, 1Q, 1Y)` };
  }
  return duration;
}

export function isCalendarUnit(unit: DurationUnit): unit is 'M' | 'Q' | 'Y' {
  return unit === 'M' || unit === 'Q' || unit === 'Y';
}

/** Exact length for m/h/d/w; the nominal length (30/90/365 days) for M/Q/Y. */
export function nominalMs(duration: Duration): number {
  const unit = duration.unit;
  return duration.count * (isCalendarUnit(unit) ? NOMINAL_CALENDAR_UNIT_MS[unit] : FIXED_UNIT_MS[unit]);
}

/** Formats milliseconds as the largest whole shorthand unit: 3600000 -> `1h`, 5400000 -> `90m`. */
export function formatMs(ms: number): string {
  for (const [unit, size] of [
    ['w', FIXED_UNIT_MS.w],
    ['d', DAY_MS],
    ['h', HOUR_MS],
    ['m', MINUTE_MS],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms / 1000}s`;
}

/** Prometheus range syntax has no w/M/Q/Y ambiguity concerns but no M/Q either: use days. */
export function prometheusRange(ms: number): string {
  for (const [unit, size] of [
    ['d', DAY_MS],
    ['h', HOUR_MS],
    ['m', MINUTE_MS],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${Math.round(ms / 1000)}s`;
}
