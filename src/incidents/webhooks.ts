import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { UnauthorizedError } from '../shared/errors.js';
import type { SeverityLevel } from './model.js';
import type { IncidentPatch } from './record.js';
import type { IncidentSettings, PagerDutyIntegration } from './settings.js';

// --- Prometheus Alertmanager ---------------------------------------------------------

const label = z.record(z.string(), z.string());
const rfc3339 = z.iso.datetime({ offset: true, message: 'must be an RFC 3339 time' });

/** Alertmanager's `webhook_config` body (version 4), as documented in its configuration reference. */
export const alertmanagerPayload = z
  .object({
    version: z.string(),
    groupKey: z.string().min(1),
    status: z.enum(['firing', 'resolved']),
    receiver: z.string(),
    groupLabels: label,
    commonLabels: label,
    commonAnnotations: label,
    externalURL: z.string(),
    alerts: z
      .array(
        z.object({
          status: z.enum(['firing', 'resolved']),
          labels: label,
          annotations: label,
          startsAt: rfc3339,
          endsAt: rfc3339,
          generatorURL: z.string().optional(),
          fingerprint: z.string().min(1),
        }),
      )
      .min(1),
  })
  .meta({ id: 'AlertmanagerWebhook' });
export type AlertmanagerPayload = z.infer<typeof alertmanagerPayload>;

/** Incidents opened from one alert group share this prefix; the group's start time follows. */
export function alertGroupPrefix(groupKey: string): string {
  return `alertmanager:${createHash('sha256').update(groupKey).digest('hex').slice(0, 16)}:`;
}

/** Alertmanager's usual severity labels, as positions on the workspace's scale (clamped to its length). */
const ALERT_SEVERITY_POSITION: Record<string, number> = { critical: 1, page: 1, error: 2, warning: 2, info: 3 };

export function alertSeverity(value: string | undefined, scale: readonly SeverityLevel[]): string | null {
  if (value === undefined) return null;
  const onScale = scale.find((s) => s.name.toLowerCase() === value.toLowerCase());
  if (onScale) return onScale.name;
  const position = ALERT_SEVERITY_POSITION[value.toLowerCase()];
  return position === undefined ? null : (scale[Math.min(position, scale.length - 1)]?.name ?? null);
}

/**
 * A notification about one alert group as an incident patch. A firing group
 * opens an incident (impact start and detection at the earliest alert's
 * start) or updates the group's open one (`openId`); a resolved group sets the
 * resolved milestone to the last alert's end. Returns the field that is
 * missing when the payload names no service.
 */
export function alertmanagerPatch(
  payload: AlertmanagerPayload,
  settings: Pick<IncidentSettings, 'alertmanager' | 'severities'>,
  openId: string | null,
): IncidentPatch | { missing: string } {
  const { serviceLabel, severityLabel } = settings.alertmanager;
  const labelOf = (name: string) => payload.commonLabels[name] ?? payload.groupLabels[name] ?? payload.alerts[0]?.labels[name];
  const service = labelOf(serviceLabel);
  if (service === undefined) return { missing: `body.commonLabels.${serviceLabel}` };
  const start = Math.min(...payload.alerts.map((a) => Date.parse(a.startsAt)));
  const id = openId ?? `${alertGroupPrefix(payload.groupKey)}${Math.floor(start / 1000)}`;
  const alertname = labelOf('alertname') ?? 'alert';
  const title = payload.commonAnnotations.summary ?? `${alertname} on ${service}`;
  const resolved = payload.status === 'resolved';
  const resolvedAt = resolved ? Math.max(...payload.alerts.map((a) => Date.parse(a.endsAt))) : null;
  const events = payload.alerts.flatMap((alert) => {
    const name = alert.labels.alertname ?? alertname;
    const fired = {
      id: `am:${alert.fingerprint}:${alert.startsAt}`,
      at: Date.parse(alert.startsAt),
      kind: 'alert',
      text: `${name} firing`,
      author: 'alertmanager',
      pinned: false,
    };
    return alert.status === 'resolved'
      ? [fired, { ...fired, id: `${fired.id}:resolved`, at: Date.parse(alert.endsAt), text: `${name} resolved` }]
      : [fired];
  });
  return {
    id,
    ...(openId === null ? { title } : {}),
    serviceId: service,
    ...(openId === null ? { severity: alertSeverity(labelOf(severityLabel), settings.severities) } : {}),
    milestones:
      openId === null ? { impactStartedAt: start, detectedAt: start, ...(resolved ? { resolvedAt } : {}) } : resolved ? { resolvedAt } : {},
    events,
  };
}

