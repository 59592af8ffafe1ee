import { workbookConditions } from '../reliability/alert-conditions.js';
import type { MinuteSample } from '../reliability/counts.js';
import { DAY_MS, MINUTE_MS } from '../reliability/duration.js';
import type { SloDefinition } from '../reliability/model.js';

/**
 * Small factories for reliability tests: an SLO definition with the
 * Workbook's defaults, and steady per-minute traffic with chosen bad minutes.
 */
export function buildSlo(overrides: Partial<SloDefinition> = {}): SloDefinition {
  const window = overrides.window ?? { kind: 'rolling', duration: { count: 30, unit: 'd', text: '30d' } };
  return {
    name: 'checkout-availability',
    displayName: 'Checkout availability',
    service: 'checkout',
    description: null,
    target: 0.999,
    budgetingMethod: 'Occurrences',
    timeSlicing: null,
    window,
    indicator: {
      kind: 'ratio',
      counter: true,
      good: null,
      bad: { type: 'Prometheus', dataSource: null, query: 'http_requests_total{code=~"5.."}', spec: {}, location: { file: 'test.yaml' } },
      total: { type: 'Prometheus', dataSource: null, query: 'http_requests_total', spec: {}, location: { file: 'test.yaml' } },
    },
    alerting: { conditions: workbookConditions(30 * DAY_MS), source: 'workbook', minEvents: 100 },
    labels: {},
    format: 'openslo',
    sloth: null,
    location: { file: 'test.yaml', line: 1 },
    ...overrides,
  };
}

/**
 * `perMinute` events every minute of [from, to); minutes for which
 * `badFraction(minute)` is above 0 have that share of them bad.
 */
export function steadyTraffic(
  from: number,
  to: number,
  perMinute: number,
  badFraction: (minute: number) => number = () => 0,
): MinuteSample[] {
  const samples: MinuteSample[] = [];
  for (let minute = from; minute < to; minute += MINUTE_MS) {
    samples.push({ minute, good: perMinute * (1 - badFraction(minute)), total: perMinute });
  }
  return samples;
}
