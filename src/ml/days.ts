import { z } from 'zod';

/** Whole calendar days in UTC: ML plans and forecasts are counted in days, not hours. */
export const DAY_MS = 86_400_000;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` to the epoch milliseconds of 00:00 UTC that day; undefined when not a real date. */
export function parseDay(text: string): number | undefined {
  const match = DAY.exec(text);
  if (!match) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return formatDay(ms) === text ? ms : undefined;
}

export function formatDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** 00:00 UTC of the day holding `ms`. */
export function startOfDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** A `YYYY-MM-DD` date, as epoch milliseconds of 00:00 UTC. */
export const daySchema = z
  .string()
  .refine((text) => parseDay(text) !== undefined, { message: 'must be a date YYYY-MM-DD' })
  .transform((text) => parseDay(text) as number);

/** A date (`YYYY-MM-DD`, 00:00 UTC) or an ISO 8601 instant, as epoch milliseconds. */
export const instantSchema = z
  .string()
  .refine((text) => parseDay(text) !== undefined || (/^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(Date.parse(text))), {
    message: 'must be a date YYYY-MM-DD or an ISO 8601 instant',
  })
  .transform((text) => parseDay(text) ?? Date.parse(text));
