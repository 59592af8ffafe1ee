import { describe, expect, it } from 'vitest';
import { workbookConditions } from './alert-conditions.js';
import { attainment, timeToExhaustion } from './budget.js';
import { MinuteSeries, rollUp, TieredCounts } from './counts.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './duration.js';
import { alertTransitions, evaluateSlo } from './evaluate.js';
import { BURN_WINDOWS } from './model.js';
import { buildSlo, steadyTraffic } from '../test-support/reliability-fixtures.js';

const T0 = Date.UTC(2024, 5, 1); // 2024-06-01T00:00Z, no DST concerns in UTC windows
const at = (minutes: number) => T0 + minutes * MINUTE_MS;

describe('SRE Workbook examples, worked by hand', () => {
  it('99.9% over 30 days allows 0.1% of the events to fail', () => {
    // 100 events a minute for 30 days = 4,320,000 events; 0.1% of them = 4,320 may fail.
    // 2,160 failures spend half of it: 216 minutes at 10% bad = 216 × 10 = 2,160 bad events.
    const samples = steadyTraffic(T0 - 30 * DAY_MS, T0, 100, (m) => (m < T0 - 30 * DAY_MS + 216 * MINUTE_MS ? 0.1 : 0));
    const status = evaluateSlo({ definition: buildSlo(), source: new MinuteSeries(samples), excluded: [] }, T0);
    expect(status.total).toBe(4_320_000);
    expect(status.good).toBeCloseTo(4_320_000 - 2_160, 6);
    expect(status.budgetAllowed).toBeCloseTo(4_320, 6);
    expect(status.budgetRemaining).toBeCloseTo(0.5, 9);
    expect(status.budgetConsumed).toBeCloseTo(0.5, 9);
    expect(status.attainment).toBeCloseTo(1 - 2_160 / 4_320_000, 12);
  });

  it('a 1000x burn exhausts a fresh 30-day budget in about 43 minutes', () => {
    // Formula: 30 days / 1000 = 43,200 min / 1000 = 43.2 minutes.
    expect(timeToExhaustion(1, 1000, 30 * DAY_MS)).toBe(43.2 * MINUTE_MS);
    // Simulated: 100 events/min, all good for 30 days, then every request fails.
    // 100% errors / 0.1% budget = a 1000x burn. The window keeps 4,320,000 events,
    // so the budget is 4,320 failures = 43.2 minutes of total failure:
    // after 43 minutes 4,300 have failed (remaining 20/4320), after 44 minutes 4,400 (overspent by 80/4320).
    const samples = steadyTraffic(T0 - 30 * DAY_MS, T0 + 60 * MINUTE_MS, 100, (m) => (m >= T0 ? 1 : 0));
    const context = { definition: buildSlo(), source: new MinuteSeries(samples), excluded: [] };
    const after43 = evaluateSlo(context, at(43));
    expect(after43.burnRates['5m']).toBeCloseTo(1000, 6);
    expect(after43.budgetRemaining).toBeCloseTo(20 / 4320, 9);
    const after44 = evaluateSlo(context, at(44));
    expect(after44.budgetRemaining).toBeCloseTo(-80 / 4320, 9);
    // At minute 10 the hour's burn rate is (1000 failures / 6000 events) / 0.001 = 166.67;
    // remaining = 1 - 1000/4320; time left = remaining × 30 d / 166.67.
    const after10 = evaluateSlo(context, at(10));
    expect(after10.burnRates['1h']).toBeCloseTo(1000 / 6000 / 0.001, 6);
    expect(after10.timeToExhaustionMs).toBeCloseTo(((1 - 1000 / 4320) * 30 * DAY_MS) / (1000 / 6000 / 0.001), 0);
  });

  it('a 10% error rate fires the page and the ticket tier, and they resolve as the windows empty', () => {
    // 1,000 events/min for 3 days, then errors at 10% for 60 minutes from T0, then clean.
    // A 10% error ratio is a 100x burn. Hand-worked firing minutes k (after T0):
    //  page 1h/5m at 14.4x:  1h ratio 0.1·k/60 > 0.0144  -> k >= 9
    //  ticket 1d/2h at 3x:   1d ratio 0.1·k/1440 > 0.003 -> k >= 44 (2h already above)
    //  ticket 3d/6h at 1x:   3d ratio 0.1·k/4320 > 0.001 -> k >= 44
    // Resolution, j minutes after the errors stop at T0+60:
    //  page: the 5m window clears at j = 5, the 30m window's ratio 0.1·(30-j)/30 drops to 0.006 or below at j = 29
    //  ticket: the 2h window's ratio 0.1·(120-j)/120 <= 0.003 at j = 117; the 6h window's 0.1·(360-j)/360 <= 0.001 at j = 357
    const samples = steadyTraffic(T0 - 3 * DAY_MS, T0 + 8 * HOUR_MS, 1000, (m) => (m >= T0 && m < at(60) ? 0.1 : 0));
    const context = { definition: buildSlo(), source: new MinuteSeries(samples), excluded: [] };

    const status = evaluateSlo(context, at(50));
    expect(status.alerts).toEqual(['page', 'ticket']);
    expect(status.burnRates['5m']).toBeCloseTo(100, 6);
    expect(status.conditions.map((c) => [c.tier, c.longWindow, c.shortWindow, c.factor, c.firing])).toEqual([
      ['page', '1h', '5m', 14.4, true],
      ['page', '6h', '30m', 6, true],
      ['ticket', '1d', '2h', 3, true],
      ['ticket', '3d', '6h', 1, true],
    ]);

    const transitions = alertTransitions(context, T0, T0 + 8 * HOUR_MS);
    expect(transitions).toEqual([
      { tier: 'page', state: 'firing', at: at(9) },
      { tier: 'ticket', state: 'firing', at: at(44) },
      { tier: 'page', state: 'resolved', at: at(60 + 29) },
      { tier: 'ticket', state: 'resolved', at: at(60 + 357) },
    ]);
  });

  it('derives the alert factors for other periods from the same budget shares', () => {
    // share × period / long window: 28 d -> 0.02·672 = 13.44, 0.05·112 = 5.6, 0.1·28 = 2.8, 0.1·28/3 = 0.9333…
    expect(workbookConditions(28 * DAY_MS).map((c) => c.factor)).toEqual([13.44, 5.6, 2.8, 0.933333333333]);
    expect(workbookConditions(30 * DAY_MS).map((c) => c.factor)).toEqual([14.4, 6, 3, 1]);
    // 7 days: 0.02·168 = 3.36, 0.05·28 = 1.4, 0.1·7 = 0.7, 0.1·7/3 = 0.2333…
    expect(workbookConditions(7 * DAY_MS).map((c) => c.factor)).toEqual([3.36, 1.4, 0.7, 0.233333333333]);
  });
});

