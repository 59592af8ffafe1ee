import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { NotFoundError } from '../shared/errors.js';
import { ZERO, type CountsSource, type MinuteSample, type SliceRule } from './counts.js';
import { HOUR_MS, MINUTE_MS } from './duration.js';
import { alertTransitions, evaluateSlo, type SloContext } from './evaluate.js';
import type { DefinitionSet, SloDefinition, SloStatus } from './model.js';
import type { GateDecision } from './policy.js';
import { releaseGate } from './release-gate.js';
import * as sloStore from './store.js';
import { maintenanceIntervals, windowAt, type Interval } from './windows.js';
import { attributeBudget, budgetSpentDuring, type Attribution, type AttributionInput } from './attribution.js';
import type { ServiceSpan, SpanBudgetSpend } from '../kit/lookups.js';
import { deliveryEvidence } from '../delivery/index.js';
import { mapInSlices, yieldIfBusy } from '../shared/yield.js';

type Db = Kysely<Database>;

/**
 * The reliability module over the store: evaluations read exactly the
 * roll-up buckets they need (found by a dry run of the same computation),
 * and writes keep the alert history current.
 */

/** Records the ranges an evaluation asks for, answering zero: the first pass of a two-pass evaluation. */
class RangeRecorder implements CountsSource {
  readonly ranges: Interval[] = [];
  sum(start: number, end: number) {
    this.ranges.push([start, end]);
    return ZERO;
  }
  /**
   * Records what TieredCounts.sliceTally will read for the whole slices of
   * [start, end), and answers what zero counts would (budget.ts tallySlices).
   * Slices shorter than an hour are read from the minute detail of every hour
   * they touch: one 1-minute range per such hour plans exactly that, where a
   * range per slice (~40,000 for 1-minute slices over 4 weeks) took 25-60 ms
   * to record and plan. Longer slices are summed, so each is recorded.
   */
  sliceTally(start: number, end: number, rule: SliceRule) {
    const len = rule.sliceMs;
    const first = Math.ceil(start / len) * len;
    const slices = Math.max(0, Math.floor((end - first) / len));
    const units = rule.method === 'Timeslices' ? slices : 0;
    if (slices === 0) return { units, bad: 0 };
    const last = first + slices * len;
    if (len < HOUR_MS && len % MINUTE_MS === 0) {
      for (let hour = first - (first % HOUR_MS); hour < last; hour += HOUR_MS) {
        const minute = Math.max(hour, first);
        this.ranges.push([minute, minute + MINUTE_MS]);
      }
    } else {
      for (let sliceStart = first; sliceStart < last; sliceStart += len) this.ranges.push([sliceStart, sliceStart + len]);
    }
    return { units, bad: 0 };
  }
}

type Context = Omit<SloContext, 'source'>;

function contextOf(set: DefinitionSet, definition: SloDefinition): Context {
  return { definition, excluded: maintenanceIntervals(definition, set.maintenanceWindows) };
}

function contextsOf(set: DefinitionSet, definitions: readonly SloDefinition[]): Context[] {
  return definitions.map((definition) => contextOf(set, definition));
}

/**
 * Runs `compute` twice: first against recorders to learn which ranges of which
 * SLOs it reads, then against counts loaded for exactly those ranges.
 */
async function runOverStore<T>(db: Db, compute: (sourceFor: (slo: string) => CountsSource) => T): Promise<T> {
  const recorders = new Map<string, RangeRecorder>();
  compute((slo) => {
    let recorder = recorders.get(slo);
    if (!recorder) recorders.set(slo, (recorder = new RangeRecorder()));
    return recorder;
  });
  const sources = await sloStore.loadTieredCounts(db, new Map([...recorders].map(([slo, recorder]) => [slo, recorder.ranges])));
  return compute((slo) => sources.get(slo) as CountsSource);
}

