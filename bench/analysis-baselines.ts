import { ANALYSES } from '../src/codebase/analyses.js';
import { ANALYSIS_NAMES } from '../src/codebase/model.js';

export const NAME_ONLY = ANALYSIS_NAMES.filter((name) => ANALYSES[name].detail === 'names');
export const WITH_LINES = ANALYSIS_NAMES.filter((name) => ANALYSES[name].detail === 'lines');

/** Each code analysis against the git log that reads what it needs, and the ratio it must stay within. */
export const ANALYSIS_BASELINES = [
  { key: 'gitLogNameOnly', limit: 1.5, analyses: NAME_ONLY, label: 'git log --name-only' },
  { key: 'gitLogNumstat', limit: 1.2, analyses: WITH_LINES, label: 'git log --numstat' },
] as const;

/** Adds every analysis's seconds, ratio to its baseline and peak memory to `figures`, and its ratio target to `targets`. */
export function addAnalysisFigures(
  seconds: (key: string) => number,
  peak: (key: string) => number,
  figures: Record<string, number>,
  targets: Array<{ description: string; met: boolean }>,
): void {
  for (const { key, limit, analyses, label } of ANALYSIS_BASELINES) {
    const base = seconds(key);
    figures[`${key}Seconds`] = base;
    for (const name of analyses) {
      figures[`${name}Seconds`] = seconds(name);
      figures[`${name}Ratio`] = seconds(name) / base;
      figures[`${name}PeakRssMiB`] = peak(name);
      targets.push({ description: `${name} within ${limit}x of ${label}`, met: seconds(name) / base <= limit });
    }
  }
}
