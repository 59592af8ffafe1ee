import { describe, expect, it } from 'vitest';
import type { MetricDefinition } from './model.js';
import { effectiveDeck } from './review.js';

const metric = (id: string, source: string): MetricDefinition => ({
  id,
  name: id,
  unit: 'count',
  direction: 'up',
  owner: null,
  aggregation: 'sum',
  numerator: null,
  denominator: null,
  description: '',
  target: { week: null, month: null },
  baseline: { points: 12, from: null },
  source,
});

describe('the default deck (no deck stored)', () => {
  const metrics = [
    metric('revenue', 'config'),
    metric('revenue.emea', 'config'),
    metric('delivery.deployments', 'delivery'),
    metric('delivery.deployments.payments', 'delivery'),
    metric('delivery.deployments.team.pay', 'delivery'),
    metric('delivery.lead-time-p50', 'delivery'),
    metric('delivery.lead-time-p50.payments', 'delivery'),
    metric('reliability.budget-remaining.checkout-availability', 'reliability'),
    metric('okr.checkout', 'okrs'),
  ];
  const tree = { northStars: [{ metric: 'revenue', counterMetrics: [] }], edges: [] } as unknown as Parameters<typeof effectiveDeck>[1];

  it("leaves out the modules' per-service and per-team breakdowns, and keeps users' metrics and series that break nothing down", () => {
    const deck = effectiveDeck({ sections: [] }, tree, metrics);
    expect(deck.sections).toEqual([
      { title: 'North Star', metrics: ['revenue'] },
      {
        title: 'Other metrics',
        // revenue.emea is the user's own metric: kept. The SLO's budget extends no other reliability series: kept.
        metrics: [
          'revenue.emea',
          'delivery.deployments',
          'delivery.lead-time-p50',
          'reliability.budget-remaining.checkout-availability',
          'okr.checkout',
        ],
      },
    ]);
  });

  it('shows a stored deck as it is, breakdowns included', () => {
    const stored = { sections: [{ title: 'Payments', metrics: ['delivery.deployments.payments'] }] };
    expect(effectiveDeck(stored, tree, metrics)).toBe(stored);
  });
});
