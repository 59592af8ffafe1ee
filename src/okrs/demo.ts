import type { DemoOptions, DemoReport } from '../kit/demo.js';
import { SeededRandom } from '../shared/random.js';
import type { Store } from '../store/database.js';
import { DAY_MS, DEFAULT_BEHIND_TOLERANCE, DEFAULT_ZONE_VALUES, dayNumber, type Zone } from './grading.js';
import type { ObjectiveInput } from './model.js';
import { DEFAULT_PERIOD_SETTINGS, quarterAt } from './period.js';
import { addCheckin, removeDemoObjectives, replaceObjectives, saveSettings } from './store.js';

type Defined = ObjectiveInput & { id: string };

/**
 * The demo's OKRs for the current quarter: a company objective, three team
 * objectives aligned to it, metric and milestone key results, weekly
 * check-ins up to the demo's today — one key result behind with falling
 * confidence (payments' p50 lead time) — and last quarter's, graded, with a
 * committed objective that ended below 1.0.
 */
export async function loadOkrDemo(store: Store, options: DemoOptions): Promise<DemoReport> {
  const now = options.now ?? Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const current = quarterAt(now);
  const previous = quarterAt(dayNumber(current.start) * DAY_MS - DAY_MS);
  const objectives: Defined[] = [...quarterObjectives(current.id, ''), ...quarterObjectives(previous.id, '-prev')];
  await removeDemoObjectives(store.db);
  await saveSettings(store.db, { ...DEFAULT_PERIOD_SETTINGS, behindTolerance: DEFAULT_BEHIND_TOLERANCE, zoneValues: DEFAULT_ZONE_VALUES });
  await replaceObjectives(store.db, objectives, DEFAULT_PERIOD_SETTINGS, 'demo', now);

  const random = new SeededRandom(options.seed * 4241);
  let checkins = 0;
  for (const [period, suffix, until] of [
    [previous, '-prev', dayNumber(previous.end) * DAY_MS],
    [current, '', now],
  ] as const) {
    const start = dayNumber(period.start) * DAY_MS;
    const days = dayNumber(period.end) - dayNumber(period.start) + 1;
    for (let week = 1; start + week * 7 * DAY_MS <= until; week++) {
      const at = start + week * 7 * DAY_MS + 10 * 3_600_000; // weekly, 10:00 UTC
      const elapsed = (week * 7) / days;
      for (const plan of PLANS) {
        const { value, zone, confidence } = plan.at(elapsed, random, suffix !== '');
        await addCheckin(
          store.db,
          plan.id + suffix,
          {
            ...(value !== undefined ? { value: Math.round(value * 10) / 10 } : {}),
            ...(zone !== undefined ? { zone } : {}),
            confidence,
            comment: plan.comment(confidence),
            author: plan.team,
          },
          `demo-${plan.id}${suffix}-w${week}`,
          at,
          at,
        );
        checkins++;
      }
    }
  }
  return { objectives: objectives.length, checkins };
}

