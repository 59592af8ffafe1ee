import type { Kysely } from 'kysely';
import { ValidationError, type FieldIssue } from '../shared/errors.js';
import type { Database } from '../store/database.js';
import { pageByKey, type PageRequest } from '../store/pagination.js';
import type { MinuteSample } from './counts.js';
import { MINUTE_MS } from './duration.js';
import { isInstantError, parseInstant } from './instant.js';
import type { SloStatus, SloStatusView } from './model.js';
import type { GateDecision } from './policy.js';
import * as sloStore from './store.js';
import { ingestSamples, storedAttribution, storedReleaseGate, storedSeries, storedStatus, storedStatuses } from './stored-slos.js';

/**
 * The reliability read and write side of the API, one function per view:
 * each takes validated input (instants as epoch ms) and returns the JSON the
 * route sends, instants as ISO 8601 strings.
 */

type Db = Kysely<Database>;

/** Every SLO with its budget, burn rates and firing alerts, least budget left first (ties by name). */
export async function sloListView(db: Db, query: PageRequest & { at: number; service?: string | undefined }) {
  const statuses = await storedStatuses(db, query.at, query.service === undefined ? {} : { service: query.service });
  const page = pageByKey(statuses, query, {
    of: (s) => [s.budgetRemaining, s.name],
    columns: [
      { kind: 'number', order: 'asc' },
      { kind: 'string', order: 'asc' },
    ],
  });
  return { at: iso(query.at), total: page.total, items: page.items.map(statusView), nextCursor: page.nextCursor };
}

/** One SLO: status, description, labels and its last 100 alert events. */
export async function sloDetailView(db: Db, name: string, at: number) {
  const { definition, status } = await storedStatus(db, name, at);
  const history = await sloStore.listAlertEvents(db, name, 100);
  return {
    status: statusView(status),
    description: definition.description,
    labels: definition.labels,
    alertHistory: history.map((event) => ({ ...event, at: iso(event.at) })),
  };
}

/** What spent the SLO's budget: each incident and the 2 hours after each deployment of its service. */
export async function sloAttributionView(db: Db, name: string, at: number) {
  const attributions = await storedAttribution(db, name, at);
  return {
    at: iso(at),
    attributions: attributions.map(({ kind, id, spend }) => ({
      kind,
      id,
      start: iso(spend.start),
      end: iso(spend.end),
      spent: spend.spent,
      allowed: spend.allowed,
      share: spend.share,
    })),
  };
}

/** Hourly SLI and the budget burn-down over the SLO window. */
export async function sloSeriesView(db: Db, name: string, at: number) {
  const series = await storedSeries(db, name, at);
  return {
    sli: series.sli.map((point) => ({ ...point, at: iso(point.at) })),
    burnDown: series.burnDown.map((point) => ({ ...point, at: iso(point.at) })),
  };
}

/** Stores pushed per-minute counts; nothing is written if any timestamp is wrong. */
export async function pushSamplesView(
  db: Db,
  name: string,
  samples: ReadonlyArray<{ timestamp: string | number; good: number; total: number }>,
) {
  const report = await ingestSamples(db, name, toMinuteSamples(samples));
  return { written: report.written, from: report.from === null ? null : iso(report.from), to: report.to === null ? null : iso(report.to) };
}

/** May the service release? Its error-budget policy's decision with the reasons. */
export async function releaseGateView(db: Db, service: string, labels: string[], at: number) {
  return gateView(await storedReleaseGate(db, service, labels, at));
}

/** Checks the pushed timestamps (the schema checked the counts). */
function toMinuteSamples(samples: ReadonlyArray<{ timestamp: string | number; good: number; total: number }>): MinuteSample[] {
  const issues: FieldIssue[] = [];
  const seen = new Set<number>();
  const result = samples.flatMap((sample, index): MinuteSample[] => {
    const field = `body.samples[${index}].timestamp`;
    const minute = parseInstant(sample.timestamp);
    if (isInstantError(minute)) issues.push({ field, message: minute.error });
    else if (minute % MINUTE_MS !== 0) issues.push({ field, message: 'is not the start of a minute (seconds must be 0)' });
    else if (seen.has(minute)) issues.push({ field, message: 'a second sample for the same minute in one batch' });
    else {
      seen.add(minute);
      return [{ minute, good: sample.good, total: sample.total }];
    }
    return [];
  });
  if (issues.length > 0)
    throw new ValidationError(`Invalid ${issues.length === 1 ? 'field' : 'fields'}: ${issues.map((i) => i.field).join(', ')}`, issues);
  return result;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function statusView(status: SloStatus): SloStatusView {
  return { ...status, windowStart: iso(status.windowStart), at: iso(status.at), periodEnd: iso(status.periodEnd) };
}

function gateView(decision: GateDecision) {
  return { ...decision, at: iso(decision.at) };
}
