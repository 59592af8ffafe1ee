import { ValidationError } from '../shared/errors.js';
import { budgetSpentDuring } from './attribution.js';
import type { CountsSource } from './counts.js';
import { evaluateSlo } from './evaluate.js';
import type { IncidentSpan } from './incidents-csv.js';
import type { DefinitionSet } from './model.js';
import { evaluateGate, policyFor, type GateDecision, type IncidentSpend } from './policy.js';
import { maintenanceIntervals } from './windows.js';

/**
 * May this service release now? Evaluates the service's SLOs at `at`, the
 * spend of each of its incidents, and applies its error-budget policy.
 * Throws a ValidationError when no SLO belongs to the service (a typo in CI
 * must not read as "open").
 */
export function releaseGate(
  set: DefinitionSet,
  sourceFor: (sloName: string) => CountsSource,
  request: { service: string; labels: readonly string[]; at: number; incidents?: readonly IncidentSpan[] },
): GateDecision {
  const definitions = set.slos.filter((slo) => slo.service === request.service);
  if (definitions.length === 0) {
    const services = [...new Set(set.slos.map((slo) => slo.service))].sort();
    throw new ValidationError(`No SLO belongs to service "${request.service}"`, [
      { field: 'service', message: `no SLO has service "${request.service}" (services with SLOs: ${services.join(', ') || 'none'})` },
    ]);
  }
  const contexts = definitions.map((definition) => ({
    definition,
    source: sourceFor(definition.name),
    excluded: maintenanceIntervals(definition, set.maintenanceWindows),
  }));
  const incidents: IncidentSpend[] = (request.incidents ?? [])
    .filter((incident) => incident.service === request.service && incident.start < request.at)
    .flatMap((incident) =>
      contexts.map((context) => ({
        incident: incident.id,
        slo: context.definition.name,
        share: budgetSpentDuring(context, [incident.start, Math.min(incident.end, request.at)]).share,
      })),
    );
  return evaluateGate({
    service: request.service,
    statuses: contexts.map((context) => evaluateSlo(context, request.at)),
    policy: policyFor(request.service, set.policies),
    labels: request.labels,
    at: request.at,
    incidents,
  });
}
