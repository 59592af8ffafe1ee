import type { DemoOptions, DemoReport } from '../kit/demo.js';
import { SeededRandom } from '../shared/random.js';
import type { Store } from '../store/database.js';
import { DAY_MS, startOfDay } from './days.js';
import { describeCondition } from './kill-criteria.js';
import { mlContext, type MlLinks } from './links.js';
import type { Experiment, GateRecord, KillCondition, PhaseEntry, Project } from './model.js';
import { DEFAULT_CHECKLIST, DEFAULT_PHASES, type GateDecision, type PhaseName } from './phases.js';
import { evaluateKillCriteria } from './projects.js';
import { insertExperiments, insertProject, removeDemoRows } from './store.js';
import type { ExperimentDecision } from './velocity.js';

/**
 * The demo's ML portfolio, dated back from the demo clock (today at 00:00
 * UTC unless `options.now` pins it): five projects — one in data assessment,
 * a POC whose kill criterion is met, one that went through go to production,
 * one killed at go/no-go with its learning, one stuck in the accuracy trap —
 * and a year of experiments across the ml and search teams, from the seed.
 */
export const DEMO_TEAMS = ['ml', 'search'] as const;

/**
 * Demo projects whose business metric is a metric of the outcomes demo
 * (src/outcomes/demo.ts), loaded before this one (src/modules.ts order), so
 * their live value shows; the others name their business metric in words.
 */
export const DEMO_BUSINESS_METRICS = {
  'churn-poc': 'weekly-sharing-teams',
  'support-triage': 'support-tickets',
} as const;

interface Step {
  phase: PhaseName;
  /** Days after the project's start. */
  start: number;
  end?: number;
  decision?: GateDecision;
  pivotTo?: PhaseName;
  evidence?: string[];
}

function build(
  now: number,
  base: Pick<Project, 'id' | 'name' | 'teams' | 'qualityMetric' | 'qualityThreshold'> & Partial<Project>,
  startDaysAgo: number,
  steps: Step[],
  extra: { kill?: KillCondition[]; confidence?: Array<[number, number, string]>; quality?: Array<[number, number]> } = {},
): Project {
  const start = now - startDaysAgo * DAY_MS;
  const at = (days: number) => start + days * DAY_MS;
  const entries: PhaseEntry[] = steps.map((s, i) => ({
    seq: i + 1,
    phase: s.phase,
    startedAt: at(s.start),
    endedAt: s.end === undefined ? null : at(s.end),
  }));
  const gates: GateRecord[] = steps
    .filter((s) => s.decision !== undefined)
    .map((s, i) => ({
      seq: i + 1,
      phase: s.phase,
      decision: s.decision as GateDecision,
      decidedBy: base.productOwner ?? 'Product owner',
      decidedAt: at(s.end as number),
      evidence: s.evidence ?? [],
      checklist: s.phase === 'go-no-go' ? Object.fromEntries(DEFAULT_CHECKLIST.map((c) => [c.id, s.decision === 'go'])) : {},
      note: null,
      pivotTo: s.pivotTo ?? null,
    }));
  const qualityMetric = base.qualityMetric;
  return {
    productOwner: null,
    businessSponsor: null,
    businessMetric: null,
    businessMetricId: null,
    qualityDirection: 'higher',
    productionPath: null,
    keyResult: null,
    status: 'active',
    learning: null,
    plan: DEFAULT_PHASES.map((p) => ({ ...p })),
    checklist: DEFAULT_CHECKLIST.map((c) => ({ ...c })),
    ...base,
    startedAt: start,
    entries,
    gates,
    killCriteria: (extra.kill ?? []).map((condition, i) => ({
      id: `k${i + 1}`,
      description: describeCondition(condition, qualityMetric),
      condition,
    })),
    confidence: (extra.confidence ?? []).map(([days, value, note]) => ({ at: at(days), value, note, statedBy: base.productOwner ?? null })),
    quality: (extra.quality ?? []).map(([days, value]) => ({ at: at(days), value })),
  };
}

