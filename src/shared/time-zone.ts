import { z } from 'zod';
const DAY_MS = 86_400_000;

/**
 * Wall-clock arithmetic in an IANA time zone: calendar-aligned SLO windows
 * ("every month from the 1st, 00:00 Europe/London"), deploy-days and weeks
 * where a team lives, the workspace's time zone. A local day is not always
 * 24 hours: across a DST change it is 23 or 25, so a calendar month is
 * computed from local dates and converted to instants, never as N × 24 h.
 */
export interface LocalDateTime {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isTimeZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock reading in `timeZone` at instant `ms`. */
export function toLocal(ms: number, timeZone: string): LocalDateTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year as number,
    month: parts.month as number,
    day: parts.day as number,
    hour: parts.hour as number,
    minute: parts.minute as number,
    second: parts.second as number,
  };
}

/** How far the zone's wall clock is ahead of UTC at instant `ms`. */
export function offsetMs(ms: number, timeZone: string): number {
  const local = toLocal(ms, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * The instant at which `timeZone`'s clock shows `local`. A time skipped by a
 * spring-forward change resolves to the instant after the gap (01:30 on the
 * change day in London becomes 02:30 BST); a time repeated by a fall-back
 * change resolves to its first occurrence.
 */
export function fromLocal(local: LocalDateTime, timeZone: string): number {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  // Try the offsets in force a day either side: one of them is the answer.
  const candidates = [...new Set([offsetMs(wall - DAY_MS, timeZone), offsetMs(wall + DAY_MS, timeZone)])]
    .map((offset) => wall - offset)
    .filter((ms) => sameWallClock(toLocal(ms, timeZone), local))
    .sort((a, b) => a - b);
  if (candidates.length > 0) return candidates[0] as number;
  // In a gap: no instant shows this time; use the offset from before the change.
  return wall - offsetMs(wall - DAY_MS, timeZone);
}

function sameWallClock(a: LocalDateTime, b: LocalDateTime): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute && a.second === b.second;
}

/** An IANA zone name such as `Europe/Berlin`, validated; calendar logic (weeks, months) uses it. */
export const ianaTimeZone = z.string().refine(isTimeZone, { message: 'must be an IANA time zone such as "Europe/Berlin" or "UTC"' });