// --- PagerDuty v3 webhooks ---------------------------------------------------------

const reference = z.object({ id: z.string().min(1), summary: z.string().optional(), type: z.string().optional() });

/** The parts of a PagerDuty v3 webhook (an incident.* event) that Sextant reads. */
export const pagerDutyPayload = z
  .object({
    event: z.object({
      id: z.string().min(1),
      event_type: z.string().min(1),
      resource_type: z.string().min(1),
      occurred_at: rfc3339,
      agent: reference.nullish(),
      data: z.object({
        id: z.string().min(1),
        type: z.string().optional(),
        title: z.string().optional(),
        status: z.string().optional(),
        created_at: rfc3339.optional(),
        html_url: z.string().optional(),
        service: reference.optional(),
        priority: reference.nullish(),
        urgency: z.string().optional(),
        assignees: z.array(reference).optional(),
      }),
    }),
  })
  .meta({ id: 'PagerDutyWebhook' });
export type PagerDutyPayload = z.infer<typeof pagerDutyPayload>;

/**
 * Checks `X-PagerDuty-Signature` (`v1=<hex>`, several comma-separated while a
 * secret rotates) against HMAC-SHA256 of the raw body under each of the
 * integration's secrets; any match passes. Throws UnauthorizedError
 * otherwise, without saying which secret was tried.
 */
export function verifyPagerDutySignature(rawBody: string, header: string | undefined, secrets: readonly string[]): void {
  if (!header) throw new UnauthorizedError('Missing X-PagerDuty-Signature header');
  const signatures = header
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('v1='))
    .map((s) => Buffer.from(s.slice(3), 'hex'));
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(rawBody, 'utf8').digest();
    if (signatures.some((sig) => sig.length === expected.length && timingSafeEqual(sig, expected))) return;
  }
  throw new UnauthorizedError('X-PagerDuty-Signature does not match the integration secret');
}

export const PAGERDUTY_EVENTS = ['incident.triggered', 'incident.acknowledged', 'incident.resolved'] as const;

/**
 * A PagerDuty incident event as a patch: triggered opens the incident (impact
 * start and detection at the incident's creation), acknowledged and resolved
 * set those milestones at the event's time. The service is the integration's
 * mapping of the PagerDuty service id, else a Sextant service whose id is the
 * PagerDuty service name in lower case with dashes. Other event types only add
 * a timeline entry. Null: not an incident event.
 */
export function pagerDutyPatch(
  payload: PagerDutyPayload,
  integration: PagerDutyIntegration,
  knownServices: ReadonlySet<string>,
): IncidentPatch | { missing: string; message: string } | null {
  const { event } = payload;
  if (event.resource_type !== 'incident') return null;
  const data = event.data;
  const pdService = data.service;
  if (!pdService) return { missing: 'body.event.data.service', message: 'is required' };
  const slug = (pdService.summary ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  const service = integration.services[pdService.id] ?? (knownServices.has(slug) ? slug : undefined);
  if (service === undefined) {
    return {
      missing: 'body.event.data.service',
      message: `PagerDuty service ${pdService.id} (${pdService.summary ?? 'no name'}) is not mapped to a Sextant service (incidents.pagerduty[].services)`,
    };
  }
  const at = Date.parse(event.occurred_at);
  const created = data.created_at ? Date.parse(data.created_at) : at;
  const agent = event.agent?.summary ?? null;
  const milestones: IncidentPatch['milestones'] = { impactStartedAt: created, detectedAt: created };
  if (event.event_type === 'incident.acknowledged') milestones.acknowledgedAt = at;
  if (event.event_type === 'incident.resolved') milestones.resolvedAt = at;
  return {
    id: `pagerduty:${data.id}`,
    ...(data.title ? { title: data.title } : {}),
    serviceId: service,
    ...(data.priority?.summary ? { priority: data.priority.summary } : {}),
    milestones,
    events: [
      {
        id: `pd:${event.id}`,
        at,
        kind: 'pagerduty',
        text: `${event.event_type}${data.html_url ? ` (${data.html_url})` : ''}`,
        author: agent,
        pinned: false,
      },
    ],
  };
}
