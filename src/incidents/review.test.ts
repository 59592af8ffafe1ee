import { afterEach, describe, expect, it } from 'vitest';
import { saveService, saveTeam } from '../org/index.js';
import type { Store } from '../store/database.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import { emptySections, type Incident, type Postmortem, type RemediationItem } from './model.js';
import { incidentsReviewSection } from './review.js';
import { replaceRunbooks, savePostmortems, upsertIncidents, upsertRemediation } from './store.js';

const t = (iso: string) => Date.parse(iso);
const WEEK = { from: '2026-03-02', to: '2026-03-08', timeZone: 'UTC' };

function incident(
  id: string,
  title: string,
  severity: string,
  start: string,
  resolved: string | null,
  extra: Partial<Incident> = {},
): Incident {
  return {
    id,
    title,
    serviceId: 'checkout',
    services: ['checkout'],
    severity,
    priority: null,
    status: resolved === null ? 'investigating' : 'resolved',
    milestones: {
      impactStartedAt: t(start),
      detectedAt: null,
      acknowledgedAt: null,
      mitigatedAt: null,
      resolvedAt: resolved === null ? null : t(resolved),
      closedAt: null,
    },
    roles: { commander: null, communications: null, scribe: null, responders: [] },
    customerImpact: null,
    causedByDeployment: null,
    causedBySha: null,
    tags: [],
    drill: false,
    dataLoss: false,
    source: 'test',
    ...extra,
  };
}

function postmortem(incidentId: string, status: Postmortem['status'], due: string, published: string | null = null): Postmortem {
  return {
    incidentId,
    status,
    sections: emptySections(),
    internalNotes: null,
    reviewers: [],
    dueAt: t(due),
    reviewedAt: null,
    publishedAt: published === null ? null : t(published),
    requiredBecause: ['severity SEV1'],
  };
}

function item(
  id: string,
  incidentId: string,
  description: string,
  owner: string,
  due: string,
  status: RemediationItem['status'],
  resolved: string | null,
): RemediationItem {
  return {
    id,
    incidentId,
    description,
    type: 'prevent',
    priority: 'P1',
    owner,
    teamId: 'shop',
    dueAt: t(due),
    status,
    ticketUrl: null,
    resolvedAt: resolved === null ? null : t(resolved),
    createdAt: t('2026-02-10T00:00:00Z'),
  };
}

/**
 * The week 2026-03-02..08 (UTC), reviewed as of 2026-03-09T00:00Z:
 * - INC-1 (SEV1) started and resolved on 3 March; INC-2 (SEV3) started 7 March, still open;
 *   INC-0 (SEV2) started 1 February and was resolved only on 10 March, so it was open at the
 *   week's end; the game day GD-1 is a drill and never counts.
 * - Postmortems: INC-0's draft was due 5 March (overdue); INC-1's in review falls due 10 March
 *   (within the next seven days); INC-9's was published on 6 March (not due any more).
 * - Remediation: "Add a circuit breaker" (due 1 March, open) and "Alert on queue depth" (due
 *   6 March, closed only on 10 March) were overdue at the week's end; "Fix the retry loop" was
 *   closed on 3 March before its 4 March due date, and "Load test" is due 20 March.
 * - Runbooks: checkout reviewed 2025-11-01 (128 days before 9 March: stale), search reviewed
 *   2026-01-15 (53 days: fresh), payments never reviewed (stale).
 */
