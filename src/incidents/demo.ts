import type { DemoContext, DemoReport } from '../kit/demo.js';
import { loadOrg, type Org } from '../org/index.js';
import { SeededRandom } from '../shared/random.js';
import {
  DAY_MS,
  emptySections,
  REMEDIATION_TYPES,
  type Incident,
  type Postmortem,
  type RemediationItem,
  type TimelineEvent,
} from './model.js';
import { addBusinessDays, DEFAULT_POSTMORTEM_DUE_BUSINESS_DAYS, postmortemReasons } from './postmortem.js';
import { insertEvents, loadIncidents, replaceRunbooks, savePostmortems, upsertIncidents, upsertRemediation } from './store.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** What went wrong, per service, for demo titles, tags and postmortems. */
const FAILURES: Record<string, Array<[title: string, tag: string]>> = {
  'api-gateway': [
    ['Elevated 502s from the edge', 'upstream-timeouts'],
    ['TLS handshake failures after config push', 'config-push'],
  ],
  identity: [
    ['Login failures for SSO users', 'sso'],
    ['Token refresh latency', 'session-store'],
  ],
  'payments-api': [
    ['Card payments failing with 5xx', 'db-connection-pool'],
    ['Duplicate payment confirmations', 'idempotency'],
  ],
  ledger: [
    ['Ledger postings delayed', 'batch-backlog'],
    ['Reconciliation job failing', 'reconciliation'],
  ],
  'checkout-web': [
    ['Checkout page errors', 'frontend-release'],
    ['Slow checkout page loads', 'cdn'],
  ],
  cart: [
    ['Cart contents lost on refresh', 'session-store'],
    ['Cart API latency', 'cache-eviction'],
  ],
  'search-api': [
    ['Search returning stale results', 'index-lag'],
    ['Search timeouts', 'query-load'],
  ],
  recommender: [
    ['Recommendations empty', 'model-serving'],
    ['Recommender feature store lagging', 'feature-pipeline'],
  ],
};

/**
 * The incidents module's part of the demo: delivery's demo wrote the year's
 * incidents beside its deployments (replaceDemoIncidents); this gives them
 * titles, acknowledgement and mitigation milestones, roles, tags, closing,
 * postmortems (most published, some overdue) with remediation items (some
 * overdue), and adds the incidents reliability's demo SLOs show (the
 * payments-api outage that spent its budget, the checkout-web and gateway
 * blips), a game day (drill) and a repeat incident. Runbooks: every service,
 * two not reviewed for months.
 */
