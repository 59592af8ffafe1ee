import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../store/database.js';
import { bearer, buildTestApp } from '../test-support/app.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import { parseWorkspaceConfig } from '../workspace/workspace-file.js';
import { applyWorkspaceConfig } from '../workspace/workspace.js';

const YAML = `version: 1
teams:
  - id: payments
    name: Payments
okrs:
  objectives:
    - id: company
      title: Learn from production
      period: 2026-Q4
      keyResults:
        - id: sharing
          title: Teams sharing a report
          start: 100
          target: 200
    - id: pay
      title: Ship safely
      team: payments
      period: 2026-Q4
      parent: company
      kind: committed
      weight: 2
      keyResults:
        - id: lead
          title: Lead time 30 h to 12 h
          start: 30
          target: 12
        - id: sdk
          title: SDK adopted
          milestones: { commit: two teams, target: four teams }
`;

for (const dialect of TEST_DIALECTS) {
  describe(`OKR API on ${dialect.name}`, () => {
    let store: Store;
    let app: FastifyInstance;
    let auth: { authorization: string };
    beforeEach(async () => {
      store = await dialect.open();
      await applyWorkspaceConfig(store, parseWorkspaceConfig(YAML, 'sextant.yaml'));
      app = await buildTestApp(store);
      auth = await bearer(store);
    });
    afterEach(async () => {
      await app.close();
      await store.close();
    });

    const checkin = (kr: string, body: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: `/api/v1/okrs/key-results/${kr}/checkins`, headers: auth, payload: body });

    it('grades check-ins, keeps corrections in the history and rolls up by team', async () => {
      expect((await checkin('sharing', { id: 's1', at: '2026-11-02T10:00:00Z', value: 150, confidence: 7 })).statusCode).toBe(201);
      expect((await checkin('lead', { id: 'l1', at: '2026-10-20T10:00:00Z', value: 27, confidence: 6 })).statusCode).toBe(201);
      expect(
        (await checkin('lead', { id: 'l2', at: '2026-11-10T10:00:00Z', value: 26.4, confidence: 4, comment: 'review queue' })).statusCode,
      ).toBe(201);
      expect((await checkin('sdk', { id: 'k1', at: '2026-11-01T10:00:00Z', zone: 'commit', confidence: 5 })).statusCode).toBe(201);
      // Re-sending the same check-in changes nothing; the same id with other content is a conflict.
      expect(
        (await checkin('lead', { id: 'l2', at: '2026-11-10T10:00:00Z', value: 26.4, confidence: 4, comment: 'review queue' })).json(),
      ).toMatchObject({ created: false });
      expect((await checkin('lead', { id: 'l2', at: '2026-11-10T10:00:00Z', value: 20, confidence: 4 })).statusCode).toBe(409);
      // l2's value was mistyped: the correction (24) is what counts; the original stays in the history.
      const corrected = await app.inject({
        method: 'PUT',
        url: '/api/v1/okrs/checkins/l2/correction',
        headers: auth,
        payload: { id: 'l2-fix', value: 24 },
      });
      expect(corrected.statusCode).toBe(201);

      const report = (await app.inject({ method: 'GET', url: '/api/v1/okrs?period=2026-Q4&at=2026-11-15T12:00:00Z' })).json();
      // 2026-Q4: Oct 1 - Dec 31, 92 days; Nov 15 is 45 whole days in: 45 / 92.
      expect(report.expectedProgress).toBeCloseTo(45 / 92, 12);
      const pay = report.objectives.find((o: { id: string }) => o.id === 'pay');
      // lead: (24 - 30) / (12 - 30) = 1/3, behind (1/3 < 45/92 - 0.1 = 0.389); sdk: commit = 0.3; score (1/3 + 0.3) / 2.
      expect(pay.keyResults[0]).toMatchObject({ id: 'lead', current: 24, behind: true, confidence: 4 });
      expect(pay.keyResults[0].progress).toBeCloseTo(1 / 3, 12);
      expect(pay.keyResults[0].confidenceTrend.map((c: { confidence: number }) => c.confidence)).toEqual([6, 4]);
      expect(
        pay.keyResults[0].checkins.map((c: { id: string; correctedBy: string | null; value: number }) => [c.id, c.value, c.correctedBy]),
      ).toEqual([
        ['l1', 27, null],
        ['l2', 26.4, 'l2-fix'],
        ['l2-fix', 24, null],
      ]);
      expect(pay.score).toBeCloseTo((1 / 3 + 0.3) / 2, 12);
      // company: sharing (150 - 100) / 100 = 0.5. Roll-up: (0.5 x 1 + 0.31667 x 2) / 3.
      expect(report.score).toBeCloseTo((0.5 + 2 * ((1 / 3 + 0.3) / 2)) / 3, 12);
      expect(report.teams.map((t: { team: string | null }) => t.team).sort()).toEqual([null, 'payments'].sort());
    });

    it('refuses bad input with the field named and writes nothing', async () => {
      const bad = [
        await checkin('lead', { confidence: 11 }),
        await checkin('lead', { zone: 'target' }),
        await checkin('sdk', { value: 3 }),
        await app.inject({
          method: 'PUT',
          url: '/api/v1/okrs/objectives/other',
          headers: auth,
          payload: { title: 'x', period: '2027-Q1', parent: 'company', keyResults: [{ id: 'x1', title: 'x', start: 1, target: 1 }] },
        }),
      ];
      expect(bad.map((r) => r.statusCode)).toEqual([400, 400, 400, 400]);
      expect(bad[0]?.json().errors).toEqual([expect.objectContaining({ field: 'body.confidence' })]);
      expect(bad[1]?.json().errors).toEqual([expect.objectContaining({ field: 'body.zone' })]);
      expect(bad[2]?.json().errors).toEqual([expect.objectContaining({ field: 'body.value' })]);
      expect(bad[3]?.json().errors.map((e: { field: string }) => e.field)).toEqual(['body.keyResults[0].target']);
      // A parent in another period is refused once the schema passes.
      const otherPeriod = await app.inject({
        method: 'PUT',
        url: '/api/v1/okrs/objectives/other',
        headers: auth,
        payload: { title: 'x', period: '2027-Q1', parent: 'company', keyResults: [{ id: 'x1', title: 'x', start: 1, target: 2 }] },
      });
      expect(otherPeriod.statusCode).toBe(400);
      expect(otherPeriod.json().errors).toEqual([
        { field: 'body.parent', message: '"company" is in period 2026-Q4, this objective in 2027-Q1' },
      ]);
      // The file's objectives are changed in the file.
      const owned = await app.inject({
        method: 'PUT',
        url: '/api/v1/okrs/objectives/pay',
        headers: auth,
        payload: { title: 'x', period: '2026-Q4', keyResults: [{ id: 'y', title: 'y', start: 0, target: 1 }] },
      });
      expect(owned.statusCode).toBe(409);
      expect(await store.db.selectFrom('okr_checkins').selectAll().execute()).toEqual([]);
      expect((await store.db.selectFrom('okr_objectives').select('id').execute()).map((r) => r.id).sort()).toEqual(['company', 'pay']);
    });
  });
}
