import { DAY_MS, HOUR_MS, WEEK_MS } from './model.js';

/**
 * DORA's software delivery performance clusters, as published, stored as data
 * so a new year is a new entry, never a code change. Each metric's bands are
 * read best first: a value gets the first band whose bound it meets; the last
 * band takes everything else. How the published wording became bounds is
 * explained in docs/metrics/delivery.md ("Tiers").
 */
export type Tier = 'elite' | 'high' | 'medium' | 'low';
export type BenchmarkYear = '2023' | '2024';

export interface Band {
  tier: Tier;
  /** The cluster's value as the report states it. */
  published: string;
  /** Exclusive upper bound (seconds or a 0-1 rate) for lower-is-better metrics; null on the last band. */
  below: number | null;
}

export interface FrequencyBand {
  tier: Tier;
  published: string;
  /** Minimum median deploy-days per week, when the band is defined by it. */
  minMedianDeployDaysPerWeek?: number;
  /** Minimum mean deployments per week, when the band is defined by it. */
  minDeploymentsPerWeek?: number;
}

export interface DoraBenchmark {
  year: BenchmarkYear;
  source: string;
  deploymentFrequency: FrequencyBand[];
  leadTime: Band[];
  changeFailureRate: Band[];
  recoveryTime: Band[];
}

const s = (ms: number) => ms / 1000;
const MONTH_MS = 30 * DAY_MS;
const ONCE_A_MONTH_PER_WEEK = 12 / 52;

/** The same bounds serve both years: the published frequency ranges only changed for the low cluster. */
function frequencyBands(low: string): FrequencyBand[] {
  return [
    { tier: 'elite', published: 'On demand (multiple deploys per day)', minMedianDeployDaysPerWeek: 5 },
    { tier: 'high', published: 'Between once per day and once per week', minMedianDeployDaysPerWeek: 1 },
    { tier: 'medium', published: 'Between once per week and once per month', minDeploymentsPerWeek: ONCE_A_MONTH_PER_WEEK },
    { tier: 'low', published: low },
  ];
}

function leadTimeBands(low: string): Band[] {
  return [
    { tier: 'elite', published: 'Less than one day', below: s(DAY_MS) },
    { tier: 'high', published: 'Between one day and one week', below: s(WEEK_MS) },
    { tier: 'medium', published: 'Between one week and one month', below: s(MONTH_MS) },
    { tier: 'low', published: low, below: null },
  ];
}

export const DORA_BENCHMARKS: Record<BenchmarkYear, DoraBenchmark> = {
  '2023': {
    year: '2023',
    source: 'Accelerate State of DevOps Report 2023 (DORA), software delivery performance clusters',
    deploymentFrequency: frequencyBands('Between once per week and once per month'),
    // 2023 published the low cluster's range as the medium one's; low takes what lies beyond it.
    leadTime: leadTimeBands('Between one week and one month'),
    // Published as one value per cluster (5%, 10%, 15%, 64%): bounds are the midpoints between them.
    changeFailureRate: [
      { tier: 'elite', published: '5%', below: 0.075 },
      { tier: 'high', published: '10%', below: 0.125 },
      { tier: 'medium', published: '15%', below: 0.395 },
      { tier: 'low', published: '64%', below: null },
    ],
    recoveryTime: [
      { tier: 'elite', published: 'Less than one hour', below: s(HOUR_MS) },
      { tier: 'high', published: 'Less than one day', below: s(DAY_MS) },
      { tier: 'medium', published: 'Between one day and one week', below: s(WEEK_MS) },
      { tier: 'low', published: 'Between one month and six months', below: null },
    ],
  },
  '2024': {
    year: '2024',
    source: 'Accelerate State of DevOps Report 2024 (DORA), software delivery performance clusters',
    deploymentFrequency: frequencyBands('Between once per month and once every six months'),
    leadTime: leadTimeBands('Between one month and six months'),
    // 2024 published medium (10%) below high (20%); bounds are midpoints between the values in
    // ascending order, so 7.5-15% reads "medium" and 15-30% "high", as the clusters say.
    changeFailureRate: [
      { tier: 'elite', published: '5%', below: 0.075 },
      { tier: 'medium', published: '10%', below: 0.15 },
      { tier: 'high', published: '20%', below: 0.3 },
      { tier: 'low', published: '40%', below: null },
    ],
    // High and medium were both published as "less than one day": the better tier takes the range.
    recoveryTime: [
      { tier: 'elite', published: 'Less than one hour', below: s(HOUR_MS) },
      { tier: 'high', published: 'Less than one day', below: s(DAY_MS) },
      { tier: 'low', published: 'Between one week and one month', below: null },
    ],
  },
};

export const DEFAULT_BENCHMARK: BenchmarkYear = '2024';

export interface TierResult {
  tier: Tier;
  published: string;
}

/** Tier of a lower-is-better metric (seconds or rate); null when there is no value. */
export function bandTier(bands: readonly Band[], value: number | null): TierResult | null {
  if (value === null) return null;
  const band = bands.find((b) => b.below === null || value < b.below) as Band;
  return { tier: band.tier, published: band.published };
}

export function frequencyTier(
  bands: readonly FrequencyBand[],
  measures: { medianDeployDaysPerWeek: number | null; deploymentsPerWeek: number },
): TierResult | null {
  if (measures.medianDeployDaysPerWeek === null) return null;
  const median = measures.medianDeployDaysPerWeek;
  const band = bands.find(
    (b) =>
      (b.minMedianDeployDaysPerWeek !== undefined && median >= b.minMedianDeployDaysPerWeek) ||
      (b.minDeploymentsPerWeek !== undefined && measures.deploymentsPerWeek >= b.minDeploymentsPerWeek) ||
      (b.minMedianDeployDaysPerWeek === undefined && b.minDeploymentsPerWeek === undefined),
  ) as FrequencyBand;
  return { tier: band.tier, published: band.published };
}
