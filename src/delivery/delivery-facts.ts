import type { Kysely } from 'kysely';
import type { Org, Service } from '../org/index.js';
import { loadOrg } from '../org/index.js';
import { ValidationError } from '../shared/errors.js';
import type { Database } from '../store/database.js';
import { assessDeploymentsInSlices, type AssessOptions, type Assessment } from './assess-deployments.js';
import type { Deployment, Incident, LeadTimeStart } from './model.js';
import { loadDeployments, loadDeploymentsWithStarts, loadEvidenceChanges, loadIncidents } from './store.js';

type Db = Kysely<Database>;

export interface DeliveryScope {
  /** A team: its services and those of every team below it. */
  teamId?: string | undefined;
  serviceId?: string | undefined;
  /** One environment; default: each service's production environments (DORA counts production). */
  environment?: string | undefined;
}

export interface FactsOptions {
  leadTimeStart: LeadTimeStart;
  assess: AssessOptions;
}

/** Everything a scope's metrics and drill-downs are computed from. */
export interface DeliveryFacts {
  services: Service[];
  assessment: Assessment;
  incidents: Incident[];
}

/**
 * Loads a scope's deployments (with their changes' start times), the changes
 * that are evidence, and incidents, and assesses them. Every
 * deployment of the scope's series is loaded, not only a window's: what a
 * deployment ships first and whether it failed depend on its neighbours.
 */
export async function loadDeliveryFacts(db: Db, scope: DeliveryScope, options: FactsOptions): Promise<DeliveryFacts> {
  const org = await loadOrg(db);
  const services = servicesInScope(org, scope);
  const everyService = scope.teamId === undefined && scope.serviceId === undefined;
  const filter = { serviceIds: everyService ? undefined : services.map((s) => s.id) };
  const counts = environmentFilter(services, scope.environment);
  const loaded = await loadDeploymentsWithStarts(db, filter, options.leadTimeStart);
  const deployments = loaded.deployments.filter(counts);
  // Incidents are production events: they blame production deployments only.
  const production = scope.environment === undefined || isProduction(services, scope.environment);
  const incidents = production ? await loadIncidents(db, filter) : [];
  const namedShas = incidents.flatMap((i) => (i.causedByDeployment === null && i.causedBySha !== null ? [i.causedBySha] : []));
  const kept = new Set(deployments.map((d) => d.id));
  const evidence = (await loadEvidenceChanges(db, filter, options.leadTimeStart, namedShas)).filter((c) => kept.has(c.deploymentId));
  const changes = { startsByDeployment: loaded.startsByDeployment, evidence };
  return { services, assessment: await assessDeploymentsInSlices(deployments, changes, incidents, options.assess), incidents };
}

export function servicesInScope(org: Org, scope: DeliveryScope): Service[] {
  let services = org.services;
  if (scope.teamId !== undefined) {
    if (!org.teams.some((t) => t.id === scope.teamId)) {
      throw new ValidationError('Unknown team', [{ field: 'query.team', message: `team "${scope.teamId}" does not exist` }]);
    }
    const teams = teamAndDescendants(org, scope.teamId);
    services = services.filter((s) => teams.has(s.ownerTeamId));
  }
  if (scope.serviceId !== undefined) {
    if (!org.services.some((s) => s.id === scope.serviceId)) {
      throw new ValidationError('Unknown service', [{ field: 'query.service', message: `service "${scope.serviceId}" does not exist` }]);
    }
    services = services.filter((s) => s.id === scope.serviceId);
  }
  return services;
}

function teamAndDescendants(org: Org, teamId: string): Set<string> {
  const found = new Set([teamId]);
  for (let grew = true; grew;) {
    grew = false;
    for (const team of org.teams) {
      if (team.parentId !== null && found.has(team.parentId) && !found.has(team.id)) {
        found.add(team.id);
        grew = true;
      }
    }
  }
  return found;
}

function environmentFilter(services: Service[], environment: string | undefined): (d: Deployment) => boolean {
  if (environment !== undefined) return (d) => d.environment === environment;
  const production = new Map(services.map((s) => [s.id, productionEnvironments(s)]));
  return (d) => production.get(d.serviceId)?.has(d.environment) ?? false;
}

/**
 * The one rule for "a production environment": the environments the org flags
 * as production for the service; a service the org does not know (an SLO may
 * name one) has the conventional `production` only.
 */
export function productionEnvironments(service: Service | undefined): Set<string> {
  return service ? new Set(service.environments.filter((e) => e.production).map((e) => e.name)) : new Set(['production']);
}

/** What other modules attribute to delivery events: a service's incidents and successful production deployments before `until`. */
export interface DeliveryEvidence {
  incidents: Array<{ id: string; start: number; end: number | null }>;
  deployments: Array<{ id: string; at: number }>;
}

export async function deliveryEvidence(db: Db, serviceId: string, until: number): Promise<DeliveryEvidence> {
  const [incidents, deployments, org] = await Promise.all([
    loadIncidents(db, { serviceIds: [serviceId] }),
    loadDeployments(db, { serviceIds: [serviceId] }),
    loadOrg(db),
  ]);
  const production = productionEnvironments(org.services.find((s) => s.id === serviceId));
  return {
    incidents: incidents
      .filter((incident) => incident.startedAt < until)
      .map((incident) => ({ id: incident.id, start: incident.startedAt, end: incident.resolvedAt })),
    deployments: deployments
      .filter((d) => d.status === 'success' && production.has(d.environment) && d.finishedAt < until)
      .map((d) => ({ id: d.id, at: d.finishedAt })),
  };
}

function isProduction(services: Service[], environment: string): boolean {
  return services.some((s) => s.environments.some((e) => e.name === environment && e.production));
}