async function seed(store: Store): Promise<void> {
  await saveTeam(store.db, { id: 'shop', name: 'Shop', parentId: null, description: null });
  for (const id of ['checkout', 'search', 'payments'])
    await saveService(store.db, { id, name: id, ownerTeamId: 'shop', description: null, repositories: [], environments: [] });
  await upsertIncidents(
    store.db,
    [
      incident('INC-1', 'Checkout down', 'SEV1', '2026-03-03T10:00:00Z', '2026-03-03T12:00:00Z'),
      incident('INC-2', 'Slow search', 'SEV3', '2026-03-07T09:00:00Z', null, { serviceId: 'search', services: ['search'] }),
      incident('INC-0', 'Queue backlog', 'SEV2', '2026-02-01T10:00:00Z', '2026-03-10T08:00:00Z'),
      incident('INC-9', 'Card errors', 'SEV2', '2026-02-20T10:00:00Z', '2026-02-20T11:00:00Z'),
      incident('GD-1', 'Game day', 'SEV2', '2026-03-04T10:00:00Z', null, { drill: true }),
    ],
    t('2026-03-10T00:00:00Z'),
  );
  await savePostmortems(
    store.db,
    [
      postmortem('INC-0', 'draft', '2026-03-05T00:00:00Z'),
      postmortem('INC-1', 'in-review', '2026-03-10T00:00:00Z'),
      postmortem('INC-9', 'published', '2026-03-05T00:00:00Z', '2026-03-06T00:00:00Z'),
    ],
    t('2026-03-10T00:00:00Z'),
  );
  await upsertRemediation(store.db, [
    item('r1', 'INC-0', 'Add a circuit breaker', 'shop', '2026-03-01T00:00:00Z', 'open', null),
    item('r2', 'INC-0', 'Alert on queue depth', 'dana', '2026-03-06T00:00:00Z', 'done', '2026-03-10T00:00:00Z'),
    item('r3', 'INC-0', 'Fix the retry loop', 'dana', '2026-03-04T00:00:00Z', 'done', '2026-03-03T00:00:00Z'),
    item('r4', 'INC-1', 'Load test', 'shop', '2026-03-20T00:00:00Z', 'open', null),
  ]);
  await replaceRunbooks(
    store.db,
    [
      { serviceId: 'checkout', url: 'https://wiki.example.com/checkout', lastReviewedAt: t('2025-11-01T00:00:00Z') },
      { serviceId: 'search', url: 'https://wiki.example.com/search', lastReviewedAt: t('2026-01-15T00:00:00Z') },
      { serviceId: 'payments', url: 'https://wiki.example.com/payments', lastReviewedAt: null },
    ],
    'config',
  );
}

for (const dialect of TEST_DIALECTS) {
  describe(`incidents review section on ${dialect.name}`, () => {
    let store: Store | undefined;
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    it('is null for a workspace without incidents, remediation items or runbooks', async () => {
      store = await dialect.open();
      expect(await incidentsReviewSection(store.db, WEEK)).toBeNull();
    });

    it('lists open incidents, postmortems due, overdue remediation with owner and due date, and stale runbooks, each linked', async () => {
      store = await dialect.open();
      await seed(store);
      const section = await incidentsReviewSection(store.db, WEEK);
      expect(section).toEqual({
        title: 'Incidents',
        rows: [
          { label: 'Incidents started this week', value: '2 (SEV1: 1, SEV3: 1)', href: '/incidents' },
          { label: 'Open incidents', value: '2', href: '/incidents' },
          { label: 'Postmortems due', value: '2 (1 overdue)', href: '/incidents' },
          { label: 'Overdue remediation items', value: '2', href: '/incidents#overdue' },
          { label: 'Runbooks not reviewed in 90 days', value: '2' },
          { label: 'Open: INC-0 Queue backlog', value: 'SEV2, resolved, since 2026-02-01', href: '/incidents/INC-0' },
          { label: 'Open: INC-2 Slow search', value: 'SEV3, investigating, since 2026-03-07', href: '/incidents/INC-2' },
          { label: 'Postmortem: INC-0 Queue backlog', value: 'draft, overdue since 2026-03-05', href: '/incidents/INC-0' },
          { label: 'Postmortem: INC-1 Checkout down', value: 'in-review, due 2026-03-10', href: '/incidents/INC-1' },
          {
            label: 'Remediation: Add a circuit breaker',
            value: 'owner shop, due 2026-03-01, P1, incident INC-0',
            href: '/incidents/INC-0',
          },
          {
            label: 'Remediation: Alert on queue depth',
            value: 'owner dana, due 2026-03-06, P1, incident INC-0',
            href: '/incidents/INC-0',
          },
          { label: 'Runbook: checkout', value: 'last reviewed 2025-11-01', href: 'https://wiki.example.com/checkout' },
          { label: 'Runbook: payments', value: 'never reviewed', href: 'https://wiki.example.com/payments' },
        ],
      });
    });

    it('reads the week in the workspace zone: an incident at 23:30 UTC on Sunday is Monday in Berlin', async () => {
      store = await dialect.open();
      await seed(store);
      await upsertIncidents(
        store.db,
        [incident('INC-3', 'Late one', 'SEV4', '2026-03-01T23:30:00Z', '2026-03-01T23:45:00Z')],
        t('2026-03-10T00:00:00Z'),
      );
      const utc = await incidentsReviewSection(store.db, WEEK);
      const berlin = await incidentsReviewSection(store.db, { ...WEEK, timeZone: 'Europe/Berlin' });
      expect(utc?.rows[0]?.value).toBe('2 (SEV1: 1, SEV3: 1)');
      expect(berlin?.rows[0]?.value).toBe('3 (SEV1: 1, SEV3: 1, SEV4: 1)');
    });
  });
}
