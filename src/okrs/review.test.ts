import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../store/database.js';
import { bearer, buildTestApp } from '../test-support/app.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import { parseWorkspaceConfig } from '../workspace/workspace-file.js';
import { applyWorkspaceConfig } from '../workspace/workspace.js';
import { okrsReviewSection } from './review.js';
import { addCheckin } from './store.js';

const YAML = `version: 1
teams:
  - id: payments
    name: Payments
okrs:
  objectives:
    - id: company
      title: Learn from production
      period: 2026-Q1
      keyResults:
        - id: sharing
          title: Teams sharing a report
          start: 100
          target: 200
    - id: pay
      title: Ship safely
      team: payments
      period: 2026-Q1
      parent: company
      kind: committed
      keyResults:
        - id: lead
          title: Lead time 30 h to 12 h
          start: 30
          target: 12
        - id: sdk
          title: SDK adopted
          milestones: { commit: two teams, target: four teams }
    - id: old
      title: Last quarter
      period: 2025-Q4
      keyResults:
        - id: old-kr
          title: Something
          start: 0
          target: 1
`;

const WEEK = { from: '2026-02-09', to: '2026-02-15', timeZone: 'UTC' };
const t = (iso: string) => Date.parse(iso);

/**
 * The week 9-15 February 2026 of Q1 (1 January - 31 March, 90 days), graded at the week's end:
 * 45 whole days elapsed, expected progress 45 / 90 = 0.5; a key result is behind below 0.4.
 * - sharing: 160 on 10 February -> (160 - 100) / 100 = 0.6, confidence 8; company scores 0.6 (yellow).
 * - lead: 27 on 2 February (confidence 7), 24 on 12 February (confidence 4) -> (24 - 30) / (12 - 30)
 *   = 1/3, behind; its confidence fell from 7 to 4 this week, below 5.
 * - sdk: zone commit -> 0.3, behind.
 * - pay (committed) scores (1/3 + 0.3) / 2 = 0.3167 (red), behind and at risk.
 * - the company roll-up: (0.6 + 0.3167) / 2 = 0.4583 (yellow). Q4 2025 does not contain the week.
 */
async function seed(store: Store): Promise<void> {
  await applyWorkspaceConfig(store, parseWorkspaceConfig(YAML, 'sextant.yaml'));
  const checkin = (kr: string, id: string, at: string, input: Parameters<typeof addCheckin>[2]) =>
    addCheckin(store.db, kr, input, id, t(at), t(at));
  await checkin('sharing', 's1', '2026-02-10T09:00:00Z', { value: 160, confidence: 8 });
  await checkin('lead', 'l1', '2026-02-02T09:00:00Z', { value: 27, confidence: 7 });
  await checkin('lead', 'l2', '2026-02-12T09:00:00Z', { value: 24, confidence: 4 });
  await checkin('sdk', 'k1', '2026-02-01T09:00:00Z', { zone: 'commit' });
}

const HREF = '/okrs?period=2026-Q1';
const EXPECTED = {
  title: 'OKRs',
  rows: [
    { label: 'Period 2026-Q1', value: 'score 0.46 (yellow), expected progress 0.50', href: HREF },
    { label: 'Objective behind: Ship safely', value: 'score 0.32 (red) vs expected 0.50, team payments', href: HREF },
    {
      label: 'Key result behind: Lead time 30 h to 12 h',
      value: 'progress 0.33 vs expected 0.50, confidence 4/10 (Ship safely)',
      href: HREF,
    },
    { label: 'Key result behind: SDK adopted', value: 'progress 0.30 vs expected 0.50 (Ship safely)', href: HREF },
    {
      label: 'Committed objective at risk: Ship safely',
      value: 'score 0.32: behind: lead, sdk; low confidence: lead 4/10',
      href: HREF,
    },
    { label: 'Confidence dropped: Lead time 30 h to 12 h', value: '7/10 to 4/10 this week (Ship safely)', href: HREF },
  ],
};

for (const dialect of TEST_DIALECTS) {
  describe(`OKR review section on ${dialect.name}`, () => {
    let store: Store | undefined;
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    it('lists objectives and key results behind, committed objectives at risk and confidence drops, linked to the period', async () => {
      store = await dialect.open();
      await seed(store);
      expect(await okrsReviewSection(store.db, WEEK)).toEqual(EXPECTED);
      // The week before: the drop had not happened yet (lead's latest confidence is 7, from 2 February).
      const before = await okrsReviewSection(store.db, { from: '2026-02-02', to: '2026-02-08', timeZone: 'UTC' });
      expect(before?.rows.filter((r) => r.label.startsWith('Confidence dropped'))).toEqual([]);
      // No period contains a week in 2027: no section.
      expect(await okrsReviewSection(store.db, { from: '2027-05-03', to: '2027-05-09', timeZone: 'UTC' })).toBeNull();
    });

    it('appears in the weekly review and its Markdown readout with links', async () => {
      store = await dialect.open();
      await seed(store);
      const app = await buildTestApp(store);
      try {
        const review = (await app.inject({ method: 'GET', url: '/api/v1/reviews/2026-02-15' })).json();
        expect(review.moduleSections.find((s: { module: string }) => s.module === 'okrs')).toEqual({ module: 'okrs', ...EXPECTED });
        const auth = await bearer(store);
        expect(
          (await app.inject({ method: 'POST', url: '/api/v1/reviews/2026-02-15/publish', headers: auth, payload: { by: 'ana' } }))
            .statusCode,
        ).toBeLessThan(300);
        const markdown = (await app.inject({ method: 'GET', url: '/api/v1/readouts/2026-02-15/readout.md' })).body;
        expect(markdown).toContain(
          '- [Key result behind: SDK adopted](/okrs?period=2026-Q1): progress 0.30 vs expected 0.50 (Ship safely)',
        );
      } finally {
        await app.close();
      }
    });
  });
}
