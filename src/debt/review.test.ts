import { afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../incidents/model.js';
import { upsertIncidents } from '../incidents/store.js';
import { saveService, saveTeam } from '../org/index.js';
import type { Store } from '../store/database.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import { debtConfig, type DebtItem, type WorkItem } from './model.js';
import { debtReviewSection, debtSeries } from './review.js';
import { insertDebtItems, saveDebtSettings, upsertWorkItems } from './store.js';

const t = (iso: string) => Date.parse(iso);
const WEEK = { from: '2026-03-02', to: '2026-03-08', timeZone: 'UTC' };

function work(id: string, team: string, type: string, completed: string | null, extra: Partial<WorkItem> = {}): WorkItem {
  const done = completed === null ? null : t(`${completed}T10:00:00Z`);
  return {
    id,
    team,
    title: id,
    type,
    labels: [],
    state: done === null ? 'in-progress' : 'done',
    created: t('2026-02-01T00:00:00Z'),
    started: done === null ? null : done - 3_600_000,
    completed: done,
    points: null,
    parent: null,
    sprint: null,
    links: [],
    source: 'api',
    ...extra,
  };
}

function debt(
  id: string,
  title: string,
  category: string,
  status: DebtItem['status'],
  created: string,
  extra: Partial<DebtItem> = {},
): DebtItem {
  return {
    id,
    title,
    category,
    quadrant: null,
    location: { repository: null, paths: [], service: null },
    team: null,
    status,
    impact: 'slows every change',
    principalDays: null,
    candidateKey: null,
    created: t(created),
    updated: t(created),
    ...extra,
  };
}

function incident(id: string, start: string): Incident {
  return {
    id,
    title: id,
    serviceId: 'checkout',
    services: ['checkout'],
    severity: 'SEV2',
    priority: null,
    status: 'resolved',
    milestones: {
      impactStartedAt: t(start),
      detectedAt: null,
      acknowledgedAt: null,
      mitigatedAt: null,
      resolvedAt: t(start) + 3_600_000,
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
  };
}

/**
 * Weekly sprints from Monday 2026-02-23 (UTC); default category rules, effort = item count.
 * pay (target 20%, WIP limit 1):
 *   sprint 02-23: p1 feature (new), p2 bug (ktlo), p3 task labelled tech-debt (debt), p4 task (improve): debt 1/4 = 25%.
 *   sprint 03-02: p5, p6, p9, p10 features, p7 chore (ktlo), p8 a task under the tech-debt epic e1 (debt by
 *   inheritance): debt 1/6 = 17% < 20%, streak 1. p11 completes on 9 March 10:00, after the week.
 *   In progress at the week's end: p11 (started 6 March), p12 (5 March), p13 (8 March): 3 > 1; e1 is an epic (left out).
 * web (target 30%): sprint 03-02: w1 tech-debt (debt), w2 bug (ktlo): 50%.
 * Register: d1 accepted, d2 candidate on checkout (2 incidents in the last 90 days, principal 2 days: score
 * (2 + 0 + 0) / 2 = 1.00), d3 paid on 4 March 12:00, d4 created after the week.
 */
async function seed(store: Store): Promise<void> {
  await saveDebtSettings(
    store.db,
    store.dialect,
    debtConfig.parse({ targets: { web: 0.3 }, wipLimits: { pay: 1 }, cadence: { days: 7, start: '2026-02-23' } }),
  );
  const at = (d: string) => t(`${d}T10:00:00Z`);
  await upsertWorkItems(
    store,
    [
      work('p1', 'pay', 'feature', '2026-02-24'),
      work('p2', 'pay', 'bug', '2026-02-25'),
      work('p3', 'pay', 'task', '2026-02-26', { labels: ['tech-debt'] }),
      work('p4', 'pay', 'task', '2026-02-27'),
      work('p5', 'pay', 'feature', '2026-03-03'),
      work('p6', 'pay', 'feature', '2026-03-04'),
      work('p7', 'pay', 'chore', '2026-03-05'),
      work('p8', 'pay', 'task', '2026-03-06', { parent: 'e1' }),
      work('p9', 'pay', 'feature', '2026-03-07'),
      work('p10', 'pay', 'feature', '2026-03-08'),
      work('p11', 'pay', 'feature', '2026-03-09', { started: at('2026-03-06') }),
      work('p12', 'pay', 'task', null, { started: at('2026-03-05') }),
      work('p13', 'pay', 'task', null, { started: at('2026-03-08') }),
      work('p14', 'pay', 'task', null, { state: 'todo' }),
      work('e1', 'pay', 'epic', null, { labels: ['tech-debt'], started: at('2026-02-20') }),
      work('w1', 'web', 'task', '2026-03-03', { labels: ['tech-debt'] }),
      work('w2', 'web', 'bug', '2026-03-04'),
    ],
    t('2026-03-10T00:00:00Z'),
  );
  await saveTeam(store.db, { id: 'pay', name: 'Payments', parentId: null, description: null });
  await saveService(store.db, {
    id: 'checkout',
    name: 'Checkout',
    ownerTeamId: 'pay',
    description: null,
    repositories: [],
    environments: [],
  });
  await upsertIncidents(
    store.db,
    [incident('i1', '2026-02-10T08:00:00Z'), incident('i2', '2026-02-20T08:00:00Z')],
    t('2026-03-10T00:00:00Z'),
  );
  await insertDebtItems(store.db, [
    debt('d1', 'Split the payments monolith', 'architecture', 'accepted', '2026-02-01T00:00:00Z', { team: 'pay', principalDays: 20 }),
    debt('d2', 'Flaky checkout tests', 'code', 'candidate', '2026-02-15T00:00:00Z', {
      principalDays: 2,
      location: { repository: null, paths: [], service: 'checkout' },
    }),
    debt('d3', 'Old cron', 'infrastructure', 'paid', '2026-01-10T00:00:00Z', { updated: t('2026-03-04T12:00:00Z') }),
    debt('d4', 'Later item', 'code', 'accepted', '2026-03-10T00:00:00Z'),
  ]);
}

const days = ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08'];
const points = (values: Array<number | null>) => values.flatMap((value, i) => (value === null ? [] : [{ date: days[i] as string, value }]));

for (const dialect of TEST_DIALECTS) {
  describe(`debt review section and series on ${dialect.name}`, () => {
    let store: Store | undefined;
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    it('is null and publishes nothing without work items or register items', async () => {
      store = await dialect.open();
      expect(await debtReviewSection(store.db, WEEK)).toBeNull();
      expect(await debtSeries(store.db, WEEK)).toEqual([]);
    });

    it('gives each team its last sprint against the budget, WIP over limit and the top register items', async () => {
      store = await dialect.open();
      await seed(store);
      expect(await debtReviewSection(store.db, WEEK)).toEqual({
        title: 'Technical debt',
        rows: [
          {
            label: 'Debt share, pay, sprint 2026-03-02',
            value: '17% of 6 items (target 20%), below target 1 sprint running',
            href: '/debt#capacity',
          },
          { label: 'Debt share, web, sprint 2026-03-02', value: '50% of 2 items (target 30%)', href: '/debt#capacity' },
          { label: 'WIP over limit, pay', value: '3 in progress, limit 1', href: '/debt#capacity' },
          { label: 'Debt register', value: '2 open (1 candidate, 1 accepted, 0 in progress)', href: '/debt#register' },
          { label: 'Debt #1: Flaky checkout tests', value: 'score 1.00, code, candidate', href: '/debt#register' },
          { label: 'Debt #2: Split the payments monolith', value: 'score 0.00, architecture, accepted, team pay', href: '/debt#register' },
        ],
      });
    });

    it('publishes the trailing-7-day debt and KTLO shares, WIP and register size a day', async () => {
      store = await dialect.open();
      await seed(store);
      const series = new Map((await debtSeries(store.db, WEEK)).map((s) => [s.metric.id, s]));
      expect([...series.keys()]).toEqual([
        'debt.debt-share',
        'debt.ktlo-share',
        'debt.wip',
        'debt.register-size',
        'debt.debt-share.pay',
        'debt.debt-share.web',
      ]);
      // Completed (all teams) in the 7 days ending each day: 03-02: p1-p4 (1 debt, 1 KTLO of 4); 03-03: p2-p5, w1
      // (2 debt, 1 KTLO of 5); 03-04: p3-p6, w1, w2 (2, 1 of 6); 03-05: p4-p7, w1, w2 (1, 2 of 6); 03-06: p5-p8, w1,
      // w2 (2, 2 of 6); 03-07: + p9 (2, 2 of 7); 03-08: p5-p10, w1, w2 (2, 2 of 8).
      expect(series.get('debt.debt-share')?.points).toEqual(points([1 / 4, 2 / 5, 2 / 6, 1 / 6, 2 / 6, 2 / 7, 2 / 8]));
      expect(series.get('debt.ktlo-share')?.points).toEqual(points([1 / 4, 1 / 5, 1 / 6, 2 / 6, 2 / 6, 2 / 7, 2 / 8]));
      // In progress at each day's end: p12 from 5 March, p11 from 6 March, p13 on 8 March.
      expect(series.get('debt.wip')?.points).toEqual(points([0, 0, 0, 1, 2, 2, 3]));
      // d1, d2 and the paid d3 until its update on 4 March 12:00.
      expect(series.get('debt.register-size')?.points).toEqual(points([3, 3, 2, 2, 2, 2, 2]));
      expect(series.get('debt.debt-share.pay')?.points).toEqual(points([1 / 4, 1 / 4, 1 / 4, 0, 1 / 4, 1 / 5, 1 / 6]));
      expect(series.get('debt.debt-share.pay')?.metric.owner).toBe('pay');
      // web completed nothing in the 7 days ending 2 March: no value that day.
      expect(series.get('debt.debt-share.web')?.points).toEqual(points([null, 1, 1 / 2, 1 / 2, 1 / 2, 1 / 2, 1 / 2]));
    });
  });
}
