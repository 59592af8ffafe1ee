import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../auth/store.js';
import { replaceOrg } from '../org/index.js';
import { buildTestApp } from '../test-support/app.js';
import { ingestRepository } from '../sources/git/ingest.js';
import { TestRepository } from '../test-support/git-repository.js';
import type { Store } from '../store/database.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import { modulePeers } from '../kit/module.js';
import { MODULES } from '../modules.js';
import { metricPeriodValue, metricValues } from '../outcomes/index.js';
import { publishModuleSeries } from '../outcomes/sync-task.js';
import { deliverySeries } from './series.js';

const H = 3600;

/**
 * payments (team pay, under eng) deploys from a real repository; April 2024, Apr 1 is a Monday:
 *   k1 Apr 1 08:00, k2 Apr 1 09:00 -> P1 Apr 1 10:00 ships k1 (2 h), k2 (1 h)
 *   k3 Apr 2 08:00 (committed 09:00) -> P2 Apr 2 10:00 ships k3 (2 h from author, 1 h from committer time);
 *                                   incident I2 names P2 (11:00-11:30);
 *                                   P3 rolls P2 back to k2 on Apr 3 10:00 (ships nothing: k2 was shipped)
 *   k4 Apr 4 06:00               -> P4 Apr 4 10:00 ships k4 (4 h); S1 deploys k4 to staging Apr 4 09:00
 */
