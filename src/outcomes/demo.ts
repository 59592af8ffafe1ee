import type { DemoContext, DemoReport } from '../kit/demo.js';
import { NO_PEERS } from '../kit/module.js';
import { SeededRandom } from '../shared/random.js';
import { dateOf } from './dates.js';
import { toDefinition } from './outcomes-config.js';
import { metricDefinitionInput, type MetricDefinitionInput } from './model.js';
import { publishReadout } from './publish.js';
import { addAnnotations, defineMetrics, listMetrics, putDeck, putTree, setNote, upsertPointRows } from './store.js';
import { publishModuleSeries } from './sync-task.js';
import { defaultWeekEnding, todayUtc } from './week.js';

/**
 * The demo's outcomes: a North Star ("weekly active teams sharing a report")
 * with three inputs over two years of daily data. `activated-teams` drives it
 * two weeks later (the North Star's level follows the teams activated 14-20
 * days before); `reports-created` does not drive it, and steps up by a quarter
 * eight weeks before the end (report templates launched), a change XmR
 * catches; `share-rate` is a ratio of two pushed metrics. A counter-metric
 * (support tickets), engineering series from the other modules, targets,
 * annotations, owners' notes and three published readouts complete it.
 */
export const DEMO_DAYS = 730;
export const STEP_WEEKS_BEFORE_END = 8;

const METRICS: Array<[string, MetricDefinitionInput]> = [
  [
    'weekly-sharing-teams',
    {
      name: 'Weekly active teams sharing a report',
      unit: 'count',
      direction: 'up',
      aggregation: 'last',
      owner: 'growth',
      description:
        'Teams that shared at least one report in the 7 days ending that day (a rolling count, so weeks and months take the last day).',
      target: { week: 330, month: 330 },
    },
  ],
  [
    'activated-teams',
    {
      name: 'Teams activated',
      unit: 'count',
      direction: 'up',
      aggregation: 'sum',
      owner: 'onboarding',
      description: 'Teams that completed onboarding (first report shared with a teammate) that day.',
      target: { week: 45 },
    },
  ],
  [
    'reports-created',
    {
      name: 'Reports created',
      unit: 'count',
      direction: 'up',
      aggregation: 'sum',
      owner: 'reporting',
      description: 'Reports created that day, drafts included.',
    },
  ],
  [
    'reports-shared',
    {
      name: 'Reports shared',
      unit: 'count',
      direction: 'up',
      aggregation: 'sum',
      owner: 'reporting',
      description: 'Reports shared with at least one other person that day.',
    },
  ],
  [
    'share-rate',
    {
      name: 'Share rate',
      unit: 'ratio',
      direction: 'up',
      aggregation: 'sum',
      owner: 'reporting',
      numerator: 'reports-shared',
      denominator: 'reports-created',
      description: 'Reports shared / reports created, each summed over the period first.',
    },
  ],
  [
    'support-tickets',
    {
      name: 'Support tickets',
      unit: 'count',
      direction: 'down',
      aggregation: 'sum',
      owner: 'support',
      description: 'Tickets opened that day (counter-metric: growth must not cost support load).',
    },
  ],
];

