import { describe, expect, it } from 'vitest';
import type { ErrorBudgetPolicy, SloStatus } from './model.js';
import { DEFAULT_POLICY, evaluateGate, policyFor } from './policy.js';

function status(overrides: Partial<SloStatus>): SloStatus {
  return {
    name: 'api-availability',
    displayName: 'API availability',
    service: 'api',
    target: 0.999,
    window: '30d',
    windowKind: 'rolling',
    budgetingMethod: 'Occurrences',
    windowStart: 0,
    at: 0,
    periodEnd: 0,
    good: 999,
    total: 1000,
    attainment: 0.999,
    budgetAllowed: 1,
    budgetSpent: 1,
    budgetRemaining: 0,
    budgetConsumed: 1,
    burnRates: { '5m': 0, '30m': 0, '1h': 0, '2h': 0, '6h': 0, '1d': 0, '3d': 0 },
    timeToExhaustionMs: 0,
    alerts: [],
    conditions: [],
    excludedMinutes: 0,
    ...overrides,
  };
}

const policy: ErrorBudgetPolicy = {
  name: 'strict',
  service: 'api',
  rules: [
    { name: 'freeze', when: { budgetRemainingAtMost: 0 }, action: 'freeze', exceptLabels: ['security'], description: null },
    { name: 'low', when: { budgetRemainingAtMost: 0.25 }, action: 'warn', exceptLabels: [], description: null },
    { name: 'paging', when: { alertFiring: 'page' }, action: 'freeze', exceptLabels: [], description: null },
  ],
  location: { file: 'policy.yaml' },
};

const gate = (statuses: SloStatus[], labels: string[] = []) => evaluateGate({ service: 'api', statuses, policy, labels, at: 0 });

describe('error-budget policy', () => {
  it('picks the service policy, then the default from the files, then the built-in one', () => {
    const fallback = { ...policy, name: 'fallback', service: null };
    expect(policyFor('api', [fallback, policy]).name).toBe('strict');
    expect(policyFor('web', [fallback, policy]).name).toBe('fallback');
    expect(policyFor('web', [policy])).toBe(DEFAULT_POLICY);
  });

  it('freezes on an exhausted budget at exactly zero remaining, warns below a threshold, and lifts only listed labels', () => {
    const exhausted = gate([status({})], ['P0']);
    // Remaining 0 is "at most 0": frozen; P0 is not among this policy's exceptions.
    expect(exhausted.decision).toBe('frozen');
    expect(exhausted.reasons.map((r) => r.rule)).toEqual(['freeze']);
    expect(exhausted.warnings.map((r) => r.rule)).toEqual(['low']);
    const security = gate([status({})], ['SECURITY']);
    expect(security.decision).toBe('open');
    expect(security.exempted).toEqual([expect.objectContaining({ rule: 'freeze', exemptedBy: 'SECURITY' })]);
  });

  it('freezes while a page fires even with budget left, and opens when neither holds', () => {
    const paging = gate([status({ budgetRemaining: 0.9, alerts: ['page'] })]);
    expect(paging.decision).toBe('frozen');
    expect(paging.reasons[0]?.message).toBe('api-availability: the page burn-rate alert is firing');
    const healthy = gate([status({ budgetRemaining: 0.9, alerts: ['ticket'] })]);
    expect(healthy).toMatchObject({ decision: 'open', reasons: [], warnings: [] });
  });
});
