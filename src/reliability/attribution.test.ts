import { describe, expect, it } from 'vitest';
import { attributeBudget } from './attribution.js';
import { MinuteSeries } from './counts.js';
import { DAY_MS, MINUTE_MS } from './duration.js';
import { buildSlo, steadyTraffic } from '../test-support/reliability-fixtures.js';

const T0 = Date.UTC(2024, 5, 10);
const at = (minutes: number) => T0 + minutes * MINUTE_MS;

describe('budget attribution', () => {
  it('charges incidents their span and deployments the hours after them, up to the next deployment', () => {
    // 99.9% over 1 day, 100 requests a minute: the window holds 144,000 requests, allowing 144 failures.
    // Failures: 10 a minute from minute 30 to 59 (300), and 5 a minute from minute 200 to 219 (100).
    const definition = buildSlo({ window: { kind: 'rolling', duration: { count: 1, unit: 'd', text: '1d' } } });
    const samples = steadyTraffic(T0 - DAY_MS, T0 + DAY_MS, 100, (m) =>
      m >= at(30) && m < at(60) ? 0.1 : m >= at(200) && m < at(220) ? 0.05 : 0,
    );
    const context = { definition, source: new MinuteSeries(samples), excluded: [] };
    const result = attributeBudget(context, at(600), {
      // INC-1 covers minutes 25-65: all 300 failures. INC-2 is still open at minute 600: the 100 later ones.
      incidents: [
        { id: 'INC-1', start: at(25), end: at(65) },
        { id: 'INC-2', start: at(195), end: null },
      ],
      // deploy-a at 0: its 2 hours reach minute 120 but deploy-b at 40 cuts them at 40: failures 30-39 = 100.
      // deploy-b at 40: minutes 40-159: failures 40-59 = 200. deploy-c at 300: nothing failed after it.
      deployments: [
        { id: 'deploy-b', at: at(40) },
        { id: 'deploy-a', at: at(0) },
        { id: 'deploy-c', at: at(300) },
      ],
    });
    // Each span's allowance is the 1-day window ending where the span ends: 144,000 requests, 144 failures allowed.
    // Equal shares are ordered by id (deploy-a before INC-2).
    expect(result.map((a) => [a.kind, a.id, a.spend.spent])).toEqual([
      ['incident', 'INC-1', 300],
      ['deployment', 'deploy-b', 200],
      ['deployment', 'deploy-a', 100],
      ['incident', 'INC-2', 100],
      ['deployment', 'deploy-c', 0],
    ]);
    for (const attribution of result) {
      expect(attribution.spend.allowed).toBeCloseTo(144, 9);
      expect(attribution.spend.share).toBeCloseTo(attribution.spend.spent / 144, 9);
    }
    expect(result.find((a) => a.id === 'deploy-a')?.spend).toMatchObject({ start: at(0), end: at(40) });
    expect(result.find((a) => a.id === 'INC-2')?.spend.end).toBe(at(600));
  });
});
