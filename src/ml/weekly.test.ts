import { afterEach, describe, expect, it } from 'vitest';
import { saveTeam } from '../org/index.js';
import type { Store } from '../store/database.js';
import { TEST_DIALECTS } from '../test-support/stores.js';
import { buildProject, d } from './fixtures.test-support.js';
import type { Experiment } from './model.js';
import { insertExperiments, insertKillFlag, insertProject, resolveKillFlags } from './store.js';
import { mlReviewSection, mlSeries } from './weekly.js';

const t = (iso: string) => Date.parse(iso);
const WEEK = { from: '2026-03-02', to: '2026-03-08', timeZone: 'UTC' };

function experiment(
  id: string,
  team: string,
  hypothesis: string,
  started: string,
  decided: string | null,
  extra: Partial<Experiment> = {},
): Experiment {
  return {
    id,
    hypothesis,
    metric: 'recall',
    direction: 'higher',
    successThreshold: 0.7,
    killThreshold: null,
    owner: 'ana',
    teamId: team,
    projectId: null,
    keyResult: null,
    ticketUrl: null,
    startedAt: t(started),
    endedAt: decided === null ? null : t(decided),
    result: null,
    decision: null,
    learning: null,
    decidedAt: decided === null ? null : t(decided),
    ...extra,
  };
}

/**
 * The week 2-8 March 2026 (UTC), as of 9 March 00:00:
 * - churn: in its POC since 16 January, day 52 of the 14-28 planned: a gate decision is due.
 * - fraud: in go/no-go since 20 February (day 17).
 * - ranker: data assessment since 4 March, day 5 of 7-14: not at a gate.
 * - recs: data assessment ended 1 March, nothing entered since.
 * - search: killed by a no-go on 10 February.
 * - Kill flags: churn k1 met 3 March 09:00, open; fraud k2 met 25 February, answered 5 March 10:00; recs k3 met
 *   10 March (after the week).
 * - Experiments concluded in the week: e1 (ml, churn) adopt on 3 March 12:00 after 11.5 days, e2 (growth) kill on
 *   5 March 12:00 after 6.5 days, e3 (ml) iterate on 6 March 12:00 after 5.5 days: median 6.5 days. e4 concludes
 *   9 March (after), e5 is running.
 */
async function seed(store: Store): Promise<void> {
  for (const id of ['ml', 'growth']) await saveTeam(store.db, { id, name: id, parentId: null, description: null });
  const now = t('2026-03-10T00:00:00Z');
  await insertProject(store.db, buildProject(), 'api', now);
  await insertProject(
    store.db,
    buildProject({
      id: 'fraud',
      name: 'Fraud scores',
      entries: [
        { seq: 1, phase: 'data-assessment', startedAt: d('2026-01-05'), endedAt: d('2026-01-16') },
        { seq: 2, phase: 'poc', startedAt: d('2026-01-16'), endedAt: d('2026-02-20') },
        { seq: 3, phase: 'go-no-go', startedAt: d('2026-02-20'), endedAt: null },
      ],
    }),
    'api',
    now,
  );
  await insertProject(
    store.db,
    buildProject({
      id: 'ranker',
      name: 'Search ranker',
      startedAt: d('2026-03-04'),
      entries: [{ seq: 1, phase: 'data-assessment', startedAt: d('2026-03-04'), endedAt: null }],
      gates: [],
    }),
    'api',
    now,
  );
  await insertProject(
    store.db,
    buildProject({
      id: 'recs',
      name: 'Recommendations',
      startedAt: d('2026-02-20'),
      entries: [{ seq: 1, phase: 'data-assessment', startedAt: d('2026-02-20'), endedAt: d('2026-03-01') }],
      gates: [],
    }),
    'api',
    now,
  );
  await insertProject(
    store.db,
    buildProject({
      id: 'search',
      name: 'Semantic search',
      status: 'killed',
      learning: 'keyword search is good enough',
      entries: [{ seq: 1, phase: 'data-assessment', startedAt: d('2026-01-05'), endedAt: d('2026-02-10') }],
      gates: [
        {
          seq: 1,
          phase: 'data-assessment',
          decision: 'no-go',
          decidedBy: 'Ana',
          decidedAt: d('2026-02-10'),
          evidence: [],
          checklist: {},
          note: null,
          pivotTo: null,
        },
      ],
    }),
    'api',
    now,
  );
  await insertKillFlag(store.db, {
    projectId: 'churn',
    criterionId: 'k1',
    metAt: t('2026-03-03T09:00:00Z'),
    evidence: 'POC recall 0.52 < 0.6',
  });
  await insertKillFlag(store.db, { projectId: 'fraud', criterionId: 'k2', metAt: t('2026-02-25T09:00:00Z'), evidence: 'no go in 6 weeks' });
  await resolveKillFlags(store.db, 'fraud', t('2026-03-05T10:00:00Z'), 'Ana');
  await insertKillFlag(store.db, { projectId: 'recs', criterionId: 'k3', metAt: t('2026-03-10T09:00:00Z'), evidence: 'later' });
  await insertExperiments(
    store.db,
    [
      experiment('e1', 'ml', 'Recency features raise recall', '2026-02-20T00:00:00Z', '2026-03-03T12:00:00Z', {
        projectId: 'churn',
        decision: 'adopt',
        learning: 'Recency features lift recall by 4 points',
      }),
      experiment('e2', 'growth', 'A banner raises sign-ups', '2026-02-27T00:00:00Z', '2026-03-05T12:00:00Z', {
        decision: 'kill',
        learning: 'Nobody clicks the banner',
      }),
      experiment('e3', 'ml', 'Embeddings help', '2026-03-01T00:00:00Z', '2026-03-06T12:00:00Z', {
        decision: 'iterate',
        learning: 'Needs more data',
      }),
      experiment('e4', 'ml', 'Later', '2026-03-01T00:00:00Z', '2026-03-09T12:00:00Z', { decision: 'adopt', learning: 'x' }),
      experiment('e5', 'ml', 'Running', '2026-03-02T00:00:00Z', null),
    ],
    'api',
  );
}