describe('budgets weighted by traffic', () => {
  it('sums counts instead of averaging per-interval ratios', () => {
    // Hour A: 1,000 events, 10 bad (1%); hour B: 10 events, 5 bad (50%).
    // Weighted: (1010 - 15) / 1010 = 0.98515; the average of ratios would be 1 - (0.01 + 0.5)/2 = 0.745.
    const samples = [
      ...steadyTraffic(T0, T0 + HOUR_MS, 1000 / 60, () => 0.01),
      ...steadyTraffic(T0 + HOUR_MS, T0 + 2 * HOUR_MS, 10 / 60, () => 0.5),
    ];
    const status = evaluateSlo({ definition: buildSlo(), source: new MinuteSeries(samples), excluded: [] }, T0 + 2 * HOUR_MS);
    expect(status.attainment).toBeCloseTo(995 / 1010, 12);
    expect(attainment({ good: 995, total: 1010 })).toBeCloseTo(0.985148514851, 12);
    // Budget: 0.1% of 1,010 = 1.01 failures allowed, 15 spent: consumed 14.85, remaining -13.85 (not clamped).
    expect(status.budgetRemaining).toBeCloseTo(1 - 15 / 1.01, 9);
  });
});

describe('minimum-events guard', () => {
  it('keeps a low-traffic SLO from paging on a single failure', () => {
    // 1 event a minute; one failure in the last minute. 1h: (1/60)/0.001 = 16.7x > 14.4; 5m: (1/5)/0.001 = 200x.
    // The long window holds 60 events, under the default 100: suppressed. With minEvents 0 it pages, and
    // the ticket fires too: the 1d and 3d windows hold the same single hour of data (1/60 errors = 16.7x > 3x and 1x).
    const samples = steadyTraffic(T0 - HOUR_MS, T0, 1, (m) => (m === T0 - MINUTE_MS ? 1 : 0));
    const guarded = evaluateSlo({ definition: buildSlo(), source: new MinuteSeries(samples), excluded: [] }, T0);
    expect(guarded.alerts).toEqual([]);
    expect(guarded.conditions[0]).toMatchObject({ firing: false, suppressedByMinEvents: true, longWindowEvents: 60 });
    const unguarded = buildSlo();
    unguarded.alerting = { ...unguarded.alerting, minEvents: 0 };
    expect(evaluateSlo({ definition: unguarded, source: new MinuteSeries(samples), excluded: [] }, T0).alerts).toEqual(['page', 'ticket']);
  });
});

