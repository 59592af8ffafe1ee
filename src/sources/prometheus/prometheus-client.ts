import { UnavailableError, ValidationError } from '../../shared/errors.js';

/** One series of a range query: its labels and [unix seconds, value] points. */
export interface RangeSeries {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

/** Prometheus answers at most 11,000 points per series; stay below. */
export const MAX_POINTS_PER_QUERY = 10_000;

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * `GET /api/v1/query_range` (Prometheus HTTP API). Unreachable servers and
 * server errors are UnavailableError; a query Prometheus rejects
 * (`bad_data`) is a ValidationError naming `field`, the query's place in the
 * SLO definitions.
 */
export async function queryRange(
  baseUrl: string,
  query: string,
  range: { start: number; end: number; stepSeconds: number },
  field: string,
  fetchImpl: typeof fetch = fetch,
): Promise<RangeSeries[]> {
  const url = new URL('api/v1/query_range', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.searchParams.set('query', query);
  url.searchParams.set('start', String(range.start));
  url.searchParams.set('end', String(range.end));
  url.searchParams.set('step', String(range.stepSeconds));
  let response: Response;
  try {
    response = await fetchImpl(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    throw new UnavailableError(`Prometheus at ${baseUrl} did not answer: ${(error as Error).message}`);
  }
  const body = (await response.json().catch(() => null)) as {
    status?: string;
    errorType?: string;
    error?: string;
    data?: { resultType?: string; result?: RangeSeries[] };
  } | null;
  if (body?.status === 'success' && body.data?.resultType === 'matrix') return body.data.result ?? [];
  if (body?.errorType === 'bad_data') {
    throw new ValidationError('Prometheus rejected a query', [{ field, message: `${body.error ?? 'bad query'}: ${query}` }]);
  }
  throw new UnavailableError(`Prometheus at ${baseUrl} answered ${response.status}: ${body?.error ?? response.statusText}`);
}
