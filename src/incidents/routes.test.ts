import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createToken } from '../auth/store.js';
import { saveService, saveTeam } from '../org/index.js';
import { savePerson } from '../org/store.js';
import { loadDefinitions } from '../reliability/definitions/load-definitions.js';
import { replaceDefinitions } from '../reliability/store.js';
import type { Store } from '../store/database.js';
import { buildTestApp } from '../test-support/app.js';
import { checkResponseSchemas } from '../test-support/response-schemas.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import { POSTMORTEM_SECTIONS } from './model.js';
import { saveIncidentSettings, DEFAULT_SETTINGS } from './settings.js';

const definitions = loadDefinitions([path.join(import.meta.dirname, '..', 'test-support', 'testdata', 'reliability', 'openslo')]);
const fixture = (name: string) =>
  fs.readFileSync(path.join(import.meta.dirname, '..', 'test-support', 'testdata', 'incidents', name), 'utf8');
const SECRET_OLD = 'whsec-old-0123456789';
const SECRET_NEW = 'whsec-new-9876543210';
const sign = (body: string, secret: string) => `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;

/**
 * A shop team owning checkout (production); Dana Scully is on it. checkout's availability SLO
 * (99.9%, reliability's OpenSLO test data) gets 100 requests a minute on 3 June 2024 10:00-10:59,
 * the last five minutes with 20 failures each; dep-bad went out at 10:54.
 */
async function setUp(store: Store): Promise<{ app: FastifyInstance; auth: { authorization: string } }> {
  await saveTeam(store.db, { id: 'shop', name: 'Shop', parentId: null, description: null });
  await saveService(store.db, {
    id: 'checkout',
    name: 'Checkout',
    ownerTeamId: 'shop',
    description: null,
    repositories: [],
    environments: [{ name: 'production', production: true }],
  });
  await savePerson(store.db, { id: 'dana', name: 'Dana Scully', teamId: 'shop', bot: false, emails: [], aliases: [], logins: [] });
  await replaceDefinitions(store.db, definitions, 'config');
  await saveIncidentSettings(store.db, {
    ...DEFAULT_SETTINGS,
    pagerduty: [{ integration: 'primary', secrets: [SECRET_OLD, SECRET_NEW], services: { PF9KMXH: 'checkout' } }],
  });
  const { token } = await createToken(store.db, 'test');
  const auth = { authorization: `Bearer ${token}` };
  const app = await buildTestApp(store);
  const samples = Array.from({ length: 60 }, (_, minute) => ({
    timestamp: `2024-06-03T10:${String(minute).padStart(2, '0')}:00Z`,
    good: minute >= 55 ? 80 : 100,
    total: 100,
  }));
  expect(
    (await app.inject({ method: 'POST', url: '/api/v1/slos/checkout-availability/samples', headers: auth, payload: { samples } }))
      .statusCode,
  ).toBe(200);
  const deployed = await app.inject({
    method: 'POST',
    url: '/api/v1/deployments',
    headers: auth,
    payload: { deployments: [{ id: 'dep-bad', service: 'checkout', finishedAt: '2024-06-03T10:54:00Z', version: 'v7' }] },
  });
  expect(deployed.statusCode).toBe(200);
  return { app, auth };
}

async function count(store: Store, table: 'incidents' | 'incident_webhook_deliveries' | 'incident_remediations'): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const INCIDENT = {
  id: 'INC-1',
  title: 'Checkout errors',
  service: 'checkout',
  severity: 'sev2',
  impactStartedAt: '2024-06-03T10:50:00Z',
  detectedAt: '2024-06-03T10:52:00Z',
  causedBy: { deployment: 'dep-bad' },
  tags: ['frontend-release'],
};

for (const dialect of TEST_DIALECTS) {
  describe(`incidents API on ${dialect.name}`, () => {
    let store: Store | undefined;
    let app: FastifyInstance | undefined;
    afterEach(async () => {
      await app?.close();
      await store?.close();
      app = undefined;
      store = undefined;
    });

    it('answers the metrics in the shape its response schema declares, with hand-worked MTTA/MTTM/MTTR', async () => {
      store = await dialect.open();
      const setup = await setUp(store);
      app = setup.app;
      checkResponseSchemas(app);
      // A: acknowledged after 5 min, mitigated after 20, resolved after 60. B: acknowledged after 10 min, still open.
      // The drill (acknowledged after 1 min) is excluded. MTTA over 300 s and 600 s: p50 450, p90 300 + 0.9 x 300 = 570,
      // mean 450; MTTM one value 1200 s; MTTR one value 3600 s; open 1.
      const recorded = await app.inject({
        method: 'POST',
        url: '/api/v1/incidents',
        headers: setup.auth,
        payload: {
          incidents: [
            {
              id: 'A',
              service: 'checkout',
              severity: 'SEV2',
              impactStartedAt: '2024-06-03T10:00:00Z',
              acknowledgedAt: '2024-06-03T10:05:00Z',
              mitigatedAt: '2024-06-03T10:20:00Z',
              resolvedAt: '2024-06-03T11:00:00Z',
            },
            {
              id: 'B',
              service: 'checkout',
              severity: 'SEV3',
              impactStartedAt: '2024-06-04T10:00:00Z',
              acknowledgedAt: '2024-06-04T10:10:00Z',
            },
            {
              id: 'D',
              service: 'checkout',
              severity: 'SEV1',
              impactStartedAt: '2024-06-05T10:00:00Z',
              acknowledgedAt: '2024-06-05T10:01:00Z',
              drill: true,
            },
          ],
        },
      });
      expect(recorded.statusCode).toBe(200);
      const metrics = await app.inject({ method: 'GET', url: '/api/v1/incidents/metrics?at=2024-06-10T00:00:00Z' });
      expect(metrics.statusCode).toBe(200);
      const body = metrics.json();
      expect(body.at).toBe('2024-06-10T00:00:00.000Z');
      expect(body.response).toEqual({
        incidents: 2,
        drills: 1,
        open: 1,
        mtta: { count: 2, p50Seconds: 450, p90Seconds: 570, meanSeconds: 450 },
        mttm: { count: 1, p50Seconds: 1200, p90Seconds: 1200, meanSeconds: 1200 },
        mttr: { count: 1, p50Seconds: 3600, p90Seconds: 3600, meanSeconds: 3600 },
      });
      expect(body.counts.bySeverity).toEqual([
        { key: 'SEV2', count: 1 },
        { key: 'SEV3', count: 1 },
      ]);
    });

    it('records incidents idempotently, updates with the fields sent, and refuses a negative duration naming the field', async () => {
      store = await dialect.open();
      const opened = await setUp(store);
      app = opened.app;
      const post = (incidents: unknown[]) =>
        app!.inject({ method: 'POST', url: '/api/v1/incidents', headers: opened.auth, payload: { incidents } });

      expect((await post([INCIDENT])).json()).toEqual({ received: 1, created: 1, updated: 0, unchanged: 0 });
      expect((await post([INCIDENT])).json()).toEqual({ received: 1, created: 0, updated: 0, unchanged: 1 });
      // Sent again with only the later milestones: the rest is kept.
      const resolved = await post([
        {
          id: 'INC-1',
          service: 'checkout',
          acknowledgedAt: '2024-06-03T10:53:00Z',
          mitigatedAt: '2024-06-03T10:56:00Z',
          resolvedAt: '2024-06-03T11:00:00Z',
        },
      ]);
      expect(resolved.json()).toEqual({ received: 1, created: 0, updated: 1, unchanged: 0 });

      const list = await app.inject({ method: 'GET', url: '/api/v1/incidents?service=checkout' });
      expect(list.json()).toMatchObject({
        items: [
          {
            id: 'INC-1',
            title: 'Checkout errors',
            severity: 'SEV2',
            status: 'resolved',
            detectedAt: '2024-06-03T10:52:00.000Z',
            resolvedAt: '2024-06-03T11:00:00.000Z',
            causedBy: { deployment: 'dep-bad' },
          },
        ],
        nextCursor: null,
      });

      // Out of order against the stored milestones: resolved (11:00) before a new mitigation at 11:05.
      const bad = await post([
        { ...INCIDENT, id: 'INC-2' },
        { id: 'INC-1', service: 'checkout', mitigatedAt: '2024-06-03T11:05:00Z' },
        { ...INCIDENT, id: 'INC-3', severity: 'critical', service: 'nope', causedBy: { deployment: 'dep-none' } },
      ]);
      expect(bad.statusCode).toBe(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
      expect(bad.json().errors).toEqual([
        {
          field: 'body.incidents[1].resolvedAt',
          line: 2,
          message: 'is before mitigatedAt: the duration mitigatedAt to resolvedAt would be negative',
        },
        { field: 'body.incidents[2].service', line: 3, message: 'unknown service "nope"' },
        { field: 'body.incidents[2].severity', line: 3, message: 'unknown severity "critical" (the scale is SEV1, SEV2, SEV3, SEV4)' },
        { field: 'body.incidents[2].causedBy.deployment', line: 3, message: 'deployment "dep-none" is not recorded' },
      ]);
      // The rejected batch wrote nothing: INC-2 (valid on its own) is not there.
      expect(await count(store, 'incidents')).toBe(1);
      const missingStart = await post([{ id: 'INC-9', service: 'checkout' }]);
      expect(missingStart.json().errors).toEqual([
        { field: 'body.incidents[0].impactStartedAt', line: 1, message: 'is required for a new incident' },
      ]);
    });

    it('shows the incident with its milestones, linked deployment, budget spent, postmortem and remediation items', async () => {
      store = await dialect.open();
      const opened = await setUp(store);
      app = opened.app;
      const auth = opened.auth;
      await app.inject({
        method: 'POST',
        url: '/api/v1/incidents',
        headers: auth,
        payload: { incidents: [{ ...INCIDENT, resolvedAt: '2024-06-03T11:00:00Z' }] },
      });

      const detail = await app.inject({ method: 'GET', url: '/api/v1/incidents/INC-1?at=2024-06-03T11:00:00Z' });
      expect(detail.statusCode).toBe(200);
      const body = detail.json();
      expect(body.deployments).toEqual([
        {
          id: 'dep-bad',
          serviceId: 'checkout',
          environment: 'production',
          commitSha: null,
          version: 'v7',
          finishedAt: '2024-06-03T10:54:00.000Z',
        },
      ]);
      // By hand (as reliability's attribution test): 10:50-11:00 holds the five bad minutes, 100 bad events;
      // the 30-day window ending at 11:00 holds 6,000 events, 99.9% allows 6: share 100/6.
      expect(body.budgetSpent).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            id: 'INC-1',
            slo: 'checkout-availability',
            spent: 100,
            allowed: expect.closeTo(6, 9),
            share: expect.closeTo(100 / 6, 9),
            window: '30d',
          }),
        ]),
      );
      expect(body.postmortemRequired).toEqual(['severity SEV2', "spent 1666.7% of checkout-availability's error budget (more than 20%)"]);
      expect(body.durations).toEqual({ detectSeconds: 120, ttaSeconds: null, ttmSeconds: null, ttrSeconds: 600 });
      expect(body.timeline.map((t: { text: string }) => t.text)).toEqual(['Impact started', 'Detected', 'Resolved']);
      // Resolution opened a draft postmortem due 5 business days later: Monday 3 June -> Monday 10 June.
      expect(body.postmortem).toMatchObject({ status: 'draft', dueAt: '2024-06-10T11:00:00.000Z', required: true });

      // Remediation: an owner and a due date are required; before the review there is no default date.
      const items = (payload: object) =>
        app!.inject({ method: 'POST', url: '/api/v1/incidents/INC-1/remediation', headers: auth, payload });
      const noOwner = await items({
        items: [
          { description: 'Add a canary', type: 'prevent', dueAt: '2024-06-20T00:00:00Z' },
          { description: 'Alert on saturation', type: 'detect', owner: 'dana' },
        ],
      });
      expect(noOwner.statusCode).toBe(400);
      expect(noOwner.json().errors).toEqual([
        { field: 'body.items[0].owner', line: 1, message: 'is required: a person or team id' },
        {
          field: 'body.items[1].dueAt',
          line: 2,
          message: 'is required until the postmortem is reviewed (then it defaults to 7 days after the review)',
        },
      ]);
      expect(await count(store, 'incident_remediations')).toBe(0);

      // The postmortem: a blaming sentence is flagged (a suggestion: it is saved anyway), a neutral one is not.
      const put = await app.inject({
        method: 'PUT',
        url: '/api/v1/incidents/INC-1/postmortem',
        headers: auth,
        payload: {
          status: 'in-review',
          reviewedAt: '2024-06-05T09:00:00Z',
          sections: {
            summary: 'Checkout failed for ten minutes after release v7.',
            rootCauses: 'Dana forgot to run the migration before the deploy. The deploy pipeline does not check pending migrations.',
          },
          internalNotes: 'Vendor case 4411.',
        },
      });
      expect(put.statusCode).toBe(200);
      expect(put.json().suggestions).toEqual([
        expect.objectContaining({
          section: 'rootCauses',
          sentence: 'Dana forgot to run the migration before the deploy.',
          phrase: 'Dana forgot',
        }),
      ]);

      // After the review an item without a date falls due 7 days later.
      const added = await items({ items: [{ description: 'Alert on saturation', type: 'detect', owner: 'dana' }] });
      expect(added.json().items).toEqual([
        expect.objectContaining({ id: 'INC-1/1', owner: 'dana', teamId: 'shop', dueAt: '2024-06-12T09:00:00.000Z', status: 'open' }),
      ]);
      const overdue = await app.inject({ method: 'GET', url: '/api/v1/incidents/actions?overdue=true&at=2024-06-13T00:00:00Z' });
      expect(overdue.json().items.map((i: { id: string }) => i.id)).toEqual(['INC-1/1']);

      const markdown = await app.inject({ method: 'GET', url: '/api/v1/incidents/INC-1/postmortem.md' });
      expect(markdown.headers['content-type']).toContain('text/markdown');
      for (const [, title] of POSTMORTEM_SECTIONS) expect(markdown.body).toContain(` ${title}\n`);
      expect(markdown.body).toContain('## Action items');
      expect(markdown.body).toContain('Vendor case 4411.');
      const shareable = await app.inject({ method: 'GET', url: '/api/v1/incidents/INC-1/postmortem.html?audience=shareable' });
      expect(shareable.headers['content-type']).toContain('text/html');
      expect(shareable.body).toContain('<h2>Root causes</h2>');
      expect(shareable.body).not.toContain('Vendor case 4411.');
      expect(shareable.body).not.toMatch(/<script|<link/);
    });

    it('takes PagerDuty v3 webhooks signed with either secret during rotation, and refuses a bad signature with 401, writing nothing', async () => {
      store = await dialect.open();
      const opened = await setUp(store);
      app = opened.app;
      const send = (body: string, signature: string | undefined) =>
        app!.inject({
          method: 'POST',
          url: '/api/v1/incidents/webhooks/pagerduty/primary',
          headers: { 'content-type': 'application/json', ...(signature === undefined ? {} : { 'x-pagerduty-signature': signature }) },
          payload: body,
        });
      const triggered = fixture('pagerduty-incident.triggered.json');

      const forged = await send(triggered, sign(triggered, 'not-the-secret'));
      expect(forged.statusCode).toBe(401);
      expect((await send(triggered, undefined)).statusCode).toBe(401);
      // Signed over other bytes (the same JSON re-serialised): the signature covers the raw body.
      expect((await send(JSON.stringify(JSON.parse(triggered)), sign(triggered, SECRET_OLD))).statusCode).toBe(401);
      expect(await count(store, 'incidents')).toBe(0);
      expect(await count(store, 'incident_webhook_deliveries')).toBe(0);

      // PagerDuty sends one signature per active secret while one rotates; the old one alone also passes.
      const ok = await send(triggered, `${sign(triggered, 'retired-secret-000')}, ${sign(triggered, SECRET_NEW)}`);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ incident: 'pagerduty:Q2LNB61KJ0A3VE', report: { created: 1 } });
      const acknowledged = fixture('pagerduty-incident.acknowledged.json');
      expect((await send(acknowledged, sign(acknowledged, SECRET_OLD))).statusCode).toBe(200);
      const resolved = fixture('pagerduty-incident.resolved.json');
      expect((await send(resolved, sign(resolved, SECRET_NEW))).statusCode).toBe(200);

      const detail = (await app.inject({ method: 'GET', url: '/api/v1/incidents/pagerduty:Q2LNB61KJ0A3VE' })).json();
      expect(detail.incident).toMatchObject({
        title: 'Checkout error rate above 5%',
        service: 'checkout',
        priority: 'P1',
        impactStartedAt: '2024-06-03T10:51:10.000Z',
        acknowledgedAt: '2024-06-03T10:53:40.000Z',
        resolvedAt: '2024-06-03T11:00:00.000Z',
        status: 'resolved',
        source: 'pagerduty',
      });
      expect(await count(store, 'incident_webhook_deliveries')).toBe(3);

      // A signed but malformed payload: 400 naming the field, nothing stored.
      const malformed = JSON.stringify({
        event: { id: 'x', event_type: 'incident.triggered', resource_type: 'incident', data: { id: 'Q1' } },
      });
      const rejected = await send(malformed, sign(malformed, SECRET_NEW));
      expect(rejected.statusCode).toBe(400);
      expect(rejected.json().errors).toEqual([expect.objectContaining({ field: 'body.event.occurred_at' })]);
      expect(await count(store, 'incident_webhook_deliveries')).toBe(3);
    });
  });
}