export async function loadOutcomesDemo({ store, options, peers }: DemoContext): Promise<DemoReport> {
  const today = todayUtc(options.now);
  const end = today - 1;
  const start = end - DEMO_DAYS + 1;
  const random = new SeededRandom(options.seed * 1009 + 11);
  await store.db.deleteFrom('outcomes_readouts').execute();
  await store.db.deleteFrom('outcomes_notes').execute();
  await store.db.deleteFrom('outcomes_annotations').execute();
  await defineMetrics(
    store.db,
    METRICS.map(([id, input]) => toDefinition(id, metricDefinitionInput.parse(input), 'demo')),
  );

  const days = end - start + 1;
  const noise = () => random.next() - 0.5;
  // Activated teams: a weekly level that wanders (campaigns come and go) and daily noise.
  const activated: number[] = [];
  let level = 6;
  for (let i = 0; i < days; i++) {
    if (i % 7 === 0) level = Math.min(11, Math.max(2, level + (random.next() - 0.5) * 3));
    activated.push(Math.max(0, Math.round(level + noise() * 2)));
  }
  const stepFrom = days - STEP_WEEKS_BEFORE_END * 7;
  const rows: Array<readonly [string, number, number]> = [];
  let sharingTrend = 0;
  for (let i = 0; i < days; i++) {
    const day = start + i;
    const weekday = (((day + 3) % 7) + 7) % 7;
    const weekend = weekday >= 5;
    // North Star: the teams activated 14-20 days ago keep it up, plus a slow organic trend.
    sharingTrend += 0.05;
    let recent = 0;
    for (let k = 14; k <= 20; k++) recent += activated[Math.max(0, i - k)] as number;
    rows.push(['weekly-sharing-teams', day, Math.round(220 + sharingTrend + 1.2 * recent + noise() * 3)]);
    rows.push(['activated-teams', day, activated[i] as number]);
    const created = Math.round((weekend ? 60 : 120) * (i >= stepFrom ? 1.25 : 1) + noise() * 20);
    rows.push(['reports-created', day, created]);
    rows.push(['reports-shared', day, Math.round(created * (0.42 + noise() * 0.06))]);
    rows.push(['support-tickets', day, Math.max(0, Math.round((weekend ? 8 : 20) + noise() * 8))]);
  }
  await store.db
    .deleteFrom('outcomes_points')
    .where(
      'metric_id',
      'in',
      METRICS.map(([id]) => id),
    )
    .execute();
  await store.db.transaction().execute((trx) => upsertPointRows(trx, store.dialect, rows));

  const published = await publishModuleSeries(store, peers ?? NO_PEERS, dateOf(end), 'Europe/London');
  const engineering = (await listMetrics(store.db))
    .filter((m) => m.source !== 'demo' && m.source !== 'config' && m.source !== 'api')
    .map((m) => m.id);

  await putTree(store.db, {
    northStars: [{ metric: 'weekly-sharing-teams', area: 'workspace', counterMetrics: ['support-tickets'] }],
    edges: [
      { parent: 'weekly-sharing-teams', child: 'activated-teams', hypothesis: 'more activated teams -> more teams sharing weekly' },
      { parent: 'weekly-sharing-teams', child: 'reports-created', hypothesis: 'more reports created -> more teams sharing weekly' },
      { parent: 'weekly-sharing-teams', child: 'share-rate', hypothesis: 'a higher share rate -> more teams sharing weekly' },
    ],
  });
  await putDeck(store.db, {
    sections: [
      { title: 'Inputs', metrics: ['activated-teams', 'reports-created', 'share-rate'] },
      { title: 'North Star', metrics: ['weekly-sharing-teams', 'support-tickets'] },
      ...(engineering.length > 0 ? [{ title: 'Engineering', metrics: engineering.slice(0, 6) }] : []),
    ],
  });
  await addAnnotations(store.db, [
    { metric: 'reports-created', date: dateOf(start + stepFrom), text: 'Report templates launched', author: 'reporting' },
    { metric: 'activated-teams', date: dateOf(end - 100), text: 'Onboarding email sequence rewritten', author: 'onboarding' },
    { metric: 'weekly-sharing-teams', date: dateOf(end - 40), text: 'Sharing links no longer expire', author: 'growth' },
  ]);

  const lastWeek = defaultWeekEnding(today);
  const readouts = [lastWeek - 28, lastWeek - 21, lastWeek - 14];
  for (const week of readouts) {
    await setNote(store.db, 'weekly-sharing-teams', week, 'Follows the teams activated two weeks earlier, as the tree expects.', 'growth');
    await setNote(
      store.db,
      'reports-created',
      week,
      week >= start + stepFrom ? 'Templates lifted creation by about a quarter; new baseline from the launch.' : 'Routine variation.',
      'reporting',
    );
    await setNote(store.db, 'activated-teams', week, 'Campaign mix unchanged; no action.', 'onboarding');
    await publishReadout(store, week, 'demo', peers ?? NO_PEERS, { now: (week + 1) * 86_400_000 + 9 * 3_600_000 });
  }
  return { metrics: METRICS.length + published.metrics, points: rows.length + published.points, readouts: readouts.length };
}