/** Counts sources holding exactly what evaluating each SLO at `at` reads. */
async function sourcesFor(db: Db, contexts: readonly Context[], at: number) {
  const ranges = new Map<string, Interval[]>();
  for (const context of contexts) {
    await yieldIfBusy();
    const recorder = new RangeRecorder();
    evaluateSlo({ ...context, source: recorder }, at);
    ranges.set(context.definition.name, recorder.ranges);
  }
  return sloStore.loadTieredCounts(db, ranges);
}

/** Status of every stored SLO (optionally of one service) at `at`, least budget left first. */
export async function storedStatuses(db: Db, at: number, filter: { service?: string } = {}): Promise<SloStatus[]> {
  const set = await sloStore.loadDefinitionSet(db);
  const definitions = set.slos.filter((slo) => filter.service === undefined || slo.service === filter.service);
  const contexts = contextsOf(set, definitions);
  const sources = await sourcesFor(db, contexts, at);
  const statuses = await mapInSlices(contexts, (context) =>
    evaluateSlo({ ...context, source: sources.get(context.definition.name) as CountsSource }, at),
  );
  return statuses.sort((a, b) => a.budgetRemaining - b.budgetRemaining || a.name.localeCompare(b.name));
}

export async function storedStatus(db: Db, name: string, at: number): Promise<{ definition: SloDefinition; status: SloStatus }> {
  const set = await sloStore.loadDefinitionSet(db);
  const definition = set.slos.find((slo) => slo.name === name);
  if (!definition) throw new NotFoundError(`SLO "${name}" does not exist`);
  const context = contextOf(set, definition);
  const sources = await sourcesFor(db, [context], at);
  return { definition, status: evaluateSlo({ ...context, source: sources.get(name) as CountsSource }, at) };
}

/**
 * The release gate of a service from the stored SLOs, policies and samples,
 * with the incidents the delivery module recorded for the service (for the
 * policy's postmortem rule).
 */
export async function storedReleaseGate(db: Db, service: string, labels: readonly string[], at: number): Promise<GateDecision> {
  const set = await sloStore.loadDefinitionSet(db);
  if (!set.slos.some((slo) => slo.service === service)) throw new NotFoundError(`No SLO belongs to service "${service}"`);
  const { incidents } = await deliveryEvidence(db, service, at);
  const spans = incidents.map((incident) => ({ id: incident.id, service, start: incident.start, end: incident.end ?? at }));
  return runOverStore(db, (sourceFor) => releaseGate(set, sourceFor, { service, labels, at, incidents: spans }));
}

/**
 * What spent an SLO's budget: each incident of its service and the hours after
 * each of its deployments, as the delivery module recorded them.
 */
export async function storedAttribution(db: Db, name: string, at: number): Promise<Attribution[]> {
  const set = await sloStore.loadDefinitionSet(db);
  const definition = set.slos.find((slo) => slo.name === name);
  if (!definition) throw new NotFoundError(`SLO "${name}" does not exist`);
  const windowStart = windowAt(definition.window, at).start;
  const evidence = await deliveryEvidence(db, definition.service, at);
  // Only what touches the current window spent this window's budget.
  const input: AttributionInput = {
    incidents: evidence.incidents.filter((incident) => (incident.end ?? at) > windowStart),
    deployments: evidence.deployments.filter((deployment) => deployment.at >= windowStart),
  };
  const context = contextOf(set, definition);
  return runOverStore(db, (sourceFor) => attributeBudget({ ...context, source: sourceFor(name) }, at, input));
}

/**
 * What each span (an incident) spent of each SLO of its service: bad units
 * inside it over the allowance of the SLO window ending where it ends (an open
 * span runs to `at`). Spans of services without SLOs spend nothing.
 */
export async function storedSpanSpend(db: Db, spans: readonly ServiceSpan[], at: number): Promise<SpanBudgetSpend[]> {
  const set = await sloStore.loadDefinitionSet(db);
  const pairs = spans.flatMap((span) =>
    set.slos.filter((slo) => slo.service === span.serviceId).map((definition) => ({ span, context: contextOf(set, definition) })),
  );
  if (pairs.length === 0) return [];
  return runOverStore(db, (sourceFor) =>
    pairs
      .filter(({ span }) => span.start < at)
      .map(({ span, context }) => {
        const spend = budgetSpentDuring({ ...context, source: sourceFor(context.definition.name) }, [
          span.start,
          Math.min(span.end ?? at, at),
        ]);
        return {
          id: span.id,
          slo: context.definition.name,
          spent: spend.spent,
          allowed: spend.allowed,
          share: spend.share,
          window: context.definition.window.duration.text,
        };
      }),
  );
}

