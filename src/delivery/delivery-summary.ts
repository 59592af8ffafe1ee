import { sortNumbersInSteps } from '../shared/sort-in-steps.js';
import { finishInSlices, finishNow, type Steps } from '../shared/yield.js';
import type { Assessment, DeploymentAssessment } from './assess-deployments.js';
import { deployDaysPerWeek, ZoneCalendar } from './calendar.js';
import { bandTier, DEFAULT_BENCHMARK, DORA_BENCHMARKS, frequencyTier, type BenchmarkYear, type TierResult } from './dora-benchmarks.js';
import { WEEK_MS, type MedianMethod, type TimeWindow } from './model.js';
import { median, percentile, sortedSample } from './percentiles.js';

export interface SummaryOptions {
  median: MedianMethod;
  /** IANA zone for deploy-days and weeks. */
  timeZone: string;
  benchmark: BenchmarkYear;
}

export const DEFAULT_SUMMARY_OPTIONS: SummaryOptions = { median: 'linear', timeZone: 'UTC', benchmark: DEFAULT_BENCHMARK };

/** The five DORA metrics over a window. Durations are seconds; rates are 0-1; null where there is nothing to measure. */
export interface DeliverySummary {
  window: TimeWindow;
  deployments: { count: number; perWeek: number; deployDaysPerWeekMedian: number | null; weeks: number };
  leadTime: { count: number; p50Seconds: number | null; p75Seconds: number | null; p90Seconds: number | null };
  changeFailureRate: { failed: number; total: number; rate: number | null };
  recoveryTime: { count: number; p50Seconds: number | null; p90Seconds: number | null; unrestored: number };
  reworkRate: { unplanned: number; total: number; rate: number | null };
  tiers: {
    benchmark: BenchmarkYear;
    deploymentFrequency: TierResult | null;
    leadTime: TierResult | null;
    changeFailureRate: TierResult | null;
    recoveryTime: TierResult | null;
  };
}

/** The deployments a window counts: those that finished inside it. */
export function deploymentsIn(assessment: Assessment, window: TimeWindow): DeploymentAssessment[] {
  return assessment.deployments.filter((a) => countedIn(a, window));
}

function countedIn(a: DeploymentAssessment, window: TimeWindow): boolean {
  return a.deployment.finishedAt >= window.from && a.deployment.finishedAt < window.to;
}

/**
 * Summarises a window. It counts the deployments that finished in it and the
 * changes they shipped first; what counts as shipped first, failed or
 * restored was decided on the whole history (assessDeployments).
 */
export function summariseDelivery(
  assessment: Assessment,
  window: TimeWindow,
  options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS,
): DeliverySummary {
  return finishNow(summarySteps(assessment, window, options));
}

/** summariseDelivery for the server: the same summary, computed in slices between which other requests are answered (shared/yield.ts). */
export function summariseDeliveryInSlices(
  assessment: Assessment,
  window: TimeWindow,
  options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS,
): Promise<DeliverySummary> {
  return finishInSlices(summarySteps(assessment, window, options));
}

/** The summary, pausing (`yield`) after each deployment it reads. */
function* summarySteps(assessment: Assessment, window: TimeWindow, options: SummaryOptions): Steps<DeliverySummary> {
  const counted: DeploymentAssessment[] = [];
  for (const a of assessment.deployments) {
    yield;
    if (countedIn(a, window)) counted.push(a);
  }
  const weeksInWindow = (window.to - window.from) / WEEK_MS;
  const perWeek = weeksInWindow > 0 ? counted.length / weeksInWindow : 0;
  const weekly = deployDaysPerWeek(
    counted.map((a) => a.deployment.finishedAt),
    window,
    new ZoneCalendar(options.timeZone),
  );
  const deployDaysMedian = median(sortedSample(weekly.deployDays), 'linear');

  yield;

  let changeCount = 0;
  for (const a of counted) changeCount += a.leadTimesMs.length;
  const leadTimes = new Float64Array(changeCount);
  let offset = 0;
  for (const a of counted) {
    yield;
    leadTimes.set(a.leadTimesMs, offset);
    offset += a.leadTimesMs.length;
  }
  yield* sortNumbersInSteps(leadTimes);

  const failed = counted.filter((a) => a.failureReasons.length > 0);
  const restored = failed.filter((a) => a.restoredAt !== null);
  const recovery = sortedSample(restored.map((a) => (a.restoredAt as number) - a.deployment.finishedAt));
  const unplanned = counted.filter((a) => a.unplannedReasons.length > 0).length;

  const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);
  const leadP50 = seconds(median(leadTimes, options.median));
  const recoveryP50 = seconds(median(recovery, options.median));
  const rate = (part: number, whole: number) => (whole === 0 ? null : part / whole);
  const benchmark = DORA_BENCHMARKS[options.benchmark];
  return {
    window,
    deployments: { count: counted.length, perWeek, deployDaysPerWeekMedian: deployDaysMedian, weeks: weekly.weeks.length },
    leadTime: {
      count: leadTimes.length,
      p50Seconds: leadP50,
      p75Seconds: seconds(percentile(leadTimes, 0.75)),
      p90Seconds: seconds(percentile(leadTimes, 0.9)),
    },
    changeFailureRate: { failed: failed.length, total: counted.length, rate: rate(failed.length, counted.length) },
    recoveryTime: {
      count: recovery.length,
      p50Seconds: recoveryP50,
      p90Seconds: seconds(percentile(recovery, 0.9)),
      unrestored: failed.length - restored.length,
    },
    reworkRate: { unplanned, total: counted.length, rate: rate(unplanned, counted.length) },
    tiers: {
      benchmark: options.benchmark,
      // No deployment at all is no evidence (no release tags, a service not deploying yet), not a "low" tier.
      deploymentFrequency:
        counted.length === 0
          ? null
          : frequencyTier(benchmark.deploymentFrequency, { medianDeployDaysPerWeek: deployDaysMedian, deploymentsPerWeek: perWeek }),
      leadTime: bandTier(benchmark.leadTime, leadP50),
      changeFailureRate: bandTier(benchmark.changeFailureRate, rate(failed.length, counted.length)),
      recoveryTime: bandTier(benchmark.recoveryTime, recoveryP50),
    },
  };
}
