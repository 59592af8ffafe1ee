/**
 * The instants Sextant stores: from 1970-01-01 up to (excluding) 2200-01-01,
 * UTC. Every instant that comes in (API, CSV, configuration) is checked against
 * this range before anything is written, so no stored instant can later fail
 * to print (`toISOString` throws beyond year 275760) or make a calendar
 * computation span millennia. Documented in docs/api.md.
 */
export const MIN_INSTANT_MS = Date.UTC(1970, 0, 1);
export const MAX_INSTANT_MS = Date.UTC(2200, 0, 1);

export function instantRangeProblem(ms: number): string | null {
  if (!Number.isFinite(ms) || ms < MIN_INSTANT_MS || ms >= MAX_INSTANT_MS) {
    return 'must be between 1970-01-01T00:00:00Z and 2199-12-31T23:59:59Z';
  }
  return null;
}