/** How many minutes the alert history is replayed at: every minute for pushed batches, coarser for bulk history. */
export const ALERT_HISTORY_STEP_MS = MINUTE_MS;

/**
 * Writes samples and replays the alert tiers over the minutes the batch can
 * influence — from its first minute until its last leaves the longest alert
 * window, capped at `now` — replacing the stored transitions there.
 */
export async function ingestSamples(
  db: Db,
  slo: string,
  samples: readonly MinuteSample[],
  options: { now?: number; historyStepMs?: number } = {},
): Promise<sloStore.WriteReport> {
  const report = await sloStore.writeSamples(db, slo, samples);
  if (report.from !== null && report.to !== null) {
    await refreshAlertHistory(db, slo, [report.from, report.to + MINUTE_MS], options);
  }
  return report;
}

export async function refreshAlertHistory(
  db: Db,
  slo: string,
  changed: Interval,
  options: { now?: number; historyStepMs?: number } = {},
): Promise<void> {
  const set = await sloStore.loadDefinitionSet(db);
  const definition = set.slos.find((s) => s.name === slo);
  if (!definition) throw new NotFoundError(`SLO "${slo}" does not exist`);
  const step = options.historyStepMs ?? ALERT_HISTORY_STEP_MS;
  const longest = Math.max(0, ...definition.alerting.conditions.map((c) => c.longWindowMs));
  const from = Math.floor(changed[0] / step) * step;
  const until = Math.min(changed[1] + longest + step, options.now ?? Date.now());
  if (until <= from) return;
  const source = await sloStore.loadMinuteSeries(db, slo, from - longest - step, until);
  const context = contextOf(set, definition);
  // Alert state is a function of the windows' data only, so a replay started one step early knows the state at `from`.
  const transitions = alertTransitions({ ...context, source }, from - step, until, step).filter((t) => t.at >= from);
  await sloStore.replaceAlertEvents(db, slo, [from, until], transitions);
}

export interface SloSeries {
  /** Hour by hour over the SLO window: events and the hour's attainment. */
  sli: Array<{ at: number; good: number; total: number; attainment: number | null }>;
  /** Budget remaining, evaluated at evenly spaced instants up to `at`. */
  burnDown: Array<{ at: number; budgetRemaining: number }>;
}

const BURN_DOWN_POINTS = 60;

/** The SLI chart and budget burn-down of one SLO over its current window. */
export async function storedSeries(db: Db, name: string, at: number): Promise<SloSeries> {
  const { definition, status } = await storedStatus(db, name, at);
  const set = await sloStore.loadDefinitionSet(db);
  const span = status.at - status.windowStart;
  const hours = await sloStore.loadHourSums(db, name, status.windowStart, status.at);
  const sli = hours.map((h) => ({ at: h.hour, good: h.good, total: h.total, attainment: h.total > 0 ? h.good / h.total : null }));
  // Each point's own window reaches one window length further back (for a rolling window).
  const source = await sloStore.loadMinuteSeries(db, name, status.windowStart - span, status.at);
  const context = { ...contextOf(set, definition), source };
  const step = Math.max(MINUTE_MS, Math.ceil(span / BURN_DOWN_POINTS / MINUTE_MS) * MINUTE_MS);
  const burnDown: SloSeries['burnDown'] = [];
  for (let t = status.windowStart + step; t < status.at; t += step) {
    burnDown.push({ at: t, budgetRemaining: evaluateSlo(context, t).budgetRemaining });
  }
  burnDown.push({ at: status.at, budgetRemaining: status.budgetRemaining });
  return { sli, burnDown };
}
