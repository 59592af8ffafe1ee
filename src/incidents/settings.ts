import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { CheckContext, PathIssue } from '../kit/config.js';
import { entityId } from '../org/index.js';
import type { Database } from '../store/database.js';
import { DEFAULT_SEVERITIES, type Runbook, type SeverityLevel } from './model.js';
import { DEFAULT_POSTMORTEM_DUE_BUSINESS_DAYS, DEFAULT_POSTMORTEM_RULE, type PostmortemRule } from './postmortem.js';
import { getSetting, putSetting, replaceRunbooks } from './store.js';

type Db = Kysely<Database>;

const day = z.iso.date({ message: 'must be a date, e.g. 2026-03-01' });

/**
 * The `incidents:` section of sextant.yaml (every key optional):
 *
 *   incidents:
 *     severities: [{ name: SEV1, description: ... }, ...]
 *     postmortem: { dueBusinessDays: 5, required: { severities: [SEV1, SEV2], dataLoss: true, budgetShareAbove: 0.2 } }
 *     alertmanager: { serviceLabel: service, severityLabel: severity }
 *     pagerduty:
 *       - integration: primary
 *         secrets: ['...', '...']          # several while a secret rotates
 *         services: { PXXXXXX: payments-api }
 *     runbooks:
 *       - { service: payments-api, url: https://wiki/runbooks/payments, lastReviewed: 2026-03-01 }
 */
export const incidentsConfig = z
  .strictObject({
    severities: z
      .array(z.strictObject({ name: z.string().trim().min(1).max(20), description: z.string().trim().min(1) }))
      .min(1)
      .default(DEFAULT_SEVERITIES),
    postmortem: z
      .strictObject({
        dueBusinessDays: z.number().int().min(0).max(60).default(DEFAULT_POSTMORTEM_DUE_BUSINESS_DAYS),
        required: z
          .strictObject({
            severities: z.array(z.string().trim().min(1)).default(DEFAULT_POSTMORTEM_RULE.severities),
            dataLoss: z.boolean().default(true),
            budgetShareAbove: z.number().min(0).max(1).default(DEFAULT_POSTMORTEM_RULE.budgetShareAbove),
          })
          .default(DEFAULT_POSTMORTEM_RULE),
      })
      .default({ dueBusinessDays: DEFAULT_POSTMORTEM_DUE_BUSINESS_DAYS, required: DEFAULT_POSTMORTEM_RULE }),
    alertmanager: z
      .strictObject({ serviceLabel: z.string().min(1).default('service'), severityLabel: z.string().min(1).default('severity') })
      .default({ serviceLabel: 'service', severityLabel: 'severity' }),
    pagerduty: z
      .array(
        z.strictObject({
          integration: entityId,
          secrets: z.array(z.string().min(8, 'must be at least 8 characters')).min(1),
          services: z.record(z.string(), entityId).default({}).describe('PagerDuty service id -> Sextant service id'),
        }),
      )
      .default([]),
    runbooks: z.array(z.strictObject({ service: entityId, url: z.url(), lastReviewed: day.nullish() })).default([]),
  })
  .default({
    severities: DEFAULT_SEVERITIES,
    postmortem: { dueBusinessDays: DEFAULT_POSTMORTEM_DUE_BUSINESS_DAYS, required: DEFAULT_POSTMORTEM_RULE },
    alertmanager: { serviceLabel: 'service', severityLabel: 'severity' },
    pagerduty: [],
    runbooks: [],
  });

export type IncidentsConfig = z.infer<typeof incidentsConfig>;
export type IncidentsSection = { incidents: IncidentsConfig };

export interface PagerDutyIntegration {
  integration: string;
  secrets: string[];
  services: Record<string, string>;
}

