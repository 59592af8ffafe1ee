import path from 'node:path';
import { ianaTimeZone } from '../shared/time-zone.js';
import { ValidationError, type FieldIssue } from '../shared/errors.js';
import type { AssessOptions } from './assess-deployments.js';
import { DORA_BENCHMARKS, type BenchmarkYear } from './dora-benchmarks.js';
import type { SummaryOptions } from './delivery-summary.js';
import { DEFAULT_TAG_PATTERN, type GitDoraRequest } from './git-dora.js';
import { DAY_MS, type LeadTimeStart, type MedianMethod } from './model.js';

export interface DoraCliOptions {
  repo: string;
  tags?: string;
  since?: string;
  until?: string;
  window?: string;
  service?: string;
  path?: string[];
  timezone: string;
  benchmark: string;
  median: string;
  leadTimeStart: string;
  baselineDays: string;
  revertWindowDays: string;
  deployments?: boolean;
  json?: boolean;
}

export const DEFAULT_WINDOW_DAYS = 90;

/** Validates every `sextant dora` flag at once, so one run reports every mistake. */
export function parseDoraOptions(
  raw: DoraCliOptions,
  now: number,
): { request: Omit<GitDoraRequest, 'progress'>; described: Record<string, unknown> } {
  const issues: FieldIssue[] = [];
  const instant = (value: string | undefined, field: string): number | undefined => {
    if (value === undefined) return undefined;
    const parsed = Date.parse(value);
    if (Number.isNaN(parsed))
      issues.push({ field, message: `"${value}" is not an ISO date or time (e.g. 2024-05-01 or 2024-05-01T12:00:00Z)` });
    return parsed;
  };
  const days = (value: string, field: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) issues.push({ field, message: `"${value}" is not a number of days (0 or more)` });
    return n * DAY_MS;
  };
  const oneOf = <T extends string>(value: string, allowed: readonly T[], field: string): T => {
    if (!allowed.includes(value as T)) issues.push({ field, message: `must be one of ${allowed.join(', ')}` });
    return value as T;
  };

  const windowMode = oneOf<'fixed' | 'last-data'>(raw.window ?? 'fixed', ['fixed', 'last-data'], '--window');
  for (const [flag, value] of [
    ['--until', raw.until],
    ['--since', raw.since],
  ] as const) {
    if (windowMode === 'last-data' && value !== undefined)
      issues.push({
        field: flag,
        message: `--window last-data is the ${DEFAULT_WINDOW_DAYS} days up to the latest deployment: leave out ${flag}`,
      });
  }
  const to = instant(raw.until, '--until') ?? now;
  const from = instant(raw.since, '--since') ?? to - DEFAULT_WINDOW_DAYS * DAY_MS;
  if (!Number.isNaN(from) && !Number.isNaN(to) && from >= to) issues.push({ field: '--since', message: 'must be before --until' });
  let tagPattern = new RegExp(DEFAULT_TAG_PATTERN);
  if (raw.tags !== undefined) {
    try {
      tagPattern = new RegExp(raw.tags);
    } catch (error) {
      issues.push({ field: '--tags', message: `not a regular expression: ${(error as Error).message}` });
    }
  }
  const benchmark = oneOf(raw.benchmark, Object.keys(DORA_BENCHMARKS) as BenchmarkYear[], '--benchmark');
  const median = oneOf<MedianMethod>(raw.median, ['linear', 'lower'], '--median');
  const leadTimeStart = oneOf<LeadTimeStart>(raw.leadTimeStart, ['author', 'committer'], '--lead-time-start');
  const baselineMs = days(raw.baselineDays, '--baseline-days');
  const revertWindowMs = days(raw.revertWindowDays, '--revert-window-days');
  if (!ianaTimeZone.safeParse(raw.timezone).success)
    issues.push({ field: '--timezone', message: `"${raw.timezone}" is not an IANA time zone such as Europe/Berlin or UTC` });
  if (issues.length > 0) throw new ValidationError(`Invalid option${issues.length > 1 ? 's' : ''}`, issues);

  const summary: SummaryOptions = { median, timeZone: raw.timezone, benchmark };
  const assess: AssessOptions = { incidentWindowMs: 0, revertWindowMs };
  return {
    request: {
      repoPath: raw.repo,
      serviceId: raw.service ?? path.basename(path.resolve(raw.repo)).replace(/\.git$/, ''),
      tagPattern,
      paths: raw.path ?? [],
      window: { from, to },
      windowMode,
      ship: { leadTimeStart, baselineMs },
      assess,
      summary,
    },
    described: {
      leadTimeStart,
      median,
      baselineDays: Number(raw.baselineDays),
      revertWindowDays: Number(raw.revertWindowDays),
      benchmark,
    },
  };
}
