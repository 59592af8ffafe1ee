import { ValidationError, type FieldIssue } from '../shared/errors.js';
import { SeededRandom } from '../shared/random.js';
import { DAY_MS, formatDay } from './days.js';
import { GO_NO_GO } from './phases.js';

/**
 * P50/P90 end dates of an ML project's remaining phases by Monte Carlo: each
 * draw samples every remaining phase's duration and adds them up in order.
 * Pure and seeded: the same input and seed give the same dates everywhere.
 *
 * - A planned phase's duration is uniform in [min, max] days, or — when past
 *   projects give at least `HISTORY_MIN_PROJECTS` actual durations for that
 *   phase — one of those actual durations, drawn with equal weight (method
 *   `history`).
 * - The active phase has run `elapsed` days already: its duration is drawn
 *   from the same distribution conditioned on exceeding `elapsed` (uniform in
 *   [max(min, elapsed), max]); the remaining part counts. A phase already
 *   past its maximum is `overdue` and counted as ending today.
 * - Percentiles are nearest-rank over the draws (the value at rank ceil(p·n)).
 *   Dates are whole days: `at` plus the percentile in days rounded up (a phase
 *   forecast to take 10.2 more days ends on day 11).
 * - Before a go decision the phases after go/no-go (the playbook's phases 4
 *   and 5) are not committable, and neither is the project's end date.
 */
export const FORECAST_DRAWS = 10_000;
export const DEFAULT_FORECAST_SEED = 1;
export const HISTORY_MIN_PROJECTS = 3;
export const NOT_COMMITTABLE = 'not committable until go/no-go';

export interface ForecastPhaseInput {
  name: string;
  min: number;
  max: number;
  /** Epoch ms (00:00 UTC of the day) the phase started, when it has. */
  start?: number | null;
  end?: number | null;
  /** Actual durations (days) of this phase in past projects. */
  history?: readonly number[];
}

export interface ForecastInput {
  phases: readonly ForecastPhaseInput[];
  /** The day the forecast is made, 00:00 UTC. */
  at: number;
  /** The go decision's day, when one is recorded. */
  go?: number | null;
  seed?: number;
  draws?: number;
}

export type PhaseStatus = 'done' | 'active' | 'planned';

export interface PhaseForecast {
  name: string;
  status: PhaseStatus;
  /** How the duration was drawn: `actual` for a finished phase. */
  method: 'actual' | 'range' | 'history';
  min: number;
  max: number;
  start: string | null;
  /** Forecast end dates (the actual end for a done phase). */
  p50: string;
  p90: string;
  overdue: boolean;
  committable: boolean;
  label: string | null;
}

export interface Forecast {
  at: string;
  seed: number;
  draws: number;
  p50: string;
  p90: string;
  /** The percentiles in days from `at`, before rounding to whole days. */
  p50Days: number;
  p90Days: number;
  committable: boolean;
  label: string | null;
  /** `range`: planned ranges only; `history`: past projects' actual durations for every remaining phase; `mixed`: some of each. */
  method: 'range' | 'history' | 'mixed' | 'none';
  phases: PhaseForecast[];
}

/** Checks phase order and dates; issues name `phases[i].field` (callers prefix their own path). */
export function checkForecastInput(input: ForecastInput): FieldIssue[] {
  const issues: FieldIssue[] = [];
  let previousEnded = true;
  let previousEnd: number | null = null;
  input.phases.forEach((phase, i) => {
    const at = (field: string, message: string) => issues.push({ field: `phases[${i}].${field}`, message });
    if (!Number.isFinite(phase.min) || phase.min < 0) at('min', 'must be a number of days >= 0');
    if (!Number.isFinite(phase.max) || phase.max <= 0) at('max', 'must be a number of days > 0');
    if (phase.min > phase.max) at('min', `is greater than max (${phase.min} > ${phase.max})`);
    const start = phase.start ?? null;
    const end = phase.end ?? null;
    if (end !== null && start === null) at('end', 'a phase that ended must have a start');
    if (start !== null) {
      if (!previousEnded) at('start', `the previous phase (${input.phases[i - 1]?.name}) has not ended`);
      if (previousEnd !== null && start < previousEnd) at('start', `is before the previous phase's end (${formatDay(previousEnd)})`);
      if (start > input.at) at('start', `is after the forecast date ${formatDay(input.at)}`);
    }
    if (end !== null && start !== null && end < start) at('end', `is before start (${formatDay(start)})`);
    if (end !== null && end > input.at) at('end', `is after the forecast date ${formatDay(input.at)}`);
    previousEnded = end !== null;
    if (end !== null) previousEnd = end;
  });
  if (input.go !== undefined && input.go !== null && input.go > input.at) {
    issues.push({ field: 'go', message: `is after the forecast date ${formatDay(input.at)}` });
  }
  return issues;
}