function quarterObjectives(period: string, suffix: string): Defined[] {
  const company = `company-learning${suffix}`;
  return [
    {
      id: company,
      title: 'Every team learns from production every week',
      team: null,
      period,
      kind: 'aspirational',
      weight: 1,
      keyResults: [
        {
          id: `weekly-teams-sharing${suffix}`,
          title: 'Weekly active teams sharing a report: 120 to 200',
          start: 120,
          target: 200,
          unit: 'teams',
          aggregation: 'latest',
          weight: 2,
        },
        {
          id: `readouts-published${suffix}`,
          title: 'A weekly readout published every week',
          milestones: { commit: '8 of 13 weeks', target: '11 of 13 weeks', stretch: 'every week' },
          aggregation: 'latest',
          weight: 1,
        },
      ],
    },
    {
      id: `payments-flow${suffix}`,
      title: 'Payments ship small changes safely',
      team: 'payments',
      period,
      parent: company,
      kind: 'committed',
      weight: 1,
      keyResults: [
        {
          id: `payments-lead-time${suffix}`,
          title: 'Lead time p50 from 30 h to 12 h',
          start: 30,
          target: 12,
          unit: 'hours',
          aggregation: 'latest',
          weight: 1,
        },
        {
          id: `payments-cfr${suffix}`,
          title: 'Change failure rate from 14% to 8%',
          start: 14,
          target: 8,
          unit: '%',
          aggregation: 'latest',
          weight: 1,
        },
      ],
    },
    {
      id: `platform-paved-road${suffix}`,
      title: 'A paved road every service takes',
      team: 'platform',
      period,
      parent: company,
      kind: 'aspirational',
      weight: 1,
      keyResults: [
        {
          id: `platform-services-on-road${suffix}`,
          title: 'Services on the paved road: 2 to 8',
          start: 2,
          target: 8,
          unit: 'services',
          aggregation: 'latest',
          weight: 1,
        },
        {
          id: `platform-sdk${suffix}`,
          title: 'Deploy SDK adopted',
          milestones: { commit: 'two teams use it', target: 'four teams', stretch: 'every team' },
          aggregation: 'latest',
          weight: 1,
        },
      ],
    },
    {
      id: `search-relevance${suffix}`,
      title: 'Search answers what people ask',
      team: 'search',
      period,
      parent: company,
      kind: 'aspirational',
      weight: 1,
      keyResults: [
        {
          id: `search-zero-results${suffix}`,
          title: 'Zero-result searches from 9% to 4%',
          start: 9,
          target: 4,
          unit: '%',
          aggregation: 'latest',
          weight: 1,
        },
      ],
    },
  ];
}

interface CheckinPlan {
  id: string;
  team: string;
  at(elapsed: number, random: SeededRandom, previous: boolean): { value?: number; zone?: Zone; confidence: number };
  comment(confidence: number): string;
}

/**
 * A key result on track at every check-in: progress 0.1 + 1.1 x the elapsed
 * share (never more than 1), so it stays above "behind" (expected - 0.1) for
 * the whole week until the next check-in (a week is under 0.08 of a quarter).
 */
function onTrack(start: number, target: number, elapsed: number, random: SeededRandom): number {
  const progress = Math.min(1, 0.1 + 1.1 * elapsed + (random.next() - 0.5) * 0.02);
  return start + (target - start) * progress;
}

/** Milestones on track the same way: commit (0.3) until 0.32 of the period, target (0.7) until 0.72, then stretch. */
function zoneOnTrack(elapsed: number): Zone {
  return elapsed < 0.32 ? 'commit' : elapsed < 0.72 ? 'target' : 'stretch';
}

const PLANS: CheckinPlan[] = [
  {
    id: 'weekly-teams-sharing',
    team: 'engineering',
    at: (e, r) => ({ value: onTrack(120, 200, e, r), confidence: 7 }),
    comment: () => 'Reports grow with every team that joins the weekly review.',
  },
  {
    id: 'readouts-published',
    team: 'engineering',
    at: (e) => ({ zone: zoneOnTrack(e), confidence: 8 }),
    comment: () => 'Readout published on Monday.',
  },
  {
    // The key result behind: lead time barely moves (progress 0.22 x elapsed) and confidence falls week after week.
    id: 'payments-lead-time',
    team: 'payments',
    at: (e, r) => ({ value: 30 - 4 * e + r.next() * 0.2, confidence: Math.max(2, Math.round(8 - 6 * e)) }),
    comment: (c) => (c <= 4 ? 'Review queue is the bottleneck; pairing on reviews next week.' : 'Smaller pull requests are landing.'),
  },
  {
    id: 'payments-cfr',
    team: 'payments',
    at: (e, r) => ({ value: onTrack(14, 8, e, r), confidence: 7 }),
    comment: () => 'Canary checks catch most bad releases now.',
  },
  {
    id: 'platform-services-on-road',
    team: 'platform',
    at: (e) => ({ value: Math.ceil(onTrack(2, 8, e, new SeededRandom(1))), confidence: 6 }),
    comment: () => 'One more service migrated.',
  },
  {
    id: 'platform-sdk',
    team: 'platform',
    at: (e) => ({ zone: zoneOnTrack(e), confidence: 7 }),
    comment: () => 'Teams are trialling the SDK.',
  },
  {
    id: 'search-zero-results',
    team: 'search',
    at: (e, r) => ({ value: onTrack(9, 4, e, r), confidence: 6 }),
    comment: () => 'Synonyms shipped for the top queries.',
  },
];