/** What the module's routes and commands read; stored from sextant.yaml by `apply`, defaults otherwise. */
export interface IncidentSettings {
  severities: SeverityLevel[];
  postmortemDueBusinessDays: number;
  postmortemRule: PostmortemRule;
  alertmanager: { serviceLabel: string; severityLabel: string };
  pagerduty: PagerDutyIntegration[];
}

export const DEFAULT_SETTINGS: IncidentSettings = {
  severities: DEFAULT_SEVERITIES,
  postmortemDueBusinessDays: DEFAULT_POSTMORTEM_DUE_BUSINESS_DAYS,
  postmortemRule: DEFAULT_POSTMORTEM_RULE,
  alertmanager: { serviceLabel: 'service', severityLabel: 'severity' },
  pagerduty: [],
};

const SETTINGS_KEY = 'settings';

export async function loadIncidentSettings(db: Db): Promise<IncidentSettings> {
  return { ...DEFAULT_SETTINGS, ...((await getSetting<Partial<IncidentSettings>>(db, SETTINGS_KEY)) ?? {}) };
}

export async function saveIncidentSettings(db: Db, settings: IncidentSettings): Promise<void> {
  await putSetting(db, SETTINGS_KEY, settings);
}

/** Stores the section: settings (PagerDuty secrets included, never logged or returned by the API) and runbooks. */
export async function applyIncidentsConfig(db: Db, section: IncidentsConfig): Promise<{ summary: string }> {
  await db.transaction().execute(async (tx) => {
    await saveIncidentSettings(tx, {
      severities: section.severities,
      postmortemDueBusinessDays: section.postmortem.dueBusinessDays,
      postmortemRule: section.postmortem.required,
      alertmanager: section.alertmanager,
      pagerduty: section.pagerduty,
    });
    const runbooks: Array<Omit<Runbook, 'source'>> = section.runbooks.map((r) => ({
      serviceId: r.service,
      url: r.url,
      lastReviewedAt: r.lastReviewed ? Date.parse(`${r.lastReviewed}T00:00:00Z`) : null,
    }));
    await replaceRunbooks(tx, runbooks, 'config');
  });
  return {
    summary: `${section.severities.length} severity levels, ${section.pagerduty.length} PagerDuty integrations, ${section.runbooks.length} runbooks`,
  };
}

export function checkIncidentsReferences(section: IncidentsSection, { known }: CheckContext): PathIssue[] {
  const issues: PathIssue[] = [];
  section.incidents.runbooks.forEach((r, i) => {
    if (!known.services.has(r.service))
      issues.push({ path: ['incidents', 'runbooks', i, 'service'], message: `unknown service "${r.service}"` });
  });
  section.incidents.pagerduty.forEach((p, i) => {
    for (const [pdService, service] of Object.entries(p.services)) {
      if (!known.services.has(service))
        issues.push({ path: ['incidents', 'pagerduty', i, 'services', pdService], message: `unknown service "${service}"` });
    }
  });
  const names = new Set<string>();
  section.incidents.severities.forEach((s, i) => {
    if (names.has(s.name.toLowerCase()))
      issues.push({ path: ['incidents', 'severities', i, 'name'], message: `"${s.name}" is listed twice` });
    names.add(s.name.toLowerCase());
  });
  return issues;
}

export function incidentsTemplate(): string {
  return `# Incidents: severity scale, postmortem rule, webhooks and runbooks. Every key is
# optional; incidents arrive through the API (\`POST /api/v1/incidents\`,
# \`sextant incident record\`), Alertmanager and PagerDuty webhooks.
incidents:
  postmortem:
    # Postmortems are due this many business days after resolution.
    dueBusinessDays: ${DEFAULT_POSTMORTEM_DUE_BUSINESS_DAYS}
  pagerduty: []
  #  - integration: primary
  #    secrets: ['<signing secret of the v3 webhook subscription>']
  #    services: { PXXXXXX: app }
  runbooks: []
  #  - { service: app, url: https://wiki.example.com/runbooks/app, lastReviewed: 2026-01-15 }
`;
}