describe('maintenance windows', () => {
  it('exclude their minutes from the budget and the burn rates', () => {
    // 100 events/min over the last day; during a declared 30-minute maintenance everything failed.
    const maintenance = [T0 - 2 * HOUR_MS, T0 - 2 * HOUR_MS + 30 * MINUTE_MS] as const;
    const samples = steadyTraffic(T0 - DAY_MS, T0, 100, (m) => (m >= maintenance[0] && m < maintenance[1] ? 1 : 0));
    const definition = buildSlo({ window: { kind: 'rolling', duration: { count: 1, unit: 'd', text: '1d' } } });
    const excluded = evaluateSlo({ definition, source: new MinuteSeries(samples), excluded: [maintenance] }, T0);
    // 1,440 minutes less 30 = 1,410 minutes × 100 events, none bad.
    expect(excluded.total).toBe(141_000);
    expect(excluded.budgetRemaining).toBe(1);
    expect(excluded.burnRates['6h']).toBe(0);
    expect(excluded.excludedMinutes).toBe(30);
    const counted = evaluateSlo({ definition, source: new MinuteSeries(samples), excluded: [] }, T0);
    // 3,000 failures against 0.1% of 144,000 = 144 allowed.
    expect(counted.budgetRemaining).toBeCloseTo(1 - 3000 / 144, 9);
  });
});

describe('counts sources', () => {
  it('the tiered roll-ups give the same sums as the dense series', () => {
    // Independent method: a plain loop over the samples in range.
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const samples = steadyTraffic(T0 - 3 * DAY_MS + 17 * MINUTE_MS, T0 + 5 * HOUR_MS, 10, () => 0).map((s) => ({
      ...s,
      good: Math.floor(random() * 10),
      total: 10,
    }));
    const dense = new MinuteSeries(samples);
    const { days, hours, minuteDetail } = rollUp(samples);
    const tiered = new TieredCounts(days, hours, minuteDetail);
    for (let i = 0; i < 200; i++) {
      const a = T0 - 4 * DAY_MS + Math.floor(random() * 6000) * MINUTE_MS;
      const b = a + Math.floor(random() * 5000) * MINUTE_MS;
      const naive = samples.filter((s) => s.minute >= a && s.minute < b).reduce((sum, s) => sum + s.good, 0);
      expect(dense.sum(a, b).good).toBe(naive);
      expect(tiered.sum(a, b).good).toBe(naive);
    }
  });
});

describe('time-slice fast path', () => {
  it('the precomputed slices of a minute series agree with judging each slice by its sums', () => {
    // Independent method: a source with only sum(), so measure() sums every slice itself; the store's
    // TieredCounts (its own slice path) must agree with it exactly.
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const samples = steadyTraffic(T0 - 2 * DAY_MS + 7 * MINUTE_MS, T0, 20).map((s) => ({ ...s, good: random() < 0.1 ? 15 : 20 }));
    const { days, hours, minuteDetail } = rollUp(samples);
    for (const method of ['Timeslices', 'RatioTimeslices'] as const) {
      for (const sliceMs of [MINUTE_MS, 5 * MINUTE_MS, 7 * MINUTE_MS, HOUR_MS, 2 * HOUR_MS]) {
        const definition = buildSlo({
          window: { kind: 'rolling', duration: { count: 1, unit: 'd', text: '1d' } },
          budgetingMethod: method,
          timeSlicing: { sliceMs, target: 0.9, op: 'gte' },
        });
        for (const at of [T0, T0 - 13 * HOUR_MS - 3 * MINUTE_MS, T0 - DAY_MS - 29 * MINUTE_MS]) {
          const fast = evaluateSlo({ definition, source: new MinuteSeries(samples), excluded: [[T0 - 5 * HOUR_MS, T0 - 4 * HOUR_MS]] }, at);
          const tiered = new TieredCounts(days, hours, minuteDetail);
          const slow = evaluateSlo(
            { definition, source: { sum: (a, b) => tiered.sum(a, b) }, excluded: [[T0 - 5 * HOUR_MS, T0 - 4 * HOUR_MS]] },
            at,
          );
          const store = evaluateSlo({ definition, source: tiered, excluded: [[T0 - 5 * HOUR_MS, T0 - 4 * HOUR_MS]] }, at);
          expect(store).toEqual(slow);
          expect(fast.attainment).toBeCloseTo(slow.attainment as number, 12);
          expect(fast.budgetRemaining).toBeCloseTo(slow.budgetRemaining, 9);
          for (const w of BURN_WINDOWS) expect(fast.burnRates[w]).toBeCloseTo(slow.burnRates[w], 9);
        }
      }
    }
  });
});