export async function loadIncidentsDemo({ store, options, lookups }: DemoContext): Promise<DemoReport> {
  const now = Math.floor((options.now ?? Date.now()) / MINUTE_MS) * MINUTE_MS;
  const db = store.db;
  const org = await loadOrg(db);
  const random = new SeededRandom(options.seed * 4099 + 17);
  const written = await loadIncidents(db, { includeDrills: true });
  const fromDelivery = written
    .filter((i) => i.source === 'demo')
    .sort((a, b) => a.milestones.impactStartedAt - b.milestones.impactStartedAt);

  const incidents: Incident[] = fromDelivery.map((i) => enrich(i, org, random, now));
  const fromSlos = sloIncidents(org, now);
  incidents.push(...fromSlos);
  incidents.push(gameDay(org, now));
  markRepeat(incidents);
  // What the incidents the SLOs show spent of their budgets (delivery's incidents fall at other
  // times than reliability's demo traffic dips, so theirs is not computed: it would read a year of data).
  const spends = new Map<string, Array<{ slo: string; share: number }>>();
  const spans = fromSlos.map((i) => ({
    id: i.id,
    serviceId: i.serviceId,
    start: i.milestones.impactStartedAt,
    end: i.milestones.resolvedAt,
  }));
  for (const spend of (await lookups?.budgetSpent?.(db, spans, now)) ?? []) spends.set(spend.id, [...(spends.get(spend.id) ?? []), spend]);

  const postmortems: Postmortem[] = [];
  const items: RemediationItem[] = [];
  const events: TimelineEvent[] = [];
  for (const incident of incidents) {
    const m = incident.milestones;
    if (m.resolvedAt === null) continue;
    const requiredBecause = postmortemReasons(incident, spends.get(incident.id) ?? []);
    // Game days get a postmortem too: that is what they rehearse.
    if (requiredBecause.length === 0 && !incident.drill) continue;
    const dueAt = addBusinessDays(m.resolvedAt, DEFAULT_POSTMORTEM_DUE_BUSINESS_DAYS);
    const age = now - m.resolvedAt;
    // Older postmortems are published; the last weeks' are in review or still drafts (some past due).
    const status: Postmortem['status'] =
      age > 21 * DAY_MS ? (random.chance(0.9) ? 'published' : 'draft') : age > 8 * DAY_MS ? 'in-review' : 'draft';
    const reviewedAt = status === 'draft' ? null : Math.min(now, m.resolvedAt + random.int(2, 6) * DAY_MS);
    postmortems.push({
      incidentId: incident.id,
      status,
      sections: sectionsFor(incident, org),
      internalNotes: 'Vendor ticket and on-call pages are linked in the incident channel.',
      requiredBecause,
      reviewers: reviewersOf(incident, org),
      dueAt,
      reviewedAt,
      publishedAt: status === 'published' ? Math.min(now, (reviewedAt ?? m.resolvedAt) + random.int(1, 5) * DAY_MS) : null,
    });
    const owners = ownersOf(incident, org);
    const count = random.int(1, 3);
    for (let k = 0; k < count; k++) {
      const due = (reviewedAt ?? m.resolvedAt) + 7 * DAY_MS + random.int(0, 21) * DAY_MS;
      // Most items are done, on time or a little late; some recent ones (and an older few) are still open.
      const done = due < now - 10 * DAY_MS ? random.chance(0.85) : random.chance(0.3);
      const resolvedAt = done ? Math.min(now, due + random.int(-6, 4) * DAY_MS) : null;
      const owner = owners[k % owners.length] as { id: string; teamId: string };
      items.push({
        id: `${incident.id}/${k + 1}`,
        incidentId: incident.id,
        description: ACTIONS[(k + incident.id.length) % ACTIONS.length] as string,
        type: REMEDIATION_TYPES[(k + incident.id.length) % REMEDIATION_TYPES.length] as RemediationItem['type'],
        priority: k === 0 ? 'P1' : 'P2',
        owner: owner.id,
        teamId: owner.teamId,
        dueAt: due,
        status: done ? 'done' : random.chance(0.4) ? 'in-progress' : 'open',
        ticketUrl: `https://tracker.example.com/browse/OPS-${1000 + items.length}`,
        resolvedAt: resolvedAt === null ? null : Math.max(resolvedAt, m.resolvedAt + DAY_MS),
        createdAt: reviewedAt ?? m.resolvedAt,
      });
    }
    events.push(...timelineFor(incident));
  }

  await db.transaction().execute(async (tx) => {
    await upsertIncidents(tx, incidents, now);
    await savePostmortems(tx, postmortems, now);
    await upsertRemediation(tx, items);
    await insertEvents(tx, events);
    await replaceRunbooks(
      tx,
      org.services.map((s, index) => ({
        serviceId: s.id,
        url: `https://wiki.example.com/runbooks/${s.id}`,
        lastReviewedAt: now - (index % 4 === 3 ? 120 + index : 10 + index * 7) * DAY_MS,
      })),
      'demo',
    );
  });
  return { incidents: incidents.length, postmortems: postmortems.length, remediationItems: items.length, timelineEvents: events.length };
}

const ACTIONS = [
  'Add an alert on connection-pool saturation before requests fail',
  'Roll out the config change behind a feature flag with automatic rollback',
  'Document the failover procedure in the runbook and rehearse it',
  'Add a canary stage that compares error rates before full rollout',
  'Investigate why retries amplified the load on the database',
  'Cap the batch size of the nightly job',
];

