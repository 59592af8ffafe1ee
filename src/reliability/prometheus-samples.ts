import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { floorToMinute, type MinuteSample } from './counts.js';
import { DAY_MS, MINUTE_MS } from './duration.js';
import type { DefinitionSet, MetricSource, SloDefinition } from './model.js';
import { windowedQueries } from './prometheus/promql.js';
import { getSourceCursor, setSourceCursor } from './store.js';
import { ingestSamples } from './stored-slos.js';
import { UnavailableError } from '../shared/errors.js';
import { MAX_POINTS_PER_QUERY, queryRange } from '../sources/prometheus/prometheus-client.js';

/** How far back the first pull of an SLO reaches. */
export const DEFAULT_BACKFILL_MS = 7 * DAY_MS;

export interface PullReport {
  slos: number;
  samples: number;
  /** SLOs not read, with the reason (no Prometheus data source URL, no event counts). */
  skipped: Array<{ slo: string; reason: string }>;
  /** SLOs whose Prometheus did not answer; their cursor stays, so the next pull retries. */
  unavailable: Array<{ slo: string; reason: string }>;
}

/**
 * Reads per-minute good/total counts from Prometheus for every SLO whose
 * queries go to a Prometheus DataSource with `connectionDetails.url`.
 * Each minute [t, t+1m) is `rate(...[1m]) × 60` evaluated at t+1m (counter
 * increases over the minute), from the SLO's cursor (or `backfill` ago) to the
 * last complete minute; the cursor then moves on, so the next pull reads only
 * new minutes.
 */
export async function pullPrometheusSamples(
  db: Kysely<Database>,
  set: DefinitionSet,
  options: { now?: number; backfillMs?: number; fetch?: typeof fetch } = {},
): Promise<PullReport> {
  const now = floorToMinute(options.now ?? Date.now());
  const report: PullReport = { slos: 0, samples: 0, skipped: [], unavailable: [] };
  for (const slo of set.slos) {
    const url = prometheusUrl(slo, set);
    const queries = url ? windowedQueries(slo) : null;
    const eventRate = queries?.eventRate('1m') ?? null;
    if (!url || !queries || eventRate === null) {
      report.skipped.push({
        slo: slo.name,
        reason: url ? 'the SLI has no event counts (raw ratio or threshold)' : 'no Prometheus DataSource with connectionDetails.url',
      });
      continue;
    }
    const from = (await getSourceCursor(db, slo.name)) ?? now - (options.backfillMs ?? DEFAULT_BACKFILL_MS);
    let samples: MinuteSample[];
    try {
      samples = await readMinutes(url, slo, { eventRate, errorRate: queries.errorRate('1m') as string }, [from, now], options.fetch);
    } catch (error) {
      if (!(error instanceof UnavailableError)) throw error;
      report.unavailable.push({ slo: slo.name, reason: error.message });
      continue;
    }
    await ingestSamples(db, slo.name, samples, { now });
    await setSourceCursor(db, slo.name, now);
    report.slos++;
    report.samples += samples.length;
  }
  return report;
}

/** The minutes [from, to) of one SLO, in chunks Prometheus accepts. */
async function readMinutes(
  url: string,
  slo: SloDefinition,
  rates: { eventRate: string; errorRate: string },
  [from, now]: [number, number],
  fetchImpl: typeof fetch | undefined,
): Promise<MinuteSample[]> {
  const samples: MinuteSample[] = [];
  for (let chunkStart = from; chunkStart < now; chunkStart += MAX_POINTS_PER_QUERY * MINUTE_MS) {
    const chunkEnd = Math.min(now, chunkStart + MAX_POINTS_PER_QUERY * MINUTE_MS);
    // Points at the end of each minute: t+1m for the minutes t in [chunkStart, chunkEnd).
    const range = { start: (chunkStart + MINUTE_MS) / 1000, end: chunkEnd / 1000, stepSeconds: 60 };
    const field = fieldOf(slo.indicator.kind === 'ratio' ? slo.indicator.total : null, slo);
    const [totals, errors] = await Promise.all([
      queryRange(url, `${rates.eventRate} * 60`, range, field, fetchImpl),
      queryRange(url, `${rates.errorRate} * 60`, range, field, fetchImpl),
    ]);
    const bad = new Map((errors[0]?.values ?? []).map(([t, v]) => [t, Number(v)]));
    for (const [t, value] of totals[0]?.values ?? []) {
      const total = Number(value);
      if (!Number.isFinite(total) || total < 0) continue;
      const failed = Math.min(total, Math.max(0, bad.get(t) ?? 0));
      samples.push({ minute: t * 1000 - MINUTE_MS, good: total - failed, total });
    }
  }
  return samples;
}

function prometheusUrl(slo: SloDefinition, set: DefinitionSet): string | null {
  const indicator = slo.indicator;
  const source = indicator.kind === 'ratio' ? indicator.total : indicator.kind === 'raw-ratio' ? indicator.raw : indicator.metric;
  if (source.type?.toLowerCase() !== 'prometheus' || source.dataSource === null) return null;
  const url = set.dataSources.find((d) => d.name === source.dataSource)?.connectionDetails.url;
  return typeof url === 'string' ? url : null;
}

function fieldOf(source: MetricSource | null, slo: SloDefinition): string {
  return source?.location.field ?? `SLO ${slo.name}`;
}
