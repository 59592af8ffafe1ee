import { DAY_MS, HOUR_MS, MINUTE_MS } from './duration.js';
import type { BurnRateCondition } from './model.js';

/**
 * The SRE Workbook's multiwindow, multi-burn-rate alerts (ch. 5, "Alerting on
 * SLOs", tables 5-6 and 5-8) for a 30-day period: page when 2% of the budget
 * goes in 1 hour (14.4×) or 5% in 6 hours (6×); ticket when 10% goes in 1 day
 * (3×) or in 3 days (1×). Each long window has a short window of 1/12 its
 * length so the alert resets soon after the burning stops.
 *
 * For other periods the factors are derived from the same budget shares:
 * factor = share × period / long window. 30 days gives 14.4, 6, 3 and 1;
 * 28 days gives 13.44, 5.6, 2.8 and 0.933.
 */
export const WORKBOOK_TIERS: ReadonlyArray<{ tier: string; longWindowMs: number; shortWindowMs: number; budgetShare: number }> = [
  { tier: 'page', longWindowMs: HOUR_MS, shortWindowMs: 5 * MINUTE_MS, budgetShare: 0.02 },
  { tier: 'page', longWindowMs: 6 * HOUR_MS, shortWindowMs: 30 * MINUTE_MS, budgetShare: 0.05 },
  { tier: 'ticket', longWindowMs: DAY_MS, shortWindowMs: 2 * HOUR_MS, budgetShare: 0.1 },
  { tier: 'ticket', longWindowMs: 3 * DAY_MS, shortWindowMs: 6 * HOUR_MS, budgetShare: 0.1 },
];

/** The Workbook's short window is 1/12 of the long one (1h/5m, 6h/30m, 1d/2h, 3d/6h). */
export const SHORT_WINDOW_DIVISOR = 12;

/**
 * Below this many events in the long window a tier stays quiet: with fewer
 * than 100 events one failure moves the error ratio by a whole percentage
 * point — 10× the budget rate of a 99.9% SLO — so the alert would measure
 * noise, not an outage. Set per SLO with the `sextant.dev/min-events` annotation.
 */
export const DEFAULT_MIN_EVENTS = 100;

/** Severity order for reporting firing tiers; unknown tiers follow in name order. */
export const TIER_ORDER = ['page', 'ticket'];

export function workbookConditions(periodMs: number): BurnRateCondition[] {
  return WORKBOOK_TIERS.map((tier) => ({
    tier: tier.tier,
    longWindowMs: tier.longWindowMs,
    shortWindowMs: tier.shortWindowMs,
    factor: roundFactor((tier.budgetShare * periodMs) / tier.longWindowMs),
    budgetShare: tier.budgetShare,
    forMs: 0,
  }));
}

/** Removes binary floating-point noise (0.05 × 120 = 6.000000000000001) from derived factors. */
export function roundFactor(value: number): number {
  return Number(value.toPrecision(12));
}

export function sortTiers(tiers: Iterable<string>): string[] {
  const rank = (tier: string) => {
    const index = TIER_ORDER.indexOf(tier);
    return index === -1 ? TIER_ORDER.length : index;
  };
  return [...new Set(tiers)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