function enrich(incident: Incident, org: Org, random: SeededRandom, now: number): Incident {
  const base = incident.serviceId.replace(/-\d+$/, '');
  const failures = FAILURES[base] ?? [['Service degraded', 'degradation']];
  const [title, area] = failures[random.int(0, failures.length - 1)] as [string, string];
  const m = { ...incident.milestones };
  const detected = m.detectedAt ?? m.impactStartedAt;
  if (m.resolvedAt !== null) {
    const span = m.resolvedAt - detected;
    m.acknowledgedAt = Math.min(m.resolvedAt, detected + random.int(1, 12) * MINUTE_MS);
    const mitigated = detected + Math.round((span * (0.3 + 0.5 * random.next())) / 1000) * 1000;
    m.mitigatedAt = Math.max(m.impactStartedAt, Math.min(m.resolvedAt, mitigated));
    if (now - m.resolvedAt > 14 * DAY_MS) m.closedAt = m.resolvedAt + random.int(1, 10) * DAY_MS;
  }
  const people = org.people.filter((p) => !p.bot && p.teamId === org.services.find((s) => s.id === incident.serviceId)?.ownerTeamId);
  const pick = () => (people.length === 0 ? null : (people[random.int(0, people.length - 1)]?.id ?? null));
  return {
    ...incident,
    title,
    severity: incident.severity,
    milestones: m,
    status: m.closedAt !== null ? 'closed' : m.resolvedAt !== null ? 'resolved' : 'investigating',
    roles: { commander: pick(), communications: pick(), scribe: null, responders: [pick(), pick()].filter((p): p is string => p !== null) },
    customerImpact:
      incident.severity === 'SEV1' ? 'Most customers of the service saw errors.' : 'Some customers saw errors or slow responses.',
    // An area tag unique to the incident: the demo's one repeat is made on purpose (markRepeat).
    tags: [`${area}-${incident.id.split('-').pop()}`],
  };
}

function blank(id: string, serviceId: string, title: string, start: number, end: number | null, severity: string, tag: string): Incident {
  return {
    id,
    title,
    serviceId,
    services: [serviceId],
    severity,
    priority: severity === 'SEV1' ? 'P1' : 'P2',
    status: end === null ? 'investigating' : 'resolved',
    milestones: {
      impactStartedAt: start,
      detectedAt: start + 4 * MINUTE_MS,
      acknowledgedAt: start + 9 * MINUTE_MS,
      mitigatedAt: end === null ? null : end - Math.round((end - start) / 4),
      resolvedAt: end,
      closedAt: null,
    },
    roles: { commander: null, communications: null, scribe: null, responders: [] },
    customerImpact: null,
    causedByDeployment: null,
    causedBySha: null,
    tags: [tag],
    drill: false,
    dataLoss: false,
    source: 'demo',
  };
}

/** The incidents reliability's demo SLOs show (src/reliability/demo.ts PROFILES): same services, same hours. */
function sloIncidents(org: Org, now: number): Incident[] {
  const known = new Set(org.services.map((s) => s.id));
  const out: Incident[] = [];
  if (known.has('payments-api'))
    out.push({
      ...blank(
        'demo:payments-api:outage',
        'payments-api',
        'Card payments failing: 25% of requests returned 5xx',
        now - 56 * HOUR_MS,
        now - 48 * HOUR_MS,
        'SEV1',
        'db-connection-pool',
      ),
      customerImpact: 'A quarter of card payments failed for eight hours; customers retried or abandoned checkout.',
    });
  if (known.has('checkout-web'))
    out.push(
      blank(
        'demo:checkout-web:errors',
        'checkout-web',
        'Checkout page errors after a release',
        now - 9 * HOUR_MS,
        now - 8.5 * HOUR_MS,
        'SEV2',
        'frontend-release',
      ),
    );
  if (known.has('api-gateway'))
    out.push(
      blank(
        'demo:api-gateway:latency',
        'api-gateway',
        'Gateway latency above objective',
        now - 30 * HOUR_MS,
        now - 29 * HOUR_MS,
        'SEV3',
        'upstream-timeouts',
      ),
    );
  return out;
}