/** Index of the first phase that needs a go decision to be committable. */
function firstUncommittedIndex(phases: readonly ForecastPhaseInput[]): number {
  const decision = phases.findIndex((p) => p.name === GO_NO_GO);
  // Without a phase named go-no-go, the playbook's numbering: phases 4 and 5 follow the decision.
  return decision >= 0 ? decision + 1 : 3;
}

export function forecast(input: ForecastInput): Forecast {
  const issues = checkForecastInput(input);
  if (issues.length > 0) throw new ValidationError('Invalid forecast input', issues);
  const seed = input.seed ?? DEFAULT_FORECAST_SEED;
  const draws = input.draws ?? FORECAST_DRAWS;
  const committed = input.go !== undefined && input.go !== null;
  const uncommittedFrom = firstUncommittedIndex(input.phases);
  const random = new SeededRandom(seed);

  const remaining = input.phases.map((phase, index) => ({ phase, index, status: statusOf(phase) })).filter((p) => p.status !== 'done');
  const samplers = remaining.map(({ phase, status }) =>
    sampler(phase, status === 'active' ? (input.at - (phase.start as number)) / DAY_MS : 0),
  );
  const ends = remaining.map(() => new Float64Array(draws));
  for (let d = 0; d < draws; d++) {
    let t = 0;
    samplers.forEach((sample, k) => {
      t += sample.draw(random);
      (ends[k] as Float64Array)[d] = t;
    });
  }

  const day = (offsetDays: number) => formatDay(input.at + Math.ceil(offsetDays - 1e-9) * DAY_MS);
  const phases: PhaseForecast[] = input.phases.map((phase, index) => {
    const status = statusOf(phase);
    const committable = committed || index < uncommittedFrom;
    const base = {
      name: phase.name,
      status,
      min: phase.min,
      max: phase.max,
      start: phase.start === undefined || phase.start === null ? null : formatDay(phase.start),
      committable,
      label: committable ? null : NOT_COMMITTABLE,
    };
    if (status === 'done') {
      const end = formatDay(phase.end as number);
      return { ...base, method: 'actual' as const, p50: end, p90: end, overdue: false };
    }
    const k = remaining.findIndex((r) => r.index === index);
    const sorted = (ends[k] as Float64Array).slice().sort();
    const s = samplers[k] as Sampler;
    return { ...base, method: s.method, p50: day(percentile(sorted, 0.5)), p90: day(percentile(sorted, 0.9)), overdue: s.overdue };
  });
  const last = phases.at(-1);
  const lastEnds = ends.at(-1)?.slice().sort();
  const methods = new Set(samplers.map((s) => s.method));
  return {
    at: formatDay(input.at),
    seed,
    draws,
    p50: last?.p50 ?? formatDay(input.at),
    p90: last?.p90 ?? formatDay(input.at),
    p50Days: lastEnds ? percentile(lastEnds, 0.5) : 0,
    p90Days: lastEnds ? percentile(lastEnds, 0.9) : 0,
    committable: committed,
    label: committed ? null : NOT_COMMITTABLE,
    method: methods.size === 0 ? 'none' : methods.size === 2 ? 'mixed' : methods.has('history') ? 'history' : 'range',
    phases,
  };
}

function statusOf(phase: ForecastPhaseInput): PhaseStatus {
  if (phase.end !== undefined && phase.end !== null) return 'done';
  if (phase.start !== undefined && phase.start !== null) return 'active';
  return 'planned';
}

interface Sampler {
  method: 'range' | 'history';
  overdue: boolean;
  draw(random: SeededRandom): number;
}

/** Remaining days of a phase that has run `elapsed` days (0 when it has not started). */
function sampler(phase: ForecastPhaseInput, elapsed: number): Sampler {
  const history = phase.history ?? [];
  if (history.length >= HISTORY_MIN_PROJECTS) {
    const longer = history.filter((d) => d > elapsed);
    if (longer.length === 0) return { method: 'history', overdue: true, draw: () => 0 };
    return { method: 'history', overdue: false, draw: (r) => (longer[Math.floor(r.next() * longer.length)] as number) - elapsed };
  }
  if (elapsed >= phase.max) return { method: 'range', overdue: true, draw: () => 0 };
  const low = Math.max(phase.min, elapsed);
  const width = phase.max - low;
  return { method: 'range', overdue: false, draw: (r) => low + r.next() * width - elapsed };
}

/** Nearest-rank percentile of ascending values: the value at rank ceil(p·n). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] as number;
}
