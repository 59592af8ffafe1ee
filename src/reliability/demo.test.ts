import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/database.js';
import { makeTempDir, TEST_DIALECTS } from '../test-support/stores.js';
import { loadReliabilityDemo } from './demo.js';
import { DAY_MS } from './duration.js';
import { prometheusRuleFile } from './prometheus/rules.js';
import { listAlertEvents, loadDefinitionSet } from './store.js';
import { storedReleaseGate, storedStatuses } from './stored-slos.js';
import { promtoolAvailable } from '../test-support/external-tools.js';

const NOW = Date.UTC(2024, 9, 15, 14, 7);

describe('the reliability demo', () => {
  let store: Store;
  let report: { slos: number; samples: number };
  beforeAll(async () => {
    store = await (TEST_DIALECTS[0] as (typeof TEST_DIALECTS)[number]).open();
    report = await loadReliabilityDemo(store, { seed: 1, scale: 1 }, { now: NOW });
  });
  afterAll(() => store.close());

  it('holds a year of minute-level samples for every demo SLO', async () => {
    // 9 SLOs × 365 days × 1,440 minutes.
    expect(report).toEqual({ slos: 9, samples: 9 * 365 * 1440 });
    const span = await store.db
      .selectFrom('slo_samples_hour')
      .select((eb) => [eb.fn.min('hour_start').as('first'), eb.fn.countAll().as('hours')])
      .where('slo', '=', 'ledger-availability')
      .executeTakeFirstOrThrow();
    expect(Number(span.hours)).toBe(365 * 24 + 1); // the year starts at 14:07, so it touches 8,761 UTC hours
    expect(Number(span.first)).toBe(Date.UTC(2023, 9, 16, 14));
  });

  it('payments-api has spent its budget: its gate is frozen with the reason, and open for a P0 change', async () => {
    const statuses = await storedStatuses(store.db, NOW);
    // The eight-hour incident at 25% failures that ended two days ago spends more than the 30-day budget of a 99.9% SLO.
    expect(statuses[0]?.name).toBe('payments-api-availability');
    expect(statuses[0]?.budgetRemaining).toBeLessThan(0);
    expect(statuses.filter((s) => s.budgetRemaining <= 0).map((s) => s.service)).toEqual(['payments-api']);
    const frozen = await storedReleaseGate(store.db, 'payments-api', [], NOW);
    expect(frozen.decision).toBe('frozen');
    expect(frozen.reasons[0]?.message).toMatch(
      /^payments-api-availability: error budget exhausted \(-\d+\.\d% of the 30d error budget remains/,
    );
    expect((await storedReleaseGate(store.db, 'payments-api', ['P0'], NOW)).decision).toBe('open');
    expect((await storedReleaseGate(store.db, 'ledger', [], NOW)).decision).toBe('open');
    // The incident paged: the alert history holds its page.
    const history = await listAlertEvents(store.db, 'payments-api-availability', 20);
    expect(history.some((e) => e.tier === 'page' && e.state === 'firing' && e.at > NOW - 3 * DAY_MS)).toBe(true);
  });

  it.skipIf(!promtoolAvailable())('generates Prometheus rules for the demo SLOs that promtool accepts', async () => {
    const dir = makeTempDir('sextant-demo-rules-');
    try {
      const slos = (await loadDefinitionSet(store.db)).slos;
      for (const flavour of ['sextant', 'sloth'] as const) {
        const file = path.join(dir, `${flavour}.yaml`);
        fs.writeFileSync(file, prometheusRuleFile(slos, flavour));
        const { stdout, stderr } = await promisify(execFile)('promtool', ['check', 'rules', file]);
        expect(stdout + stderr).toContain('SUCCESS');
        expect(stdout + stderr).not.toContain('FAILED');
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the reliability demo at any hour of the week', () => {
  // Traffic has a daily and weekly rhythm, so the budget the payments-api incident spends depends
  // on when the demo is generated. Swept offline over all 168 hours of a week, the least it spends
  // leaves -25% at Tuesday 07:00 UTC; the incident this replaced left +51% at Tuesday 02:00 (the
  // demo's service was then open and the CLI test failed at that hour). Both hours are checked here.
  // checkout-web's SLO is per calendar month (London), so early in a month its budget is a few hours' worth: with
  // its burst at 20% failures it was spent from 8.75 h to about 30 h into every month (checkout-web frozen too, and
  // the browser test failed on 1 December). Its worst hour, when the whole burst just falls into the new month, is
  // checked in winter (09:00 UTC on 1 December) and in summer (08:00 UTC on 1 June, 09:00 in London).
  const monthStarts = [Date.UTC(2026, 11, 1, 9, 0), Date.UTC(2025, 5, 1, 8, 0)];
  for (const now of [Date.UTC(2024, 9, 15, 2, 0), Date.UTC(2024, 9, 15, 7, 0), Date.UTC(2024, 9, 19, 14, 30), ...monthStarts]) {
    it(`freezes payments-api, and only it, when generated at ${new Date(now).toISOString()}`, async () => {
      const store = await (TEST_DIALECTS[0] as (typeof TEST_DIALECTS)[number]).open();
      try {
        await loadReliabilityDemo(store, { seed: 1, scale: 1 }, { now, days: 31 });
        const frozen = (await storedStatuses(store.db, now)).filter((s) => s.budgetRemaining <= 0).map((s) => s.service);
        expect(frozen).toEqual(['payments-api']);
        expect((await storedReleaseGate(store.db, 'payments-api', [], now)).decision).toBe('frozen');
      } finally {
        await store.close();
      }
    });
  }
});