/** A game day: identity's failover rehearsed, kept and shown, excluded from metrics. */
function gameDay(org: Org, now: number): Incident {
  const service = org.services.find((s) => s.id === 'identity')?.id ?? (org.services[0]?.id as string);
  const start = Math.floor((now - 60 * DAY_MS) / DAY_MS) * DAY_MS + 14 * HOUR_MS;
  return {
    ...blank(
      'demo:game-day:identity-failover',
      service,
      'Game day: identity database failover',
      start,
      start + 45 * MINUTE_MS,
      'SEV2',
      'game-day',
    ),
    drill: true,
    priority: null,
  };
}

/** Makes the last two incidents of one service within 30 days share a tag: a repeat incident. */
function markRepeat(incidents: Incident[]): void {
  const sorted = incidents
    .filter((i) => !i.drill && i.serviceId === 'payments-api')
    .sort((a, b) => a.milestones.impactStartedAt - b.milestones.impactStartedAt);
  for (let i = sorted.length - 1; i > 0; i--) {
    const later = sorted[i] as Incident;
    const earlier = sorted[i - 1] as Incident;
    if (later.milestones.impactStartedAt - earlier.milestones.impactStartedAt <= 30 * DAY_MS) {
      earlier.tags = [...new Set([...earlier.tags, 'db-connection-pool'])];
      later.tags = [...new Set([...later.tags, 'db-connection-pool'])];
      return;
    }
  }
}

function reviewersOf(incident: Incident, org: Org): string[] {
  const team = org.services.find((s) => s.id === incident.serviceId)?.ownerTeamId;
  return org.people
    .filter((p) => !p.bot && p.teamId !== team)
    .slice(0, 2)
    .map((p) => p.id);
}

function ownersOf(incident: Incident, org: Org): Array<{ id: string; teamId: string }> {
  const team = org.services.find((s) => s.id === incident.serviceId)?.ownerTeamId ?? (org.teams[0]?.id as string);
  const people = org.people.filter((p) => !p.bot && p.teamId === team).map((p) => ({ id: p.id, teamId: team }));
  return people.length > 0 ? people : [{ id: team, teamId: team }];
}

function sectionsFor(incident: Incident, org: Org): Postmortem['sections'] {
  const service = org.services.find((s) => s.id === incident.serviceId)?.name ?? incident.serviceId;
  const tag = incident.tags[0] ?? 'the failure';
  const sections = emptySections();
  sections.summary = `${incident.title}. ${service} was degraded from impact start until resolution.`;
  sections.impact = incident.customerImpact ?? 'Some requests failed.';
  sections.rootCauses = `The ${tag.replace(/-/g, ' ')} could not absorb the load the change put on it.`;
  sections.contributingFactors = 'The alert fired on errors, not on the saturation that preceded them.';
  sections.trigger = incident.causedByDeployment ? `Deployment ${incident.causedByDeployment}.` : 'A traffic peak.';
  sections.resolution = 'Rolled back and raised the limit; error rates returned to normal.';
  sections.detection = 'The burn-rate alert paged the on-call engineer.';
  sections.wentWell = 'The rollback took minutes and the runbook was current.';
  sections.wentWrong = 'The dashboards did not show saturation, so diagnosis took longer.';
  sections.gotLucky = 'The peak ended soon after the incident began.';
  return sections;
}

function timelineFor(incident: Incident): TimelineEvent[] {
  const m = incident.milestones;
  const at = m.detectedAt ?? m.impactStartedAt;
  return [
    {
      id: `${incident.id}#1`,
      incidentId: incident.id,
      at: at + MINUTE_MS,
      kind: 'note',
      text: 'Incident channel opened; status page updated',
      author: incident.roles.communications,
      pinned: false,
    },
    {
      id: `${incident.id}#2`,
      incidentId: incident.id,
      at: (m.mitigatedAt ?? at) - MINUTE_MS,
      kind: 'decision',
      text: 'Decided to roll back rather than fix forward',
      author: incident.roles.commander,
      pinned: true,
    },
  ];
}