export function generateDemoProjects(now: number): Project[] {
  const report = (name: string) => `https://wiki.acme.example/ml/${name}`;
  return [
    build(
      now,
      {
        id: 'fraud-signals',
        name: 'Fraud signals for card payments',
        teams: ['ml'],
        productOwner: 'Priya Natarajan',
        businessSponsor: 'Head of Payments',
        businessMetric: 'chargeback rate',
        qualityMetric: 'precision',
        qualityThreshold: 0.9,
        productionPath: 'real-time score in payments-api, shadow mode first',
        keyResult: 'kr-chargebacks-down',
      },
      6,
      [{ phase: 'data-assessment', start: 0 }],
      { kill: [{ kind: 'no-go-decision', weeks: 10 }], confidence: [[0, 60, 'labels exist for 18 months of disputes']] },
    ),
    build(
      now,
      {
        id: 'churn-poc',
        name: 'Churn prediction',
        teams: ['ml'],
        productOwner: 'Marta Kowalski',
        businessSponsor: 'VP Customer Success',
        // Linked to the outcomes demo's North Star: teams that churn stop sharing reports, so the page shows its live value.
        businessMetric: 'Weekly active teams sharing a report',
        businessMetricId: DEMO_BUSINESS_METRICS['churn-poc'],
        qualityMetric: 'recall',
        qualityThreshold: 0.7,
        productionPath: 'weekly batch scores into the CRM',
        keyResult: 'kr-retention',
      },
      38,
      [
        { phase: 'data-assessment', start: 0, end: 12, decision: 'go', evidence: [report('churn-data-readiness')] },
        { phase: 'poc', start: 12 },
      ],
      {
        kill: [
          { kind: 'model-quality', comparator: '<', threshold: 0.6, by: startOfDay(now - 3 * DAY_MS) },
          { kind: 'no-go-decision', weeks: 10 },
        ],
        confidence: [
          [0, 70, 'usage data looks predictive'],
          [26, 45, 'recall stalls in the mid 0.5s'],
        ],
        quality: [
          [18, 0.48],
          [25, 0.53],
          [32, 0.55],
        ],
      },
    ),
    build(
      now,
      {
        id: 'search-ranking',
        name: 'Learning-to-rank for search',
        teams: ['search'],
        productOwner: 'Tom Becker',
        businessSponsor: 'Head of Marketplace',
        businessMetric: 'search conversion rate',
        qualityMetric: 'ndcg@10',
        qualityThreshold: 0.42,
        productionPath: 'reranker behind search-api with a feature flag',
        // A key result of the OKR demo (current quarter): the page shows the project under it.
        keyResult: 'search-zero-results',
      },
      120,
      [
        { phase: 'data-assessment', start: 0, end: 11, decision: 'go', evidence: [report('ltr-data-readiness')] },
        { phase: 'poc', start: 11, end: 35, decision: 'go', evidence: ['offline ndcg@10 0.46 vs 0.39 baseline'] },
        { phase: 'go-no-go', start: 35, end: 41, decision: 'go', evidence: [report('ltr-go-no-go')] },
        { phase: 'productionisation', start: 41, end: 95, decision: 'go', evidence: ['A/B +2.1% conversion'] },
        { phase: 'iteration', start: 95 },
      ],
      {
        kill: [{ kind: 'model-quality', comparator: '<', threshold: 0.4, by: startOfDay(now - 90 * DAY_MS) }],
        confidence: [
          [0, 65, 'click logs are rich'],
          [35, 80, 'offline gain holds across segments'],
        ],
        quality: [
          [20, 0.41],
          [33, 0.46],
          [90, 0.47],
          [110, 0.48],
        ],
      },
    ),
    build(
      now,
      {
        id: 'demand-forecast',
        name: 'Demand forecasting for promotions',
        teams: ['ml'],
        productOwner: 'Lena Fischer',
        businessSponsor: 'Supply chain director',
        businessMetric: 'stock-outs during promotions',
        qualityMetric: 'mape',
        qualityThreshold: 0.15,
        qualityDirection: 'lower',
        productionPath: 'daily forecasts to the replenishment system',
        status: 'killed',
        learning:
          'Promotion demand is driven by competitor prices we cannot see in advance; a rules-based uplift from the promotions calendar gets within 2 points of the model at a tenth of the running cost.',
      },
      150,
      [
        { phase: 'data-assessment', start: 0, end: 14, decision: 'go', evidence: [report('demand-data-readiness')] },
        { phase: 'poc', start: 14, end: 42, decision: 'go', evidence: ['offline MAPE 0.19 vs 0.21 rules baseline'] },
        { phase: 'go-no-go', start: 42, end: 49, decision: 'no-go', evidence: [report('demand-go-no-go')] },
      ],
      {
        confidence: [[0, 55, 'two years of sales history']],
        quality: [
          [30, 0.22],
          [40, 0.19],
        ],
      },
    ),
    build(
      now,
      {
        id: 'support-triage',
        name: 'Support ticket triage',
        teams: ['ml'],
        productOwner: 'Sam Okafor',
        businessSponsor: 'Head of Support',
        // Linked to the outcomes demo's counter-metric: routed tickets with suggested answers cut repeat tickets.
        businessMetric: 'Support tickets',
        businessMetricId: DEMO_BUSINESS_METRICS['support-triage'],
        qualityMetric: 'macro-f1',
        qualityThreshold: 0.8,
        productionPath: 'route suggestions in the helpdesk sidebar',
      },
      110,
      [
        { phase: 'data-assessment', start: 0, end: 12, decision: 'go', evidence: [report('triage-data-readiness')] },
        { phase: 'poc', start: 12, end: 58, decision: 'pivot', evidence: ['bag-of-words tops out at 0.71'] },
        { phase: 'poc', start: 58 },
      ],
      {
        confidence: [
          [0, 75, 'tickets are labelled by queue'],
          [58, 85, 'fine-tuned transformer clears the bar'],
        ],
        quality: [
          [40, 0.71],
          [62, 0.81],
          [80, 0.84],
          [100, 0.86],
        ],
      },
    ),
  ];
}

