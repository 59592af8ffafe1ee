import { instantRangeProblem } from '../shared/instant-range.js';

/**
 * Instants as users write them: ISO 8601 with an explicit offset
 * (`2024-03-01T00:00:00Z`, `2024-03-01T01:00:00+01:00`) or Unix epoch seconds
 * (`1709251200`). A date-time without an offset is refused: it would mean a
 * different instant on every machine.
 */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const EPOCH_SECONDS = /^-?\d{1,12}(\.\d+)?$/;

/** Epoch milliseconds, or a message saying what is wrong. */
export function parseInstant(value: unknown): number | { error: string } {
  const ms = parseUnchecked(value);
  if (typeof ms === 'number') {
    const problem = instantRangeProblem(ms);
    if (problem) return { error: `${typeof value === 'string' ? `"${value.trim()}"` : String(value)} ${problem}` };
  }
  return ms;
}

function parseUnchecked(value: unknown): number | { error: string } {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value * 1000);
  if (typeof value !== 'string') return { error: 'must be an ISO 8601 date-time with offset or epoch seconds' };
  const text = value.trim();
  if (EPOCH_SECONDS.test(text)) return Math.round(Number(text) * 1000);
  if (!ISO_WITH_OFFSET.test(text)) {
    const hint = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(text) ? ' — add "Z" or an offset such as +01:00' : '';
    return { error: `"${text}" is not an ISO 8601 date-time with offset (e.g. 2024-03-01T00:00:00Z) or epoch seconds${hint}` };
  }
  const ms = Date.parse(text);
  // V8 rolls 30 February over into March; compare the written date with itself as a real calendar date.
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const calendarDate = new Date(Date.UTC(year, month - 1, day));
  if (Number.isNaN(ms) || calendarDate.getUTCMonth() !== month - 1 || calendarDate.getUTCDate() !== day) {
    return { error: `"${text}" is not a real date and time` };
  }
  return ms;
}

export function isInstantError(value: number | { error: string }): value is { error: string } {
  return typeof value !== 'number';
}
