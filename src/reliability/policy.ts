import { budgetShareRequiresPostmortem, DEFAULT_POSTMORTEM_RULE } from '../incidents/index.js';
import type { ErrorBudgetPolicy, PolicyRule, SloStatus } from './model.js';

/**
 * The error-budget policy as data, and the release gate it drives. The
 * built-in default is the policy engineering leaders usually write down:
 * "if the service has spent its error budget, all changes except P0 and
 * security fixes stop until it is back within its SLO"; and "a single incident
 * that consumes more than 20% of the budget gets a postmortem".
 */
export const DEFAULT_POLICY: ErrorBudgetPolicy = {
  name: 'sextant-default',
  service: null,
  rules: [
    {
      name: 'release-freeze',
      when: { budgetRemainingAtMost: 0 },
      action: 'freeze',
      exceptLabels: ['P0', 'security'],
      description: 'Error budget exhausted: only P0 and security fixes until the service is back within its SLO',
    },
    {
      name: 'postmortem',
      // The incidents module's postmortem rule: one threshold for the gate and the incident page.
      when: { incidentBudgetConsumedAbove: DEFAULT_POSTMORTEM_RULE.budgetShareAbove },
      action: 'requirePostmortem',
      exceptLabels: [],
      description: 'An incident that consumed more than 20% of the error budget needs a postmortem',
    },
  ],
  location: { file: '(built-in)' },
};

/** The service's own policy, else the default one from the files, else the built-in default. */
export function policyFor(service: string, policies: readonly ErrorBudgetPolicy[]): ErrorBudgetPolicy {
  return policies.find((p) => p.service === service) ?? policies.find((p) => p.service === null) ?? DEFAULT_POLICY;
}

export interface GateReason {
  rule: string;
  slo: string;
  message: string;
  /** Set when a label on the change lifted this freeze. */
  exemptedBy?: string;
}

/** An incident's spend of one SLO's budget (see attribution.ts). */
export interface IncidentSpend {
  incident: string;
  slo: string;
  share: number;
}

export interface GateDecision {
  service: string;
  decision: 'open' | 'frozen';
  at: number;
  labels: string[];
  policy: string;
  /** Freezes in force (no label lifted them). */
  reasons: GateReason[];
  /** Freezes lifted by one of the change's labels. */
  exempted: GateReason[];
  warnings: GateReason[];
  postmortemsRequired: Array<IncidentSpend & { rule: string }>;
  slos: Array<{ name: string; budgetRemaining: number; alerts: string[] }>;
}

/**
 * Applies a policy to a service's SLO statuses for a change carrying
 * `labels`. The gate is frozen while any freeze rule holds for any SLO of the
 * service and no label of the change is among that rule's exceptions
 * (compared case-insensitively). A freeze lifts by itself once the SLO is back
 * within its objective, because the rule's condition no longer holds.
 */
export function evaluateGate(input: {
  service: string;
  statuses: readonly SloStatus[];
  policy: ErrorBudgetPolicy;
  labels: readonly string[];
  at: number;
  incidents?: readonly IncidentSpend[];
}): GateDecision {
  const labels = input.labels.map((label) => label.trim()).filter(Boolean);
  const reasons: GateReason[] = [];
  const exempted: GateReason[] = [];
  const warnings: GateReason[] = [];
  const postmortemsRequired: GateDecision['postmortemsRequired'] = [];
  for (const rule of input.policy.rules) {
    if (rule.when.incidentBudgetConsumedAbove !== undefined) {
      const limit = rule.when.incidentBudgetConsumedAbove;
      for (const spend of input.incidents ?? [])
        if (budgetShareRequiresPostmortem(spend.share, limit)) postmortemsRequired.push({ ...spend, rule: rule.name });
      continue;
    }
    for (const status of input.statuses) {
      const message = triggered(rule, status);
      if (message === null) continue;
      const reason: GateReason = { rule: rule.name, slo: status.name, message };
      if (rule.action === 'warn') {
        warnings.push(reason);
        continue;
      }
      if (rule.action !== 'freeze') continue;
      const exception = labels.find((label) => rule.exceptLabels.some((allowed) => allowed.toLowerCase() === label.toLowerCase()));
      if (exception) exempted.push({ ...reason, exemptedBy: exception });
      else reasons.push(reason);
    }
  }
  return {
    service: input.service,
    decision: reasons.length > 0 ? 'frozen' : 'open',
    at: input.at,
    labels,
    policy: input.policy.name,
    reasons,
    exempted,
    warnings,
    postmortemsRequired,
    slos: input.statuses.map((s) => ({ name: s.name, budgetRemaining: s.budgetRemaining, alerts: s.alerts })),
  };
}

/** Why the rule holds for this SLO, or null. */
function triggered(rule: PolicyRule, status: SloStatus): string | null {
  const { budgetRemainingAtMost, alertFiring } = rule.when;
  if (budgetRemainingAtMost !== undefined && status.budgetRemaining <= budgetRemainingAtMost) {
    const remaining = `${formatPercent(status.budgetRemaining)} of the ${status.window} error budget remains`;
    const what = budgetRemainingAtMost <= 0 ? 'error budget exhausted' : `error budget at or below ${formatPercent(budgetRemainingAtMost)}`;
    return `${status.name}: ${what} (${remaining}; attainment ${status.attainment === null ? 'n/a' : formatPercent(status.attainment, 3)} against ${formatPercent(status.target, 3)})`;
  }
  if (alertFiring !== undefined && status.alerts.includes(alertFiring)) {
    return `${status.name}: the ${alertFiring} burn-rate alert is firing`;
  }
  return null;
}

export function formatPercent(fraction: number, decimals = 1): string {
  return `${(fraction * 100).toFixed(decimals)}%`;
}