for (const dialect of TEST_DIALECTS) {
  describe(`ML review section and series on ${dialect.name}`, () => {
    let store: Store | undefined;
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    it('is null and publishes nothing without projects or experiments', async () => {
      store = await dialect.open();
      expect(await mlReviewSection(store.db, WEEK)).toBeNull();
      expect(await mlSeries(store.db, WEEK)).toEqual([]);
    });

    it('lists projects at a gate, kill criteria met and the experiments concluded with their learnings, each linked', async () => {
      store = await dialect.open();
      await seed(store);
      expect(await mlReviewSection(store.db, WEEK)).toEqual({
        title: 'ML projects and experiments',
        rows: [
          { label: 'ML projects at a gate', value: '3', href: '/ml' },
          { label: 'Kill criteria met, no decision yet', value: '1', href: '/ml' },
          {
            label: 'Experiments concluded this week',
            value: '3 (adopt 1, iterate 1, kill 1); median 6.5 days from start to decision',
            href: '/experiments',
          },
          {
            label: 'At a gate: Churn model',
            value: 'Proof of concept at day 52 of 14-28 planned: gate decision due',
            href: '/ml?project=churn',
          },
          {
            label: 'At a gate: Fraud scores',
            value: 'Go/no-go decision open since 2026-02-20 (day 17, 3-10 planned)',
            href: '/ml?project=fraud',
          },
          {
            label: 'At a gate: Recommendations',
            value: 'Data assessment ended 2026-03-01, next phase not entered',
            href: '/ml?project=recs',
          },
          { label: 'Kill criterion met: Churn model', value: 'k1 since 2026-03-03: POC recall 0.52 < 0.6', href: '/ml?project=churn' },
          {
            label: 'Experiment adopt: Recency features raise recall',
            value: 'Recency features lift recall by 4 points (team ml, Churn model)',
            href: '/ml?project=churn',
          },
          { label: 'Experiment kill: A banner raises sign-ups', value: 'Nobody clicks the banner (team growth)', href: '/experiments' },
          { label: 'Experiment iterate: Embeddings help', value: 'Needs more data (team ml)', href: '/experiments' },
        ],
      });
    });

    it('publishes experiments concluded a day (all, by decision, per team) and kill flags open at each day end', async () => {
      store = await dialect.open();
      await seed(store);
      const series = await mlSeries(store.db, WEEK);
      const days = ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08'];
      const values = (id: string) => {
        const s = series.find((x) => x.metric.id === id);
        expect(s?.points.map((p) => p.date)).toEqual(days);
        return s?.points.map((p) => p.value);
      };
      expect(series.map((s) => s.metric.id)).toEqual([
        'ml.experiments-concluded',
        'ml.experiments-concluded-adopt',
        'ml.experiments-concluded-iterate',
        'ml.experiments-concluded-kill',
        'ml.kill-flags-open',
        'ml.experiment-days-to-decision-p50',
        'ml.experiments-concluded.growth',
        'ml.experiments-concluded.ml',
        'ml.experiment-days-to-decision-p50.growth',
        'ml.experiment-days-to-decision-p50.ml',
      ]);
      expect(values('ml.experiments-concluded')).toEqual([0, 1, 0, 1, 1, 0, 0]);
      expect(values('ml.experiments-concluded-adopt')).toEqual([0, 1, 0, 0, 0, 0, 0]);
      expect(values('ml.experiments-concluded-iterate')).toEqual([0, 0, 0, 0, 1, 0, 0]);
      expect(values('ml.experiments-concluded-kill')).toEqual([0, 0, 0, 1, 0, 0, 0]);
      // k2 open at the ends of 2-4 March (answered 5 March 10:00); k1 from the end of 3 March on.
      expect(values('ml.kill-flags-open')).toEqual([1, 2, 2, 1, 1, 1, 1]);
      expect(values('ml.experiments-concluded.growth')).toEqual([0, 0, 0, 1, 0, 0, 0]);
      expect(values('ml.experiments-concluded.ml')).toEqual([0, 1, 0, 0, 1, 0, 0]);
      expect(series.find((s) => s.metric.id === 'ml.experiments-concluded.ml')?.metric.owner).toBe('ml');
      // Median days to decision over the 7 days ending each day, by hand: e1 (3 Mar, 11.5 days), e2 (5 Mar, 6.5),
      // e3 (6 Mar, 5.5). 2 Mar: nothing in 24 Feb-2 Mar, no value. 3-4 Mar: {11.5}. 5 Mar: {11.5, 6.5} -> 9.
      // 6-8 Mar: {11.5, 6.5, 5.5} -> 6.5 — 8 March's window is the week, so the week's value (`last`) is the 6.5 of the review.
      const points = (id: string) => series.find((x) => x.metric.id === id)?.points.map((p) => [p.date.slice(8), p.value]);
      expect(points('ml.experiment-days-to-decision-p50')).toEqual([
        ['03', 11.5],
        ['04', 11.5],
        ['05', 9],
        ['06', 6.5],
        ['07', 6.5],
        ['08', 6.5],
      ]);
      expect(series.find((s) => s.metric.id === 'ml.experiment-days-to-decision-p50')?.metric.aggregation).toBe('last');
      // ml: e1 alone until e3 joins on 6 March, median (11.5 + 5.5) / 2 = 8.5; growth: e2 from 5 March.
      expect(points('ml.experiment-days-to-decision-p50.ml')).toEqual([
        ['03', 11.5],
        ['04', 11.5],
        ['05', 11.5],
        ['06', 8.5],
        ['07', 8.5],
        ['08', 8.5],
      ]);
      expect(points('ml.experiment-days-to-decision-p50.growth')).toEqual([
        ['05', 6.5],
        ['06', 6.5],
        ['07', 6.5],
        ['08', 6.5],
      ]);
    });

    it('counts experiments concluded in the 6 days before the range in the first days’ median windows', async () => {
      store = await dialect.open();
      await saveTeam(store.db, { id: 'ml', name: 'ml', parentId: null, description: null });
      // Decided 27 February (after 4 days) and 2 March (after 10): 2 March's window (24 Feb-2 Mar) holds both -> 7;
      // 5 March's (27 Feb-5 Mar) still both; 6 March's (28 Feb-6 Mar) only the second -> 10.
      await insertExperiments(
        store.db,
        [
          experiment('b1', 'ml', 'Before', '2026-02-23T00:00:00Z', '2026-02-27T00:00:00Z', { decision: 'kill', learning: 'x' }),
          experiment('b2', 'ml', 'In', '2026-02-20T12:00:00Z', '2026-03-02T12:00:00Z', { decision: 'adopt', learning: 'y' }),
        ],
        'api',
      );
      const series = await mlSeries(store.db, WEEK);
      expect(series.find((x) => x.metric.id === 'ml.experiment-days-to-decision-p50')?.points).toEqual([
        { date: '2026-03-02', value: 7 },
        { date: '2026-03-03', value: 7 },
        { date: '2026-03-04', value: 7 },
        { date: '2026-03-05', value: 7 },
        { date: '2026-03-06', value: 10 },
        { date: '2026-03-07', value: 10 },
        { date: '2026-03-08', value: 10 },
      ]);
    });
  });
}