const HYPOTHESES: Record<(typeof DEMO_TEAMS)[number], Array<[string, string]>> = {
  ml: [
    ['Adding tenure buckets lifts churn recall', 'recall'],
    ['Class weighting beats oversampling for rare churners', 'recall'],
    ['A transformer encoder improves triage macro-F1', 'macro-f1'],
    ['Holiday features reduce forecast error', 'mape'],
    ['Calibrated scores raise CRM adoption of churn alerts', 'alert acceptance rate'],
    ['Smaller embedding size keeps quality at half the latency', 'p95 latency ms'],
  ],
  search: [
    ['Query-category boost improves conversion', 'search conversion rate'],
    ['Freshness feature lifts ndcg@10', 'ndcg@10'],
    ['Spelling correction reduces zero-result searches', 'zero-result rate'],
    ['Personalised reranking lifts add-to-cart', 'add-to-cart rate'],
    ['Synonym expansion improves recall of long-tail queries', 'long-tail recall'],
  ],
};

const LEARNINGS: Record<ExperimentDecision, string[]> = {
  adopt: [
    'The effect held in every segment; shipped to all traffic.',
    'Gain was smaller than hoped but clearly positive; adopted.',
    'Cheaper and as good: adopted for the cost alone.',
  ],
  iterate: [
    'Promising on mobile only; next try targets mobile traffic.',
    'Signal is there but noisy; needs two more weeks of data.',
    'Worked offline, flat online: the offline metric misses position bias.',
  ],
  kill: [
    'No measurable effect; the feature duplicates an existing signal.',
    'Hurt latency more than it helped quality.',
    'Users ignored the change: the problem was trust, not accuracy.',
    'Label noise dominates; fix labelling before modelling.',
  ],
};

/** A year of experiments for each demo team: one to three started a week, concluded after 3-21 days. */
export function generateDemoExperiments(seed: number, now: number): Experiment[] {
  const random = new SeededRandom(seed + 1400);
  const experiments: Experiment[] = [];
  for (const team of DEMO_TEAMS) {
    let n = 0;
    for (let week = 52; week >= 1; week--) {
      const count = random.int(1, team === 'ml' ? 3 : 2);
      for (let i = 0; i < count; i++) {
        n += 1;
        const [hypothesis, metric] = random.pick(HYPOTHESES[team]);
        const startedAt = startOfDay(now - week * 7 * DAY_MS + random.int(0, 4) * DAY_MS) + random.int(8, 17) * 3_600_000;
        const decidedAt = startedAt + random.int(3, 21) * DAY_MS + random.int(0, 6) * 3_600_000;
        const roll = random.next();
        const decision: ExperimentDecision = roll < 0.3 ? 'adopt' : roll < 0.6 ? 'iterate' : 'kill';
        const concluded = decidedAt < now;
        const lower = metric === 'mape' || metric.includes('latency') || metric.includes('zero-result');
        const success = lower ? 0.9 : 1.02;
        const projectId =
          team === 'search'
            ? week <= 17
              ? 'search-ranking'
              : null
            : metric === 'recall' && week <= 5
              ? 'churn-poc'
              : metric === 'macro-f1' && week <= 15
                ? 'support-triage'
                : null;
        experiments.push({
          id: `${team}-e${String(n).padStart(3, '0')}`,
          hypothesis,
          metric,
          direction: lower ? 'lower' : 'higher',
          successThreshold: success,
          killThreshold: 1.0,
          owner:
            team === 'ml' ? random.pick(['Marta Kowalski', 'Sam Okafor', 'Priya Natarajan']) : random.pick(['Tom Becker', 'Ines Duarte']),
          teamId: team,
          projectId,
          keyResult: null,
          ticketUrl: `https://tracker.acme.example/${team.toUpperCase()}-${1000 + n}`,
          startedAt,
          endedAt: concluded ? decidedAt : null,
          // Results are relative to the baseline (1.0 = no change).
          result: concluded
            ? Number(
                (decision === 'adopt'
                  ? success + random.next() * 0.05
                  : decision === 'kill'
                    ? 0.97 + random.next() * 0.03
                    : 1 + random.next() * 0.02
                ).toFixed(3),
              )
            : null,
          decision: concluded ? decision : null,
          learning: concluded ? random.pick(LEARNINGS[decision]) : null,
          decidedAt: concluded ? decidedAt : null,
        });
      }
    }
  }
  return experiments;
}

export async function loadMlDemo(store: Store, options: DemoOptions, links: MlLinks = {}): Promise<DemoReport> {
  const now = options.now ?? startOfDay(Date.now());
  const projects = generateDemoProjects(now);
  const experiments = generateDemoExperiments(options.seed, now);
  await store.db.transaction().execute(async (tx) => {
    await removeDemoRows(tx);
    for (const project of projects) await insertProject(tx, project, 'demo', now);
    await insertExperiments(tx, experiments, 'demo');
  });
  const { flagged } = await evaluateKillCriteria(mlContext(store.db, links), now);
  return { projects: projects.length, experiments: experiments.length, killFlags: flagged };
}
