import { sortTiers } from './alert-conditions.js';
import { budgetConsumed, countWholeSlices, measure, measuredBurnRate, timeToExhaustion, type Measured } from './budget.js';
import { floorToMinute, type CountsSource } from './counts.js';
import { formatMs, nominalMs, parseDuration } from './duration.js';
import { BURN_WINDOWS, type BurnWindow, type ConditionState, type SloDefinition, type SloStatus } from './model.js';
import { intervalsLength, subtractIntervals, windowAt, type Interval } from './windows.js';

export const BURN_WINDOW_MS: Record<BurnWindow, number> = Object.fromEntries(
  BURN_WINDOWS.map((w) => [w, nominalMs(parseDuration(w) as Exclude<ReturnType<typeof parseDuration>, { error: string }>)]),
) as Record<BurnWindow, number>;

/** The burn rate that time to exhaustion extrapolates: the last hour (the Workbook's fastest page window). */
export const EXHAUSTION_BURN_WINDOW: BurnWindow = '1h';

export interface SloContext {
  definition: SloDefinition;
  source: CountsSource;
  /** Maintenance intervals that apply to this SLO (see maintenanceIntervals). */
  excluded: readonly Interval[];
}

/**
 * Status of one SLO at instant `at`. The minute in progress is not counted:
 * windows end at the start of the minute containing `at`.
 */
export function evaluateSlo(context: SloContext, at: number): SloStatus {
  const { definition, excluded } = context;
  const end = floorToMinute(at);
  const window = windowAt(definition.window, end);
  const elapsed = subtractIntervals([window.start, end], excluded);
  const measured = measure(definition, context.source, elapsed);

  const { allowed, spent } = budgetOf(definition, measured, [window.start, window.start + window.periodMs], excluded);
  const consumed = budgetConsumed(spent, allowed);
  const remaining = 1 - consumed;

  const measureLast = lastWindows(context, end);
  const burnRates = Object.fromEntries(
    BURN_WINDOWS.map((w) => [w, measuredBurnRate(measureLast(BURN_WINDOW_MS[w]), definition.target)]),
  ) as Record<BurnWindow, number>;
  const conditions = evaluateConditions(definition, measureLast);

  return {
    name: definition.name,
    displayName: definition.displayName,
    service: definition.service,
    target: definition.target,
    window: definition.window.duration.text,
    windowKind: definition.window.kind,
    budgetingMethod: definition.budgetingMethod,
    windowStart: window.start,
    at: end,
    periodEnd: window.periodEnd,
    good: measured.counts.good,
    total: measured.counts.total,
    attainment: measured.attainment,
    budgetAllowed: allowed,
    budgetSpent: spent,
    budgetRemaining: remaining,
    budgetConsumed: consumed,
    burnRates,
    timeToExhaustionMs: timeToExhaustion(remaining, burnRates[EXHAUSTION_BURN_WINDOW], window.periodMs),
    alerts: sortTiers(conditions.filter((c) => c.firing).map((c) => c.tier)),
    conditions,
    excludedMinutes: (intervalsLength([[window.start, end]]) - intervalsLength(elapsed)) / 60_000,
  };
}

/** Measures the last `ms` before `end` (maintenance cut out), each length once. */
function lastWindows(context: SloContext, end: number): (ms: number) => Measured {
  const cache = new Map<number, Measured>();
  return (ms) => {
    let cached = cache.get(ms);
    if (!cached)
      cache.set(ms, (cached = measure(context.definition, context.source, subtractIntervals([end - ms, end], context.excluded))));
    return cached;
  };
}

/**
 * The allowance and what was spent of it. Occurrences and RatioTimeslices
 * allow (1 - T) of what has been measured so far; Timeslices allows (1 - T)
 * of every slice in the whole period (minus maintenance), the familiar
 * "43.2 minutes a month" of a 99.9% time-based SLO.
 */
export function budgetOf(
  definition: SloDefinition,
  measured: Measured,
  period: Interval,
  excluded: readonly Interval[],
): { allowed: number; spent: number } {
  const share = 1 - definition.target;
  if (definition.budgetingMethod === 'Timeslices' && definition.timeSlicing) {
    const slices = countWholeSlices(subtractIntervals(period, excluded), definition.timeSlicing.sliceMs);
    return { allowed: share * slices, spent: measured.bad };
  }
  return { allowed: share * measured.units, spent: measured.bad };
}

/**
 * Multiwindow burn-rate conditions at the end of the measured spans: a
 * condition fires when both windows burn faster than its factor and the long
 * window holds at least `minEvents` events. Conditions of one tier make one
 * alert, so an outage that trips the 1h and the 6h page conditions pages once.
 */
export function evaluateConditions(definition: SloDefinition, measureLast: (ms: number) => Measured): ConditionState[] {
  return definition.alerting.conditions.map((condition) => {
    const long = measureLast(condition.longWindowMs);
    const short = measureLast(condition.shortWindowMs);
    const longBurnRate = measuredBurnRate(long, definition.target);
    const shortBurnRate = measuredBurnRate(short, definition.target);
    const burning = longBurnRate > condition.factor && shortBurnRate > condition.factor;
    const enoughEvents = long.counts.total >= definition.alerting.minEvents;
    return {
      tier: condition.tier,
      longWindow: formatMs(condition.longWindowMs),
      shortWindow: formatMs(condition.shortWindowMs),
      factor: condition.factor,
      longBurnRate,
      shortBurnRate,
      longWindowEvents: long.counts.total,
      firing: burning && enoughEvents,
      suppressedByMinEvents: burning && !enoughEvents,
    };
  });
}

/** One change of a tier's alert state. */
export interface AlertTransition {
  tier: string;
  state: 'firing' | 'resolved';
  at: number;
}

/**
 * Replays the alert tiers minute by minute (or every `stepMs`) over
 * [from, to) and returns each change of state: the alert state history.
 */
export function alertTransitions(context: SloContext, from: number, to: number, stepMs = 60_000): AlertTransition[] {
  const { definition } = context;
  const transitions: AlertTransition[] = [];
  const firing = new Set<string>();
  for (let end = floorToMinute(from); end < to; end += stepMs) {
    const now = new Set(
      evaluateConditions(definition, lastWindows(context, end))
        .filter((c) => c.firing)
        .map((c) => c.tier),
    );
    for (const tier of sortTiers(new Set([...now, ...firing]))) {
      if (now.has(tier) && !firing.has(tier)) transitions.push({ tier, state: 'firing', at: end });
      if (!now.has(tier) && firing.has(tier)) transitions.push({ tier, state: 'resolved', at: end });
    }
    firing.clear();
    now.forEach((tier) => firing.add(tier));
  }
  return transitions;
}
