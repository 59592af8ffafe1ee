/**
 * Calendar dates as `YYYY-MM-DD` strings (in the workspace's IANA zone: a
 * metric's day is a local day, so no instant arithmetic is involved) and as
 * day numbers (days since 1970-01-01), which the store keeps and the
 * computations index by.
 */
const DAY_MS = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day number of a calendar date, or null when the text is not one (2023-02-29, 2024-13-01, 24-1-1). */
export function parseDay(text: string): number | null {
  const match = DATE_PATTERN.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return ms / DAY_MS;
}

export function isCalendarDate(text: string): boolean {
  return parseDay(text) !== null;
}

/** Like parseDay for text already validated. */
export function dayOf(text: string): number {
  const day = parseDay(text);
  if (day === null) throw new RangeError(`not a calendar date: ${text}`);
  return day;
}

export function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export interface YearMonthDay {
  year: number;
  month: number; // 1-12
  day: number;
}

export function partsOf(day: number): YearMonthDay {
  const date = new Date(day * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function dayFromParts(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The same calendar date one year earlier; 29 February maps to 28 February. */
export function sameDateYearBefore(day: number): number {
  const { year, month, day: dom } = partsOf(day);
  return dayFromParts(year - 1, month, Math.min(dom, daysInMonth(year - 1, month)));
}

/** The first day of the month holding `day`. */
export function monthStart(day: number): number {
  const { year, month } = partsOf(day);
  return dayFromParts(year, month, 1);
}

export function quarterStart(day: number): number {
  const { year, month } = partsOf(day);
  return dayFromParts(year, month - ((month - 1) % 3), 1);
}

export function yearStart(day: number): number {
  return dayFromParts(partsOf(day).year, 1, 1);
}

/** The last day of the month holding `day`. */
export function monthEnd(day: number): number {
  const { year, month } = partsOf(day);
  return dayFromParts(year, month, daysInMonth(year, month));
}

/** The first day of the month `offset` months from the month holding `day`. */
export function addMonths(day: number, offset: number): number {
  const { year, month } = partsOf(day);
  return dayFromParts(year, month + offset, 1);
}