for (const dialect of TEST_DIALECTS) {
  describe(`delivery HTTP API on ${dialect.name}`, () => {
    let store: Store;
    let app: FastifyInstance;
    let repo: TestRepository;
    let token: string;
    const sha: Record<string, string> = {};

    const post = (url: string, payload: unknown) =>
      app.inject({ method: 'POST', url, payload: payload as object, headers: { authorization: `Bearer ${token}` } });
    const get = async (url: string) => {
      const response = await app.inject({ method: 'GET', url });
      return { status: response.statusCode, body: response.json() };
    };
    const count = async (table: 'delivery_deployments' | 'incidents' | 'delivery_changes') =>
      Number(
        (
          await store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    beforeAll(async () => {
      repo = TestRepository.create();
      sha.k1 = repo.commit({ message: 'k1', at: '2024-04-01T08:00:00Z' });
      sha.k2 = repo.commit({ message: 'k2', at: '2024-04-01T09:00:00Z' });
      sha.k3 = repo.commit({ message: 'k3', at: '2024-04-02T08:00:00Z', committedAt: '2024-04-02T09:00:00Z' });
      sha.k4 = repo.commit({ message: 'k4', at: '2024-04-04T06:00:00Z' });
      store = await dialect.open();
      await replaceOrg(
        store.db,
        {
          teams: [
            { id: 'eng', name: 'Engineering', parentId: null, description: null, source: 'config' },
            { id: 'pay', name: 'Payments', parentId: 'eng', description: null, source: 'config' },
          ],
          repositories: [{ id: 'payments', name: 'payments', path: repo.dir, url: null, defaultBranch: 'main', source: 'config' }],
          services: [
            {
              id: 'payments',
              name: 'Payments',
              ownerTeamId: 'pay',
              description: null,
              repositories: [{ repositoryId: 'payments', paths: [] }],
              environments: [
                { name: 'production', production: true },
                { name: 'staging', production: false },
              ],
              source: 'config',
            },
          ],
          people: [],
        },
        'config',
      );
      await ingestRepository(store, { repositoryId: 'payments', path: repo.dir, field: 'path', detail: 'commits' });
      token = (await createToken(store.db, 'ci')).token;
      app = await buildTestApp(store);
    });
    afterAll(async () => {
      // Remove the repository first: the rest is absent when beforeAll failed part-way.
      repo?.remove();
      await app?.close();
      await store?.close();
    });

    const deployments = () => [
      { id: 'P1', service: 'payments', commitSha: sha.k2, startedAt: '2024-04-01T09:50:00Z', finishedAt: '2024-04-01T10:00:00Z' },
      { id: 'P2', service: 'payments', commitSha: sha.k3, finishedAt: '2024-04-02T10:00:00Z', version: 'v2' },
      { id: 'P3', service: 'payments', commitSha: sha.k2, finishedAt: '2024-04-03T10:00:00Z', rollbackOf: 'P2' },
      { id: 'P4', service: 'payments', commitSha: sha.k4, finishedAt: '2024-04-04T10:00:00Z' },
      { id: 'S1', service: 'payments', environment: 'staging', commitSha: sha.k4, finishedAt: '2024-04-04T09:00:00Z' },
    ];

    it('records a batch, and the same batch again changes nothing', async () => {
      const first = await post('/api/v1/deployments', { deployments: deployments() });
      expect(first.statusCode).toBe(200);
      expect(first.json()).toEqual({ received: 5, created: 5, updated: 0, unchanged: 0 });
      const before = await store.db.selectFrom('delivery_deployments').selectAll().orderBy('id').execute();
      const again = await post('/api/v1/deployments', { deployments: deployments() });
      expect(again.json()).toEqual({ received: 5, created: 0, updated: 0, unchanged: 5 });
      expect(await store.db.selectFrom('delivery_deployments').selectAll().orderBy('id').execute()).toEqual(before);
      // k1, k2 (P1) + k3 (P2) + k4 (P4) in production; k1..k4 in staging (its first deployment).
      expect(await count('delivery_changes')).toBe(8);
      const incident = await post('/api/v1/incidents', {
        incidents: [
          {
            id: 'I2',
            service: 'payments',
            severity: 'SEV2',
            startedAt: '2024-04-02T11:00:00Z',
            resolvedAt: '2024-04-02T11:30:00Z',
            causedBy: { deployment: 'P2' },
          },
        ],
      });
      expect(incident.json()).toEqual({ received: 1, created: 1, updated: 0, unchanged: 0 });
    });

    it('rejects a batch with one bad row whole, naming the row and field', async () => {
      const outOfOrder = deployments().map((d) => ({ ...d, id: `new-${d.id}` }));
      (outOfOrder[1] as Record<string, unknown>).startedAt = '2024-04-02T11:00:00Z'; // after its finishedAt
      const schemaError = await post('/api/v1/deployments', { deployments: outOfOrder });
      expect(schemaError.statusCode).toBe(400);
      expect(schemaError.headers['content-type']).toContain('application/problem+json');
      expect(schemaError.json().errors).toEqual([
        { field: 'body.deployments[1].finishedAt', message: 'is before startedAt: timestamps out of order' },
      ]);

      const badReference = deployments().map((d) => ({ ...d, id: `new-${d.id}` }));
      badReference[2] = { ...badReference[2], service: 'nope' } as (typeof badReference)[number];
      badReference[3] = { ...badReference[3], environment: 'prod' } as (typeof badReference)[number];
      const referenceError = await post('/api/v1/deployments', { deployments: badReference });
      expect(referenceError.statusCode).toBe(400);
      expect(referenceError.json().errors).toEqual([
        { field: 'body.deployments[2].service', line: 3, message: 'unknown service "nope"' },
        {
          field: 'body.deployments[3].environment',
          line: 4,
          message: 'service "payments" has no environment "prod" (it has: production, staging)',
        },
      ]);

      const badIncident = await post('/api/v1/incidents', {
        incidents: [
          { id: 'I9', service: 'payments', startedAt: '2024-04-05T11:00:00Z' },
          { id: 'I10', service: 'payments', startedAt: '2024-04-05T11:00:00Z', resolvedAt: '2024-04-05T10:00:00Z' },
        ],
      });
      expect(badIncident.statusCode).toBe(400);
      expect(badIncident.json().errors).toEqual([
        {
          field: 'body.incidents[1].resolvedAt',
          line: 2,
          message: 'is before impactStartedAt: the duration impactStartedAt to resolvedAt would be negative',
        },
      ]);
      // Nothing of any rejected batch was written.
      expect(await count('delivery_deployments')).toBe(5);
      expect(await count('incidents')).toBe(1);
      const unauthenticated = await app.inject({ method: 'POST', url: '/api/v1/deployments', payload: { deployments: deployments() } });
      expect(unauthenticated.statusCode).toBe(401);
    });

    it('summarises the five metrics with tiers', async () => {
      const window = 'from=2024-04-01T00:00:00Z&to=2024-04-08T00:00:00Z';
      const { status, body } = await get(`/api/v1/delivery/summary?team=eng&${window}`);
      expect(status).toBe(200);
      expect(body.scope).toEqual({ team: 'eng', service: null, environment: null, services: ['payments'] });
      // Production: P1..P4 in one whole week with deploy-days Apr 1, 2, 3, 4 -> median 4.
      expect(body.deployments).toEqual({ count: 4, perWeek: 4, deployDaysPerWeekMedian: 4, weeks: 1 });
      // Lead times 1 2 2 4 h: p50 2 h; p75 h = 2.25 -> 2.5 h; p90 h = 2.7 -> 3.4 h.
      expect(body.leadTime).toEqual({ count: 4, p50Seconds: 2 * H, p75Seconds: 2.5 * H, p90Seconds: expect.closeTo(3.4 * H, 6) });
      // P2 failed (incident and rollback); restored when I2 resolved, 1.5 h after it finished.
      expect(body.changeFailureRate).toEqual({ failed: 1, total: 4, rate: 0.25 });
      expect(body.recoveryTime).toEqual({ count: 1, p50Seconds: 1.5 * H, p90Seconds: 1.5 * H, unrestored: 0 });
      expect(body.reworkRate).toEqual({ unplanned: 1, total: 4, rate: 0.25 });
      // DORA 2024: 4 deploy-days -> high; 2 h -> elite; 25% -> high (15-30%); 1.5 h -> high.
      expect(body.tiers).toEqual({
        benchmark: '2024',
        deploymentFrequency: 'high',
        leadTime: 'elite',
        changeFailureRate: 'high',
        recoveryTime: 'high',
      });

      // Where the data is, whatever the window: production P1 (Apr 1) .. P4 (Apr 4), also from a window after it.
      expect(body.dataRange).toEqual({ first: '2024-04-01T10:00:00.000Z', last: '2024-04-04T10:00:00.000Z' });
      const later = await get('/api/v1/delivery/summary?team=eng&from=2024-09-01T00:00:00Z&to=2024-10-01T00:00:00Z');
      expect(later.body.deployments.count).toBe(0);
      expect(later.body.dataRange).toEqual(body.dataRange);

      const staging = await get(`/api/v1/delivery/summary?service=payments&environment=staging&${window}`);
      expect(staging.body.deployments.count).toBe(1);
      expect(staging.body.dataRange).toEqual({ first: '2024-04-04T09:00:00.000Z', last: '2024-04-04T09:00:00.000Z' });
      expect(staging.body.leadTime.count).toBe(4);
      expect(staging.body.changeFailureRate.failed).toBe(0);

      const unknown = await get(`/api/v1/delivery/summary?team=nope&${window}`);
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual([{ field: 'query.team', message: 'team "nope" does not exist' }]);
    });

    it('drills down to the rows behind each number', async () => {
      const window = 'from=2024-04-01T00:00:00Z&to=2024-04-08T00:00:00Z';
      const failed = await get(`/api/v1/delivery/deployments?failed=true&${window}`);
      expect(failed.body.total).toBe(1);
      expect(failed.body.items[0]).toMatchObject({
        id: 'P2',
        failed: true,
        restoredAt: '2024-04-02T11:30:00.000Z',
        failureReasons: [
          { kind: 'rollback', deploymentId: 'P3' },
          { kind: 'incident', incidentId: 'I2', link: 'explicit' },
        ],
      });
      const all = await get(`/api/v1/delivery/deployments?${window}&limit=3`);
      expect(all.body.items.map((d: { id: string }) => d.id)).toEqual(['P4', 'P3', 'P2']);
      const rest = await get(`/api/v1/delivery/deployments?${window}&limit=3&cursor=${all.body.nextCursor}`);
      expect(rest.body).toMatchObject({ total: 4, nextCursor: null, items: [{ id: 'P1' }] });
      const unplanned = await get(`/api/v1/delivery/deployments?unplanned=true&${window}`);
      expect(unplanned.body.items.map((d: { id: string }) => d.id)).toEqual(['P3']);

      const changes = await get(`/api/v1/delivery/changes?${window}`);
      expect(changes.body.items.map((c: { sha: string; leadTimeSeconds: number }) => [c.sha, c.leadTimeSeconds / H])).toEqual(
        [
          [sha.k4, 4],
          [sha.k1, 2],
          [sha.k3, 2],
          [sha.k2, 1],
        ].sort((a, b) => (b[1] as number) - (a[1] as number) || ((a[0] as string) < (b[0] as string) ? -1 : 1)),
      );

      const detail = await get('/api/v1/delivery/deployments/P2');
      expect(detail.body).toMatchObject({ id: 'P2', version: 'v2', changes: 1, failed: true, incidents: [{ id: 'I2', severity: 'SEV2' }] });
      expect(detail.body.changeList).toEqual([expect.objectContaining({ sha: sha.k3, leadTimeSeconds: 2 * H })]);
      expect((await get('/api/v1/delivery/deployments/nope')).status).toBe(404);

      const change = await get(`/api/v1/delivery/changes/${(sha.k3 as string).slice(0, 7)}`);
      expect(change.body.shippedBy.map((s: { deploymentId: string }) => s.deploymentId).sort()).toEqual(['P2', 'S1']);

      const incidents = await get(`/api/v1/delivery/incidents?${window}`);
      expect(incidents.body.items).toEqual([expect.objectContaining({ id: 'I2', deploymentId: 'P2', link: 'explicit' })]);

      const trend = await get('/api/v1/delivery/trend?from=2024-04-01T00:00:00Z&to=2024-04-15T00:00:00Z&interval=week');
      expect(trend.body.points.map((p: { deployments: { count: number } }) => p.deployments.count)).toEqual([4, 0]);
      expect(trend.body.points[0].window).toEqual({ from: '2024-04-01T00:00:00.000Z', to: '2024-04-08T00:00:00.000Z', timeZone: 'UTC' });
    });

    it('computes lead time by one rule on every view, honouring leadTimeStart', async () => {
      // k3 was authored 08:00 and committed 09:00; P2 finished 10:00: 2 h from author time, 1 h from committer time.
      const window = 'from=2024-04-01T00:00:00Z&to=2024-04-08T00:00:00Z&service=payments';
      for (const [start, hours] of [
        ['author', 2],
        ['committer', 1],
      ] as const) {
        const changes = await get(`/api/v1/delivery/changes?${window}&leadTimeStart=${start}`);
        const listed = changes.body.items.find((c: { sha: string }) => c.sha === sha.k3);
        const deployment = await get(`/api/v1/delivery/deployments/P2?leadTimeStart=${start}`);
        const change = await get(`/api/v1/delivery/changes/${sha.k3}?leadTimeStart=${start}`);
        const shipped = change.body.shippedBy.find((s: { deploymentId: string }) => s.deploymentId === 'P2');
        expect([listed.leadTimeSeconds, deployment.body.changeList[0].leadTimeSeconds, shipped.leadTimeSeconds], start).toEqual([
          hours * H,
          hours * H,
          hours * H,
        ]);
      }
    });

    it('pages by keyset: a deployment recorded between two pages neither repeats nor skips a row', async () => {
      const window = 'from=2024-04-01T00:00:00Z&to=2024-04-08T00:00:00Z';
      const first = await get(`/api/v1/delivery/deployments?${window}&limit=2`);
      expect(first.body.items.map((d: { id: string }) => d.id)).toEqual(['P4', 'P3']);
      // P5 is newer than every row of the first page: an offset cursor (2) would now start at P3 again.
      await post('/api/v1/deployments', {
        deployments: [{ id: 'P5', service: 'payments', commitSha: sha.k4, finishedAt: '2024-04-05T10:00:00Z' }],
      });
      const second = await get(`/api/v1/delivery/deployments?${window}&limit=2&cursor=${first.body.nextCursor}`);
      expect(second.body).toMatchObject({ total: 5, nextCursor: null });
      expect(second.body.items.map((d: { id: string }) => d.id)).toEqual(['P2', 'P1']);

      const changes = await get(`/api/v1/delivery/changes?${window}&limit=1`);
      const rest = await get(`/api/v1/delivery/changes?${window}&limit=10&cursor=${changes.body.nextCursor}`);
      const all = await get(`/api/v1/delivery/changes?${window}`);
      // Walking the pages gives the one-page list in the same order.
      expect([...changes.body.items, ...rest.body.items]).toEqual(all.body.items);

      const forged = await get(`/api/v1/delivery/changes?${window}&cursor=${Buffer.from('{"k":["x"]}').toString('base64url')}`);
      expect(forged.status).toBe(400);
      expect(forged.body.errors).toEqual([{ field: 'query.cursor', message: 'is not a cursor returned by this API' }]);
    });

    it('publishes lead time, change failure rate and recovery time as daily series that agree with the summary', async () => {
      // After the tests above: P1 (Apr 1: 2 h, 1 h), P2 (Apr 2: 2 h, failed, restored 1.5 h later), P3 (Apr 3: ships
      // nothing), P4 (Apr 4: 4 h), P5 (Apr 5: k4 again, ships nothing). Trailing 7 days ending each day: lead time p50 of [1, 2] h = 1.5 on Apr 1, of
      // [1, 2, 2] = 2 on Apr 2-3, of [1, 2, 2, 4] = 2 from Apr 4 (the window still starts on Apr 1 on Apr 7).
      const range = { from: '2024-04-01', to: '2024-04-07', timeZone: 'UTC' };
      const series = new Map((await deliverySeries(store, range)).map((s) => [s.metric.id, s]));
      const values = (id: string) => series.get(id)?.points.map((p) => [p.date.slice(8), p.value]);
      expect(values('delivery.lead-time-p50')).toEqual([
        ['01', 1.5],
        ['02', 2],
        ['03', 2],
        ['04', 2],
        ['05', 2],
        ['06', 2],
        ['07', 2],
      ]);
      expect(values('delivery.cfr.failed')).toEqual([
        ['01', 0],
        ['02', 1],
        ['03', 0],
        ['04', 0],
        ['05', 0],
        ['06', 0],
        ['07', 0],
      ]);
      expect(values('delivery.cfr.deployments')).toEqual([
        ['01', 1],
        ['02', 1],
        ['03', 1],
        ['04', 1],
        ['05', 1],
        ['06', 0],
        ['07', 0],
      ]);
      expect(values('delivery.recovery-time-p50')).toEqual([
        ['02', 1.5],
        ['03', 1.5],
        ['04', 1.5],
        ['05', 1.5],
        ['06', 1.5],
        ['07', 1.5],
      ]);
      expect(series.get('delivery.change-failure-rate')?.metric).toMatchObject({
        unit: 'ratio',
        numerator: 'delivery.cfr.failed',
        denominator: 'delivery.cfr.deployments',
      });
      // Published into the outcomes store, the week's values equal the summary of the same week (an independent path).
      await publishModuleSeries(store, modulePeers(MODULES), '2024-04-07', 'UTC');
      const { body } = await get('/api/v1/delivery/summary?from=2024-04-01T00:00:00Z&to=2024-04-08T00:00:00Z');
      const week = (id: string) => metricPeriodValue(store.db, id, '2024-04-01', '2024-04-07');
      expect(await week('delivery.lead-time-p50')).toBe(body.leadTime.p50Seconds / H);
      expect(body.changeFailureRate).toEqual({ failed: 1, total: 5, rate: 0.2 });
      expect(await week('delivery.change-failure-rate')).toBe(body.changeFailureRate.rate);
      // Recovery has no value on Apr 1 (nothing had failed), so the store's partial-period rule leaves the week empty;
      // the week's last day carries the 7-day median.
      expect(await week('delivery.recovery-time-p50')).toBeNull();
      expect((await metricValues(store.db, 'delivery.recovery-time-p50', '2024-04-07', '2024-04-07'))[0]?.value).toBe(
        body.recoveryTime.p50Seconds / H,
      );
      // The per-service and per-team series agree with the summary scoped the same way (team eng: its sub-team pay's payments).
      for (const [suffix, scope] of [
        ['.payments', 'service=payments'],
        ['.team.pay', 'team=pay'],
        ['.team.eng', 'team=eng'],
      ] as const) {
        const scoped = (await get(`/api/v1/delivery/summary?from=2024-04-01T00:00:00Z&to=2024-04-08T00:00:00Z&${scope}`)).body;
        expect(await week(`delivery.lead-time-p50${suffix}`), scope).toBe(scoped.leadTime.p50Seconds / H);
        expect(await week(`delivery.change-failure-rate${suffix}`), scope).toBe(scoped.changeFailureRate.rate);
        // One whole week (Apr 1-7): its deploy-days (Apr 1-5) are the median; its deployments P1-P5.
        expect(await week(`delivery.deploy-days${suffix}`), scope).toBe(scoped.deployments.deployDaysPerWeekMedian);
        expect(await week(`delivery.deployments${suffix}`), scope).toBe(scoped.deployments.count);
      }
    });
  });
}
