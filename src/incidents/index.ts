import { defineModule } from '../kit/module.js';
import { registerIncidentCommands } from './cli.js';
import { loadIncidentsDemo } from './demo.js';
import { incidentsMigration } from './migrations/0401-incidents.js';
import { runbookSourceMigration } from './migrations/0402-runbook-source.js';
import { incidentsReviewSection } from './review.js';
import { incidentRoutes } from './routes.js';
import { applyIncidentsConfig, checkIncidentsReferences, incidentsConfig, incidentsTemplate, type IncidentsSection } from './settings.js';

/**
 * Incidents: lifecycle milestones, roles and timelines; blameless
 * postmortems; remediation items; incident metrics; Alertmanager and
 * PagerDuty webhooks; runbooks. Delivery reads incidents from here for change
 * failure rate and recovery time; deployments and budget spent come back
 * through lookups (kit/lookups.ts), since those modules import this one.
 */
export const incidentsModule = defineModule<IncidentsSection>({
  name: 'incidents',
  migrations: { '0401-incidents': incidentsMigration, '0402-runbook-source': runbookSourceMigration },
  routes: (store, peers) => incidentRoutes(store, peers.lookups),
  commands: registerIncidentCommands,
  config: {
    shape: { incidents: incidentsConfig },
    check: checkIncidentsReferences,
    apply: async (store, section) => applyIncidentsConfig(store.db, section.incidents),
    template: incidentsTemplate,
  },
  reviewSection: (store, range) => incidentsReviewSection(store.db, range),
  demo: async (context) => loadIncidentsDemo(context),
});

export { deliveryIncidents, replaceDemoIncidents, saveDeliveryIncidents, type DeliveryIncident } from './store.js';
export { budgetShareRequiresPostmortem, DEFAULT_POSTMORTEM_RULE, type PostmortemRule } from './postmortem.js';
